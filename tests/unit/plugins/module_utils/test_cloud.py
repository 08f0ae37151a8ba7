# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._cloud import (
    CloudError,
    arm_scope,
    cloud_from_metadata,
    known_cloud,
    with_authority,
)


def test_known_clouds_by_name_and_alias():
    assert known_cloud('AzureCloud').resource_manager == 'https://management.azure.com/'
    assert known_cloud('azure_public_cloud').name == 'AzureCloud'
    assert known_cloud('AzureUSGovernment').authority == 'https://login.microsoftonline.us/'
    assert known_cloud('AzureChinaCloud').resource_manager == 'https://management.chinacloudapi.cn/'


def test_an_unknown_cloud_name_lists_the_choices():
    with pytest.raises(CloudError, match='AzureChinaCloud, AzureCloud, AzureUSGovernment'):
        known_cloud('AzureGermanCloud')


def test_the_2015_form_takes_the_resource_manager_from_the_url():
    document = {'galleryEndpoint': 'x', 'graphEndpoint': 'y', 'portalEndpoint': 'z',
                'authentication': {'loginEndpoint': 'https://login.example.test/', 'audiences': ['https://management.example.test/abc']}}
    cloud = cloud_from_metadata('https://management.local.azurestack.external/metadata/endpoints?api-version=2015-01-01', document)
    assert cloud.resource_manager == 'https://management.local.azurestack.external/'
    assert cloud.authority == 'https://login.example.test/'
    assert arm_scope(cloud) == 'https://management.example.test/abc/.default'
    assert cloud.public_authority is False


def test_the_list_form_picks_the_cloud_served_from_the_url_host():
    clouds = [
        {'name': 'AzureCloud', 'resourceManager': 'https://management.azure.com/',
         'authentication': {'loginEndpoint': 'https://login.microsoftonline.com', 'audiences': ['https://management.core.windows.net/']}},
        {'name': 'AzureChinaCloud', 'resourceManager': 'https://management.chinacloudapi.cn/',
         'authentication': {'loginEndpoint': 'https://login.chinacloudapi.cn', 'audiences': ['https://management.core.chinacloudapi.cn/']}},
    ]
    cloud = cloud_from_metadata('https://management.chinacloudapi.cn/metadata/endpoints?api-version=2022-09-01', clouds)
    assert cloud.name == 'AzureChinaCloud'
    assert cloud.public_authority is True
    assert arm_scope(cloud) == 'https://management.core.chinacloudapi.cn/.default'


def test_the_list_form_with_one_cloud_uses_it():
    clouds = [{'name': 'Lab', 'resourceManager': 'https://arm.lab.test:8443/',
               'authentication': {'loginEndpoint': 'https://arm.lab.test:8443/', 'audiences': ['https://arm.lab.test:8443/']}}]
    cloud = cloud_from_metadata('https://127.0.0.1:8443/metadata/endpoints?api-version=2022-09-01', clouds)
    assert cloud.resource_manager == 'https://arm.lab.test:8443/'
    assert arm_scope(cloud) == 'https://arm.lab.test:8443/.default'


def test_an_ambiguous_list_is_refused():
    clouds = [{'name': name, 'resourceManager': 'https://%s.test/' % name, 'authentication': {'loginEndpoint': 'https://l/'}} for name in ('a', 'b')]
    with pytest.raises(CloudError, match='lists several clouds'):
        cloud_from_metadata('https://c.test/metadata/endpoints', clouds)


@pytest.mark.parametrize('document', [{'hello': 'world'}, [], 'text', [{'name': 'x'}]])
def test_documents_that_are_not_metadata_are_refused(document):
    with pytest.raises(CloudError):
        cloud_from_metadata('https://x.test/metadata/endpoints', document)


def test_authority_host_overrides_the_login_endpoint():
    cloud = with_authority(known_cloud('AzureCloud'), 'login.lab.test')
    assert cloud.authority == 'https://login.lab.test/'
    assert cloud.public_authority is False
    assert with_authority(known_cloud('AzureCloud'), None) == known_cloud('AzureCloud')


@pytest.mark.parametrize('resource_manager, login, words', [
    ('http://127.0.0.1:43999/', 'https://login.lab.test/', 'names an endpoint, resourceManager, that does not use https (http://127.0.0.1:43999/)'),
    ('https://arm.lab.test/', 'http://login.lab.test/', 'names an endpoint, authentication.loginEndpoint, that does not use https'),
])
def test_metadata_that_would_send_credentials_in_the_clear_is_refused(resource_manager, login, words):
    clouds = [{'name': 'Lab', 'resourceManager': resource_manager, 'authentication': {'loginEndpoint': login}}]
    with pytest.raises(CloudError, match='credentials are only sent over https') as error:
        cloud_from_metadata('https://arm.lab.test/metadata/endpoints?api-version=2022-09-01', clouds)
    assert words in str(error.value)
