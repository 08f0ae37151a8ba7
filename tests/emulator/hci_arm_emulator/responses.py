# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The response value the routers hand back to the HTTP layer, and ARM/Entra error bodies."""

from __future__ import annotations

import dataclasses
import json
import typing as t
import uuid

from . import timefmt

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


@dataclasses.dataclass
class Response:
    status: int
    body: t.Any = None  # JSON-able value, raw bytes, or None for an empty body
    headers: dict[str, str] = dataclasses.field(default_factory=dict)

    def payload(self) -> bytes:
        if self.body is None:
            return b""
        if isinstance(self.body, bytes):
            return self.body
        return json.dumps(self.body, separators=(",", ":")).encode("utf-8")


def arm_error(status: int, code: str, message: str, target: str | None = None,
              details: list | None = None, headers: dict | None = None) -> Response:
    error: dict[str, t.Any] = {"code": code, "message": message}
    if target is not None:
        error["target"] = target
    if details is not None:
        error["details"] = details
    return Response(status, {"error": error}, dict(headers or {}))


def aad_error(status: int, error: str, code: int, description: str, correlation_id: str | None = None,
              headers: dict | None = None) -> Response:
    """An Entra ID (AAD v2.0) token endpoint error."""
    trace_id = str(uuid.uuid4())
    correlation_id = correlation_id or str(uuid.uuid4())
    stamp = timefmt.aad_timestamp()
    text = "AADSTS%d: %s Trace ID: %s Correlation ID: %s Timestamp: %s" % (code, description, trace_id, correlation_id, stamp)
    body = {
        "error": error,
        "error_description": text,
        "error_codes": [code],
        "timestamp": stamp,
        "trace_id": trace_id,
        "correlation_id": correlation_id,
        "error_uri": "https://login.microsoftonline.com/error?code=%d" % code,
    }
    return Response(status, body, dict(headers or {}))
