# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Clusters as inventory hosts: which to list, listing them, and their host variables and hostnames.

The domain logic of the clusters inventory plugin; everything but list_clusters() is pure.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
from collections import Counter, namedtuple

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported
    quote = None

from ansible.module_utils.common.text.converters import to_native

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_client import ArmError
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import InvalidOption
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._resource_ids import (
    PROVIDER,
    check_api_version,
    check_resource_group,
    check_subscription_id,
    cluster_scope,
    resource_group_id,
)

# Bump when the shape of a cached cluster record changes: older caches are then read as a miss.
CACHE_FORMAT = 1
HOSTNAME_KEYWORDS = ('name', 'id', 'qualified_name')

Scope = namedtuple('Scope', ['subscription_ids', 'resource_groups', 'api_version'])


# ---------------------------------------------------------------- options (pure)

def inventory_scope(subscription_ids, resource_groups, api_version, environ_subscription_id=None):
    """Which clusters to list, validated; raises InvalidOption before any request."""
    if not subscription_ids and environ_subscription_id:
        subscription_ids = [part.strip() for part in environ_subscription_id.split(',')]
    if not subscription_ids:
        raise InvalidOption('subscription_ids', 'is required: list the subscription ids, or set AZURE_SUBSCRIPTION_ID')
    subscriptions = _unique([check_subscription_id(value, 'subscription_ids[%d]' % index) for index, value in enumerate(subscription_ids)])
    groups = _unique([check_resource_group(value, 'resource_groups[%d]' % index) for index, value in enumerate(resource_groups or [])])
    return Scope(tuple(subscriptions), tuple(groups), check_api_version(api_version))


def check_hostnames(entries):
    for index, entry in enumerate(entries or []):
        if not isinstance(entry, str) or not entry.strip():
            raise InvalidOption('hostnames[%d]' % index, 'must be a keyword (%s, tag:KEY) or a Jinja2 expression, got %r'
                                % (', '.join(HOSTNAME_KEYWORDS), entry))
        if entry.startswith('tag:') and not entry[4:]:
            raise InvalidOption('hostnames[%d]' % index, "'tag:' needs a tag name, such as tag:fqdn")
    return entries


def _unique(values):
    # ARM names and ids compare case-insensitively; keep the first spelling.
    seen = set()
    return [value for value in values if not (value.lower() in seen or seen.add(value.lower()))]


def cache_key_suffix(scope, cloud_environment):
    """A short digest of what the cached data depends on (never a credential)."""
    what = [cloud_environment or 'AzureCloud', [value.lower() for value in scope.subscription_ids],
            [value.lower() for value in scope.resource_groups], scope.api_version]
    return hashlib.sha256(json.dumps(what).encode('utf-8')).hexdigest()[:12]


# ---------------------------------------------------------------- ARM

def list_clusters(client, scope):
    """Every cluster in the scope, as ARM returns it, without duplicates (a nextLink may repeat an item)."""
    clusters = []
    not_found = {}
    for subscription_id in scope.subscription_ids:
        if not scope.resource_groups:
            clusters.extend(client.list(clusters_path(subscription_id), scope.api_version))
        for group in scope.resource_groups:
            try:
                clusters.extend(list(client.list(clusters_path(subscription_id, group), scope.api_version)))
            except ArmError as exc:
                if exc.status != 404 or exc.code != 'ResourceGroupNotFound':
                    raise
                not_found.setdefault(group, []).append(exc)
    for group, errors in not_found.items():
        # Normal in all but one subscription when several are listed; a typo when in all of them.
        if len(errors) == len(scope.subscription_ids):
            where = ('subscription %s' if len(errors) == 1 else 'any of the subscriptions %s') % ', '.join(scope.subscription_ids)
            raise ArmError("resource group '%s' (resource_groups) not found in %s" % (group, where), status=errors[-1].status,
                           code=errors[-1].code, request_id=errors[-1].request_id, correlation_id=errors[-1].correlation_id)
    seen = set()
    return [cluster for cluster in clusters if not (_id_key(cluster) in seen or seen.add(_id_key(cluster)))]


