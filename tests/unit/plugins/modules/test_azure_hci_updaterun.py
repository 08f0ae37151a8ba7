# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module's main() with HTTP faked at the session boundary and a fake credential."""

from __future__ import annotations

import contextlib
import copy
import json
from collections import namedtuple

import pytest
from requests.structures import CaseInsensitiveDict

from ansible.module_utils import basic
from ansible_collections.hcifleet.azure_hci.plugins.module_utils import _connection
from ansible_collections.hcifleet.azure_hci.plugins.modules import azure_hci_updaterun

from ...conftest import spec_example

SUBSCRIPTION = 'b8d594e5-51f3-4c11-9c54-a7771b81c712'
RUN_URL = ('https://management.azure.com/subscriptions/%s/resourceGroups/testrg/providers/Microsoft.AzureStackHCI/clusters/testcluster'
           '/updates/Microsoft4.2203.2.32/updateRuns/23b779ba-0d52-4a80-8571-45ca74664ec3?api-version=2024-04-01' % SUBSCRIPTION)
BASE_ARGS = dict(subscription_id=SUBSCRIPTION, resource_group='testrg', cluster_name='testcluster', update_name='Microsoft4.2203.2.32',
                 name='23b779ba-0d52-4a80-8571-45ca74664ec3', client_id='app', secret='s3cret-value', tenant='tenant', max_retries=0)


@contextlib.contextmanager
def module_args(args):
    try:
        from ansible.module_utils.testing import patch_module_args  # ansible-core 2.19+
    except ImportError:  # ansible-core 2.16 - 2.18
        @contextlib.contextmanager
        def patch_module_args(values):
            old = basic._ANSIBLE_ARGS
            basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': values}).encode()
            try:
                yield
            finally:
                basic._ANSIBLE_ARGS = old
    with patch_module_args(args):
        yield


class Reply:
    def __init__(self, status=200, body=None, headers=None):
        self.status_code = status
        self.headers = CaseInsensitiveDict(headers or {'x-ms-request-id': 'rid-%d' % status})
        self.content = json.dumps(body).encode() if body is not None else b''
        self.reason = 'reason'


class FakeArm:
    """Plays ARM for one update run: GET returns the stored run or 404; PUT stores the body."""

    verify = True

    def __init__(self, stored=None):
        self.stored = copy.deepcopy(stored)
        self.sent = []
        self.headers = {}

    def request(self, method, url, data=None, headers=None, timeout=None, verify=None, allow_redirects=True):
        self.sent.append((method, url, json.loads(data) if data else None))
        if method == 'GET' and url == RUN_URL:
            if self.stored is None:
                return Reply(404, {'error': {'code': 'ResourceNotFound', 'message': 'not found'}})
            return Reply(200, self.stored)
        if method == 'PUT' and url == RUN_URL:
            self.stored = dict(json.loads(data), id='/id', name='n', type='t')
            return Reply(200, self.stored)
        if method == 'DELETE' and url == RUN_URL:
            self.stored = None
            return Reply(200)
        return Reply(404, {'error': {'code': 'ParentResourceNotFound', 'message': 'parent'}})


Token = namedtuple('Token', ['token', 'expires_on'])


class FakeCredential:
    def get_token(self, scope):
        return Token('fake-token', 4_102_444_800)


@pytest.fixture
def arm(monkeypatch):
    fake = FakeArm()
    monkeypatch.setattr(_connection, 'new_session', lambda ca_path=None: fake)
    monkeypatch.setattr(_connection, 'credential_from_plan', lambda *args, **kwargs: FakeCredential())
    return fake


def run_module(args, check_mode=False, diff=False, capsys=None):
    args = dict(BASE_ARGS, **args)
    if check_mode:
        args['_ansible_check_mode'] = True
    if diff:
        args['_ansible_diff'] = True
    with module_args(args):
        with pytest.raises(SystemExit):
            azure_hci_updaterun.main()
    return json.loads(capsys.readouterr().out)


def example_run():
    return spec_example('GetUpdateRuns')['responses']['200']['body']


def test_creates_a_missing_run_with_one_get_and_one_put(arm, capsys):
    result = run_module({'location': 'westus', 'run_state': 'InProgress'}, capsys=capsys)
    assert result['changed'] is True
    assert [(method, body) for method, _url, body in arm.sent] == [('GET', None), ('PUT', {'location': 'westus', 'properties': {'state': 'InProgress'}})]
    assert result['update_run']['properties']['state'] == 'InProgress'


