# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the emulator's own tests."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import typing as t

import pytest
import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# keep hypothesis' example database and caches out of the checkout
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "hci-arm-emulator-hypothesis"))

pytest_plugins = ["hci_arm_emulator.pytest_plugin"]

API_VERSION = "2024-04-01"
# The spec example payloads, shared with the unit tests (see tests/fixtures/specs/README.md).
FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "fixtures", "specs")


def load_fixture(name: str) -> dict[str, t.Any]:
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        return json.load(handle)


class ArmClient:
    """requests against one emulator, with ``verify`` passed on every call (the machine's
    REQUESTS_CA_BUNDLE would otherwise override a session-level ``verify``)."""

    def __init__(self, emulator: t.Any) -> None:
        self.emu = emulator
        self.session = requests.Session()
        self.token = self.new_token()

    def token_request(self, **form: str) -> requests.Response:
        data = {"grant_type": "client_credentials", "client_id": self.emu.client_id, "client_secret": self.emu.client_secret,
                "scope": self.emu.base_url + "/.default"}
        data.update(form)
        tenant = data.pop("tenant", self.emu.tenant_id)
        return self.session.post("%s/%s/oauth2/v2.0/token" % (self.emu.base_url, tenant), data=data,
                                 verify=self.emu.ca_bundle, timeout=10)

    def new_token(self) -> str:
        response = self.token_request()
        response.raise_for_status()
        return response.json()["access_token"]

    def url(self, path_or_url: str) -> str:
        return path_or_url if path_or_url.startswith("https://") else self.emu.base_url + path_or_url

    def request(self, method: str, path_or_url: str, *, api_version: str | None = API_VERSION, token: str | None = "default",
                headers: dict | None = None, **kwargs: t.Any) -> requests.Response:
        params = dict(kwargs.pop("params", {}) or {})
        if api_version is not None and "?" not in path_or_url:
            params.setdefault("api-version", api_version)
        all_headers = dict(headers or {})
        if token == "default":
            token = self.token
        if token is not None:
            all_headers.setdefault("Authorization", "Bearer " + token)
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.url(path_or_url), params=params, headers=all_headers,
                                    verify=self.emu.ca_bundle, **kwargs)

    def get(self, path: str, **kwargs: t.Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def put(self, path: str, body: t.Any = None, **kwargs: t.Any) -> requests.Response:
        if body is not None:
            kwargs["json"] = body
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: t.Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def control(self, method: str, action: str, **kwargs: t.Any) -> requests.Response:
        return self.session.request(method, "%s/_emulator/%s" % (self.emu.base_url, action), verify=self.emu.ca_bundle,
                                    timeout=10, **kwargs)

    def close(self) -> None:
        self.session.close()


def cluster_path(cluster: dict[str, t.Any]) -> str:
    return "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.AzureStackHCI/clusters/%s" % (
        cluster["subscription_id"], cluster["resource_group"], cluster["name"])


def cluster_of(emulator: t.Any, scenario: str) -> dict[str, t.Any]:
    return next(c for c in emulator.clusters() if c["scenario"] == scenario)


@pytest.fixture
def arm(arm_emulator: t.Any) -> t.Iterator[ArmClient]:  # pylint: disable=redefined-outer-name
    client = ArmClient(arm_emulator)
    try:
        yield client
    finally:
        client.close()
