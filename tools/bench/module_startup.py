# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a module process costs on its own: wall time, peak RSS and imports.

The modules are measured as Ansible really runs them: a playbook runs each task
once with ANSIBLE_KEEP_REMOTE_FILES=1, and the AnsiballZ files it leaves behind
(module, module_utils and arguments in one file) are then run again directly,
under os.wait4 (peak RSS of exactly that process) and under ``python -X importtime``
(every import, so also whether azure.identity was imported at all).
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import time

import requests

_IMPORT_LINE = re.compile(r'^import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)\s*$')

REQUESTS_STACK = ('requests', 'urllib3', 'idna', 'charset_normalizer', 'certifi', 'chardet', 'brotli', 'zstandard', 'socks')
CRYPTOGRAPHY = ('cryptography', 'cffi', '_cffi_backend')
AZURE_STACK = ('azure', 'msal', 'msal_extensions', 'jwt', 'isodate', 'portalocker')
IMPORT_GROUPS = ('ansible module_utils', 'collection module_utils', 'requests + urllib3', 'cryptography', 'azure-identity + msal', 'stdlib and other')


def import_group(name):
    top = name.split('.', 1)[0]
    if top == 'ansible':
        return 'ansible module_utils'
    if top == 'ansible_collections':
        return 'collection module_utils'
    if top in REQUESTS_STACK:
        return 'requests + urllib3'
    if top in CRYPTOGRAPHY:
        return 'cryptography'
    if top in AZURE_STACK:
        return 'azure-identity + msal'
    return 'stdlib and other'


def parse_importtime(text):
    """[(name, self microseconds, cumulative microseconds, depth)] from ``-X importtime`` output."""
    entries = []
    for line in text.splitlines():
        match = _IMPORT_LINE.match(line)
        if match:
            entries.append((match.group(4), int(match.group(1)), int(match.group(2)), len(match.group(3)) // 2))
    return entries


def kept_ansiballz_files(remote_tmp):
    """The AnsiballZ files a KEEP_REMOTE_FILES run left, in the order the tasks ran."""
    found = []
    for directory in os.listdir(remote_tmp):
        if not directory.startswith('ansible-tmp-'):
            continue
        stamp = float(directory[len('ansible-tmp-'):].split('-', 1)[0])
        for name in os.listdir(os.path.join(remote_tmp, directory)):
            if name.startswith('AnsiballZ_') and name.endswith('.py'):
                found.append((stamp, os.path.join(remote_tmp, directory, name)))
    return [path for _stamp, path in sorted(found)]


def import_profile(python, path, env):
    """One direct run under ``-X importtime``: [(name, self us, cumulative us, depth)] of every import."""
    completed = subprocess.run([python, '-X', 'importtime', path], env=env, cwd=os.path.dirname(path), stdin=subprocess.DEVNULL,
                               capture_output=True, text=True, check=False)
    return parse_importtime(completed.stderr)


def run_measured(python, path, env):
    """One direct run under os.wait4: (seconds, CPU seconds, peak RSS KiB of that process, exit code, stdout)."""
    out_path = path + '.out'
    with open(out_path, 'wb') as out:
        started = time.perf_counter()
        process = subprocess.Popen([python, path], env=env, cwd=os.path.dirname(path), stdin=subprocess.DEVNULL,  # pylint: disable=consider-using-with
                                   stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
    with open(out_path, encoding='utf-8', errors='replace') as handle:
        output = handle.read()
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode, output


def measure_module(python, path, env, repeat, import_runs):
    """Median/min wall time and median peak RSS of ``repeat`` direct runs; imports from ``import_runs`` more (median per group)."""
    walls, cpus, rss, failures = [], [], [], []
    for _attempt in range(repeat):
        seconds, cpu, peak, returncode, output = run_measured(python, path, env)
        walls.append(seconds)
        cpus.append(cpu)
        rss.append(peak)
        if returncode != 0 or '"failed": true' in output:
            failures.append(output[-500:])
    profiles = [import_profile(python, path, env) for _attempt in range(import_runs)]
    measured = {
        'wall_median_s': statistics.median(walls),
        'wall_min_s': min(walls),
        'cpu_median_s': statistics.median(cpus),
        'peak_rss_kib': int(statistics.median(rss)),
        'failures': failures,
    }
    if profiles:
        per_group = []
        for imports in profiles:
            groups = dict.fromkeys(IMPORT_GROUPS, 0.0)
            for name, self_us, _cumulative, _depth in imports:
                groups[import_group(name)] += self_us / 1000.0
            per_group.append(groups)
        names = {name for imports in profiles for name, _self, _cumulative, _depth in imports}
        heaviest = {}
        for imports in profiles:
            for name, self_us, _cumulative, _depth in imports:
                heaviest.setdefault(name, []).append(self_us / 1000.0)
        measured.update({
            'imports_ms': {group: statistics.median(groups[group] for groups in per_group) for group in IMPORT_GROUPS},
            'imports_total_ms': statistics.median(sum(groups.values()) for groups in per_group),
            'imports_count': len(profiles[0]),
            'heaviest_imports': sorted(((name, statistics.median(values)) for name, values in heaviest.items()), key=lambda item: -item[1])[:6],
            'imports_azure_identity': 'azure.identity' in names,
            'imports_msal': 'msal' in names,
            'imports_requests': 'requests' in names,
            'imports_cryptography': 'cryptography' in names,
        })
    return measured


def fresh_imports(python, env, modules, repeat):
    """Cumulative import time of each module in a fresh interpreter (site-packages, .pyc allowed): median and min ms."""
    table = {}
    for module in modules:
        samples = []
        for _attempt in range(repeat):
            completed = subprocess.run([python, '-X', 'importtime', '-c', 'import %s' % module], env=env, capture_output=True, text=True, check=False)
            if completed.returncode != 0:
                samples = None
                break
            entries = parse_importtime(completed.stderr)
            samples.append(next((cumulative for name, _self, cumulative, _depth in reversed(entries) if name == module), 0) / 1000.0)
        table[module] = (statistics.median(samples), min(samples)) if samples else None
    return table


def metadata_cost(metadata_url, resource_url, token, ca_bundle, repeat):
    """What resolving cloud_environment (one anonymous GET before the ARM GET, same connection) adds.

    Each sample starts from a new session, as a module process does: with resolution it is
    metadata GET + ARM GET on one connection, without it the ARM GET alone. Alternating order.
    """
    headers = {'Authorization': 'Bearer ' + token, 'Accept': 'application/json'}

    def sample(resolve):
        with requests.Session() as session:
            started = time.perf_counter()
            if resolve:
                session.get(metadata_url, verify=ca_bundle, timeout=30).json()
            session.get(resource_url, headers=headers, verify=ca_bundle, timeout=30).json()
            return time.perf_counter() - started

    with_resolution, without = [], []
    for attempt in range(repeat):
        if attempt % 2:
            without.append(sample(False))
            with_resolution.append(sample(True))
        else:
            with_resolution.append(sample(True))
            without.append(sample(False))
    return {
        'with_ms': statistics.median(with_resolution) * 1000.0,
        'without_ms': statistics.median(without) * 1000.0,
        'added_ms': (statistics.median(with_resolution) - statistics.median(without)) * 1000.0,
    }