def test_an_unchanged_run_makes_one_get_and_no_put(arm, capsys):
    arm.stored = example_run()
    result = run_module({'location': 'West US', 'progress': {'status': 'success'}}, capsys=capsys)
    assert result['changed'] is False
    assert [method for method, _url, _body in arm.sent] == ['GET']
    assert result['update_run'] == example_run()
    assert result['summary']['step_counts'] == {'Success': 1}


def test_check_mode_predicts_without_writing(arm, capsys):
    arm.stored = example_run()
    result = run_module({'run_state': 'Failed'}, check_mode=True, diff=True, capsys=capsys)
    assert result['changed'] is True
    assert [method for method, _url, _body in arm.sent] == ['GET']
    assert result['update_run']['properties']['state'] == 'Failed'
    assert result['update_run']['id'] == example_run()['id']
    assert result['diff']['before'].get('run_state') is None and result['diff']['after']['run_state'] == 'Failed'
    assert 'systemData' not in json.dumps(result['diff'])


def test_a_different_location_for_an_existing_run_fails_before_any_write(arm, capsys):
    arm.stored = example_run()
    result = run_module({'location': 'eastus'}, capsys=capsys)
    assert result['failed'] is True
    assert result['option'] == 'location'
    assert "exists in 'West US'" in result['msg']
    assert [method for method, _url, _body in arm.sent] == ['GET']


def test_invalid_deep_input_fails_before_any_request(arm, capsys):
    result = run_module({'progress': {'steps': [{'name': 'a', 'steps': [{'name': 'b', 'end_time_utc': 'later'}]}]}}, capsys=capsys)
    assert result['failed'] is True
    assert result['option'] == 'progress.steps[0].steps[0].end_time_utc'
    assert arm.sent == []


def test_absent_with_properties_is_a_conflict(arm, capsys):
    result = run_module({'state': 'absent', 'run_state': 'Failed'}, capsys=capsys)
    assert result['failed'] is True
    assert 'state=absent' in result['msg'] and result['option'] == 'run_state'
    assert arm.sent == []


def test_absent_deletes_an_existing_run_once(arm, capsys):
    arm.stored = example_run()
    first = run_module({'state': 'absent'}, capsys=capsys)
    second = run_module({'state': 'absent'}, capsys=capsys)
    assert (first['changed'], second['changed']) == (True, False)
    assert [method for method, _url, _body in arm.sent] == ['GET', 'DELETE', 'GET']


def test_a_missing_cluster_is_named(arm, capsys):
    arm_url = RUN_URL.replace('testcluster', 'nocluster')
    result = run_module({'cluster_name': 'nocluster'}, capsys=capsys)
    assert result['failed'] is True
    assert result['msg'].startswith("GET %s failed: HTTP 404 ParentResourceNotFound: cluster 'nocluster' not found in resource group 'testrg'"
                                    % arm_url.split('?', maxsplit=1)[0])
    assert result['error']['code'] == 'ParentResourceNotFound'


def test_the_secret_never_appears_in_the_result(arm, capsys):
    arm.stored = example_run()
    result = run_module({'run_state': 'Failed'}, diff=True, capsys=capsys)
    assert 's3cret-value' not in json.dumps(result)
    assert 'fake-token' not in json.dumps(result)


@pytest.mark.parametrize('progress, option, words', [
    ('just text', 'progress', 'unable to convert to dict'),
    ([1, 2], 'progress', 'unable to convert to dict'),
    ({'colour': 'red'}, 'progress', 'unsupported key(s) colour'),
    ({'status': 5}, 'progress.status', 'expected a string, got an integer'),
    ({'steps': {'name': 'a'}}, 'progress.steps', 'expected a list of steps'),
])
def test_the_root_step_is_validated_like_every_other_step(arm, capsys, progress, option, words):
    result = run_module({'progress': progress}, capsys=capsys)
    assert result['failed'] is True
    assert option in result['msg'] and words in result['msg']
    assert arm.sent == []


def test_a_negative_operation_timeout_fails_before_the_delete(arm, capsys):
    arm.stored = example_run()
    result = run_module({'state': 'absent', 'operation_timeout': -1}, capsys=capsys)
    assert result['failed'] is True
    assert result['option'] == 'operation_timeout'
    assert arm.sent == []
