# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PUT update run: server-filled fields, replace semantics, locations and body validation at any depth."""

from __future__ import annotations

import copy
import datetime
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hci_arm_emulator import timefmt
from hci_arm_emulator.validation import ValidationError, validate_update_run

from conftest import cluster_path, load_fixture

EXAMPLE = load_fixture("PutUpdateRuns.json")


@pytest.fixture
def example_parent(arm):
    """The example's cluster (testrg/testcluster in West US) and update, created in the primary subscription."""
    emu = arm.emu
    cluster_id = "/subscriptions/%s/resourceGroups/testrg/providers/Microsoft.AzureStackHCI/clusters/testcluster" % emu.subscription_id
    emu.put_resource(cluster_id, {"location": "westus", "tags": {"ring": "0"}})
    update_id = cluster_id + "/updates/Microsoft4.2203.2.32"
    emu.put_resource(update_id, {"properties": {"state": "Installed", "version": "4.2203.2.32"}})
    return update_id


def _normalize_dates(value):
    if isinstance(value, dict):
        return {k: _normalize_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalize_dates(v) for v in value]
    if isinstance(value, str) and re.match(r"^\d{4}-\d\d-\d\dT", value):
        return timefmt.normalize(value)
    return value


def test_put_example_gives_the_example_response(arm, example_parent):
    run_id = example_parent + "/updateRuns/23b779ba-0d52-4a80-8571-45ca74664ec3"
    response = arm.put(run_id, EXAMPLE["parameters"]["updateRunsProperties"])
    assert response.status_code == 200
    body = response.json()
    expected = copy.deepcopy(EXAMPLE["responses"]["200"]["body"])
    expected["id"] = run_id
    system_data = body.pop("systemData")
    assert body["properties"].pop("provisioningState") == "Succeeded"
    assert body == _normalize_dates(expected)
    assert body["properties"]["progress"]["endTimeUtc"] == "2022-04-06T13:58:42.9690060+00:00"
    assert system_data["createdBy"] == system_data["lastModifiedBy"] == arm.emu.client_id
    assert system_data["createdByType"] == system_data["lastModifiedByType"] == "Application"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$", system_data["createdAt"])
    stored = arm.get(run_id).json()
    assert stored == response.json()


def test_put_replaces_the_whole_resource_and_keeps_created_fields(arm, example_parent):
    run_id = example_parent + "/updateRuns/run-1"
    first = arm.put(run_id, EXAMPLE["parameters"]["updateRunsProperties"]).json()
    second = arm.put(run_id, {"properties": {"state": "InProgress", "duration": "PT1H"}})
    assert second.status_code == 200
    props = second.json()["properties"]
    assert props == {"provisioningState": "Succeeded", "state": "InProgress", "duration": "PT1H"}
    assert second.json()["systemData"]["createdAt"] == first["systemData"]["createdAt"]
    assert second.json()["systemData"]["lastModifiedAt"] >= first["systemData"]["lastModifiedAt"]


def test_id_keeps_the_case_of_the_first_put(arm, example_parent):
    run_id = example_parent + "/updateRuns/MixedCase-Run"
    created = arm.put(run_id, {}).json()
    assert created["id"] == run_id and created["name"] == "Microsoft4.2203.2.32/MixedCase-Run"
    again = arm.put(run_id.upper().replace("/SUBSCRIPTIONS/", "/subscriptions/"), {"properties": {"state": "Failed"}}).json()
    assert again["id"] == run_id and again["name"] == created["name"]


@pytest.mark.parametrize("sent", ["westus", "WestUS", "west us", "West US", "WESTUS"])
def test_location_is_returned_in_display_form(arm, example_parent, sent):
    response = arm.put(example_parent + "/updateRuns/loc", {"location": sent})
    assert response.status_code == 200
    assert response.json()["location"] == "West US"


def test_location_is_create_only(arm, example_parent):
    run_id = example_parent + "/updateRuns/loc-change"
    assert arm.put(run_id, {"location": "westus"}).status_code == 200
    kept = arm.put(run_id, {"properties": {"state": "Succeeded"}})
    assert kept.status_code == 200 and kept.json()["location"] == "West US"
    moved = arm.put(run_id, {"location": "eastus"})
    assert moved.status_code == 400
    assert moved.json()["error"]["code"] == "InvalidResourceLocation"
    unknown = arm.put(example_parent + "/updateRuns/loc-unknown", {"location": "atlantis"})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "LocationNotAvailableForResourceType"


