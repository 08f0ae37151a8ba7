# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The clusters inventory plugin through ansible-inventory and ansible-playbook against the emulator over HTTPS.

Each run gets only the environment an AWX Azure credential injects (from PlaybookRunner.base_env());
the emulator's request log shows what reached ARM and Entra ID.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from hci_arm_emulator.seed import FleetConfig

from .conftest import play

PLUGIN = 'hcifleet.azure_hci.clusters'
HOST_VARS = ('azure_hci_subscription_id', 'azure_hci_resource_group', 'azure_hci_cluster_name', 'azure_hci_id', 'azure_hci_location',
             'azure_hci_tags', 'azure_hci_status', 'azure_hci_provisioning_state', 'azure_hci_cluster_version', 'ansible_connection')


class InventoryRun:
    """What one ansible-inventory --list run produced."""

    def __init__(self, returncode, stdout, stderr, listed):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.listed = listed

    @property
    def output(self):
        return self.stdout + self.stderr + self.listed

    @property
    def inventory(self):
        # ansible-inventory marks values from inventory plugins as {"__ansible_unsafe": value}.
        return json.loads(self.listed, object_hook=lambda item: item['__ansible_unsafe'] if list(item) == ['__ansible_unsafe'] else item)

    @property
    def hostvars(self):
        return self.inventory['_meta']['hostvars']

    def says(self, text):
        """Whether the output contains ``text``, ignoring how ansible-core wrapped its lines."""
        return ''.join(text.split()) in ''.join(self.output.split())

    def group(self, name):
        return sorted(self.inventory.get(name, {}).get('hosts', []))

    def __repr__(self):
        return 'InventoryRun(rc=%s)\n%s' % (self.returncode, self.output[-6000:])


def write_source(ansible, text, name='fleet.clusters.yml'):
    path = ansible.tmp_path / name
    path.write_text('plugin: %s\n%s' % (PLUGIN, text), encoding='utf-8')
    return str(path)


def inventory(ansible, text='', *args, env=None):
    """ansible-inventory --list on a source file of this plugin, with the environment a playbook run gets."""
    return list_source(ansible, write_source(ansible, text), *args, env=env)


def list_source(ansible, path, *args, env=None):
    full_env = ansible.base_env()
    full_env.update(env or {})
    # At -vvv, as every playbook run of the suite: the secret scan below covers what verbose output adds (on stdout,
    # so the inventory itself goes to a file).
    listed = ansible.tmp_path / 'inventory-list.json'
    if listed.exists():
        listed.unlink()
    command = [os.path.join(os.path.dirname(sys.executable), 'ansible-inventory'), '-i', path, '--list', '-vvv', '--output', str(listed)]
    completed = subprocess.run(command + [arg for arg in args if arg != '-vvv'], env=full_env, capture_output=True, text=True, timeout=300,
                               cwd=str(ansible.tmp_path), check=False)
    run = InventoryRun(completed.returncode, completed.stdout, completed.stderr, listed.read_text(encoding='utf-8') if listed.exists() else '')
    # Whatever happened, no secret and no token (the emulator's are JWTs: 'eyJ...') reached the output.
    for secret in [ansible.emulator.client_secret, full_env.get('AZURE_SECRET'), 'eyJ', 'Bearer '] + ansible.emulator.issued_tokens():
        assert not secret or not run.says(secret), 'a secret or token leaked into the output of %s' % run
    return run


def fatal(ansible, text='', *args, **kwargs):
    """As inventory(), with a failed source fatal (as AWX runs inventory updates)."""
    env = dict(kwargs.pop('env', None) or {}, ANSIBLE_INVENTORY_UNPARSED_FAILED='1')
    return inventory(ansible, text, *args, env=env, **kwargs)


def both_subscriptions(emulator):
    return 'subscription_ids:\n%s' % ''.join('  - %s\n' % sub for sub in emulator.subscription_ids)


def operations(emulator, since=0):
    return [entry['operation'] for entry in emulator.requests(kind='arm', since=since)]


