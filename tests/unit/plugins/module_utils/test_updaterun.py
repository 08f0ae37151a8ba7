# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validation, comparison and merge of update runs, fed with the spec's example payloads."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import InvalidOption
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._updaterun import (
    desired_update_run,
    matched_steps,
    merged_update_run,
    predicted_update_run,
    settable_view,
    update_run_differences,
    writable_update_run,
)

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._step_summary import summarize_steps

from ...conftest import spec_example


def step(name, children=None, **fields):
    value = dict(name=name, **fields)
    if children is not None:
        value['steps'] = children
    return value


# ------------------------------------------------------------------ validation

def test_only_options_the_task_sets_are_desired():
    desired = desired_update_run({'location': None, 'run_state': 'Failed', 'duration': None, 'progress': None})
    assert desired == {'properties': {'state': 'Failed'}}


def test_options_are_renamed_to_arm_properties():
    desired = desired_update_run({
        'location': 'westus', 'run_state': 'Succeeded', 'time_started': '2024-01-01T00:00:00Z',
        'last_updated_time': '2024-01-01T01:00:00Z', 'duration': 'PT1H',
        'progress': {'name': 'root', 'error_message': '', 'start_time_utc': '2024-01-01T00:00:00Z',
                     'expected_execution_time': '01:00:00', 'steps': [{'name': 'a', 'last_updated_time_utc': '2024-01-01T00:30:00Z'}]},
    })
    assert desired == {
        'location': 'westus',
        'properties': {
            'state': 'Succeeded', 'timeStarted': '2024-01-01T00:00:00Z', 'lastUpdatedTime': '2024-01-01T01:00:00Z', 'duration': 'PT1H',
            'progress': {'name': 'root', 'errorMessage': '', 'startTimeUtc': '2024-01-01T00:00:00Z', 'expectedExecutionTime': '01:00:00',
                         'steps': [{'name': 'a', 'lastUpdatedTimeUtc': '2024-01-01T00:30:00Z'}]},
        },
    }


def test_run_state_is_one_of_the_spec_values():
    with pytest.raises(InvalidOption) as error:
        desired_update_run({'run_state': 'Paused'})
    assert error.value.option == 'run_state'


def deep(leaf):
    return {'progress': {'steps': [step('a', [step('b', [leaf])])]}}


@pytest.mark.parametrize('leaf, option, reason', [
    ({'name': 'c', 'status': 5}, 'progress.steps[0].steps[0].steps[0].status', 'expected a string'),
    ({'name': 'c', 'start_time_utc': 'soon'}, 'progress.steps[0].steps[0].steps[0].start_time_utc', 'not a date-time'),
    ({'name': 'c', 'colour': 'red'}, 'progress.steps[0].steps[0].steps[0]', "unsupported key(s) colour"),
    ({'status': 'Success'}, 'progress.steps[0].steps[0].steps[0].name', 'non-empty name'),
    ({'name': 'c', 'steps': 'none'}, 'progress.steps[0].steps[0].steps[0].steps', 'expected a list'),
    ('just a string', 'progress.steps[0].steps[0].steps[0]', 'expected a dictionary'),
    ({'name': 'c', 'steps': [{'name': 'd', 'end_time_utc': '2024-02-30T00:00:00Z'}]},
     'progress.steps[0].steps[0].steps[0].steps[0].end_time_utc', 'not a valid date-time'),
])
def test_every_nesting_level_is_validated(leaf, option, reason):
    with pytest.raises(InvalidOption) as error:
        desired_update_run(deep(leaf))
    assert error.value.option == option
    assert reason in str(error.value)


def test_sibling_step_names_must_be_unique():
    with pytest.raises(InvalidOption, match="step name 'a' appears more than once") as error:
        desired_update_run({'progress': {'steps': [step('a'), step('b'), step('a')]}})
    assert error.value.option == 'progress.steps'


def test_empty_location_is_rejected():
    with pytest.raises(InvalidOption, match='must not be empty'):
        desired_update_run({'location': '  '})


@pytest.mark.parametrize('spelling', ['2024-01-01 10:00:00Z', '2024-01-01T10:00:00,5Z', '2024-01-01T10:00:00+0530', '2024-01-01T10:00:00 Z'])
def test_a_date_time_arm_would_refuse_is_refused_before_any_request(spelling):
    """The comparison reads these spellings, but ARM refuses them in a body: the task must fail before its PUT."""
    with pytest.raises(InvalidOption, match='not an RFC 3339 date-time as ARM takes it') as error:
        desired_update_run({'progress': {'steps': [step('a', end_time_utc=spelling)]}})
    assert error.value.option == 'progress.steps[0].end_time_utc'


