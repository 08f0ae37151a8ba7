# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Answers have the shapes of the spec's example payloads (tests/fixtures/specs)."""

from __future__ import annotations

import pytest

from conftest import cluster_of, cluster_path, load_fixture


def _kind(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def assert_shape(actual, example, where="$"):
    """Every key of the example is in the answer with the same JSON type, recursively (extra keys are fine)."""
    assert _kind(actual) == _kind(example), "%s: %s in the answer, %s in the example" % (where, _kind(actual), _kind(example))
    if isinstance(example, dict):
        missing = sorted(set(example) - set(actual))
        assert not missing, "%s: missing keys %s" % (where, missing)
        for key, value in example.items():
            assert_shape(actual[key], value, "%s.%s" % (where, key))
    elif isinstance(example, list) and example:
        assert actual, "%s: empty list in the answer, items in the example" % where
        for index, item in enumerate(actual):
            assert_shape(item, example[0], "%s[%d]" % (where, index))


def test_assert_shape_detects_differences():
    with pytest.raises(AssertionError, match="missing keys"):
        assert_shape({"a": 1}, {"a": 1, "b": 2})
    with pytest.raises(AssertionError, match=r"\$\.a\[1\]\.x: str in the answer, number in the example"):
        assert_shape({"a": [{"x": 1}, {"x": "1"}]}, {"a": [{"x": 5}]})


def _installed_update(arm):
    cluster = cluster_of(arm.emu, "installed")
    updates = arm.get(cluster_path(cluster) + "/updates").json()["value"]
    return cluster, next(u for u in updates if u["properties"]["state"] == "Installed")


def test_update_runs_get_and_list(arm):
    update = _installed_update(arm)[1]
    runs = arm.get(update["id"] + "/updateRuns")
    assert runs.status_code == 200
    assert_shape(runs.json(), load_fixture("ListUpdateRuns.json")["responses"]["200"]["body"])
    run = arm.get(runs.json()["value"][0]["id"])
    assert run.status_code == 200
    assert_shape(run.json(), load_fixture("GetUpdateRuns.json")["responses"]["200"]["body"])
    assert run.json()["type"] == "Microsoft.AzureStackHCI/updates/updateRuns"


def test_updates_get_and_list(arm):
    cluster, update = _installed_update(arm)
    listing = arm.get(cluster_path(cluster) + "/updates")
    assert_shape({"value": [u for u in listing.json()["value"] if u["properties"]["state"] == "Installed"]},
                 load_fixture("ListUpdates.json")["responses"]["200"]["body"])
    single = arm.get(update["id"])
    assert_shape(single.json(), load_fixture("GetUpdates.json")["responses"]["200"]["body"])
    assert single.json()["type"] == "Microsoft.AzureStackHCI/updates"


def test_update_summaries_get_and_list(arm):
    cluster = cluster_of(arm.emu, "failed")
    single = arm.get(cluster_path(cluster) + "/updateSummaries/default")
    assert single.status_code == 200
    assert_shape(single.json(), load_fixture("GetUpdateSummaries.json")["responses"]["200"]["body"])
    assert single.json()["type"] == "Microsoft.AzureStackHCI/updateSummaries"
    listing = arm.get(cluster_path(cluster) + "/updateSummaries")
    assert_shape(listing.json(), load_fixture("ListUpdateSummaries.json")["responses"]["200"]["body"])


def test_put_answer_has_the_example_shape(arm):
    cluster, update = _installed_update(arm)
    del cluster
    example = load_fixture("PutUpdateRuns.json")
    response = arm.put(update["id"] + "/updateRuns/shape-check", example["parameters"]["updateRunsProperties"])
    assert response.status_code == 200
    assert_shape(response.json(), example["responses"]["200"]["body"])
