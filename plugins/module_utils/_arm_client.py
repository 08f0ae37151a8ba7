# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client for Azure Resource Manager.

One requests session per client (connection reuse), a timeout on every
request, bounded retries that honour Retry-After, token refresh on an
expired-token 401, long-running operations (Azure-AsyncOperation / Location)
and ARM error bodies turned into ArmError with code, message and request ids.
Callers never see a token or a retry.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time
import uuid

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._retry import RETRYABLE_STATUS, RetryPolicy

try:
    from urllib.parse import urljoin, urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, this keeps the import sanity test quiet
    urljoin = urlsplit = None

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported through missing_required_lib
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

COLLECTION_VERSION = '0.1.0'
USER_AGENT = 'hcifleet.azure_hci/%s' % COLLECTION_VERSION
TERMINAL_OPERATION_STATUSES = ('succeeded', 'failed', 'canceled', 'cancelled')
# Answers after which a write may have been carried out all the same: an internal error, or a gateway that lost the
# backend's answer. 429 and 503 say the request was turned away.
MAYBE_PROCESSED_STATUS = (500, 502, 504)
# 401 codes after which a fresh token may succeed.
TOKEN_ERROR_CODES = ('ExpiredAuthenticationToken', 'InvalidAuthenticationToken', 'InvalidAuthenticationTokenAudience')


class ArmError(Exception):
    """A failed ARM (or cloud metadata) request, with what an operator needs to follow it up."""

    def __init__(self, message, status=None, code=None, method=None, url=None, request_id=None, correlation_id=None, result=None):
        super(ArmError, self).__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.method = method
        self.url = url
        self.request_id = request_id
        self.correlation_id = correlation_id
        # What the task had found before this error ended it (a dict of result keys), reported beside the error.
        self.result = result

    def __str__(self):
        where = ' '.join(part for part in (self.method, _without_query(self.url)) if part)
        parts = []
        if self.status:
            parts.append('HTTP %s' % self.status)
        if self.code:
            parts.append(self.code)
        head = '%s failed: %s' % (where, ' '.join(parts)) if where else ' '.join(parts)
        text = '%s: %s' % (head, self.message) if head else self.message
        ids = ['%s %s' % (label, value) for label, value in (('request id', self.request_id), ('correlation id', self.correlation_id)) if value]
        return '%s (%s)' % (text, ', '.join(ids)) if ids else text

    def to_dict(self):
        return {
            'status': self.status,
            'code': self.code,
            'message': self.message,
            'method': self.method,
            'url': _without_query(self.url),
            'request_id': self.request_id,
            'correlation_id': self.correlation_id,
        }


