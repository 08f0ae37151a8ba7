# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cloud metadata endpoint (``GET /metadata/endpoints``) in its two forms.

* api-version older than 2019-05-01 (e.g. 2015-01-01): the Azure Stack single object
  (``galleryEndpoint``, ``graphEndpoint``, ``portalEndpoint``, ``authentication``); the client derives
  the resource manager URL from the metadata URL itself.
* api-version 2019-05-01 or newer (e.g. 2022-09-01): a JSON list of cloud objects like Azure's.
"""

from __future__ import annotations

import re

from .responses import Response, arm_error

LIST_FORM_SINCE = "2019-05-01"
CLOUD_NAME = "HciEmulator"
_API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(-preview)?$")


def endpoints(base_url: str, query: dict[str, list[str]]) -> Response:
    api_version = (query.get("api-version") or [None])[0]
    if not api_version:
        return arm_error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
    if not _API_VERSION.match(api_version):
        return arm_error(400, "InvalidApiVersionParameter",
                         "The api-version '%s' is invalid. The supported versions are '2015-01-01,2019-05-01,2020-06-01,2022-09-01'."
                         % api_version)
    root = base_url + "/"
    authentication = {"loginEndpoint": root, "audiences": [root]}
    if api_version[:10] < LIST_FORM_SINCE:
        return Response(200, {
            "galleryEndpoint": root + "gallery/",
            "graphEndpoint": "https://graph.windows.net/",
            "portalEndpoint": root + "portal/",
            "authentication": authentication,
        })
    authentication.update({"tenant": "common", "identityProvider": "AAD"})
    cloud = {
        "name": CLOUD_NAME,
        "portal": root + "portal",
        "authentication": authentication,
        "media": root + "media",
        "graphAudience": "https://graph.windows.net/",
        "graph": "https://graph.windows.net/",
        "resourceManager": root,
        "microsoftGraphResourceId": "https://graph.microsoft.com/",
        "activeDirectoryDataLake": "https://datalake.azure.net/",
        "batch": "https://batch.core.windows.net/",
        "sqlManagement": "https://management.core.windows.net:8443/",
        "vmImageAliasDoc": root + "vmimagealiases.json",
        "suffixes": {
            "storage": "core.windows.net",
            "keyVaultDns": "vault.azure.net",
            "sqlServerHostname": "database.windows.net",
            "acrLoginServer": "azurecr.io",
            "azureDataLakeStoreFileSystem": "azuredatalakestore.net",
            "azureDataLakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
            "mhsmDns": "managedhsm.azure.net",
        },
    }
    return Response(200, [cloud])