def clusters_path(subscription_id, resource_group=None):
    if resource_group:
        return '%s/providers/%s/clusters' % (resource_group_id(subscription_id, resource_group), PROVIDER)
    return '/subscriptions/%s/providers/%s/clusters' % (quote(subscription_id, safe=''), PROVIDER)


def _id_key(cluster):
    return str(cluster.get('id') or '').lower()


def explain(error, client, scope):
    """The ArmError, saying plainly which subscription cannot be read and by which credential (never a secret)."""
    subscription = next((value for value in scope.subscription_ids if '/subscriptions/%s/' % value.lower() in str(error.url).lower()), None)
    if subscription and error.code in ('SubscriptionNotFound', 'AuthorizationFailed') and error.status in (403, 404):
        who = getattr(getattr(client, 'tokens', None), 'description', None)
        error.message = 'cannot list the clusters of subscription %s: it does not exist, or the credential%s cannot read it. ARM says: %s' % (
            subscription, ' (%s)' % who if who else '', error.message)
    return error


# ---------------------------------------------------------------- host variables (pure)

def cluster_host_vars(cluster):
    """The host variables of one cluster resource as ARM lists it (plain data: this is what the cache holds)."""
    resource_id = str(cluster.get('id') or '')
    scope = cluster_scope(resource_id)
    if not scope or scope.rest:
        raise ArmError('ARM listed an item whose id is not a cluster resource id: %r' % resource_id[:300], code='MalformedResponse')
    properties = cluster.get('properties') or {}
    reported = properties.get('reportedProperties') or {}
    return {
        'azure_hci_subscription_id': scope.subscription_id,
        'azure_hci_resource_group': scope.resource_group,
        'azure_hci_cluster_name': cluster.get('name') or scope.cluster_name,
        'azure_hci_id': resource_id,
        'azure_hci_location': cluster.get('location'),
        'azure_hci_tags': dict(cluster.get('tags') or {}),
        'azure_hci_status': properties.get('status'),
        'azure_hci_provisioning_state': properties.get('provisioningState'),
        'azure_hci_cluster_version': reported.get('clusterVersion') or properties.get('clusterVersion'),
    }


def cached_records(value):
    """The cluster records of a cache entry, or None when it is missing or of another format."""
    if isinstance(value, dict) and value.get('format') == CACHE_FORMAT and isinstance(value.get('clusters'), list):
        if all(isinstance(record, dict) and 'azure_hci_cluster_name' in record for record in value['clusters']):
            return value['clusters']
    return None


# ---------------------------------------------------------------- hostnames (pure)

def qualified_name(host_vars):
    return '%s/%s/%s' % (host_vars['azure_hci_subscription_id'], host_vars['azure_hci_resource_group'], host_vars['azure_hci_cluster_name'])


def is_hostname_keyword(entry):
    return entry in HOSTNAME_KEYWORDS or entry.startswith('tag:')


def keyword_hostname(host_vars, entry):
    """What a keyword entry of ``hostnames`` gives for a cluster (None when the cluster has no such value)."""
    if entry == 'name':
        return host_vars['azure_hci_cluster_name']
    if entry == 'id':
        return host_vars['azure_hci_id']
    if entry == 'qualified_name':
        return qualified_name(host_vars)
    tags = host_vars.get('azure_hci_tags') or {}
    key = entry[4:]
    if key in tags:
        return tags[key]
    # ARM tag names are case-insensitive.
    return next((value for name, value in tags.items() if name.lower() == key.lower()), None)


def hostname_text(value):
    """A usable hostname from an entry's value, or None (empty, undefined, or not a scalar)."""
    if isinstance(value, bool) or value is None or not isinstance(value, (str, int, float)):
        return None
    text = to_native(value).strip()
    return text or None


def unique_hostnames(records, candidates):
    """Final hostnames: a name that several clusters would share becomes each one's qualified name (then id).

    Returns (hostnames, renamed) where renamed lists the (candidate, final) pairs that changed.
    """
    names = list(candidates)
    for fallback in (qualified_name, lambda host_vars: host_vars['azure_hci_id']):
        counts = Counter(names)
        names = [fallback(record) if counts[name] > 1 else name for record, name in zip(records, names)]
    renamed = [(candidate, name) for candidate, name in zip(candidates, names) if candidate != name]
    return names, renamed
