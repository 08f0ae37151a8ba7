# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validation of an UpdateRun PUT body against the 2024-04-01 spec (updateRuns.json).

Rules (documented in README.md):
* the body is a JSON object; ``properties`` and ``properties.progress`` are objects, ``steps`` lists of objects;
* string fields must be strings, date-time fields RFC 3339 date-times (any number of fractional digits,
  ``Z`` or a ``+hh:mm``/``-hh:mm`` offset is required), at any depth of the step tree;
* ``properties.state`` must be one of the spec's enum values, compared case-insensitively; the stored
  value uses the spec's casing;
* JSON ``null`` counts as "absent", and so does an empty date-time string (the spec documents startTimeUtc as
  "empty if it has not started"; the service's nullable DateTime reads "" as null); unknown fields are dropped (the service deserializes into its model);
  read-only fields (``id``, ``name``, ``type``, ``systemData``, ``properties.provisioningState``) are ignored.

Returns the cleaned body with every date-time normalized to 7 fractional digits, UTC, ``+00:00``.
"""

from __future__ import annotations

import typing as t

from . import timefmt

STATE_VALUES = ("Unknown", "Succeeded", "InProgress", "Failed")
STEP_STRINGS = ("name", "description", "errorMessage", "status", "expectedExecutionTime")
STEP_DATES = ("startTimeUtc", "endTimeUtc", "lastUpdatedTimeUtc")
STEP_ORDER = ("name", "description", "errorMessage", "status", "startTimeUtc", "endTimeUtc", "lastUpdatedTimeUtc",
              "expectedExecutionTime", "steps")
MAX_DEPTH = 64


class ValidationError(ValueError):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _type_name(value: t.Any) -> str:
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, (int, float)):
        return "Number"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, dict):
        return "Object"
    return "String"


def _string(value: t.Any, path: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(path, "Error converting value %s of type '%s' to type 'System.String'. Path '%s'."
                              % (_short(value), _type_name(value), path))
    return value


def _date(value: t.Any, path: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(path, "Error converting value %s of type '%s' to type 'System.DateTime'. Path '%s'."
                              % (_short(value), _type_name(value), path))
    try:
        return timefmt.normalize(value)
    except (ValueError, OverflowError):
        raise ValidationError(path, "Could not convert string to DateTime: %s. Path '%s'." % (_short(value), path)) from None


def _object(value: t.Any, path: str, model: str) -> dict:
    if not isinstance(value, dict):
        raise ValidationError(path, "Cannot deserialize the current JSON %s into type '%s' because the type requires a JSON object. "
                              "Path '%s'." % (_type_name(value).lower(), model, path or "$"))
    return value


def _short(value: t.Any) -> str:
    text = repr(value) if not isinstance(value, str) else "'%s'" % value
    return text if len(text) <= 80 else text[:77] + "..."


def _step(value: t.Any, path: str, depth: int) -> dict[str, t.Any]:
    step = _object(value, path, "Step")
    if depth > MAX_DEPTH:
        raise ValidationError(path, "The step tree is nested deeper than %d levels. Path '%s'." % (MAX_DEPTH, path))
    clean: dict[str, t.Any] = {}
    for field in STEP_ORDER:
        item = step.get(field)
        if item is None or (item == "" and field in STEP_DATES):
            continue
        where = "%s.%s" % (path, field)
        if field in STEP_STRINGS:
            clean[field] = _string(item, where)
        elif field in STEP_DATES:
            clean[field] = _date(item, where)
        else:
            if not isinstance(item, list):
                raise ValidationError(where, "Cannot deserialize the current JSON %s into type 'System.Collections.Generic.List`1[Step]' "
                                      "because the type requires a JSON array. Path '%s'." % (_type_name(item).lower(), where))
            clean[field] = [_step(child, "%s[%d]" % (where, i), depth + 1) for i, child in enumerate(item)]
    return clean


def validate_update_run(body: t.Any) -> dict[str, t.Any]:
    """Return the cleaned body ({"location"?, "properties"?}) or raise ValidationError."""
    body = _object(body, "", "UpdateRun")
    clean: dict[str, t.Any] = {}
    if body.get("location") is not None:
        clean["location"] = _string(body["location"], "location")
    props = body.get("properties")
    if props is None:
        return clean
    props = _object(props, "properties", "UpdateRunProperties")
    out: dict[str, t.Any] = {}
    for field in ("timeStarted", "lastUpdatedTime", "duration", "state", "progress"):
        item = props.get(field)
        if item is None or (item == "" and field in ("timeStarted", "lastUpdatedTime")):
            continue
        where = "properties." + field
        if field in ("timeStarted", "lastUpdatedTime"):
            out[field] = _date(item, where)
        elif field == "duration":
            out[field] = _string(item, where)
        elif field == "state":
            text = _string(item, where)
            match = [v for v in STATE_VALUES if v.lower() == text.lower()]
            if not match:
                raise ValidationError(where, "The value '%s' is not valid for '%s'. The allowed values are '%s'."
                                      % (text, where, "', '".join(STATE_VALUES)))
            out[field] = match[0]
        else:
            out[field] = _step(item, where, 1)
    clean["properties"] = out
    return clean
