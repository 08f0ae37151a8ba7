# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Direct execution against a module process: the same arguments give the same result, HTTP faked at the session."""

from __future__ import annotations

import datetime
import logging

import pytest

from ansible.errors import AnsibleActionFail
from ansible_collections.hcifleet.azure_hci.plugins.modules import azure_hci_updaterun
from ansible_collections.hcifleet.azure_hci.plugins.plugin_utils import _direct_execution

from ..modules import test_azure_hci_updaterun as module_tests
from ..modules.test_azure_hci_updaterun import BASE_ARGS, Reply, example_run, run_module

arm = module_tests.arm  # the fake ARM at the HTTP session, shared with the module's own tests

NAME = 'hcifleet.azure_hci.azure_hci_updaterun'


def run_directly(args, check_mode=False, diff=False):
    return _direct_execution.run_module(azure_hci_updaterun, NAME, dict(BASE_ARGS, **args), check_mode=check_mode, diff_mode=diff)


CASES = [
    pytest.param({'location': 'westus', 'run_state': 'InProgress'}, None, False, id='create'),
    pytest.param({'location': 'West US', 'progress': {'status': 'success'}}, 'example', False, id='no-op'),
    pytest.param({'run_state': 'Failed'}, 'example', True, id='check mode and diff'),
    pytest.param({'colour': 'blue'}, 'example', False, id='unknown option'),
    pytest.param({'progress': {'steps': [{'steps': [{'name': 'x', 'status': ['a', 'list']}]}]}}, 'example', False, id='wrong type deep down'),
    pytest.param({'location': 'eastus'}, 'example', False, id='invalid change'),
    pytest.param({'state': 'absent', 'run_state': 'Failed'}, 'example', False, id='conflicting options'),
    pytest.param({'state': 'absent'}, 'example', False, id='delete'),
]


@pytest.mark.parametrize('args, stored, check_mode', CASES)
def test_the_same_result_and_requests_as_a_module_process(arm, capsys, args, stored, check_mode):
    arm.stored = example_run() if stored else None
    expected = run_module(dict(args, _ansible_module_name=NAME), check_mode=check_mode, diff=check_mode, capsys=capsys)
    expected_requests, arm.sent = arm.sent, []

    arm.stored = example_run() if stored else None
    result = run_directly(args, check_mode=check_mode, diff=check_mode)
    # Whether a module process returns its arguments depends on the ansible-core version (INJECT_INVOCATION since 2.20).
    result.pop('invocation')
    expected.pop('invocation', None)
    assert result == expected
    assert arm.sent == expected_requests


def test_invalid_arguments_fail_before_any_request(arm):
    unknown = run_directly({'colour': 'blue'})
    assert unknown['failed'] is True
    assert unknown['msg'].startswith('Unsupported parameters for (%s) module: colour.' % NAME)
    wrong_type = run_directly({'progress': 'not a dict'})
    assert wrong_type['failed'] is True and wrong_type['msg'].startswith("argument 'progress' is of type")
    assert arm.sent == []


