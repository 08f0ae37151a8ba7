# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input: every invalid task fails with a message naming the option, before any request to ARM.

The whole corpus runs as one playbook (one task per case, ``ignore_errors: true``); each test then reads
its own task's result. The request log of that run must hold no ARM request and no token request at all.
"""

from __future__ import annotations

import collections

import pytest

from .conftest import PlaybookRunner, play

pytestmark = pytest.mark.xdist_group('bad_input')  # one playbook for the whole file under --dist loadgroup

UPDATE = 'Solution10.2408.1.9'
UPDATERUN = 'hcifleet.azure_hci.azure_hci_updaterun'
INFO = 'hcifleet.azure_hci.azure_hci_updaterun_info'
TOKEN = 'hcifleet.azure_hci.azure_hci_token'

# id: the task name; module: which module runs it; args: merged over a valid task; names: what the message must name.
Case = collections.namedtuple('Case', ['id', 'module', 'args', 'names'])


def deep(levels, leaf):
    """A progress tree ``levels`` steps deep whose deepest step is ``leaf``."""
    step = leaf
    for depth in range(levels - 1, 0, -1):
        step = {'name': 'level-%d' % depth, 'steps': [step]}
    return {'name': 'root', 'steps': [step]}


def steps_path(levels):
    return 'progress' + '.steps[0]' * levels


METADATA_PATH = '/metadata/endpoints?api-version=2022-09-01'

CASES = [
    # ---------------------------------------------------------------- wrong types, at every nesting level
    Case('progress is a string', UPDATERUN, dict(progress='just text'), ['progress']),
    Case('progress is a list of numbers', UPDATERUN, dict(progress=[1, 2]), ['progress']),
    Case('progress field is a number', UPDATERUN, dict(progress={'status': 5}), ['progress.status']),
    Case('progress steps is a dictionary', UPDATERUN, dict(progress={'steps': {'name': 'a'}}), ['progress.steps']),
    Case('progress steps is a number', UPDATERUN, dict(progress={'steps': 7}), ['progress.steps']),
    Case('a step is a string', UPDATERUN, dict(progress={'steps': ['text']}), ['progress.steps[0]']),
    Case('a step name is a number', UPDATERUN, dict(progress={'steps': [{'name': 5}]}), ['progress.steps[0].name']),
    Case('steps of a step is a string', UPDATERUN, dict(progress=deep(1, {'name': 'a', 'steps': 'none'})), [steps_path(1) + '.steps']),
    Case('a step of a step is a list', UPDATERUN, dict(progress=deep(2, [1])), [steps_path(2)]),
    Case('a status two levels deep is a boolean', UPDATERUN, dict(progress=deep(2, {'name': 'b', 'status': True})), [steps_path(2) + '.status']),
    Case('a description four levels deep is a dictionary', UPDATERUN, dict(progress=deep(4, {'name': 'd', 'description': {'a': 1}})),
         [steps_path(4) + '.description']),
    Case('steps five levels deep is a number', UPDATERUN, dict(progress=deep(5, {'name': 'e', 'steps': 3})), [steps_path(5) + '.steps']),
    Case('request_timeout is text', UPDATERUN, dict(request_timeout='soon'), ['request_timeout']),
    Case('max_retries is text', UPDATERUN, dict(max_retries='many'), ['max_retries']),
    Case('operation_timeout is text', UPDATERUN, dict(operation_timeout='forever'), ['operation_timeout']),
    Case('wait is not a boolean', INFO, dict(wait='perhaps'), ['wait']),
    # ---------------------------------------------------------------- unknown keys
    Case('unknown top-level option', UPDATERUN, dict(colour='red'), ['colour']),
    Case('unknown option of the info module', INFO, dict(update_run_state='Failed'), ['update_run_state']),
    Case('unknown key in progress', UPDATERUN, dict(progress={'name': 'root', 'colour': 'red'}), ['progress', 'colour']),
    Case('unknown key in a step', UPDATERUN, dict(progress={'steps': [{'name': 'a', 'colour': 'red'}]}), ['progress.steps[0]', 'colour']),
    Case('ARM spelling instead of the option three levels deep', UPDATERUN,
         dict(progress=deep(3, {'name': 'c', 'startTimeUtc': '2024-01-01T00:00:00Z'})), [steps_path(3), 'startTimeUtc']),
    # ---------------------------------------------------------------- invalid enum values
    Case('run_state outside the spec', UPDATERUN, dict(run_state='Paused'), ['run_state']),
    Case('state neither present nor absent', UPDATERUN, dict(state='gone'), ['state']),
    Case('auth_source unknown', UPDATERUN, dict(auth_source='magic'), ['auth_source']),
    Case('auth_source unknown for the token module', TOKEN, dict(auth_source='kerberos'), ['auth_source']),
    # ---------------------------------------------------------------- malformed date-times, at each level
    Case('time_started is not a date', UPDATERUN, dict(time_started='yesterday'), ['time_started']),
    Case('last_updated_time has month 13', UPDATERUN, dict(last_updated_time='2024-13-01T00:00:00Z'),
         ['last_updated_time', 'month must be in 1..12']),
    Case('time_started is before year 1 in UTC', UPDATERUN, dict(time_started='0001-01-01T00:30:00+01:00'),
         ['time_started', 'outside the range ARM takes']),
    Case('a step time with an offset beyond 14 hours', UPDATERUN, dict(progress={'steps': [{'name': 'a', 'end_time_utc': '2024-01-01T00:00:00+15:00'}]}),
         ['progress.steps[0].end_time_utc', 'beyond 14 hours']),
    Case('progress start is February 30', UPDATERUN, dict(progress={'start_time_utc': '2024-02-30T00:00:00Z'}), ['progress.start_time_utc']),
    Case('a step ends at hour 25', UPDATERUN, dict(progress={'steps': [{'name': 'a', 'end_time_utc': '2024-01-01T25:00:00Z'}]}),
         ['progress.steps[0].end_time_utc']),
    Case('a sub-step has an offset of 25 hours', UPDATERUN,
         dict(progress=deep(2, {'name': 'b', 'last_updated_time_utc': '2024-01-01T00:00:00+25:00'})), [steps_path(2) + '.last_updated_time_utc']),
    Case('a date four levels deep is prose', UPDATERUN, dict(progress=deep(4, {'name': 'd', 'start_time_utc': '1 Jan 2024'})),
         [steps_path(4) + '.start_time_utc']),
    # Spellings the comparison could read but ARM refuses in a body (400 InvalidRequestContent after a GET).
    Case('a date-time without an offset', UPDATERUN, dict(time_started='2024-05-01T10:00:00'), ['time_started']),
    Case('a date-time with a space for the T', UPDATERUN, dict(progress={'steps': [{'name': 'a', 'start_time_utc': '2024-05-01 10:00:00Z'}]}),
         ['progress.steps[0].start_time_utc']),
    Case('a date-time with a decimal comma', UPDATERUN, dict(last_updated_time='2024-05-01T10:00:00,5Z'), ['last_updated_time']),
    Case('an offset without its colon three levels deep', UPDATERUN,
         dict(progress=deep(3, {'name': 'c', 'end_time_utc': '2024-05-01T10:00:00+0530'})), [steps_path(3) + '.end_time_utc']),
    # ---------------------------------------------------------------- names and ids
    Case('resource_group of 91 characters', UPDATERUN, dict(resource_group='r' * 91), ['resource_group']),
    Case('resource_group is empty', UPDATERUN, dict(resource_group=''), ['resource_group']),
    Case('resource_group with a hash', INFO, dict(resource_group='rg#1'), ['resource_group']),
    Case('name of 261 characters', UPDATERUN, dict(name='n' * 261), ['name']),
    Case('name is empty', UPDATERUN, dict(name=''), ['name']),
    Case('name with a slash', UPDATERUN, dict(name='run/1'), ['name']),
    Case('update_name with a question mark', UPDATERUN, dict(update_name='Solution?1'), ['update_name']),
    Case('cluster_name with a hash', UPDATERUN, dict(cluster_name='hci#1'), ['cluster_name']),
    Case('cluster_name is blank for the info module', INFO, dict(cluster_name='  '), ['cluster_name']),
    Case('subscription_id is not a GUID', UPDATERUN, dict(subscription_id='not-a-guid'), ['subscription_id']),
    Case('subscription_id is empty for the info module', INFO, dict(subscription_id=''), ['subscription_id']),
    Case('api_version is not a date', UPDATERUN, dict(api_version='latest'), ['api_version']),
    Case('a step without a name', UPDATERUN, dict(progress={'steps': [{'status': 'Success'}]}), ['progress.steps[0].name']),
    Case('two sibling steps share a name', UPDATERUN, dict(progress=deep(1, {'name': 'a', 'steps': [{'name': 'x'}, {'name': 'x'}]})),
         [steps_path(1) + '.steps', "'x'"]),
    # ---------------------------------------------------------------- conflicting options
    Case('absent with a run_state', UPDATERUN, dict(state='absent', run_state='Failed'), ['run_state', 'state=absent']),
    Case('absent with a progress tree', UPDATERUN, dict(state='absent', progress={'status': 'Error'}), ['progress', 'state=absent']),
    Case('a secret and a certificate', UPDATERUN, dict(client_certificate_path='/nonexistent/app.pem'), ['secret', 'client_certificate_path']),
    Case('name without update_name in the info module', INFO, dict(name='run-1'), ['name', 'update_name']),
    # ---------------------------------------------------------------- missing credentials
    Case('auth_source env without a client id', UPDATERUN, dict(auth_source='env', client_id=''), ['client_id']),
    Case('auth_source env without a secret', UPDATERUN, dict(auth_source='env', secret=''), ['secret']),
    Case('auth_source env without a tenant', UPDATERUN, dict(auth_source='env', tenant=''), ['tenant']),
    Case('a secret without a client id', INFO, dict(client_id=''), ['client_id', 'secret is set']),
    Case('workload identity without a token file', TOKEN, dict(auth_source='workload_identity'), ['federated_token_file']),
    Case('workload identity with a missing token file', UPDATERUN,
         dict(auth_source='workload_identity', federated_token_file='/nonexistent/token'), ['federated_token_file']),
    Case('a certificate file that does not exist', UPDATERUN, dict(secret='', client_certificate_path='/nonexistent/app.pem'),
         ['client_certificate_path']),
    # ---------------------------------------------------------------- clouds and endpoints
    Case('an unreachable metadata URL', UPDATERUN, dict(cloud_environment='https://127.0.0.1:1' + METADATA_PATH, max_retries=0),
         ['cloud_environment']),
    Case('an unknown cloud name', UPDATERUN, dict(cloud_environment='AzureMarsCloud'), ['cloud_environment']),
    Case('a metadata URL over plain http', UPDATERUN, dict(cloud_environment='http://127.0.0.1:1' + METADATA_PATH), ['cloud_environment']),
    Case('a metadata URL without a host', UPDATERUN, dict(cloud_environment='https://'), ['cloud_environment']),
    Case('a metadata URL that does not parse', INFO, dict(cloud_environment='https://[::1' + METADATA_PATH), ['cloud_environment']),
    Case('a metadata URL with a space in the host', TOKEN, dict(cloud_environment='https://arm lab.test' + METADATA_PATH, max_retries=0),
         ['cloud_environment']),
    Case('an authority host over plain http', UPDATERUN, dict(authority_host='http://login.lab.test'), ['authority_host']),
    Case('a CA bundle that does not exist', UPDATERUN, dict(ca_path='/nonexistent/hcifleet-ca.pem'), ['ca_path']),
    # ---------------------------------------------------------------- negative or useless numbers
    Case('a negative request_timeout', UPDATERUN, dict(request_timeout=-1), ['request_timeout']),
    Case('a zero request_timeout', TOKEN, dict(request_timeout=0), ['request_timeout']),
    Case('a request_timeout that is not a number', UPDATERUN, dict(request_timeout='nan'), ['request_timeout']),
    Case('a request_timeout beyond what a socket takes', UPDATERUN, dict(request_timeout=1e300), ['request_timeout', 'a day']),
    Case('negative max_retries', UPDATERUN, dict(max_retries=-1), ['max_retries']),
    Case('a negative max_retry_delay', INFO, dict(max_retry_delay=-5), ['max_retry_delay']),
    Case('a negative operation_timeout on an existing run', UPDATERUN, dict(state='absent', operation_timeout=-1, name='existing'),
         ['operation_timeout']),
    Case('a negative wait_timeout', INFO, dict(wait=True, wait_timeout=-1), ['wait_timeout']),
    Case('a negative wait_interval', INFO, dict(wait=True, wait_interval=-1), ['wait_interval']),
    Case('a wait_interval that is not a number', INFO, dict(wait=True, wait_interval='nan'), ['wait_interval']),
    Case('an operation_timeout that is not a number', UPDATERUN, dict(state='absent', operation_timeout='nan', name='existing'),
         ['operation_timeout']),
    Case('a wait_timeout without end', INFO, dict(wait=True, wait_timeout='inf'), ['wait_timeout', 'a week']),
    Case('max_retries past a hundred', TOKEN, dict(max_retries=100000), ['max_retries']),
    # ---------------------------------------------------------------- a token that would break the Authorization header
    Case('an access_token ending in a line break', INFO, dict(access_token='eyJ0eXAiOiJKV1QifQ.eyJleHAiOjF9.c2lnbmF0dXJl\n'),
         ['access_token', 'line breaks']),
]


def valid_args(module, cluster, index):
    """A task that would succeed; each case breaks it in one way."""
    if module == TOKEN:
        return {}
    args = dict(subscription_id=cluster['subscription_id'], resource_group=cluster['resource_group'], cluster_name=cluster['name'])
    if module == UPDATERUN:
        args.update(update_name=UPDATE, name='bad-input-%d' % index)
    return args


@pytest.fixture(scope='module')
def corpus(arm_emulator_session, tmp_path_factory):
    """Run every case once, as one playbook; what the tests read, taken before anything else uses the emulator."""
    emulator = arm_emulator_session
    emulator.reset()
    cluster = next(cluster for cluster in emulator.clusters() if cluster['scenario'] == 'fresh')
    # An existing run, so that a case that slipped through to ARM would delete or change something visible.
    existing = ('/subscriptions/%s/resourceGroups/%s/providers/Microsoft.AzureStackHCI/clusters/%s/updates/%s/updateRuns/existing'
                % (cluster['subscription_id'], cluster['resource_group'], cluster['name'], UPDATE))
    before = emulator.put_resource(existing, {'properties': {'state': 'Succeeded'}})
    tasks = []
    for index, case in enumerate(CASES):
        args = dict(valid_args(case.module, cluster, index), **case.args)
        tasks.append({'name': case.id, case.module: args, 'ignore_errors': True})
    assert len({task['name'] for task in tasks}) == len(tasks), 'case ids must be unique task names'
    runner = PlaybookRunner(emulator, tmp_path_factory.mktemp('bad-input'))
    outcome = runner.run(play(tasks), env={'ANSIBLE_PIPELINING': '1'})
    snapshot = dict(outcome=outcome, requests=emulator.requests(), before=before, after=emulator.get_resource(existing))
    emulator.reset()
    return snapshot


@pytest.mark.parametrize('case', CASES, ids=[case.id for case in CASES])
def test_bad_input_fails_with_a_message_naming_the_option(corpus, case):
    result = corpus['outcome'].result(case.id)
    assert result['failed'] is True, result
    message = result.get('msg', '')
    missing = [name for name in case.names if name not in message]
    assert not missing, 'the message does not name %s: %s' % (missing, message)
    # An exception the module did not handle shows as 'Module failed: <exception text>' (2.19+) or 'MODULE FAILURE' (older).
    assert not message.startswith(('Task failed: Module failed', 'MODULE FAILURE')), message
    assert 'exception' not in result and 'module_stderr' not in result, result


def test_the_corpus_has_at_least_forty_cases():
    assert len(CASES) >= 40


def test_no_bad_input_reaches_arm(corpus):
    assert [entry for entry in corpus['requests'] if entry['kind'] == 'arm'] == []
    assert corpus['after'] == corpus['before']


def test_no_bad_input_costs_a_token_or_a_metadata_request(corpus):
    assert corpus['requests'] == []


def test_no_bad_input_prints_a_traceback(corpus):
    assert 'Traceback' not in corpus['outcome'].output
    assert corpus['outcome'].returncode == 0, corpus['outcome']  # every failure was ignored: the play itself ran through
