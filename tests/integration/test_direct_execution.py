# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Direct execution: on the controller the modules run in Ansible's Python, with the results of a module process.

Every other integration test runs with the default (direct execution on
``connection: local``); these tests pin down that it is really used, that it
returns exactly what a module process returns for the same tasks, and that the
tasks it cannot run directly still run as module processes.
"""

from __future__ import annotations

import datetime
import json
import os
import re

from .conftest import arm_writes, assert_no_secrets, play
from .test_updaterun_module import NEW_RUN, UPDATE, fresh_cluster

MODULE = 'hcifleet.azure_hci.azure_hci_updaterun'
INFO = 'hcifleet.azure_hci.azure_hci_updaterun_info'
TOKEN = 'hcifleet.azure_hci.azure_hci_token'
GIVEN_TOKEN = 'given.access-token.value'


def scenario(cluster, run):
    """Tasks that touch every path of a module: create, no-op, check/diff, bad input, ARM error, read, delete."""
    where = dict(subscription_id=cluster['subscription_id'], resource_group=cluster['resource_group'], cluster_name=cluster['name'],
                 update_name=UPDATE, name=run)
    bad_step = dict(name='Unnamed step', steps=[dict(name='Update Cloud', steps=[dict(name='Deep', status=['not', 'a', 'string'])])])
    tasks = [
        ('create', {MODULE: dict(where, **NEW_RUN)}, {}),
        ('no-op', {MODULE: dict(where, **NEW_RUN)}, {}),
        ('check and diff', {MODULE: dict(where, run_state='Succeeded')}, dict(check_mode=True, diff=True)),
        ('unknown option', {MODULE: dict(where, colour='blue')}, {}),
        ('wrong type three levels down', {MODULE: dict(where, progress=bad_step)}, {}),
        ('unquoted YAML date-time', {MODULE: dict(where, time_started=datetime.datetime(2026, 2, 1, 8, tzinfo=datetime.timezone.utc))}, {}),
        ('alias and option both set', {MODULE: dict(where, update_run_name=run)}, {}),
        ('missing cluster', {MODULE: dict(where, cluster_name='hci-nowhere')}, {}),
        ('secret given as an option', {MODULE: dict(where, secret='{{ lookup("env", "AZURE_SECRET") }}', auth_source='env')}, {}),
        ('read', {INFO: dict(where)}, {}),
        # A token given to the token module (as module_defaults for the group would) is not what it returns.
        ('token', {TOKEN: dict(access_token=GIVEN_TOKEN)}, {}),
        ('a new token was returned', {'ansible.builtin.assert': dict(that=[
            "outcome.access_token is match('^eyJ')", 'outcome.expires_on > 0', "outcome.access_token != '%s'" % GIVEN_TOKEN])}, {}),
        ('delete', {MODULE: dict(where, state='absent')}, {}),
        ('delete again', {MODULE: dict(where, state='absent')}, {}),
    ]
    return [dict(name=name, register='outcome', ignore_errors=True, **dict(action, **keywords)) for name, action, keywords in tasks]


VOLATILE = ('createdAt', 'lastModifiedAt', 'request_id', 'correlation_id')


def comparable(result, run):
    """A task result without what differs between two runs of the same task: the run's name, times, request ids."""
    text = re.sub(r'(request id|correlation id) [0-9a-f-]{36}', r'\1 *', json.dumps(result).replace(run, 'RUN'))
    return _scrub(json.loads(text))


