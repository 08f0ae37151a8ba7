# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure domain logic for update runs: validate, compare and merge.

Data flows one way: module options -> desired_update_run() (ARM-shaped,
only what the task names) -> update_run_differences() / merged_update_run()
against the resource ARM returned. Nothing here does I/O.

Rules, from the 2024-04-01 spec and ARM behaviour:
- Only what the task names is compared; server-filled fields never drift.
- Steps are identified by name (the spec's x-ms-identifiers). A steps list in
  the task is the complete list at that level, in that order.
- ARM's PUT replaces the resource, so the body is the current resource with
  the task's values merged in; read-only fields are not sent.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_values import (
    InvalidValue,
    arm_datetime_text,
    check_sendable_datetime,
    datetime_key,
    enum_key,
    location_key,
)
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import InvalidOption
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._step_summary import RUN_STATES, child_steps

RESOURCE_TYPE = 'Microsoft.AzureStackHCI/updates/updateRuns'

# option name -> (ARM property name, how values compare)
STEP_FIELDS = (
    ('name', 'name', 'text'),
    ('description', 'description', 'text'),
    ('error_message', 'errorMessage', 'text'),
    ('status', 'status', 'enum'),
    ('start_time_utc', 'startTimeUtc', 'datetime'),
    ('end_time_utc', 'endTimeUtc', 'datetime'),
    ('last_updated_time_utc', 'lastUpdatedTimeUtc', 'datetime'),
    ('expected_execution_time', 'expectedExecutionTime', 'text'),
)
RUN_FIELDS = (
    ('run_state', 'state', 'enum'),
    ('time_started', 'timeStarted', 'datetime'),
    ('last_updated_time', 'lastUpdatedTime', 'datetime'),
    ('duration', 'duration', 'text'),
)
STEP_OPTION_NAMES = tuple(option for option, _arm, _kind in STEP_FIELDS) + ('steps',)
DESIRED_OPTION_NAMES = ('location',) + tuple(option for option, _arm, _kind in RUN_FIELDS) + ('progress',)

# Filled by the server; never sent, never compared.
READ_ONLY_KEYS = ('id', 'name', 'type', 'systemData', 'etag')
READ_ONLY_PROPERTIES = ('provisioningState',)

_KEY_FUNCTIONS = {
    'text': lambda value: '' if value is None else value,
    'enum': lambda value: enum_key('' if value is None else value),
    'datetime': lambda value: datetime_key('' if value is None else value),
}


# ---------------------------------------------------------------- validation

def desired_update_run(params):
    """Return the ARM-shaped properties the task asks for, validated.

    Only options the task sets appear. Raises InvalidOption naming the first
    invalid option, at any nesting depth of the step tree.
    """
    desired = {}
    if params.get('location') is not None:
        desired['location'] = _text(params['location'], 'location', allow_empty=False)
    properties = {}
    for option, arm, kind in RUN_FIELDS:
        if params.get(option) is not None:
            properties[arm] = _run_state(params[option]) if option == 'run_state' else _checked(params[option], option, kind)
    if params.get('progress') is not None:
        properties['progress'] = _desired_step(params['progress'], 'progress', root=True)
    if properties:
        desired['properties'] = properties
    return desired


def _run_state(value):
    _text(value, 'run_state')
    for state in RUN_STATES:
        if enum_key(state) == enum_key(value):
            return state
    raise InvalidOption('run_state', "'%s' is not one of %s" % (value, ', '.join(RUN_STATES)))


def _desired_step(step, path, root=False):
    if not isinstance(step, dict):
        raise InvalidOption(path, 'expected a dictionary of step fields, got %s' % _type_name(step))
    unknown = sorted(str(key) for key in step if key not in STEP_OPTION_NAMES)
    if unknown:
        raise InvalidOption(path, 'unsupported key(s) %s; a step takes %s' % (', '.join(unknown), ', '.join(STEP_OPTION_NAMES)))
    desired = {}
    for option, arm, kind in STEP_FIELDS:
        if step.get(option) is not None:
            desired[arm] = _checked(step[option], '%s.%s' % (path, option), kind)
    if not root and not desired.get('name'):
        raise InvalidOption(path + '.name', 'every step needs a non-empty name: steps are identified by name')
    if step.get('steps') is not None:
        children = step['steps']
        if not isinstance(children, list):
            raise InvalidOption(path + '.steps', 'expected a list of steps, got %s' % _type_name(children))
        desired['steps'] = [_desired_step(child, '%s.steps[%d]' % (path, index)) for index, child in enumerate(children)]
        _require_unique_names(desired['steps'], path + '.steps')
    return desired


