# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: append every task result as one JSON line to $HCIFLEET_RESULTS_FILE.

The integration tests read these lines to assert on results instead of parsing
the human-readable output (which they scan for secrets separately).
"""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
name: record_results
type: aggregate
short_description: Record task results as JSON lines (hcifleet.azure_hci tests only)
description: Appends each task result to the file named by HCIFLEET_RESULTS_FILE.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'record_results'
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, status, result):
        path = os.environ.get('HCIFLEET_RESULTS_FILE')
        if not path:
            return
        entry = {
            'status': status,
            'host': result._host.get_name(),
            'task': result._task.get_name(),
            'action': result._task.action,
            'result': self._clean(result._result),
        }
        # The display drops 'failed' and 'diff' from the result (it shows the diff on its own).
        entry['result']['failed'] = status == 'failed'
        if 'diff' in result._result and not result._result.get('_ansible_no_log'):
            entry['result']['diff'] = json.loads(json.dumps(result._result['diff'], default=str))
        with open(path, 'a', encoding='utf-8') as handle:
            handle.write(json.dumps(entry, default=str) + '\n')

    def _clean(self, value):
        # Results are displayed after no_log censoring; record them the same way.
        return json.loads(self._dump_results(value, indent=0))

    def v2_runner_on_ok(self, result):
        self._record('ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record('failed', result)

    def v2_runner_on_skipped(self, result):
        self._record('skipped', result)

    def v2_runner_on_unreachable(self, result):
        self._record('unreachable', result)