def test_no_log_values_are_masked_wherever_they_appear(arm):
    echoed = Reply(400, {'error': {'code': 'BadRequest', 'message': 'client s3cret-value is not welcome'}})
    arm.request = lambda *args, **kwargs: echoed
    result = run_directly({})
    assert result['failed'] is True and result['error']['code'] == 'BadRequest'
    assert 's3cret-value' not in repr(result)
    assert result['invocation']['module_args']['secret'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


def test_the_arguments_are_returned_only_when_asked_for_and_masked(arm):
    arm.stored = example_run()
    assert 'invocation' not in _direct_execution.run_module(azure_hci_updaterun, NAME, dict(BASE_ARGS), inject_invocation=False)
    invocation = run_directly({})['invocation']['module_args']
    assert invocation['secret'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER' and invocation['cluster_name'] == 'testcluster'


def test_a_bug_fails_the_task_with_a_message_not_a_bare_traceback(arm, monkeypatch):
    def broken(azure):
        raise KeyError('properties')
    monkeypatch.setattr(azure_hci_updaterun, 'run', broken)
    result = run_directly({})
    assert result['failed'] is True
    assert result['msg'] == "%s failed unexpectedly: KeyError: 'properties'" % NAME
    assert 'Traceback' in result['exception']


def test_missing_libraries_are_named(monkeypatch):
    monkeypatch.setattr(_direct_execution, 'HAS_REQUESTS', False)
    monkeypatch.setattr(_direct_execution.importlib.util, 'find_spec', lambda name: None)
    assert _direct_execution.libraries_missing() == ['requests', 'azure-identity']


def test_arguments_reach_the_module_as_plain_json_values():
    started = datetime.datetime(2026, 2, 1, 8, tzinfo=datetime.timezone.utc)
    args = _direct_execution.through_json({'time_started': started, 'progress': {'steps': ({'name': 'a'},)}})
    assert args == {'time_started': '2026-02-01T08:00:00+00:00', 'progress': {'steps': [{'name': 'a'}]}}


def test_results_have_the_types_a_module_process_returns(arm):
    run = example_run()
    step = run['properties']['progress']
    while step.get('steps'):
        step = step['steps'][0]
    step['status'] = 3  # ARM's data is not ours to trust: a number where a status belongs
    arm.stored = run
    result = run_directly({})
    assert result['summary']['step_counts'] == {'3': 1}


def test_library_log_records_stay_out_of_ansibles_log(arm, monkeypatch, caplog):
    def noisy(azure):
        logging.getLogger('azure.identity._internal.get_token_mixin').warning('ClientSecretCredential.get_token failed: body')
        logging.getLogger('urllib3.connectionpool').warning('Retrying')
        return dict(changed=False)
    monkeypatch.setattr(azure_hci_updaterun, 'run', noisy)
    with caplog.at_level(logging.INFO):
        assert run_directly({})['changed'] is False
        logging.getLogger('azure').warning('after the task')
    assert [record.getMessage() for record in caplog.records] == ['after the task']


class Stub:
    def __init__(self, **attributes):
        self.__dict__.update(attributes)


def action(connection='local', become=False, async_val=0, environment=None):
    plugin = object.__new__(_direct_execution.DirectExecutionAction)
    plugin._task = Stub(async_val=async_val, environment=environment if environment is not None else [])
    plugin._connection = Stub(_load_name=connection, transport='local')  # transport: what a subclass of local inherits
    plugin._play_context = Stub(become=become)
    plugin._templar = Stub(template=lambda value: value)
    return plugin


@pytest.mark.parametrize('plugin, task_vars, reason', [
    pytest.param(action(), {}, None, id='local'),
    pytest.param(action(connection='ansible.builtin.local'), {}, None, id='local by its full name'),
    pytest.param(action(environment=[{}, None]), {}, None, id='empty environments'),
    pytest.param(action(), {'azure_hci_direct_execution': 'no'}, 'azure_hci_direct_execution is false', id='switched off'),
    pytest.param(action(connection='community.docker.docker'), {}, 'the connection is community.docker.docker, not local', id='other connection'),
    pytest.param(action(become=True), {}, 'become is on (task, block, play or inventory)', id='become'),
    pytest.param(action(async_val=60), {}, 'the task uses async', id='async'),
    pytest.param(action(environment=[{'AZURE_SUBSCRIPTION_ID': 'x'}]), {}, 'environment is set (task, block or play)', id='environment'),
    pytest.param(action(environment=['{{ proxy_env }}']), {}, 'environment is set (task, block or play)', id='templated environment'),
])
def test_when_a_task_runs_as_a_module_process(monkeypatch, plugin, task_vars, reason):
    monkeypatch.setattr(_direct_execution, 'libraries_missing', lambda: [])
    assert plugin.module_process_reason(task_vars) == reason


def test_a_controller_without_the_libraries_runs_module_processes(monkeypatch):
    monkeypatch.setattr(_direct_execution, 'libraries_missing', lambda: ['azure-identity'])
    assert action().module_process_reason({}) == "azure-identity not importable in Ansible's Python"


def test_a_switch_that_is_not_a_boolean_is_an_error():
    with pytest.raises(AnsibleActionFail, match="azure_hci_direct_execution must be a boolean, got 'sometimes'"):
        action().module_process_reason({'azure_hci_direct_execution': 'sometimes'})


def test_deprecated_options_are_reported_as_a_module_process_reports_them(arm):
    class Retiring:
        """A module whose option has a deprecated alias, as a future version of ours may have."""
        ARGUMENT_SPEC = dict(azure_hci_updaterun.ARGUMENT_SPEC,
                             name=dict(type='str', required=True, aliases=['update_run_name'],
                                       deprecated_aliases=[dict(name='update_run_name', version='2.0.0', collection_name='hcifleet.azure_hci')]))

        @staticmethod
        def run(azure):
            return dict(changed=False, name=azure.params['name'])

    args = dict(BASE_ARGS)
    args['update_run_name'] = args.pop('name')
    result = _direct_execution.run_module(Retiring, NAME, args)
    assert result['name'] == BASE_ARGS['name']
    assert result['deprecations'] == [{'msg': "Alias 'update_run_name' is deprecated. See the module docs for more information",
                                       'version': '2.0.0', 'collection_name': 'hcifleet.azure_hci'}]
