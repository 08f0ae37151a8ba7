# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._resource_ids import cluster_scope, update_run_id

SUBSCRIPTION = 'fd3c3665-1729-4b7b-9a38-238e83b0f98b'


def test_an_update_run_id_names_its_cluster_and_the_rest():
    resource_id = update_run_id(SUBSCRIPTION, 'rg-hci', 'hci-01', 'Solution10.2408.1.9', 'run-1')
    assert cluster_scope(resource_id) == (SUBSCRIPTION, 'rg-hci', 'hci-01', '/updates/Solution10.2408.1.9/updateRuns/run-1')


def test_a_cluster_id_has_no_rest_and_case_does_not_matter():
    resource_id = '/SUBSCRIPTIONS/%s/resourcegroups/RG-Hci/providers/microsoft.azurestackhci/Clusters/HCI-01' % SUBSCRIPTION
    assert cluster_scope(resource_id) == (SUBSCRIPTION, 'RG-Hci', 'HCI-01', '')


@pytest.mark.parametrize('resource_id', [
    None, 42, '', '/subscriptions/%s/resourceGroups/rg' % SUBSCRIPTION,
    '/subscriptions/%s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm' % SUBSCRIPTION,
    'subscriptions/%s/resourceGroups/rg/providers/Microsoft.AzureStackHCI/clusters/c' % SUBSCRIPTION,
])
def test_anything_else_is_not_a_cluster_scope(resource_id):
    assert cluster_scope(resource_id) is None
