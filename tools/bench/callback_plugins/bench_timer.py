# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark-only callback: when each task started and when each host's result arrived.

Appends one JSON line per event to $HCIFLEET_BENCH_TIMINGS. Only times, names and
statuses are written, never a result (results can carry the bearer token). At the
end of the playbook it adds the CPU seconds of ansible-playbook's main process
(the one that runs the strategy, the callbacks and the result processing).
"""

from __future__ import annotations

import json
import os
import resource
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
name: bench_timer
type: aggregate
short_description: Record task start and result times as JSON lines (hcifleet.azure_hci benchmark only)
description: Appends task starts, per-host results (status, changed, time) and the main process's CPU seconds to the file named by HCIFLEET_BENCH_TIMINGS.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_timer'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._path = os.environ.get('HCIFLEET_BENCH_TIMINGS')
        self._task_number = 0

    def _write(self, entry):
        if not self._path:
            return
        entry['time'] = time.time()
        with open(self._path, 'a', encoding='utf-8') as handle:
            handle.write(json.dumps(entry) + '\n')

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task_number += 1
        self._write({'event': 'start', 'task': self._task_number, 'name': task.get_name(), 'action': task.action})

    def _result(self, status, result):
        self._write({
            'event': 'result',
            'task': self._task_number,
            'host': result._host.get_name(),
            'status': status,
            'changed': bool(result._result.get('changed')),
        })

    def v2_runner_on_ok(self, result):
        self._result('ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result('ignored' if ignore_errors else 'failed', result)

    def v2_runner_on_skipped(self, result):
        self._result('skipped', result)

    def v2_runner_on_unreachable(self, result):
        self._result('unreachable', result)

    def v2_playbook_on_stats(self, stats):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self._write({'event': 'main_cpu', 'cpu': usage.ru_utime + usage.ru_stime})
