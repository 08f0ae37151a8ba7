# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one place that turns options and environment into an access token source.

credential_plan() is pure: it decides which azure-identity credential the
options describe and rejects incomplete or conflicting ones before any request.
azure.identity is imported only when a token is actually needed, so a task
that already holds a valid token never pays for that import.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import time
from collections import namedtuple

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import AuthenticationFailed, InvalidOption

CredentialPlan = namedtuple('CredentialPlan', ['kind', 'tenant', 'client_id', 'secret', 'certificate_path', 'certificate_password', 'token_file'])

KIND_DESCRIPTIONS = {
    'client_secret': 'service principal with a client secret',
    'client_certificate': 'service principal with a client certificate',
    'workload_identity': 'workload identity (federated token file)',
    'managed_identity': 'managed identity',
    'azure_cli': 'Azure CLI login',
    'managed_identity_or_cli': ('no service principal or workload identity is configured (set client_id, secret and tenant, or the '
                                'AZURE_CLIENT_ID, AZURE_SECRET and AZURE_TENANT variables an AWX Azure credential sets), so a managed '
                                'identity and then the Azure CLI login were tried'),
    'access_token_only': 'the access_token option',
}
# How azure-identity (MSAL) words a token endpoint failure that may pass: throttling (AADSTS90055, 429), a 5xx, a
# dropped or refused connection, a timeout, a cut-off answer. Anything else, a refused credential first, is lasting.
PASSING_FAULT_MARKERS = ('AADSTS90055', 'HTTP Error: 429', 'HTTP Error: 5', 'Connection aborted', 'Failed to establish a new connection',
                         'Read timed out', 'JSON is invalid')
# Refresh a little before expiry so a token never expires in flight.
EXPIRY_MARGIN_SECONDS = 120


def credential_plan(options):
    """Which credential the options describe. Raises InvalidOption naming what is missing or conflicting."""
    source = options.get('auth_source') or 'auto'
    client_id = options.get('client_id')
    secret = options.get('secret')
    certificate = options.get('client_certificate_path')
    token_file = options.get('federated_token_file')
    tenant = options.get('tenant')

    def plan(kind):
        return CredentialPlan(kind, tenant, client_id, secret, certificate, options.get('client_certificate_password'), token_file)

    if source == 'cli':
        return plan('azure_cli')
    if source == 'msi':
        return plan('managed_identity')
    if source == 'workload_identity':
        _require(options, ('client_id', 'tenant', 'federated_token_file'), source)
        return plan('workload_identity')
    if not client_id and (secret or certificate):
        # Half a service principal: falling back to a managed identity or the CLI login would sign in as someone else.
        raise InvalidOption('client_id', '%s is set but client_id is not: set client_id (or AZURE_CLIENT_ID) for the service principal, or '
                            'auth_source=msi or auth_source=cli to sign in another way' % ('secret' if secret else 'client_certificate_path'))
    if source == 'env' or client_id and (secret or certificate):
        _require(options, ('client_id', 'tenant'), source)
        if secret and certificate:
            raise InvalidOption('secret', 'secret and client_certificate_path are both set (as options or through AZURE_SECRET / '
                                'AZURE_CLIENT_CERTIFICATE_PATH); set only one of them')
        if certificate:
            return plan('client_certificate')
        if not secret:
            raise InvalidOption('secret', 'auth_source=%s needs a service principal: set secret (or AZURE_SECRET / AZURE_CLIENT_SECRET) '
                                'or client_certificate_path (or AZURE_CLIENT_CERTIFICATE_PATH)' % source)
        return plan('client_secret')
    if client_id and token_file:
        _require(options, ('tenant',), source)
        return plan('workload_identity')
    if options.get('access_token'):
        return plan('access_token_only')
    return plan('managed_identity_or_cli')


def _require(options, names, source):
    env = {
        'client_id': 'AZURE_CLIENT_ID',
        'tenant': 'AZURE_TENANT or AZURE_TENANT_ID',
        'federated_token_file': 'AZURE_FEDERATED_TOKEN_FILE',
    }
    for name in names:
        if not options.get(name):
            raise InvalidOption(name, 'auth_source=%s needs %s (or %s)' % (source, name, env[name]))


def describe(plan):
    """Where a token comes from, for error messages: never a secret."""
    parts = [KIND_DESCRIPTIONS[plan.kind]]
    if plan.client_id and plan.kind == 'managed_identity_or_cli':
        parts.append('client id %s, which alone (without a secret, certificate or federated token file) selects a user-assigned '
                     'managed identity' % plan.client_id)
    elif plan.client_id:
        parts.append('client id %s' % plan.client_id)
    if plan.tenant and plan.kind not in ('azure_cli', 'managed_identity', 'managed_identity_or_cli'):
        parts.append('tenant %s' % plan.tenant)
    return ', '.join(parts)


