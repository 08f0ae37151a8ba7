# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault matrix: every ARM and Entra ID call of the collection against every transient fault the emulator can inject.

For each case the task either succeeds after a bounded number of retries with exactly the intended result on
the server, or fails cleanly: a message carrying ARM's code, message and request id (or the transport's
reason), no traceback, no half-applied change, and no repeated write that changes the outcome.

All cases run in ONE playbook (an ansible-playbook run costs seconds). Cases are kept apart by path: each
update-run case has its own run, each deletion its own region (so its operationStatuses URL is its own), each
paging case its own cluster and each token case its own tenant and service principal. Faults for those are
armed before the run; the few that cannot be told apart by path (cloud metadata, token expiry) are armed by a
``uri`` task right before their case. The tests then read one snapshot of results, store and request log.
"""

from __future__ import annotations

import collections
import copy
import secrets
import time
import uuid

import pytest

from .conftest import PlaybookRunner, play, update_run_path

pytestmark = pytest.mark.xdist_group('fault_matrix')  # one emulator run for the whole file under --dist loadgroup

UPDATERUN = 'hcifleet.azure_hci.azure_hci_updaterun'
INFO = 'hcifleet.azure_hci.azure_hci_updaterun_info'
UPDATE = 'Solution10.2408.1.9'
MAX_RETRIES = 2
# Small retry waits keep the matrix fast; the slow cases use a short timeout and a longer server delay.
FAST = dict(max_retries=MAX_RETRIES, max_retry_delay=0.1)
TIMEOUT = 2.0
SLOW = 3.0

Fault = collections.namedtuple('Fault', ['kind', 'options', 'count'])

# The transient faults a task must ride out. count: how many requests in a row get the fault.
TRANSIENT = {
    '429-retry-after-seconds': Fault('throttle', {'retry_after': 0}, 2),
    '429-retry-after-http-date': Fault('throttle', {'retry_after': 1, 'retry_after_format': 'http-date'}, 1),
    '500': Fault('error', {'status': 500}, 1),
    '502': Fault('error', {'status': 502}, 1),
    '503': Fault('error', {'status': 503}, 1),
    '504': Fault('error', {'status': 504}, 1),
    'dropped-before-processing': Fault('drop', {'when': 'before'}, 1),
    'dropped-after-processing': Fault('drop', {'when': 'after'}, 1),
    'slower-than-timeout-then-processed': Fault('delay', {'seconds': SLOW, 'then': 'process'}, 1),
    'slower-than-timeout-then-dropped': Fault('delay', {'seconds': SLOW, 'then': 'drop'}, 1),
    'malformed-json': Fault('malformed', {}, 1),
    'expired-token': Fault('expired_token', {}, 1),
}
SLOW_KINDS = ('slower-than-timeout-then-processed', 'slower-than-timeout-then-dropped')

# The seeded update run every update-run case starts from, and what the task asks for.
SEED = {
    'location': 'eastus',
    'properties': {
        'state': 'InProgress', 'timeStarted': '2026-01-10T08:00:00.0000000+00:00', 'duration': 'PT1H',
        'progress': {'name': 'Unnamed step', 'status': 'InProgress', 'steps': [
            {'name': 'Prepare', 'status': 'Success', 'startTimeUtc': '2026-01-10T08:00:00.0000000+00:00',
             'endTimeUtc': '2026-01-10T08:10:00.0000000+00:00'},
            {'name': 'Install', 'status': 'InProgress', 'steps': [
                {'name': 'Node 1', 'status': 'InProgress', 'description': 'first node'},
                {'name': 'Node 2', 'status': 'Unknown status'},
            ]},
        ]},
    },
}
CHANGE = dict(run_state='Succeeded', progress={'steps': [
    {'name': 'Prepare'},
    {'name': 'Install', 'status': 'Success', 'steps': [{'name': 'Node 1', 'status': 'Success'}, {'name': 'Node 2', 'status': 'Success'}]},
]})


def changed_properties(properties):
    """The oracle for CHANGE: the seeded properties (without the server's provisioningState) with exactly the named fields set."""
    expected = {key: copy.deepcopy(value) for key, value in properties.items() if key != 'provisioningState'}
    expected['state'] = 'Succeeded'
    install = expected['progress']['steps'][1]
    install['status'] = 'Success'
    for node in install['steps']:
        node['status'] = 'Success'
    return expected


# Paging: each task reads a cluster of its own (2 updates x 2 runs, one item per page) with a fault on page 2 of
# three different lists: the updates, the runs of u-a, the runs of u-b. fault id -> (task, list).
PAGING_TASKS = (
    ('429-retry-after-seconds', '429-retry-after-http-date', '500'),
    ('502', '503', '504'),
    ('dropped-before-processing', 'dropped-after-processing', 'malformed-json'),
    ('expired-token', 'slower-than-timeout-then-processed', 'slower-than-timeout-then-dropped'),
)
PAGING_CASES = {fault: (task, target) for task, faults in enumerate(PAGING_TASKS) for target, fault in enumerate(faults)}
PAGING_FAILURE = Fault('error', {'status': 503}, -1)  # on page 2 of the updates, in one more task

# Token endpoint (and OpenID discovery) faults: azure-core retries 429/5xx/connection/read-timeout there by itself.
TOKEN_CASES = {
    'token-429-retry-after-seconds': ('token', Fault('throttle', {'retry_after': 0}, 1)),
    'token-429-retry-after-http-date': ('token', Fault('throttle', {'retry_after': 1, 'retry_after_format': 'http-date'}, 1)),
    'token-500': ('token', Fault('error', {'status': 500}, 1)),
    'token-502': ('token', Fault('error', {'status': 502}, 1)),
    'token-503': ('token', Fault('error', {'status': 503}, 1)),
    'token-504': ('token', Fault('error', {'status': 504}, 1)),
    'token-dropped-before-processing': ('token', Fault('drop', {'when': 'before'}, 1)),
    'token-dropped-after-processing': ('token', Fault('drop', {'when': 'after'}, 1)),
    'token-slower-than-timeout': ('token', Fault('delay', {'seconds': SLOW, 'then': 'process'}, 1)),
    'discovery-503': ('discovery', Fault('error', {'status': 503}, 1)),
}
TOKEN_FAILURES = {
    'token-malformed-json': ('token', Fault('malformed', {}, 1), 'JSON'),
    'token-503-every-time': ('token', Fault('error', {'status': 503}, -1), '503'),
    'token-429-every-time': ('token', Fault('throttle', {'retry_after': 0}, -1), 'AADSTS90055'),
}
# Cloud metadata: one anonymous GET per task, on the same path for all: armed by a uri task right before each case.
METADATA_CASES = {
    'metadata-503': Fault('error', {'status': 503}, 1),
    'metadata-dropped-after-processing': Fault('drop', {'when': 'after'}, 1),
    'metadata-malformed-json': Fault('malformed', {}, 1),
    'metadata-503-every-time': Fault('error', {'status': 503}, MAX_RETRIES + 1),
}
# Regions for the deletion cases: one each, so that each operation is polled on a URL of its own.
REGIONS = ('eastus2', 'centralus', 'northcentralus', 'southcentralus', 'westcentralus', 'westus', 'westus3', 'canadaeast',
           'brazilsouth', 'northeurope', 'ukwest', 'francecentral', 'germanywestcentral', 'switzerlandnorth', 'norwayeast',
           'swedencentral', 'polandcentral', 'italynorth')


class Matrix:
    """Builds the one playbook: seeds resources, arms faults, collects tasks; then keeps one snapshot."""

    def __init__(self, emulator):
        self.emulator = emulator
        self.cluster = next(cluster for cluster in emulator.clusters() if cluster['scenario'] == 'fresh')
        self.tasks = []
        self.runs = {}        # case -> resource id of its update run
        self.before = {}      # case -> that run as seeded
        self.principals = {}  # case -> (tenant, client id, secret)
        self.delays = 0       # delay faults armed, to wait for the late ones before the snapshot
        self.read_targets = {}  # group of cases -> the seeded run its tasks read
        self.env = {'ANSIBLE_PIPELINING': '1'}
        self.snapshot = None

    # ---------------------------------------------------------------- building blocks
    def arm(self, fault, method, path):
        self.emulator.inject(fault.kind, count=fault.count, method=method, path=path, **fault.options)
        if fault.kind == 'delay':
            self.delays += max(fault.count, 0)

    def address(self):
        return dict(subscription_id=self.cluster['subscription_id'], resource_group=self.cluster['resource_group'],
                    cluster_name=self.cluster['name'])

    def seed_run(self, case, run, body):
        resource_id = update_run_path(self.cluster, UPDATE, run)
        self.runs[case] = resource_id
        self.before[case] = self.emulator.put_resource(resource_id, body)

    def task(self, name, module, args):
        self.tasks.append({'name': name, module: args, 'ignore_errors': True})

    def control(self, name, path, method='POST', body=None):
        """A uri task against the emulator's control endpoints (never logged as a request)."""
        args = dict(url=self.emulator.base_url + '/_emulator/' + path, method=method, ca_path=self.emulator.ca_bundle)
        if body is not None:
            args.update(body_format='json', body=body)
        self.tasks.append({'name': name, 'ansible.builtin.uri': args})

    def principal(self, case):
        """A service principal in a tenant of its own; its secret reaches the task through the environment, as AWX's does
        (ansible-core prints the playbook lines around a failed task, so a literal secret there would show)."""
        tenant, client_id, secret = str(uuid.uuid4()), str(uuid.uuid4()), secrets.token_urlsafe(24)
        self.emulator.add_service_principal(client_id, tenant_id=tenant, client_secret=secret)
        self.principals[case] = (tenant, client_id, secret)
        variable = 'FAULT_MATRIX_SECRET_%d' % len(self.principals)
        self.env[variable] = secret
        return dict(tenant=tenant, client_id=client_id, secret="{{ lookup('ansible.builtin.env', '%s') }}" % variable)

    def read_target(self, purpose):
        """The info module's options to read one seeded run of the fleet that no other group of cases reads."""
        taken = set(self.read_targets.values())
        run = next(resource for resource in sorted(self.emulator.store.all_resources(), key=lambda resource: resource['id'])
                   if resource['type'].endswith('updateRuns') and '/clusters/fm-' not in resource['id'] and resource['id'] not in taken)
        self.read_targets[purpose] = run['id']
        parts = run['id'].split('/')
        return dict(subscription_id=parts[2], resource_group=parts[4], cluster_name=parts[8], update_name=parts[10], name=parts[12])

    # ---------------------------------------------------------------- the cases
    def update_run_cases(self):
        for name, fault in TRANSIENT.items():
            case = 'write-' + name
            run = 'fm-' + name
            self.seed_run(case, run, SEED)
            path = '/updateRuns/%s$' % run
            self.arm(fault, 'GET', path)
            self.arm(fault, 'PUT', path)
            timeout = dict(request_timeout=TIMEOUT) if name in SLOW_KINDS else {}
            self.task(case, UPDATERUN, dict(self.address(), update_name=UPDATE, name=run, **dict(FAST, **timeout, **CHANGE)))
        # A write that is processed and whose answer is lost, on a run that does not exist yet: the retried PUT must not
        # turn the creation into anything else.
        self.runs['create-dropped-after-processing'] = update_run_path(self.cluster, UPDATE, 'fm-create-dropped')
        self.before['create-dropped-after-processing'] = None
        self.arm(TRANSIENT['dropped-after-processing'], 'PUT', '/updateRuns/fm-create-dropped$')
        self.task('create-dropped-after-processing', UPDATERUN,
                  dict(self.address(), update_name=UPDATE, name='fm-create-dropped', location='westus2', **dict(FAST, **CHANGE)))

    def update_run_failures(self):
        failures = {
            'read-503-every-time': ('GET', Fault('error', {'status': 503}, -1), {}),
            'read-malformed-every-time': ('GET', Fault('malformed', {}, -1), {}),
            'read-slower-than-timeout-every-time': ('GET', Fault('delay', {'seconds': SLOW, 'then': 'drop'}, 2),
                                                    dict(request_timeout=TIMEOUT, max_retries=1)),
            'write-429-every-time': ('PUT', Fault('throttle', {'retry_after': 0}, -1), {}),
            'write-500-every-time': ('PUT', Fault('error', {'status': 500}, -1), {}),
            'write-dropped-before-processing-every-time': ('PUT', Fault('drop', {'when': 'before'}, -1), {}),
            'write-dropped-after-processing-every-time': ('PUT', Fault('drop', {'when': 'after'}, -1), {}),
            'write-expired-token-after-a-fresh-token': ('PUT', Fault('expired_token', {}, 2), {}),
            'write-refused-400-is-not-retried': ('PUT', Fault('error', {'status': 400, 'code': 'InvalidRequestContent',
                                                                        'message': 'The request content was invalid.'}, 1), {}),
        }
        for case, (method, fault, extra) in failures.items():
            run = 'fm-' + case
            self.seed_run(case, run, SEED)
            self.arm(fault, method, '/updateRuns/%s$' % run)
            self.task(case, UPDATERUN, dict(self.address(), update_name=UPDATE, name=run, **dict(FAST, **extra, **CHANGE)))

    def delete_cases(self):
        regions = iter(REGIONS)
        for name, fault in TRANSIENT.items():
            case = 'delete-' + name
            region = next(regions)
            run = 'fm-del-' + name
            self.seed_run(case, run, dict(SEED, location=region))
            self.arm(fault, 'DELETE', '/updateRuns/%s$' % run)
            self.arm(fault, 'GET', '/locations/%s/operationStatuses/' % region)
            timeout = dict(request_timeout=TIMEOUT) if name in SLOW_KINDS else {}
            self.task(case, UPDATERUN, dict(self.address(), update_name=UPDATE, name=run, state='absent', **dict(FAST, **timeout)))
        failures = {
            'delete-503-every-time': ('DELETE', '/updateRuns/fm-delete-503-every-time$', Fault('error', {'status': 503}, -1)),
            'poll-503-every-time': ('GET', None, Fault('error', {'status': 503}, -1)),
            'delete-operation-failed': ('DELETE', '/updateRuns/fm-delete-operation-failed$',
                                        Fault('lro_failed', {'code': 'UpdateRunDeletionFailed', 'message': 'The cluster refused.'}, 1)),
        }
        for case, (method, path, fault) in failures.items():
            region = next(regions)
            self.seed_run(case, 'fm-' + case, dict(SEED, location=region))
            self.arm(fault, method, path or '/locations/%s/operationStatuses/' % region)
            self.task(case, UPDATERUN, dict(self.address(), update_name=UPDATE, name='fm-' + case, state='absent', **FAST))

    def paging_cases(self):
        """Clusters of 2 updates x 2 runs; with one item per page every list has a page 2 to break."""
        for task, faults in enumerate(PAGING_TASKS + (('every-time',),)):
            cluster = 'fm-page-%d' % task
            cluster_id = '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.AzureStackHCI/clusters/%s' % (
                self.cluster['subscription_id'], self.cluster['resource_group'], cluster)
            self.emulator.put_resource(cluster_id, {'location': 'westus2', 'properties': {'status': 'Connected'}})
            for update in ('u-a', 'u-b'):
                self.emulator.put_resource(cluster_id + '/updates/' + update, {'properties': {'state': 'Installed'}})
                for run in ('r-1', 'r-2'):
                    self.emulator.put_resource(cluster_id + '/updates/%s/updateRuns/%s' % (update, run), {'properties': {'state': 'Succeeded'}})
            paths = ('/clusters/%s/updates$' % cluster, '/clusters/%s/updates/u-a/updateRuns$' % cluster,
                     '/clusters/%s/updates/u-b/updateRuns$' % cluster)
            slow = False
            for target, name in enumerate(faults):
                fault = PAGING_FAILURE if name == 'every-time' else TRANSIENT[name]
                # Let page 1 through (a zero delay consumes nothing but the turn), then break page 2.
                self.arm(Fault('delay', {'seconds': 0, 'then': 'process'}, 1), 'GET', paths[target])
                self.arm(fault, 'GET', paths[target])
                slow = slow or name in SLOW_KINDS
            timeout = dict(request_timeout=TIMEOUT) if slow else {}
            self.task('list-%d' % task, INFO, dict(self.address(), cluster_name=cluster, **dict(FAST, **timeout)))

    def token_cases(self, read):
        """Each case reads one existing run with a service principal of its own tenant."""
        cases = dict(TOKEN_CASES)
        cases.update({case: (where, fault) for case, (where, fault, _words) in TOKEN_FAILURES.items()})
        for case, (where, fault) in cases.items():
            credentials = self.principal(case)
            tenant = credentials['tenant']
            if where == 'token':
                self.arm(fault, 'POST', '/%s/oauth2/v2.0/token$' % tenant)
            else:
                self.arm(fault, 'GET', '/%s/v2.0/.well-known/openid-configuration$' % tenant)
            timeout = dict(request_timeout=TIMEOUT) if fault.kind == 'delay' else {}
            self.task(case, INFO, dict(read, **dict(FAST, **timeout, **credentials)))

    def metadata_cases(self, read):
        for case, fault in METADATA_CASES.items():
            self.control('arm ' + case, 'faults', body=dict(kind=fault.kind, count=fault.count, method='GET', path='^/metadata/endpoints$',
                                                            **fault.options))
            self.task(case, INFO, dict(read, **FAST))

    def expiry_cases(self, read):
        """A token from azure_hci_token, expired by the server between its acquisition and its use."""
        self.tasks.append({'name': 'token for expiry', 'hcifleet.azure_hci.azure_hci_token': {}, 'register': 'arm_token'})
        self.control('expire every token', 'tokens/expire')
        self.task('expired-access-token-with-a-credential', INFO, dict(read, access_token='{{ arm_token.access_token }}', **FAST))
        self.tasks.append({'name': 'second token for expiry', 'hcifleet.azure_hci.azure_hci_token': {}, 'register': 'arm_token_2'})
        self.control('expire every token again', 'tokens/expire')
        self.task('expired-access-token-without-a-credential', INFO,
                  dict(read, access_token='{{ arm_token_2.access_token }}', client_id='', secret='', tenant='', **FAST))

    # ---------------------------------------------------------------- run and snapshot
    def run(self, runner):
        outcome = runner.run(play(self.tasks), env=self.env)
        # A request delayed past its timeout is still processed (or dropped) later: wait for it before judging the store.
        deadline = time.time() + 3 * SLOW
        while sum(1 for entry in self.emulator.requests() if entry['fault'] == 'delay') < self.delays and time.time() < deadline:
            time.sleep(0.2)
        self.snapshot = dict(outcome=outcome, requests=self.emulator.requests(),
                             stored={case: self.emulator.get_resource(resource_id) for case, resource_id in self.runs.items()})
        return self

    def result(self, case):
        return self.snapshot['outcome'].result(case)

    def requests(self, path_part=None, method=None, client_id=None):
        return [entry for entry in self.snapshot['requests']
                if (path_part is None or path_part.lower() in entry['path'].lower())
                and (method is None or entry['method'] == method)
                and (client_id is None or entry['client_id'] == client_id)]

    def run_requests(self, case, method=None):
        return self.requests_of(self.runs[case], method)

    def requests_of(self, resource_id, method=None):
        """Requests to exactly this resource (the log has the path without the query)."""
        suffix = '/updateRuns/' + resource_id.rsplit('/', 1)[1]
        return [entry for entry in self.requests(method=method) if entry['path'].lower().endswith(suffix.lower())]


@pytest.fixture(scope='module')
def matrix(arm_emulator_session, tmp_path_factory):
    emulator = arm_emulator_session
    emulator.reset()
    emulator.retry_after = 0  # the Retry-After of accepted deletions and of their polls
    emulator.page_size = 1
    built = Matrix(emulator)
    built.update_run_cases()
    built.update_run_failures()
    built.delete_cases()
    built.paging_cases()
    built.token_cases(built.read_target('token'))
    built.metadata_cases(built.read_target('metadata'))
    built.expiry_cases(built.read_target('expiry'))
    built.run(PlaybookRunner(emulator, tmp_path_factory.mktemp('fault-matrix')))
    emulator.reset()
    return built


# -------------------------------------------------------------------- helpers for the assertions

def assert_succeeded(result):
    assert result['failed'] is False, result.get('msg', result)


def assert_failed_cleanly(result, *words):
    """Failed, with a reason a person can act on: never an unhandled exception."""
    assert result['failed'] is True, result
    message = result.get('msg') or ''
    assert not message.startswith(('Task failed: Module failed', 'MODULE FAILURE')), message
    assert 'exception' not in result and 'module_stderr' not in result
    missing = [word for word in words if word not in message]
    assert not missing, 'the message lacks %s: %s' % (missing, message)


def assert_arm_error_reported(result, status, code):
    """ARM's code and request id are in the message and in ``error``."""
    error = result['error']
    assert (error['status'], error['code']) == (status, code), error
    assert error['request_id'] and error['request_id'] in result['msg']
    assert 'HTTP %d %s' % (status, code) in result['msg']


def statuses(entries):
    return [(entry['fault'], entry['status']) for entry in entries]


def logged_status(fault, answer):
    """How the request log records one request that met ``fault`` (``answer``: the status had it been processed)."""
    if fault.kind == 'throttle':
        return 429
    if fault.kind == 'error':
        return fault.options['status']
    if fault.kind == 'expired_token':
        return 401
    if fault.kind == 'malformed':
        return 200
    if fault.kind == 'delay' and fault.options['then'] == 'process':
        return answer
    return None  # dropped: no answer was sent


def expected_log(fault, answer, before=()):
    """The (fault, status) pairs of a request that met ``fault`` ``count`` times and was then answered, in any order:
    a request delayed past the client's timeout is logged only when the server gets to it, after the retry."""
    return sorted(list(before) + [(fault.kind, logged_status(fault, answer))] * fault.count + [(None, answer)], key=repr)


def without_server_fields(resource):
    properties = {key: value for key, value in resource['properties'].items() if key != 'provisioningState'}
    return dict(location=resource.get('location'), properties=properties)


# -------------------------------------------------------------------- the playbook itself

def test_the_matrix_leaks_no_secret_and_prints_no_traceback(matrix):
    output = matrix.snapshot['outcome'].output
    assert 'Traceback' not in output
    leaked = [case for case, (_tenant, _client, secret) in matrix.principals.items() if secret in output]
    assert not leaked


# -------------------------------------------------------------------- GET and PUT of an update run

@pytest.mark.parametrize('method', ['GET', 'PUT'])
@pytest.mark.parametrize('fault', list(TRANSIENT))
def test_an_update_run_write_rides_out_a_transient_fault(matrix, fault, method):
    case = 'write-' + fault
    result = matrix.result(case)
    assert_succeeded(result)
    assert result['changed'] is True
    entries = matrix.run_requests(case, method)
    assert sorted(statuses(entries), key=repr) == expected_log(TRANSIENT[fault], 200), statuses(entries)
    stored = matrix.snapshot['stored'][case]
    assert without_server_fields(stored) == dict(location='East US', properties=changed_properties(matrix.before[case]['properties']))
    assert stored['id'] == matrix.before[case]['id']


def test_a_creation_whose_answer_is_lost_is_retried_into_the_same_run(matrix):
    case = 'create-dropped-after-processing'
    result = matrix.result(case)
    assert_succeeded(result)
    assert result['changed'] is True
    puts = matrix.run_requests(case, 'PUT')
    assert statuses(puts) == [('drop', None), (None, 200)]  # the first PUT was written, the retry wrote the same body
    stored = matrix.snapshot['stored'][case]
    assert stored['location'] == 'West US 2'
    assert stored['properties']['state'] == 'Succeeded'
    assert [step['name'] for step in stored['properties']['progress']['steps']] == ['Prepare', 'Install']
    assert result['update_run']['properties'] == stored['properties']


READ_FAILURES = {
    'read-503-every-time': ('HTTP 503', 'ServiceUnavailable', 'gave up after 3 attempts'),
    'read-malformed-every-time': ('MalformedResponse', 'not valid JSON', 'gave up after 3 attempts'),
    'read-slower-than-timeout-every-time': ('Timeout', 'no answer within 2.0 seconds (request_timeout)', 'gave up after 2 attempts'),
}


@pytest.mark.parametrize('case', list(READ_FAILURES))
def test_a_read_that_keeps_failing_fails_cleanly_without_writing(matrix, case):
    result = matrix.result(case)
    words = READ_FAILURES[case]
    assert_failed_cleanly(result, *words)
    assert len(matrix.run_requests(case, 'GET')) == int(words[-1].split()[3])  # as many as the message says
    assert matrix.run_requests(case, 'PUT') == []
    assert matrix.snapshot['stored'][case] == matrix.before[case]
    if case == 'read-503-every-time':
        assert_arm_error_reported(result, 503, 'ServiceUnavailable')


def test_a_write_throttled_every_time_fails_with_arms_reason_and_changes_nothing(matrix):
    case = 'write-429-every-time'
    result = matrix.result(case)
    assert_failed_cleanly(result, 'gave up after 3 attempts')
    assert_arm_error_reported(result, 429, 'SubscriptionRequestsThrottled')
    assert len(matrix.run_requests(case, 'PUT')) == MAX_RETRIES + 1
    assert matrix.snapshot['stored'][case] == matrix.before[case]


def test_a_write_failing_every_time_changes_nothing(matrix):
    case = 'write-500-every-time'
    result = matrix.result(case)
    assert_failed_cleanly(result, 'gave up after 3 attempts')
    assert_arm_error_reported(result, 500, 'InternalServerError')
    assert matrix.snapshot['stored'][case] == matrix.before[case]


def test_a_write_dropped_before_processing_every_time_changes_nothing(matrix):
    case = 'write-dropped-before-processing-every-time'
    result = matrix.result(case)
    assert_failed_cleanly(result, 'connection failed', 'gave up after 3 attempts')
    assert result['error']['code'] == 'ConnectionError'
    assert len(matrix.run_requests(case, 'PUT')) == MAX_RETRIES + 1
    assert matrix.snapshot['stored'][case] == matrix.before[case]


def test_a_write_whose_answers_are_all_lost_fails_but_is_applied_whole(matrix):
    """The server wrote every attempt; the task cannot know, says so, and the run holds exactly the intended change."""
    case = 'write-dropped-after-processing-every-time'
    result = matrix.result(case)
    assert_failed_cleanly(result, 'connection failed', 'gave up after 3 attempts')
    assert len(matrix.run_requests(case, 'PUT')) == MAX_RETRIES + 1
    stored = matrix.snapshot['stored'][case]
    assert without_server_fields(stored) == dict(location='East US', properties=changed_properties(matrix.before[case]['properties']))


def test_an_expired_token_is_refreshed_once_and_a_second_refusal_fails(matrix):
    case = 'write-expired-token-after-a-fresh-token'
    result = matrix.result(case)
    assert_failed_cleanly(result)
    assert_arm_error_reported(result, 401, 'ExpiredAuthenticationToken')
    assert statuses(matrix.run_requests(case, 'PUT')) == [('expired_token', 401)] * 2
    assert matrix.snapshot['stored'][case] == matrix.before[case]


def test_a_refused_write_is_not_retried(matrix):
    case = 'write-refused-400-is-not-retried'
    result = matrix.result(case)
    assert_failed_cleanly(result, 'The request content was invalid.')
    assert_arm_error_reported(result, 400, 'InvalidRequestContent')
    assert len(matrix.run_requests(case, 'PUT')) == 1
    assert matrix.snapshot['stored'][case] == matrix.before[case]


# -------------------------------------------------------------------- DELETE and its operation

@pytest.mark.parametrize('step', ['DELETE', 'poll'])
@pytest.mark.parametrize('fault', list(TRANSIENT))
def test_a_deletion_rides_out_a_transient_fault(matrix, fault, step):
    case = 'delete-' + fault
    result = matrix.result(case)
    assert_succeeded(result)
    assert result['changed'] is True
    assert result['update_run'] == {}
    assert matrix.snapshot['stored'][case] is None
    spec = TRANSIENT[fault]
    if step == 'DELETE':
        entries = matrix.run_requests(case, 'DELETE')
    else:
        region = matrix.before[case]['location'].replace(' ', '').lower()
        entries = matrix.requests('/locations/%s/operationStatuses/' % region, 'GET')
    faulted = [entry for entry in entries if entry['fault']]
    answered = [entry['status'] for entry in entries if not entry['fault']]
    assert [entry['fault'] for entry in faulted] == [spec.kind] * spec.count, statuses(entries)
    if step == 'DELETE':
        # Accepted once by the client's count; a deletion processed but unanswered (drop, late delay) is accepted twice on
        # the server, and either way the one operation the client follows removes the run.
        assert answered == [202], statuses(entries)
    else:
        # lro_polls=1: InProgress, then Succeeded; one poll fewer when a dropped poll was processed anyway.
        assert answered in ([200], [200, 200]), statuses(entries)


def test_a_delete_refused_every_time_fails_and_keeps_the_run(matrix):
    case = 'delete-503-every-time'
    result = matrix.result(case)
    assert_failed_cleanly(result, 'gave up after 3 attempts')
    assert_arm_error_reported(result, 503, 'ServiceUnavailable')
    assert len(matrix.run_requests(case, 'DELETE')) == MAX_RETRIES + 1
    assert matrix.snapshot['stored'][case] == matrix.before[case]


def test_polling_that_fails_every_time_fails_naming_the_operation(matrix):
    case = 'poll-503-every-time'
    result = matrix.result(case)
    assert_failed_cleanly(result, 'operationStatuses', 'gave up after 3 attempts')
    assert_arm_error_reported(result, 503, 'ServiceUnavailable')
    assert result['error']['method'] == 'GET'
    assert len(matrix.run_requests(case, 'DELETE')) == 1  # the deletion was accepted once and never sent again
    assert matrix.snapshot['stored'][case] == matrix.before[case]  # no poll got through, so the operation never completed


def test_a_failed_deletion_operation_reports_its_error_and_keeps_the_run(matrix):
    case = 'delete-operation-failed'
    result = matrix.result(case)
    assert_failed_cleanly(result, 'UpdateRunDeletionFailed', 'the operation ended Failed: The cluster refused.')
    assert result['error']['code'] == 'UpdateRunDeletionFailed' and result['error']['request_id']
    assert result['error']['status'] is None and 'HTTP 200' not in result['msg']  # the poll succeeded; the operation failed
    assert len(matrix.run_requests(case, 'DELETE')) == 1
    assert matrix.snapshot['stored'][case] == matrix.before[case]


# -------------------------------------------------------------------- list paging

@pytest.mark.parametrize('fault', list(PAGING_CASES))
def test_a_list_rides_out_a_fault_on_page_two_without_losing_or_repeating_items(matrix, fault):
    task, target = PAGING_CASES[fault]
    cluster = 'fm-page-%d' % task
    result = matrix.result('list-%d' % task)
    assert_succeeded(result)
    found = sorted((item['update_name'], item['name']) for item in result['update_runs'])
    assert found == [('u-a', 'r-1'), ('u-a', 'r-2'), ('u-b', 'r-1'), ('u-b', 'r-2')]
    assert all('/clusters/%s/' % cluster in item['update_run']['id'] for item in result['update_runs'])
    path = ('/clusters/%s/updates' % cluster, '/clusters/%s/updates/u-a/updateRuns' % cluster,
            '/clusters/%s/updates/u-b/updateRuns' % cluster)[target]
    pages = [entry for entry in matrix.snapshot['requests'] if entry['path'].endswith(path)]
    # Page 1 let through by a zero delay, page 2 meeting the fault ``count`` times, then answered.
    assert sorted(statuses(pages), key=repr) == expected_log(TRANSIENT[fault], 200, before=[('delay', 200)]), statuses(pages)


def test_a_list_failing_every_time_fails_cleanly(matrix):
    result = matrix.result('list-%d' % len(PAGING_TASKS))
    assert_failed_cleanly(result, 'gave up after 3 attempts')
    assert_arm_error_reported(result, 503, 'ServiceUnavailable')
    assert 'update_runs' not in result


# -------------------------------------------------------------------- token endpoint, discovery, metadata, expiry

def identity_requests(matrix, case, operation):
    tenant = matrix.principals[case][0]
    return [entry for entry in matrix.requests('/%s/' % tenant) if entry['operation'] == operation]


@pytest.mark.parametrize('case', list(TOKEN_CASES))
def test_a_token_request_rides_out_a_transient_fault(matrix, case):
    result = matrix.result(case)
    assert_succeeded(result)
    assert len(result['update_runs']) == 1
    where, fault = TOKEN_CASES[case]
    tried = identity_requests(matrix, case, 'Token_ClientCredentials' if where == 'token' else 'OpenIdConfiguration_Get')
    assert sorted(statuses(tried), key=repr) == expected_log(fault, 200), statuses(tried)
    client_id = matrix.principals[case][1]
    assert statuses(matrix.requests(client_id=client_id, path_part='/updateRuns/')) == [(None, 200)]


@pytest.mark.parametrize('case', list(TOKEN_FAILURES))
def test_a_token_endpoint_that_keeps_failing_fails_cleanly_before_arm(matrix, case):
    result = matrix.result(case)
    _where, _fault, words = TOKEN_FAILURES[case]
    assert_failed_cleanly(result, 'authentication failed', words)
    assert 'Content:' not in result['msg']  # the raw answer of the token endpoint is not repeated
    tenant, client_id, _secret = matrix.principals[case]
    assert tenant in result['msg'] and client_id in result['msg']
    tokens = identity_requests(matrix, case, 'Token_ClientCredentials')
    assert 1 <= len(tokens) <= 2 * (MAX_RETRIES + 1), statuses(tokens)  # bounded (MSAL may add attempts of its own to azure-core's)
    assert all(entry['status'] != 200 or entry['fault'] for entry in tokens)  # no token was ever issued ...


def test_only_the_token_cases_that_got_a_token_reached_arm(matrix):
    reads = matrix.requests_of(matrix.read_targets['token'])
    assert len(reads) == len(TOKEN_CASES) and all(entry['authenticated'] for entry in reads)  # ... so none of those reached ARM


@pytest.mark.parametrize('case', [case for case in METADATA_CASES if not case.endswith('every-time')])
def test_a_cloud_metadata_read_rides_out_a_transient_fault(matrix, case):
    result = matrix.result(case)
    assert_succeeded(result)
    assert len(result['update_runs']) == 1


def test_cloud_metadata_failing_every_time_fails_naming_cloud_environment(matrix):
    result = matrix.result('metadata-503-every-time')
    assert_failed_cleanly(result, 'cannot read the cloud metadata (cloud_environment)', 'HTTP 503', 'gave up after 3 attempts')
    # A request that failed, with its code and ids, not an invalid option: the URL may be right, and a retry may pass.
    assert 'option' not in result and (result['error']['status'], result['error']['method']) == (503, 'GET')
    assert result['error']['url'].endswith('/metadata/endpoints')
    faulted = [entry for entry in matrix.snapshot['requests'] if entry['kind'] == 'metadata' and entry['fault']]
    assert len(faulted) == sum(fault.count for fault in METADATA_CASES.values())  # every armed fault used, none retried past
    assert len(matrix.requests_of(matrix.read_targets['metadata'])) == len(METADATA_CASES) - 1  # the failed one never read


def expiry_reads(matrix):
    """(status, authenticated) of the reads of the expiry cases, in order: the first case's, then the second's."""
    return [(entry['status'], entry['authenticated']) for entry in matrix.requests_of(matrix.read_targets['expiry'])]


def test_a_token_expired_between_acquisition_and_use_is_replaced(matrix):
    result = matrix.result('expired-access-token-with-a-credential')
    assert_succeeded(result)
    assert len(result['update_runs']) == 1
    # Refused once with the expired token, then read once with a fresh one; then the second case's single refusal.
    assert expiry_reads(matrix) == [(401, False), (200, True), (401, False)]


def test_an_expired_token_without_a_credential_fails_saying_so(matrix):
    result = matrix.result('expired-access-token-without-a-credential')
    assert_failed_cleanly(result, 'access_token expired or was refused', 'no credential')
    assert expiry_reads(matrix)[-1] == (401, False)