class ArmResponse:
    """Status, headers and parsed JSON body of one ARM answer."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body


def seconds_text(value):
    """A number of seconds as an operator wrote it: 30, not 30.0."""
    return int(value) if float(value).is_integer() else value


def _without_query(url):
    return url.split('?', 1)[0] if url else url


def new_session(ca_path=None):
    """A requests session; ``ca_path`` (if given) is the CA bundle to trust instead of REQUESTS_CA_BUNDLE."""
    session = requests.Session()
    session.headers['User-Agent'] = USER_AGENT
    if ca_path:
        session.verify = ca_path
    return session


class ArmClient:
    """Requests to ARM through one session. ``tokens`` is an AccessTokens (or None for anonymous metadata)."""

    def __init__(self, session, base_url=None, tokens=None, timeout=30.0, policy=None, sleep=time.sleep, clock=time.time):
        self.session = session
        self.base_url = base_url.rstrip('/') + '/' if base_url else None
        self.tokens = tokens
        self.timeout = timeout
        self.policy = policy or RetryPolicy()
        self.correlation_id = str(uuid.uuid4())
        self._sleep = sleep
        self._clock = clock
        # requests lets REQUESTS_CA_BUNDLE override a session's verify; an explicit ca_path must win, so pass it per request.
        self._verify = session.verify if isinstance(session.verify, str) else None

    def bound_to(self, base_url, tokens):
        """A client for ``base_url`` sharing this one's session, timeout and retry policy."""
        client = ArmClient(self.session, base_url, tokens, self.timeout, self.policy, self._sleep, self._clock)
        client.correlation_id = self.correlation_id
        return client

    def close(self):
        """Close the session's pooled connections (shared with every client bound from this one)."""
        self.session.close()

    # ------------------------------------------------------------ resources

    def get(self, path, api_version):
        return _resource(self.request('GET', path, api_version, expect_body=True), 'GET', self.url_for(path, api_version))

    def get_optional(self, path, api_version):
        """The resource, or None when ARM answers 404 ResourceNotFound."""
        try:
            return self.get(path, api_version)
        except ArmError as exc:
            if exc.status == 404 and exc.code in ('ResourceNotFound', 'NotFound'):
                return None
            raise

    def put(self, path, api_version, body):
        url = self.url_for(path, api_version)
        response = self.request('PUT', url, body=body, expect_body=True)
        try:
            return _resource(response, 'PUT', url)
        except ArmError as exc:
            raise noting_accepted_write(exc)

    def delete(self, path, api_version, operation_timeout=600.0):
        """DELETE and follow the long-running operation to its end."""
        response = self.request('DELETE', path, api_version)
        if response.status == 202:
            self.wait_for_operation(response, operation_timeout)
        return response.status

    def list(self, path, api_version):
        """Yield every item of an ARM list, following nextLink."""
        url = self.url_for(path, api_version)
        followed = set()
        while url:
            followed.add(url)
            page = self.request('GET', url, expect_body=True).body
            items = page.get('value') if isinstance(page, dict) else None
            next_link = page.get('nextLink') if isinstance(page, dict) else None
            # Every item or none: a page read as empty would quietly leave resources out (the inventory's hosts).
            if not isinstance(items, list) or not all(isinstance(item, dict) for item in items) or not isinstance(next_link, (str, type(None))):
                raise malformed_answer('a list page that is not an object with a list of objects in value', 'GET', url)
            yield from items
            url = next_link
            if url:
                self._require_same_origin(url, 'a nextLink')
                if url in followed:
                    # The same page again would repeat its items forever.
                    raise ArmError('ARM returned a nextLink that was already followed after %d pages; the list would never end' % len(followed),
                                   code='NextLinkLoop', method='GET', url=url, correlation_id=self.correlation_id)

    def fetch_json(self, url):
        """Anonymous GET of a JSON document (cloud metadata), with the same retries."""
        return self.request('GET', url, authenticate=False, expect_body=True).body

    # ------------------------------------------------------------ operations

    def wait_for_operation(self, accepted, operation_timeout):
        """Poll Azure-AsyncOperation (or Location) until the operation is terminal.

        Each wait follows the server's Retry-After but never runs past the deadline, and the status is read once
        more at the deadline before the operation is reported as unfinished.
        """
        headers = accepted.headers
        async_operation = headers.get('Azure-AsyncOperation')
        status_url = async_operation or headers.get('Location')
        if not status_url:
            raise ArmError('ARM accepted the request (HTTP 202) but named no operation to follow (no Azure-AsyncOperation or Location '
                           'header); it may still complete in Azure: run the task again to see', status=202, code='MalformedResponse',
                           request_id=headers.get('x-ms-request-id'), correlation_id=self.correlation_id)
        self._require_same_origin(status_url, 'an operation status URL')
        deadline = self._clock() + operation_timeout
        retry_after = headers.get('Retry-After')
        while True:
            self._sleep(min(self.policy.poll_delay(retry_after), max(0.0, deadline - self._clock())))
            try:
                poll = self.request('GET', status_url)
            except ArmError as exc:
                exc.message += '; the operation was accepted and may still complete in Azure: run the task again to see'
                raise
            body = poll.body if isinstance(poll.body, dict) else {}
            status = str(body.get('status', '')).lower()
            # An Azure-AsyncOperation status always carries 'status'; a Location answers 202 until the operation is done.
            if status in TERMINAL_OPERATION_STATUSES or (not async_operation and not status and poll.status in (200, 204)):
                if status and status != 'succeeded':
                    # The poll itself succeeded (HTTP 200): the failure is the operation's outcome, not an HTTP status.
                    error = body.get('error') or {}
                    raise ArmError('the operation ended %s: %s' % (body.get('status'), error.get('message') or 'no reason given'),
                                   code=error.get('code') or body.get('status'), method='GET', url=status_url,
                                   request_id=poll.headers.get('x-ms-request-id'), correlation_id=self.correlation_id)
                return
            if self._clock() >= deadline:
                raise ArmError('the operation did not finish within %s seconds; it may still complete in Azure' % seconds_text(operation_timeout),
                               code='OperationTimeout', method='GET', url=status_url, correlation_id=self.correlation_id)
            retry_after = poll.headers.get('Retry-After')

    # ------------------------------------------------------------ transport

    def url_for(self, path, api_version=None):
        url = path if path.startswith('https://') or path.startswith('http://') else urljoin(self.base_url, path.lstrip('/'))
        if api_version:
            url += ('&' if '?' in url else '?') + 'api-version=' + api_version
        return url

    def request(self, method, path, api_version=None, body=None, authenticate=True, expect_body=False):
        """One logical request: retried on throttling, 5xx, dropped connections, timeouts and malformed JSON.

        With ``expect_body``, a successful answer without a body counts as malformed: read as 'nothing there', an
        empty 200 to a GET would make a present resource look absent.
        """
        url = self.url_for(path, api_version)
        data = json.dumps(body) if body is not None else None
        refreshed = False
        attempt = 0
        # A write whose answer was lost (a timeout, a dropped connection, an unreadable 2xx, a 500/502/504) may have been applied:
        # if the request then fails for good, the message must not read as 'nothing happened'.
        maybe_applied = False
        while True:
            try:
                response = self._send(method, url, data, authenticate, expect_body)
            except _Retryable as fault:
                maybe_applied = maybe_applied or (method != 'GET' and fault.answer_lost)
                if attempt >= self.policy.max_retries:
                    raise _noting_maybe_applied(fault.error(attempt + 1), maybe_applied, self.correlation_id)
                self._sleep(self.policy.delay(attempt, fault.retry_after))
                attempt += 1
                continue
            if response.status == 401 and authenticate and not refreshed and self.tokens is not None:
                error = _error_of(response)
                if error.get('code') in TOKEN_ERROR_CODES:
                    # The token expired or was revoked between acquisition and use: get a fresh one, once.
                    self.tokens.invalidate()
                    refreshed = True
                    continue
            if 300 <= response.status < 400:
                # Not followed: requests would turn a redirected PUT or DELETE into a GET, and report a write that never happened.
                raise _noting_maybe_applied(
                    ArmError('ARM answered with a redirect to %s, which is not followed' % (_without_query(response.headers.get('Location')) or 'nowhere'),
                             status=response.status, code='UnexpectedRedirect', method=method, url=url,
                             request_id=response.headers.get('x-ms-request-id')), maybe_applied, self.correlation_id)
            if response.status >= 400:
                raise _noting_maybe_applied(self._error(method, url, response), maybe_applied, self.correlation_id)
            return response

    def _send(self, method, url, data, authenticate, expect_body=False):
        headers = {
            'Accept': 'application/json',
            'x-ms-client-request-id': str(uuid.uuid4()),
            'x-ms-correlation-request-id': self.correlation_id,
        }
        if data is not None:
            headers['Content-Type'] = 'application/json'
        if authenticate:
            headers['Authorization'] = 'Bearer ' + self.tokens.token()
        try:
            options = {'verify': self._verify} if self._verify else {}
            raw = self.session.request(method, url, data=data, headers=headers, timeout=self.timeout, allow_redirects=False, **options)
        except requests.exceptions.ConnectTimeout:
            raise _Retryable(ArmError('no connection within %s seconds (request_timeout)' % self.timeout, code='Timeout', method=method, url=url),
                             answer_lost=False)
        except requests.exceptions.Timeout:
            raise _Retryable(ArmError('no answer within %s seconds (request_timeout)' % self.timeout, code='Timeout', method=method, url=url),
                             answer_lost=True)
        except requests.exceptions.SSLError as exc:
            raise ArmError('TLS verification failed: %s. Point REQUESTS_CA_BUNDLE or ca_path at the CA that signed the server certificate'
                           % _reason(exc), code='SSLError', method=method, url=url)
        except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise _Retryable(ArmError('connection failed: %s' % _reason(exc), code='ConnectionError', method=method, url=url),
                             answer_lost=True)
        except requests.exceptions.InvalidHeader:
            # Its text quotes the header, which may be the Authorization header: never print it.
            raise ArmError('a request header is not valid (an access_token with spaces or line breaks?)', code='RequestError',
                           method=method, url=url)
        except OSError as exc:
            # The rest of requests' errors (InvalidURL, TooManyRedirects, ...) and an unreadable CA bundle: a retry cannot help.
            raise ArmError('request failed: %s' % _reason(exc), code='RequestError', method=method, url=url)
        response_headers = raw.headers
        request_id = response_headers.get('x-ms-request-id')
        if raw.status_code in RETRYABLE_STATUS:
            error = _error_of(ArmResponse(raw.status_code, response_headers, _json_or_none(raw.content)))
            raise _Retryable(ArmError(error.get('message') or raw.reason or 'HTTP %s' % raw.status_code, status=raw.status_code,
                                      code=error.get('code') or 'HTTP%s' % raw.status_code, method=method, url=url, request_id=request_id,
                                      correlation_id=response_headers.get('x-ms-correlation-request-id')),
                             retry_after=response_headers.get('Retry-After'), answer_lost=raw.status_code in MAYBE_PROCESSED_STATUS)
        body = None
        if 300 <= raw.status_code < 400:
            pass  # a redirect's body (often an HTML page) is not ARM's: request() reports the redirect itself
        elif raw.content and raw.content.strip():
            body = _json_or_none(raw.content)
            if body is None and raw.status_code < 400:
                raise _Retryable(ArmError('ARM answered HTTP %s with a body that is not valid JSON' % raw.status_code, status=raw.status_code,
                                          code='MalformedResponse', method=method, url=url, request_id=request_id), answer_lost=True)
        elif expect_body and 200 <= raw.status_code < 300:
            raise _Retryable(ArmError('ARM answered HTTP %s without a body' % raw.status_code, status=raw.status_code,
                                      code='MalformedResponse', method=method, url=url, request_id=request_id), answer_lost=True)
        return ArmResponse(raw.status_code, response_headers, body)

    def _error(self, method, url, response):
        error = _error_of(response)
        return ArmError(error.get('message') or 'HTTP %s without an error body' % response.status,
                        status=response.status, code=error.get('code'), method=method, url=url,
                        request_id=response.headers.get('x-ms-request-id'),
                        correlation_id=response.headers.get('x-ms-correlation-request-id') or self.correlation_id)

    def _require_same_origin(self, url, what):
        # A bearer token must only ever go to the resource manager it was issued for.
        if _origin(url) != _origin(self.base_url):
            raise ArmError('ARM returned %s on another host (%s); refusing to send credentials there' % (what, urlsplit(url).netloc),
                           code='UntrustedRedirect', url=url)