@pytest.mark.parametrize('spelling', ['2024-01-01T10:00:00Z', '2024-01-01t10:00:00.1234567890z', '2024-01-01T10:00:00.5-08:00'])
def test_rfc_3339_date_times_in_any_offset_and_precision_are_sent_as_written(spelling):
    assert desired_update_run({'time_started': spelling}) == {'properties': {'timeStarted': spelling}}


def test_empty_date_time_is_allowed_for_a_step_that_has_not_started():
    assert desired_update_run({'progress': {'start_time_utc': ''}}) == {'properties': {'progress': {'startTimeUtc': ''}}}


# ------------------------------------------------------------------ comparison

def test_the_example_equals_itself_respelled(example_update_run):
    desired = desired_update_run({
        'location': 'westus',
        'progress': {
            'name': 'Unnamed step', 'status': 'success', 'start_time_utc': '2022-04-06T01:36:33.3876751Z',
            'end_time_utc': '2022-04-06T13:58:42.9690060Z',
            'steps': [{'name': 'PreUpdate Cloud', 'end_time_utc': '2022-04-06T03:37:16.8728314+02:00', 'status': 'SUCCESS'}],
        },
    })
    assert update_run_differences(desired, example_update_run) == []


def test_server_filled_fields_never_drift(example_update_run):
    current = copy.deepcopy(example_update_run)
    current['properties']['provisioningState'] = 'Failed'
    current['systemData'] = {'createdBy': 'someone'}
    current['id'] = '/other'
    assert update_run_differences(desired_update_run({'progress': {'name': 'Unnamed step'}}), current) == []


def test_a_changed_field_is_reported_by_its_option_path(example_update_run):
    desired = desired_update_run({'run_state': 'Failed', 'progress': {'steps': [{'name': 'PreUpdate Cloud', 'status': 'Error'}]}})
    assert update_run_differences(desired, example_update_run) == ['run_state', 'progress.steps[PreUpdate Cloud].status']


def test_a_missing_resource_differs_in_everything_desired():
    desired = desired_update_run({'location': 'westus', 'duration': 'PT1H'})
    assert update_run_differences(desired, None) == ['location', 'duration']


def test_a_steps_list_is_complete_and_ordered():
    current = {'properties': {'progress': {'steps': [step('a'), step('b')]}}}
    assert update_run_differences(desired_update_run({'progress': {'steps': [{'name': 'a'}, {'name': 'b'}]}}), current) == []
    assert update_run_differences(desired_update_run({'progress': {'steps': [{'name': 'b'}, {'name': 'a'}]}}), current) == ['progress.steps']
    assert update_run_differences(desired_update_run({'progress': {'steps': [{'name': 'a'}]}}), current) == ['progress.steps']


def test_a_step_is_compared_recursively_by_name():
    current = {'properties': {'progress': {'steps': [step('a', [step('x', status='Success')]), step('b')]}}}
    desired = desired_update_run({'progress': {'steps': [{'name': 'a', 'steps': [{'name': 'x', 'status': 'Error'}]}, {'name': 'b'}]}})
    assert update_run_differences(desired, current) == ['progress.steps[a].steps[x].status']


def test_empty_text_equals_an_absent_field():
    current = {'properties': {'progress': {'name': 'root'}}}
    assert update_run_differences(desired_update_run({'progress': {'error_message': ''}}), current) == []


def test_a_server_value_that_is_not_a_date_time_compares_as_text():
    current = {'properties': {'timeStarted': 'garbage'}}
    assert update_run_differences(desired_update_run({'time_started': '2024-01-01T00:00:00Z'}), current) == ['time_started']


def test_duplicate_names_on_the_server_match_by_occurrence():
    pairs = matched_steps([step('a'), step('b')], [step('a', status='1'), step('a', status='2'), step('b')])
    assert [(wanted['name'], existing['status'] if existing and 'status' in existing else existing and existing['name']) for wanted, existing in pairs] == \
        [('a', '1'), ('b', 'b')]


# ------------------------------------------------------------------ merge

