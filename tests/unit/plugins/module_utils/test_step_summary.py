# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._step_summary import summarize_steps

from ...conftest import spec_example


def step(name, status, children=None, **fields):
    value = dict(name=name, status=status, **fields)
    if children is not None:
        value['steps'] = children
    return value


def run(progress, state=None):
    properties = {'progress': progress}
    if state:
        properties['state'] = state
    return {'properties': properties}


def test_the_spec_example_has_one_successful_leaf(example_update_run):
    summary = summarize_steps(example_update_run)
    assert summary == {'state': None, 'total_steps': 1, 'step_counts': {'Success': 1}, 'failed_steps': [],
                       'in_progress_steps': [], 'current_step': None}


def test_every_run_of_the_list_example_summarises():
    for item in spec_example('ListUpdateRuns')['responses']['200']['body']['value']:
        assert summarize_steps(item)['total_steps'] >= 1


def test_leaves_are_counted_by_status_case_insensitively():
    tree = step('root', 'InProgress', [
        step('a', 'Success', [step('a1', 'Success'), step('a2', 'success')]),
        step('b', 'InProgress', [step('b1', 'INPROGRESS'), step('b2', None)]),
        step('c', 'Skipped'),
    ])
    summary = summarize_steps(run(tree))
    assert summary['total_steps'] == 5
    assert summary['step_counts'] == {'Success': 2, 'InProgress': 1, 'Unknown status': 1, 'Skipped': 1}


def test_failed_steps_are_where_the_error_happened_not_where_it_bubbled():
    tree = step('root', 'Error', [
        step('Update Cloud', 'Error', [
            step('Update Host OS', 'Error', errorMessage='Node NODE02 failed to restart', description='OS update',
                 startTimeUtc='2024-01-01T00:00:00Z', endTimeUtc='2024-01-01T01:00:00Z'),
            step('Update Agents', 'Success'),
        ]),
        step('Post checks', 'Error', [], errorMessage='Health check failed'),
    ], errorMessage='bubbled')
    summary = summarize_steps(run(tree, state='Failed'))
    assert summary['state'] == 'Failed'
    assert summary['failed_steps'] == [
        {'path': ['root', 'Update Cloud', 'Update Host OS'], 'name': 'Update Host OS', 'error_message': 'Node NODE02 failed to restart',
         'description': 'OS update', 'start_time_utc': '2024-01-01T00:00:00Z', 'end_time_utc': '2024-01-01T01:00:00Z'},
        {'path': ['root', 'Post checks'], 'name': 'Post checks', 'error_message': 'Health check failed', 'description': None,
         'start_time_utc': None, 'end_time_utc': None},
    ]


def test_a_failed_parent_without_failed_children_is_reported_itself():
    summary = summarize_steps(run(step('root', 'Error', [step('a', 'Success')], errorMessage='root failed')))
    assert [failed['path'] for failed in summary['failed_steps']] == [['root']]


def test_the_current_step_is_the_deepest_in_progress():
    tree = step('root', 'InProgress', [
        step('shallow', 'InProgress'),
        step('deep', 'InProgress', [step('deeper', 'InProgress', [step('deepest', 'InProgress'), step('todo', 'Unknown status')])]),
    ])
    summary = summarize_steps(run(tree))
    assert [item['path'] for item in summary['in_progress_steps']] == [['root', 'shallow'], ['root', 'deep', 'deeper', 'deepest']]
    assert summary['current_step']['path'] == ['root', 'deep', 'deeper', 'deepest']
    assert summary['current_step']['name'] == 'deepest'


def test_a_run_without_progress_has_an_empty_summary():
    assert summarize_steps({'properties': {'state': 'Unknown'}}) == {
        'state': 'Unknown', 'total_steps': 0, 'step_counts': {}, 'failed_steps': [], 'in_progress_steps': [], 'current_step': None}
    assert summarize_steps(None)['total_steps'] == 0


def test_a_root_without_children_is_the_only_leaf():
    assert summarize_steps(run({'name': 'root', 'status': 'Success'}))['step_counts'] == {'Success': 1}


def test_a_deep_tree_summarises_without_recursion_trouble():
    tree = step('leaf', 'Error', errorMessage='deep')
    for level in range(200):
        tree = step('level%d' % level, 'Error', [tree])
    summary = summarize_steps(run(tree))
    assert len(summary['failed_steps']) == 1
    assert len(summary['failed_steps'][0]['path']) == 201


def test_the_run_state_is_spelled_as_the_spec_does_whoever_wrote_it():
    assert [summarize_steps(run(step('root', 'Error'), state))['state'] for state in ('failed', 'FAILED', 'inprogress', 'Paused')] == [
        'Failed', 'Failed', 'InProgress', 'Paused']


def test_names_and_statuses_of_other_types_are_read_as_text():
    tree = step('root', 'Error', [step(7, 'Error', errorMessage='boom'), step(None, {'code': 'x'})])
    summary = summarize_steps(run(tree, 'Failed'))
    assert [failed['path'] for failed in summary['failed_steps']] == [['root', '7']]
    assert summary['step_counts'] == {'Error': 1, "{'code': 'x'}": 1}
