# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure function: the step status of an update run at a glance.

A run's progress is a tree of steps whose status bubbles up (a parent of an
Error step is Error too), so the useful answers come from the deepest steps:
the leaf counts, the Error steps with no Error below them, and the deepest
InProgress step.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_values import enum_key

# The spec's enums: an update run's state, and a step's status.
RUN_STATES = ('Unknown', 'Succeeded', 'InProgress', 'Failed')
STEP_STATUSES = ('Success', 'Error', 'InProgress', 'Unknown status')
_CANONICAL_STATE = {enum_key(state): state for state in RUN_STATES}
_CANONICAL_STATUS = {enum_key(status): status for status in STEP_STATUSES}


def summarize_steps(update_run):
    """Return the summary dict documented in the modules' RETURN ``summary``."""
    properties = (update_run or {}).get('properties') or {}
    root = properties.get('progress') if isinstance(properties.get('progress'), dict) else None
    summary = {
        # Spelled as the spec does, whoever wrote it: the fleet summary counts 'Failed' runs by this value.
        'state': _canonical(properties.get('state'), _CANONICAL_STATE),
        'total_steps': 0,
        'step_counts': {},
        'failed_steps': [],
        'in_progress_steps': [],
        'current_step': None,
    }
    if root is None:
        return summary
    _visit(root, [], summary)
    if summary['in_progress_steps']:
        depth = max(len(brief['path']) for brief in summary['in_progress_steps'])
        summary['current_step'] = next(brief for brief in summary['in_progress_steps'] if len(brief['path']) == depth)
    return summary


def child_steps(step):
    """The steps below ``step`` that are steps (dictionaries); nothing for a missing or malformed ``steps``."""
    steps = step.get('steps')
    return [child for child in steps if isinstance(child, dict)] if isinstance(steps, list) else []


def _visit(step, parent_path, summary):
    """Depth-first: record leaves and deepest Error/InProgress steps; return the statuses in this subtree."""
    name = step.get('name')
    path = parent_path + ['' if name is None else str(name)]
    children = child_steps(step)
    below = set()
    for child in children:
        below |= _visit(child, path, summary)
    status = _status(step)
    if not children:
        summary['total_steps'] += 1
        summary['step_counts'][status] = summary['step_counts'].get(status, 0) + 1
    if status == 'Error' and 'Error' not in below:
        summary['failed_steps'].append(_step_brief(path, step, error=True))
    if status == 'InProgress' and 'InProgress' not in below:
        summary['in_progress_steps'].append(_step_brief(path, step))
    return below | {status}


def _status(step):
    status = step.get('status')
    if status is None or status == '':
        return 'Unknown status'
    return _canonical(status, _CANONICAL_STATUS)


def _canonical(value, spellings):
    """The spec's spelling of an enum value; a value outside the enum as text (a server may return anything)."""
    if value is None or isinstance(value, str):
        return spellings.get(enum_key(value), value) if value else value
    return str(value)


def _step_brief(path, step, error=False):
    brief = {
        'path': path,
        'name': step.get('name'),
        'description': step.get('description'),
        'start_time_utc': step.get('startTimeUtc'),
    }
    if error:
        brief['error_message'] = step.get('errorMessage')
        brief['end_time_utc'] = step.get('endTimeUtc')
    return brief
