# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write benchmark playbooks and inventories, run ansible-playbook, and read back per-task times.

Every run gets the same environment: the emulator's AZURE_* variables (what an AWX
Azure credential injects), the benchmark's timing callback, the virtualenv's
Python as the module interpreter, and an ANSIBLE_HOME / temp directories of its
own so that runs never share state with other users of the machine.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


class PlaybookResult:
    """Wall time, exit code and the timing callback's events of one ansible-playbook run."""

    def __init__(self, label, returncode, wall, events, log_path, usage=None, module_cpus=None):
        self.label = label
        self.returncode = returncode
        self.wall = wall
        self.events = events
        self.log_path = log_path
        # ansible-playbook and everything it waited for (workers, module processes): CPU seconds and peak RSS.
        self.cpu = usage.ru_utime + usage.ru_stime if usage else None
        self.peak_rss_kib = usage.ru_maxrss if usage else None
        # CPU seconds of each module process, when the run counted them (PlaybookRunner.run(split_cpu=True)).
        self.module_cpus = module_cpus

    def cpu_split(self):
        """{main, workers, modules, module_processes}: where the CPU went, or None when the run did not count it.

        main: ansible-playbook's own process (strategy, callbacks, result processing), from the timing callback;
        modules: the module processes, from the interpreter wrapper; workers: the rest, which is Ansible's forked
        worker processes (one per host per task: templating, action plugins, conditionals, includes, skips) and
        the wrapper shells (about 2 ms each).
        """
        main = [event['cpu'] for event in self.events if event['event'] == 'main_cpu']
        if self.module_cpus is None or not main or self.cpu is None:
            return None
        modules = sum(self.module_cpus)
        return {'main': main[-1], 'modules': modules, 'workers': self.cpu - main[-1] - modules, 'module_processes': len(self.module_cpus)}

    def results(self):
        return [event for event in self.events if event['event'] == 'result']

    def failures(self):
        return [event for event in self.results() if event['status'] in ('failed', 'unreachable')]

    def changed(self, action_prefix=''):
        actions = {event['task']: event['action'] for event in self.events if event['event'] == 'start'}
        return sum(1 for event in self.results() if event['changed'] and actions.get(event['task'], '').startswith(action_prefix))

    def ok(self):
        return self.returncode == 0 and not self.failures()

    def task_durations(self):
        """[(task number, name, action, seconds from task start to the last host's result)] in run order."""
        starts = {}
        ends = {}
        for event in self.events:
            if event['event'] == 'start':
                starts[event['task']] = event
            elif event['event'] == 'result':
                ends[event['task']] = max(ends.get(event['task'], 0.0), event['time'])
        return [(number, start['name'], start['action'], ends[number] - start['time'])
                for number, start in sorted(starts.items()) if number in ends]

    def task_statuses(self):
        """[{status: hosts}] per task, in the order of task_durations()."""
        counts = {}
        for event in self.results():
            status = 'changed' if event['changed'] and event['status'] == 'ok' else event['status']
            task = counts.setdefault(event['task'], {})
            task[status] = task.get(status, 0) + 1
        starts = sorted(event['task'] for event in self.events if event['event'] == 'start')
        return [counts[number] for number in starts if number in counts]

    def tail(self, lines=40):
        with open(self.log_path, encoding='utf-8', errors='replace') as handle:
            return ''.join(handle.readlines()[-lines:])


