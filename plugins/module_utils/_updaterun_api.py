# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Update runs on ARM: where one lives, reading it, and naming a missing parent plainly."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import namedtuple

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_client import ArmError, malformed_answer, noting_accepted_write
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._resource_ids import (
    check_api_version,
    check_name,
    check_resource_group,
    check_subscription_id,
    cluster_id,
    update_id,
    update_run_id,
)

# ARM's codes for "something above the resource does not exist".
PARENT_MISSING_CODES = ('ParentResourceNotFound', 'ResourceGroupNotFound', 'SubscriptionNotFound')


class UpdateRunAddress(namedtuple('UpdateRunAddress', ['subscription_id', 'resource_group', 'cluster', 'update', 'name', 'api_version'])):
    """Where an update run lives (``update``/``name`` may be None for an info query over a cluster)."""

    @property
    def cluster_id(self):
        return cluster_id(self.subscription_id, self.resource_group, self.cluster)

    @property
    def update_id(self):
        return update_id(self.subscription_id, self.resource_group, self.cluster, self.update)

    @property
    def id(self):
        return update_run_id(self.subscription_id, self.resource_group, self.cluster, self.update, self.name)


def update_run_address(params, require_update=True, require_name=True):
    """Validated address from module options; raises InvalidOption before any request."""
    return UpdateRunAddress(
        check_subscription_id(params.get('subscription_id')),
        check_resource_group(params.get('resource_group')),
        check_name(params.get('cluster_name'), 'cluster_name'),
        check_name(params.get('update_name'), 'update_name') if require_update or params.get('update_name') is not None else None,
        check_name(params.get('name'), 'name') if require_name or params.get('name') is not None else None,
        check_api_version(params.get('api_version')),
    )


def read_update_run(client, address):
    """The update run as ARM returns it, or None if it does not exist (its cluster and update do)."""
    try:
        run = client.get_optional(address.id, address.api_version)
    except ArmError as exc:
        raise explain_missing_parent(client, address, exc)
    return checked_update_run(run, 'GET', client.url_for(address.id))


def write_update_run(client, address, body):
    """PUT the update run; ARM's answer, the resource as it now stands."""
    run = client.put(address.id, address.api_version, body)
    try:
        return checked_update_run(run, 'PUT', client.url_for(address.id))
    except ArmError as exc:
        raise noting_accepted_write(exc)


def checked_update_run(run, method=None, url=None):
    """``run`` when its parts are of the spec's types where the modules read into them; MalformedResponse otherwise.

    The step tree below the root step is read leniently (a malformed step list counts as no steps), so only the
    objects that hold it are checked.
    """
    if run is None:
        return run
    wrong = [key for key in ('id', 'name', 'location') if run.get(key) is not None and not isinstance(run[key], str)]
    if wrong:
        raise malformed_answer('an update run whose %s is not a string (%s)' % (wrong[0], type(run[wrong[0]]).__name__), method, url)
    properties = run.get('properties')
    for what, value in (('properties', properties), ('properties.progress', properties.get('progress') if isinstance(properties, dict) else None)):
        if value is not None and not isinstance(value, dict):
            raise malformed_answer('an update run whose %s is not an object (%s)' % (what, type(value).__name__), method, url)
    return run


def explain_missing_parent(client, address, error):
    """Turn ARM's generic 'parent not found' into which parent is missing; other errors pass through."""
    if error.status != 404 or error.code not in PARENT_MISSING_CODES:
        return error
    where = "resource group '%s' (subscription %s)" % (address.resource_group, address.subscription_id)
    if error.code == 'SubscriptionNotFound':
        message = 'subscription %s not found, or the credential has no access to it' % address.subscription_id
    elif error.code == 'ResourceGroupNotFound':
        message = "resource group '%s' not found in subscription %s" % (address.resource_group, address.subscription_id)
    elif _missing(client, address.cluster_id, address.api_version):
        message = "cluster '%s' not found in %s" % (address.cluster, where)
    elif address.update and _missing(client, address.update_id, address.api_version):
        message = "update '%s' not found on cluster '%s' in %s" % (address.update, address.cluster, where)
    else:
        return error
    return ArmError(message, status=error.status, code=error.code, method=error.method, url=error.url,
                    request_id=error.request_id, correlation_id=error.correlation_id)


def _missing(client, resource_id, api_version):
    try:
        return client.get_optional(resource_id, api_version) is None
    except ArmError as exc:
        return exc.status == 404
