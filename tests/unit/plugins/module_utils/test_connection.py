# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""check_connection_options: every option it can judge without the network is judged before any request."""

from __future__ import annotations

import pytest

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_client import ArmError
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._connection import check_connection_options, resolve_cloud
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import InvalidOption

SP = dict(client_id='app', secret='s3cret', tenant='tenant', cloud_environment='AzureCloud')


@pytest.mark.parametrize('options, option, words', [
    (dict(SP, request_timeout=0.0), 'request_timeout', 'more than 0 and at most 86400 seconds'),
    (dict(SP, request_timeout=float('nan')), 'request_timeout', 'more than 0 and at most 86400 seconds'),
    (dict(SP, request_timeout=float('inf')), 'request_timeout', 'more than 0 and at most 86400 seconds'),
    (dict(SP, request_timeout=1e300), 'request_timeout', 'more than 0 and at most 86400 seconds (a day), got 1e+300'),
    (dict(SP, max_retries=-1), 'max_retries', 'must be 0 to 100, got -1'),
    (dict(SP, max_retries=5000), 'max_retries', 'must be 0 to 100, got 5000'),
    (dict(SP, access_token='eyJ0eXAi.eyJleHAi.c2ln\n'), 'access_token', 'line breaks'),
    (dict(SP, access_token='Bearer eyJ0eXAi.eyJleHAi.c2ln'), 'access_token', 'the token alone'),
    (dict(SP, access_token='eyJ0eXAi.eyJleHAi.c2l\u00f1'), 'access_token', 'the token alone'),
    (dict(SP, max_retry_delay=float('nan')), 'max_retry_delay', '0 to 86400 seconds'),
    (dict(SP, max_retry_delay=1e12), 'max_retry_delay', '0 to 86400 seconds'),
    (dict(SP, cloud_environment='https://'), 'cloud_environment', 'names no host'),
    (dict(SP, cloud_environment='https://[::1/metadata/endpoints'), 'cloud_environment', 'names no host'),
    (dict(SP, cloud_environment='http://arm.lab.test/metadata/endpoints'), 'cloud_environment', 'must use https'),
    (dict(SP, authority_host='http://login.lab.test'), 'authority_host', 'must use https'),
    (dict(SP, ca_path='/nonexistent/hcifleet-ca.pem'), 'ca_path', 'no such file or directory: /nonexistent/hcifleet-ca.pem'),
    (dict(SP, secret=None, client_certificate_path='/nonexistent/app.pem'), 'client_certificate_path', 'no such file: /nonexistent/app.pem'),
    (dict(SP, secret=None, auth_source='workload_identity', federated_token_file='/nonexistent/token'), 'federated_token_file',
     'no such file: /nonexistent/token'),
])
def test_unusable_options_are_named_before_any_request(options, option, words):
    with pytest.raises(InvalidOption) as error:
        check_connection_options(options)
    assert error.value.option == option
    assert words in str(error.value)
    if options.get('access_token'):
        assert options['access_token'].strip() not in str(error.value)  # the message never quotes the token


def test_a_token_of_printable_characters_is_accepted():
    assert check_connection_options(dict(SP, access_token='eyJ0eXAi.eyJleHAi-_.c2ln+/=~')).kind == 'client_secret'


def test_existing_files_and_an_https_authority_are_accepted(tmp_path):
    certificate = tmp_path / 'app.pem'
    certificate.write_text('not read here', encoding='utf-8')
    options = dict(SP, secret=None, client_certificate_path=str(certificate), ca_path=str(tmp_path), authority_host='login.lab.test')
    assert check_connection_options(options).kind == 'client_certificate'


class FailingMetadata:
    """A transport whose metadata read fails with ``error``."""

    def __init__(self, error):
        self.error = error

    def fetch_json(self, url):
        raise self.error


METADATA_URL = 'https://arm.lab.test/metadata/endpoints?api-version=2022-09-01'


@pytest.mark.parametrize('status, code', [(404, 'NotFound'), (302, 'UnexpectedRedirect'), (400, 'BadRequest')])
def test_a_metadata_url_the_server_refuses_is_an_invalid_option(status, code):
    with pytest.raises(InvalidOption) as error:
        resolve_cloud(METADATA_URL, FailingMetadata(ArmError('no', status=status, code=code, method='GET', url=METADATA_URL)))
    assert error.value.option == 'cloud_environment' and 'cannot read the cloud metadata at https://arm.lab.test/metadata/endpoints' in str(error.value)


@pytest.mark.parametrize('status, code', [(429, 'TooManyRequests'), (408, 'RequestTimeout'), (503, 'ServiceUnavailable'),
                                          (None, 'ConnectionError'), (None, 'SSLError')])
def test_a_metadata_url_that_could_not_be_read_for_a_passing_reason_is_a_failed_request(status, code):
    with pytest.raises(ArmError) as error:
        resolve_cloud(METADATA_URL, FailingMetadata(ArmError('busy', status=status, code=code, method='GET', url=METADATA_URL)))
    assert not isinstance(error.value, InvalidOption) and error.value.code == code
    assert error.value.message == 'cannot read the cloud metadata (cloud_environment): busy'
