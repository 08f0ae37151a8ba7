# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ARM client against a fake HTTP session (the only mock: the HTTP boundary)."""

from __future__ import annotations

import json

import pytest
import requests
from requests.structures import CaseInsensitiveDict

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_client import ArmClient, ArmError
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._retry import RetryPolicy

BASE = 'https://management.example.test/'


class Reply:
    def __init__(self, status=200, body=None, headers=None, raw=None):
        self.status_code = status
        self.headers = CaseInsensitiveDict(headers or {})
        self.headers.setdefault('x-ms-request-id', 'req-%d' % status)
        self.content = raw if raw is not None else (json.dumps(body).encode() if body is not None else b'')
        self.reason = 'reason'


class FakeSession:
    """Answers requests from a script of replies or exceptions; records what was sent."""

    verify = True

    def __init__(self, *script):
        self.script = list(script)
        self.sent = []

    def request(self, method, url, data=None, headers=None, timeout=None, verify=None, allow_redirects=True):
        self.sent.append(dict(method=method, url=url, data=json.loads(data) if data else None, headers=headers, timeout=timeout, verify=verify,
                              allow_redirects=allow_redirects))
        answer = self.script.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class FakeTokens:
    def __init__(self):
        self.issued = 0

    def token(self):
        self.issued += 1
        return 'token-%d' % self.issued

    def invalidate(self):
        self.issued += 100


def client(*script, retries=3, max_delay=30):
    """A client on a fake session and a fake clock that only its sleeps move."""
    session = FakeSession(*script)
    sleeps = []
    now = [1000.0]

    def sleep(seconds):
        sleeps.append(seconds)
        now[0] += seconds

    arm = ArmClient(session, BASE, FakeTokens(), timeout=5, policy=RetryPolicy(max_retries=retries, max_delay=max_delay),
                    sleep=sleep, clock=lambda: now[0])
    return arm, session, sleeps


def arm_error(status, code, message='m'):
    return Reply(status, {'error': {'code': code, 'message': message}}, {'x-ms-correlation-request-id': 'corr'})


def test_get_sends_api_version_bearer_token_and_correlation_id():
    arm, session, _sleeps = client(Reply(200, {'id': 'x'}))
    assert arm.get('/subscriptions/s/thing', '2024-04-01') == {'id': 'x'}
    sent = session.sent[0]
    assert sent['url'] == BASE + 'subscriptions/s/thing?api-version=2024-04-01'
    assert sent['headers']['Authorization'] == 'Bearer token-1'
    assert sent['headers']['x-ms-correlation-request-id'] == arm.correlation_id
    assert sent['timeout'] == 5


def test_throttling_is_retried_after_the_servers_hint():
    arm, session, sleeps = client(Reply(429, headers={'Retry-After': '7'}), Reply(200, {'ok': True}))
    assert arm.get('/x', 'v') == {'ok': True}
    assert sleeps == [7.0]
    assert len(session.sent) == 2


@pytest.mark.parametrize('status', [500, 502, 503, 504])
def test_server_errors_are_retried_with_backoff(status):
    arm, _session, sleeps = client(arm_error(status, 'InternalServerError'), Reply(200, {}))
    assert arm.get('/x', 'v') == {}
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 1.0


def test_exhausted_retries_fail_with_the_arm_error_and_ids():
    arm, session, sleeps = client(*[arm_error(503, 'ServiceUnavailable', 'busy')] * 4, retries=3)
    with pytest.raises(ArmError) as error:
        arm.get('/x', 'v')
    assert len(session.sent) == 4 and len(sleeps) == 3
    assert error.value.status == 503 and error.value.code == 'ServiceUnavailable'
    assert error.value.request_id == 'req-503' and error.value.correlation_id == 'corr'
    assert str(error.value) == ('GET https://management.example.test/x failed: HTTP 503 ServiceUnavailable: busy (gave up after 4 attempts) '
                                '(request id req-503, correlation id corr)')


def test_dropped_connections_and_timeouts_are_retried():
    arm, _session, sleeps = client(requests.exceptions.ConnectionError('reset'), requests.exceptions.ReadTimeout('slow'), Reply(200, {'a': 1}))
    assert arm.put('/x', 'v', {'a': 1}) == {'a': 1}
    assert len(sleeps) == 2


