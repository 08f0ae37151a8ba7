# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""azure_hci_updaterun through ansible-playbook against the emulator over HTTPS."""

from __future__ import annotations

import copy

import pytest

from .conftest import arm_writes, play, update_run_path

FRESH = dict(subscription_id=None, resource_group='rg-hcifleet-wus2-01', name='hci-wus2-004')  # seeded with no update runs
UPDATE = 'Solution10.2408.1.9'


def fresh_cluster(emulator):
    return next(cluster for cluster in emulator.clusters() if cluster['scenario'] == 'fresh')


def failed_run(emulator):
    """(cluster, update, run name, resource) of a seeded Failed run with a deep step tree."""
    cluster = next(cluster for cluster in emulator.clusters() if cluster['scenario'] == 'failed')
    for resource in emulator.store.all_resources():
        if resource['type'].endswith('updateRuns') and '/clusters/%s/' % cluster['name'] in resource['id'] \
                and resource['properties'].get('state') == 'Failed':
            update = resource['id'].split('/updates/')[1].split('/')[0]
            return cluster, update, resource['id'].rsplit('/', 1)[1], copy.deepcopy(resource)
    raise AssertionError('the seeded fleet has no Failed run')


def task(cluster, update, run, **options):
    args = dict(subscription_id=cluster['subscription_id'], resource_group=cluster['resource_group'], cluster_name=cluster['name'],
                update_name=update, name=run)
    args.update(options)
    return {'name': 'update run', 'hcifleet.azure_hci.azure_hci_updaterun': args, 'register': 'outcome'}


NEW_RUN = dict(
    location='westus2', run_state='InProgress', time_started='2026-02-01T08:00:00Z',
    progress=dict(name='Unnamed step', description='Update Azure Stack HCI.', status='InProgress', steps=[
        dict(name='PreUpdate Cloud', status='Success', start_time_utc='2026-02-01T08:00:00Z', end_time_utc='2026-02-01T08:20:00.1234567+00:00'),
        dict(name='Update Cloud', status='InProgress', steps=[dict(name='Update Host OS', status='InProgress')]),
    ]),
)


def test_create_then_rerun_changes_nothing_with_one_get_and_no_put(ansible):
    emulator = ansible.emulator
    cluster = fresh_cluster(emulator)
    first = ansible.run(play([task(cluster, UPDATE, 'run-1', **NEW_RUN)]))
    assert first.returncode == 0, first
    created = first.result('update run')
    assert created['changed'] is True
    assert created['summary']['current_step']['path'] == ['Unnamed step', 'Update Cloud', 'Update Host OS']
    stored = emulator.get_resource(update_run_path(cluster, UPDATE, 'run-1'))
    assert stored['location'] == 'West US 2'
    assert stored['properties']['progress']['steps'][0]['endTimeUtc'] == '2026-02-01T08:20:00.1234567+00:00'
    assert created['update_run'] == stored

    mark = emulator.last_request_seq()
    second = ansible.run(play([task(cluster, UPDATE, 'run-1', **NEW_RUN)]))
    assert second.returncode == 0, second
    assert second.result('update run')['changed'] is False
    arm = emulator.requests(kind='arm', since=mark)
    assert [(entry['method'], entry['operation']) for entry in arm] == [('GET', 'UpdateRuns_Get')]


def test_a_partial_update_keeps_the_rest_of_the_tree(ansible):
    emulator = ansible.emulator
    cluster, update, run, before = failed_run(emulator)
    failed_step = before['properties']['progress']['steps'][0]
    outcome = ansible.run(play([task(cluster, update, run, run_state='Succeeded',
                                     progress={'steps': [{'name': step['name']} for step in before['properties']['progress']['steps']]})]))
    assert outcome.returncode == 0, outcome
    assert outcome.result('update run')['changed'] is True
    after = emulator.get_resource(before['id'])
    assert after['properties']['state'] == 'Succeeded'
    assert after['properties']['progress'] == before['properties']['progress']
    assert after['properties']['progress']['steps'][0] == failed_step
    assert after['location'] == before['location']
    assert after['properties']['timeStarted'] == before['properties']['timeStarted']


def test_check_mode_writes_nothing_and_agrees_with_the_real_run(ansible):
    emulator = ansible.emulator
    cluster, update, run, before = failed_run(emulator)
    change = task(cluster, update, run, run_state='Succeeded')
    mark = emulator.last_request_seq()
    checked = ansible.run(play([change]), '--check', '--diff')
    assert checked.returncode == 0, checked
    assert arm_writes(emulator, since=mark) == []
    assert emulator.get_resource(before['id']) == before
    predicted = checked.result('update run')
    assert predicted['changed'] is True
    assert predicted['diff']['before']['run_state'] == 'Failed' and predicted['diff']['after']['run_state'] == 'Succeeded'
    assert '-    "run_state": "Failed",' in checked.stdout and '+    "run_state": "Succeeded",' in checked.stdout  # the diff is shown

    real = ansible.run(play([change]))
    assert real.result('update run')['changed'] is predicted['changed']
    assert real.result('update run')['update_run']['properties'] == predicted['update_run']['properties']
    rechecked = ansible.run(play([change]), '--check')
    assert rechecked.result('update run')['changed'] is False