def _scrub(value):
    if isinstance(value, dict):
        return {key: '*' if key in VOLATILE else _scrub(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    return value


def test_direct_execution_returns_what_a_module_process_returns(ansible):
    emulator = ansible.emulator
    cluster = fresh_cluster(emulator)
    hosts_vars = dict(ansible_python_interpreter='{{ ansible_playbook_python }}')
    outcomes = {}
    for direct in (True, False):
        run = 'parity-%s' % ('direct' if direct else 'process')
        mark = emulator.last_request_seq()
        outcome = ansible.run(play(scenario(cluster, run), vars=dict(hosts_vars, azure_hci_direct_execution=direct)))
        assert outcome.returncode == 0, outcome
        assert 'Both option name and its alias update_run_name are set' in outcome.output
        outcomes[direct] = ([(entry['task'], comparable(entry['result'], run)) for entry in outcome.results],
                            [(entry['method'], entry['status'], re.sub('[0-9a-f-]{36}$', '*', entry['path'].replace(run, 'RUN')))
                             for entry in emulator.requests(kind='arm', since=mark)])
    direct_results, direct_requests = outcomes[True]
    process_results, process_requests = outcomes[False]
    assert [task for task, _result in direct_results] == [task for task, _result in process_results]
    for (task, direct_result), (_task, process_result) in zip(direct_results, process_results):
        assert direct_result == process_result, task
    assert direct_requests == process_requests

    results = dict(direct_results)
    assert results['create']['changed'] is True and results['no-op']['changed'] is False
    assert results['check and diff']['changed'] is True and results['check and diff']['diff']['after']['run_state'] == 'Succeeded'
    assert results['unknown option']['msg'].startswith('Unsupported parameters for (%s) module: colour.' % MODULE)
    assert 'progress' in results['wrong type three levels down']['msg'] and results['wrong type three levels down']['failed']
    assert results['alias and option both set']['changed'] is False
    assert results['unquoted YAML date-time']['changed'] is False  # NEW_RUN's start, read from a YAML timestamp
    assert 'hci-nowhere' in results['missing cluster']['msg'] and results['missing cluster']['error']['code']
    assert emulator.client_secret not in json.dumps(results['secret given as an option'])
    invocation = results['secret given as an option'].get('invocation')  # returned unless INJECT_INVOCATION is off (2.20+)
    assert invocation is None or invocation['module_args']['secret'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert results['token']['censored'].startswith('the output has been hidden') and results['token']['failed'] is False
    assert set(results['token']) == {'censored', 'changed', 'failed'}
    assert results['a new token was returned']['failed'] is False
    assert results['read']['update_runs'][0]['name'] == 'RUN'
    assert results['delete']['changed'] is True and results['delete again']['changed'] is False


def kept_payloads(tmp_path):
    """The AnsiballZ payloads of the collection's modules that ANSIBLE_KEEP_REMOTE_FILES left behind."""
    found = []
    for root, _dirs, files in os.walk(str(tmp_path / 'kept')):
        found += [name for name in files if name.startswith('AnsiballZ_azure_hci_')]
    return sorted(found)


def test_local_tasks_run_directly_and_the_variable_turns_it_off(ansible, tmp_path):
    cluster = fresh_cluster(ansible.emulator)
    where = dict(subscription_id=cluster['subscription_id'], resource_group=cluster['resource_group'], cluster_name=cluster['name'],
                 update_name=UPDATE, name='run-where')
    keep = {'ANSIBLE_KEEP_REMOTE_FILES': '1', 'ANSIBLE_REMOTE_TEMP': str(tmp_path / 'kept')}
    tasks = [{'name': 'write', MODULE: dict(where, **NEW_RUN)}, {'name': 'read', INFO: dict(where)}, {'name': 'token', TOKEN: {}}]

    direct = ansible.run(play(tasks), '-vvvv', env=keep)
    assert direct.returncode == 0, direct
    assert kept_payloads(tmp_path) == []
    assert "%s runs in the controller's Python" % MODULE in direct.output

    process = ansible.run(play(tasks, vars=dict(azure_hci_direct_execution=False)), '-vvvv', env=keep)
    assert process.returncode == 0, process
    assert kept_payloads(tmp_path) == ['AnsiballZ_azure_hci_token.py', 'AnsiballZ_azure_hci_updaterun.py', 'AnsiballZ_azure_hci_updaterun_info.py']
    assert '%s runs as a module process: azure_hci_direct_execution is false' % MODULE in process.output
    assert process.result('write')['changed'] is False and process.result('read')['update_runs'][0]['name'] == 'run-where'


def test_on_the_controller_no_module_depends_on_the_hosts_interpreter(ansible):
    """A cluster host whose discovered or configured interpreter cannot run: the shared token and the reads still work."""
    cluster = fresh_cluster(ansible.emulator)
    where = dict(subscription_id=cluster['subscription_id'], resource_group=cluster['resource_group'], cluster_name=cluster['name'])
    tasks = [{'name': 'token', TOKEN: {}, 'register': 'arm'},
             {'name': 'read', INFO: dict(where, access_token='{{ arm.access_token }}')}]
    mark = ansible.emulator.last_request_seq()
    outcome = ansible.run(play(tasks, vars=dict(ansible_python_interpreter='/nonexistent/bin/python')))
    assert outcome.returncode == 0, outcome
    assert outcome.result('read')['update_runs'] == []
    assert len([entry for entry in ansible.emulator.requests(kind='identity', since=mark) if entry['path'].endswith('/token')]) == 1


def test_the_token_module_refuses_async_whose_result_would_bypass_its_hiding(ansible):
    outcome = ansible.run(play([{'name': 'token', TOKEN: {}, 'async': 30, 'poll': 1, 'ignore_errors': True}]), '-vvv')
    result = outcome.result('token')
    assert result['failed'] is True and 'async' in result['msg'], result
    assert_no_secrets(ansible.emulator, outcome.output)


def test_environment_and_async_tasks_run_as_module_processes_and_work(ansible, tmp_path):
    cluster = fresh_cluster(ansible.emulator)
    where = dict(resource_group=cluster['resource_group'], cluster_name=cluster['name'], update_name=UPDATE, name='run-env')
    keep = {'ANSIBLE_KEEP_REMOTE_FILES': '1', 'ANSIBLE_REMOTE_TEMP': str(tmp_path / 'kept')}
    tasks = [
        # No subscription_id anywhere but the task's environment: only a module process sees it.
        {'name': 'with environment', MODULE: dict(where, **NEW_RUN), 'environment': {'AZURE_SUBSCRIPTION_ID': cluster['subscription_id']},
         'register': 'written'},
        {'name': 'async', INFO: dict(where, subscription_id=cluster['subscription_id']), 'async': 60, 'poll': 1, 'register': 'read'},
    ]
    mark = ansible.emulator.last_request_seq()
    outcome = ansible.run(play(tasks), '-vvvv', env=dict(keep, AZURE_SUBSCRIPTION_ID=''))
    assert outcome.returncode == 0, outcome
    assert outcome.result('with environment')['changed'] is True
    assert outcome.result('async')['update_runs'][0]['name'] == 'run-env'
    assert 'runs as a module process: environment is set (task, block or play)' in outcome.output
    assert 'runs as a module process: the task uses async' in outcome.output
    assert [entry['method'] for entry in arm_writes(ansible.emulator, since=mark)] == ['PUT']


def test_a_switch_that_is_not_a_boolean_fails_before_any_request(ansible):
    cluster = fresh_cluster(ansible.emulator)
    where = dict(resource_group=cluster['resource_group'], cluster_name=cluster['name'], update_name=UPDATE, name='run-x',
                 subscription_id=cluster['subscription_id'])
    mark = ansible.emulator.last_request_seq()
    outcome = ansible.run(play([{'name': 'write', MODULE: dict(where, **NEW_RUN)}], vars=dict(azure_hci_direct_execution='sometimes')))
    assert outcome.returncode != 0
    assert "azure_hci_direct_execution must be a boolean, got 'sometimes'" in outcome.output
    assert ansible.emulator.requests(kind='arm', since=mark) == []


def test_a_failed_authentication_leaves_nothing_of_azure_identity_in_ansibles_log(ansible, tmp_path):
    """In the worker, Ansible's log_path handler sits on the root logger; azure-identity's records must not reach it."""
    cluster = fresh_cluster(ansible.emulator)
    where = dict(subscription_id=cluster['subscription_id'], resource_group=cluster['resource_group'], cluster_name=cluster['name'],
                 update_name=UPDATE, name='run-log')
    log_path = tmp_path / 'ansible.log'
    outcome = ansible.run(play([{'name': 'write', MODULE: dict(where, **NEW_RUN)}]), '-vvvv',
                          env={'ANSIBLE_LOG_PATH': str(log_path), 'AZURE_SECRET': 'not-the-secret-value'})
    assert outcome.returncode != 0
    assert 'AADSTS7000215' in outcome.result('write')['msg']
    log = log_path.read_text(encoding='utf-8')
    assert "runs in the controller's Python" in log  # the log is Ansible's own, and direct execution was used
    assert 'get_token failed' not in log and 'Content:' not in log
    assert 'not-the-secret-value' not in log
    assert_no_secrets(ansible.emulator, log)


def test_a_task_delegated_to_localhost_runs_directly_whatever_the_hosts_connection(ansible, tmp_path):
    cluster = fresh_cluster(ansible.emulator)
    where = dict(subscription_id=cluster['subscription_id'], resource_group=cluster['resource_group'], cluster_name=cluster['name'],
                 update_name=UPDATE, name='run-delegated')
    inventory = tmp_path / 'hosts.yml'
    # A host reached over SSH that does not exist: only the delegation to localhost lets the task run at all.
    inventory.write_text('all:\n  hosts:\n    jump-host:\n      ansible_connection: ssh\n      ansible_host: 192.0.2.1\n', encoding='utf-8')
    tasks = [{'name': 'write', MODULE: dict(where, **NEW_RUN), 'delegate_to': 'localhost', 'register': 'written'}]
    outcome = ansible.run(play(tasks, hosts='jump-host'), '-vvvv', inventory=str(inventory))
    assert outcome.returncode == 0, outcome
    assert outcome.result('write')['changed'] is True
    assert "%s runs in the controller's Python" % MODULE in outcome.output
