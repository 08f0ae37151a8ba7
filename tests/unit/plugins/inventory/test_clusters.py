# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The clusters inventory plugin: its pure parts, then parse() with HTTP faked at the session boundary."""

from __future__ import annotations

import json
import os

import pytest

from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._clusters import (
    Scope,
    cache_key_suffix,
    cached_records,
    check_hostnames,
    cluster_host_vars,
    hostname_text,
    inventory_scope,
    keyword_hostname,
    list_clusters,
    unique_hostnames,
)
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_client import ArmClient, ArmError
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import InvalidOption

from .conftest import PLUGIN, FakeArm, Reply, cluster, spec_clusters

SUB_A = '251d2b1d-20fe-460e-b0aa-7cc144d675b7'
SUB_B = 'c32469ba-7867-48b6-a7bb-81b6add211b4'
API = '2024-04-01'


# ---------------------------------------------------------------- host variables

def test_the_spec_example_becomes_host_variables():
    first, second = [cluster_host_vars(item) for item in spec_clusters()]
    assert second == {
        'azure_hci_subscription_id': 'fd3c3665-1729-4b7b-9a38-238e83b0f98b',
        'azure_hci_resource_group': 'test-rg2',
        'azure_hci_cluster_name': 'myCluster2',
        'azure_hci_id': '/subscriptions/fd3c3665-1729-4b7b-9a38-238e83b0f98b/resourceGroups/test-rg2/providers/Microsoft.AzureStackHCI/clusters/myCluster2',
        'azure_hci_location': 'West US',
        'azure_hci_tags': {},
        'azure_hci_status': 'ConnectedRecently',
        'azure_hci_provisioning_state': 'Succeeded',
        'azure_hci_cluster_version': '10.0.17777',
    }
    assert first['azure_hci_status'] == 'NotYetRegistered'
    assert first['azure_hci_cluster_version'] is None  # not registered yet: reportedProperties is empty


def test_host_variables_are_plain_json_data_without_the_raw_resource():
    host_vars = cluster_host_vars(spec_clusters()[1])
    assert json.loads(json.dumps(host_vars)) == host_vars
    assert 'aadClientId' not in json.dumps(host_vars) and 'nodes' not in json.dumps(host_vars)


def test_the_cluster_version_falls_back_to_properties_cluster_version():
    resource = cluster(SUB_A, 'rg', 'c1', reportedProperties={}, clusterVersion='10.0.20348')
    assert cluster_host_vars(resource)['azure_hci_cluster_version'] == '10.0.20348'


def test_a_cluster_without_tags_has_an_empty_dictionary():
    resource = cluster(SUB_A, 'rg', 'c1')
    del resource['tags']
    assert cluster_host_vars(resource)['azure_hci_tags'] == {}


def test_an_item_that_is_not_a_cluster_is_a_malformed_answer():
    with pytest.raises(ArmError) as error:
        cluster_host_vars({'id': '/subscriptions/%s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm' % SUB_A, 'name': 'vm'})
    assert error.value.code == 'MalformedResponse'


# ---------------------------------------------------------------- options

def test_the_scope_falls_back_to_azure_subscription_id():
    assert inventory_scope([], None, API, SUB_A) == Scope((SUB_A,), (), API)


def test_listed_subscriptions_win_over_the_environment():
    assert inventory_scope([SUB_B], [], API, SUB_A).subscription_ids == (SUB_B,)


def test_duplicates_are_dropped_ignoring_case():
    scope = inventory_scope([SUB_A, SUB_A.upper(), SUB_B], ['rg-A', 'RG-a', 'rg-b'], API)
    assert scope.subscription_ids == (SUB_A, SUB_B)
    assert scope.resource_groups == ('rg-A', 'rg-b')