class _Retryable(Exception):
    """A transient fault: the ArmError to report once retries are exhausted, the server's Retry-After, and
    whether the request may have been processed though its answer never arrived (``answer_lost``)."""

    def __init__(self, error, retry_after=None, answer_lost=False):
        super(_Retryable, self).__init__(error.message)
        self.arm_error = error
        self.retry_after = retry_after
        self.answer_lost = answer_lost

    def error(self, attempts):
        self.arm_error.message = '%s (gave up after %d attempt%s)' % (self.arm_error.message, attempts, '' if attempts == 1 else 's')
        return self.arm_error


def _noting_maybe_applied(error, maybe_applied, correlation_id):
    error.correlation_id = error.correlation_id or correlation_id
    if maybe_applied:
        error.message += ('; an attempt whose outcome is unknown (its answer was lost, or a server error ended it) may have been applied '
                          'in Azure: run the task again to see')
    return error


def noting_accepted_write(error):
    """``error``, about the answer to a write ARM accepted, saying that the write may have been applied."""
    error.message += '; the write was accepted, so it may have been applied in Azure: run the task again to see'
    return error


def malformed_answer(what, method, url, request_id=None):
    """The error for an answer of valid JSON but the wrong shape (``what`` it is): a clean failure, never retried,
    since, unlike a cut-off answer, it is not a passing fault."""
    return ArmError('ARM answered with %s' % what, code='MalformedResponse', method=method, url=url, request_id=request_id)


