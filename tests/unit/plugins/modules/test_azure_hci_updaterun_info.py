# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""azure_hci_updaterun_info: options it can judge alone are judged before any request."""

from __future__ import annotations

import pytest

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import InvalidOption
from ansible_collections.hcifleet.azure_hci.plugins.modules import azure_hci_updaterun_info

PARAMS = dict(subscription_id='b8d594e5-51f3-4c11-9c54-a7771b81c712', resource_group='rg', cluster_name='c1', update_name=None, name=None,
              api_version='2024-04-01', wait=True, wait_timeout=60.0, wait_interval=5.0)


class WithoutClient:
    """An AzureModule stand-in whose client must never be asked for."""

    def __init__(self, params):
        self.params = params

    def client(self):
        raise AssertionError('a request was about to be made')


@pytest.mark.parametrize('option, value, words', [
    ('wait_timeout', -1.0, 'must be 0 to 604800 seconds'), ('wait_timeout', float('nan'), 'must be 0 to 604800 seconds'),
    ('wait_timeout', float('inf'), 'must be 0 to 604800 seconds (a week), got inf'),
    ('wait_interval', 0.0, 'must be 1 to 86400 seconds'), ('wait_interval', 0.5, 'must be 1 to 86400 seconds'),
    ('wait_interval', float('nan'), 'must be 1 to 86400 seconds'), ('wait_interval', 1e300, 'must be 1 to 86400 seconds, got 1e+300'),
])
def test_a_wait_out_of_range_or_not_a_number_fails_before_any_request(option, value, words):
    with pytest.raises(InvalidOption) as error:
        azure_hci_updaterun_info.run(WithoutClient(dict(PARAMS, **{option: value})))
    assert error.value.option == option
    assert words in str(error.value)


def described_run(update_name, name, state):
    return azure_hci_updaterun_info.described({'id': '/x/updates/%s/updateRuns/%s' % (update_name, name), 'name': '%s/%s' % (update_name, name),
                                               'properties': {'state': state}})


class Clock:
    def __init__(self):
        self.now = 1000.0

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def reads(*answers):
    """A reader giving each answer in turn (an exception is raised), the last one from then on."""
    pending = list(answers)

    def read():
        answer = pending.pop(0) if len(pending) > 1 else pending[0]
        if isinstance(answer, Exception):
            raise answer
        return answer
    return read


def test_a_wait_that_runs_out_of_time_fails_with_the_runs_as_last_read():
    read = reads([described_run('u', 'b', 'Unknown'), described_run('u', 'a', 'InProgress')],
                 [described_run('u', 'b', 'InProgress'), described_run('u', 'a', 'Succeeded')])
    clock = Clock()
    with pytest.raises(azure_hci_updaterun_info.ArmError) as error:
        azure_hci_updaterun_info.wait_for_terminal(read, timeout=25, interval=10, sleep=clock.sleep, clock=clock.time)
    assert error.value.code == 'WaitTimeout'
    assert str(error.value).startswith('WaitTimeout: gave up waiting after 25 seconds (wait_timeout=25): u/b is InProgress')
    assert 'u/a' not in str(error.value) and 'failed' not in str(error.value)
    result = error.value.result
    assert [(item['name'], item['summary']['state']) for item in result['update_runs']] == [('a', 'Succeeded'), ('b', 'InProgress')]
    # Polls at 0, 10 and 20 seconds, and a last one at the deadline.
    assert (result['polls'], result['waited']) == (4, 25.0)


def test_an_interval_longer_than_the_timeout_still_polls_at_the_deadline():
    read = reads([described_run('u', 'a', 'InProgress')], [described_run('u', 'a', 'Succeeded')])
    clock = Clock()
    items, polls, waited = azure_hci_updaterun_info.wait_for_terminal(read, timeout=10, interval=30, sleep=clock.sleep, clock=clock.time)
    assert ([item['summary']['state'] for item in items], polls, waited) == (['Succeeded'], 2, 10.0)


def test_polls_are_a_second_apart_at_the_least_even_just_before_the_deadline():
    read = reads([described_run('u', 'a', 'InProgress')])
    clock = Clock()
    with pytest.raises(azure_hci_updaterun_info.ArmError) as error:
        azure_hci_updaterun_info.wait_for_terminal(read, timeout=10.2, interval=5, sleep=clock.sleep, clock=clock.time)
    assert error.value.result['polls'] == 4 and error.value.result['waited'] == 11.0  # 0, 5, 10, then 11 rather than 10.2


def test_a_zero_timeout_reads_once():
    read = reads([described_run('u', 'a', 'InProgress')])
    clock = Clock()
    with pytest.raises(azure_hci_updaterun_info.ArmError) as error:
        azure_hci_updaterun_info.wait_for_terminal(read, timeout=0, interval=30, sleep=clock.sleep, clock=clock.time)
    assert (error.value.result['polls'], clock.now) == (1, 1000.0)