def test_read_only_fields_in_the_body_are_ignored(arm, example_parent):
    run_id = example_parent + "/updateRuns/ro"
    body = {"id": "/subscriptions/x/whatever", "name": "other", "type": "Microsoft.Compute/virtualMachines",
            "systemData": {"createdBy": "mallory"}, "properties": {"provisioningState": "Failed", "state": "Succeeded"},
            "unknownTopLevel": 1}
    response = arm.put(run_id, body).json()
    assert response["id"] == run_id
    assert response["name"] == "Microsoft4.2203.2.32/ro"
    assert response["type"] == "Microsoft.AzureStackHCI/updates/updateRuns"
    assert response["systemData"]["createdBy"] == arm.emu.client_id
    assert response["properties"]["provisioningState"] == "Succeeded"
    assert "unknownTopLevel" not in response


def test_an_empty_date_time_counts_as_absent(arm, example_parent):
    body = {"properties": {"timeStarted": "", "progress": {"name": "root", "startTimeUtc": "", "steps": [{"name": "a", "endTimeUtc": ""}]}}}
    response = arm.put(example_parent + "/updateRuns/empty-dates", body)
    assert response.status_code == 200
    assert response.json()["properties"]["progress"] == {"name": "root", "steps": [{"name": "a"}]}
    assert "timeStarted" not in response.json()["properties"]


def test_state_enum_is_case_insensitive_and_stored_canonically(arm, example_parent):
    response = arm.put(example_parent + "/updateRuns/enum", {"properties": {"state": "inprogress"}})
    assert response.json()["properties"]["state"] == "InProgress"


@pytest.mark.parametrize("body, target", [
    ({"properties": {"state": "Done"}}, "properties.state"),
    ({"properties": {"state": 3}}, "properties.state"),
    ({"properties": {"timeStarted": "yesterday"}}, "properties.timeStarted"),
    ({"properties": {"progress": []}}, "properties.progress"),
    ({"properties": {"progress": {"status": 1}}}, "properties.progress.status"),
    ({"properties": {"progress": {"steps": {"name": "x"}}}}, "properties.progress.steps"),
    ({"properties": {"progress": {"steps": ["x"]}}}, "properties.progress.steps[0]"),
    ({"properties": {"progress": {"steps": [{"steps": [{}, {"startTimeUtc": "2022-13-01T00:00:00Z"}]}]}}},
     "properties.progress.steps[0].steps[1].startTimeUtc"),
    ({"properties": {"progress": {"steps": [{"steps": [{"steps": [{"steps": [{"endTimeUtc": "2022-04-06T01:36:33"}]}]}]}]}}},
     "properties.progress.steps[0].steps[0].steps[0].steps[0].endTimeUtc"),
    ({"properties": {"progress": {"steps": [{"steps": [{"steps": [{"lastUpdatedTimeUtc": "2022-04-06 01:36:33Z"}]}]}]}}},
     "properties.progress.steps[0].steps[0].steps[0].lastUpdatedTimeUtc"),
    ({"properties": "nope"}, "properties"),
    ({"location": 5}, "location"),
])
def test_invalid_bodies_are_400_naming_the_json_path(arm, example_parent, body, target):
    response = arm.put(example_parent + "/updateRuns/bad", body)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "InvalidRequestContent"
    assert error["target"] == target
    assert "'%s'" % target in error["message"]
    assert arm.get(example_parent + "/updateRuns/bad").status_code == 404


@pytest.mark.parametrize("raw, content_type, status", [
    (b"[1, 2]", "application/json", 400),
    (b"{not json", "application/json", 400),
    (b"", "application/json", 400),
    (b"{}", "text/plain", 415),
])
def test_non_object_and_non_json_bodies(arm, example_parent, raw, content_type, status):
    response = arm.put(example_parent + "/updateRuns/raw", data=raw, headers={"Content-Type": content_type})
    assert response.status_code == status
    assert response.json()["error"]["code"] in ("InvalidRequestContent", "UnsupportedMediaType")


