# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DELETE update run: a long-running operation tracked with Azure-AsyncOperation."""

from __future__ import annotations

import re
import urllib.parse

from conftest import cluster_of, cluster_path


def _a_run(arm):
    base = cluster_path(cluster_of(arm.emu, "installed"))
    update = arm.get(base + "/updates").json()["value"][0]
    return arm.get(update["id"] + "/updateRuns").json()["value"][0]


def test_delete_is_202_then_polls_in_progress_then_succeeded(arm):
    emu = arm.emu
    run = _a_run(arm)
    response = arm.delete(run["id"])
    assert response.status_code == 202
    assert response.content == b""
    assert response.headers["Retry-After"] == "1"
    status_url = response.headers["Azure-AsyncOperation"]
    parts = urllib.parse.urlsplit(status_url)
    assert "%s://%s" % (parts.scheme, parts.netloc) == emu.base_url
    assert re.match(r"^/subscriptions/%s/providers/Microsoft\.AzureStackHCI/locations/[a-z0-9]+/operationStatuses/[0-9a-f-]{36}$"
                    % run["id"].split("/")[2], parts.path)
    assert parts.query == "api-version=2024-04-01"
    assert "/operationResults/" in response.headers["Location"]
    first = arm.get(status_url)
    assert first.status_code == 200
    assert first.json()["status"] == "InProgress"
    assert first.headers["Retry-After"] == "1"
    assert arm.get(run["id"]).status_code == 200, "the run exists until the operation has succeeded"
    done = arm.get(status_url).json()
    assert done["status"] == "Succeeded"
    assert set(done) >= {"id", "name", "status", "startTime", "endTime"}
    assert done["id"] == parts.path
    assert arm.get(run["id"]).status_code == 404
    assert arm.get(status_url).json()["status"] == "Succeeded"
    operations = [e["operation"] for e in emu.requests(kind="arm")]
    assert operations[-6:] == ["UpdateRuns_Delete", "OperationStatuses_Get", "UpdateRuns_Get", "OperationStatuses_Get",
                               "UpdateRuns_Get", "OperationStatuses_Get"]


def test_poll_count_and_retry_after_are_configurable(arm):
    emu = arm.emu
    emu.configure(lro_polls=3, retry_after=0)
    run = _a_run(arm)
    response = arm.delete(run["id"])
    assert response.headers["Retry-After"] == "0"
    statuses = [arm.get(response.headers["Azure-AsyncOperation"]).json()["status"] for dummy in range(4)]
    assert statuses == ["InProgress"] * 3 + ["Succeeded"]


def test_zero_polls_finishes_on_the_first_poll(arm):
    arm.emu.lro_polls = 0
    run = _a_run(arm)
    response = arm.delete(run["id"])
    assert arm.get(response.headers["Azure-AsyncOperation"]).json()["status"] == "Succeeded"
    assert arm.get(run["id"]).status_code == 404


def test_delete_of_a_missing_run_is_204(arm):
    run = _a_run(arm)
    response = arm.delete(run["id"].rsplit("/", 1)[0] + "/does-not-exist")
    assert response.status_code == 204
    assert response.content == b""


def test_lro_failed_fault_ends_in_failed_and_keeps_the_run(arm):
    emu = arm.emu
    run = _a_run(arm)
    emu.inject("lro_failed")
    response = arm.delete(run["id"])
    assert response.status_code == 202
    assert emu.requests(kind="arm")[-1]["fault"] == "lro_failed"
    url = response.headers["Azure-AsyncOperation"]
    assert arm.get(url).json()["status"] == "InProgress"
    failed = arm.get(url).json()
    assert failed["status"] == "Failed"
    assert failed["error"]["code"] == "UpdateRunDeletionFailed" and failed["error"]["message"]
    assert arm.get(run["id"]).status_code == 200
    assert emu.faults() == []
    second = arm.delete(run["id"])
    arm.get(second.headers["Azure-AsyncOperation"])
    assert arm.get(second.headers["Azure-AsyncOperation"]).json()["status"] == "Succeeded"


def test_location_header_polling(arm):
    run = _a_run(arm)
    response = arm.delete(run["id"])
    result_url = response.headers["Location"]
    pending = arm.get(result_url)
    assert pending.status_code == 202 and pending.headers["Location"]
    assert arm.get(result_url).status_code == 204


def test_polling_needs_a_token_and_is_logged(arm):
    emu = arm.emu
    run = _a_run(arm)
    url = arm.delete(run["id"]).headers["Azure-AsyncOperation"]
    refused = arm.get(url, token=None)
    assert refused.status_code == 401
    entry = emu.requests(kind="arm")[-1]
    assert entry["operation"] == "OperationStatuses_Get" and entry["status"] == 401 and entry["authenticated"] is False
    unknown = arm.get(url.replace(url.split("/")[-1].split("?")[0], "00000000-0000-0000-0000-000000000000"))
    assert unknown.status_code == 404