def token_requests(emulator, since=0):
    return [entry for entry in emulator.requests(kind='identity', since=since) if entry['method'] == 'POST']


def test_every_cluster_of_every_subscription_is_a_host_with_its_variables(ansible):
    emulator = ansible.emulator
    run = inventory(ansible, both_subscriptions(emulator))
    assert run.returncode == 0, run
    assert 'WARNING' not in run.output, run
    seeded = emulator.clusters()
    assert sorted(run.hostvars) == sorted(cluster['name'] for cluster in seeded)
    for cluster in seeded:
        host_vars = run.hostvars[cluster['name']]
        assert set(HOST_VARS) <= set(host_vars)
        assert host_vars['azure_hci_subscription_id'] == cluster['subscription_id']
        assert host_vars['azure_hci_resource_group'] == cluster['resource_group']
        assert host_vars['azure_hci_cluster_name'] == cluster['name']
        assert host_vars['azure_hci_id'] == '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.AzureStackHCI/clusters/%s' % (
            cluster['subscription_id'], cluster['resource_group'], cluster['name'])
        assert host_vars['azure_hci_location'] == cluster['location']
        assert host_vars['azure_hci_tags'] == cluster['tags']
        assert (host_vars['azure_hci_status'], host_vars['azure_hci_provisioning_state']) == ('ConnectedRecently', 'Succeeded')
        assert host_vars['azure_hci_cluster_version'] == '10.0.25398'
        assert host_vars['ansible_connection'] == 'local'
    assert operations(emulator) == ['Clusters_ListBySubscription'] * 2


def test_the_awx_environment_alone_lists_its_subscription(ansible):
    emulator = ansible.emulator
    run = inventory(ansible)
    assert run.returncode == 0, run
    assert sorted(run.hostvars) == sorted(cluster['name'] for cluster in emulator.clusters()
                                          if cluster['subscription_id'] == emulator.subscription_id)


def test_resource_groups_limit_the_hosts_across_subscriptions(ansible):
    emulator = ansible.emulator
    groups = ['rg-hcifleet-wus2-01', 'rg-hcifleet-sea-02']  # one in each subscription
    run = inventory(ansible, both_subscriptions(emulator) + 'resource_groups: [%s]\n' % ', '.join(groups))
    assert run.returncode == 0, run
    expected = [cluster['name'] for cluster in emulator.clusters() if cluster['resource_group'] in groups]
    assert len(expected) == 4 and sorted(run.hostvars) == sorted(expected)
    assert set(operations(emulator)) == {'Clusters_ListByResourceGroup'}


def test_a_misspelled_option_is_named_in_a_warning(ansible):
    run = inventory(ansible, both_subscriptions(ansible.emulator) + 'resource_grups: [rg-hcifleet-sea-02]\n')
    assert run.returncode == 0, run
    assert run.says('has unknown option(s) resource_grups, ignored'), run
    assert len(run.hostvars) == len(ansible.emulator.clusters())  # ignored, as Ansible ignores it: every cluster


def test_keyed_groups_by_tag_and_location_groups_and_compose(ansible):
    emulator = ansible.emulator
    run = inventory(ansible, both_subscriptions(emulator) + '\n'.join([
        'keyed_groups:',
        '  - key: azure_hci_location',
        '    prefix: location',
        '  - key: azure_hci_tags.ring',
        '    prefix: ring',
        '  - key: azure_hci_tags',
        '    prefix: tag',
        'groups:',
        "  canary: azure_hci_tags.env == 'canary'",
        'compose:',
        '  update_ring: azure_hci_tags.ring | int',
        "  site_code: azure_hci_tags.site | upper",
    ]) + '\n')
    assert run.returncode == 0, run
    seeded = emulator.clusters()

    def named(predicate):
        return sorted(cluster['name'] for cluster in seeded if predicate(cluster))

    assert run.group('location_westus2') == named(lambda cluster: cluster['location'] == 'westus2')
    assert run.group('location_southeastasia') == named(lambda cluster: cluster['location'] == 'southeastasia')
    assert run.group('ring_2') == named(lambda cluster: cluster['tags']['ring'] == '2')
    assert run.group('tag_site_sea') == named(lambda cluster: cluster['tags']['site'] == 'sea')
    assert run.group('canary') == named(lambda cluster: cluster['tags']['env'] == 'canary') != []
    for cluster in seeded:
        assert str(run.hostvars[cluster['name']]['update_ring']) == cluster['tags']['ring']  # an int from ansible-core 2.19 on
        assert run.hostvars[cluster['name']]['site_code'] == cluster['tags']['site'].upper()


