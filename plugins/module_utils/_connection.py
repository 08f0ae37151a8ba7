# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Options -> a ready ArmClient: validate, resolve the cloud, wire the credential.

Shared by modules and the inventory plugin. Everything that can be checked
without the network is checked first, so bad options fail before any request.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported
    urlsplit = None

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_client import ArmClient, ArmError, new_session
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._cloud import (
    CloudError,
    arm_scope,
    cloud_from_metadata,
    is_metadata_url,
    known_cloud,
    with_authority,
)
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._credential import (
    AccessTokens,
    credential_from_plan,
    credential_plan,
    describe,
    token_expiry,
)
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import InvalidOption
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._retry import RETRYABLE_STATUS, RetryPolicy

MAX_SECONDS = 86400
# A wait for an update run or an operation: updates take hours, a week is more than any of them.
MAX_WAIT_SECONDS = 7 * MAX_SECONDS
# Retries back off exponentially up to max_retry_delay each; a hundred of them already last longer than any fault should.
MAX_RETRIES = 100
# A bearer token is printable ASCII without spaces (RFC 6750's b64token); anything else would break the header.
_TOKEN_CHARACTERS = re.compile(r'\A[\x21-\x7e]+\Z')


def check_connection_options(options):
    """Validate what needs no network; returns the credential plan."""
    # 'not x > 0' rather than 'x <= 0': NaN compares false both ways and must be refused too. A day at most: a socket
    # timeout beyond the platform's time_t fails deep inside the HTTP library, and no single request needs longer.
    if options.get('request_timeout') is not None and not 0 < options['request_timeout'] <= MAX_SECONDS:
        raise InvalidOption('request_timeout', 'must be more than 0 and at most %d seconds (a day), got %s' % (MAX_SECONDS, options['request_timeout']))
    if options.get('max_retries') is not None and not 0 <= options['max_retries'] <= MAX_RETRIES:
        raise InvalidOption('max_retries', 'must be 0 to %d, got %s' % (MAX_RETRIES, options['max_retries']))
    if options.get('max_retry_delay') is not None and not 0 <= options['max_retry_delay'] <= MAX_SECONDS:
        raise InvalidOption('max_retry_delay', 'must be 0 to %d seconds (a day), got %s' % (MAX_SECONDS, options['max_retry_delay']))
    cloud_environment = options.get('cloud_environment') or 'AzureCloud'
    if not is_metadata_url(cloud_environment):
        try:
            known_cloud(cloud_environment)
        except CloudError as exc:
            raise InvalidOption('cloud_environment', str(exc))
    elif not cloud_environment.lower().startswith('https://'):
        raise InvalidOption('cloud_environment', 'a cloud metadata URL must use https, got %s' % cloud_environment)
    elif not _hostname(cloud_environment):
        raise InvalidOption('cloud_environment', 'the cloud metadata URL %s names no host' % cloud_environment)
    authority_host = options.get('authority_host')
    if authority_host and '://' in authority_host and not authority_host.lower().startswith('https://'):
        # azure-identity refuses it too, but only once a token is requested and without naming the option.
        raise InvalidOption('authority_host', 'must use https, got %s' % authority_host)
    # requests and azure-identity would fail on a missing file only at the first request, naming the path but not the option.
    if options.get('ca_path') and not os.path.exists(options['ca_path']):
        raise InvalidOption('ca_path', 'no such file or directory: %s' % options['ca_path'])
    if options.get('access_token') and not _TOKEN_CHARACTERS.match(options['access_token']):
        # Never echo the value: requests would quote the whole header in its error, which no_log masking cannot match.
        raise InvalidOption('access_token', 'must be the token alone, but it contains spaces, line breaks or other characters a '
                            'bearer token cannot hold (a YAML block scalar adds a line break: pass the token through the trim filter)')
    plan = credential_plan(options)
    if plan.kind == 'client_certificate' and not os.path.isfile(plan.certificate_path):
        raise InvalidOption('client_certificate_path', 'no such file: %s' % plan.certificate_path)
    if plan.kind == 'workload_identity' and not os.path.isfile(plan.token_file):
        raise InvalidOption('federated_token_file', 'no such file: %s' % plan.token_file)
    return plan


def arm_client_from_options(options):
    """An ArmClient for the cloud and credential the options describe.

    A given access_token is used until it expires (its JWT 'exp') or ARM
    refuses it; then the configured credential gets a fresh one.
    """
    plan = check_connection_options(options)
    initial_token = None
    if options.get('access_token'):
        expiry = token_expiry(options['access_token'])
        initial_token = (options['access_token'], expiry if expiry is not None else float('inf'))
    transport = ArmClient(
        new_session(options.get('ca_path')),
        timeout=options.get('request_timeout') or 30.0,
        policy=RetryPolicy(max_retries=_or(options.get('max_retries'), 5), max_delay=_or(options.get('max_retry_delay'), 60.0)),
    )
    cloud = with_authority(resolve_cloud(options.get('cloud_environment') or 'AzureCloud', transport), options.get('authority_host'))

    def credential():
        return credential_from_plan(plan, cloud, options.get('disable_instance_discovery'), options.get('ca_path'),
                                    transport.timeout, transport.policy.max_retries, transport.policy.max_delay)

    tokens = AccessTokens(credential, arm_scope(cloud), describe(plan), initial=initial_token)
    return transport.bound_to(cloud.resource_manager, tokens)


def resolve_cloud(cloud_environment, transport):
    """A known cloud, or the cloud that a metadata URL describes (one anonymous GET)."""
    if not is_metadata_url(cloud_environment):
        return known_cloud(cloud_environment)
    try:
        return cloud_from_metadata(cloud_environment, transport.fetch_json(cloud_environment))
    except ArmError as exc:
        if exc.status is not None and 300 <= exc.status < 500 and exc.status not in RETRYABLE_STATUS:
            # The endpoint answered and refused the URL (404, or a redirect elsewhere): the option is wrong, and stays
            # wrong on a retry. Throttling (429) and 408 are passing, as 5xx are.
            raise InvalidOption('cloud_environment', 'cannot read the cloud metadata at %s: %s' % (cloud_environment.split('?')[0], exc))
        # An outage, a timeout, an untrusted certificate: the option may be right, and the error keeps its code and ids.
        exc.message = 'cannot read the cloud metadata (cloud_environment): %s' % exc.message
        raise
    except CloudError as exc:
        raise InvalidOption('cloud_environment', str(exc))


def _hostname(url):
    try:
        return urlsplit(url).hostname
    except ValueError:  # 'https://[::1' and other URLs that do not parse
        return None


def _or(value, default):
    return default if value is None else value
