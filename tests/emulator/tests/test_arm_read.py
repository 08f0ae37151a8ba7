# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ARM reads: paging, case-insensitive names, display locations, date-time format, errors and headers."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from hci_arm_emulator import FleetConfig

from conftest import cluster_of, cluster_path

DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+00:00$")
DATE_KEYS = {"startTimeUtc", "endTimeUtc", "lastUpdatedTimeUtc", "timeStarted", "lastUpdatedTime", "installedDate", "lastUpdated",
             "lastChecked", "healthCheckDate", "createdAt", "lastModifiedAt", "timestamp", "lastSyncTimestamp"}


def _follow(arm, path):
    pages, url = [], path
    while url:
        response = arm.get(url)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        url = response.json().get("nextLink")
    return pages


def test_cluster_lists_page_with_absolute_next_links(arm):
    emu = arm.emu
    emu.reset(fleet=FleetConfig(clusters=23, resource_groups=4, subscriptions=2, seed=7))
    emu.page_size = 4
    sub = emu.subscription_id
    pages = _follow(arm, "/subscriptions/%s/providers/Microsoft.AzureStackHCI/clusters" % sub)
    names = [c["name"] for page in pages for c in page["value"]]
    expected = [c["name"] for c in emu.clusters() if c["subscription_id"] == sub]
    assert sorted(names) == sorted(expected) and len(names) == len(set(names))
    assert all(len(page["value"]) == 4 for page in pages[:-1])
    assert "nextLink" not in pages[-1]
    link = urllib.parse.urlsplit(pages[0]["nextLink"])
    assert "%s://%s" % (link.scheme, link.netloc) == emu.base_url
    query = urllib.parse.parse_qs(link.query)
    assert query["api-version"] == ["2024-04-01"] and query["$skipToken"]
    group = emu.clusters()[1]
    rg_pages = _follow(arm, "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.AzureStackHCI/clusters"
                       % (group["subscription_id"], group["resource_group"]))
    rg_names = [c["name"] for page in rg_pages for c in page["value"]]
    assert rg_names == [c["name"] for c in emu.clusters() if c["resource_group"] == group["resource_group"]]


def test_update_runs_page_with_default_size_five(arm):
    emu = arm.emu
    update = arm.get(cluster_path(emu.clusters()[0]) + "/updates").json()["value"][0]
    for index in range(7):
        assert arm.put(update["id"] + "/updateRuns/extra-%d" % index, {"properties": {"state": "Succeeded"}}).status_code == 200
    pages = _follow(arm, update["id"] + "/updateRuns")
    total = sum(len(p["value"]) for p in pages)
    assert [len(p["value"]) for p in pages] == [5] * (total // 5) + ([total % 5] if total % 5 else [])
    assert total >= 8


def test_bad_skip_token_is_400(arm):
    path = "/subscriptions/%s/providers/Microsoft.AzureStackHCI/clusters" % arm.emu.subscription_id
    response = arm.get(path, params={"$skipToken": "!!garbage"})
    assert response.status_code == 400


def test_names_are_case_insensitive_and_case_preserving(arm):
    cluster = arm.emu.clusters()[0]
    canonical = arm.get(cluster_path(cluster)).json()
    shouted = "/SUBSCRIPTIONS/%s/RESOURCEGROUPS/%s/PROVIDERS/microsoft.azurestackhci/CLUSTERS/%s" % (
        cluster["subscription_id"].upper(), cluster["resource_group"].upper(), cluster["name"].upper())
    response = arm.get(shouted)
    assert response.status_code == 200
    assert response.json() == canonical
    assert response.json()["name"] == cluster["name"]
    update = arm.get(shouted + "/UPDATES").json()["value"][0]
    assert arm.get(shouted + "/Updates/" + update["name"].lower()).json()["id"] == update["id"]


def test_locations_clusters_short_form_children_display_form(arm):
    cluster = cluster_of(arm.emu, "installed")
    assert arm.get(cluster_path(cluster)).json()["location"] == cluster["location"]
    update = arm.get(cluster_path(cluster) + "/updates").json()["value"][0]
    run = arm.get(update["id"] + "/updateRuns").json()["value"][0]
    display = {"westus2": "West US 2", "southeastasia": "Southeast Asia", "eastus": "East US", "westeurope": "West Europe",
               "australiaeast": "Australia East", "canadacentral": "Canada Central", "uksouth": "UK South", "japaneast": "Japan East"}
    assert update["location"] == run["location"] == display[cluster["location"]]


def _walk(value, path="$"):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, "%s.%s" % (path, key))
            if key in DATE_KEYS:
                yield path + "." + key, item
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, "%s[%d]" % (path, index))


def test_every_date_time_has_seven_fractional_digits(arm):
    seen = 0
    for cluster in arm.emu.clusters():
        base = cluster_path(cluster)
        documents = [arm.get(base).json(), arm.get(base + "/updateSummaries/default").json()]
        for update in arm.get(base + "/updates").json()["value"]:
            documents.append(update)
            documents.extend(arm.get(update["id"] + "/updateRuns").json()["value"])
        for document in documents:
            for where, value in _walk(document):
                assert DATE_TIME.match(value), "%s = %r" % (where, value)
                seen += 1
    assert seen > 100


