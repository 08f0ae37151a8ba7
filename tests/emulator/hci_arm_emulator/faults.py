# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault injection: a list of armed faults, each consumed by the next matching requests."""

from __future__ import annotations

import copy
import itertools
import re
import threading
import typing as t

KINDS = ("throttle", "error", "delay", "drop", "malformed", "redirect", "lro_failed", "expired_token")
# What a 'malformed' answer carries: a cut-off JSON body, or valid JSON of a shape no ARM answer has.
MALFORMED_BODIES = ("truncated", "empty", "null", "list", "string")

# options each kind accepts, with defaults
_OPTIONS: dict[str, dict[str, t.Any]] = {
    "throttle": {"retry_after": 1, "retry_after_format": "seconds"},
    "error": {"status": 500, "code": None, "message": None},
    "delay": {"seconds": 5.0, "then": "process"},
    "drop": {"when": "before"},
    "malformed": {"body": "truncated"},
    "redirect": {"status": 302, "location": None},
    "lro_failed": {"code": "UpdateRunDeletionFailed", "message": None},
    "expired_token": {},
}

ERROR_CODES = {
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


class FaultError(ValueError):
    """An invalid fault specification."""


class Fault:
    def __init__(self, fault_id: str, kind: str, count: int, method: str | None, path: str | None,
                 options: dict[str, t.Any]) -> None:
        self.id = fault_id
        self.kind = kind
        self.remaining = count  # -1: unlimited
        self.method = method.upper() if method else None
        self.path = path
        self._regex = re.compile(path, re.IGNORECASE) if path else None
        self.options = options

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method != method.upper():
            return False
        return not self._regex or bool(self._regex.search(path))

    def to_dict(self) -> dict[str, t.Any]:
        data = {"id": self.id, "kind": self.kind, "count": self.remaining, "method": self.method, "path": self.path}
        data.update(copy.deepcopy(self.options))
        return data


def _validate(kind: str, count: t.Any, method: t.Any, path: t.Any, options: dict[str, t.Any]) -> dict[str, t.Any]:
    if kind not in KINDS:
        raise FaultError("unknown fault kind %r; known kinds: %s" % (kind, ", ".join(KINDS)))
    if not isinstance(count, int) or isinstance(count, bool) or (count < 1 and count != -1):
        raise FaultError("count must be a positive integer (or -1 for unlimited)")
    if method is not None and not isinstance(method, str):
        raise FaultError("method must be a string or null")
    if path is not None:
        if not isinstance(path, str):
            raise FaultError("path must be a regular expression string or null")
        try:
            re.compile(path)
        except re.error as exc:
            raise FaultError("path is not a valid regular expression: %s" % exc) from None
    allowed = _OPTIONS[kind]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise FaultError("unknown option(s) for %s: %s" % (kind, ", ".join(unknown)))
    merged = dict(allowed)
    merged.update(options)
    if kind == "throttle":
        if not isinstance(merged["retry_after"], (int, float)) or merged["retry_after"] < 0:
            raise FaultError("retry_after must be a number of seconds >= 0")
        if merged["retry_after_format"] not in ("seconds", "http-date"):
            raise FaultError("retry_after_format must be 'seconds' or 'http-date'")
    elif kind == "error":
        if not isinstance(merged["status"], int) or not 400 <= merged["status"] <= 599:
            raise FaultError("status must be an HTTP error status (400-599)")
    elif kind == "delay":
        if not isinstance(merged["seconds"], (int, float)) or merged["seconds"] < 0:
            raise FaultError("seconds must be a number >= 0")
        if merged["then"] not in ("process", "drop"):
            raise FaultError("then must be 'process' or 'drop'")
    elif kind == "drop":
        if merged["when"] not in ("before", "after"):
            raise FaultError("when must be 'before' or 'after'")
    elif kind == "malformed":
        if merged["body"] not in MALFORMED_BODIES:
            raise FaultError("body must be one of %s" % ", ".join(MALFORMED_BODIES))
    elif kind == "redirect":
        if not isinstance(merged["status"], int) or not 300 <= merged["status"] <= 399:
            raise FaultError("status must be a redirect status (300-399)")
        if merged["location"] is not None and not isinstance(merged["location"], str):
            raise FaultError("location must be a URL string or null")
    return merged


class FaultTable:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)

    def add(self, kind: str, count: int = 1, method: str | None = None, path: str | None = None, **options: t.Any) -> str:
        merged = _validate(kind, count, method, path, options)
        if kind == "lro_failed" and method is None:
            method = "DELETE"
        with self._lock:
            fault = Fault("fault-%d" % next(self._ids), kind, count, method, path, merged)
            self._faults.append(fault)
        return fault.id

    def take(self, method: str, path: str, kinds: t.Container[str]) -> Fault | None:
        """Consume one use of the first armed fault of one of ``kinds`` matching the request."""
        with self._lock:
            for fault in self._faults:
                if fault.kind in kinds and fault.matches(method, path):
                    if fault.remaining > 0:
                        fault.remaining -= 1
                        if fault.remaining == 0:
                            self._faults.remove(fault)
                    return fault
        return None

    def list(self) -> list[dict[str, t.Any]]:
        with self._lock:
            return [fault.to_dict() for fault in self._faults]

    def clear(self) -> int:
        with self._lock:
            count = len(self._faults)
            self._faults.clear()
        return count