def test_a_run_name_without_its_update_fails_before_any_request():
    with pytest.raises(InvalidOption) as error:
        azure_hci_updaterun_info.run(WithoutClient(dict(PARAMS, name='run-1')))
    assert error.value.option == 'name'


def test_a_throttled_first_read_does_not_end_the_wait():
    read = reads(azure_hci_updaterun_info.ArmError('throttled', status=429, code='TooManyRequests'),
                 [described_run('u', 'a', 'InProgress')], [described_run('u', 'a', 'Succeeded')])
    clock = Clock()
    items, polls, waited = azure_hci_updaterun_info.wait_for_terminal(read, timeout=60, interval=10, sleep=clock.sleep, clock=clock.time)
    assert ([item['summary']['state'] for item in items], polls, waited) == (['Succeeded'], 3, 20.0)


def test_a_wait_that_never_read_once_fails_with_the_reason():
    read = reads(azure_hci_updaterun_info.ArmError('unavailable', status=503, code='ServiceUnavailable'))
    clock = Clock()
    with pytest.raises(azure_hci_updaterun_info.ArmError) as error:
        azure_hci_updaterun_info.wait_for_terminal(read, timeout=25, interval=10, sleep=clock.sleep, clock=clock.time)
    assert (error.value.code, error.value.result) == ('ServiceUnavailable', None)


def test_a_refused_read_ends_the_wait_at_once():
    read = reads(azure_hci_updaterun_info.ArmError('no', status=403, code='AuthorizationFailed'))
    clock = Clock()
    with pytest.raises(azure_hci_updaterun_info.ArmError, match='no'):
        azure_hci_updaterun_info.wait_for_terminal(read, timeout=600, interval=10, sleep=clock.sleep, clock=clock.time)
    assert clock.now == 1000.0


def test_a_wait_whose_latest_poll_failed_says_its_states_are_as_last_read():
    read = reads([described_run('u', 'a', 'InProgress')], azure_hci_updaterun_info.ArmError('busy', status=503, code='ServiceUnavailable'))
    clock = Clock()
    with pytest.raises(azure_hci_updaterun_info.ArmError) as error:
        azure_hci_updaterun_info.wait_for_terminal(read, timeout=25, interval=10, sleep=clock.sleep, clock=clock.time)
    assert 'as last read: u/a is InProgress at no step in progress (the latest poll failed: HTTP 503 ServiceUnavailable: busy)' in str(error.value)
    assert [item['summary']['state'] for item in error.value.result['update_runs']] == ['InProgress']


@pytest.mark.parametrize('run, words', [
    ({'properties': ['state', 'Failed']}, 'properties is not an object (list)'),
    ({'properties': {'progress': 'done'}}, 'properties.progress is not an object (str)'),
    ({'name': 7, 'properties': {}}, 'name is not a string (int)'),
])
def test_an_update_run_of_the_wrong_shape_is_a_malformed_answer(run, words):
    with pytest.raises(azure_hci_updaterun_info.ArmError) as error:
        azure_hci_updaterun_info.checked_update_run(run, 'GET', 'https://arm.test/x')
    assert error.value.code == 'MalformedResponse' and words in str(error.value)


def test_an_update_run_of_the_spec_types_passes_as_it_is():
    run = {'id': '/x', 'name': 'u/r', 'location': 'westus', 'properties': {'state': 'Failed', 'progress': {'steps': 'odd'}}}
    assert azure_hci_updaterun_info.checked_update_run(run) is run
    assert azure_hci_updaterun_info.checked_update_run(None) is None


def test_a_token_that_could_not_be_issued_for_a_passing_reason_does_not_end_the_wait():
    from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import AuthenticationFailed

    read = reads([described_run('u', 'a', 'InProgress')], AuthenticationFailed('authentication failed (sp): HTTP Error: 503', passing=True),
                 [described_run('u', 'a', 'Succeeded')])
    clock = Clock()
    items, polls, _waited = azure_hci_updaterun_info.wait_for_terminal(read, timeout=60, interval=10, sleep=clock.sleep, clock=clock.time)
    assert ([item['summary']['state'] for item in items], polls) == (['Succeeded'], 3)


def test_a_refused_credential_ends_the_wait_at_once():
    from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import AuthenticationFailed

    read = reads([described_run('u', 'a', 'InProgress')], AuthenticationFailed('authentication failed (sp): AADSTS7000215: Invalid client secret'))
    clock = Clock()
    with pytest.raises(AuthenticationFailed, match='AADSTS7000215'):
        azure_hci_updaterun_info.wait_for_terminal(read, timeout=600, interval=10, sleep=clock.sleep, clock=clock.time)
    assert clock.now == 1010.0
