# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""make bench: the collection against its ARM emulator, side by side with ansible.builtin.uri.

A benchmark, not a test: it prints tables and PASS/FAIL lines for the targets
and exits 0 (with --strict, 1 when a target is missed). It exits 2 when the
benchmark itself could not run (the emulator did not start, a playbook failed).

Phases (docs/performance.md explains the method and the targets):
  startup  one process of each module, run directly from its AnsiballZ file: wall time, peak RSS, imports
  noop     no-op reconciles alternating with uri GETs of equal runs in one playbook: same token, interpreter, inventory
  fleet    the update_runs role over N clusters vs a uri playbook doing the same GETs, at two fleet sizes
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from importlib import metadata as importlib_metadata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

# pylint: disable=wrong-import-position
import bench_data  # noqa: E402
import module_startup  # noqa: E402
from emulator_process import EmulatorProcess, count_requests  # noqa: E402
from playbook_runs import PlaybookRunner, play  # noqa: E402

TARGET_MODULE_VS_URI = 1.15
TARGET_ROLE_VS_URI = 1.2
ALL_UPDATES_CLUSTERS = 20

FULL = dict(clusters=200, small_clusters=25, tasks=24, reps=3, fleet_reps=3, repeat=3, import_runs=2, metadata_repeat=40, forks=10, all_updates=False)
QUICK = dict(clusters=20, small_clusters=8, tasks=10, reps=2, fleet_reps=1, repeat=2, import_runs=1, metadata_repeat=20, forks=10, all_updates=False)
PHASES = ('startup', 'noop', 'fleet')
FRESH_IMPORTS = (
    'ansible.module_utils.basic',
    'ansible.module_utils.urls',
    'requests',
    'ansible_collections.hcifleet.azure_hci.plugins.module_utils._azure_module',
    'ansible_collections.hcifleet.azure_hci.plugins.module_utils._updaterun',
    'azure.identity',
)
UPDATERUN = 'hcifleet.azure_hci.azure_hci_updaterun'
# A control, not a target: the role's machinery (argument validation, mode include) with uri as the per-cluster task.
CONTROL = 'role machinery, uri inside'
FLOORS = {CONTROL: 'uri report'}


def floor_scenario(scenario):
    """The uri run a fleet scenario is compared with: 'role reconcile' -> 'uri reconcile', the control -> 'uri report'."""
    return FLOORS.get(scenario, scenario.replace('role', 'uri').split(',')[0])


_STARTED = time.time()


def log(message):
    print('[%6.1fs] %s' % (time.time() - _STARTED, message), flush=True)


class BenchError(Exception):
    """The benchmark could not measure something (not a missed target)."""


# ---------------------------------------------------------------- the machine

def machine_info():
    cpu = 'unknown'
    try:
        with open('/proc/cpuinfo', encoding='utf-8') as handle:
            cpu = next((line.split(':', 1)[1].strip() for line in handle if line.startswith('model name')), cpu)
    except OSError:
        pass
    memory_gib = None
    try:
        with open('/proc/meminfo', encoding='utf-8') as handle:
            kib = next((int(line.split()[1]) for line in handle if line.startswith('MemTotal:')), None)
            memory_gib = round(kib / 1024.0 / 1024.0, 1) if kib else None
    except OSError:
        pass
    versions = {}
    for package in ('ansible-core', 'requests', 'azure-identity', 'msal'):
        try:
            versions[package] = importlib_metadata.version(package)
        except importlib_metadata.PackageNotFoundError:
            versions[package] = None
    return {
        'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'),
        'cpu': cpu,
        'cores': os.cpu_count(),
        'memory_gib': memory_gib,
        'os': '%s %s' % (platform.system(), platform.release()),
        'python': platform.python_version(),
        'versions': versions,
        'load_average_start': [round(value, 2) for value in os.getloadavg()],
    }


# ---------------------------------------------------------------- output

