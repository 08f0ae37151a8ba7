# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Thread-safe in-memory resource store with case-insensitive, case-preserving resource ids."""

from __future__ import annotations

import json
import threading
import typing as t


def _copy(value: t.Any) -> t.Any:
    """Deep copy of JSON data (faster than copy.deepcopy for this shape of data)."""
    return json.loads(json.dumps(value))


def key(resource_id: str) -> str:
    return resource_id.rstrip("/").lower()


def collection_key(resource_id: str) -> str:
    return key(resource_id).rsplit("/", 1)[0]


class Store:
    """Subscriptions, resource groups, resources (by lower-cased id) and async operations.

    ``lock`` is re-entrant; callers that need several reads/writes to be atomic hold it.
    Values handed out by ``get``/``list`` are deep copies.
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.subscriptions: dict[str, dict[str, t.Any]] = {}
        self.resource_groups: dict[tuple[str, str], dict[str, t.Any]] = {}
        self._resources: dict[str, dict[str, t.Any]] = {}
        self._children: dict[str, dict[str, None]] = {}
        self.operations: dict[str, dict[str, t.Any]] = {}

    def replace_all(self, other: "Store") -> None:
        """Take over the content of ``other`` (used by reset)."""
        with self.lock:
            self.subscriptions = other.subscriptions
            self.resource_groups = other.resource_groups
            self._resources = other._resources  # pylint: disable=protected-access
            self._children = other._children  # pylint: disable=protected-access
            self.operations = {}

    # ---------------------------------------------------------------- containers
    def add_subscription(self, subscription_id: str, display_name: str, tenant_id: str) -> None:
        with self.lock:
            self.subscriptions[subscription_id.lower()] = {
                "subscriptionId": subscription_id, "displayName": display_name, "tenantId": tenant_id}

    def subscription(self, subscription_id: str) -> dict[str, t.Any] | None:
        with self.lock:
            sub = self.subscriptions.get(subscription_id.lower())
            return dict(sub) if sub else None

    def add_resource_group(self, subscription_id: str, name: str, location: str, tags: dict | None = None) -> None:
        with self.lock:
            self.resource_groups[(subscription_id.lower(), name.lower())] = {
                "subscriptionId": self.subscriptions[subscription_id.lower()]["subscriptionId"],
                "name": name, "location": location, "tags": dict(tags or {})}

    def resource_group(self, subscription_id: str, name: str) -> dict[str, t.Any] | None:
        with self.lock:
            group = self.resource_groups.get((subscription_id.lower(), name.lower()))
            return _copy(group) if group else None

    def resource_groups_of(self, subscription_id: str) -> list[dict[str, t.Any]]:
        sub = subscription_id.lower()
        with self.lock:
            return [_copy(group) for (owner, dummy), group in self.resource_groups.items() if owner == sub]

    # ---------------------------------------------------------------- resources
    def get(self, resource_id: str) -> dict[str, t.Any] | None:
        with self.lock:
            resource = self._resources.get(key(resource_id))
            return _copy(resource) if resource is not None else None

    def get_json(self, resource_id: str) -> str | None:
        with self.lock:
            resource = self._resources.get(key(resource_id))
            return json.dumps(resource) if resource is not None else None

    def exists(self, resource_id: str) -> bool:
        with self.lock:
            return key(resource_id) in self._resources

    def put(self, resource: dict[str, t.Any], copy: bool = True) -> None:
        """Insert or replace; ``resource["id"]`` decides where it goes. Stores a deep copy unless ``copy`` is False."""
        rid = key(resource["id"])
        with self.lock:
            self._resources[rid] = _copy(resource) if copy else resource
            self._children.setdefault(collection_key(rid), {})[rid] = None

    def delete(self, resource_id: str) -> bool:
        """Delete a resource and everything nested under it. Returns whether it existed."""
        rid = key(resource_id)
        with self.lock:
            if rid not in self._resources:
                return False
            doomed = [k for k in self._resources if k == rid or k.startswith(rid + "/")]
            for k in doomed:
                del self._resources[k]
                siblings = self._children.get(collection_key(k))
                if siblings is not None:
                    siblings.pop(k, None)
                self._children.pop(k, None)
            for k in [c for c in self._children if c.startswith(rid + "/")]:
                del self._children[k]
            return True

    def list(self, collection_id: str) -> list[dict[str, t.Any]]:
        """Resources directly in a collection, e.g. ``.../clusters/c/updates``, in insertion order."""
        return self.list_page([collection_id], 0, None)[0]

    def list_page(self, collection_ids: t.Iterable[str], offset: int,
                  limit: int | None) -> tuple[list[dict[str, t.Any]], int]:
        """One page of the concatenated collections and the total number of their members."""
        with self.lock:
            ids: list[str] = []
            for collection_id in collection_ids:
                ids.extend(self._children.get(key(collection_id), {}))
            selected = ids[offset:] if limit is None else ids[offset:offset + limit]
            return [_copy(self._resources[i]) for i in selected], len(ids)

    def count(self, collection_id: str) -> int:
        with self.lock:
            return len(self._children.get(key(collection_id), {}))

    def all_resources(self) -> list[dict[str, t.Any]]:
        with self.lock:
            return _copy(list(self._resources.values()))