@pytest.mark.parametrize('subscriptions, groups, api_version, option, words', [
    ([], [], API, 'subscription_ids', 'AZURE_SUBSCRIPTION_ID'),
    ([SUB_A, 'not-a-guid'], [], API, 'subscription_ids[1]', "'not-a-guid' is not a subscription id"),
    ([SUB_A], ['ok', 'bad/name'], API, 'resource_groups[1]', 'not a valid resource group name'),
    ([SUB_A], ['ends-with-dot.'], API, 'resource_groups[0]', 'not a valid resource group name'),
    ([SUB_A], [], '2024-4-1', 'api_version', 'not an ARM api-version'),
])
def test_invalid_options_are_named(subscriptions, groups, api_version, option, words):
    with pytest.raises(InvalidOption) as error:
        inventory_scope(subscriptions, groups, api_version)
    assert error.value.option == option
    assert words in str(error.value)


@pytest.mark.parametrize('entries, option', [
    (['name', ''], 'hostnames[1]'),
    (['tag:'], 'hostnames[0]'),
    ([None], 'hostnames[0]'),
])
def test_unusable_hostnames_entries_are_named(entries, option):
    with pytest.raises(InvalidOption) as error:
        check_hostnames(entries)
    assert error.value.option == option


def test_the_cache_key_follows_the_scope_and_the_cloud():
    scope = Scope((SUB_A,), ('rg',), API)
    key = cache_key_suffix(scope, 'AzureCloud')
    assert key == cache_key_suffix(Scope((SUB_A.upper(),), ('RG',), API), 'AzureCloud')
    assert len({key, cache_key_suffix(scope._replace(subscription_ids=(SUB_B,)), 'AzureCloud'),
                cache_key_suffix(scope._replace(resource_groups=()), 'AzureCloud'), cache_key_suffix(scope, 'AzureUSGovernment'),
                cache_key_suffix(scope._replace(api_version='2023-08-01'), 'AzureCloud')}) == 5


@pytest.mark.parametrize('value', [None, {}, {'format': 0, 'clusters': []}, {'format': 1, 'clusters': [{'unexpected': 1}]}, []])
def test_a_cache_entry_of_another_shape_is_a_miss(value):
    assert cached_records(value) is None


# ---------------------------------------------------------------- hostnames

HOST = cluster_host_vars(cluster(SUB_A, 'rg-1', 'hci-1', tags={'Fqdn': 'hci-1.contoso.com', 'ring': '2'}))


@pytest.mark.parametrize('entry, hostname', [
    ('name', 'hci-1'),
    ('id', '/subscriptions/%s/resourceGroups/rg-1/providers/Microsoft.AzureStackHCI/clusters/hci-1' % SUB_A),
    ('qualified_name', '%s/rg-1/hci-1' % SUB_A),
    ('tag:ring', '2'),
    ('tag:fqdn', 'hci-1.contoso.com'),  # ARM tag names are case-insensitive
    ('tag:missing', None),
])
def test_keyword_hostnames(entry, hostname):
    assert keyword_hostname(HOST, entry) == hostname


@pytest.mark.parametrize('value, text', [
    ('  hci-1 ', 'hci-1'), (42, '42'), ('', None), ('   ', None), (None, None), (True, None), (['a'], None), ({'a': 1}, None),
])
def test_only_non_empty_scalars_make_hostnames(value, text):
    assert hostname_text(value) == text


def records(*names):
    """Host variables of clusters given as (subscription, resource group, name)."""
    return [cluster_host_vars(cluster(sub, group, name)) for sub, group, name in names]


def test_unique_names_stay_as_they_are():
    hosts = records((SUB_A, 'rg-1', 'a'), (SUB_A, 'rg-1', 'b'))
    assert unique_hostnames(hosts, ['a', 'b']) == (['a', 'b'], [])


def test_every_cluster_sharing_a_name_gets_its_qualified_name_whatever_the_order():
    hosts = records((SUB_A, 'rg-1', 'hci'), (SUB_B, 'rg-2', 'hci'), (SUB_A, 'rg-1', 'other'))
    names, renamed = unique_hostnames(hosts, ['hci', 'hci', 'other'])
    assert names == ['%s/rg-1/hci' % SUB_A, '%s/rg-2/hci' % SUB_B, 'other']
    assert renamed == [('hci', names[0]), ('hci', names[1])]
    reversed_names, _renamed = unique_hostnames(hosts[::-1], ['other', 'hci', 'hci'])
    assert reversed_names == names[::-1]


