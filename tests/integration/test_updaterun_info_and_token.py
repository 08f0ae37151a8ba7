# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""azure_hci_updaterun_info and azure_hci_token through ansible-playbook against the emulator."""

from __future__ import annotations

import threading
import time

from .conftest import arm_writes, play


def scenario(emulator, name):
    return next(cluster for cluster in emulator.clusters() if cluster['scenario'] == name)


def runs_of(emulator, cluster):
    return [resource for resource in emulator.store.all_resources()
            if resource['type'].endswith('updateRuns') and '/clusters/%s/' % cluster['name'] in resource['id']]


def info(cluster, task_name='read', **options):
    args = dict(subscription_id=cluster['subscription_id'], resource_group=cluster['resource_group'], cluster_name=cluster['name'])
    args.update(options)
    return {'name': task_name, 'hcifleet.azure_hci.azure_hci_updaterun_info': args, 'register': 'found'}


def test_all_runs_of_a_cluster_with_summaries_following_paging(ansible):
    emulator = ansible.emulator
    emulator.page_size = 1
    cluster = scenario(emulator, 'failed')
    outcome = ansible.run(play([info(cluster)]), '--check')
    assert outcome.returncode == 0, outcome
    found = outcome.result('read')
    expected = runs_of(emulator, cluster)
    assert sorted(item['update_run']['id'] for item in found['update_runs']) == sorted(run['id'] for run in expected)
    failed = [item for item in found['update_runs'] if item['summary']['state'] == 'Failed']
    assert failed and all(item['summary']['failed_steps'] and item['summary']['failed_steps'][0]['error_message'] for item in failed)
    pages = [entry for entry in emulator.requests(kind='arm') if entry['operation'] == 'UpdateRuns_List']
    assert len(pages) > len({run['id'].split('/updateRuns/')[0] for run in expected})  # nextLink was followed
    assert arm_writes(emulator) == []


def test_one_run_and_a_missing_run(ansible):
    emulator = ansible.emulator
    cluster = scenario(emulator, 'in_progress')
    run = next(run for run in runs_of(emulator, cluster) if run['properties']['state'] == 'InProgress')
    update, name = run['name'].split('/')
    outcome = ansible.run(play([info(cluster, 'one', update_name=update, name=name),
                                info(cluster, 'missing', update_name=update, name='no-such-run')]))
    assert outcome.returncode == 0, outcome
    one = outcome.result('one')['update_runs']
    assert [(item['update_name'], item['name']) for item in one] == [(update, name)]
    assert one[0]['summary']['current_step'] is not None
    assert outcome.result('missing')['update_runs'] == []


def test_a_missing_cluster_fails_clearly(ansible):
    cluster = dict(scenario(ansible.emulator, 'fresh'), name='hci-gone-404')
    outcome = ansible.run(play([info(cluster)]))
    assert "cluster 'hci-gone-404' not found in resource group" in outcome.result('read')['msg']


def test_wait_returns_when_the_run_finishes_and_survives_token_expiry_and_throttling(ansible):
    emulator = ansible.emulator
    # 123 s: the modules renew a token 120 s before it expires, so each is used for 3 s, then replaced.
    emulator.token_lifetime = 123
    cluster = scenario(emulator, 'in_progress')
    run = next(run for run in runs_of(emulator, cluster) if run['properties']['state'] == 'InProgress')
    update, name = run['name'].split('/')

    def finish_later():
        # Let the module poll a few times (and outlive its first token's 3 usable seconds) before the run finishes.
        deadline = time.time() + 60
        while time.time() < deadline and len([entry for entry in emulator.requests(kind='arm') if entry['method'] == 'GET']) < 3:
            time.sleep(0.2)
        time.sleep(3)
        emulator.inject('throttle', count=1, method='GET', path='/updateRuns/', retry_after=1)
        finished = dict(run, properties=dict(run['properties'], state='Succeeded'))
        emulator.put_resource(run['id'], finished)

    worker = threading.Thread(target=finish_later)
    worker.start()
    outcome = ansible.run(play([info(cluster, 'wait', update_name=update, name=name, wait=True, wait_interval=1, wait_timeout=60)]))
    worker.join()
    assert outcome.returncode == 0, outcome
    result = outcome.result('wait')
    assert result['update_runs'][0]['summary']['state'] == 'Succeeded'
    assert result['polls'] >= 4 and result['waited'] >= 4
    token_requests = [entry for entry in emulator.requests(kind='identity') if entry['path'].endswith('/token')]
    # Renewed while waiting, and reused between renewals: not one token per poll.
    assert 2 <= len(token_requests) < result['polls'], (len(token_requests), result['polls'])
    arm = emulator.requests(kind='arm')
    assert all(entry['authenticated'] for entry in arm if entry['status'] != 429)


