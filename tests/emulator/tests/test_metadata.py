# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cloud metadata endpoint: the Azure Stack object form and the Azure list form."""

from __future__ import annotations

import pytest


def test_list_form_for_new_api_versions(arm):
    emu = arm.emu
    response = arm.get(emu.metadata_url, token=None)
    assert response.status_code == 200
    clouds = response.json()
    assert isinstance(clouds, list) and len(clouds) == 1
    cloud = clouds[0]
    assert cloud["name"] == "HciEmulator"
    assert cloud["resourceManager"] == emu.base_url + "/"
    assert cloud["authentication"] == {"loginEndpoint": emu.base_url + "/", "audiences": [emu.base_url + "/"],
                                       "tenant": "common", "identityProvider": "AAD"}
    assert {"portal", "graph", "microsoftGraphResourceId", "suffixes"} <= set(cloud)
    assert emu.requests(kind="metadata")[-1]["operation"] == "Metadata_GetEndpoints"


@pytest.mark.parametrize("api_version", ["2019-05-01", "2020-06-01", "2022-09-01"])
def test_every_version_since_2019_05_01_is_the_list_form(arm, api_version):
    response = arm.get("/metadata/endpoints", token=None, api_version=api_version)
    assert isinstance(response.json(), list)


def test_azure_stack_object_form_for_2015_01_01(arm):
    emu = arm.emu
    response = arm.get("/metadata/endpoints", token=None, api_version="2015-01-01")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"galleryEndpoint", "graphEndpoint", "portalEndpoint", "authentication"}
    assert body["authentication"] == {"loginEndpoint": emu.base_url + "/", "audiences": [emu.base_url + "/"]}


@pytest.mark.parametrize("api_version, code", [(None, "MissingApiVersionParameter"), ("latest", "InvalidApiVersionParameter")])
def test_missing_or_unknown_api_version_is_400(arm, api_version, code):
    response = arm.get("/metadata/endpoints", token=None, api_version=api_version)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