class PlaybookRunner:
    """Runs ansible-playbook from a work directory with a fixed, isolated environment."""

    def __init__(self, workdir, python, collections_path, emulator_env, forks):
        self.workdir = workdir
        self.python = python
        self.collections_path = collections_path
        self.emulator_env = emulator_env
        self.forks = forks
        self.count = 0

    def env(self, extra=None):
        env = {key: value for key, value in os.environ.items() if not key.startswith(('AZURE_', 'ANSIBLE_', 'IDENTITY_', 'MSI_'))}
        env.update(self.emulator_env)
        env.update({
            'ANSIBLE_COLLECTIONS_PATH': self.collections_path,
            'ANSIBLE_CALLBACK_PLUGINS': os.path.join(HERE, 'callback_plugins'),
            'ANSIBLE_CALLBACKS_ENABLED': 'bench_timer',
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_RETRY_FILES_ENABLED': '0',
            'ANSIBLE_LOCALHOST_WARNING': '0',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': '0',
            'ANSIBLE_PYTHON_INTERPRETER': self.python,
            'ANSIBLE_HOME': os.path.join(self.workdir, 'ansible-home'),
            'ANSIBLE_LOCAL_TEMP': os.path.join(self.workdir, 'ansible-local'),
            'ANSIBLE_REMOTE_TEMP': os.path.join(self.workdir, 'ansible-remote'),
            'ANSIBLE_FORKS': str(self.forks),
        })
        env.update(extra or {})
        return env

    def write(self, name, data):
        path = os.path.join(self.workdir, name)
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(yaml.safe_dump(data, sort_keys=False, width=1000))
        return path

    def secret_vars(self, name, data):
        """A vars file readable only by us (it carries the bearer token)."""
        path = os.path.join(self.workdir, name)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, 'w', encoding='utf-8') as handle:
            json.dump(data, handle)
        return path

    def module_wrapper(self):
        """An interpreter for module processes that records each one's CPU seconds (bash's `times`) in a directory."""
        path = os.path.join(self.workdir, 'module-python')
        if not os.path.exists(path):
            with open(path, 'w', encoding='utf-8') as handle:
                handle.write('#!/bin/bash\n'
                             '# Benchmark only: run the module with the real interpreter, then record the CPU it used.\n'
                             '"%s" "$@"\n'
                             'status=$?\n'
                             'times > "$HCIFLEET_BENCH_MODULE_CPU/$$-$RANDOM"\n'
                             'exit $status\n' % self.python)
            os.chmod(path, 0o700)
        return path

    def run(self, label, playbook, inventory=None, extra_args=(), env=None, split_cpu=False):
        """Run ansible-playbook; with split_cpu, module processes run through module_wrapper() and are counted apart."""
        self.count += 1
        stem = os.path.join(self.workdir, '%02d-%s' % (self.count, label))
        timings = stem + '.timings.jsonl'
        log_path = stem + '.log'
        command = [os.path.join(os.path.dirname(self.python), 'ansible-playbook'), playbook, '--forks', str(self.forks)]
        command += ['-i', 'localhost,', '-c', 'local'] if inventory is None else ['-i', inventory]
        command += list(extra_args)
        env = dict(env or {}, HCIFLEET_BENCH_TIMINGS=timings)
        if split_cpu:
            env['HCIFLEET_BENCH_MODULE_CPU'] = stem + '.module-cpu'
            os.makedirs(env['HCIFLEET_BENCH_MODULE_CPU'])
            # An extra var, so that tasks delegated to the implicit localhost (the role's report files) are counted too.
            command += ['-e', 'ansible_python_interpreter=' + self.module_wrapper()]
        run_env = self.env(env)
        with open(log_path, 'w', encoding='utf-8') as log:
            started = time.perf_counter()
            # Popen + wait4 rather than run(): the rusage of ansible-playbook and all it waited for (CPU, peak RSS).
            process = subprocess.Popen(command, env=run_env, stdout=log, stderr=subprocess.STDOUT,  # pylint: disable=consider-using-with
                                       stdin=subprocess.DEVNULL, cwd=self.workdir)
            _pid, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
        events = []
        if os.path.exists(timings):
            with open(timings, encoding='utf-8') as handle:
                events = [json.loads(line) for line in handle if line.strip()]
        module_cpus = _module_cpus(env['HCIFLEET_BENCH_MODULE_CPU']) if split_cpu else None
        return PlaybookResult(label, process.returncode, wall, events, log_path, usage, module_cpus)


def _module_cpus(directory):
    """CPU seconds of each module process: the children line (user, system) of bash's `times`, one file per process."""
    seconds = []
    for name in os.listdir(directory):
        with open(os.path.join(directory, name), encoding='utf-8') as handle:
            lines = handle.read().splitlines()
        if len(lines) == 2:
            seconds.append(sum(int(minutes) * 60 + float(secs) for minutes, secs in re.findall(r'(\d+)m([\d.]+)s', lines[1])))
    return seconds


def play(name, tasks, hosts='localhost', **options):
    return [dict(name=name, hosts=hosts, gather_facts=False, **options, tasks=tasks)]
