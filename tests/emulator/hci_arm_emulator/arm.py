# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Azure Resource Manager for Microsoft.AzureStackHCI clusters, updates, update runs and update summaries
(api-version 2024-04-01), plus the few Microsoft.Resources reads (subscriptions, resource groups)."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
import typing as t
import uuid

from . import paths, regions, timefmt
from .config import Settings
from .faults import FaultTable
from .identity import TokenRecord
from .paths import Route
from .responses import Response, arm_error
from .store import Store
from .validation import ValidationError, validate_update_run

SUPPORTED_API_VERSIONS = ("2024-04-01",)
_DATE_API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(-preview|-beta|-alpha)?$")
NOT_FOUND_FIX = "For more details please go to https://aka.ms/ARMResourceNotFoundFix"

_OPERATIONS = {
    ("subscriptions", "GET"): "Subscriptions_List",
    ("subscription", "GET"): "Subscriptions_Get",
    ("resourceGroups", "GET"): "ResourceGroups_List",
    ("resourceGroup", "GET"): "ResourceGroups_Get",
    ("clustersBySubscription", "GET"): "Clusters_ListBySubscription",
    ("clusters", "GET"): "Clusters_ListByResourceGroup",
    ("cluster", "GET"): "Clusters_Get",
    ("updates", "GET"): "Updates_List",
    ("update", "GET"): "Updates_Get",
    ("updateRuns", "GET"): "UpdateRuns_List",
    ("updateRun", "GET"): "UpdateRuns_Get",
    ("updateRun", "PUT"): "UpdateRuns_Put",
    ("updateRun", "DELETE"): "UpdateRuns_Delete",
    ("updateSummaries", "GET"): "UpdateSummaries_List",
    ("updateSummary", "GET"): "UpdateSummaries_Get",
    ("operationStatus", "GET"): "OperationStatuses_Get",
    ("operationResult", "GET"): "OperationResults_Get",
}

_TYPE_FOR_MESSAGE = {
    "clustersBySubscription": "clusters", "clusters": "clusters", "cluster": "clusters",
    "updates": "clusters/updates", "update": "clusters/updates",
    "updateRuns": "clusters/updates/updateRuns", "updateRun": "clusters/updates/updateRuns",
    "updateSummaries": "clusters/updateSummaries", "updateSummary": "clusters/updateSummaries",
    "operationStatus": "locations/operationStatuses", "operationResult": "locations/operationResults",
}


def operation_name(route: Route, method: str) -> str | None:
    return _OPERATIONS.get((route.target, method.upper()))


@dataclasses.dataclass
class ArmRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes
    content_type: str | None
    principal: TokenRecord


def _one(query: dict[str, list[str]], name: str) -> str | None:
    for key, values in query.items():
        if key.lower() == name.lower() and values:
            return values[0]
    return None


def system_data(principal: TokenRecord, existing: dict | None) -> dict[str, str]:
    now = timefmt.now_str()
    data = {"createdBy": principal.client_id, "createdByType": principal.principal_type, "createdAt": now}
    if existing and isinstance(existing.get("systemData"), dict):
        old = existing["systemData"]
        data = {k: old[k] for k in ("createdBy", "createdByType", "createdAt") if k in old} or data
    data.update({"lastModifiedBy": principal.client_id, "lastModifiedByType": principal.principal_type, "lastModifiedAt": now})
    return data


