# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault injection: every kind, matching by method and path, counts, and the control endpoint."""

from __future__ import annotations

import email.utils
import json
import time

import pytest
import requests
from azure.identity import ClientSecretCredential

from conftest import cluster_path


def _cluster(arm):
    return cluster_path(arm.emu.clusters()[0])


def _run_path(arm, name="fault-run"):
    update = arm.get(_cluster(arm) + "/updates").json()["value"][0]
    return update["id"] + "/updateRuns/" + name


def test_throttle_with_retry_after_seconds(arm):
    emu = arm.emu
    emu.inject("throttle", count=2, retry_after=7)
    for dummy in range(2):
        response = arm.get(_cluster(arm))
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "7"
        assert response.json()["error"]["code"] == "SubscriptionRequestsThrottled"
        assert response.headers["x-ms-ratelimit-remaining-subscription-reads"] == "0"
    assert arm.get(_cluster(arm)).status_code == 200
    log = emu.requests(kind="arm")
    assert [e["fault"] for e in log[-3:]] == ["throttle", "throttle", None]
    assert [e["status"] for e in log[-3:]] == [429, 429, 200]


def test_throttle_with_http_date(arm):
    arm.emu.inject("throttle", retry_after=30, retry_after_format="http-date")
    response = arm.get(_cluster(arm))
    when = email.utils.parsedate_to_datetime(response.headers["Retry-After"]).timestamp()
    assert 25 <= when - time.time() <= 32


def test_faults_match_method_and_path(arm):
    emu = arm.emu
    run = _run_path(arm)
    emu.inject("error", method="PUT", path=r"/updateRuns/FAULT-run$", status=503)
    assert arm.get(_cluster(arm)).status_code == 200
    assert arm.put(run.replace("fault-run", "other-run"), {}).status_code == 200
    response = arm.put(run, {})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "ServiceUnavailable"
    assert arm.get(run).status_code == 404, "an error fault answers before anything is written"
    assert arm.put(run, {}).status_code == 200


@pytest.mark.parametrize("status, code", [(500, "InternalServerError"), (502, "BadGateway"), (503, "ServiceUnavailable"),
                                          (504, "GatewayTimeout")])
def test_error_statuses(arm, status, code):
    arm.emu.inject("error", status=status)
    response = arm.get(_cluster(arm))
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.headers["x-ms-request-id"]


def test_delay_then_process_writes_after_the_client_gave_up(arm):
    run = _run_path(arm, "slow")
    arm.emu.inject("delay", method="PUT", seconds=0.8)
    with pytest.raises(requests.exceptions.ReadTimeout):
        arm.put(run, {"properties": {"state": "InProgress"}}, timeout=0.3)
    deadline = time.time() + 5
    while arm.get(run).status_code != 200 and time.time() < deadline:
        time.sleep(0.1)
    assert arm.get(run).json()["properties"]["state"] == "InProgress"
    entry = [e for e in arm.emu.requests(kind="arm") if e["method"] == "PUT"][-1]
    assert entry["fault"] == "delay" and entry["status"] == 200


def test_delay_then_drop_writes_nothing(arm):
    run = _run_path(arm, "slow-drop")
    arm.emu.inject("delay", method="PUT", seconds=0.3, then="drop")
    with pytest.raises(requests.exceptions.ConnectionError):
        arm.put(run, {})
    assert arm.get(run).status_code == 404


def test_drop_before_writes_nothing(arm):
    run = _run_path(arm, "dropped")
    arm.emu.inject("drop", method="PUT")
    with pytest.raises(requests.exceptions.ConnectionError):
        arm.put(run, {})
    assert arm.get(run).status_code == 404
    entry = [e for e in arm.emu.requests(kind="arm") if e["method"] == "PUT"][-1]
    assert entry["fault"] == "drop" and entry["status"] is None


def test_drop_after_writes_then_hangs_up(arm):
    run = _run_path(arm, "dropped-after")
    arm.emu.inject("drop", method="PUT", when="after")
    with pytest.raises(requests.exceptions.ConnectionError):
        arm.put(run, {"properties": {"state": "Succeeded"}})
    assert arm.get(run).json()["properties"]["state"] == "Succeeded"


def test_malformed_json(arm):
    arm.emu.inject("malformed")
    response = arm.get(_cluster(arm))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    with pytest.raises(ValueError):
        json.loads(response.text)