def test_a_qualified_name_that_is_still_taken_becomes_the_id():
    hosts = records((SUB_A, 'rg-1', 'hci'), (SUB_A, 'rg-2', 'x'))
    taken = '%s/rg-1/hci' % SUB_A
    names, _renamed = unique_hostnames(hosts, ['hci', taken])
    assert names == ['hci', taken]  # no clash at all
    names, _renamed = unique_hostnames(hosts + records((SUB_A, 'rg-3', 'y')), ['same', 'same', taken])
    assert len(set(names)) == 3
    assert hosts[0]['azure_hci_id'] in names


# ---------------------------------------------------------------- listing, with HTTP faked at the session

BASE = 'https://management.azure.com/'


class FakeTokens:
    description = 'service principal with a client secret, client id app'

    def __init__(self):
        self.issued = 0

    def token(self):
        self.issued += 1
        return 'token'


def client(fake):
    return ArmClient(fake, BASE, FakeTokens(), sleep=lambda seconds: None)


def by_subscription(sub):
    return '/subscriptions/%s/providers/Microsoft.AzureStackHCI/clusters' % sub


def by_group(sub, group):
    return '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.AzureStackHCI/clusters' % (sub, group)


def test_pages_are_followed_and_repeated_items_dropped():
    fake = FakeArm()
    a, b, c = cluster(SUB_A, 'rg', 'a'), cluster(SUB_A, 'rg', 'b'), cluster(SUB_A, 'rg', 'c')
    fake.answer(by_subscription(SUB_A),
                Reply(200, {'value': [a, b], 'nextLink': BASE + by_subscription(SUB_A)[1:] + '?api-version=%s&$skipToken=2' % API}),
                Reply(200, {'value': [b, c]}))
    assert [item['name'] for item in list_clusters(client(fake), Scope((SUB_A,), (), API))] == ['a', 'b', 'c']
    assert [url.split('?')[1] for _method, url, _headers in fake.sent] == ['api-version=%s' % API, 'api-version=%s&$skipToken=2' % API]


def test_a_resource_group_needs_to_exist_in_one_subscription_only():
    fake = FakeArm()
    fake.answer(by_group(SUB_B, 'rg-b'), Reply(200, {'value': [cluster(SUB_B, 'rg-b', 'b')]}))
    listed = list_clusters(client(fake), Scope((SUB_A, SUB_B), ('rg-b',), API))
    assert [item['name'] for item in listed] == ['b']
    assert len(fake.sent) == 2


def test_a_resource_group_found_in_no_subscription_fails_naming_it():
    fake = FakeArm()
    fake.answer(by_group(SUB_A, 'rg-a'), Reply(200, {'value': []}))
    with pytest.raises(ArmError) as error:
        list_clusters(client(fake), Scope((SUB_A, SUB_B), ('rg-a', 'rg-typo'), API))
    assert "resource group 'rg-typo' (resource_groups) not found in any of the subscriptions" in str(error.value)
    assert error.value.code == 'ResourceGroupNotFound' and error.value.request_id == 'rid-404'


def test_a_subscription_that_cannot_be_read_fails():
    fake = FakeArm()
    fake.answer(by_subscription(SUB_A), Reply(200, {'value': [cluster(SUB_A, 'rg', 'a')]}))
    fake.answer(by_subscription(SUB_B), Reply(403, {'error': {'code': 'AuthorizationFailed', 'message': 'no read access'}}))
    with pytest.raises(ArmError) as error:
        list_clusters(client(fake), Scope((SUB_A, SUB_B), (), API))
    assert error.value.code == 'AuthorizationFailed' and error.value.status == 403


# ---------------------------------------------------------------- parse(), as Ansible runs it

def write_config(tmp_path, text, name='fleet.clusters.yml'):
    path = tmp_path / name
    path.write_text('plugin: %s\n%s' % (PLUGIN, text), encoding='utf-8')
    return str(path)