def test_absent_twice_deletes_once_following_the_operation(ansible):
    emulator = ansible.emulator
    cluster, update, run, before = failed_run(emulator)
    gone = task(cluster, update, run, state='absent')
    mark = emulator.last_request_seq()
    first = ansible.run(play([gone]))
    assert first.returncode == 0, first
    assert first.result('update run')['changed'] is True
    assert emulator.get_resource(before['id']) is None
    operations = [entry['operation'] for entry in emulator.requests(kind='arm', since=mark)]
    assert operations[:2] == ['UpdateRuns_Get', 'UpdateRuns_Delete']
    assert operations[2:] and set(operations[2:]) == {'OperationStatuses_Get'}
    second = ansible.run(play([gone]))
    assert second.result('update run')['changed'] is False


def test_absent_in_check_mode_deletes_nothing(ansible):
    emulator = ansible.emulator
    cluster, update, run, before = failed_run(emulator)
    outcome = ansible.run(play([task(cluster, update, run, state='absent')]), '--check')
    assert outcome.result('update run')['changed'] is True
    assert emulator.get_resource(before['id']) == before


def test_awx_credential_environment_alone_is_enough(ansible):
    """The task names no credential or subscription: AZURE_* variables, as AWX injects them, do it all."""
    emulator = ansible.emulator
    cluster = next(cluster for cluster in emulator.clusters() if cluster['subscription_id'] == emulator.subscription_id)
    args = dict(resource_group=cluster['resource_group'], cluster_name=cluster['name'], update_name='Solution10.2408.1.9',
                name='awx-run', run_state='Unknown')
    outcome = ansible.run(play([{'name': 'update run', 'hcifleet.azure_hci.azure_hci_updaterun': args}]))
    assert outcome.returncode == 0, outcome
    identity = emulator.requests(kind='identity')
    assert identity and all(entry['status'] == 200 for entry in identity)
    assert all(entry['authenticated'] for entry in emulator.requests(kind='arm'))


def test_a_wrong_secret_is_refused_without_touching_arm(ansible):
    emulator = ansible.emulator
    cluster = fresh_cluster(emulator)
    outcome = ansible.run(play([task(cluster, UPDATE, 'run-x')]), '-vvv', env={'AZURE_SECRET': 'not-the-secret-value'})
    assert outcome.returncode != 0
    result = outcome.result('update run')
    assert result['failed'] is True
    assert 'AADSTS7000215' in result['msg'] and 'authentication failed' in result['msg']
    assert 'Traceback' not in outcome.output
    assert 'not-the-secret-value' not in outcome.output
    assert emulator.requests(kind='arm') == []


def test_a_missing_cluster_is_named(ansible):
    emulator = ansible.emulator
    cluster = dict(fresh_cluster(emulator), name='hci-nowhere-999')
    outcome = ansible.run(play([task(cluster, UPDATE, 'run-1', run_state='Unknown')]))
    result = outcome.result('update run')
    assert result['failed'] is True
    assert "cluster 'hci-nowhere-999' not found in resource group 'rg-hcifleet-wus2-01'" in result['msg']
    assert result['error']['request_id']
    assert arm_writes(emulator) == []


def test_a_missing_update_is_named(ansible):
    emulator = ansible.emulator
    cluster = fresh_cluster(emulator)
    outcome = ansible.run(play([task(cluster, 'Solution99.0.0.0', 'run-1')]))
    assert "update 'Solution99.0.0.0' not found on cluster 'hci-wus2-004'" in outcome.result('update run')['msg']


def test_throttling_is_ridden_out(ansible):
    emulator = ansible.emulator
    cluster = fresh_cluster(emulator)
    emulator.inject('throttle', count=2, method='GET', path='/updateRuns/', retry_after=1)
    emulator.inject('throttle', count=1, method='PUT', path='/updateRuns/', retry_after=1, retry_after_format='http-date')
    outcome = ansible.run(play([task(cluster, UPDATE, 'run-t', run_state='Succeeded')]))
    assert outcome.returncode == 0, outcome
    assert outcome.result('update run')['changed'] is True
    statuses = [(entry['method'], entry['status']) for entry in emulator.requests(kind='arm')]
    assert statuses == [('GET', 429), ('GET', 429), ('GET', 404), ('PUT', 429), ('PUT', 200)]


