# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What happens to one (non-control) request: classify it, check its token, apply an armed fault,
route it to metadata / identity / ARM, add the ARM response headers and write the request log entry."""

from __future__ import annotations

import dataclasses
import threading
import time
import typing as t
import urllib.parse
import uuid

from . import arm as arm_module
from . import metadata, paths, timefmt
from .faults import ERROR_CODES, Fault, FaultTable
from .identity import AuthError, Identity, TokenRecord, expired_error
from .log import RequestLog
from .responses import Response, aad_error, arm_error

_PRE_FAULTS = {
    "arm": ("throttle", "error", "delay", "drop", "malformed", "redirect", "expired_token"),
    "identity": ("throttle", "error", "delay", "drop", "malformed", "redirect"),
    "metadata": ("throttle", "error", "delay", "drop", "malformed", "redirect"),
}
_TRUNCATED_BODY = b'{"value": [{"id": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg", "properties": {"state": '
MALFORMED_BODIES = {"truncated": _TRUNCATED_BODY, "empty": None, "null": b"null", "list": b"[]", "string": b'"ok"'}


@dataclasses.dataclass
class Request:
    method: str
    path: str  # raw path without the query
    query: dict[str, list[str]]
    headers: t.Mapping[str, str]
    body: bytes


def classify(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    if parts and parts[0].lower() == "metadata":
        return "metadata"
    if parts and parts[0].lower() == "msi":
        return "identity"
    if len(parts) >= 2 and parts[1].lower() in ("oauth2", "v2.0", ".well-known", "discovery"):
        return "identity"
    return "arm"


def _identity_operation(method: str, path: str) -> str | None:
    parts = [p.lower() for p in path.split("/") if p]
    if parts[:2] == ["msi", "token"] and method == "GET":
        return "ManagedIdentity_GetToken"
    if len(parts) == 4 and parts[1:] == ["oauth2", "v2.0", "token"] and method == "POST":
        return "Token_ClientCredentials"
    if method == "GET" and (parts[1:] == ["v2.0", ".well-known", "openid-configuration"] or parts[1:] == [".well-known", "openid-configuration"]):
        return "OpenIdConfiguration_Get"
    return None


class Pipeline:
    def __init__(self, *, identity: Identity, arm: arm_module.Arm, faults: FaultTable, log: RequestLog,
                 base_url: t.Callable[[], str], stopping: threading.Event) -> None:
        self.identity = identity
        self.arm = arm
        self.faults = faults
        self.log = log
        self._base_url = base_url
        self._stopping = stopping

    def process(self, request: Request) -> Response | None:
        """The response to send, or None to drop the connection without answering."""
        # pylint: disable=too-many-branches
        kind = classify(request.path)
        principal: TokenRecord | None = None
        auth_error: AuthError | None = None
        route = None
        if kind == "arm":
            route = paths.parse(request.path)
            operation = arm_module.operation_name(route, request.method)
            try:
                principal = self.identity.check_authorization(_header(request.headers, "Authorization"))
            except AuthError as exc:
                auth_error = exc
        elif kind == "identity":
            operation = _identity_operation(request.method, request.path)
        else:
            operation = "Metadata_GetEndpoints"
        client_id = principal.client_id if principal else None

        fault = self.faults.take(request.method, request.path, _PRE_FAULTS[kind])
        fault_kind = fault.kind if fault else None
        response: Response | None = None
        drop = False
        if fault is not None:
            if fault.kind == "delay":
                self._stopping.wait(float(fault.options["seconds"]))
                drop = fault.options["then"] == "drop"
            elif fault.kind == "drop":
                drop = fault.options["when"] == "before"
            else:
                response = self._fault_response(fault, kind, request, principal)
        if response is None and not drop:
            response, issued_to, extra_fault = self._route(kind, request, route, principal, auth_error)
            client_id = client_id or issued_to
            fault_kind = fault_kind or extra_fault
        if fault is not None and fault.kind == "drop" and fault.options["when"] == "after":
            drop = True
        if response is not None:
            self._decorate(response, kind, request)
        self.log.add(method=request.method, path=request.path, query=request.query,
                     status=None if (drop or response is None) else response.status, kind=kind,
                     authenticated=principal is not None, client_id=client_id, fault=fault_kind, operation=operation)
        return None if drop else response

    # ------------------------------------------------------------------ routing
    def _route(self, kind: str, request: Request, route: paths.Route | None, principal: TokenRecord | None,
               auth_error: AuthError | None) -> tuple[Response, str | None, str | None]:
        if kind == "metadata":
            parts = [p.lower() for p in request.path.split("/") if p]
            if parts == ["metadata", "endpoints"] and request.method == "GET":
                return metadata.endpoints(self._base_url(), request.query), None, None
            return arm_error(404, "NotFound", "The requested path was not found."), None, None
        if kind == "identity":
            return self._identity(request)
        if principal is None:
            error = auth_error or AuthError("AuthenticationFailed", "Authentication failed.", "Authentication failed.")
            return self._unauthorized(error), None, None
        arm_request = arm_module.ArmRequest(request.method, request.path, request.query, request.body,
                                            _header(request.headers, "Content-Type"), principal)
        response, extra_fault = self.arm.handle(arm_request, route or paths.parse(request.path))
        return response, None, extra_fault

    def _identity(self, request: Request) -> tuple[Response, str | None, str | None]:
        operation = _identity_operation(request.method, request.path)
        parts = [p for p in request.path.split("/") if p]
        correlation = _header(request.headers, "client-request-id")
        if operation == "ManagedIdentity_GetToken":
            response, issued = self.identity.msi_token(request.query, _header(request.headers, "X-IDENTITY-HEADER"))
            return response, issued, None
        if operation == "Token_ClientCredentials":
            content_type = (_header(request.headers, "Content-Type") or "").lower()
            if "application/x-www-form-urlencoded" not in content_type:
                return aad_error(400, "invalid_request", 900144,
                                 "The request body must contain the following parameter: 'grant_type'.", correlation), None, None
            form = urllib.parse.parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
            response, issued = self.identity.token(parts[0], form, correlation)
            return response, issued, None
        if operation == "OpenIdConfiguration_Get":
            return self.identity.openid_configuration(parts[0]), None, None
        return aad_error(404, "invalid_request", 90010, "The request is not supported by this emulator: %s %s."
                         % (request.method, request.path), correlation), None, None

    def _unauthorized(self, error: AuthError) -> Response:
        response = arm_error(401, error.code, error.message)
        response.headers["WWW-Authenticate"] = ('Bearer authorization_uri="%s/", error="invalid_token", error_description="%s"'
                                                % (self._base_url(), error.description))
        return response

    # ------------------------------------------------------------------ faults
    def _fault_response(self, fault: Fault, kind: str, request: Request, principal: TokenRecord | None) -> Response:
        options = fault.options
        if fault.kind == "throttle":
            seconds = options["retry_after"]
            if options["retry_after_format"] == "http-date":
                retry_after = timefmt.http_date(time.time() + float(seconds))
            else:
                retry_after = str(int(seconds)) if float(seconds).is_integer() else str(seconds)
            if kind == "identity":
                response = aad_error(429, "temporarily_unavailable", 90055,
                                     "The number of requests sent to this tenant has exceeded the threshold. Try again later.",
                                     _header(request.headers, "client-request-id"))
            else:
                scope = "writes" if request.method in ("PUT", "POST", "PATCH", "DELETE") else "reads"
                response = arm_error(429, "SubscriptionRequestsThrottled",
                                     "Number of '%s' requests for subscription '%s' actor '%s' exceeded. Please try again after '%s' "
                                     "seconds after additional tips: https://aka.ms/ARMThrottling"
                                     % (scope[:-1], _subscription_of(request.path), principal.object_id if principal else "unknown", seconds))
                response.headers["x-ms-ratelimit-remaining-subscription-" + scope] = "0"
            response.headers["Retry-After"] = retry_after
            return response
        if fault.kind == "error":
            status = int(options["status"])
            code = options.get("code") or ERROR_CODES.get(status) or ("BadRequest" if status < 500 else "InternalServerError")
            message = options.get("message") or _error_message(status, request.path)
            if kind == "identity":
                error = "temporarily_unavailable" if status == 503 else ("server_error" if status >= 500 else "invalid_request")
                return aad_error(status, error, 50000 if status >= 500 else 90000,
                                 "There was an error issuing a token or an issue with our sign-in service (%s). %s" % (code, message),
                                 _header(request.headers, "client-request-id"))
            return arm_error(status, code, message)
        if fault.kind == "malformed":
            return Response(200, MALFORMED_BODIES[options["body"]])
        if fault.kind == "redirect":
            # Not processed; by default back to the same URL, as a misconfigured proxy might answer.
            query = ("?" + urllib.parse.urlencode(request.query, doseq=True)) if request.query else ""
            return Response(int(options["status"]), None, {"Location": options["location"] or self._base_url() + request.path + query})
        # expired_token
        now = time.time()
        error = expired_error(now - 60, now)
        return self._unauthorized(error)

    # ------------------------------------------------------------------ headers
    @staticmethod
    def _decorate(response: Response, kind: str, request: Request) -> None:
        headers = response.headers
        headers.setdefault("x-ms-request-id", str(uuid.uuid4()))
        if kind == "arm":
            headers.setdefault("x-ms-correlation-request-id", _header(request.headers, "x-ms-correlation-request-id") or str(uuid.uuid4()))
            client_request_id = _header(request.headers, "x-ms-client-request-id")
            if client_request_id:
                headers.setdefault("x-ms-client-request-id", client_request_id)
            stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
            headers.setdefault("x-ms-routing-request-id", "EMULATOR:%s:%s" % (stamp, headers["x-ms-request-id"]))
        elif kind == "identity":
            client_request_id = _header(request.headers, "client-request-id")
            if client_request_id:
                headers.setdefault("client-request-id", client_request_id)


def _header(headers: t.Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    if value is None:
        lowered = name.lower()
        for key, item in headers.items():
            if key.lower() == lowered:
                return item
    return value


def _subscription_of(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    return parts[1] if len(parts) > 1 and parts[0].lower() == "subscriptions" else "unknown"


def _error_message(status: int, path: str) -> str:
    if status == 502:
        return "The gateway received an invalid response from the resource provider 'Microsoft.AzureStackHCI'."
    if status == 503:
        return "The resource provider 'Microsoft.AzureStackHCI' is temporarily unavailable. Please try again later."
    if status == 504:
        return "The gateway did not receive a response from 'Microsoft.AzureStackHCI' within the specified time period."
    if status >= 500:
        return ("Encountered internal server error. Diagnostic information: timestamp '%s', subscription id '%s', tracking id '%s'."
                % (timefmt.now().strftime("%Y%m%dT%H%M%SZ"), _subscription_of(path), uuid.uuid4()))
    return "The request failed with status %d (injected fault)." % status
