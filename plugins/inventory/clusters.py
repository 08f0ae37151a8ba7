# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory plugin: every Azure Stack HCI cluster of some subscriptions becomes a host.

Data flows one way: options -> scope (pure, validated before any request) -> one ArmClient
listing clusters -> host variables (pure projection, the only thing cached) -> hostnames ->
constructed features (compose, groups, keyed_groups).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: clusters
short_description: Azure Stack HCI (Azure Local) clusters as inventory hosts
version_added: 0.1.0
description:
  - Lists the Azure Stack HCI (Azure Local) clusters, the ARM resources C(Microsoft.AzureStackHCI/clusters), of one
    or more subscriptions through the Azure Resource Manager REST API, and makes each cluster an inventory host.
  - A host is an ARM resource, not a machine to log in to. Every host gets C(ansible_connection=local), so its tasks
    run on the controller and talk to ARM, as the modules and roles of this collection do.
  - The configuration file's name must end in C(clusters.yml) or C(clusters.yaml) (for example C(fleet.clusters.yml)
    or C(hci_clusters.yml)), and its O(plugin) key must be V(hcifleet.azure_hci.clusters).
  - "Every cluster has these host variables: C(azure_hci_subscription_id), C(azure_hci_resource_group) and
    C(azure_hci_cluster_name) (what the modules and roles of this collection take to address a cluster),
    C(azure_hci_id) (the ARM resource id), C(azure_hci_location) (as ARM returns it, for example V(westus2)),
    C(azure_hci_tags) (a dictionary, empty when the cluster has no tags), C(azure_hci_status) (C(properties.status),
    for example V(ConnectedRecently)), C(azure_hci_provisioning_state), C(azure_hci_cluster_version)
    (C(properties.reportedProperties.clusterVersion), else C(properties.clusterVersion)), and C(ansible_connection)."
  - One inventory parse uses one HTTP session and one access token for all subscriptions; it sends one list request
    per subscription (or per subscription and resource group when O(resource_groups) is set), and one more per
    page of results.
author:
  - hcifleet maintainers (@hcifleet)
requirements:
  - requests
  - azure-identity
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
  - hcifleet.azure_hci.azure_inventory
options:
  plugin:
    description:
      - Marks the file as a configuration of this plugin.
    type: str
    required: true
    choices: [hcifleet.azure_hci.clusters]
  subscription_ids:
    description:
      - The subscriptions (GUIDs) to list clusters in.
      - When unset or empty, E(AZURE_SUBSCRIPTION_ID) names the subscription, as an AWX Azure credential sets it.
      - A subscription that does not exist, or that the credential cannot read, fails the inventory source with
        ARM's error code, message and request id; it is never silently left out.
    type: list
    elements: str
    default: []
    env:
      - name: AZURE_SUBSCRIPTION_ID
  resource_groups:
    description:
      - List only the clusters in these resource groups.
      - Each resource group is looked up in every subscription of O(subscription_ids). One that exists in none of
        them fails the inventory source, so a misspelt name never passes for an empty resource group.
      - When empty, all clusters of each subscription are listed.
    type: list
    elements: str
    default: []
  api_version:
    description:
      - ARM api-version of the cluster list requests.
    type: str
    default: '2024-04-01'
  hostnames:
    description:
      - What becomes a cluster's inventory hostname, as a list of entries in order of preference. The first entry
        that gives a non-empty value is used; when none does, the cluster name is.
      - V(name) is the cluster name, V(id) the ARM resource id, V(qualified_name) is
        C(<subscription id>/<resource group>/<cluster name>), and V(tag:KEY) the value of the cluster's tag C(KEY).
      - Any other entry is a Jinja2 expression evaluated with the cluster's host variables (as in O(compose)), for
        example V(azure_hci_cluster_name ~ '.' ~ azure_hci_location). An entry that fails to evaluate is skipped, or
        fails the source when O(strict=true).
      - Cluster names are unique only within a resource group. When several clusters would get the same hostname,
        each of them is named by its V(qualified_name) instead (its ARM id if even that is taken) and a warning
        lists them. A hostname therefore never depends on the order in which ARM lists the clusters.
      - A renamed host no longer picks up C(host_vars) files written for its plain name; key such variables by the
        qualified name, or set them through O(compose) or group variables.
    type: list
    elements: str
    default: [name]