def test_a_wait_rides_out_a_token_endpoint_outage_when_its_token_is_renewed(ansible):
    emulator = ansible.emulator
    emulator.token_lifetime = 123  # renewed 3 s after it is issued (see above)
    cluster = scenario(emulator, 'in_progress')
    run = next(run for run in runs_of(emulator, cluster) if run['properties']['state'] == 'InProgress')
    update, name = run['name'].split('/')

    def refused_renewals():
        return [entry for entry in emulator.requests(kind='identity') if entry['path'].endswith('/token') and entry['status'] == 503]

    def outage_then_finish():
        deadline = time.time() + 60
        while time.time() < deadline and len([entry for entry in emulator.requests(kind='arm') if entry['method'] == 'GET']) < 2:
            time.sleep(0.2)
        # More 503s than one renewal's attempts (max_retries: 1 makes two): one renewal fails for good.
        emulator.inject('error', count=3, method='POST', path='/oauth2/v2.0/token', status=503)
        while time.time() < deadline and len(refused_renewals()) < 3:
            time.sleep(0.2)
        emulator.put_resource(run['id'], dict(run, properties=dict(run['properties'], state='Succeeded')))

    worker = threading.Thread(target=outage_then_finish)
    worker.start()
    outcome = ansible.run(play([info(cluster, 'wait', update_name=update, name=name, wait=True, wait_interval=1, wait_timeout=60,
                                     max_retries=1, max_retry_delay=1)]))
    worker.join()
    assert outcome.returncode == 0, outcome
    assert outcome.result('wait')['update_runs'][0]['summary']['state'] == 'Succeeded'
    assert len(refused_renewals()) == 3
    assert all(entry['authenticated'] for entry in emulator.requests(kind='arm'))  # no read went out without a valid token


def test_wait_gives_up_at_the_timeout_naming_the_current_step(ansible):
    emulator = ansible.emulator
    cluster = scenario(emulator, 'in_progress')
    run = next(run for run in runs_of(emulator, cluster) if run['properties']['state'] == 'InProgress')
    update, name = run['name'].split('/')
    outcome = ansible.run(play([info(cluster, 'wait', update_name=update, name=name, wait=True, wait_interval=1, wait_timeout=2)]))
    result = outcome.result('wait')
    assert result['failed'] is True
    assert 'gave up waiting after' in result['msg'] and 'is InProgress at step' in result['msg']


def test_one_token_serves_many_tasks_and_is_never_shown(ansible):
    emulator = ansible.emulator
    clusters = emulator.clusters()
    tasks = [{'name': 'token', 'hcifleet.azure_hci.azure_hci_token': {}, 'run_once': True, 'register': 'arm'}]
    tasks += [info(cluster, 'read %s' % cluster['name']) for cluster in clusters]
    playbook = play(tasks, module_defaults={'group/hcifleet.azure_hci.azure': {'access_token': '{{ arm.access_token | default(omit) }}'}})
    outcome = ansible.run(playbook, '-vvv')
    assert outcome.returncode == 0, outcome
    token_requests = [entry for entry in emulator.requests(kind='identity') if entry['path'].endswith('/token')]
    assert len(token_requests) == 1
    assert len(emulator.requests(kind='arm')) >= len(clusters)
    assert 'eyJ' not in outcome.output and emulator.client_secret not in outcome.output
    assert 'the output has been hidden' in outcome.output


def test_an_expired_shared_token_is_replaced_by_the_modules_credential(ansible):
    emulator = ansible.emulator
    cluster = scenario(emulator, 'failed')
    tasks = [
        {'name': 'token', 'hcifleet.azure_hci.azure_hci_token': {}, 'register': 'arm'},
        {'name': 'expire every token', 'ansible.builtin.uri': {'url': emulator.base_url + '/_emulator/tokens/expire', 'method': 'POST',
                                                               'ca_path': emulator.ca_bundle}},
        dict(info(cluster), **{'module_defaults': {'group/hcifleet.azure_hci.azure': {'access_token': '{{ arm.access_token | default(omit) }}'}}}),
    ]
    outcome = ansible.run(play(tasks))
    assert outcome.returncode == 0, outcome
    assert outcome.result('read')['update_runs']
    statuses = [entry['status'] for entry in emulator.requests(kind='arm')]
    assert statuses[0] == 401 and set(statuses[1:]) == {200}


def test_a_token_task_with_a_wrong_secret_shows_why(ansible):
    outcome = ansible.run(play([{'name': 'token', 'hcifleet.azure_hci.azure_hci_token': {}}]), env={'AZURE_SECRET': 'wrong-wrong'})
    result = outcome.result('token')
    assert result['failed'] is True and 'AADSTS7000215' in result['msg']
    assert 'wrong-wrong' not in outcome.output


def test_group_module_defaults_with_every_shared_option_suit_every_module(ansible):
    """Users set authentication once for the group; no module of the group may reject a shared option."""
    emulator = ansible.emulator
    cluster = scenario(emulator, 'failed')
    defaults = {'group/hcifleet.azure_hci.azure': {
        'subscription_id': cluster['subscription_id'], 'auth_source': 'env', 'client_id': emulator.client_id, 'secret': emulator.client_secret,
        'tenant': emulator.tenant_id, 'cloud_environment': emulator.metadata_url, 'ca_path': emulator.ca_bundle, 'request_timeout': 20,
        'max_retries': 2, 'max_retry_delay': 5}}
    tasks = [
        {'name': 'token', 'hcifleet.azure_hci.azure_hci_token': {}, 'register': 'arm'},
        {'name': 'read', 'hcifleet.azure_hci.azure_hci_updaterun_info': {'resource_group': cluster['resource_group'],
                                                                         'cluster_name': cluster['name']}},
        {'name': 'write', 'hcifleet.azure_hci.azure_hci_updaterun': {'resource_group': cluster['resource_group'], 'cluster_name': cluster['name'],
                                                                     'update_name': 'Solution10.2408.2.7', 'name': 'defaults-run'}},
    ]
    outcome = ansible.run(play(tasks, module_defaults=defaults), credentials=False)
    assert outcome.returncode == 0, outcome
    assert outcome.result('write')['changed'] is True
