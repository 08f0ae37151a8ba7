# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from collections import namedtuple

import pytest

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._credential import AccessTokens, credential_plan, describe
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import AuthenticationFailed, InvalidOption

SP = dict(client_id='app', secret='s3cret', tenant='tenant')


@pytest.mark.parametrize('options, kind', [
    (dict(SP), 'client_secret'),
    (dict(SP, auth_source='env'), 'client_secret'),
    (dict(client_id='app', tenant='t', client_certificate_path='/c.pem'), 'client_certificate'),
    (dict(client_id='app', tenant='t', federated_token_file='/token'), 'workload_identity'),
    (dict(auth_source='workload_identity', client_id='app', tenant='t', federated_token_file='/token'), 'workload_identity'),
    (dict(SP, auth_source='cli'), 'azure_cli'),
    (dict(SP, auth_source='msi'), 'managed_identity'),
    ({}, 'managed_identity_or_cli'),
    (dict(client_id='app'), 'managed_identity_or_cli'),
])
def test_the_options_choose_the_credential(options, kind):
    assert credential_plan(options).kind == kind


@pytest.mark.parametrize('options, option, words', [
    (dict(auth_source='env'), 'client_id', 'AZURE_CLIENT_ID'),
    (dict(auth_source='env', client_id='app'), 'tenant', 'AZURE_TENANT'),
    (dict(auth_source='env', client_id='app', tenant='t'), 'secret', 'AZURE_SECRET'),
    (dict(client_id='app', secret='s'), 'tenant', 'AZURE_TENANT_ID'),
    (dict(SP, client_certificate_path='/c.pem'), 'secret', 'set only one'),
    (dict(auth_source='workload_identity', client_id='app', tenant='t'), 'federated_token_file', 'AZURE_FEDERATED_TOKEN_FILE'),
    (dict(secret='s', tenant='t'), 'client_id', 'secret is set but client_id is not'),
    (dict(client_certificate_path='/c.pem', tenant='t'), 'client_id', 'client_certificate_path is set but client_id is not'),
    (dict(auth_source='env', secret='s', tenant='t'), 'client_id', 'auth_source=msi or auth_source=cli'),
])
def test_incomplete_or_conflicting_credentials_name_the_option(options, option, words):
    with pytest.raises(InvalidOption) as error:
        credential_plan(options)
    assert error.value.option == option
    assert words in str(error.value)


def test_a_client_id_alone_is_described_as_the_user_assigned_managed_identity_it_selects():
    assert describe(credential_plan(dict(client_id='app'))).endswith(
        'client id app, which alone (without a secret, certificate or federated token file) selects a user-assigned managed identity')


def test_half_a_service_principal_is_ignored_when_another_source_is_chosen():
    assert credential_plan(dict(secret='s', auth_source='msi')).kind == 'managed_identity'
    assert credential_plan(dict(secret='s', auth_source='cli')).kind == 'azure_cli'


def test_the_description_never_contains_the_secret():
    text = describe(credential_plan(SP))
    assert 's3cret' not in text
    assert 'client id app' in text and 'tenant tenant' in text


Token = namedtuple('Token', ['token', 'expires_on'])


class FakeCredential:
    def __init__(self, tokens):
        self.tokens = list(tokens)
        self.scopes = []

    def get_token(self, scope):
        self.scopes.append(scope)
        return self.tokens.pop(0)


def test_a_valid_initial_token_is_used_without_a_credential():
    tokens = AccessTokens(lambda: pytest.fail('no credential expected'), 'scope/.default', 'x', initial=('given', 10_000), clock=lambda: 1_000)
    assert tokens.token() == 'given'
    assert tokens.acquired == 0


def test_an_expired_initial_token_is_never_used():
    credential = FakeCredential([Token('fresh', 20_000)])
    tokens = AccessTokens(lambda: credential, 'scope/.default', 'x', initial=('old', 1_050), clock=lambda: 1_000)
    assert tokens.token() == 'fresh'
    assert credential.scopes == ['scope/.default']


