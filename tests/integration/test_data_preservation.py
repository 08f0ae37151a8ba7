# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Data preservation, end to end: a task changes exactly what it names and nothing else on the server.

Hypothesis draws random update runs (nested step trees with unique names per level, random statuses, texts and
date-times in many spellings) and random partial tasks over them: a random subset of the run's fields, and a random
sub-selection of the step tree, where some levels give ``steps`` as the complete ordered list (dropping, reordering
and adding steps) and some steps name only some of their fields. Each drawn example seeds ``EXAMPLES`` runs into
the emulator, runs ONE playbook with one task per run, and checks every run against tests/update_run_oracle.py, written
independently of the collection's module_utils: date-times compare by instant, statuses case-insensitively,
location as ARM does, and everything not named must come back byte for byte.

HCIFLEET_PRESERVATION_RUNS (playbooks, default 3) and HCIFLEET_PRESERVATION_EXAMPLES (tasks per playbook, default 10)
make it longer.
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ansible_collections.hcifleet.azure_hci.tests.update_run_oracle import (
    RUN_FIELDS,
    STEP_FIELDS,
    TICKS_PER_SECOND,
    civil_date,
    differs,
    instant,
    properties_problems,
)

from .conftest import play, update_run_path

RUNS = int(os.environ.get('HCIFLEET_PRESERVATION_RUNS', '3'))
EXAMPLES = int(os.environ.get('HCIFLEET_PRESERVATION_EXAMPLES', '10'))
UPDATE = 'Solution10.2408.1.9'

RUN_STATES = ('Unknown', 'Succeeded', 'InProgress', 'Failed')
STATUSES = ('Success', 'Error', 'InProgress', 'Unknown status', 'Skipped')
STEP_NAMES = ('Prepare', 'Install', 'Verify', 'Node 1', 'Node 2', 'Clean up', 'Ünïcode step', 'step/with/slash', 'Step 9')
REGIONS = {'westus2': 'West US 2', 'eastus': 'East US', 'westeurope': 'West Europe', 'southeastasia': 'Southeast Asia'}

# ------------------------------------------------------------------ values

# No '{' or '}': Ansible would template them. No surrogates or control characters: not text a task carries.
TEXT = st.text(st.characters(blacklist_categories=('Cs', 'Cc'), blacklist_characters='{}'), max_size=12)
EPOCH_2020, EPOCH_2030 = 1577836800, 1893456000


@st.composite
def instants(draw):
    """An instant in 100 ns ticks since 1970, whole seconds half of the time (they have more spellings)."""
    seconds = draw(st.integers(EPOCH_2020, EPOCH_2030))
    fraction = draw(st.one_of(st.just(0), st.integers(0, TICKS_PER_SECOND - 1)))
    return seconds * TICKS_PER_SECOND + fraction


