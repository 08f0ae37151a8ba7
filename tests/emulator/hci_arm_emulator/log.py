# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The request log: one entry per ARM, identity or metadata request.

Entries hold no headers, no bodies, no tokens and no secrets. Query parameters that could
carry a credential are replaced by ``"***"``.
"""

from __future__ import annotations

import collections
import copy
import threading
import typing as t

from . import timefmt

_REDACTED_QUERY_KEYS = frozenset(
    ("client_secret", "client_assertion", "assertion", "access_token", "refresh_token", "code", "password", "sig", "token")
)


def redact_query(query: dict[str, list[str]]) -> dict[str, t.Any]:
    """Flatten parse_qs output (one value -> str) and hide values of credential-like keys."""
    result: dict[str, t.Any] = {}
    for key, values in query.items():
        if key.lower() in _REDACTED_QUERY_KEYS:
            result[key] = "***"
        else:
            result[key] = values[0] if len(values) == 1 else list(values)
    return result


class RequestLog:
    def __init__(self, max_entries: int = 100000) -> None:
        self._lock = threading.Lock()
        self._entries: collections.deque[dict] = collections.deque(maxlen=max_entries)
        self._seq = 0

    def add(self, *, method: str, path: str, query: dict[str, list[str]], status: int | None, kind: str,
            authenticated: bool, client_id: str | None, fault: str | None, operation: str | None) -> dict:
        entry = {
            "seq": 0,
            "time": timefmt.now_str(),
            "method": method,
            "path": path,
            "query": redact_query(query),
            "status": status,
            "kind": kind,
            "authenticated": authenticated,
            "client_id": client_id,
            "fault": fault,
            "operation": operation,
        }
        with self._lock:
            self._seq += 1
            entry["seq"] = self._seq
            self._entries.append(entry)
        return entry

    def entries(self, kind: str | None = None, since: int = 0) -> list[dict]:
        with self._lock:
            selected = [e for e in self._entries if e["seq"] > since and (kind is None or e["kind"] == kind)]
        return copy.deepcopy(selected)

    @property
    def last_seq(self) -> int:
        with self._lock:
            return self._seq

    def clear(self) -> int:
        """Forget all entries (sequence numbers keep increasing). Returns how many were dropped."""
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
        return count
