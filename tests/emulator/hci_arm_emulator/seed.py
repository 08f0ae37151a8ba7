# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Deterministic seed data: a fleet of Azure Stack HCI clusters with updates, update runs and summaries.

The same FleetConfig always gives byte-identical data (timestamps are anchored to a fixed date, not now).
Each cluster gets one scenario; the first five clusters get one of each, in this order:
``installed`` (all updates installed), ``in_progress`` (newest update installing, one InProgress run),
``failed`` (newest update failed: a Failed run with an Error step), ``fresh`` (no update runs at all),
``available`` (newest update Ready, older ones installed). Further clusters draw a scenario at random.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import typing as t
import uuid

from . import paths, regions
from .store import Store
from .timefmt import Timestamp

ANCHOR = datetime.datetime(2026, 1, 15, 6, 0, 0, tzinfo=datetime.timezone.utc)
SCENARIOS = ("installed", "in_progress", "failed", "fresh", "available")
SOLUTION_VERSIONS = (
    "10.2405.2.7", "10.2408.0.29", "10.2408.1.9", "10.2408.2.7", "10.2411.0.24", "10.2411.1.10",
    "10.2411.3.2", "10.2503.0.13", "10.2504.1.5", "10.2505.0.14",
)
LOCATIONS = ("eastus", "westeurope", "westus2", "australiaeast", "southeastasia", "canadacentral", "uksouth", "japaneast")
_SITE = {"eastus": "eus", "westeurope": "weu", "westus2": "wus2", "australiaeast": "aue", "southeastasia": "sea",
         "canadacentral": "cac", "uksouth": "uks", "japaneast": "jpe"}
_OEMS = (
    ("DellEMC", "Dell Inc.", "AX-760", "4.1.2412.1"),
    ("HPE", "HPE", "ProLiant DL380 Gen11", "4.1.2411.3"),
    ("Lenovo", "Lenovo", "ThinkAgile MX650 V3", "4.1.2410.2"),
)
RP_APP_ID = "1412d89f-b8a8-4111-b4fd-e82905cbd85d"
ADMIN_UPN = "fleet-admin@contoso.com"