def test_merge_keeps_what_the_task_does_not_name(example_update_run):
    body = merged_update_run(example_update_run, desired_update_run({'run_state': 'Failed'}))
    assert body['properties']['state'] == 'Failed'
    assert body['properties']['progress'] == example_update_run['properties']['progress']
    assert body['location'] == 'West US'


def test_merge_drops_read_only_fields(example_update_run):
    example_update_run['systemData'] = {'createdBy': 'x'}
    example_update_run['properties']['provisioningState'] = 'Succeeded'
    body = merged_update_run(example_update_run, {})
    assert set(body) == {'location', 'properties'}
    assert 'provisioningState' not in body['properties']


def test_merge_keeps_unnamed_fields_of_a_named_step(example_update_run):
    desired = desired_update_run({'progress': {'steps': [{'name': 'PreUpdate Cloud', 'status': 'Error', 'error_message': 'boom'}]}})
    body = merged_update_run(example_update_run, desired)
    merged_step = body['properties']['progress']['steps'][0]
    original = example_update_run['properties']['progress']['steps'][0]
    assert merged_step == dict(original, status='Error', errorMessage='boom')


def test_merge_follows_the_task_list_order_and_removes_unlisted_steps():
    current = {'properties': {'progress': {'steps': [step('a', description='A'), step('b', description='B'), step('c')]}}}
    body = merged_update_run(current, desired_update_run({'progress': {'steps': [{'name': 'c'}, {'name': 'new', 'status': 'Unknown status'}, {'name': 'a'}]}}))
    assert body['properties']['progress']['steps'] == [step('c'), step('new', status='Unknown status'), step('a', description='A')]


def test_merge_keeps_the_servers_spelling_of_equal_values(example_update_run):
    desired = desired_update_run({'location': 'westus', 'progress': {'start_time_utc': '2022-04-06T01:36:33.3876751Z', 'status': 'SUCCESS'}})
    assert merged_update_run(example_update_run, desired) == writable_update_run(example_update_run)


def test_merge_into_nothing_is_the_desired_body():
    desired = desired_update_run({'location': 'westus', 'progress': {'name': 'root', 'steps': [{'name': 'a'}]}})
    assert merged_update_run(None, desired) == desired


def test_merge_does_not_modify_its_inputs(example_update_run):
    before = copy.deepcopy(example_update_run)
    desired = desired_update_run({'progress': {'steps': [{'name': 'PreUpdate Cloud', 'status': 'Error'}]}})
    merged_update_run(example_update_run, desired)
    assert example_update_run == before


def test_the_put_example_request_is_what_merging_the_example_into_nothing_sends():
    example = spec_example('PutUpdateRuns')
    request = example['parameters']['updateRunsProperties']
    progress = request['properties']['progress']
    desired = {'properties': {'progress': progress}}
    assert merged_update_run(None, desired) == request


# ------------------------------------------------------------------ prediction and view

def test_prediction_of_a_new_run_has_the_server_fields():
    predicted = predicted_update_run(None, {'properties': {'state': 'Succeeded'}}, '/subscriptions/s/x/updateRuns/r', 'u', 'r')
    assert predicted == {'id': '/subscriptions/s/x/updateRuns/r', 'name': 'u/r', 'type': 'Microsoft.AzureStackHCI/updates/updateRuns',
                         'properties': {'state': 'Succeeded', 'provisioningState': 'Succeeded'}}


def test_prediction_of_an_existing_run_keeps_its_identity(example_update_run):
    body = merged_update_run(example_update_run, desired_update_run({'run_state': 'Failed'}))
    predicted = predicted_update_run(example_update_run, body, 'ignored', 'u', 'r')
    assert predicted['id'] == example_update_run['id']
    assert predicted['name'] == example_update_run['name']
    assert predicted['properties']['state'] == 'Failed'


def test_prediction_writes_date_times_back_as_arm_does_and_drops_empty_ones():
    current = {'id': '/x', 'name': 'u/r', 'properties': {'timeStarted': '2024-11-20T01:36:33.3876751+00:00',
                                                         'progress': {'steps': [{'name': 'a', 'startTimeUtc': '2024-11-20T01:36:33.3876751+00:00'}]}}}
    desired = desired_update_run({'time_started': '2024-11-20T07:06:33.5+05:30', 'last_updated_time': '2024-11-20T02:00:00Z',
                                  'progress': {'steps': [{'name': 'a', 'start_time_utc': ''}, {'name': 'b', 'end_time_utc': '2024-11-20T02:00:00.25Z'}]}})
    predicted = predicted_update_run(current, merged_update_run(current, desired), '/x', 'u', 'r')
    properties = predicted['properties']
    assert properties['timeStarted'] == '2024-11-20T01:36:33.5000000+00:00'
    assert properties['lastUpdatedTime'] == '2024-11-20T02:00:00.0000000+00:00'
    assert properties['progress']['steps'] == [{'name': 'a'}, {'name': 'b', 'endTimeUtc': '2024-11-20T02:00:00.2500000+00:00'}]