class Arm:
    def __init__(self, store: Store, settings: t.Callable[[], Settings], base_url: t.Callable[[], str], faults: FaultTable) -> None:
        self.store = store
        self._settings = settings
        self._base_url = base_url
        self._faults = faults

    # ------------------------------------------------------------------ entry
    def handle(self, request: ArmRequest, route: Route) -> tuple[Response, str | None]:
        """Answer one authenticated ARM request. Returns the response and the fault kind used (lro_failed) or None."""
        if route.target == "unknown":
            return self._unknown(route), None
        operation = operation_name(route, request.method)
        if operation is None:
            return arm_error(405, "MethodNotAllowed", "The requested resource does not support http method '%s'." % request.method), None
        api_version = _one(request.query, "api-version")
        if not api_version:
            return arm_error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."), None
        if route.target == "subscriptions":
            return self._list_subscriptions(api_version), None
        sub = self.store.subscription(route.subscription or "")
        if sub is None:
            return arm_error(404, "SubscriptionNotFound", "The subscription '%s' could not be found." % route.subscription), None
        if route.target in ("subscription", "resourceGroups", "resourceGroup"):
            return self._resources_provider(route, api_version, sub), None
        if route.target in ("clustersBySubscription", "operationStatus", "operationResult"):
            location = route.location or "global"
            if api_version not in SUPPORTED_API_VERSIONS:
                return self._no_provider(route, api_version, location), None
            if route.target == "clustersBySubscription":
                groups = self.store.resource_groups_of(sub["subscriptionId"])
                collections = [paths.clusters_collection(g["subscriptionId"], g["name"]) for g in groups]
                return self._page(request, api_version, collections), None
            return self._operation(request, route), None
        group = self.store.resource_group(route.subscription or "", route.resource_group or "")
        if group is None:
            return arm_error(404, "ResourceGroupNotFound", "Resource group '%s' could not be found." % route.resource_group), None
        if api_version not in SUPPORTED_API_VERSIONS:
            return self._no_provider(route, api_version, group["location"]), None
        return self._hci(request, route, api_version)

    # ------------------------------------------------------------------ errors
    @staticmethod
    def _unknown(route: Route) -> Response:
        if route.unknown_namespace:
            return arm_error(400, "InvalidResourceNamespace", "The resource namespace '%s' is invalid." % route.unknown_namespace)
        if route.subscription is None:
            return arm_error(404, "NotFound", "The requested path was not found: '/%s'." % (route.unknown_type or ""))
        return arm_error(404, "InvalidResourceType", "The resource type '%s' could not be found in the namespace '%s' for api version '%s'."
                         % (route.unknown_type, paths.NAMESPACE, SUPPORTED_API_VERSIONS[-1]))

    @staticmethod
    def _no_provider(route: Route, api_version: str, location: str) -> Response:
        return arm_error(400, "NoRegisteredProviderFound",
                         "No registered resource provider found for location '%s' and API version '%s' for type '%s'. "
                         "The supported api-versions are '%s'. The supported locations are '%s'."
                         % (location, api_version, _TYPE_FOR_MESSAGE.get(route.target, route.target),
                            ", ".join(SUPPORTED_API_VERSIONS), ", ".join(sorted(regions.REGIONS))))

    @staticmethod
    def _not_found(route: Route, type_path: str) -> Response:
        return arm_error(404, "ResourceNotFound", "The Resource '%s/%s' under resource group '%s' was not found. %s"
                         % (paths.NAMESPACE, type_path, route.resource_group, NOT_FOUND_FIX))

    @staticmethod
    def _parent_not_found(parent: str) -> Response:
        return arm_error(404, "ParentResourceNotFound",
                         "Can not perform requested operation on nested resource. Parent resource '%s' not found." % parent)

    # ------------------------------------------------------------------ Microsoft.Resources
    def _list_subscriptions(self, api_version: str) -> Response:
        if not _DATE_API_VERSION.match(api_version):
            return _invalid_api_version(api_version)
        with self.store.lock:
            subs = [self._subscription_body(s) for s in self.store.subscriptions.values()]
        return Response(200, {"value": subs, "count": {"type": "Total", "value": len(subs)}})

    @staticmethod
    def _subscription_body(sub: dict) -> dict[str, t.Any]:
        return {
            "id": paths.subscription_id(sub["subscriptionId"]), "authorizationSource": "RoleBased", "managedByTenants": [],
            "subscriptionId": sub["subscriptionId"], "tenantId": sub["tenantId"], "displayName": sub["displayName"],
            "state": "Enabled",
            "subscriptionPolicies": {"locationPlacementId": "Public_2014-09-01", "quotaId": "PayAsYouGo_2014-09-01", "spendingLimit": "Off"},
        }

    def _resources_provider(self, route: Route, api_version: str, sub: dict) -> Response:
        if not _DATE_API_VERSION.match(api_version):
            return _invalid_api_version(api_version)
        if route.target == "subscription":
            return Response(200, self._subscription_body(sub))
        if route.target == "resourceGroups":
            return Response(200, {"value": [_group_body(g) for g in self.store.resource_groups_of(sub["subscriptionId"])]})
        group = self.store.resource_group(sub["subscriptionId"], route.resource_group or "")
        if group is None:
            return arm_error(404, "ResourceGroupNotFound", "Resource group '%s' could not be found." % route.resource_group)
        return Response(200, _group_body(group))

    # ------------------------------------------------------------------ HCI
    def _hci(self, request: ArmRequest, route: Route, api_version: str) -> tuple[Response, str | None]:
        # pylint: disable=too-many-return-statements
        sub, rg, cluster = route.subscription or "", route.resource_group or "", route.cluster
        if route.target == "clusters":
            return self._page(request, api_version, [paths.clusters_collection(sub, rg)]), None
        cid = paths.cluster_id(sub, rg, cluster or "")
        if route.target == "cluster":
            return self._get(cid, route, "clusters/%s" % cluster), None
        if not self.store.exists(cid):
            return self._parent_not_found(cluster or ""), None
        if route.target == "updates":
            return self._page(request, api_version, [cid + "/updates"]), None
        if route.target == "updateSummaries":
            return self._page(request, api_version, [cid + "/updateSummaries"]), None
        if route.target == "updateSummary":
            return self._get(cid + "/updateSummaries/" + (route.summary or ""), route,
                             "clusters/%s/updateSummaries/%s" % (cluster, route.summary)), None
        uid = "%s/updates/%s" % (cid, route.update)
        if route.target == "update":
            return self._get(uid, route, "clusters/%s/updates/%s" % (cluster, route.update)), None
        if not self.store.exists(uid):
            return self._parent_not_found("%s/%s" % (cluster, route.update)), None
        if route.target == "updateRuns":
            return self._page(request, api_version, [uid + "/updateRuns"]), None
        rid = paths.update_run_id(sub, rg, cluster or "", route.update or "", route.run or "")
        type_path = "clusters/%s/updates/%s/updateRuns/%s" % (cluster, route.update, route.run)
        if request.method == "GET":
            return self._get(rid, route, type_path), None
        if request.method == "PUT":
            return self._put_run(request, route, rid), None
        return self._delete_run(request, route, rid)

    def _get(self, resource_id: str, route: Route, type_path: str) -> Response:
        text = self.store.get_json(resource_id)
        if text is None:
            return self._not_found(route, type_path)
        return Response(200, text.encode("utf-8"))

    def _page(self, request: ArmRequest, api_version: str, collections: list[str]) -> Response:
        size = self._settings().page_size
        token = _one(request.query, "$skipToken")
        offset = 0
        if token is not None:
            try:
                offset = int(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode("ascii").split(":", 1)[1])
            except (ValueError, IndexError, UnicodeDecodeError, binascii.Error):
                return arm_error(400, "InvalidSkipToken", "The provided skip token '%s' is not valid." % token)
            if offset < 0:
                return arm_error(400, "InvalidSkipToken", "The provided skip token '%s' is not valid." % token)
        items, total = self.store.list_page(collections, offset, size)
        body: dict[str, t.Any] = {"value": items}
        if offset + size < total:
            next_token = base64.urlsafe_b64encode(("offset:%d" % (offset + size)).encode()).decode().rstrip("=")
            body["nextLink"] = "%s%s?api-version=%s&$skipToken=%s" % (self._base_url(), request.path, api_version, next_token)
        return Response(200, body)

    # ------------------------------------------------------------------ PUT / DELETE update runs
    def build_update_run(self, route: Route, resource_id: str, clean: dict[str, t.Any], principal: TokenRecord) -> dict[str, t.Any]:
        """The stored resource for a validated PUT body; raises _PutError on location problems."""
        cluster = self.store.get(paths.cluster_id(route.subscription or "", route.resource_group or "", route.cluster or ""))
        existing = self.store.get(resource_id)
        location = clean.get("location")
        if location is not None:
            display = regions.display_name(location)
            if display is None:
                raise _PutError(arm_error(
                    400, "LocationNotAvailableForResourceType",
                    "The provided location '%s' is not available for resource type '%s'. List of available regions for the resource type is '%s'."
                    % (location, paths.UPDATE_RUN_TYPE, ",".join(sorted(regions.REGIONS)))))
            if existing and regions.short_name(existing.get("location", "")) != regions.short_name(display):
                raise _PutError(arm_error(
                    400, "InvalidResourceLocation",
                    "The resource '%s' already exists in location '%s' in resource group '%s'. A resource with the same name cannot be "
                    "created in location '%s'. Please select a new resource name."
                    % (existing["name"], regions.short_name(existing.get("location", "")), route.resource_group,
                       regions.short_name(display)), target="location"))
        elif existing:
            display = existing.get("location")
        else:
            display = regions.display_name((cluster or {}).get("location", "")) or (cluster or {}).get("location")
        properties = {"provisioningState": "Succeeded"}
        properties.update(clean.get("properties", {}))
        resource: dict[str, t.Any] = {
            "id": existing["id"] if existing else resource_id,
            "name": existing["name"] if existing else "%s/%s" % (route.update, route.run),
            "type": paths.UPDATE_RUN_TYPE,
        }
        if display is not None:
            resource["location"] = display
        resource["systemData"] = system_data(principal, existing)
        resource["properties"] = properties
        return resource

    def _put_run(self, request: ArmRequest, route: Route, resource_id: str) -> Response:
        if request.content_type and "json" not in request.content_type.lower():
            return arm_error(415, "UnsupportedMediaType", "The content media type '%s' is not supported. Only 'application/json' is supported."
                             % request.content_type.split(";")[0].strip())
        try:
            if not request.body.strip():
                raise ValueError("The request content is empty.")
            body = json.loads(request.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            return arm_error(400, "InvalidRequestContent", "The request content was invalid and cannot be deserialized: '%s'." % _first_line(exc))
        try:
            clean = validate_update_run(body)
        except ValidationError as exc:
            return arm_error(400, "InvalidRequestContent", "The request content was invalid and cannot be deserialized: '%s'." % exc.message,
                             target=exc.path or None)
        with self.store.lock:
            try:
                resource = self.build_update_run(route, resource_id, clean, request.principal)
            except _PutError as exc:
                return exc.response
            self.store.put(resource)
        return Response(200, resource)

    def _delete_run(self, request: ArmRequest, route: Route, resource_id: str) -> tuple[Response, str | None]:
        settings = self._settings()
        with self.store.lock:
            existing = self.store.get(resource_id)
            if existing is None:
                return Response(204), None
            fault = self._faults.take(request.method, request.path, ("lro_failed",))
            location = regions.short_name(existing.get("location") or "") or "global"
            operation_id = str(uuid.uuid4())
            sub = route.subscription or ""
            error = None
            if fault is not None:
                error = {"code": fault.options.get("code") or "UpdateRunDeletionFailed",
                         "message": fault.options.get("message") or "The update run '%s' could not be deleted: the update service "
                         "on the cluster did not acknowledge the request." % existing["name"]}
            self.store.operations[operation_id] = {
                "id": paths.operation_status_id(sub, location, operation_id), "name": operation_id, "subscription": sub.lower(),
                "location": location, "resourceId": existing["id"], "status": "InProgress", "pollsLeft": settings.lro_polls,
                "startTime": timefmt.now_str(), "endTime": None, "error": error,
            }
        base = self._base_url()
        status_url = "%s%s?api-version=%s" % (base, paths.operation_status_id(sub, location, operation_id), SUPPORTED_API_VERSIONS[-1])
        result_url = "%s%s?api-version=%s" % (base, paths.operation_result_id(sub, location, operation_id), SUPPORTED_API_VERSIONS[-1])
        headers = {"Azure-AsyncOperation": status_url, "Location": result_url, "Retry-After": str(settings.retry_after)}
        return Response(202, None, headers), (fault.kind if fault else None)

    def _advance(self, operation: dict[str, t.Any]) -> dict[str, t.Any]:
        """One poll of an operation (store lock held): InProgress while polls are left, then terminal."""
        if operation["status"] != "InProgress":
            return operation
        if operation["pollsLeft"] > 0:
            operation["pollsLeft"] -= 1
            return operation
        operation["endTime"] = timefmt.now_str()
        if operation["error"]:
            operation["status"] = "Failed"
        else:
            operation["status"] = "Succeeded"
            self.store.delete(operation["resourceId"])
        return operation

    def _operation(self, request: ArmRequest, route: Route) -> Response:
        settings = self._settings()
        with self.store.lock:
            operation = self.store.operations.get((route.operation_id or "").lower())
            if (operation is None or operation["subscription"] != (route.subscription or "").lower()
                    or operation["location"] != (route.location or "").lower()):
                return arm_error(404, "OperationNotFound", "The operation '%s' could not be found." % route.operation_id)
            operation = dict(self._advance(operation))
        body: dict[str, t.Any] = {"id": operation["id"], "name": operation["name"], "resourceId": operation["resourceId"],
                                  "status": operation["status"], "startTime": operation["startTime"]}
        if operation["endTime"]:
            body["endTime"] = operation["endTime"]
        body["percentComplete"] = 0.0 if operation["status"] == "InProgress" else 100.0
        if operation["status"] == "Failed":
            body["error"] = operation["error"]
        in_progress = operation["status"] == "InProgress"
        headers = {"Retry-After": str(settings.retry_after)} if in_progress else {}
        if route.target == "operationStatus":
            return Response(200, body, headers)
        if in_progress:
            headers["Location"] = "%s%s?api-version=%s" % (self._base_url(), request.path, SUPPORTED_API_VERSIONS[-1])
            return Response(202, None, headers)
        if operation["status"] == "Failed":
            return Response(409, {"error": operation["error"]})
        return Response(204)


class _PutError(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


def _group_body(group: dict) -> dict[str, t.Any]:
    return {"id": paths.resource_group_id(group["subscriptionId"], group["name"]), "name": group["name"],
            "type": "Microsoft.Resources/resourceGroups", "location": group["location"], "tags": group["tags"],
            "properties": {"provisioningState": "Succeeded"}}


def _invalid_api_version(api_version: str) -> Response:
    return arm_error(400, "InvalidApiVersionParameter",
                     "The api-version '%s' is invalid. The supported versions are '2022-12-01,2021-04-01,2020-01-01'." % api_version)


def _first_line(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0]