@dataclasses.dataclass(frozen=True)
class FleetConfig:
    """Size and seed of the seeded fleet.

    ``resource_groups`` is the total number of resource groups, spread round-robin over the
    subscriptions; clusters are spread round-robin over the resource groups.
    """

    clusters: int = 6
    resource_groups: int = 3
    subscriptions: int = 2
    seed: int = 42
    updates_per_cluster: int = 3

    def __post_init__(self) -> None:
        for name in ("clusters", "resource_groups", "subscriptions", "seed", "updates_per_cluster"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError("FleetConfig.%s must be an integer" % name)
        if self.clusters < 0 or self.resource_groups < 1 or self.subscriptions < 1:
            raise ValueError("FleetConfig needs clusters >= 0, resource_groups >= 1 and subscriptions >= 1")
        if not 0 <= self.updates_per_cluster <= len(SOLUTION_VERSIONS):
            raise ValueError("FleetConfig.updates_per_cluster must be between 0 and %d" % len(SOLUTION_VERSIONS))

    @classmethod
    def from_dict(cls, data: dict[str, t.Any]) -> "FleetConfig":
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError("unknown fleet setting(s): %s" % ", ".join(unknown))
        return cls(**data)

    def to_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _ts(rng: random.Random, when: datetime.datetime) -> str:
    del rng  # the 7th digit is derived from the instant so that equal instants print equally
    return Timestamp(when, (when.microsecond // 10 + when.second) % 10 if when.microsecond else 0).format()


def _system_data(by: str, by_type: str, at: str) -> dict[str, str]:
    return {"createdBy": by, "createdByType": by_type, "createdAt": at,
            "lastModifiedBy": by, "lastModifiedByType": by_type, "lastModifiedAt": at}


def _duration(delta: datetime.timedelta) -> str:
    seconds = int(delta.total_seconds())
    return "PT%dH%dM%dS" % (seconds // 3600, seconds % 3600 // 60, seconds % 60)


@dataclasses.dataclass
class SeededCluster:
    subscription_id: str
    resource_group: str
    name: str
    location: str
    tags: dict[str, str]
    scenario: str

    def to_dict(self) -> dict[str, t.Any]:
        return dataclasses.asdict(self)


def subscription_ids(config: FleetConfig) -> list[str]:
    rng = random.Random("%d:subscriptions" % config.seed)
    return [_guid(rng) for dummy in range(config.subscriptions)]


def build(config: FleetConfig, tenant_id: str) -> tuple[Store, list[SeededCluster]]:
    store = Store()
    subs = subscription_ids(config)
    for index, sub in enumerate(subs):
        store.add_subscription(sub, "HCI Fleet %02d" % (index + 1), tenant_id)
    groups = []
    rg_rng = random.Random("%d:resource-groups" % config.seed)
    for index in range(config.resource_groups):
        sub = subs[index % len(subs)]
        location = LOCATIONS[rg_rng.randrange(len(LOCATIONS))] if index else LOCATIONS[config.seed % len(LOCATIONS)]
        name = "rg-hcifleet-%s-%02d" % (_SITE[location], index + 1)
        store.add_resource_group(sub, name, location, {"env": "prod" if index % 2 == 0 else "staging"})
        groups.append((sub, name, location))
    clusters = []
    for index in range(config.clusters):
        sub, rg, location = groups[index % len(groups)]
        rng = random.Random("%d:cluster:%d" % (config.seed, index))
        scenario = SCENARIOS[index] if index < len(SCENARIOS) else rng.choice(SCENARIOS + ("installed", "available"))
        clusters.append(_seed_cluster(store, rng, config, index, sub, rg, location, scenario, tenant_id))
    return store, clusters


def _seed_cluster(store: Store, rng: random.Random, config: FleetConfig, index: int, sub: str, rg: str,
                  location: str, scenario: str, tenant_id: str) -> SeededCluster:
    # pylint: disable=too-many-arguments,too-many-locals
    name = "hci-%s-%03d" % (_SITE[location], index + 1)
    ring = "0" if index == 0 else rng.choice(("0", "1", "1", "2", "2", "2"))
    tags = {"ring": ring, "env": "prod" if ring != "0" else "canary", "site": _SITE[location], "owner": "platform-team"}
    oem_family, manufacturer, model, sbe_version = _OEMS[rng.randrange(len(_OEMS))]
    node_count = rng.choice((2, 2, 3, 4))
    created = ANCHOR - datetime.timedelta(days=200 + rng.randrange(300))
    last_sync = ANCHOR - datetime.timedelta(minutes=rng.randrange(5, 55))
    cid = paths.cluster_id(sub, rg, name)
    nodes = []
    for number in range(1, node_count + 1):
        nodes.append({
            "name": "%s-N%02d" % (name.upper(), number), "id": number, "windowsServerSubscription": "Enabled",
            "nodeType": "FirstParty", "manufacturer": manufacturer, "model": model, "osName": "Azure Stack HCI",
            "osVersion": "10.0.25398.%d" % rng.randrange(1000, 1400), "osDisplayVersion": "23H2",
            "serialNumber": "%08X" % rng.getrandbits(32), "coreCount": rng.choice((32, 48, 64)),
            "memoryInGiB": rng.choice((384, 512, 768)), "lastLicensingTimestamp": _ts(rng, last_sync),
        })
    cluster_guid = _guid(rng)
    store.put({
        "id": cid, "name": name, "type": paths.CLUSTER_TYPE, "location": location, "tags": tags,
        "systemData": _system_data(ADMIN_UPN, "User", _ts(rng, created)),
        "properties": {
            "provisioningState": "Succeeded", "status": "ConnectedRecently", "connectivityStatus": "Connected",
            "cloudId": cluster_guid, "aadClientId": _guid(rng), "aadTenantId": tenant_id,
            "aadApplicationObjectId": _guid(rng), "aadServicePrincipalObjectId": _guid(rng),
            "softwareAssuranceProperties": {"softwareAssuranceStatus": "Enabled", "softwareAssuranceIntent": "Enable",
                                            "lastUpdated": _ts(rng, created)},
            "desiredProperties": {"windowsServerSubscription": "Enabled", "diagnosticLevel": "Basic"},
            "reportedProperties": {
                "clusterName": name, "clusterId": _guid(rng), "clusterVersion": "10.0.25398", "clusterType": "FirstParty",
                "manufacturer": manufacturer, "oemActivation": "Disabled", "imdsAttestation": "Enabled",
                "diagnosticLevel": "Basic", "lastUpdated": _ts(rng, last_sync), "nodes": nodes,
                "supportedCapabilities": ["Arc Integration", "Extended Security Updates"],
            },
            "trialDaysRemaining": 0, "billingModel": "Trial", "registrationTimestamp": _ts(rng, created),
            "lastSyncTimestamp": _ts(rng, last_sync), "lastBillingTimestamp": _ts(rng, last_sync),
            "serviceEndpoint": "https://%s.azurestackhci.azure.com" % location,
            "resourceProviderObjectId": _guid(rng),
        },
    }, copy=False)
    _seed_updates(store, rng, config, cid, location, scenario, nodes, (oem_family, model, sbe_version))
    return SeededCluster(sub, rg, name, location, tags, scenario)


def _seed_updates(store: Store, rng: random.Random, config: FleetConfig, cid: str, location: str, scenario: str,
                  nodes: list[dict], oem: tuple[str, str, str]) -> None:
    # pylint: disable=too-many-arguments,too-many-locals
    display = regions.REGIONS[location]
    count = config.updates_per_cluster
    start = rng.randrange(0, len(SOLUTION_VERSIONS) - count + 1)
    versions = list(SOLUTION_VERSIONS[start:start + count])
    when = ANCHOR - datetime.timedelta(days=30 * max(count, 1))
    current = SOLUTION_VERSIONS[start - 1] if start else "10.2402.0.23"
    last_updated = when - datetime.timedelta(days=20)
    for position, version in enumerate(versions):
        newest = position == len(versions) - 1
        if scenario == "fresh" or (newest and scenario == "available"):
            state, run_states = "Ready", []
        elif newest and scenario == "in_progress":
            state, run_states = "Installing", ["InProgress"]
        elif newest and scenario == "failed":
            state, run_states = "InstallationFailed", ["Failed"] * rng.choice((1, 2))
        else:
            state, run_states = "Installed", (["Failed", "Succeeded"] if rng.random() < 0.15 else ["Succeeded"])
        name = "Solution" + version
        uid = "%s/updates/%s" % (cid, name)
        run_start = when + datetime.timedelta(days=30 * position, hours=rng.randrange(24))
        installed_at = None
        for run_state in run_states:
            run_end = _seed_run(store, rng, uid, name, display, run_state, run_start, nodes)
            if run_state == "Succeeded":
                installed_at = run_end
                current, last_updated = version, run_end
            run_start = run_end + datetime.timedelta(hours=rng.randrange(2, 30))
        properties: dict[str, t.Any] = {"provisioningState": "Succeeded"}
        if installed_at is not None:
            properties["installedDate"] = _ts(rng, installed_at)
        properties.update({
            "description": "Azure Stack HCI solution update %s" % version,
            "state": state,
            "prerequisites": [{"updateType": "SBE", "version": oem[2], "packageName": "%s SBE" % oem[0]}],
            "componentVersions": [
                {"packageType": "Services", "version": version, "lastUpdated": _ts(rng, when)},
                {"packageType": "Platform", "version": version, "lastUpdated": _ts(rng, when)},
            ],
            "rebootRequired": "True",
            "healthState": "Success",
            "healthCheckResult": [],
            "healthCheckDate": _ts(rng, run_start),
            "packagePath": "C:\\ClusterStorage\\Infrastructure_1\\Shares\\SU1_Infrastructure_1\\Updates\\Packages\\" + name,
            "packageSizeInMb": 5000 + rng.randrange(4000),
            "displayName": "Azure Stack HCI %s" % version,
            "version": version,
            "publisher": "Microsoft",
            "releaseLink": "https://learn.microsoft.com/azure-stack/hci/whats-new",
            "availabilityType": "Local",
            "packageType": "Solution",
            "additionalProperties": "SBEPublisher:%s" % oem[0],
            "updateStateProperties": {"notifyMessage": "", "progressPercentage": 100 if state == "Installed" else 0},
            "minSbeVersionRequired": oem[2],
        })
        store.put({"id": uid, "name": name, "type": paths.UPDATE_TYPE, "location": display,
                   "systemData": _system_data(RP_APP_ID, "Application", _ts(rng, when)), "properties": properties}, copy=False)
    summary_state = {"installed": "AppliedSuccessfully", "in_progress": "UpdateInProgress", "failed": "UpdateFailed",
                     "fresh": "UpdateAvailable", "available": "UpdateAvailable"}[scenario]
    if not versions:
        summary_state = "AppliedSuccessfully"
    checked = ANCHOR - datetime.timedelta(hours=rng.randrange(1, 12))
    store.put({
        "id": cid + "/updateSummaries/default", "name": "default", "type": paths.UPDATE_SUMMARY_TYPE, "location": display,
        "systemData": _system_data(RP_APP_ID, "Application", _ts(rng, checked)),
        "properties": {
            "provisioningState": "Succeeded", "oemFamily": oem[0], "currentOemVersion": oem[2], "hardwareModel": oem[1],
            "packageVersions": [
                {"packageType": "OEM", "version": oem[2], "lastUpdated": _ts(rng, last_updated)},
                {"packageType": "Services", "version": current, "lastUpdated": _ts(rng, last_updated)},
                {"packageType": "Platform", "version": current, "lastUpdated": _ts(rng, last_updated)},
            ],
            "currentVersion": current, "currentSbeVersion": oem[2], "lastUpdated": _ts(rng, last_updated),
            "lastChecked": _ts(rng, checked), "healthState": "Warning" if scenario == "failed" else "Success",
            "healthCheckResult": [_precheck(rng, cid, nodes, checked, scenario == "failed")],
            "healthCheckDate": _ts(rng, checked), "state": summary_state,
        },
    }, copy=False)


def _precheck(rng: random.Random, cid: str, nodes: list[dict], when: datetime.datetime, failed: bool) -> dict[str, t.Any]:
    node = nodes[rng.randrange(len(nodes))]["name"]
    return {
        "name": "AzStackHci_Storage_Test_Storage_Pool_Health", "displayName": "Test storage pool health",
        "tags": {"key": "Group", "value": "Storage"},
        "title": "Storage pool is degraded" if failed else "Storage pool is healthy",
        "status": "Failed" if failed else "Succeeded", "severity": "Warning" if failed else "Informational",
        "description": "Validates that the storage pool is healthy before updating.",
        "remediation": "https://learn.microsoft.com/azure-stack/hci/manage/troubleshoot-storage",
        "targetResourceID": "%s/nodes/%s" % (cid, node), "targetResourceName": node,
        "timestamp": _ts(rng, when), "additionalData": "{}", "healthCheckSource": "PreUpdate\\Storage",
    }


# (name, description, children); None children means "one leaf per node"
_PLAN: tuple = (
    ("Prepare update", "Download and prepare the update content.", (
        ("Download solution bundle", "Download the solution update package.", ()),
        ("Download solution builder extension", "Download the OEM extension content.", ()),
        ("Extract and verify content", "Verify the signatures of the update content.", ()),
    )),
    ("Check update readiness", "Run the update health checks.", (
        ("Run health checks", "Check the health of the cluster before the update.", (
            ("Test storage pool health", "Validate that the storage pool is healthy.", ()),
            ("Test cluster quorum", "Validate the cluster quorum and witness.", ()),
            ("Test network intent", "Validate the Network ATC intents.", ()),
        )),
    )),
    ("Update cloud", "Update the Azure Stack HCI cloud.", (
        ("Update Arc resource bridge and extensions", "Update the Arc resource bridge and the Arc extensions.", ()),
        ("Update host OS", "Update the operating system of each server with cluster-aware updating.", None),
        ("Update agents and services", "Update the lifecycle manager agents and services.", ()),
    )),
    ("Post-update tasks", "Finish the update and report.", (
        ("Update cluster functional level", "Raise the cluster functional level.", ()),
        ("Report update result", "Report the update result to Azure.", ()),
    )),
)


def _expand(plan: tuple, nodes: list[dict]) -> list[dict]:
    tree = []
    for name, description, children in plan:
        if children is None:
            kids = [{"name": "Update server %s" % node["name"], "description": "Update the operating system of %s." % node["name"],
                     "steps": []} for node in nodes]
        else:
            kids = _expand(children, nodes)
        tree.append({"name": name, "description": description, "steps": kids})
    return tree


def _seed_run(store: Store, rng: random.Random, uid: str, update_name: str, display: str, run_state: str,
              start: datetime.datetime, nodes: list[dict]) -> datetime.datetime:
    # pylint: disable=too-many-arguments
    root = {"name": "Unnamed step", "description": "Update Azure Stack HCI.", "steps": _expand(_PLAN, nodes)}
    leaves: list[list[dict]] = []  # paths from root to each leaf

    def walk(step: dict, trail: list[dict]) -> None:
        trail = trail + [step]
        if not step["steps"]:
            leaves.append(trail)
        for child in step["steps"]:
            walk(child, trail)

    walk(root, [])
    if run_state == "Succeeded":
        cut = len(leaves)
    else:
        host_os = [i for i, trail in enumerate(leaves) if trail[-1]["name"].startswith("Update server")]
        cut = rng.choice(host_os) if run_state == "InProgress" or rng.random() < 0.7 else rng.randrange(len(leaves))
    clock = start
    times: dict[int, tuple[datetime.datetime, datetime.datetime | None]] = {}
    for i, trail in enumerate(leaves[:cut + 1] if cut < len(leaves) else leaves):
        begin = clock
        clock = clock + datetime.timedelta(minutes=rng.randrange(1, 25), seconds=rng.randrange(60),
                                           microseconds=rng.randrange(1000000))
        times[id(trail[-1])] = (begin, None if (i == cut and run_state == "InProgress") else clock)
    active = set(id(step) for step in leaves[cut]) if cut < len(leaves) else set()
    failed_message = ("Type 'UpdateHostOS' of Role 'CloudEngine' raised an exception: Cluster-aware updating failed on %s: "
                      "the server did not come back online within 60 minutes after the restart."
                      % leaves[cut][-1]["name"].replace("Update server ", "")) if cut < len(leaves) else ""

    def finish(step: dict) -> dict[str, t.Any] | None:
        children = [c for c in (finish(child) for child in step["steps"]) if c is not None]
        if step["steps"] and not children:
            return None
        if not step["steps"]:
            if id(step) not in times:
                return None
            begin, end = times[id(step)]
        else:
            begin = min(_parse_back(c["startTimeUtc"]) for c in children)
            ends = [_parse_back(c["lastUpdatedTimeUtc"]) for c in children]
            end = None if id(step) in active and run_state == "InProgress" else max(ends)
        if id(step) in active:
            status = "InProgress" if run_state == "InProgress" else "Error"
        else:
            status = "Success"
        out: dict[str, t.Any] = {"name": step["name"], "description": step["description"],
                                 "errorMessage": failed_message if (status == "Error" and not step["steps"]) else "",
                                 "status": status, "startTimeUtc": _ts(rng, begin)}
        last = end or max([_parse_back(c["lastUpdatedTimeUtc"]) for c in children] + [begin])
        if end is not None:
            out["endTimeUtc"] = _ts(rng, end)
        out["lastUpdatedTimeUtc"] = _ts(rng, last)
        out["steps"] = children
        return out

    progress = finish(root)
    if progress is None:
        raise RuntimeError("empty update plan")
    end_time = clock
    properties = {
        "provisioningState": "Succeeded",
        "timeStarted": progress["startTimeUtc"],
        "lastUpdatedTime": progress["lastUpdatedTimeUtc"],
        "duration": _duration(end_time - start),
        "state": run_state,
        "progress": progress,
    }
    run_name = _guid(rng)
    run_id = "%s/updateRuns/%s" % (uid, run_name)
    store.put({"id": run_id, "name": "%s/%s" % (update_name, run_name), "type": paths.UPDATE_RUN_TYPE, "location": display,
               "systemData": _system_data(RP_APP_ID, "Application", properties["timeStarted"]), "properties": properties}, copy=False)
    return end_time


def _parse_back(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text[:26] + text[27:])