notes:
  - Ansible treats an inventory source that fails as a warning and carries on without its hosts, unless
    C(inventory_unparsed_failed) (E(ANSIBLE_INVENTORY_UNPARSED_FAILED)) or C(inventory_any_unparsed_is_failed)
    (E(ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED)) is set. AWX sets the former for inventory updates; set one of them
    wherever an empty inventory must not pass for a good one.
  - With O(cache=true) the cache holds the host variables listed above and nothing else; never a token, a secret or
    another option value. Its key covers the cloud, subscriptions, resource groups and api-version, so a changed
    scope is never answered from the cache of another. O(hostnames), O(compose), O(groups) and O(keyed_groups) are
    applied after reading the cache, so changing them needs no refresh.
  - Modules run for these hosts with the host's C(ansible_python_interpreter), which must have C(requests) and
    C(azure-identity). The Python that runs Ansible has them when this plugin works; point the hosts at it by setting
    C(ansible_python_interpreter) to C({{ ansible_playbook_python }}) in C(group_vars/all.yml).
  - Values that come from ARM (names, tags) are marked unsafe, so they are never evaluated as templates.
seealso:
  - name: Clusters - List By Subscription (Azure REST API reference)
    description: The ARM operation this plugin calls.
    link: https://learn.microsoft.com/rest/api/stackhci/clusters/list-by-subscription
  - name: Clusters - List By Resource Group (Azure REST API reference)
    description: The ARM operation this plugin calls when O(resource_groups) is set.
    link: https://learn.microsoft.com/rest/api/stackhci/clusters/list-by-resource-group
'''

EXAMPLES = r'''
# Each top-level key is the name of one inventory source file (it must end in clusters.yml or clusters.yaml)
# and its value is the content of that file.
# These examples run as written against the collection's ARM emulator and its default fleet
# (`python -m hci_arm_emulator serve` prints the environment to export). Authentication comes from
# the environment variables an AWX Azure credential sets: AZURE_SUBSCRIPTION_ID, AZURE_CLIENT_ID,
# AZURE_SECRET, AZURE_TENANT and AZURE_CLOUD_ENVIRONMENT.
# Try one with: ansible-inventory -i fleet.clusters.yml --graph

# Every cluster of the subscription in AZURE_SUBSCRIPTION_ID
fleet.clusters.yml:
  plugin: hcifleet.azure_hci.clusters

# Two subscriptions, grouped by location, by tag and by resource group
grouped.clusters.yml:
  plugin: hcifleet.azure_hci.clusters
  subscription_ids:
    - 251d2b1d-20fe-460e-b0aa-7cc144d675b7
    - c32469ba-7867-48b6-a7bb-81b6add211b4
  keyed_groups:
    # location_westus2, location_southeastasia
    - key: azure_hci_location
      prefix: location
    # ring_0, ring_1, ring_2 (from the tag "ring")
    - key: azure_hci_tags.ring | default('none')
      prefix: ring
    # tag_env_prod, tag_site_sea, ... (one group per tag and value)
    - key: azure_hci_tags
      prefix: tag
    # rg_rg_hcifleet_wus2_01
    - key: azure_hci_resource_group
      prefix: rg
  groups:
    canary: azure_hci_tags.env | default('') == 'canary'

# Two resource groups only, cached for an hour, hostnames with their location
wus2.clusters.yml:
  plugin: hcifleet.azure_hci.clusters
  resource_groups:
    - rg-hcifleet-wus2-01
    - rg-hcifleet-sea-03
  hostnames:
    - azure_hci_cluster_name ~ '.' ~ azure_hci_location
  compose:
    cluster_site: azure_hci_tags.site | default('unknown')
  cache: true
  cache_plugin: ansible.builtin.jsonfile
  cache_connection: /tmp/hcifleet-inventory-cache
  cache_timeout: 3600

# A service principal is required (no managed identity or CLI fallback), fewer retries,
# hostnames from a tag where clusters have it, and a typo in an expression fails instead of being skipped
strict.clusters.yml:
  plugin: hcifleet.azure_hci.clusters
  auth_source: env
  max_retries: 3
  request_timeout: 20
  hostnames:
    - tag:fqdn
    - name
  strict: true
  compose:
    update_ring: azure_hci_tags.ring | int