def test_pages_are_followed(ansible):
    emulator = ansible.emulator
    emulator.page_size = 2
    run = inventory(ansible, both_subscriptions(emulator))
    assert run.returncode == 0, run
    assert len(run.hostvars) == len(emulator.clusters()) == 6
    per_subscription = [sum(1 for cluster in emulator.clusters() if cluster['subscription_id'] == sub) for sub in emulator.subscription_ids]
    pages = sum(-(-count // 2) for count in per_subscription)
    arm = emulator.requests(kind='arm')
    assert len(arm) == pages > len(emulator.subscription_ids)
    assert sum(1 for entry in arm if '$skipToken' in entry['query']) == pages - len(emulator.subscription_ids)


def test_a_page_without_its_list_fails_the_source_instead_of_leaving_clusters_out(ansible):
    emulator = ansible.emulator
    emulator.inject('malformed', count=1, method='GET', path='/Microsoft.AzureStackHCI/clusters$', body='null')
    run = fatal(ansible, 'max_retries: 0\n')
    assert run.returncode != 0
    assert run.says('MalformedResponse') and run.says('(request id ')
    emulator.inject('malformed', count=1, method='GET', path='/Microsoft.AzureStackHCI/clusters$', body='empty')
    run = inventory(ansible, 'max_retry_delay: 1\n')  # retried: the second answer is whole
    assert run.returncode == 0, run
    assert sorted(run.hostvars) == sorted(cluster['name'] for cluster in emulator.clusters()
                                          if cluster['subscription_id'] == emulator.subscription_id)


def test_a_fifty_cluster_fleet_takes_one_token(ansible):
    emulator = ansible.emulator
    emulator.reset(fleet=FleetConfig(clusters=50, resource_groups=5, subscriptions=2))
    run = inventory(ansible, both_subscriptions(emulator) + 'keyed_groups:\n  - key: azure_hci_resource_group\n    prefix: rg\n')
    assert run.returncode == 0, run
    assert len(run.hostvars) == 50
    assert sum(len(run.group(name)) for name in run.inventory if name.startswith('rg_')) == 50
    assert len(token_requests(emulator)) == 1
    assert len(emulator.requests(kind='arm')) == 10  # 25 clusters per subscription in pages of 5


def test_token_requests_do_not_grow_with_the_number_of_subscriptions(ansible):
    emulator = ansible.emulator
    emulator.reset(fleet=FleetConfig(clusters=8, resource_groups=4, subscriptions=4))
    mark = emulator.last_request_seq()
    one = inventory(ansible, 'subscription_ids: [%s]\n' % emulator.subscription_ids[0])
    identity_for_one = len(emulator.requests(kind='identity', since=mark))
    mark = emulator.last_request_seq()
    four = inventory(ansible, both_subscriptions(emulator))
    assert one.returncode == four.returncode == 0, (one, four)
    assert len(four.hostvars) == 8 > len(one.hostvars)
    assert len(emulator.requests(kind='identity', since=mark)) == identity_for_one
    assert len(token_requests(emulator, since=mark)) == 1
    assert len(emulator.requests(kind='arm', since=mark)) == 4


def test_the_cloud_metadata_url_is_read_once_per_parse(ansible):
    emulator = ansible.emulator
    run = inventory(ansible, both_subscriptions(emulator))
    assert run.returncode == 0, run
    assert [entry['path'] for entry in emulator.requests(kind='metadata')] == ['/metadata/endpoints']
    assert all(entry['authenticated'] for entry in emulator.requests(kind='arm'))


def test_the_cloud_metadata_url_may_be_set_in_the_source(ansible):
    emulator = ansible.emulator
    run = inventory(ansible, 'cloud_environment: %s\n' % emulator.metadata_url, env={'AZURE_CLOUD_ENVIRONMENT': 'AzureChinaCloud'})
    assert run.returncode == 0, run
    assert sorted(run.hostvars) == sorted(cluster['name'] for cluster in emulator.clusters()
                                          if cluster['subscription_id'] == emulator.subscription_id)
    assert len(emulator.requests(kind='metadata')) == 1


def test_a_second_run_with_cache_makes_no_request_and_the_cache_holds_no_secret(ansible):
    emulator = ansible.emulator
    cache_dir = ansible.tmp_path / 'inventory-cache'
    source = both_subscriptions(emulator) + 'cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\n' % cache_dir
    first = inventory(ansible, source)
    assert first.returncode == 0, first
    mark = emulator.last_request_seq()
    second = inventory(ansible, source + 'keyed_groups:\n  - key: azure_hci_location\n    prefix: location\n')
    assert second.returncode == 0, second
    assert emulator.requests(since=mark) == []
    assert second.hostvars == first.hostvars
    assert second.group('location_westus2')  # constructed features apply to cached data
    stored = ''.join(path.read_text(encoding='utf-8') for path in cache_dir.iterdir())
    assert 'hci-wus2-001' in stored
    for secret in (emulator.client_secret, 'eyJ', 'Bearer'):
        assert secret not in stored


def test_flushing_the_cache_lists_again(ansible):
    emulator = ansible.emulator
    source = 'cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\n' % (ansible.tmp_path / 'inventory-cache')
    assert inventory(ansible, source).returncode == 0
    mark = emulator.last_request_seq()
    outcome = ansible.run(play([{'name': 'hello', 'ansible.builtin.debug': {'msg': 'hello'}}], hosts='all'), '--flush-cache',
                          inventory=write_source(ansible, source))
    assert outcome.returncode == 0, outcome
    assert operations(emulator, since=mark) == ['Clusters_ListBySubscription']


def test_a_wrong_secret_fails_clearly_without_showing_it(ansible):
    emulator = ansible.emulator
    run = fatal(ansible, '', '-vvv', env={'AZURE_SECRET': 'not-the-secret-value'})
    assert run.returncode != 0
    assert run.says('%s: authentication failed (service principal with a client secret' % PLUGIN)
    assert run.says('AADSTS7000215')
    assert not run.says('not-the-secret-value') and not run.says(emulator.client_secret)
    # azure-identity's own log record of the refusal stays out of the output: the plugin's message says it once.
    assert not run.says('get_token failed')
    assert emulator.requests(kind='arm') == []


def test_without_unparsed_failed_ansible_only_warns(ansible):
    run = inventory(ansible, '', env={'AZURE_SECRET': 'not-the-secret-value'})
    assert run.returncode == 0  # Ansible's own choice for a failed source; the plugin's message is still shown
    assert run.says('authentication failed') and run.hostvars == {}


def test_an_invalid_subscription_id_fails_before_any_request(ansible):
    emulator = ansible.emulator
    run = fatal(ansible, 'subscription_ids: [%s, not-a-subscription]\n' % emulator.subscription_id)
    assert run.returncode != 0
    assert run.says("%s: invalid option subscription_ids[1]: 'not-a-subscription' is not a subscription id" % PLUGIN)
    assert emulator.requests() == []


def test_a_subscription_the_credential_cannot_read_fails_with_arms_error(ansible):
    emulator = ansible.emulator
    unknown = '0b5f3c1e-7a2d-4e8f-9c6b-1d2e3f4a5b6c'
    run = fatal(ansible, 'subscription_ids: [%s, %s]\n' % (emulator.subscription_id, unknown))
    assert run.returncode != 0
    assert run.says('HTTP 404 SubscriptionNotFound: cannot list the clusters of subscription %s' % unknown)
    assert run.says('(request id ')
    assert not run.says(emulator.client_secret)


def test_a_missing_resource_group_fails_naming_it(ansible):
    emulator = ansible.emulator
    run = fatal(ansible, both_subscriptions(emulator) + 'resource_groups: [rg-hcifleet-wus2-01, rg-hcifleet-typo]\n')
    assert run.returncode != 0
    assert run.says("resource group 'rg-hcifleet-typo' (resource_groups) not found in any of the subscriptions")


def test_throttling_is_ridden_out(ansible):
    emulator = ansible.emulator
    emulator.inject('throttle', count=2, method='GET', path='/Microsoft.AzureStackHCI/clusters$', retry_after=1)
    run = inventory(ansible)
    assert run.returncode == 0, run
    assert [entry['status'] for entry in emulator.requests(kind='arm')] == [429, 429, 200]


def test_duplicate_cluster_names_get_qualified_hostnames(ansible):
    emulator = ansible.emulator
    first = next(cluster for cluster in emulator.clusters() if cluster['subscription_id'] == emulator.subscription_id)
    twin_group = next(cluster['resource_group'] for cluster in emulator.clusters()
                      if cluster['subscription_id'] != emulator.subscription_id)
    twin_sub = next(sub for sub in emulator.subscription_ids if sub != emulator.subscription_id)
    emulator.put_resource('/subscriptions/%s/resourceGroups/%s/providers/Microsoft.AzureStackHCI/clusters/%s'
                          % (twin_sub, twin_group, first['name']), {'location': 'southeastasia', 'tags': {'ring': '9'}})
    run = inventory(ansible, both_subscriptions(emulator))
    assert run.returncode == 0, run
    qualified = ['%s/%s/%s' % (first['subscription_id'], first['resource_group'], first['name']),
                 '%s/%s/%s' % (twin_sub, twin_group, first['name'])]
    assert first['name'] not in run.hostvars
    assert all(name in run.hostvars for name in qualified)
    assert run.hostvars[qualified[1]]['azure_hci_tags'] == {'ring': '9'}
    assert run.says('share a hostname')


def test_the_inventory_drives_a_playbook_through_the_cluster_variables(ansible):
    emulator = ansible.emulator
    source = write_source(ansible, both_subscriptions(emulator) + 'keyed_groups:\n  - key: azure_hci_tags.ring\n    prefix: ring\n')
    outcome = ansible.run(play([
        {'name': 'runs', 'register': 'runs', 'hcifleet.azure_hci.azure_hci_updaterun_info': {
            'subscription_id': '{{ azure_hci_subscription_id }}', 'resource_group': '{{ azure_hci_resource_group }}',
            'cluster_name': '{{ azure_hci_cluster_name }}'}},
        {'name': 'where', 'ansible.builtin.debug': {'msg': '{{ azure_hci_subscription_id }}/{{ azure_hci_resource_group }}/{{ inventory_hostname }}'}},
    ], hosts='ring_2'), inventory=source)
    assert outcome.returncode == 0, outcome
    ring_2 = sorted(cluster['name'] for cluster in emulator.clusters() if cluster['tags']['ring'] == '2')
    results = [entry for entry in outcome.results if entry['task'] == 'runs']
    assert ring_2 and sorted(entry['host'] for entry in results) == ring_2
    assert all(entry['status'] == 'ok' and 'update_runs' in entry['result'] for entry in results)


def documented_examples():
    from ansible_collections.hcifleet.azure_hci.plugins.inventory import clusters
    # One document (ansible-test 2.16 refuses several in EXAMPLES): each key names an inventory source file.
    return list(yaml.safe_load(clusters.EXAMPLES).values())


@pytest.mark.parametrize('index', range(len(documented_examples())))
def test_the_documented_examples_work_as_written(ansible, index):
    example = documented_examples()[index]
    if 'cache_connection' in example:
        example['cache_connection'] = str(ansible.tmp_path / 'example-cache')
    path = ansible.tmp_path / ('example-%d.clusters.yml' % index)
    path.write_text(yaml.safe_dump(example), encoding='utf-8')
    run = list_source(ansible, str(path))
    assert run.returncode == 0, run
    assert 'WARNING' not in run.output, run
    assert run.hostvars