def test_a_timeout_that_persists_fails_cleanly():
    arm, _session, _sleeps = client(*[requests.exceptions.ReadTimeout('slow')] * 2, retries=1)
    with pytest.raises(ArmError) as error:
        arm.get('/x', 'v')
    assert error.value.code == 'Timeout'
    assert 'no answer within 5 seconds (request_timeout) (gave up after 2 attempts)' in str(error.value)
    assert error.value.correlation_id == arm.correlation_id


MAYBE_APPLIED = ('an attempt whose outcome is unknown (its answer was lost, or a server error ended it) may have been applied in Azure: '
                 'run the task again to see')


@pytest.mark.parametrize('lost', [requests.exceptions.ReadTimeout('slow'), requests.exceptions.ConnectionError('reset by peer'),
                                  Reply(200, raw=b'{"id": "/sub'), arm_error(500, 'InternalServerError'), arm_error(502, 'BadGateway'),
                                  arm_error(504, 'GatewayTimeout')])
def test_a_write_that_fails_after_an_answer_was_lost_says_it_may_have_been_applied(lost):
    arm, _session, _sleeps = client(lost, arm_error(503, 'ServiceUnavailable', 'busy'), retries=1)
    with pytest.raises(ArmError) as error:
        arm.put('/x', 'v', {'a': 1})
    assert str(error.value).startswith('PUT https://management.example.test/x failed: HTTP 503 ServiceUnavailable: busy (gave up after 2 attempts)')
    assert MAYBE_APPLIED in str(error.value)
    arm, _session, _sleeps = client(lost, arm_error(409, 'Conflict', 'locked'), retries=1)
    with pytest.raises(ArmError) as error:
        arm.delete('/x', 'v')
    assert error.value.code == 'Conflict' and MAYBE_APPLIED in str(error.value)


@pytest.mark.parametrize('method, script', [
    ('put', [arm_error(503, 'ServiceUnavailable', 'busy')] * 2),  # turned away every time: nothing was applied
    ('put', [arm_error(429, 'TooManyRequests', 'slow down')] * 2),
    ('get', [arm_error(504, 'GatewayTimeout', 'slow')] * 2),  # a read changes nothing
    ('put', [requests.exceptions.ConnectTimeout('no route')] * 2),  # never connected, so never sent
    ('get', [requests.exceptions.ReadTimeout('slow')] * 2),  # a read changes nothing
])
def test_a_failure_where_no_write_can_have_landed_says_nothing_of_the_kind(method, script):
    arm, _session, _sleeps = client(*script, retries=1)
    with pytest.raises(ArmError) as error:
        getattr(arm, method)('/x', 'v', *([{'a': 1}] if method == 'put' else []))
    assert 'may have been applied' not in str(error.value)


def test_a_malformed_body_is_retried_then_reported():
    arm, _session, _sleeps = client(Reply(200, raw=b'{"id": "/sub'), Reply(200, raw=b'<html>'), retries=1)
    with pytest.raises(ArmError) as error:
        arm.get('/x', 'v')
    assert error.value.code == 'MalformedResponse'
    assert 'not valid JSON' in str(error.value)


@pytest.mark.parametrize('failure', [
    requests.exceptions.InvalidURL("Failed to parse: Host 'exa mple.com' contains invalid character ' '"),
    requests.exceptions.TooManyRedirects('Exceeded 30 redirects.'),
    OSError('Could not find a suitable TLS CA certificate bundle, invalid path: /gone.pem'),
])
def test_other_transport_failures_fail_cleanly_without_a_retry(failure):
    arm, session, sleeps = client(failure)
    with pytest.raises(ArmError) as error:
        arm.get('/x', 'v')
    assert error.value.code == 'RequestError'
    assert str(error.value) == 'GET https://management.example.test/x failed: RequestError: request failed: %s' % failure
    assert len(session.sent) == 1 and sleeps == []


def test_client_errors_are_not_retried():
    arm, session, sleeps = client(arm_error(400, 'InvalidRequestContent', 'bad body'))
    with pytest.raises(ArmError) as error:
        arm.put('/x', 'v', {})
    assert (error.value.status, error.value.code, error.value.message) == (400, 'InvalidRequestContent', 'bad body')
    assert len(session.sent) == 1 and sleeps == []


def test_an_expired_token_is_refreshed_once():
    arm, session, _sleeps = client(arm_error(401, 'ExpiredAuthenticationToken'), Reply(200, {'ok': 1}))
    assert arm.get('/x', 'v') == {'ok': 1}
    assert session.sent[0]['headers']['Authorization'] != session.sent[1]['headers']['Authorization']