def test_tokens_are_reused_until_close_to_expiry():
    now = [1_000]
    credential = FakeCredential([Token('one', 2_000), Token('two', 9_000)])
    tokens = AccessTokens(lambda: credential, 's', 'x', clock=lambda: now[0])
    assert [tokens.token(), tokens.token()] == ['one', 'one']
    now[0] = 1_900
    assert tokens.token() == 'two'


def test_invalidate_builds_a_new_credential():
    built = []

    def factory():
        built.append(FakeCredential([Token('t%d' % len(built), 9_999)]))
        return built[-1]

    tokens = AccessTokens(factory, 's', 'x', clock=lambda: 0)
    assert tokens.token() == 't0'
    tokens.invalidate()
    assert tokens.token() == 't1'
    assert len(built) == 2


def credential_raising(exception):
    """A credential factory whose credential raises ``exception`` when asked for a token."""
    class Raising:
        def get_token(self, scope):
            raise exception
    return Raising


def test_authentication_errors_become_one_readable_failure():
    from azure.core.exceptions import ClientAuthenticationError

    refusing = credential_raising(ClientAuthenticationError(message='AADSTS7000215: Invalid client secret provided.\nTrace ID: 1\n\nmore'))
    tokens = AccessTokens(refusing, 's', 'service principal with a client secret, client id app', clock=lambda: 0)
    with pytest.raises(AuthenticationFailed) as error:
        tokens.token()
    assert str(error.value) == ('authentication failed (service principal with a client secret, client id app): '
                                'AADSTS7000215: Invalid client secret provided. Trace ID: 1 more')


@pytest.mark.parametrize('message, passing', [
    # azure-identity's wording of what the emulator's token endpoint faults produce
    ('Authentication failed: HTTP Error: 503', True),
    ('Authentication failed: AADSTS90055: The number of requests sent to this tenant has exceeded the threshold.', True),
    ("Authentication failed: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))", True),
    ("Authentication failed: HTTPSConnectionPool(host='127.0.0.1', port=1): Read timed out. (read timeout=2)", True),
    ('Authentication failed: AADSTS7000215: Invalid client secret provided.', False),
    ('Authentication failed: Unable to get authority configuration for https://login.lab.test/t.', False),
])
def test_a_failure_that_may_pass_is_told_from_a_refusal(message, passing):
    from azure.core.exceptions import ClientAuthenticationError

    tokens = AccessTokens(credential_raising(ClientAuthenticationError(message=message)), 's', 'sp', clock=lambda: 0)
    with pytest.raises(AuthenticationFailed) as error:
        tokens.token()
    assert error.value.passing is passing


def test_a_chain_names_every_credential_it_tried_with_its_reason():
    from azure.identity import CredentialUnavailableError

    # azure-identity's ChainedTokenCredential message, as it is worded
    chain = credential_raising(CredentialUnavailableError(message=(
        'ChainedTokenCredential failed to retrieve a token from the included credentials.\nAttempted credentials:\n'
        '\tManagedIdentityCredential: ManagedIdentityCredential authentication unavailable.\n'
        '\tAzureCliCredential: Azure CLI not found on path\n'
        'To mitigate this issue, please refer to the troubleshooting guidelines here at https://aka.ms/azsdk/python/identity')))
    tokens = AccessTokens(chain, 's', 'a managed identity, then the Azure CLI', clock=lambda: 0)
    with pytest.raises(AuthenticationFailed) as error:
        tokens.token()
    assert str(error.value) == ('authentication failed (a managed identity, then the Azure CLI): ChainedTokenCredential failed to retrieve '
                                'a token from the included credentials. Attempted credentials: ManagedIdentityCredential: '
                                'ManagedIdentityCredential authentication unavailable. AzureCliCredential: Azure CLI not found on path')