def test_an_empty_date_time_is_left_out_of_the_put_body_at_every_level():
    current = {'id': '/x', 'properties': {'timeStarted': '2024-11-20T01:36:33.3876751+00:00', 'lastUpdatedTime': '',
                                          'progress': {'name': 'root', 'steps': [{'name': 'a', 'steps': [
                                              {'name': 'deep', 'startTimeUtc': '2024-11-20T01:36:33Z', 'endTimeUtc': ''}]}]}}}
    desired = desired_update_run({'time_started': '', 'progress': {'steps': [{'name': 'a', 'steps': [{'name': 'deep', 'start_time_utc': ''}]}]}})
    body = merged_update_run(current, desired)
    # Cleared where the task says so, and an empty value the server held is not echoed back either.
    assert body['properties'] == {'progress': {'name': 'root', 'steps': [{'name': 'a', 'steps': [{'name': 'deep'}]}]}}
    assert current['properties']['timeStarted'] and current['properties']['progress']['steps'][0]['steps'][0]['startTimeUtc']


def test_empty_date_times_of_sibling_steps_the_task_does_not_name_are_left_out_too():
    current = {'properties': {'progress': {'name': 'root', 'steps': [
        {'name': 'a', 'startTimeUtc': '', 'steps': [{'name': 'a1', 'endTimeUtc': ''}, {'name': 'a2', 'endTimeUtc': '2024-01-01T00:00:00Z'}]},
        {'name': 'b', 'startTimeUtc': '2024-01-01T00:00:00Z', 'endTimeUtc': None}]}}}
    body = merged_update_run(current, desired_update_run({'run_state': 'Failed'}))
    assert body['properties']['progress']['steps'] == [
        {'name': 'a', 'steps': [{'name': 'a1'}, {'name': 'a2', 'endTimeUtc': '2024-01-01T00:00:00Z'}]},
        {'name': 'b', 'startTimeUtc': '2024-01-01T00:00:00Z'}]


@pytest.mark.parametrize('steps', [5, True, 'text', [1, 'x', None]])
def test_a_malformed_step_list_from_the_server_is_merged_and_summarised_not_crashed_on(steps):
    current = {'properties': {'state': 'InProgress', 'progress': {'name': 'root', 'status': 'InProgress', 'steps': steps}}}
    body = merged_update_run(current, desired_update_run({'run_state': 'Failed'}))
    assert body['properties']['state'] == 'Failed' and body['properties']['progress']['steps'] == steps  # kept as the server holds it
    assert summarize_steps(current)['total_steps'] == 1  # the root, a leaf: nothing below it is a step
    assert update_run_differences(desired_update_run({'progress': {'steps': [{'name': 'x'}]}}), current) == ['progress.steps', 'progress.steps[x].name']


def test_a_run_whose_properties_are_null_is_merged_not_crashed_on():
    current = {'id': '/x', 'location': 'westus', 'properties': None}
    body = merged_update_run(current, desired_update_run({'run_state': 'Failed'}))
    assert body == {'location': 'westus', 'properties': {'state': 'Failed'}}


def test_the_settable_view_uses_option_names_and_no_server_metadata(example_update_run):
    example_update_run['systemData'] = {'createdBy': 'x'}
    view = settable_view(example_update_run)
    assert set(view) == {'location', 'progress'}
    assert view['progress']['steps'][0] == {
        'name': 'PreUpdate Cloud', 'description': 'Prepare for SSU update', 'error_message': '', 'status': 'Success',
        'start_time_utc': '2022-04-06T01:36:33.3876751+00:00', 'end_time_utc': '2022-04-06T01:37:16.8728314+00:00',
        'last_updated_time_utc': '2022-04-06T01:37:16.8728314+00:00', 'steps': [],
    }


def test_the_settable_view_of_nothing_is_empty():
    assert settable_view(None) == {}