def table(headers, rows):
    """A plain-text table; numbers right-aligned."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(str(header)), *(len(row[index]) for row in cells)) if cells else len(str(header)) for index, header in enumerate(headers)]
    numeric = [bool(rows) and all(_is_number(row[index]) for row in rows) for index in range(len(headers))]

    def line(values):
        return '  '.join(value.rjust(width) if numeric[index] else value.ljust(width) for index, (value, width) in enumerate(zip(values, widths))).rstrip()

    return '\n'.join([line([str(header) for header in headers]), line(['-' * width for width in widths])] + [line(row) for row in cells])


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) or value is None


def _cell(value):
    if value is None:
        return '-'
    if isinstance(value, bool):
        return 'yes' if value else 'no'
    if isinstance(value, float):
        return '%.3f' % value if abs(value) < 10 else '%.1f' % value
    return str(value)


def section(title):
    print('\n== %s\n' % title, flush=True)


# ---------------------------------------------------------------- shared set-up

class Bench:
    """What every phase needs: settings, the emulator, the runner, the fixture runs and the token."""

    def __init__(self, settings, emulator, runner, clusters, large_body, token):
        self.settings = settings
        self.emulator = emulator
        self.runner = runner
        self.clusters = clusters
        self.large_body = large_body
        self.token = token
        self.token_vars = runner.secret_vars('token.json', {'bench_access_token': token})

    def module_args(self, cluster, run_name=bench_data.NOOP_RUN, desired=None):
        args = dict(desired if desired is not None else bench_data.noop_desired(cluster))
        args.update(resource_group=cluster.resource_group, cluster_name=cluster.name, update_name=cluster.update_name, name=run_name,
                    subscription_id=cluster.subscription_id, access_token='{{ bench_access_token }}',
                    cloud_environment=self.emulator.metadata_url, ca_path=self.emulator.ca_bundle)
        return args

    def uri_args(self, resource_id):
        return dict(url='%s%s?api-version=%s' % (self.emulator.base_url, resource_id, bench_data.API_VERSION),
                    headers={'Authorization': 'Bearer {{ bench_access_token }}'}, ca_path=self.emulator.ca_bundle)

    def run(self, label, playbook, **kwargs):
        """Run a playbook and count what the emulator saw meanwhile."""
        mark = self.emulator.last_seq()
        result = self.runner.run(label, playbook, **kwargs)
        result.requests = count_requests(self.emulator.requests_since(mark))
        if not result.ok():
            raise BenchError('%s failed (rc %s, %d failed results); log %s:\n%s'
                             % (label, result.returncode, len(result.failures()), result.log_path, result.tail()))
        return result


# ---------------------------------------------------------------- phase: module start-up, imports, memory

def phase_startup(bench):
    settings = bench.settings
    cluster = bench.clusters[0]
    large_read = dict(run_state='Succeeded')
    large_compare = dict(run_state='Succeeded', progress=bench_data.large_desired_progress(bench.large_body))
    # (name, task, direct runs, import profiles): the 2,000-step runs import what the small ones do.
    repeat, import_runs = settings['repeat'], settings['import_runs']
    tasks = [
        ('module no-op', {UPDATERUN: bench.module_args(cluster)}, repeat, import_runs),
        ('uri GET', {'ansible.builtin.uri': bench.uri_args(bench_data.run_id(cluster))}, repeat, import_runs),
        ('token module', {'hcifleet.azure_hci.azure_hci_token': None}, 1, 1),
        ('module no-op, 2,000 steps, read', {UPDATERUN: bench.module_args(cluster, bench_data.LARGE_RUN, large_read)}, repeat, 0),
        ('module no-op, 2,000 steps, compared', {UPDATERUN: bench.module_args(cluster, bench_data.LARGE_RUN, large_compare)}, repeat, 0),
        ('uri GET, 2,000 steps', {'ansible.builtin.uri': bench.uri_args(bench_data.run_id(cluster, bench_data.LARGE_RUN))}, repeat, 0),
    ]
    playbook = bench.runner.write('startup.yml', play('Module start-up', [dict(name=name, **task) for name, task, _runs, _imports in tasks]))
    kept = os.path.join(bench.runner.workdir, 'kept-remote')
    log('startup: one run of each module as a module process, keeping the AnsiballZ files')
    result = bench.run('startup', playbook, extra_args=['-e', '@' + bench.token_vars, '-e', 'azure_hci_direct_execution=false'],
                       env={'ANSIBLE_KEEP_REMOTE_FILES': '1', 'ANSIBLE_REMOTE_TEMP': kept})
    if result.changed():
        raise BenchError('the start-up no-op tasks reported changes; the fixture runs do not match the desired state')
    files = module_startup.kept_ansiballz_files(kept)
    if len(files) != len(tasks):
        raise BenchError('expected %d kept AnsiballZ files, found %d in %s' % (len(tasks), len(files), kept))
    env = bench.runner.env()
    measured = {}
    for (name, _task, runs, imports), path in zip(tasks, files):
        log('startup: %s, %d direct runs of %s' % (name, runs + imports, os.path.basename(path)))
        measured[name] = module_startup.measure_module(bench.runner.python, path, env, runs, imports)
        if measured[name]['failures']:
            raise BenchError('direct run of %s failed: %s' % (path, measured[name]['failures'][0]))
    log('startup: fresh-interpreter imports')
    import_env = dict(env, PYTHONPATH=os.pathsep.join(part for part in (bench.runner.collections_path, env.get('PYTHONPATH')) if part))
    fresh = module_startup.fresh_imports(bench.runner.python, import_env, FRESH_IMPORTS, settings['repeat'])
    log('startup: what resolving cloud_environment (metadata URL) adds')
    resource_url = '%s%s?api-version=%s' % (bench.emulator.base_url, bench_data.run_id(cluster), bench_data.API_VERSION)
    metadata = module_startup.metadata_cost(bench.emulator.metadata_url, resource_url, bench.token, bench.emulator.ca_bundle, settings['metadata_repeat'])
    return {'modules': measured, 'fresh_imports': fresh, 'metadata': metadata, 'large_steps': bench_data.leaf_count(bench.large_body)}


# ---------------------------------------------------------------- phase: no-op reconcile vs uri

def phase_noop(bench):
    """The no-op reconcile against uri, run both ways the module can run on the controller."""
    return {'direct': noop_runs(bench, direct=True), 'module process': noop_runs(bench, direct=False)}


def noop_runs(bench, direct):
    """Module and uri tasks alternate in one playbook, so both see the same machine load at the same moment.

    ``direct``: the module runs in Ansible's own Python (the default on the controller), or as a module process
    (azure_hci_direct_execution=false). The module's tasks read the runs of clusters 0..N-1 and the uri tasks those of clusters N..2N-1,
    so the emulator's request log tells their requests apart by path.
    """
    settings = bench.settings
    count = settings['tasks']
    module_clusters, uri_clusters = bench.clusters[:count], bench.clusters[count:2 * count]
    module_tasks = [{'name': 'No-op reconcile %02d' % index, UPDATERUN: bench.module_args(cluster)} for index, cluster in enumerate(module_clusters)]
    uri_tasks = [{'name': 'GET update run %02d' % index, 'ansible.builtin.uri': bench.uri_args(bench_data.run_id(cluster))}
                 for index, cluster in enumerate(uri_clusters)]
    module_paths = {bench_data.run_id(cluster).lower() for cluster in module_clusters}
    uri_paths = {bench_data.run_id(cluster).lower() for cluster in uri_clusters}
    orders = {
        'module first': [task for pair in zip(module_tasks, uri_tasks) for task in pair],
        'uri first': [task for pair in zip(uri_tasks, module_tasks) for task in pair],
    }
    playbooks = {order: bench.runner.write('noop-%s.yml' % order.replace(' ', '-'), play('No-op reconcile and uri GET, %s' % order, tasks))
                 for order, tasks in orders.items()}
    samples = {'module': [], 'uri': []}
    pairs, walls, per_rep = [], [], []
    requests = {'module': [], 'uri': []}
    changed = 0
    for rep in range(settings['reps']):
        order = 'module first' if rep % 2 == 0 else 'uri first'
        how = 'direct' if direct else 'process'
        log('noop (%s): repetition %d/%d, %d module and %d uri tasks alternating, %s' % (how, rep + 1, settings['reps'], count, count, order))
        mark = bench.emulator.last_seq()
        run = bench.run('noop-%s-%d' % (how, rep + 1), playbooks[order],
                        extra_args=['-e', '@' + bench.token_vars, '-e', 'azure_hci_direct_execution=%s' % str(direct).lower()])
        entries = bench.emulator.requests_since(mark)
        requests['module'].append(count_requests([entry for entry in entries if entry['path'].lower() in module_paths or entry['kind'] != 'arm']))
        requests['uri'].append(count_requests([entry for entry in entries if entry['path'].lower() in uri_paths]))
        changed += run.changed(UPDATERUN)
        walls.append(run.wall)
        # The first pair also builds the AnsiballZ payloads (uri's, and the module's when it runs as a process): warm-up, left out.
        durations = run.task_durations()[2:]
        rep_samples = {'module': [], 'uri': []}
        for _number, _name, action, seconds in durations:
            rep_samples['module' if action == UPDATERUN else 'uri'].append(seconds)
        for kind, values in rep_samples.items():
            samples[kind].extend(values)
        per_rep.append({kind: statistics.median(values) for kind, values in rep_samples.items()})
        pairs.extend(durations[index][3] / durations[index + 1][3] if durations[index][2] == UPDATERUN else durations[index + 1][3] / durations[index][3]
                     for index in range(0, len(durations) - 1, 2))
    summary = {'tasks': count, 'reps': settings['reps'], 'wall_s': walls, 'changed': changed}
    for kind in ('module', 'uri'):
        values = sorted(samples[kind])
        total = float(count * settings['reps'])
        summary[kind] = {
            'task_median_s': statistics.median(values),
            'task_p90_s': values[int(0.9 * (len(values) - 1))],
            'rep_medians_s': [rep[kind] for rep in per_rep],
            'arm_requests_per_task': sum(entry['arm'] for entry in requests[kind]) / total,
            'metadata_requests_per_task': sum(entry['metadata'] for entry in requests[kind]) / total,
            'identity_requests': sum(entry['identity'] for entry in requests[kind]),
            'arm_writes': sum(entry['arm_writes'] for entry in requests[kind]),
            'samples': len(values),
        }
    summary['ratio'] = summary['module']['task_median_s'] / summary['uri']['task_median_s']
    summary['pair_ratio'] = statistics.median(pairs)
    return summary


# ---------------------------------------------------------------- phase: the fleet

def fleet_files(bench):
    runner = bench.runner
    report_dir = os.path.join(runner.workdir, 'update_runs_report')
    inventories = {}
    for size in sorted({bench.settings['clusters'], bench.settings['small_clusters'], min(bench.settings['small_clusters'], ALL_UPDATES_CLUSTERS)}):
        hosts = {}
        for cluster in bench.clusters[:size]:
            hosts[cluster.name] = dict(azure_hci_subscription_id=cluster.subscription_id, azure_hci_resource_group=cluster.resource_group,
                                       azure_hci_cluster_name=cluster.name, azure_hci_location=cluster.location,
                                       update_runs_update_name=cluster.update_name, update_runs_desired=[bench_data.noop_desired(cluster)])
        inventories[size] = runner.write('fleet-%d.yml' % size, {'all': {'hosts': hosts, 'vars': {
            'ansible_connection': 'local', 'update_runs_report_dir': report_dir}}})
    role = runner.write('fleet-role.yml', [dict(name='Update runs across the fleet', hosts='all', gather_facts=False,
                                                roles=[dict(role='hcifleet.azure_hci.update_runs')])])
    arm = "{{ bench_base_url }}/subscriptions/{{ azure_hci_subscription_id }}/resourceGroups/{{ azure_hci_resource_group }}" \
          "/providers/Microsoft.AzureStackHCI/clusters/{{ azure_hci_cluster_name }}"
    token_task = {
        'name': 'Get one ARM token for the whole run',
        'ansible.builtin.uri': dict(url='{{ bench_token_url }}', method='POST', body_format='form-urlencoded', ca_path='{{ bench_ca_path }}',
                                    body=dict(grant_type='client_credentials', scope='{{ bench_scope }}',
                                              client_id="{{ lookup('ansible.builtin.env', 'AZURE_CLIENT_ID') }}",
                                              client_secret="{{ lookup('ansible.builtin.env', 'AZURE_SECRET') }}")),
        'run_once': True, 'no_log': True, 'register': 'bench_token',
    }

    def get_task(name, path):
        return {'name': name, 'ansible.builtin.uri': dict(url=arm + path + '?api-version=' + bench_data.API_VERSION, ca_path='{{ bench_ca_path }}',
                                                          headers={'Authorization': 'Bearer {{ bench_token.json.access_token }}'})}

    uri_report = runner.write('fleet-uri-report.yml', play('uri floor: the runs of one update per cluster', [
        token_task, get_task('GET the update runs of the update', '/updates/{{ update_runs_update_name }}/updateRuns')], hosts='all'))
    uri_reconcile = runner.write('fleet-uri-reconcile.yml', play('uri floor: the desired update run of each cluster', [
        token_task, get_task('GET the desired update run',
                             '/updates/{{ update_runs_desired[0].update_name }}/updateRuns/{{ update_runs_desired[0].name }}')], hosts='all'))
    uri_vars = runner.write('fleet-uri-vars.yml', dict(bench_base_url=bench.emulator.base_url, bench_ca_path=bench.emulator.ca_bundle,
                                                       bench_token_url=bench.emulator.token_url(), bench_scope=bench.emulator.arm_scope()))
    control = control_role(runner, token_task, get_task('GET the update runs of the update', '/updates/{{ update_runs_update_name }}/updateRuns'))
    return inventories, role, uri_report, uri_reconcile, uri_vars, control


def control_role(runner, token_task, get_task):
    """The role's machinery with uri inside: what Ansible's role features cost before any of the collection's code runs.

    Same meta/argument_specs.yml and defaults as hcifleet.azure_hci.update_runs (so Ansible adds the same per-host
    argument validation), one token run_once, the same per-host include of the mode's file, and in that file the uri
    playbook's own GET. No summary, no report files: the role / control ratio is what the collection adds.
    """
    source = os.path.join(REPO, 'roles', 'update_runs')
    target = os.path.join(runner.workdir, 'roles', 'control_role')
    for part in ('meta', 'defaults', 'tasks'):
        os.makedirs(os.path.join(target, part), exist_ok=True)
    for part in ('meta/argument_specs.yml', 'defaults/main.yml'):
        shutil.copyfile(os.path.join(source, part), os.path.join(target, part))
    runner.write('roles/control_role/tasks/main.yml', [token_task, {'name': 'Work in the chosen mode',
                                                                    'ansible.builtin.include_tasks': '{{ update_runs_mode }}.yml'}])
    runner.write('roles/control_role/tasks/report.yml', [get_task])
    return runner.write('fleet-control.yml', [dict(name='The role machinery with uri inside', hosts='all', gather_facts=False,
                                                   roles=[dict(role='control_role')])])


def phase_fleet(bench):
    settings = bench.settings
    inventories, role, uri_report, uri_reconcile, uri_vars, control = fleet_files(bench)
    big, small = settings['clusters'], settings['small_clusters']
    # Each role run sits next to its floor, and the control next to the uri report it is compared with. Repetitions
    # alternate the order (forwards, backwards, ...) so that a drifting machine does not always favour the same side.
    repeated = [
        ('role report', big, role, ['-e', 'update_runs_mode=report']),
        ('uri report', big, uri_report, ['-e', '@' + uri_vars]),
        (CONTROL, big, control, ['-e', '@' + uri_vars, '-e', 'update_runs_mode=report']),
        ('uri reconcile', big, uri_reconcile, ['-e', '@' + uri_vars]),
        ('role reconcile', big, role, ['-e', 'update_runs_mode=reconcile']),
    ]
    once = [('role report', small, role, ['-e', 'update_runs_mode=report'])]
    if settings['all_updates']:
        # The role's default report reads every update of a cluster; only its request counts are of interest here.
        once.append(('role report, all updates', min(small, ALL_UPDATES_CLUSTERS), role,
                     ['-e', 'update_runs_mode=report', '-e', 'update_runs_update_name=']))
    runs = {}
    reps = settings['fleet_reps']
    for rep in range(reps):
        for label, size, playbook, extra in (repeated if rep % 2 == 0 else repeated[::-1]) + (once if rep == reps - 1 else []):
            log('fleet: %s, %d clusters, forks %d (repetition %d/%d)' % (label, size, settings['forks'], rep + 1, reps))
            run = bench.run('fleet-%s-%d' % (label.replace(' ', '-').replace(',', ''), size), playbook, inventory=inventories[size], extra_args=extra,
                            split_cpu=True)
            runs.setdefault((label, size), []).append(run)
    results = [fleet_entry(label, size, runs[(label, size)]) for label, size, _playbook, _extra in repeated + once]
    by_key = {(entry['scenario'], entry['clusters']): entry for entry in results}
    for entry in results:
        floor = by_key.get((floor_scenario(entry['scenario']), entry['clusters']))
        if entry['scenario'].startswith('role') and floor is not None and floor is not entry:
            entry['ratio'] = entry['wall_s'] / floor['wall_s']
            entry['cpu_ratio'] = entry['cpu_s'] / floor['cpu_s']
            entry['rep_ratios'] = [wall / floor_wall for wall, floor_wall in zip(entry['walls_s'], floor['walls_s'])]
            if entry['cpu_split_s'] and floor['cpu_split_s']:
                entry['cpu_split_ratios'] = {part: entry['cpu_split_s'][part] / floor['cpu_split_s'][part] for part in ('main', 'workers', 'modules')}
        control = by_key.get((CONTROL, entry['clusters']))
        if entry['scenario'] in ('role report', 'role reconcile') and control is not None:
            entry['control_ratio'] = entry['wall_s'] / control['wall_s']
            entry['control_cpu_ratio'] = entry['cpu_s'] / control['cpu_s']
    return {'forks': settings['forks'], 'reps': reps, 'runs': results}


def fleet_entry(label, size, runs):
    """One scenario over its repetitions: medians of wall and CPU, per-task medians, the requests of the first run."""
    seconds = [{name: duration for _number, name, _action, duration in run.task_durations()} for run in runs]
    tasks = [(name, statistics.median(durations[name] for durations in seconds if name in durations), statuses)
             for (_number, name, _action, _duration), statuses in zip(runs[0].task_durations(), runs[0].task_statuses())]
    splits = [split for split in (run.cpu_split() for run in runs) if split]
    cpu_split = {part: statistics.median(split[part] for split in splits) for part in ('main', 'workers', 'modules', 'module_processes')} if splits else None
    return {
        'scenario': label, 'clusters': size, 'wall_s': statistics.median(run.wall for run in runs), 'cpu_s': statistics.median(run.cpu for run in runs),
        'cpu_split_s': cpu_split,
        'walls_s': [run.wall for run in runs], 'cpus_s': [run.cpu for run in runs], 'peak_rss_kib': max(run.peak_rss_kib for run in runs),
        'requests': runs[0].requests, 'changed': max(run.changed(UPDATERUN) for run in runs), 'tasks': tasks,
    }


# ---------------------------------------------------------------- targets

def targets(results):
    """[(name, passed or None when not measured, detail)]."""
    checks = []
    for how, noop in sorted(results.get('noop', {}).items()):
        module = noop['module']
        exact = module['arm_requests_per_task'] == 1.0 and module['arm_writes'] == 0 and noop['changed'] == 0
        checks.append(('a no-op reconcile makes exactly one ARM request (%s)' % how, exact,
                       '%.2f ARM requests per task, %d writes, %d changed (%d tasks)'
                       % (module['arm_requests_per_task'], module['arm_writes'], noop['changed'], noop['tasks'] * noop['reps'])))
        checks.append(('module per task <= %.2fx the uri floor (%s)' % (TARGET_MODULE_VS_URI, how), noop['ratio'] <= TARGET_MODULE_VS_URI,
                       '%.2fx (%.3f s vs %.3f s median per task)' % (noop['ratio'], module['task_median_s'], noop['uri']['task_median_s'])))
    fleet = results.get('fleet')
    if fleet:
        reports = sorted((entry for entry in fleet['runs'] if entry['scenario'] == 'role report'), key=lambda entry: entry['clusters'])
        if len(reports) >= 2:
            low, high = reports[0], reports[-1]
            detail = '%d identity requests for %d clusters, %d for %d' % (
                low['requests']['identity'], low['clusters'], high['requests']['identity'], high['clusters'])
            checks.append(('fleet identity requests do not grow with the clusters', high['requests']['identity'] <= low['requests']['identity'], detail))
        for entry in fleet['runs']:
            if 'ratio' in entry and entry['scenario'] != CONTROL:
                detail = '%.2fx wall (%.2fx CPU)' % (entry['ratio'], entry['cpu_ratio'])
                if 'control_ratio' in entry:
                    detail += '; %.2fx wall (%.2fx CPU) the control' % (entry['control_ratio'], entry['control_cpu_ratio'])
                if 'cpu_split_ratios' in entry:
                    detail += '; CPU of module processes %(modules).2fx, Ansible workers %(workers).2fx, main process %(main).2fx' % entry['cpu_split_ratios']
                checks.append(('%s <= %.2fx the uri playbook (%d clusters)' % (entry['scenario'], TARGET_ROLE_VS_URI, entry['clusters']),
                               entry['ratio'] <= TARGET_ROLE_VS_URI, detail))
            if entry['scenario'] == 'role reconcile':
                checks.append(('the fleet reconcile is a no-op (nothing written)', entry['changed'] == 0 and entry['requests']['arm_writes'] == 0,
                               '%d changed, %d ARM writes' % (entry['changed'], entry['requests']['arm_writes'])))
    startup = results.get('startup')
    if startup:
        noop_module = startup['modules']['module no-op']
        token_module = startup['modules']['token module']
        checks.append(('azure.identity is not imported on the no-op path (access_token given)', not noop_module['imports_azure_identity'],
                       'no-op module: %s; token module (control): %s' % (
                           'imported' if noop_module['imports_azure_identity'] else 'not imported',
                           'imported' if token_module['imports_azure_identity'] else 'not imported')))
    return checks


# ---------------------------------------------------------------- report

def print_report(results, checks):
    info = results['machine']
    section('Machine')
    print(table(['', ''], [
        ['date', info['date']], ['cpu', info['cpu']], ['cores', info['cores']], ['memory GiB', info['memory_gib']], ['os', info['os']],
        ['python', info['python']], ['ansible-core', info['versions']['ansible-core']], ['requests', info['versions']['requests']],
        ['azure-identity', info['versions']['azure-identity']],
        ['load average at start / end', '%s / %s' % (' '.join(map(str, info['load_average_start'])), ' '.join(map(str, info['load_average_end'])))],
        ['mode', results['mode']],
    ]))
    if info['load_average_start'][0] > 0.5 * (info['cores'] or 1):
        print('\nNOTE: the machine was busy when the benchmark started; times are inflated and ratios noisier than usual.')
    if 'startup' in results:
        print_startup(results['startup'])
    for how, noop in sorted(results.get('noop', {}).items()):
        print_noop(noop, how, results.get('startup'))
    if 'fleet' in results:
        print_fleet(results['fleet'])
    section('Targets')
    for name, passed, detail in checks:
        print('%s  %s: %s' % ('PASS' if passed else 'FAIL', name, detail))


def print_startup(startup):
    modules = startup['modules']
    section('Module processes, run directly from their AnsiballZ files (median of direct runs)')
    print(table(['run', 'wall s', 'min s', 'CPU s', 'peak RSS MiB', 'imports ms', 'azure.identity', 'cryptography'], [
        [name, entry['wall_median_s'], entry['wall_min_s'], entry['cpu_median_s'], round(entry['peak_rss_kib'] / 1024.0, 1), entry.get('imports_total_ms'),
         entry.get('imports_azure_identity', '(same)'), entry.get('imports_cryptography', '(same)')] for name, entry in modules.items()]))
    names = ('module no-op', 'uri GET', 'token module')
    section('Import time inside AnsiballZ by group (ms, sum of -X importtime self times, median of runs)')
    print(table(['group'] + list(names), [[group] + [modules[name]['imports_ms'][group] for name in names]
                                          for group in module_startup.IMPORT_GROUPS]
                + [['total (%s imports)' % '/'.join(str(modules[name]['imports_count']) for name in names)]
                   + [modules[name]['imports_total_ms'] for name in names]]))
    print('\nHeaviest single imports of the no-op module (self ms): %s' % ', '.join(
        '%s %.0f' % (name, ms) for name, ms in modules['module no-op']['heaviest_imports']))
    section('Import time in a fresh interpreter (ms, cumulative; site-packages with .pyc)')
    print(table(['import', 'median ms', 'min ms'], [
        [name.replace('ansible_collections.hcifleet.azure_hci.plugins.', 'hcifleet...'), *(value if value else (None, None))]
        for name, value in startup['fresh_imports'].items()]))
    metadata = startup['metadata']
    section('cloud_environment as a metadata URL: one anonymous GET before the ARM GET (median ms from a new session)')
    print(table(['requests', 'median ms'], [
        ['metadata GET + ARM GET (one connection)', metadata['with_ms']], ['ARM GET only', metadata['without_ms']],
        ['added by resolving the cloud', metadata['added_ms']]]))


def print_noop(noop, how, startup=None):
    section('No-op reconcile (%s) vs uri GET: %d + %d alternating tasks per playbook x %d repetitions, localhost, connection local'
            % (how, noop['tasks'], noop['tasks'], noop['reps']))
    rows = []
    for kind, title in (('module', 'azure_hci_updaterun no-op'), ('uri', 'ansible.builtin.uri GET')):
        entry = noop[kind]
        rows.append([title, entry['task_median_s'], entry['task_p90_s'], ' '.join('%.3f' % value for value in entry['rep_medians_s']),
                     entry['arm_requests_per_task'], entry['metadata_requests_per_task'], entry['identity_requests'], entry['arm_writes']])
    print(table(['per task', 'median s', 'p90 s', 'median per rep', 'ARM req', 'metadata req', 'identity req', 'writes'], rows))
    print('\nmodule / uri: %.2fx (ratio of the medians), %.2fx (median of adjacent module/uri pairs); %d no-op tasks reported changed'
          % (noop['ratio'], noop['pair_ratio'], noop['changed']))
    if startup and how == 'module process':
        module, uri = startup['modules']['module no-op'], startup['modules']['uri GET']
        print('module process alone (direct AnsiballZ runs): %.3f s vs %.3f s CPU = %.2fx, %.3f s vs %.3f s wall'
              % (module['cpu_median_s'], uri['cpu_median_s'], module['cpu_median_s'] / uri['cpu_median_s'],
                 module['wall_median_s'], uri['wall_median_s']))


def print_fleet(fleet):
    section('Fleet: the update_runs role vs a uri playbook over the same inventory (forks %d; large runs: median of %d)'
            % (fleet['forks'], fleet.get('reps', 1)))
    rows = []
    for entry in fleet['runs']:
        requests = entry['requests']
        rows.append([entry['scenario'], entry['clusters'], entry['wall_s'], entry.get('ratio'), entry['cpu_s'], entry.get('cpu_ratio'),
                     entry.get('control_ratio'), requests['arm'] / float(entry['clusters']), requests['identity'],
                     requests['identity'] / float(entry['clusters']), requests['metadata'], requests['arm_writes'], entry['changed'],
                     round(entry['peak_rss_kib'] / 1024.0, 1)])
    print(table(['scenario', 'clusters', 'wall s', 'x uri', 'CPU s', 'CPU x uri', 'x control', 'ARM/cluster', 'identity', 'identity/cluster',
                 'metadata', 'writes', 'changed', 'peak RSS MiB'], rows))
    control = next((entry for entry in fleet['runs'] if entry['scenario'] == CONTROL and 'ratio' in entry), None)
    if control:
        print('\nThe control (%s) is the role\'s own meta/argument_specs.yml and defaults, one token and the per-host mode include,'
              '\nwith the uri GET as the per-cluster task: %.2fx wall (%.2fx CPU) the uri playbook before any of the collection\'s code'
              '\nruns. "x control" is what the collection adds on top: the modules instead of uri, the summary, the report files.'
              % (CONTROL, control['ratio'], control['cpu_ratio']))
    print_cpu_split(fleet)
    if fleet.get('reps', 1) > 1:
        section('Fleet repetitions: wall s of each run, in run order, and the ratio to the floor of the same repetition')
        print(table(['scenario', 'clusters', 'wall s per run', 'x floor per run', 'median x floor'], [
            [entry['scenario'], entry['clusters'], ' '.join('%.1f' % wall for wall in entry['walls_s']),
             ' '.join('%.2f' % ratio for ratio in entry.get('rep_ratios', [])), statistics.median(entry['rep_ratios']) if entry.get('rep_ratios') else None]
            for entry in fleet['runs'] if len(entry['walls_s']) > 1]))
    big = max(entry['clusters'] for entry in fleet['runs'])
    roles = [entry for entry in fleet['runs'] if entry['scenario'] in ('role report', 'role reconcile') and entry['clusters'] == big]
    if roles:
        section('Where the role spends its time, %d clusters: seconds from task start to the last host' % big)
        # One row per task name, in run order; a mode's own task (read or apply) has a value in its column only.
        names = []
        for entry in roles:
            after = -1
            for name, _seconds, _counts in entry['tasks']:
                if name not in names:
                    names.insert(after + 1, name)
                after = names.index(name)
        rows = []
        for name in names:
            row = [_short_task(name)]
            for entry in roles:
                task = next((task for task in entry['tasks'] if task[0] == name), None)
                row += [task[1], _statuses(task[2])] if task else [None, '']
            rows.append(row)
        headers = ['task']
        for entry in roles:
            headers += [entry['scenario'].replace('role ', '') + ' s', 'hosts']
        print(table(headers, rows))


def print_cpu_split(fleet):
    """Where each fleet run's CPU went: ansible-playbook's main process, its forked workers, the module processes."""
    entries = [entry for entry in fleet['runs'] if entry.get('cpu_split_s')]
    if not entries:
        return
    section('Fleet CPU by process (median CPU s): ansible-playbook\'s main process, its forked workers, the module processes')
    rows = []
    for entry in entries:
        split, ratios = entry['cpu_split_s'], entry.get('cpu_split_ratios', {})
        per_cluster = 1000.0 / entry['clusters']
        rows.append([entry['scenario'], entry['clusters'], split['main'], split['workers'], split['modules'], int(split['module_processes']),
                     split['main'] * per_cluster, split['workers'] * per_cluster, split['modules'] * per_cluster,
                     ratios.get('main'), ratios.get('workers'), ratios.get('modules')])
    print(table(['scenario', 'clusters', 'main s', 'workers s', 'modules s', 'module processes', 'main ms/cluster', 'workers ms/cluster',
                 'modules ms/cluster', 'main x floor', 'workers x floor', 'modules x floor'], rows))
    print('\nAnsible forks one worker per host per task (templating, the action plugin, conditionals, includes, argument validation);'
          '\nmodule processes are the modules themselves, counted through an interpreter wrapper (bash `times`, about 2 ms each).'
          '\nWith CPU-bound runs (forks above the core count) wall time follows the total CPU.')


def _statuses(counts):
    return ', '.join('%s %d' % (status, count) for status, count in sorted(counts.items()))


def _short_task(name):
    name = name.split(' : ', 1)[-1]
    return name.split(' - ', 1)[0] if name.startswith('Validating arguments') else name


# ---------------------------------------------------------------- main

def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument('--quick', action='store_true', help='smaller fleet, fewer tasks and repetitions (about 3 minutes)')
    parser.add_argument('--strict', action='store_true', help='exit 1 when a target is missed')
    parser.add_argument('--phases', default=','.join(PHASES), help='comma-separated subset of %s' % ','.join(PHASES))
    parser.add_argument('--clusters', type=int, help='fleet size (default 200, quick 20)')
    parser.add_argument('--small-clusters', type=int, help='second fleet size for the identity check (default 25, quick 8)')
    parser.add_argument('--tasks', type=int, help='no-op module tasks (and as many uri tasks) per playbook (default 24, quick 10)')
    parser.add_argument('--reps', type=int, help='repetitions of the no-op playbooks (default 3, quick 2)')
    parser.add_argument('--fleet-reps', type=int, help='repetitions of the large fleet runs, reported as medians (default 3, quick 1)')
    parser.add_argument('--forks', type=int, help='forks for every playbook (default 10)')
    parser.add_argument('--all-updates', action='store_true', default=None,
                        help='also run the role\'s default report (every update of a cluster) on %d clusters, for its request counts' % ALL_UPDATES_CLUSTERS)
    parser.add_argument('--json', default=os.path.join(REPO, 'build', 'bench', 'results.json'), help='where to write the results (default %(default)s)')
    parser.add_argument('--keep', action='store_true', help='keep the work directory (playbooks, logs, inventories)')
    args = parser.parse_args(argv)
    settings = dict(QUICK if args.quick else FULL)
    for name in ('clusters', 'small_clusters', 'tasks', 'reps', 'fleet_reps', 'forks', 'all_updates'):
        if getattr(args, name) is not None:
            settings[name] = getattr(args, name)
    phases = [phase.strip() for phase in args.phases.split(',') if phase.strip()]
    unknown = sorted(set(phases) - set(PHASES))
    if unknown:
        parser.error('unknown phase(s): %s' % ', '.join(unknown))
    if settings['small_clusters'] >= settings['clusters'] or settings['small_clusters'] < 1:
        parser.error('--small-clusters must be between 1 and --clusters - 1')
    if settings['tasks'] < 2 or settings['reps'] < 1 or settings['fleet_reps'] < 1:
        parser.error('--tasks must be 2 or more, --reps and --fleet-reps 1 or more')
    if 2 * settings['tasks'] > settings['clusters']:
        parser.error('--tasks can be at most half of --clusters (module and uri tasks read the runs of different clusters)')
    return args, settings, phases


def collections_path():
    path = os.environ.get('ANSIBLE_COLLECTIONS_PATH') or os.path.join(REPO, 'build', 'collections')
    path = path.split(os.pathsep)[0]
    if not os.path.isdir(os.path.join(path, 'ansible_collections', 'hcifleet', 'azure_hci')):
        raise BenchError('hcifleet.azure_hci is not installed under %s; run `make collection` (or `make bench`)' % path)
    return path


def main(argv=None):
    args, settings, phases = parse_args(sys.argv[1:] if argv is None else argv)
    results = {'mode': 'quick' if args.quick else 'full', 'settings': settings, 'phases': phases, 'machine': machine_info()}
    workdir = tempfile.mkdtemp(prefix='hcifleet-bench-')
    emulator = None
    try:
        collections = collections_path()
        log('work directory %s; starting the emulator with %d clusters' % (workdir, settings['clusters']))
        emulator = EmulatorProcess(sys.executable, os.path.join(REPO, 'tests', 'emulator'), workdir, settings['clusters']).start()
        token = emulator.acquire_token()
        log('adding the benchmark update runs to %d clusters' % settings['clusters'])
        clusters, large_body = bench_data.prepare(emulator, token, emulator.clusters()[:settings['clusters']])
        runner = PlaybookRunner(workdir, sys.executable, collections, emulator.env, settings['forks'])
        bench = Bench(settings, emulator, runner, clusters, large_body, token)
        for phase in phases:
            results[phase] = {'startup': phase_startup, 'noop': phase_noop, 'fleet': phase_fleet}[phase](bench)
        results['emulator_peak_rss_kib'] = emulator.peak_rss_kib()
        results['large_steps'] = bench_data.leaf_count(large_body)
    except BenchError as exc:
        print('\nbench: cannot measure: %s' % exc, file=sys.stderr)
        return 2
    finally:
        if emulator is not None:
            emulator.stop()
        if args.keep:
            log('kept %s' % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    results['machine']['load_average_end'] = [round(value, 2) for value in os.getloadavg()]
    results['duration_s'] = round(time.time() - _STARTED, 1)
    checks = targets(results)
    results['targets'] = [dict(name=name, passed=passed, detail=detail) for name, passed, detail in checks]
    print_report(results, checks)
    if results.get('emulator_peak_rss_kib'):
        print('\nEmulator peak RSS: %.1f MiB (%d clusters, %d-step run); benchmark took %.0f s'
              % (results['emulator_peak_rss_kib'] / 1024.0, settings['clusters'], results['large_steps'], results['duration_s']))
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, 'w', encoding='utf-8') as handle:
            json.dump(results, handle, indent=2, default=str)
        print('Results written to %s' % args.json)
    missed = [name for name, passed, _detail in checks if not passed]
    return 1 if args.strict and missed else 0


if __name__ == '__main__':
    sys.exit(main())