@pytest.fixture
def environment(clean_env):
    for name, value in (('AZURE_SUBSCRIPTION_ID', SUB_A), ('AZURE_CLIENT_ID', 'app'), ('AZURE_SECRET', 's3cret-value'),
                        ('AZURE_TENANT', 'tenant')):
        clean_env.setenv(name, value)
    return clean_env


def parse(new_plugin, path, cache=True):
    inventory = InventoryData()
    plugin = new_plugin()
    plugin.parse(inventory, DataLoader(), path, cache=cache)
    try:
        plugin.update_cache_if_changed()  # as the inventory manager does after parse
    except AttributeError:
        pass
    return inventory


def test_the_file_name_must_end_in_clusters_yml(new_plugin, tmp_path):
    plugin = new_plugin()
    for name, accepted in (('fleet.clusters.yml', True), ('hci_clusters.yaml', True), ('.hci_clusters.yml', True),
                           ('clusters.yml', True), ('fleet.yml', False), ('clusters.json', False)):
        path = tmp_path / name
        path.write_text('plugin: %s\n' % PLUGIN, encoding='utf-8')
        assert plugin.verify_file(str(path)) is accepted, name


def test_every_cluster_of_every_subscription_is_a_local_host_with_one_token(new_plugin, arm, environment, tmp_path):
    arm.answer(by_subscription(SUB_A), Reply(200, {'value': [cluster(SUB_A, 'rg-a', 'hci-a', tags={'ring': '1'})]}))
    arm.answer(by_subscription(SUB_B), Reply(200, {'value': [cluster(SUB_B, 'rg-b', 'hci-b')]}))
    inventory = parse(new_plugin, write_config(tmp_path, 'subscription_ids: [%s, %s]\n' % (SUB_A, SUB_B)))
    assert sorted(inventory.hosts) == ['hci-a', 'hci-b']
    host_vars = inventory.get_host('hci-a').vars
    assert host_vars['ansible_connection'] == 'local'
    assert (host_vars['azure_hci_subscription_id'], host_vars['azure_hci_resource_group'], host_vars['azure_hci_cluster_name']) == (
        SUB_A, 'rg-a', 'hci-a')
    assert host_vars['azure_hci_tags'] == {'ring': '1'}
    assert {headers['Authorization'] for _method, _url, headers in arm.sent} == {'Bearer fake-token-1'}
    assert arm.closed  # no pooled connection outlives the parse in the controller process


def test_compose_groups_and_keyed_groups_see_the_host_variables(new_plugin, arm, environment, tmp_path):
    arm.answer(by_subscription(SUB_A), Reply(200, {'value': [cluster(SUB_A, 'rg-a', 'hci-a', location='westus2', tags={'ring': '0'}),
                                                             cluster(SUB_A, 'rg-a', 'hci-b', location='eastus', tags={'ring': '2'})]}))
    inventory = parse(new_plugin, write_config(tmp_path, '\n'.join([
        'compose:',
        '  ring: azure_hci_tags.ring | int',
        'groups:',
        "  canary: azure_hci_tags.ring == '0'",
        'keyed_groups:',
        '  - key: azure_hci_location',
        '    prefix: location',
        '  - key: azure_hci_tags',
        '    prefix: tag',
    ]) + '\n'))
    assert str(inventory.get_host('hci-b').vars['ring']) == '2'  # an int on ansible-core 2.19 (native types), a str before
    assert [host.name for host in inventory.groups['canary'].get_hosts()] == ['hci-a']
    assert [host.name for host in inventory.groups['location_eastus'].get_hosts()] == ['hci-b']
    assert [host.name for host in inventory.groups['tag_ring_2'].get_hosts()] == ['hci-b']


