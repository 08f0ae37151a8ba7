# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ARM paths: parsing request paths into routes and building canonical resource ids."""

from __future__ import annotations

import dataclasses
import urllib.parse

NAMESPACE = "Microsoft.AzureStackHCI"
CLUSTER_TYPE = NAMESPACE + "/clusters"
UPDATE_TYPE = NAMESPACE + "/updates"
UPDATE_RUN_TYPE = NAMESPACE + "/updates/updateRuns"
UPDATE_SUMMARY_TYPE = NAMESPACE + "/updateSummaries"


def subscription_id(sub: str) -> str:
    return "/subscriptions/%s" % sub


def resource_group_id(sub: str, rg: str) -> str:
    return "/subscriptions/%s/resourceGroups/%s" % (sub, rg)


def clusters_collection(sub: str, rg: str) -> str:
    return "%s/providers/%s/clusters" % (resource_group_id(sub, rg), NAMESPACE)


def cluster_id(sub: str, rg: str, cluster: str) -> str:
    return "%s/%s" % (clusters_collection(sub, rg), cluster)


def update_id(sub: str, rg: str, cluster: str, update: str) -> str:
    return "%s/updates/%s" % (cluster_id(sub, rg, cluster), update)


def update_run_id(sub: str, rg: str, cluster: str, update: str, run: str) -> str:
    return "%s/updateRuns/%s" % (update_id(sub, rg, cluster, update), run)


def update_summary_id(sub: str, rg: str, cluster: str) -> str:
    return "%s/updateSummaries/default" % cluster_id(sub, rg, cluster)


def operation_status_id(sub: str, location: str, operation_id: str) -> str:
    return "/subscriptions/%s/providers/%s/locations/%s/operationStatuses/%s" % (sub, NAMESPACE, location, operation_id)


def operation_result_id(sub: str, location: str, operation_id: str) -> str:
    return "/subscriptions/%s/providers/%s/locations/%s/operationResults/%s" % (sub, NAMESPACE, location, operation_id)


@dataclasses.dataclass
class Route:
    """What a request path addresses. ``target`` is one of:
    subscriptions, subscription, resourceGroups, resourceGroup, clustersBySubscription, clusters, cluster,
    updates, update, updateRuns, updateRun, updateSummaries, updateSummary, operationStatus, operationResult,
    or ``unknown`` (then ``unknown_type``/``unknown_namespace`` explain)."""

    target: str
    subscription: str | None = None
    resource_group: str | None = None
    cluster: str | None = None
    update: str | None = None
    run: str | None = None
    summary: str | None = None
    location: str | None = None
    operation_id: str | None = None
    unknown_namespace: str | None = None
    unknown_type: str | None = None


_HCI_NESTED = {
    # (segments after clusters/{c}) -> target
    ("updates",): "updates",
    ("updates", None): "update",
    ("updates", None, "updateruns"): "updateRuns",
    ("updates", None, "updateruns", None): "updateRun",
    ("updatesummaries",): "updateSummaries",
    ("updatesummaries", None): "updateSummary",
}


def split(path: str) -> list[str]:
    return [urllib.parse.unquote(part) for part in path.strip("/").split("/") if part != ""]


def parse(path: str) -> Route:  # pylint: disable=too-many-return-statements
    seg = split(path)
    low = [s.lower() for s in seg]
    if not seg or low[0] != "subscriptions":
        return Route("unknown", unknown_type="/".join(seg[:1]))
    if len(seg) == 1:
        return Route("subscriptions")
    sub = seg[1]
    if len(seg) == 2:
        return Route("subscription", subscription=sub)
    if low[2] == "resourcegroups":
        if len(seg) == 3:
            return Route("resourceGroups", subscription=sub)
        rg = seg[3]
        if len(seg) == 4:
            return Route("resourceGroup", subscription=sub, resource_group=rg)
        if len(seg) < 7 or low[4] != "providers":
            return Route("unknown", subscription=sub, resource_group=rg, unknown_type="/".join(seg[4:]))
        if low[5] != NAMESPACE.lower():
            return Route("unknown", subscription=sub, resource_group=rg, unknown_namespace=seg[5])
        if low[6] != "clusters":
            return Route("unknown", subscription=sub, resource_group=rg, unknown_type=seg[6])
        if len(seg) == 7:
            return Route("clusters", subscription=sub, resource_group=rg)
        cluster = seg[7]
        if len(seg) == 8:
            return Route("cluster", subscription=sub, resource_group=rg, cluster=cluster)
        rest = seg[8:]
        shape = tuple(None if i % 2 else part.lower() for i, part in enumerate(rest))
        target = _HCI_NESTED.get(shape)
        if target is None:
            return Route("unknown", subscription=sub, resource_group=rg, cluster=cluster,
                         unknown_type="clusters/" + "/".join(rest[0::2]))
        route = Route(target, subscription=sub, resource_group=rg, cluster=cluster)
        if rest[0].lower() == "updates":
            route.update = rest[1] if len(rest) > 1 else None
            route.run = rest[3] if len(rest) > 3 else None
        else:
            route.summary = rest[1] if len(rest) > 1 else None
        return route
    if low[2] == "providers" and len(seg) >= 4:
        if low[3] != NAMESPACE.lower():
            return Route("unknown", subscription=sub, unknown_namespace=seg[3])
        if len(seg) == 5 and low[4] == "clusters":
            return Route("clustersBySubscription", subscription=sub)
        if len(seg) == 8 and low[4] == "locations" and low[6] in ("operationstatuses", "operationresults"):
            target = "operationStatus" if low[6] == "operationstatuses" else "operationResult"
            return Route(target, subscription=sub, location=seg[5], operation_id=seg[7])
        return Route("unknown", subscription=sub, unknown_type="/".join(seg[4:5]))
    return Route("unknown", subscription=sub, unknown_type="/".join(seg[2:3]))
