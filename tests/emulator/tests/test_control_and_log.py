# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request log and control endpoints."""

from __future__ import annotations

import json

from azure.identity import ClientSecretCredential

from conftest import cluster_path

LOG_KEYS = {"seq", "time", "method", "path", "query", "status", "kind", "authenticated", "client_id", "fault", "operation"}


def test_log_entries_describe_requests_without_credentials(arm, capfd):
    emu = arm.emu
    emu.clear_requests()
    credential = ClientSecretCredential(emu.tenant_id, emu.client_id, emu.client_secret, authority=emu.base_url,
                                        disable_instance_discovery=True, connection_verify=emu.ca_bundle)
    token = credential.get_token(emu.base_url + "/.default").token
    run = cluster_path(emu.clusters()[0]) + "/updates/Solution10.2408.0.29/updateRuns/logged"
    arm.put(run, {"properties": {"state": "Succeeded"}}, token=token)
    arm.get(run, token="forged")
    arm.get("/metadata/endpoints", token=None, api_version="2022-09-01")
    arm.control("GET", "info")
    entries = emu.requests()
    assert all(set(e) == LOG_KEYS for e in entries)
    assert [(e["kind"], e["method"], e["operation"]) for e in entries] == [
        ("identity", "GET", "OpenIdConfiguration_Get"), ("identity", "POST", "Token_ClientCredentials"),
        ("arm", "PUT", "UpdateRuns_Put"), ("arm", "GET", "UpdateRuns_Get"), ("metadata", "GET", "Metadata_GetEndpoints")]
    put, forged = entries[2], entries[3]
    assert put["authenticated"] is True and put["client_id"] == emu.client_id and put["status"] in (200, 404)
    assert put["query"] == {"api-version": "2024-04-01"} and put["path"] == run
    assert forged["authenticated"] is False and forged["client_id"] is None and forged["status"] == 401
    assert entries[1]["client_id"] == emu.client_id
    assert [e["seq"] for e in entries] == sorted(e["seq"] for e in entries)
    dumped = json.dumps(arm.control("GET", "requests").json())
    out, err = capfd.readouterr()
    for secret in (emu.client_secret, token, "forged"):
        assert secret not in dumped
        assert secret not in out + err
    assert [e["seq"] for e in emu.requests(since=entries[2]["seq"])] == [e["seq"] for e in entries[3:]]
    assert {e["kind"] for e in emu.requests(kind="identity")} == {"identity"}


def test_credential_like_query_parameters_are_redacted(arm):
    arm.get("/metadata/endpoints", token=None, params={"client_secret": "s3cr3t", "code": "abc"}, api_version="2022-09-01")
    query = arm.emu.requests()[-1]["query"]
    assert query == {"client_secret": "***", "code": "***", "api-version": "2022-09-01"}


def test_control_requests_endpoint_since_and_clear(arm):
    arm.get(cluster_path(arm.emu.clusters()[0]))
    body = arm.control("GET", "requests").json()
    assert body["value"] and body["last_seq"] == body["value"][-1]["seq"]
    arm.get(cluster_path(arm.emu.clusters()[1]))
    newer = arm.control("GET", "requests", params={"since": body["last_seq"]}).json()["value"]
    assert len(newer) == 1 and newer[0]["operation"] == "Clusters_Get"
    assert arm.control("GET", "requests", params={"kind": "metadata"}).json()["value"] == []
    assert arm.control("DELETE", "requests").status_code == 200
    assert arm.emu.requests() == []


def test_control_info_has_no_secret(arm):
    emu = arm.emu
    info = arm.control("GET", "info").json()
    assert info["base_url"] == emu.base_url and info["metadata_url"] == emu.metadata_url
    assert info["tenant_id"] == emu.tenant_id and info["client_id"] == emu.client_id
    assert info["subscription_ids"] == emu.subscription_ids
    assert len(info["clusters"]) == 6
    assert emu.client_secret not in json.dumps(info)
    assert emu.identity_header not in json.dumps(info)


def test_control_config_reset_and_token_expiry(arm):
    emu = arm.emu
    assert arm.control("PUT", "config", json={"page_size": 2, "lro_polls": 2, "retry_after": 0, "token_lifetime": 5}).json() == {
        "page_size": 2, "lro_polls": 2, "retry_after": 0, "token_lifetime": 5}
    assert arm.token_request().json()["expires_in"] == 5
    assert arm.control("PUT", "config", json={"page_size": 0}).status_code == 400
    assert arm.control("PUT", "config", json={"colour": 1}).status_code == 400
    assert arm.control("POST", "tokens/expire").json()["expired"] >= 1
    assert arm.get(cluster_path(emu.clusters()[0])).status_code == 401
    reset = arm.control("POST", "reset", json={"fleet": {"clusters": 9, "resource_groups": 2, "subscriptions": 1, "seed": 3}})
    assert reset.json()["clusters"] == 9
    assert emu.settings.page_size == 5
    assert len(emu.subscription_ids) == 1
    assert arm.control("POST", "reset", json={"fleet": {"clusterz": 9}}).status_code == 400
    assert arm.control("POST", "reset").json()["clusters"] == 6


def test_control_resource_access(arm):
    emu = arm.emu
    run_id = cluster_path(emu.clusters()[0]) + "/updates/Solution10.2408.0.29/updateRuns/direct"
    missing = arm.control("GET", "resource", params={"id": run_id})
    assert missing.status_code == 404
    update_id = run_id.rsplit("/updateRuns/", 1)[0]
    if emu.get_resource(update_id) is None:
        emu.put_resource(update_id, {"properties": {"state": "Ready"}})
    written = arm.control("PUT", "resource", params={"id": run_id}, json={"properties": {"state": "failed"}})
    assert written.status_code == 200
    assert written.json()["properties"] == {"provisioningState": "Succeeded", "state": "Failed"}
    assert arm.control("GET", "resource", params={"id": run_id.upper()}).json()["id"] == run_id
    assert emu.get_resource(run_id)["name"].endswith("/direct")
    bad = arm.control("PUT", "resource", params={"id": run_id}, json={"properties": {"progress": {"startTimeUtc": "nope"}}})
    assert bad.status_code == 400 and "properties.progress.startTimeUtc" in bad.json()["error"]["message"]
    assert arm.control("DELETE", "resource", params={"id": run_id}).json() == {"deleted": True}
    assert emu.get_resource(run_id) is None
    assert emu.requests() == [] or all(not e["path"].startswith("/_emulator") for e in emu.requests())


def test_unknown_control_endpoint(arm):
    assert arm.control("GET", "nothing").status_code == 404
    assert arm.control("POST", "info").status_code == 405