def test_seeded_runs_cover_success_progress_and_failure(arm):
    def runs_of(scenario):
        base = cluster_path(cluster_of(arm.emu, scenario))
        return [r for u in arm.get(base + "/updates").json()["value"] for r in arm.get(u["id"] + "/updateRuns").json()["value"]]

    def depth(step):
        return 1 + max((depth(s) for s in step["steps"]), default=0)

    assert runs_of("fresh") == []
    succeeded = runs_of("installed")
    assert succeeded and all(r["properties"]["state"] == "Succeeded" for r in succeeded)
    in_progress = [r for r in runs_of("in_progress") if r["properties"]["state"] == "InProgress"]
    assert len(in_progress) == 1
    step = in_progress[0]["properties"]["progress"]
    chain = []
    while step:
        chain.append(step)
        assert step["status"] == "InProgress" and "endTimeUtc" not in step
        step = next((s for s in step["steps"] if s["status"] == "InProgress"), None)
    assert len(chain) == 4 == depth(in_progress[0]["properties"]["progress"])
    failed = [r for r in runs_of("failed") if r["properties"]["state"] == "Failed"]
    assert failed

    def errors(step):
        own = [step] if step["status"] == "Error" and step["errorMessage"] and not step["steps"] else []
        return own + [e for s in step["steps"] for e in errors(s)]

    assert all(errors(r["properties"]["progress"]) for r in failed)
    assert all(2 <= depth(r["properties"]["progress"]) <= 4 for r in succeeded + failed)


@pytest.mark.parametrize("suffix, status, code, message", [
    ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.AzureStackHCI/clusters", 404,
     "SubscriptionNotFound", "The subscription '00000000-0000-0000-0000-000000000000' could not be found."),
    ("{sub}/resourceGroups/no-such-rg/providers/Microsoft.AzureStackHCI/clusters/c", 404, "ResourceGroupNotFound",
     "Resource group 'no-such-rg' could not be found."),
    ("{rg}/clusters/no-such-cluster", 404, "ResourceNotFound",
     "The Resource 'Microsoft.AzureStackHCI/clusters/no-such-cluster' under resource group '{rgname}' was not found. "
     "For more details please go to https://aka.ms/ARMResourceNotFoundFix"),
    ("{rg}/clusters/no-such-cluster/updates", 404, "ParentResourceNotFound",
     "Can not perform requested operation on nested resource. Parent resource 'no-such-cluster' not found."),
    ("{cluster}/updates/NoSuchUpdate/updateRuns", 404, "ParentResourceNotFound",
     "Can not perform requested operation on nested resource. Parent resource '{cname}/NoSuchUpdate' not found."),
    ("{cluster}/updates/{update}/updateRuns/r1", 404, "ResourceNotFound",
     "The Resource 'Microsoft.AzureStackHCI/clusters/{cname}/updates/{update}/updateRuns/r1' under resource group '{rgname}' was not "
     "found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"),
    ("{cluster}/widgets", 404, "InvalidResourceType", None),
    ("{sub}/providers/Microsoft.Compute/virtualMachines", 400, "InvalidResourceNamespace", None),
])
def test_not_found_and_bad_route_errors(arm, suffix, status, code, message):
    cluster = arm.emu.clusters()[0]
    update = arm.get(cluster_path(cluster) + "/updates").json()["value"][0]["name"]
    values = {"sub": "/subscriptions/" + cluster["subscription_id"], "cname": cluster["name"], "rgname": cluster["resource_group"],
              "rg": "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.AzureStackHCI" % (cluster["subscription_id"], cluster["resource_group"]),
              "cluster": cluster_path(cluster), "update": update}
    response = arm.get(suffix.format(**values))
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    if message:
        assert error["message"] == message.format(**values)


def test_api_version_errors(arm):
    path = cluster_path(arm.emu.clusters()[0])
    missing = arm.get(path, api_version=None)
    assert missing.status_code == 400
    assert missing.json()["error"] == {"code": "MissingApiVersionParameter",
                                       "message": "The api-version query parameter (?api-version=) is required for all requests."}
    unsupported = arm.get(path, api_version="2099-01-01")
    assert unsupported.status_code == 400
    error = unsupported.json()["error"]
    assert error["code"] == "NoRegisteredProviderFound"
    assert error["message"].startswith("No registered resource provider found for location '%s' and API version '2099-01-01' for type "
                                       "'clusters'. The supported api-versions are '2024-04-01'." % arm.emu.clusters()[0]["location"])


def test_arm_headers(arm):
    path = cluster_path(arm.emu.clusters()[0])
    plain = arm.get(path)
    assert plain.headers["Content-Type"] == "application/json; charset=utf-8"
    assert re.match(r"^[0-9a-f-]{36}$", plain.headers["x-ms-request-id"])
    assert re.match(r"^[0-9a-f-]{36}$", plain.headers["x-ms-correlation-request-id"])
    assert "x-ms-client-request-id" not in plain.headers
    echoed = arm.get(path, headers={"x-ms-correlation-request-id": "corr-1", "x-ms-client-request-id": "client-1"})
    assert echoed.headers["x-ms-correlation-request-id"] == "corr-1"
    assert echoed.headers["x-ms-client-request-id"] == "client-1"
    assert echoed.headers["x-ms-request-id"] != plain.headers["x-ms-request-id"]
    assert arm.get(path + "/nothing-here").headers["x-ms-request-id"]


def test_subscription_and_resource_group_reads(arm):
    emu = arm.emu
    subs = arm.get("/subscriptions", api_version="2022-12-01").json()["value"]
    assert [s["subscriptionId"] for s in subs] == emu.subscription_ids
    groups = arm.get("/subscriptions/%s/resourcegroups" % emu.subscription_id, api_version="2021-04-01").json()["value"]
    assert {g["name"] for g in groups} == {c["resource_group"] for c in emu.clusters() if c["subscription_id"] == emu.subscription_id}