def test_hostnames_take_the_first_entry_with_a_value(new_plugin, arm, environment, tmp_path):
    arm.answer(by_subscription(SUB_A), Reply(200, {'value': [cluster(SUB_A, 'rg-a', 'hci-a', tags={'fqdn': 'a.contoso.com'}),
                                                             cluster(SUB_A, 'rg-a', 'hci-b', location='eastus')]}))
    inventory = parse(new_plugin, write_config(tmp_path, 'hostnames:\n  - tag:fqdn\n  - azure_hci_cluster_name ~ "." ~ azure_hci_location\n'))
    assert sorted(inventory.hosts) == ['a.contoso.com', 'hci-b.eastus']


def test_clusters_with_the_same_name_are_told_apart(new_plugin, arm, environment, tmp_path):
    arm.answer(by_subscription(SUB_A), Reply(200, {'value': [cluster(SUB_A, 'rg-1', 'hci'), cluster(SUB_A, 'rg-2', 'hci'),
                                                             cluster(SUB_A, 'rg-2', 'solo')]}))
    inventory = parse(new_plugin, write_config(tmp_path, ''))
    assert sorted(inventory.hosts) == sorted(['%s/rg-1/hci' % SUB_A, '%s/rg-2/hci' % SUB_A, 'solo'])
    assert inventory.get_host('%s/rg-2/hci' % SUB_A).vars['azure_hci_resource_group'] == 'rg-2'


def test_a_failing_hostname_expression_is_skipped_unless_strict(new_plugin, arm, environment, tmp_path):
    arm.answer(by_subscription(SUB_A), Reply(200, {'value': [cluster(SUB_A, 'rg-a', 'hci-a')]}), Reply(200, {'value': [cluster(SUB_A, 'rg-a', 'hci-a')]}))
    assert list(parse(new_plugin, write_config(tmp_path, 'hostnames: [no_such_variable.x]\n')).hosts) == ['hci-a']
    with pytest.raises(AnsibleParserError) as error:
        parse(new_plugin, write_config(tmp_path, 'strict: true\nhostnames: [no_such_variable.x]\n'))
    assert 'hostnames entry' in str(error.value)


def test_tag_values_are_data_never_templates(new_plugin, arm, environment, tmp_path):
    arm.answer(by_subscription(SUB_A), Reply(200, {'value': [cluster(SUB_A, 'rg-a', 'hci-a', tags={'note': '{{ 7 * 6 }}'})]}))
    inventory = parse(new_plugin, write_config(tmp_path, 'compose:\n  note: azure_hci_tags.note\n'))
    assert inventory.get_host('hci-a').vars['note'] == '{{ 7 * 6 }}'


@pytest.mark.parametrize('text, words', [
    ('subscription_ids: [not-a-guid]\n', 'invalid option subscription_ids[0]'),
    ('resource_groups: ["bad/group"]\n', 'invalid option resource_groups[0]'),
    ('hostnames: [""]\n', 'invalid option hostnames[0]'),
    ('request_timeout: 0\n', 'invalid option request_timeout'),
    ('cloud_environment: Atlantis\n', 'invalid option cloud_environment'),
    ('auth_source: env\nsecret: null\n', 'invalid option secret'),
])
def test_invalid_options_fail_before_any_request(new_plugin, arm, environment, tmp_path, text, words):
    if 'auth_source' in text:
        environment.delenv('AZURE_SECRET')
    with pytest.raises(AnsibleParserError) as error:
        parse(new_plugin, write_config(tmp_path, text))
    assert str(error.value).startswith(PLUGIN + ': ' + words)
    assert arm.sent == []


def test_no_subscription_at_all_is_an_invalid_option(new_plugin, arm, environment, tmp_path):
    environment.delenv('AZURE_SUBSCRIPTION_ID')
    with pytest.raises(AnsibleParserError) as error:
        parse(new_plugin, write_config(tmp_path, ''))
    assert 'subscription_ids: is required' in str(error.value)