def credential_from_plan(plan, cloud, disable_instance_discovery=None, ca_path=None, timeout=30.0, max_retries=5, max_retry_delay=60.0):
    """The azure-identity credential for a plan (imports azure.identity)."""
    if plan.kind == 'access_token_only':
        raise AuthenticationFailed('the access_token expired or was refused, and no credential is configured to get a new one '
                                   '(set client_id/secret/tenant, the AZURE_* variables, or auth_source)')
    from azure import identity  # pylint: disable=import-outside-toplevel  # heavy; only when a token is needed

    if disable_instance_discovery is None:
        # A non-public authority (Azure Stack, the emulator) has no instance discovery endpoint.
        disable_instance_discovery = not cloud.public_authority
    transport = {
        'connection_timeout': timeout,
        'read_timeout': timeout,
        'retry_total': max_retries,
        'retry_backoff_max': max_retry_delay,
    }
    if ca_path:
        transport['connection_verify'] = ca_path
    aad = dict(transport, authority=cloud.authority, disable_instance_discovery=disable_instance_discovery)
    if plan.kind == 'client_secret':
        return identity.ClientSecretCredential(plan.tenant, plan.client_id, plan.secret, **aad)
    if plan.kind == 'client_certificate':
        return identity.CertificateCredential(plan.tenant, plan.client_id, plan.certificate_path, password=plan.certificate_password, **aad)
    if plan.kind == 'workload_identity':
        return identity.WorkloadIdentityCredential(tenant_id=plan.tenant, client_id=plan.client_id, token_file_path=plan.token_file, **aad)
    # A user-assigned managed identity is selected by client id; a system-assigned one takes no id at all.
    managed = dict(transport, client_id=plan.client_id) if plan.client_id else transport
    cli_timeout = int(max(timeout, 10))
    if plan.kind == 'managed_identity':
        return identity.ManagedIdentityCredential(**managed)
    if plan.kind == 'azure_cli':
        return identity.AzureCliCredential(process_timeout=cli_timeout)
    return identity.ChainedTokenCredential(identity.ManagedIdentityCredential(**managed), identity.AzureCliCredential(process_timeout=cli_timeout))


MISSING_AZURE_IDENTITY = 'authentication needs the Python package azure-identity on the host that runs the task (pip install azure-identity): %s'


class AccessTokens:
    """Bearer tokens for one scope, from a credential built on first use.

    ``initial`` is an already acquired (token, expires_on) pair: it is used
    while it is valid and never after it expires. invalidate() drops the
    token and the credential, so the next token is freshly issued rather
    than taken from azure-identity's in-memory cache.
    """

    def __init__(self, credential_factory, scope, description, initial=None, clock=time.time):
        self._factory = credential_factory
        self.scope = scope
        self.description = description
        self._clock = clock
        self._credential = None
        self._token = initial[0] if initial else None
        self._expires_on = float(initial[1]) if initial else 0.0
        self.acquired = 0

    def token(self):
        if self._token and self._expires_on - EXPIRY_MARGIN_SECONDS > self._clock():
            return self._token
        self._token, self._expires_on = self._acquire()
        return self._token

    @property
    def expires_on(self):
        return self._expires_on

    def invalidate(self):
        self._token = None
        self._expires_on = 0.0
        self._credential = None

    def _acquire(self):
        try:
            from azure.core.exceptions import ClientAuthenticationError  # pylint: disable=import-outside-toplevel
        except ImportError:
            raise AuthenticationFailed(MISSING_AZURE_IDENTITY % self.description)
        try:
            if self._credential is None:
                self._credential = self._factory()
            access = self._credential.get_token(self.scope)
        except ImportError as exc:  # azure-core installed without azure-identity (or a broken dependency of it)
            raise AuthenticationFailed('%s (%s)' % (MISSING_AZURE_IDENTITY % self.description, exc))
        except ClientAuthenticationError as exc:  # CredentialUnavailableError is a subclass
            message = _readable_message(exc)
            raise AuthenticationFailed('authentication failed (%s): %s' % (self.description, message),
                                       passing=any(marker in message for marker in PASSING_FAULT_MARKERS))
        except (OSError, ValueError) as exc:
            # An unreadable certificate or token file, a malformed tenant id.
            raise AuthenticationFailed('authentication failed (%s): %s' % (self.description, exc))
        self.acquired += 1
        return access.token, float(access.expires_on)


def token_expiry(token):
    """The expiry (epoch seconds) of a JWT access token from its 'exp' claim, or None if it is not a JWT.

    Read without verifying the signature: it only decides when to stop using a
    token we were given, never whether to trust it (ARM does that).
    """
    parts = token.split('.') if isinstance(token, str) else []
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + '=' * (-len(parts[1]) % 4)).decode('utf-8'))
        return float(claims['exp'])
    except (ValueError, KeyError, TypeError):
        return None


def _readable_message(exc):
    """azure-identity's message on one line: each credential a chain tried with its reason, without the noise."""
    message = getattr(exc, 'message', None) or str(exc)
    lines = [line.strip() for line in str(message).splitlines() if line.strip()]
    # MSAL appends the raw answer of the token endpoint ('Content: ...') to a JSON error: that body is not ours to print.
    lines = lines[:next((index for index, line in enumerate(lines) if line.startswith('Content:')), len(lines))]
    lines = [line for line in lines if not line.startswith('To mitigate this issue')]
    return ' '.join(lines) if lines else exc.__class__.__name__