def test_a_token_refused_twice_fails():
    arm, _session, _sleeps = client(arm_error(401, 'ExpiredAuthenticationToken'), arm_error(401, 'ExpiredAuthenticationToken', 'expired'))
    with pytest.raises(ArmError) as error:
        arm.get('/x', 'v')
    assert error.value.status == 401


def test_get_optional_is_none_for_a_missing_resource_only():
    arm, _session, _sleeps = client(arm_error(404, 'ResourceNotFound'), arm_error(404, 'ParentResourceNotFound'))
    assert arm.get_optional('/x', 'v') is None
    with pytest.raises(ArmError):
        arm.get_optional('/x', 'v')


def test_lists_follow_next_link():
    arm, session, _sleeps = client(Reply(200, {'value': [{'id': 1}, {'id': 2}], 'nextLink': BASE + 'x?page=2'}), Reply(200, {'value': [{'id': 3}]}))
    assert list(arm.list('/x', 'v')) == [{'id': 1}, {'id': 2}, {'id': 3}]
    assert session.sent[1]['url'] == BASE + 'x?page=2'


def test_a_next_link_to_another_host_is_refused_before_sending_the_token():
    arm, session, _sleeps = client(Reply(200, {'value': [{'id': 1}], 'nextLink': 'https://evil.test/x'}))
    with pytest.raises(ArmError, match='refusing to send credentials'):
        list(arm.list('/x', 'v'))
    assert len(session.sent) == 1


def test_a_next_link_that_repeats_ends_the_list_with_an_error_instead_of_looping():
    again = BASE + 'x?api-version=v&$skipToken=same'
    arm, session, _sleeps = client(Reply(200, {'value': [{'id': 1}], 'nextLink': again}), Reply(200, {'value': [{'id': 2}], 'nextLink': again}))
    items = []
    with pytest.raises(ArmError) as error:
        items.extend(arm.list('/x', 'v'))
    assert error.value.code == 'NextLinkLoop'
    assert items == [{'id': 1}, {'id': 2}]
    assert len(session.sent) == 2


@pytest.mark.parametrize('page', [[{'id': 1}], 'value', {'value': {'id': 1}}, {'value': [1, 2]}, {'value': ['a']}])
def test_a_list_page_of_the_wrong_shape_fails_cleanly_without_a_retry(page):
    arm, session, sleeps = client(Reply(200, {'value': [{'id': 0}], 'nextLink': BASE + 'x?page=2'}), Reply(200, page))
    items = []
    with pytest.raises(ArmError) as error:
        items.extend(arm.list('/x', 'v'))
    assert error.value.code == 'MalformedResponse'
    assert (error.value.method, error.value.url) == ('GET', BASE + 'x?page=2')
    assert 'a list page that is not an object with a list of objects in value' in str(error.value)
    assert items == [{'id': 0}] and len(session.sent) == 2 and sleeps == []


@pytest.mark.parametrize('body, kind', [([{'id': 1}], 'list'), ('text', 'str'), (7, 'int')])
def test_a_resource_that_is_not_an_object_fails_cleanly_without_a_retry(body, kind):
    arm, session, sleeps = client(Reply(200, body))
    with pytest.raises(ArmError) as error:
        arm.get('/x', 'v')
    assert (error.value.code, error.value.request_id) == ('MalformedResponse', 'req-200')
    assert 'ARM answered with a %s where a resource (an object) belongs' % kind in str(error.value)
    assert len(session.sent) == 1 and sleeps == []


def test_a_write_answered_with_something_else_than_a_resource_may_have_been_applied():
    arm, session, _sleeps = client(Reply(200, ['accepted']))
    with pytest.raises(ArmError) as error:
        arm.put('/x', 'v', {'a': 1})
    assert error.value.code == 'MalformedResponse' and error.value.method == 'PUT'
    assert 'the write was accepted, so it may have been applied in Azure' in str(error.value)
    assert len(session.sent) == 1


def test_an_invalid_header_never_quotes_the_header():
    header = 'Bearer eyJ0eXAi.secret-part\n'
    arm, _session, _sleeps = client(requests.exceptions.InvalidHeader('Invalid leading whitespace, reserved character(s), or return '
                                                                      "character(s) in header value: %r" % header))
    with pytest.raises(ArmError) as error:
        arm.get('/x', 'v')
    assert error.value.code == 'RequestError'
    assert 'secret-part' not in str(error.value) and 'a request header is not valid' in str(error.value)