@pytest.mark.parametrize("body, content", [("empty", b""), ("null", b"null"), ("list", b"[]"), ("string", b'"ok"')])
def test_malformed_answers_of_valid_json_or_none_and_nothing_is_processed(arm, body, content):
    run = _run_path(arm, "malformed-" + body)
    arm.emu.inject("malformed", method="PUT", body=body)
    response = arm.put(run, {"properties": {"state": "Succeeded"}})
    assert (response.status_code, response.content) == (200, content)
    assert arm.get(run).status_code == 404


def test_a_malformed_body_outside_the_choices_is_refused(arm):
    with pytest.raises(ValueError, match="body must be one of truncated, empty, null, list, string"):
        arm.emu.inject("malformed", body="xml")


def test_redirect_to_the_same_url_or_a_given_one_and_nothing_is_processed(arm):
    run = _run_path(arm, "redirected")
    arm.emu.inject("redirect", method="PUT")
    response = arm.put(run, {"properties": {"state": "Succeeded"}}, allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"] == arm.emu.base_url.rstrip("/") + run + "?api-version=2024-04-01"
    assert arm.get(run).status_code == 404
    arm.emu.inject("redirect", method="DELETE", status=307, location="https://elsewhere.test/x")
    response = arm.delete(run, allow_redirects=False)
    assert (response.status_code, response.headers["Location"]) == (307, "https://elsewhere.test/x")
    assert [entry["fault"] for entry in arm.emu.requests(kind="arm")[-3:]] == ["redirect", None, "redirect"]


def test_expired_token_fault(arm):
    arm.emu.inject("expired_token")
    response = arm.get(_cluster(arm))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "ExpiredAuthenticationToken"
    assert "WWW-Authenticate" in response.headers
    assert arm.get(_cluster(arm)).status_code == 200


def test_faults_on_the_token_endpoint_and_azure_identity_retries(arm):
    emu = arm.emu
    emu.inject("throttle", path=r"/oauth2/v2\.0/token$", retry_after=0)
    response = arm.token_request()
    assert response.status_code == 429
    assert response.json()["error"] == "temporarily_unavailable"
    emu.inject("error", path="/oauth2/", status=503)
    credential = ClientSecretCredential(emu.tenant_id, emu.client_id, emu.client_secret, authority=emu.base_url,
                                        disable_instance_discovery=True, connection_verify=emu.ca_bundle,
                                        retry_backoff_factor=0.01)
    assert credential.get_token(emu.base_url + "/.default").token
    faults = [e["fault"] for e in emu.requests(kind="identity") if e["operation"] == "Token_ClientCredentials"]
    assert faults[-3:] == ["throttle", "error", None]


def test_faults_on_metadata(arm):
    arm.emu.inject("error", path="^/metadata/", status=500)
    assert arm.get(arm.emu.metadata_url, token=None).status_code == 500
    assert arm.get(arm.emu.metadata_url, token=None).status_code == 200


def test_unlimited_count_and_clearing(arm):
    emu = arm.emu
    emu.inject("error", count=-1, status=502)
    for dummy in range(3):
        assert arm.get(_cluster(arm)).status_code == 502
    assert emu.faults()[0]["count"] == -1
    assert emu.clear_faults() == 1
    assert arm.get(_cluster(arm)).status_code == 200


def test_control_endpoint_for_faults(arm):
    created = arm.control("POST", "faults", json={"kind": "throttle", "count": 2, "method": "get", "path": "/clusters/", "retry_after": 0})
    assert created.status_code == 200
    fault_id = created.json()["id"]
    listed = arm.control("GET", "faults").json()["value"]
    assert listed == [{"id": fault_id, "kind": "throttle", "count": 2, "method": "GET", "path": "/clusters/", "retry_after": 0,
                       "retry_after_format": "seconds"}]
    assert arm.get(_cluster(arm)).status_code == 429
    assert arm.control("GET", "faults").json()["value"][0]["count"] == 1
    assert arm.control("DELETE", "faults").json() == {"cleared": 1}
    assert arm.get(_cluster(arm)).status_code == 200
    for bad in ({"kind": "meteor"}, {"kind": "error", "status": 200}, {"kind": "drop", "when": "never"}, {"kind": "throttle", "count": 0},
                {"kind": "delay", "colour": "red"}, {"kind": "error", "path": "("}):
        response = arm.control("POST", "faults", json=bad)
        assert response.status_code == 400, bad
        assert response.json()["error"]["message"]
