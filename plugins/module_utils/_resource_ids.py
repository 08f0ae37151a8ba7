# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure: validate ARM names and build the resource ids of clusters, updates and update runs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from collections import namedtuple

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2 is not supported
    quote = None

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import InvalidOption

PROVIDER = 'Microsoft.AzureStackHCI'
API_VERSION = '2024-04-01'

_SUBSCRIPTION = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')
# ARM resource group names: 1-90 of letters, digits, underscores, hyphens, periods, parentheses; not ending in a period.
_RESOURCE_GROUP = re.compile(r'^[-\w._()]{1,90}$', re.UNICODE)
# Characters ARM rejects in resource names, plus control characters.
_FORBIDDEN_IN_NAME = re.compile(r'[<>%&:\\?/#*\x00-\x1f\x7f]')
MAX_NAME_LENGTH = 260
_API_VERSION = re.compile(r'^\d{4}-\d{2}-\d{2}(-preview)?$')
ClusterScope = namedtuple('ClusterScope', ['subscription_id', 'resource_group', 'cluster_name', 'rest'])
# A cluster's id, or the id of anything under it (updates, update runs): subscription, resource group, cluster, rest.
_CLUSTER_SCOPE = re.compile(r'^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\.AzureStackHCI/clusters/([^/]+)(/.*)?$',
                            re.IGNORECASE)


def check_subscription_id(value, option='subscription_id'):
    if not value:
        raise InvalidOption(option, 'is required: set it in the task or through AZURE_SUBSCRIPTION_ID')
    if not _SUBSCRIPTION.match(value):
        raise InvalidOption(option, "'%s' is not a subscription id (a GUID such as 00000000-0000-0000-0000-000000000000)" % value)
    return value


def check_resource_group(value, option='resource_group'):
    if not value or not _RESOURCE_GROUP.match(value) or value.endswith('.'):
        raise InvalidOption(option, "'%s' is not a valid resource group name (1-90 letters, digits, '_', '-', '.', '(', ')'; "
                                    "not ending in '.')" % _shorten(value))
    return value


def check_name(value, option):
    if value is None or not value.strip():
        raise InvalidOption(option, 'must not be empty')
    if len(value) > MAX_NAME_LENGTH:
        raise InvalidOption(option, 'is %d characters long; ARM names are at most %d' % (len(value), MAX_NAME_LENGTH))
    if _FORBIDDEN_IN_NAME.search(value) or value.endswith(('.', ' ')) or value != value.strip():
        raise InvalidOption(option, "'%s' is not a valid ARM resource name (no < > %% & : \\ ? / # * or control characters, "
                                    "no leading or trailing space, not ending in '.')" % _shorten(value))
    return value


def check_api_version(value, option='api_version'):
    if not value or not _API_VERSION.match(value):
        raise InvalidOption(option, "'%s' is not an ARM api-version (YYYY-MM-DD or YYYY-MM-DD-preview)" % value)
    return value


def _shorten(value):
    value = '' if value is None else str(value)
    return value if len(value) <= 100 else value[:97] + '...'


def resource_group_id(subscription_id, resource_group):
    return '/subscriptions/%s/resourceGroups/%s' % (quote(subscription_id, safe=''), quote(resource_group, safe=''))


def cluster_id(subscription_id, resource_group, cluster):
    return '%s/providers/%s/clusters/%s' % (resource_group_id(subscription_id, resource_group), PROVIDER, quote(cluster, safe=''))


def update_id(subscription_id, resource_group, cluster, update):
    return '%s/updates/%s' % (cluster_id(subscription_id, resource_group, cluster), quote(update, safe=''))


def update_run_id(subscription_id, resource_group, cluster, update, run):
    return '%s/updateRuns/%s' % (update_id(subscription_id, resource_group, cluster, update), quote(run, safe=''))


def cluster_scope(resource_id):
    """The ClusterScope of a cluster's resource id or of an id under it; None otherwise.

    ``rest`` is the part after the cluster ('' for the cluster itself), e.g. '/updates/U/updateRuns/R'. The names
    are as ARM spells them in the id.
    """
    match = _CLUSTER_SCOPE.match(resource_id) if isinstance(resource_id, str) else None
    if not match:
        return None
    subscription_id, resource_group, cluster_name, rest = match.groups()
    return ClusterScope(subscription_id, resource_group, cluster_name, rest or '')
