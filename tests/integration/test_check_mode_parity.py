# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode parity: --check reports what the real run then does.

One playbook of representative tasks (each on a run of its own) runs three times against one emulator state:
with --check (the harness asserts it sent no write), for real, and with --check again. For every task the first
check must report the same ``changed`` and ``differences`` as the real run (or fail the same way), and the check
after the real run must find nothing left to change.
"""

from __future__ import annotations

import collections

import pytest

from .conftest import PlaybookRunner, play, update_run_path

pytestmark = pytest.mark.xdist_group('check_mode_parity')  # one set of runs for the whole file under --dist loadgroup

UPDATE = 'Solution10.2408.1.9'
SEED = {
    'location': 'westus2',
    'properties': {
        'state': 'InProgress', 'timeStarted': '2026-01-10T08:00:00Z',
        'progress': {'name': 'Unnamed step', 'status': 'InProgress', 'steps': [
            {'name': 'Prepare', 'status': 'Success'},
            {'name': 'Install', 'status': 'InProgress', 'steps': [
                {'name': 'Node 1', 'status': 'InProgress', 'steps': [{'name': 'Drain', 'status': 'Success', 'description': 'drain'}]},
            ]},
        ]},
    },
}

# id: the task; seeded: whether its run exists before; args: the task's options; fails: a word of the failure, if it must fail.
Case = collections.namedtuple('Case', ['id', 'seeded', 'args', 'fails'])
CASES = [
    Case('create', False, dict(location='westus2', run_state='InProgress', progress={'name': 'Unnamed step', 'steps': [{'name': 'Prepare'}]}),
         None),
    Case('create without a location', False, dict(run_state='Unknown'), None),
    Case('change one field', True, dict(run_state='Failed'), None),
    Case('change a step four levels down', True,
         dict(progress={'steps': [{'name': 'Prepare'}, {'name': 'Install', 'steps': [{'name': 'Node 1', 'steps': [{'name': 'Drain', 'status': 'Error'}]}]}]}),
         None),
    Case('reorder steps', True, dict(progress={'steps': [{'name': 'Install'}, {'name': 'Prepare'}]}), None),
    Case('drop a step', True, dict(progress={'steps': [{'name': 'Install'}]}), None),
    Case('no-op in other spellings', True,
         dict(location='West US 2', run_state='InProgress', time_started='2026-01-10T09:30:00.000+01:30', progress={'status': 'inprogress'}), None),
    Case('no-op naming nothing', True, dict(), None),
    Case('date-times in other spellings, an empty one', True,
         dict(time_started='2026-01-10T10:30:00.25+01:30', last_updated_time='2026-01-10t09:15:00.123456789z',
              progress={'steps': [{'name': 'Prepare', 'start_time_utc': '2026-01-10T08:00:00Z', 'end_time_utc': ''}, {'name': 'Install'}]}),
         None),
    Case('absent on an existing run', True, dict(state='absent'), None),
    Case('absent on a missing run', False, dict(state='absent'), None),
    Case('a new location for an existing run', True, dict(location='eastus'), 'location'),
    Case('a missing update', False, dict(update_name='Solution99.0.0.0', run_state='Unknown'), "update 'Solution99.0.0.0' not found"),
]


@pytest.fixture(scope='module')
def runs(arm_emulator_session, tmp_path_factory):
    """The same playbook with --check, for real, and with --check again; results per task for each."""
    emulator = arm_emulator_session
    emulator.reset()
    cluster = next(cluster for cluster in emulator.clusters() if cluster['scenario'] == 'fresh')
    tasks = []
    for index, case in enumerate(CASES):
        name = 'parity-%d' % index
        if case.seeded:
            emulator.put_resource(update_run_path(cluster, UPDATE, name), SEED)
        args = dict(subscription_id=cluster['subscription_id'], resource_group=cluster['resource_group'], cluster_name=cluster['name'],
                    update_name=UPDATE, name=name)
        args.update(case.args)
        tasks.append({'name': case.id, 'hcifleet.azure_hci.azure_hci_updaterun': args, 'ignore_errors': True})
    runner = PlaybookRunner(emulator, tmp_path_factory.mktemp('check-mode-parity'))
    playbook = play(tasks)
    env = {'ANSIBLE_PIPELINING': '1'}
    outcomes = {}
    for label, args in (('check', ('--check', '--diff')), ('real', ('--diff',)), ('check again', ('--check',))):
        outcome = runner.run(playbook, *args, env=env)
        outcomes[label] = {case.id: outcome.result(case.id) for case in CASES}
    emulator.reset()
    return outcomes


@pytest.mark.parametrize('case', CASES, ids=[case.id for case in CASES])
def test_check_mode_reports_what_the_real_run_does(runs, case):
    checked, real = runs['check'][case.id], runs['real'][case.id]
    assert checked['failed'] is real['failed'], (checked.get('msg'), real.get('msg'))
    if case.fails:
        assert case.fails in checked['msg'] and case.fails in real['msg'], (checked['msg'], real['msg'])
        assert checked.get('error', {}).get('code') == real.get('error', {}).get('code')
        return
    assert checked['changed'] is real['changed']
    assert checked['differences'] == real['differences']
    assert _comparable(checked['diff']) == _comparable(real['diff'])
    if real['update_run']:
        assert (checked['update_run']['id'], checked['update_run']['name'], checked['update_run']['type']) == \
            (real['update_run']['id'], real['update_run']['name'], real['update_run']['type'])
        assert _step_names(checked['update_run']) == _step_names(real['update_run'])


@pytest.mark.parametrize('case', [case for case in CASES if not case.fails], ids=[case.id for case in CASES if not case.fails])
def test_after_the_real_run_check_mode_finds_nothing_to_change(runs, case):
    again = runs['check again'][case.id]
    assert again['failed'] is False, again.get('msg')
    assert again['changed'] is False and again['differences'] == []


def test_the_cases_cover_both_outcomes_of_check_mode(runs):
    changed = {case.id: runs['check'][case.id].get('changed') for case in CASES if not case.fails}
    assert any(changed.values()) and not all(changed.values()), changed


def _step_names(resource):
    """The step tree's names, nested: what a prediction and the real answer must agree on exactly."""
    def names(step):
        return [step.get('name'), [names(child) for child in step.get('steps') or []]]
    return names((resource.get('properties') or {}).get('progress') or {})


def _comparable(diff):
    """A diff as both modes must agree on it. The location is left out: a prediction keeps the task's spelling
    ('westus2') and cannot know the cluster's region that ARM gives a run created without one."""
    return {side: {key: value for key, value in diff[side].items() if key != 'location'} for side in ('before', 'after')}