def _require_unique_names(steps, path):
    seen = set()
    for step in steps:
        if step['name'] in seen:
            raise InvalidOption(path, "step name '%s' appears more than once; step names identify steps and must be unique at each level" % step['name'])
        seen.add(step['name'])


def _checked(value, path, kind):
    text = _text(value, path)
    if kind == 'datetime':
        try:
            check_sendable_datetime(text)
        except InvalidValue as exc:
            raise InvalidOption(path, str(exc))
    return text


def _text(value, path, allow_empty=True):
    if not isinstance(value, str):
        raise InvalidOption(path, 'expected a string, got %s' % _type_name(value))
    if not allow_empty and not value.strip():
        raise InvalidOption(path, 'must not be empty')
    return value


def _type_name(value):
    names = {dict: 'a dictionary', list: 'a list', bool: 'a boolean', int: 'an integer', float: 'a number'}
    return names.get(type(value), type(value).__name__)


# ---------------------------------------------------------------- comparison

def update_run_differences(desired, current):
    """Return the option paths whose desired value differs in meaning from ``current``.

    ``current`` is the resource as ARM returns it, or None when it does not
    exist. Only what ``desired`` names is compared.
    """
    current = current or {}
    differences = []
    if 'location' in desired and location_key(desired['location']) != location_key(current.get('location')):
        differences.append('location')
    wanted = desired.get('properties', {})
    present = current.get('properties') or {}
    for option, arm, kind in RUN_FIELDS:
        if arm in wanted and not _same(kind, wanted[arm], present.get(arm)):
            differences.append(option)
    if 'progress' in wanted:
        _step_differences(wanted['progress'], present.get('progress') or {}, 'progress', differences)
    return differences


def _step_differences(desired, current, path, differences):
    for option, arm, kind in STEP_FIELDS:
        if arm in desired and not _same(kind, desired[arm], current.get(arm)):
            differences.append('%s.%s' % (path, option))
    if 'steps' not in desired:
        return
    present = child_steps(current)
    if [step['name'] for step in desired['steps']] != [step.get('name') for step in present]:
        differences.append(path + '.steps')
    for wanted, existing in matched_steps(desired['steps'], present):
        _step_differences(wanted, existing or {}, '%s.steps[%s]' % (path, wanted['name']), differences)


def _same(kind, desired, current):
    key = _KEY_FUNCTIONS[kind]
    try:
        return key(desired) == key(current)
    except InvalidValue:
        # The server holds a value we cannot read as its type: compare as text.
        return desired == current


def matched_steps(desired_steps, current_steps):
    """Pair each desired step with the current step of the same name (or None).

    Names are matched by occurrence, so a server-side duplicate name pairs its
    first occurrence with the first desired step of that name.
    """
    available = {}
    for step in current_steps:
        available.setdefault(step.get('name'), []).append(step)
    pairs = []
    for step in desired_steps:
        candidates = available.get(step['name']) or []
        pairs.append((step, candidates.pop(0) if candidates else None))
    return pairs


# ---------------------------------------------------------------- merge

def writable_update_run(resource):
    """The part of a resource that a PUT may carry: no read-only fields."""
    body = {key: copy.deepcopy(value) for key, value in (resource or {}).items() if key not in READ_ONLY_KEYS}
    properties = body.get('properties')
    if isinstance(properties, dict):
        body['properties'] = {key: value for key, value in properties.items() if key not in READ_ONLY_PROPERTIES}
    return body