def _resource(response, method, url):
    """The body of an answer that must be one resource: a JSON object (or nothing, which callers treat as unknown)."""
    if response.body is not None and not isinstance(response.body, dict):
        raise malformed_answer('a %s where a resource (an object) belongs' % type(response.body).__name__, method, url,
                               response.headers.get('x-ms-request-id'))
    return response.body


def _origin(url):
    """(scheme, host, port) with the default port filled in: https://h and https://h:443 are one origin."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or '').lower(), parts.port or {'https': 443, 'http': 80}.get(scheme)


def _error_of(response):
    """ARM's error object: {'error': {'code', 'message'}}, or the bare {'code', 'message'} some endpoints answer."""
    body = response.body
    if not isinstance(body, dict):
        return {}
    if isinstance(body.get('error'), dict):
        return body['error']
    bare = {key.lower(): value for key, value in body.items() if key.lower() in ('code', 'message') and isinstance(value, str)}
    return bare if 'message' in bare else {}


def _json_or_none(content):
    try:
        return json.loads(content.decode('utf-8') if isinstance(content, bytes) else content)
    except ValueError:
        return None


def _reason(exc):
    # requests nests urllib3 errors; the innermost reason is the readable one, and never carries headers.
    reason = exc
    for _depth in range(4):
        inner = getattr(reason, 'reason', None) or (reason.args[0] if getattr(reason, 'args', None) else None)
        if inner is None or inner is reason or isinstance(inner, str):
            break
        reason = inner
    return str(reason)
