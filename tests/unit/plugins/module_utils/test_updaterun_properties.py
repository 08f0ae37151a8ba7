# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Properties of compare and merge, over random update runs and random partial tasks (hypothesis).

The same promise as tests/integration/test_data_preservation.py, at the level of the pure functions, where many
more examples fit in a second: merging a task into a run keeps everything the task does not name byte for byte,
sets what it names, and leaves nothing to compare; merging again changes nothing; and whether a run needs a write
at all agrees with tests/update_run_oracle.py, written from the rules (instants, case-insensitive statuses), not
from _arm_values.
"""

from __future__ import annotations

import copy
import os

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._updaterun import (
    desired_update_run,
    merged_update_run,
    predicted_update_run,
    update_run_differences,
)
from ansible_collections.hcifleet.azure_hci.tests.update_run_oracle import (
    MINUTE,
    RUN_FIELDS,
    STEP_FIELDS,
    civil_date,
    differs,
    instant,
    properties_problems,
    stored_properties,
)

RUN_STATES = ('Unknown', 'Succeeded', 'InProgress', 'Failed')
STATUSES = ('Success', 'Error', 'InProgress', 'Unknown status', 'skipped')
NAMES = ('a', 'b', 'c', 'Node 1', 'Ünï')
READ_ONLY = ('id', 'name', 'type', 'systemData', 'etag')
# Examples per property (about 1.5 s per hundred); raise it for a deeper search.
EXAMPLES = int(os.environ.get('HCIFLEET_PROPERTY_EXAMPLES', '100'))
TEXT = st.text(max_size=6)

# ------------------------------------------------------------------ date-times: an instant and its spellings


def spell(ticks, offset, separator, fraction_separator, digits, colon):
    """One spelling of an instant (ticks since 1970): ``offset`` is 'Z', 'z' or minutes east of UTC."""
    local = ticks + (0 if isinstance(offset, str) else offset) * MINUTE
    seconds, fraction = divmod(local, 10 ** 7)
    days, rest = divmod(seconds, 86400)
    text = '%s%s%02d:%02d:%02d' % (civil_date(days), separator, rest // 3600, rest % 3600 // 60, rest % 60)
    digits = max(digits, 7) if fraction else digits
    if digits:
        text += fraction_separator + ('%07d' % fraction).ljust(digits, '5')[:digits]
    if isinstance(offset, str):
        return text + offset
    return text + '%s%02d%s%02d' % ('-' if offset < 0 else '+', abs(offset) // 60, ':' if colon else '', abs(offset) % 60)


INSTANTS = st.integers(0, 4 * 10 ** 17).flatmap(lambda ticks: st.sampled_from((ticks, ticks - ticks % 10 ** 7)))
OFFSETS = ('Z', 'z', 0, 90, -300)


def date_times(sendable=True):
    """A spelling of a random instant in any offset, with 0-9 fractional digits as the value allows.

    ``sendable``: RFC 3339 as ARM takes it in a body (what a task may give); otherwise also the looser spellings the
    comparison reads ('T' or ' ', '.' or ',', '+HHMM'), as a server could return them.
    """
    return st.builds(spell, INSTANTS, st.sampled_from(OFFSETS), st.sampled_from('Tt' if sendable else 'Tt '),
                     st.sampled_from('.' if sendable else '.,'), st.integers(0, 9), st.just(True) if sendable else st.booleans())


# ------------------------------------------------------------------ runs as ARM returns them, tasks as options
# Plain functions of ``draw`` over strategies built once: building strategies per draw would cost more than the test.

BOOLEANS = st.booleans()
SERVER_VALUES = {'text': TEXT, 'enum': st.sampled_from(STATUSES), 'datetime': date_times(sendable=False)}
NEW_VALUES = {'text': TEXT, 'enum': st.sampled_from(STATUSES), 'datetime': st.one_of(date_times(), st.just(''))}
SPELLINGS = st.tuples(st.sampled_from(OFFSETS), st.sampled_from('Tt'), st.integers(0, 9))
SERVER_NAMES = {width: st.lists(st.sampled_from(NAMES), unique=True, max_size=width) for width in (2, 3)}
ADDED_NAMES = st.lists(st.sampled_from(NAMES), unique=True, max_size=2)


def draw_desired_value(draw, kind, current):
    """A value for a field the task names: the current one in another spelling (or case), or a new one."""
    if current is None or draw(BOOLEANS):
        return draw(NEW_VALUES[kind])
    if kind == 'enum':
        return current.swapcase()
    if kind == 'datetime':
        offset, separator, digits = draw(SPELLINGS)
        return spell(instant(current), offset, separator, '.', digits, True)
    return current


def draw_server_steps(draw, depth):
    """Up to three steps at the top and two below, ``depth`` levels; unique names per level."""
    steps = []
    for name in draw(SERVER_NAMES[3 if depth == 3 else 2]):
        step = {'name': name}
        for option, (arm, kind) in STEP_FIELDS.items():
            if option != 'name' and draw(BOOLEANS):
                step[arm] = draw(SERVER_VALUES[kind])
        if depth > 1 and draw(BOOLEANS):
            step['steps'] = draw_server_steps(draw, depth - 1)
        steps.append(step)
    return steps


def draw_desired_steps(draw, existing, depth, root=False):
    """Task options for one step: some of its fields, and maybe its complete ordered list of child steps."""
    desired = {} if root else {'name': existing['name']}
    for option, (arm, kind) in STEP_FIELDS.items():
        if (root or option != 'name') and draw(BOOLEANS):
            desired[option] = draw_desired_value(draw, kind, existing.get(arm))
    if depth and draw(BOOLEANS):
        kept = list(draw(st.permutations(existing.get('steps') or [])))
        del kept[:draw(st.integers(0, len(kept)))]
        taken = {step['name'] for step in kept}
        for name in draw(ADDED_NAMES):
            if name not in taken:
                kept.insert(draw(st.integers(0, len(kept))), {'name': name})
                taken.add(name)
        desired['steps'] = [draw_desired_steps(draw, step, depth - 1) for step in kept]
    return desired


def draw_restated_steps(draw, existing, root=False):
    """Task options restating a step and all its children in other spellings: equal in meaning, nothing to change."""
    desired = {}
    for option, (arm, kind) in STEP_FIELDS.items():
        if existing.get(arm) is not None and (root or option != 'name'):
            desired[option] = draw_same_value(draw, kind, existing[arm])
    if not root:
        desired['name'] = existing['name']
    if 'steps' in existing:
        desired['steps'] = [draw_restated_steps(draw, step) for step in existing['steps']]
    return desired


def draw_same_value(draw, kind, current):
    if kind == 'enum':
        return current.swapcase()
    if kind == 'datetime':
        offset, separator, digits = draw(SPELLINGS)
        return spell(instant(current), offset, separator, '.', digits, True)
    return current


@st.composite
def restatements(draw):
    """(a run as ARM returns it, a task restating all of its progress tree in other spellings)."""
    current = draw(server_runs())
    return current, {'progress': draw_restated_steps(draw, current['properties']['progress'], root=True)}


def levels_with_siblings(step, path=()):
    """Paths (as lists of indexes) of every steps list with two steps or more."""
    children = step.get('steps') or []
    found = [path] if len(children) > 1 else []
    for index, child in enumerate(children):
        found += levels_with_siblings(child, path + (index,))
    return found


@st.composite
def server_runs(draw):
    """An update run as ARM returns it, with a progress tree up to three levels below the root."""
    root = {}
    for _option, (arm, kind) in STEP_FIELDS.items():
        if draw(BOOLEANS):
            root[arm] = draw(SERVER_VALUES[kind])
    root['steps'] = draw_server_steps(draw, 3)
    properties = {'provisioningState': 'Succeeded', 'progress': root}
    for _option, (arm, kind) in RUN_FIELDS.items():
        if draw(BOOLEANS):
            properties[arm] = draw(st.sampled_from(RUN_STATES)) if arm == 'state' else draw(SERVER_VALUES[kind])
    current = {'id': '/subscriptions/s/resourceGroups/g/providers/Microsoft.AzureStackHCI/clusters/c/updates/u/updateRuns/r',
               'name': 'u/r', 'type': 'Microsoft.AzureStackHCI/updates/updateRuns', 'location': draw(st.sampled_from(('West US', 'eastus'))),
               'systemData': {'createdBy': 'app'}, 'properties': properties}
    return current


@st.composite
def cases(draw):
    """(the run as ARM returns it, the task's options)."""
    current = draw(server_runs())
    properties, root = current['properties'], current['properties']['progress']
    params = {}
    if draw(BOOLEANS):
        params['location'] = draw(st.sampled_from((current['location'], current['location'].upper().replace(' ', ''))))
    for option, (arm, kind) in RUN_FIELDS.items():
        if draw(BOOLEANS):
            params[option] = draw(st.sampled_from(RUN_STATES)) if option == 'run_state' else draw_desired_value(draw, kind, properties.get(arm))
    if draw(BOOLEANS):
        params['progress'] = draw_desired_steps(draw, root, 4, root=True)
    return current, params


# ------------------------------------------------------------------ what must hold of a merged body (tests/update_run_oracle.py)

def merge_problems(current, params, body):
    """What is wrong with ``body`` as the PUT for ``params`` over ``current``; [] when nothing is."""
    problems = ['read-only %s sent' % key for key in READ_ONLY if key in body]
    if 'provisioningState' in body['properties']:
        problems.append('read-only properties.provisioningState sent')
    if body.get('location') != current['location']:  # every drawn location is the current one in another spelling
        problems.append('location %r rewritten as %r' % (current['location'], body.get('location')))
    return problems + properties_problems(current['properties'], params, body['properties'])


# ------------------------------------------------------------------ the properties

@settings(max_examples=EXAMPLES, deadline=None)
@given(cases())
def test_the_merged_body_keeps_what_the_task_does_not_name_and_sets_what_it_names(case):
    current, params = case
    body = merged_update_run(copy.deepcopy(current), desired_update_run(params))
    assert merge_problems(current, params, body) == []


@settings(max_examples=EXAMPLES, deadline=None)
@given(cases())
def test_after_the_merge_nothing_is_left_to_compare(case):
    current, params = case
    desired = desired_update_run(params)
    body = merged_update_run(current, desired)
    assert update_run_differences(desired, body) == []
    # A second run of the same task over the written run would send the same body: merging is idempotent.
    assert merged_update_run(dict(current, properties=dict(body['properties'], provisioningState='Succeeded')), desired) == body


@settings(max_examples=EXAMPLES, deadline=None)
@given(cases())
def test_a_write_is_needed_exactly_when_the_oracle_sees_a_difference(case):
    current, params = case
    differences = update_run_differences(desired_update_run(params), current)
    assert bool(differences) is differs(current['properties'], params), differences
    named = {path.split('.')[0] for path in differences}
    assert named <= set(params), (named, set(params))  # differences only ever name options the task set


@settings(max_examples=max(EXAMPLES // 2, 1), deadline=None)
@given(cases())
def test_check_mode_predicts_the_merged_body_as_arm_stores_it_with_the_servers_fields(case):
    current, params = case
    body = merged_update_run(current, desired_update_run(params))
    predicted = predicted_update_run(current, body, current['id'], 'u', 'r')
    assert {key: value for key, value in predicted.items() if key not in READ_ONLY} == dict(body, properties=predicted['properties'])
    assert {key: value for key, value in predicted['properties'].items() if key != 'provisioningState'} == stored_properties(body['properties'])
    assert (predicted['id'], predicted['name'], predicted['systemData']) == (current['id'], current['name'], current['systemData'])


@settings(max_examples=EXAMPLES, deadline=None)
@given(restatements())
def test_restating_the_servers_values_in_other_spellings_is_no_difference(case):
    current, params = case
    desired = desired_update_run(params)
    assert update_run_differences(desired, current) == []
    assert merged_update_run(current, desired)['properties']['progress'] == current['properties']['progress']  # server spelling kept


@settings(max_examples=EXAMPLES, deadline=None)
@given(restatements(), st.data())
def test_reordering_the_steps_of_one_level_alone_is_a_difference_and_keeps_their_subtrees(case, data):
    current, params = case
    levels = levels_with_siblings(params['progress'])
    assume(levels)  # a tree with something to reorder
    level = params['progress']
    for index in data.draw(st.sampled_from(levels), label='level'):
        level = level['steps'][index]
    order = data.draw(st.permutations(range(len(level['steps']))).filter(lambda order: list(order) != sorted(order)), label='order')
    level['steps'] = [level['steps'][index] for index in order]
    desired = desired_update_run(params)
    differences = update_run_differences(desired, current)
    assert differences and all(path.endswith('.steps') for path in differences), differences
    assert merge_problems(current, params, merged_update_run(current, desired)) == []