@st.composite
def spellings(draw, ticks):
    """An RFC 3339 spelling of ``ticks``: any UTC offset, 'Z' or '+00:00', 0 to 9 fractional digits as the value allows."""
    seconds, fraction = divmod(ticks, TICKS_PER_SECOND)
    offset = draw(st.sampled_from((None, 0, 330, -480, 60, 840, -150)))
    local = seconds + (offset or 0) * 60
    days, rest = divmod(local, 86400)
    date = civil_date(days)
    text = '%s%s%02d:%02d:%02d' % (date, draw(st.sampled_from('Tt')), rest // 3600, rest % 3600 // 60, rest % 60)
    digits = draw(st.integers(0, 9)) if fraction == 0 else draw(st.integers(7, 9))
    if digits:
        # Digits past the 7th are below a tick: both ARM and the module drop them.
        text += '.' + ('%07d' % fraction + ''.join(draw(st.sampled_from('0123456789')) for _extra in range(digits - 7)))[:digits].ljust(digits, '0')
    if offset is None:
        text += draw(st.sampled_from(('Z', 'z')))
    else:
        text += '%s%02d:%02d' % ('-' if offset < 0 else '+', abs(offset) // 60, abs(offset) % 60)
    return text


def date_times():
    return instants().flatmap(spellings)


def statuses():
    return st.sampled_from(STATUSES)


def server_value(kind):
    return {'text': TEXT, 'enum': statuses(), 'datetime': date_times()}[kind]


def desired_value(kind, current):
    """A value for a field a task names: equal in meaning to ``current`` in another spelling, or anything else."""
    if kind == 'text':
        return st.one_of(st.just(current or ''), TEXT)
    if kind == 'enum':
        same = st.just(current).map(lambda value: ''.join(ch.upper() if i % 2 else ch.lower() for i, ch in enumerate(value))) \
            if current else statuses()
        return st.one_of(same, statuses(), st.sampled_from(('Paused', 'success ')))
    same = spellings(instant(current)) if current else date_times()
    return st.one_of(same, date_times(), st.just(''))


# ------------------------------------------------------------------ server trees and partial tasks

# Hypothesis has no weights, and its first (simplest) example takes the first choice everywhere: that example names
# every field, with values equal in meaning to the server's (so it expects no change at all).
OFTEN = st.sampled_from((True, True, True, False))
NAMED = st.sampled_from((True, False))


def server_steps(depth, min_size=0):
    """A list of steps with unique names, ``depth`` levels deep at most (None: the key is absent)."""
    def one(name):
        fields = st.fixed_dictionaries({}, optional={arm: server_value(kind) for option, (arm, kind) in STEP_FIELDS.items() if option != 'name'})
        children = server_steps(depth - 1) if depth > 1 else st.just(None)
        return st.tuples(fields, children).map(lambda pair: dict(pair[0], name=name, **({'steps': pair[1]} if pair[1] is not None else {})))
    names = st.lists(st.sampled_from(STEP_NAMES), unique=True, min_size=min_size, max_size=3)
    steps = names.flatmap(lambda chosen: st.tuples(*[one(name) for name in chosen]).map(list))
    return steps if min_size else OFTEN.flatmap(lambda present: steps if present else st.none())


@st.composite
def server_runs(draw):
    """An update run as seeded: location, some run fields and a progress tree up to 4 levels below the root."""
    properties = draw(st.fixed_dictionaries({'state': st.sampled_from(RUN_STATES)},
                                            optional={'timeStarted': date_times(), 'lastUpdatedTime': date_times(), 'duration': TEXT}))
    root = draw(st.fixed_dictionaries({}, optional={arm: server_value(kind) for arm, kind in STEP_FIELDS.values()}))
    root['steps'] = draw(server_steps(4, min_size=1))
    properties['progress'] = root
    return {'location': draw(st.sampled_from(sorted(REGIONS))), 'properties': properties}


@st.composite
def desired_steps(draw, existing, depth, root=False):
    """Task options for one step: some of its fields, and maybe its complete ordered list of child steps."""
    desired = {} if root else {'name': existing['name']}
    for option, (arm, kind) in STEP_FIELDS.items():
        if (root or option != 'name') and draw(NAMED):
            desired[option] = draw(desired_value(kind, existing.get(arm)))
    if depth and draw(OFTEN):
        present = existing.get('steps') or []
        # Hypothesis leans to small integers: count the dropped steps, so that most draws keep most steps.
        kept = draw(st.permutations(present).flatmap(lambda order: st.integers(0, len(order)).map(lambda dropped: order[dropped:])))
        taken = {step['name'] for step in kept}
        added = draw(st.lists(st.sampled_from([name for name in STEP_NAMES if name not in taken]), unique=True, max_size=2))
        listed = list(kept)
        for name in added:  # a new step: nothing on the server but its name in the task
            listed.insert(draw(st.integers(0, len(listed))), {'name': name})
        desired['steps'] = [draw(desired_steps(step, depth - 1)) for step in listed]
    return desired


@st.composite
def cases(draw):
    """(what the server holds, what the task names)."""
    server = draw(server_runs())
    properties = server['properties']
    task = {}
    if draw(NAMED):
        short = server['location']
        task['location'] = draw(st.sampled_from((short, REGIONS[short], REGIONS[short].upper(), REGIONS[short].lower(), short.title())))
    for option, (arm, kind) in RUN_FIELDS.items():
        if draw(NAMED):
            task[option] = draw(st.sampled_from(RUN_STATES) if option == 'run_state' else desired_value(kind, properties.get(arm)))
    if draw(OFTEN):
        task['progress'] = draw(desired_steps(properties.get('progress') or {}, 5, root=True))
    return server, task


# ------------------------------------------------------------------ what must hold on the server (tests/update_run_oracle.py)

def preservation_problems(before, task, after):
    """Everything the task did not name is unchanged; everything it named is as asked. [] when all is well."""
    problems = []
    if after is None:
        return ['the update run is gone']
    for key in ('id', 'name', 'type', 'location'):
        if after.get(key) != before.get(key):
            problems.append('%s: was %r, is now %r' % (key, before.get(key), after.get(key)))
    if 'location' in task and re.sub(r'\s', '', task['location']).lower() != re.sub(r'\s', '', after['location']).lower():
        problems.append('location: asked for %r, got %r' % (task['location'], after['location']))
    created = {key: value for key, value in before['systemData'].items() if key.startswith('created')}
    if {key: value for key, value in after['systemData'].items() if key.startswith('created')} != created:
        problems.append('systemData.created*: changed')
    problems += properties_problems(before['properties'], task, after['properties'])
    return problems


# ------------------------------------------------------------------ the test

@settings(max_examples=RUNS, deadline=None, database=None, phases=(Phase.explicit, Phase.generate),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.large_base_example])
@given(data=st.data())
def test_a_partial_task_changes_exactly_what_it_names_and_nothing_else(ansible, data):
    emulator = ansible.emulator
    emulator.reset()
    # The simplest example (hypothesis' first) is one case; most other draws are a full playbook of EXAMPLES cases.
    count = data.draw(st.sampled_from((1,) + (EXAMPLES,) * 7), label='cases in this playbook')
    drawn = data.draw(st.lists(cases(), min_size=count, max_size=count), label='cases (server, task)')
    cluster = next(cluster for cluster in emulator.clusters() if cluster['scenario'] == 'fresh')
    tasks, seeded = [], []
    for index, (server, task) in enumerate(drawn):
        resource_id = update_run_path(cluster, UPDATE, 'dp-%d' % index)
        seeded.append(emulator.put_resource(resource_id, server))
        args = dict(subscription_id=cluster['subscription_id'], resource_group=cluster['resource_group'], cluster_name=cluster['name'],
                    update_name=UPDATE, name='dp-%d' % index, **task)
        tasks.append({'name': 'example %d' % index, 'hcifleet.azure_hci.azure_hci_updaterun': args, 'ignore_errors': True})
    outcome = ansible.run(play(tasks), env={'ANSIBLE_PIPELINING': '1'})
    failures = []
    for index, ((_server, task), before) in enumerate(zip(drawn, seeded)):
        result = outcome.result('example %d' % index)
        after = emulator.get_resource(before['id'])
        if result['failed']:
            failures.append('example %d failed: %s\n  task: %r' % (index, result.get('msg'), task))
            continue
        problems = preservation_problems(before, task, after)
        expected = differs(before['properties'], task)
        if result['changed'] is not expected:
            problems.append('changed is %s, but the task %s' % (result['changed'], 'asks for a change' if expected else 'changes nothing'))
        if problems:
            failures.append('example %d:\n  %s\n  task: %r\n  before: %r' % (index, '\n  '.join(problems), task, before['properties']))
    assert not failures, '\n'.join(failures)
