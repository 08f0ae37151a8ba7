# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Control endpoints under ``/_emulator/``: no token needed, never logged, JSON in and out, always 200
on success (so ``ansible.builtin.uri`` needs no ``status_code``)."""

from __future__ import annotations

import json
import typing as t

from .faults import FaultError
from .responses import Response
from .seed import FleetConfig

if t.TYPE_CHECKING:  # pragma: no cover
    from .emulator import Emulator

PREFIX = "/_emulator"
ACTIONS = ("faults", "requests", "reset", "tokens/expire", "config", "info", "resource")


def _bad(message: str, status: int = 400) -> Response:
    return Response(status, {"error": {"code": "BadRequest" if status == 400 else "NotFound", "message": message}})


def _json_body(body: bytes) -> t.Any:
    if not body.strip():
        return {}
    return json.loads(body.decode("utf-8"))


def handle(emulator: "Emulator", method: str, path: str, query: dict[str, list[str]], body: bytes) -> Response:
    # pylint: disable=too-many-return-statements,too-many-branches
    action = path[len(PREFIX):].strip("/").lower()
    if action not in ACTIONS:
        return _bad("Unknown control endpoint '%s'." % path, 404)
    try:
        data = _json_body(body)
    except ValueError as exc:
        return _bad("The body is not valid JSON: %s" % exc)
    try:
        if action == "faults":
            if method == "GET":
                return Response(200, {"value": emulator.faults()})
            if method == "DELETE":
                return Response(200, {"cleared": emulator.clear_faults()})
            if method == "POST":
                if not isinstance(data, dict) or "kind" not in data:
                    return _bad("The body must be a JSON object with at least 'kind'.")
                spec = dict(data)
                kind = spec.pop("kind")
                count = spec.pop("count", 1)
                return Response(200, {"id": emulator.inject(kind, count=count, method=spec.pop("method", None),
                                                            path=spec.pop("path", None), **spec)})
        elif action == "requests":
            if method == "GET":
                since = int((query.get("since") or ["0"])[0] or 0)
                kind = (query.get("kind") or [None])[0]
                entries = emulator.requests(kind=kind, since=since)
                return Response(200, {"value": entries, "last_seq": emulator.last_request_seq()})
            if method == "DELETE":
                return Response(200, {"cleared": emulator.clear_requests()})
        elif action == "reset":
            if method != "POST":
                return _not_allowed(method, path)
            fleet = data.get("fleet") if isinstance(data, dict) else None
            if fleet is not None and not isinstance(fleet, dict):
                return _bad("'fleet' must be an object.")
            emulator.reset(fleet=FleetConfig.from_dict(fleet) if fleet is not None else None)
            return Response(200, {"reset": True, "fleet": emulator.fleet.to_dict(), "clusters": len(emulator.clusters())})
        elif action == "tokens/expire":
            if method != "POST":
                return _not_allowed(method, path)
            return Response(200, {"expired": emulator.expire_tokens()})
        elif action == "config":
            if method == "PUT":
                if not isinstance(data, dict):
                    return _bad("The body must be a JSON object.")
                emulator.configure(**data)
            if method in ("GET", "PUT"):
                return Response(200, emulator.settings.to_dict())
        elif action == "info":
            if method != "GET":
                return _not_allowed(method, path)
            return Response(200, emulator.info())
        elif action == "resource":
            resource_id = (query.get("id") or [""])[0]
            if not resource_id:
                return _bad("The query parameter 'id' is required.")
            if method == "GET":
                resource = emulator.get_resource(resource_id)
                return Response(200, resource) if resource is not None else _bad("No resource '%s'." % resource_id, 404)
            if method == "PUT":
                return Response(200, emulator.put_resource(resource_id, data))
            if method == "DELETE":
                return Response(200, {"deleted": emulator.delete_resource(resource_id)})
    except (FaultError, ValueError, TypeError) as exc:
        return _bad(str(exc))
    return _not_allowed(method, path)


def _not_allowed(method: str, path: str) -> Response:
    return Response(405, {"error": {"code": "MethodNotAllowed", "message": "%s is not supported on %s." % (method, path)}})