def merged_update_run(current, desired):
    """The PUT body: the current resource with the task's values merged in.

    What the task does not name is kept; values equal in meaning keep the
    server's spelling, so a merge never rewrites what did not change.
    """
    body = writable_update_run(current)
    if 'location' in desired and location_key(desired['location']) != location_key(body.get('location')):
        body['location'] = desired['location']
    wanted = desired.get('properties', {})
    if wanted:
        if not isinstance(body.get('properties'), dict):  # absent, or null in what ARM returned
            body['properties'] = {}
        properties = body['properties']
        for _option, arm, kind in RUN_FIELDS:
            if _should_write(kind, wanted, properties, arm):
                properties[arm] = wanted[arm]
        if 'progress' in wanted:
            properties['progress'] = _merged_step(properties.get('progress') or {}, wanted['progress'])
    if isinstance(body.get('properties'), dict):
        # An empty date-time means not set; left out of the body, it is never a value ARM could refuse.
        for values, fields in _datetime_holders(body['properties']):
            _drop_empty_datetimes(values, fields)
    return body


def _datetime_holders(properties):
    """The run's properties and every step below them, each with the fields it holds."""
    yield properties, RUN_FIELDS
    pending = [properties['progress']] if isinstance(properties.get('progress'), dict) else []
    while pending:
        step = pending.pop()
        yield step, STEP_FIELDS
        pending.extend(child_steps(step))


def _drop_empty_datetimes(values, fields):
    for _option, arm, kind in fields:
        if kind == 'datetime' and arm in values and values[arm] in (None, ''):
            del values[arm]


def _should_write(kind, desired, target, arm):
    """Write a desired value that is absent, or different in meaning; keep an equal one as the server spells it."""
    return arm in desired and (arm not in target or not _same(kind, desired[arm], target[arm]))


def _merged_step(current, desired):
    merged = copy.deepcopy(current)
    for _option, arm, kind in STEP_FIELDS:
        if _should_write(kind, desired, merged, arm):
            merged[arm] = desired[arm]
    if 'steps' in desired:
        merged['steps'] = [_merged_step(existing or {}, wanted) for wanted, existing in matched_steps(desired['steps'], child_steps(current))]
    return merged


def predicted_update_run(current, body, resource_id, update_name, run_name):
    """What ARM will return after PUT ``body``: for check mode's update_run (and so check mode's diff).

    ARM writes date-times back in UTC with 7 fractional digits and a '+00:00' offset, and reads an empty
    date-time as not set; the prediction does the same, so that check mode shows what the real run will.
    """
    predicted = copy.deepcopy(body)
    if isinstance(predicted.get('properties'), dict):
        for values, fields in _datetime_holders(predicted['properties']):
            _as_arm_writes(values, fields)
    current = current or {}
    predicted['id'] = current.get('id', resource_id)
    predicted['name'] = current.get('name', '%s/%s' % (update_name, run_name))
    predicted['type'] = current.get('type', RESOURCE_TYPE)
    if 'systemData' in current:
        predicted['systemData'] = copy.deepcopy(current['systemData'])
    properties = predicted.setdefault('properties', {})
    properties['provisioningState'] = (current.get('properties') or {}).get('provisioningState', 'Succeeded')
    return predicted


def _as_arm_writes(values, fields):
    _drop_empty_datetimes(values, fields)
    for _option, arm, kind in fields:
        if kind == 'datetime' and arm in values:
            try:
                values[arm] = arm_datetime_text(values[arm])
            except InvalidValue:
                pass  # not ours to fix: a value the server returned that it will return again


# ---------------------------------------------------------------- presentation

def settable_view(resource):
    """The user-settable properties of a resource, named as the module's options.

    Used for --diff: readable, without server metadata.
    """
    if not resource:
        return {}
    view = {}
    if resource.get('location') is not None:
        view['location'] = resource['location']
    properties = resource.get('properties') or {}
    for option, arm, _kind in RUN_FIELDS:
        if properties.get(arm) is not None:
            view[option] = properties[arm]
    if isinstance(properties.get('progress'), dict):
        view['progress'] = _step_view(properties['progress'])
    return view


def _step_view(step):
    view = {}
    for option, arm, _kind in STEP_FIELDS:
        if step.get(arm) is not None:
            view[option] = step[arm]
    if isinstance(step.get('steps'), list):
        view['steps'] = [_step_view(child) for child in child_steps(step)]
    return view