def test_delete_follows_azure_async_operation_to_success():
    operation = BASE + 'operations/1?api-version=v'
    arm, session, sleeps = client(
        Reply(202, headers={'Azure-AsyncOperation': operation, 'Retry-After': '2'}),
        Reply(200, {'status': 'InProgress'}, {'Retry-After': '3'}),
        Reply(200, {'status': 'Succeeded'}),
    )
    assert arm.delete('/x', 'v') == 202
    assert [sent['url'] for sent in session.sent[1:]] == [operation, operation]
    assert sleeps == [2.0, 3.0]


def test_a_failed_operation_reports_its_error():
    arm, _session, _sleeps = client(
        Reply(202, headers={'Azure-AsyncOperation': BASE + 'op'}),
        Reply(200, {'status': 'Failed', 'error': {'code': 'DeleteFailed', 'message': 'locked'}}),
    )
    with pytest.raises(ArmError) as error:
        arm.delete('/x', 'v')
    assert (error.value.code, error.value.message, error.value.status) == ('DeleteFailed', 'the operation ended Failed: locked', None)
    assert 'HTTP' not in str(error.value)  # the poll answered 200; what failed is the operation


def test_an_operation_that_outlasts_the_timeout_fails_after_a_last_poll_at_the_deadline():
    arm, session, sleeps = client(Reply(202, headers={'Location': BASE + 'op', 'Retry-After': '10'}),
                                  Reply(202, headers={'Retry-After': '10'}))
    with pytest.raises(ArmError) as error:
        arm.delete('/x', 'v', operation_timeout=5)
    assert error.value.code == 'OperationTimeout'
    assert 'within 5 seconds' in error.value.message
    assert sleeps == [5.0]
    assert [sent['url'] for sent in session.sent[1:]] == [BASE + 'op']


def test_an_operation_that_ends_before_the_deadline_is_seen_although_retry_after_is_longer():
    arm, session, sleeps = client(Reply(202, headers={'Azure-AsyncOperation': BASE + 'op', 'Retry-After': '60'}),
                                  Reply(200, {'status': 'Succeeded'}))
    assert arm.delete('/x', 'v', operation_timeout=30) == 202
    assert sleeps == [30.0]
    assert len(session.sent) == 2


def test_a_zero_operation_timeout_still_reads_the_status_once():
    arm, session, sleeps = client(Reply(202, headers={'Location': BASE + 'op', 'Retry-After': '5'}), Reply(204))
    assert arm.delete('/x', 'v', operation_timeout=0) == 202
    assert sleeps == [0.0]
    assert len(session.sent) == 2


def test_a_zero_max_delay_does_not_turn_polling_into_a_busy_loop():
    arm, _session, sleeps = client(Reply(202, headers={'Location': BASE + 'op', 'Retry-After': '10'}),
                                   Reply(202, headers={'Retry-After': '10'}), Reply(202), Reply(204), max_delay=0)
    assert arm.delete('/x', 'v', operation_timeout=60) == 202
    assert sleeps == [1.0, 1.0, 1.0]


def test_delete_without_an_operation_is_done():
    arm, session, _sleeps = client(Reply(204))
    assert arm.delete('/x', 'v') == 204
    assert len(session.sent) == 1


def test_metadata_is_fetched_without_a_token():
    arm, session, _sleeps = client(Reply(200, {'authentication': {}}))
    assert arm.fetch_json('https://other.test/metadata/endpoints?api-version=2015-01-01') == {'authentication': {}}
    assert 'Authorization' not in session.sent[0]['headers']


def test_an_explicit_ca_path_is_passed_with_every_request():
    session = FakeSession(Reply(200, {}))
    session.verify = '/etc/lab-ca.pem'
    ArmClient(session, BASE, FakeTokens()).get('/x', 'v')
    assert session.sent[0]['verify'] == '/etc/lab-ca.pem'


def test_a_next_link_with_the_default_port_written_out_is_the_same_origin():
    arm, session, _sleeps = client(Reply(200, {'value': [{'id': 1}], 'nextLink': 'https://management.example.test:443/x?page=2'}),
                                   Reply(200, {'value': [{'id': 2}]}))
    assert list(arm.list('/x', 'v')) == [{'id': 1}, {'id': 2}]
    assert len(session.sent) == 2