def test_a_failing_server_fails_cleanly_with_the_arm_error(ansible):
    emulator = ansible.emulator
    cluster = fresh_cluster(emulator)
    emulator.inject('error', count=10, path='/updateRuns/', status=503)
    outcome = ansible.run(play([task(cluster, UPDATE, 'run-f', run_state='Succeeded', max_retries=2, max_retry_delay=1)]))
    result = outcome.result('update run')
    assert result['failed'] is True
    assert 'HTTP 503' in result['msg'] and 'gave up after 3 attempts' in result['msg']
    assert result['error']['request_id'] and result['error']['code']
    assert 'Traceback' not in outcome.output
    assert len(emulator.requests(kind='arm')) == 3


def test_invalid_input_fails_before_any_request(ansible):
    emulator = ansible.emulator
    cluster = fresh_cluster(emulator)
    bad = dict(progress=dict(steps=[dict(name='a', steps=[dict(name='b', start_time_utc='next tuesday')])]))
    outcome = ansible.run(play([task(cluster, UPDATE, 'run-1', **bad)]))
    result = outcome.result('update run')
    assert result['failed'] is True
    assert result['msg'].startswith('Invalid option progress.steps[0].steps[0].start_time_utc')
    assert emulator.requests() == []


def test_ca_path_trusts_the_emulator_even_when_requests_ca_bundle_says_otherwise(ansible):
    emulator = ansible.emulator
    cluster = fresh_cluster(emulator)
    system_bundle = '/etc/ssl/certs/ca-certificates.crt'
    outcome = ansible.run(play([task(cluster, UPDATE, 'run-ca', run_state='Unknown', ca_path=emulator.ca_bundle)]),
                          env={'REQUESTS_CA_BUNDLE': system_bundle, 'SSL_CERT_FILE': system_bundle})
    assert outcome.returncode == 0, outcome
    assert outcome.result('update run')['changed'] is True


def test_an_empty_answer_to_the_read_is_never_taken_for_a_missing_run(ansible):
    """Read as 'no such run', an empty 200 would make the module write a bare run over the existing one."""
    emulator = ansible.emulator
    cluster, update, run, before = failed_run(emulator)
    emulator.inject('malformed', count=2, method='GET', path='/updateRuns/' + run + '$', body='empty')
    outcome = ansible.run(play([task(cluster, update, run, duration='PT1H', max_retries=1, max_retry_delay=1)]))
    result = outcome.result('update run')
    assert result['failed'] is True and result['error']['code'] == 'MalformedResponse'
    assert 'ARM answered HTTP 200 without a body (gave up after 2 attempts)' in result['msg']
    assert arm_writes(emulator) == [] and emulator.get_resource(before['id']) == before
    # Once: retried, then the real answer; only the duration changes.
    emulator.inject('malformed', count=1, method='GET', path='/updateRuns/' + run + '$', body='empty')
    outcome = ansible.run(play([task(cluster, update, run, duration='PT1H', max_retry_delay=1)]))
    assert outcome.result('update run')['changed'] is True
    after = emulator.get_resource(before['id'])
    assert after['properties']['duration'] == 'PT1H' and after['properties']['progress'] == before['properties']['progress']


@pytest.mark.parametrize('body', ['list', 'string', 'null'])
def test_a_read_of_the_wrong_shape_fails_cleanly_and_writes_nothing(ansible, body):
    emulator = ansible.emulator
    cluster, update, run, before = failed_run(emulator)
    emulator.inject('malformed', count=1, method='GET', path='/updateRuns/' + run + '$', body=body)
    outcome = ansible.run(play([task(cluster, update, run, run_state='Succeeded', max_retries=0)]))
    result = outcome.result('update run')
    assert result['failed'] is True and result['error']['code'] == 'MalformedResponse', result
    assert result['error']['request_id'] and result['error']['request_id'] in result['msg']
    assert 'Traceback' not in outcome.output and 'exception' not in result
    assert arm_writes(emulator) == [] and emulator.get_resource(before['id']) == before


@pytest.mark.parametrize('method, options', [('PUT', dict(run_state='Succeeded')), ('DELETE', dict(state='absent'))])
def test_a_redirected_write_is_not_followed_and_never_reported_done(ansible, method, options):
    emulator = ansible.emulator
    cluster, update, run, before = failed_run(emulator)
    emulator.inject('redirect', count=1, method=method, path='/updateRuns/' + run + '$', status=302)
    outcome = ansible.run(play([task(cluster, update, run, **options)]))
    result = outcome.result('update run')
    assert result['failed'] is True and (result['error']['status'], result['error']['code']) == (302, 'UnexpectedRedirect')
    assert 'which is not followed' in result['msg']
    assert [(entry['method'], entry['status']) for entry in emulator.requests(kind='arm')] == [('GET', 200), (method, 302)]
    assert emulator.get_resource(before['id']) == before