'''

import os

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_client import HAS_REQUESTS, ArmError
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._auth_options import AUTH_OPTIONS
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._clusters import (
    CACHE_FORMAT,
    cache_key_suffix,
    cached_records,
    check_hostnames,
    cluster_host_vars,
    explain,
    hostname_text,
    inventory_scope,
    is_hostname_keyword,
    keyword_hostname,
    list_clusters,
    unique_hostnames,
)
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._connection import arm_client_from_options, check_connection_options
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import AuthenticationFailed, InvalidOption
from ansible_collections.hcifleet.azure_hci.plugins.plugin_utils._quiet_libraries import libraries_quiet

PLUGIN = 'hcifleet.azure_hci.clusters'


# ---------------------------------------------------------------- the plugin

class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    """Azure Stack HCI clusters as hosts; see DOCUMENTATION."""

    NAME = PLUGIN

    def verify_file(self, path):
        if super(InventoryModule, self).verify_file(path) and path.endswith(('clusters.yml', 'clusters.yaml')):
            return True
        self.display.debug('%s: %s does not end in clusters.yml or clusters.yaml' % (PLUGIN, path))
        return False

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        config = self._read_config_data(path)
        unknown = sorted(str(key) for key in config if key != 'plugin' and key not in self._options)
        if unknown:
            # Ansible ignores them; a misspelled filter (resource_grups) would otherwise widen the inventory unnoticed.
            self.display.warning('%s: %s has unknown option(s) %s, ignored; see ansible-doc -t inventory %s'
                                 % (PLUGIN, path, ', '.join(unknown), PLUGIN))
        options = dict((name, self.get_option(name)) for name in AUTH_OPTIONS)
        try:
            scope = inventory_scope(self.get_option('subscription_ids'), self.get_option('resource_groups'), self.get_option('api_version'),
                                    os.environ.get('AZURE_SUBSCRIPTION_ID'))
            check_hostnames(self.get_option('hostnames'))
            check_connection_options(options)
        except InvalidOption as exc:
            raise AnsibleParserError('%s: invalid option %s' % (PLUGIN, to_native(exc)))
        records = self._cluster_records(path, scope, options, cache)
        self._add_hosts(records)

    def _cluster_records(self, path, scope, options, use_cache):
        """Host variables of every cluster: from the cache when allowed and present, else from ARM."""
        key = '%s_%s' % (self.get_cache_key(path), cache_key_suffix(scope, options.get('cloud_environment')))
        caching = self.get_option('cache')
        if caching and use_cache:
            try:
                records = cached_records(self._cache[key])
            except KeyError:
                records = None
            if records is not None:
                return records
        records = self._fetch(scope, options)
        if caching:
            self._cache[key] = {'format': CACHE_FORMAT, 'clusters': records}
        return records

    def _fetch(self, scope, options):
        if not HAS_REQUESTS:
            raise AnsibleParserError('%s needs the Python package requests on the controller (pip install requests)' % PLUGIN)
        client = None
        try:
            with libraries_quiet():
                client = arm_client_from_options(options)
                return [cluster_host_vars(cluster) for cluster in list_clusters(client, scope)]
        except InvalidOption as exc:
            raise AnsibleParserError('%s: invalid option %s' % (PLUGIN, to_native(exc)))
        except ArmError as exc:
            raise AnsibleParserError('%s: %s' % (PLUGIN, to_native(explain(exc, client, scope))))
        except AuthenticationFailed as exc:
            raise AnsibleParserError('%s: %s' % (PLUGIN, to_native(exc)))
        finally:
            if client is not None:
                client.close()  # the plugin runs in the long-lived controller process: no pooled connections left behind

    def _add_hosts(self, records):
        strict = self.get_option('strict')
        # ARM's values are marked unsafe: a tag value is data, never a template.
        host_vars_list = [dict(((name, wrap_var(value)) for name, value in record.items()), ansible_connection='local') for record in records]
        candidates = [self._hostname(host_vars, strict) for host_vars in host_vars_list]
        hostnames, renamed = unique_hostnames(host_vars_list, candidates)
        if renamed:
            self.display.warning('%s: %d clusters share a hostname and are named by subscription/resource group/name instead: %s'
                                 % (PLUGIN, len(renamed), ', '.join(sorted(set(name for name, dummy in renamed)))))
        for host_vars, hostname in zip(host_vars_list, hostnames):
            host = self.inventory.add_host(hostname)
            for name, value in host_vars.items():
                self.inventory.set_variable(host, name, value)
            self._set_composite_vars(self.get_option('compose'), host_vars, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option('groups'), host_vars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option('keyed_groups'), host_vars, host, strict=strict)

    def _hostname(self, host_vars, strict):
        for entry in self.get_option('hostnames') or []:
            if is_hostname_keyword(entry):
                value = keyword_hostname(host_vars, entry)
            else:
                try:
                    value = self._compose(entry, host_vars)
                except Exception as exc:  # pylint: disable=broad-exception-caught  # any template error, as constructed does
                    if strict:
                        raise AnsibleParserError('%s: hostnames entry %r failed for cluster %s: %s'
                                                 % (PLUGIN, entry, host_vars['azure_hci_id'], to_native(exc)))
                    continue
            value = hostname_text(value)
            if value:
                return value
        return host_vars['azure_hci_cluster_name']