def test_azure_core_without_azure_identity_is_named_not_a_traceback():
    def factory():  # what credential_from_plan's 'from azure import identity' raises when only azure-core is installed
        raise ImportError("cannot import name 'identity' from 'azure' (unknown location)")

    tokens = AccessTokens(factory, 's', 'service principal with a client secret, client id app', clock=lambda: 0)
    with pytest.raises(AuthenticationFailed) as error:
        tokens.token()
    assert str(error.value) == ('authentication needs the Python package azure-identity on the host that runs the task '
                                '(pip install azure-identity): service principal with a client secret, client id app '
                                "(cannot import name 'identity' from 'azure' (unknown location))")


def test_the_token_endpoints_raw_answer_is_not_repeated_in_the_failure():
    from azure.core.exceptions import ClientAuthenticationError

    garbled = credential_raising(ClientAuthenticationError(message='Authentication failed: JSON is invalid: Expecting value: line 1 column 9\n'
                                                                   'Content: {"token_type": "Bearer", "access_token": "eyJ0eXAiOiJKV1Qi'))
    tokens = AccessTokens(garbled, 's', 'service principal with a client secret, client id app', clock=lambda: 0)
    with pytest.raises(AuthenticationFailed) as error:
        tokens.token()
    assert str(error.value) == ('authentication failed (service principal with a client secret, client id app): '
                                'Authentication failed: JSON is invalid: Expecting value: line 1 column 9')


@pytest.mark.parametrize('options, class_name', [
    (dict(SP), 'ClientSecretCredential'),
    (dict(auth_source='workload_identity', client_id='app', tenant='tenant', federated_token_file='/token'), 'WorkloadIdentityCredential'),
    (dict(auth_source='msi', client_id='app'), 'ManagedIdentityCredential'),
    (dict(auth_source='msi'), 'ManagedIdentityCredential'),
    (dict(auth_source='cli'), 'AzureCliCredential'),
    ({}, 'ChainedTokenCredential'),
])
def test_each_plan_builds_its_azure_identity_credential(options, class_name):
    from ansible_collections.hcifleet.azure_hci.plugins.module_utils._cloud import known_cloud
    from ansible_collections.hcifleet.azure_hci.plugins.module_utils._credential import credential_from_plan

    credential = credential_from_plan(credential_plan(options), known_cloud('AzureCloud'))
    assert type(credential).__name__ == class_name


def test_a_private_authority_skips_instance_discovery():
    from ansible_collections.hcifleet.azure_hci.plugins.module_utils._cloud import known_cloud, with_authority
    from ansible_collections.hcifleet.azure_hci.plugins.module_utils._credential import credential_from_plan

    cloud = with_authority(known_cloud('AzureCloud'), 'https://login.lab.test/')
    credential = credential_from_plan(credential_plan(SP), cloud)
    # azure-identity keeps the setting as _instance_discovery (the opposite of disable_instance_discovery).
    assert credential._instance_discovery is False  # pylint: disable=protected-access
    assert credential._authority == 'https://login.lab.test'  # pylint: disable=protected-access
    public = credential_from_plan(credential_plan(SP), known_cloud('AzureCloud'))
    assert public._instance_discovery is True  # pylint: disable=protected-access


def test_an_access_token_without_a_credential_fails_clearly_once_expired():
    from ansible_collections.hcifleet.azure_hci.plugins.module_utils._cloud import known_cloud
    from ansible_collections.hcifleet.azure_hci.plugins.module_utils._credential import credential_from_plan

    plan = credential_plan({'access_token': 'opaque'})
    assert plan.kind == 'access_token_only'
    with pytest.raises(AuthenticationFailed, match='no credential is configured'):
        credential_from_plan(plan, known_cloud('AzureCloud'))


def test_token_expiry_is_read_from_a_jwt_and_unknown_otherwise():
    import base64
    import json

    from ansible_collections.hcifleet.azure_hci.plugins.module_utils._credential import token_expiry

    payload = base64.urlsafe_b64encode(json.dumps({'exp': 1767225600}).encode()).decode().rstrip('=')
    assert token_expiry('eyJhbGciOiJub25lIn0.%s.sig' % payload) == 1767225600.0
    assert token_expiry('opaque-token') is None
    assert token_expiry('a.b.c') is None