@pytest.mark.parametrize('status, code', [(404, 'SubscriptionNotFound'), (403, 'AuthorizationFailed')])
def test_arm_errors_carry_code_message_and_request_id_and_no_secret(new_plugin, arm, environment, tmp_path, status, code):
    arm.answer(by_subscription(SUB_A), Reply(status, {'error': {'code': code, 'message': 'ARM explains.'}}))
    with pytest.raises(AnsibleParserError) as error:
        parse(new_plugin, write_config(tmp_path, ''))
    message = str(error.value)
    assert 'HTTP %d %s' % (status, code) in message and 'ARM explains.' in message and 'rid-%d' % status in message
    assert 'cannot list the clusters of subscription %s' % SUB_A in message and 'client id app' in message
    assert 's3cret-value' not in message and 'fake-token' not in message
    assert arm.closed


@pytest.mark.parametrize('page', [None, {}, {'value': None}, [{'id': 'x'}]])
def test_a_page_without_its_list_of_clusters_fails_the_parse_instead_of_leaving_hosts_out(new_plugin, arm, environment, tmp_path, page):
    arm.answer(by_subscription(SUB_A), Reply(200, {'value': [cluster(SUB_A, 'rg-a', 'hci-a')],
                                                   'nextLink': 'https://management.azure.com' + by_subscription(SUB_A) + '?page=2'}),
               Reply(200, page))
    with pytest.raises(AnsibleParserError) as error:
        parse(new_plugin, write_config(tmp_path, 'max_retries: 0\n'))
    reason = 'without a body' if page is None else 'a list page that is not an object with a list of objects in value'
    assert 'MalformedResponse' in str(error.value) and reason in str(error.value)


def test_the_cache_holds_host_variables_only_and_answers_the_second_parse(new_plugin, arm, environment, tmp_path):
    arm.answer(by_subscription(SUB_A), Reply(200, {'value': [cluster(SUB_A, 'rg-a', 'hci-a')]}))
    cache_dir = tmp_path / 'cache'
    # 'jsonfile', not ansible.builtin.jsonfile: these tests run without Ansible's collection finder.
    config = write_config(tmp_path, 'cache: true\ncache_plugin: jsonfile\ncache_connection: %s\n' % cache_dir)
    first = parse(new_plugin, config, cache=True)
    requests_made = len(arm.sent)
    second = parse(new_plugin, config, cache=True)
    assert len(arm.sent) == requests_made == 1
    assert second.get_host('hci-a').vars == first.get_host('hci-a').vars
    stored = ''.join(path.read_text(encoding='utf-8') for path in cache_dir.iterdir())
    assert 'hci-a' in stored
    assert 's3cret-value' not in stored and 'fake-token' not in stored and 'Bearer' not in stored


def test_a_refresh_skips_the_cache_and_rewrites_it(new_plugin, arm, environment, tmp_path):
    arm.answer(by_subscription(SUB_A), Reply(200, {'value': [cluster(SUB_A, 'rg-a', 'hci-a')]}),
               Reply(200, {'value': [cluster(SUB_A, 'rg-a', 'hci-new')]}))
    config = write_config(tmp_path, 'cache: true\ncache_plugin: jsonfile\ncache_connection: %s\n' % (tmp_path / 'cache'))
    parse(new_plugin, config)
    assert list(parse(new_plugin, config, cache=False).hosts) == ['hci-new']  # --flush-cache / refresh_inventory
    assert list(parse(new_plugin, config).hosts) == ['hci-new']
    assert len(arm.sent) == 2


def test_the_subscription_from_the_environment_is_part_of_the_cache_key(new_plugin, arm, environment, tmp_path):
    arm.answer(by_subscription(SUB_A), Reply(200, {'value': [cluster(SUB_A, 'rg-a', 'hci-a')]}))
    arm.answer(by_subscription(SUB_B), Reply(200, {'value': [cluster(SUB_B, 'rg-b', 'hci-b')]}))
    config = write_config(tmp_path, 'cache: true\ncache_plugin: jsonfile\ncache_connection: %s\n' % (tmp_path / 'cache'))
    assert list(parse(new_plugin, config).hosts) == ['hci-a']
    environment.setenv('AZURE_SUBSCRIPTION_ID', SUB_B)
    assert list(parse(new_plugin, config).hosts) == ['hci-b']
    assert os.path.isdir(str(tmp_path / 'cache'))