def test_one_attempt_is_singular():
    arm, _session, _sleeps = client(arm_error(503, 'ServiceUnavailable', 'busy'), retries=0)
    with pytest.raises(ArmError, match=r'gave up after 1 attempt\)'):
        arm.get('/x', 'v')


def test_an_empty_answer_to_a_read_is_retried_then_malformed_never_an_absent_resource():
    arm, session, _sleeps = client(Reply(200), Reply(200, raw=b'  '), retries=1)
    with pytest.raises(ArmError) as error:
        arm.get('/x', 'v')
    assert (error.value.code, error.value.status) == ('MalformedResponse', 200)
    assert 'ARM answered HTTP 200 without a body (gave up after 2 attempts)' in str(error.value)
    assert len(session.sent) == 2
    arm, _session, _sleeps = client(Reply(200), Reply(200, {'id': 'x'}), retries=1)
    assert arm.get_optional('/x', 'v') == {'id': 'x'}


@pytest.mark.parametrize('page', [None, {}, {'value': None}, {'value': [], 'nextLink': 7}])
def test_a_list_page_without_its_list_fails_rather_than_leaving_items_out(page):
    arm, _session, _sleeps = client(*([Reply(200, page)] * 2), retries=1)
    with pytest.raises(ArmError) as error:
        list(arm.list('/x', 'v'))
    assert error.value.code == 'MalformedResponse'


@pytest.mark.parametrize('status', [301, 302, 303, 307])
def test_a_redirect_is_never_followed(status):
    arm, session, _sleeps = client(Reply(status, headers={'Location': BASE + 'elsewhere?sig=1'}))
    with pytest.raises(ArmError) as error:
        arm.put('/x', 'v', {'a': 1})
    assert (error.value.status, error.value.code) == (status, 'UnexpectedRedirect')
    assert 'a redirect to https://management.example.test/elsewhere, which is not followed' in str(error.value)
    assert session.sent[0]['allow_redirects'] is False and len(session.sent) == 1


def test_a_redirect_with_a_page_for_a_body_is_still_a_redirect_and_not_retried():
    arm, session, _sleeps = client(Reply(302, headers={'Location': BASE + 'login'}, raw=b'<html><body>Moved</body></html>'))
    with pytest.raises(ArmError) as error:
        arm.put('/x', 'v', {'a': 1})
    assert (error.value.status, error.value.code) == (302, 'UnexpectedRedirect')
    assert 'may have been applied' not in str(error.value) and len(session.sent) == 1


def test_a_bare_code_and_message_are_read_as_arms_error():
    arm, _session, _sleeps = client(Reply(400, {'code': 'InvalidApiVersionParameter', 'message': "The api-version '1' is invalid."}))
    with pytest.raises(ArmError) as error:
        arm.get('/x', 'v')
    assert (error.value.code, error.value.message) == ('InvalidApiVersionParameter', "The api-version '1' is invalid.")


def test_an_accepted_deletion_without_an_operation_to_follow_says_it_may_still_complete():
    arm, _session, _sleeps = client(Reply(202))
    with pytest.raises(ArmError) as error:
        arm.delete('/x', 'v')
    assert error.value.code == 'MalformedResponse' and 'may still complete in Azure' in str(error.value)


def test_an_async_operation_status_without_a_status_is_not_the_end():
    operation = BASE + 'operations/1?api-version=v'
    arm, session, sleeps = client(Reply(202, headers={'Azure-AsyncOperation': operation}), Reply(200, {}), Reply(200, {'status': 'Succeeded'}))
    assert arm.delete('/x', 'v') == 202
    assert len(session.sent) == 3 and sleeps == [1.0, 1.0]


def test_a_poll_that_fails_for_good_says_the_operation_may_still_complete():
    operation = BASE + 'operations/1?api-version=v'
    arm, _session, _sleeps = client(Reply(202, headers={'Azure-AsyncOperation': operation}), arm_error(403, 'AuthorizationFailed', 'no'))
    with pytest.raises(ArmError) as error:
        arm.delete('/x', 'v')
    assert error.value.code == 'AuthorizationFailed'
    assert str(error.value).endswith('; the operation was accepted and may still complete in Azure: run the task again to see '
                                     '(request id req-403, correlation id corr)')