@pytest.mark.parametrize("sent, stored", [
    ("2022-04-06T01:36:33Z", "2022-04-06T01:36:33.0000000+00:00"),
    ("2022-04-06T01:36:33.3876751+00:00", "2022-04-06T01:36:33.3876751+00:00"),
    ("2022-04-06T01:36:33.1+02:00", "2022-04-05T23:36:33.1000000+00:00"),
    ("2022-04-06t01:36:33.123456789z", "2022-04-06T01:36:33.1234567+00:00"),
    ("2022-04-06T01:36:33.969006-05:30", "2022-04-06T07:06:33.9690060+00:00"),
    ("0999-06-01T00:00:00Z", "0999-06-01T00:00:00.0000000+00:00"),  # four-digit years, as .NET writes them
    ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000+00:00"),
])
def test_date_times_are_stored_with_seven_digits_in_utc(arm, example_parent, sent, stored):
    body = {"properties": {"timeStarted": sent, "progress": {"steps": [{"steps": [{"startTimeUtc": sent}]}]}}}
    response = arm.put(example_parent + "/updateRuns/dates", body).json()
    assert response["properties"]["timeStarted"] == stored
    assert response["properties"]["progress"]["steps"][0]["steps"][0]["startTimeUtc"] == stored


def test_put_under_missing_parents(arm, example_parent):
    missing_update = example_parent.rsplit("/", 1)[0] + "/NoSuchUpdate/updateRuns/r"
    assert arm.put(missing_update, {}).json()["error"]["code"] == "ParentResourceNotFound"
    cluster = cluster_path(arm.emu.clusters()[0])
    assert arm.put(cluster + "x/updates/u/updateRuns/r", {}).json()["error"]["code"] == "ParentResourceNotFound"


# ---------------------------------------------------------------- property-based: validation at any depth

_DATE = st.builds(
    lambda dt, digits, tz: dt.strftime("%Y-%m-%dT%H:%M:%S") + ("." + digits if digits else "") + tz,
    st.datetimes(min_value=datetime.datetime(1990, 1, 1), max_value=datetime.datetime(2090, 1, 1)),
    st.text(alphabet="0123456789", max_size=9),
    st.sampled_from(["Z", "+00:00", "+05:30", "-08:00"]),
)
_TEXT = st.text(max_size=8)


def _steps(children):
    return st.fixed_dictionaries({}, optional={
        "name": _TEXT, "status": st.sampled_from(["Success", "Error", "InProgress"]), "errorMessage": _TEXT,
        "startTimeUtc": _DATE, "endTimeUtc": _DATE, "lastUpdatedTimeUtc": _DATE, "steps": st.lists(children, max_size=3)})


STEP_TREES = st.recursive(st.fixed_dictionaries({}, optional={"name": _TEXT, "startTimeUtc": _DATE}), _steps, max_leaves=12)


def _dates(step, path):
    for key in ("startTimeUtc", "endTimeUtc", "lastUpdatedTimeUtc"):
        if key in step:
            yield "%s.%s" % (path, key), step[key]
    for index, child in enumerate(step.get("steps", [])):
        yield from _dates(child, "%s.steps[%d]" % (path, index))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=STEP_TREES, data=st.data())
def test_validation_normalizes_every_date_and_finds_a_bad_one_anywhere(tree, data):
    body = {"properties": {"progress": tree}}
    clean = validate_update_run(json.loads(json.dumps(body)))
    for where, value in _dates(clean["properties"]["progress"], "properties.progress"):
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$", value), where
    places = list(_dates(tree, "properties.progress"))
    if not places:
        return
    where = data.draw(st.sampled_from(places))[0]
    broken = json.loads(json.dumps(body))
    node = broken
    for part in re.findall(r"[A-Za-z]+|\[\d+\]", where)[:-1]:
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    node[where.rsplit(".", 1)[1]] = data.draw(st.sampled_from(["2022-02-30T00:00:00Z", "2022-04-06T25:00:00Z", "2022-04-06",
                                                               "2022-04-06T01:36:33+0000", "not a date"]))
    with pytest.raises(ValidationError) as failure:
        validate_update_run(broken)
    assert failure.value.path == where
