# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.hcifleet.azure_hci.plugins.filter.fleet import FilterModule


FILTERS = FilterModule().filters()


def test_loop_results_of_the_module_become_runs_named_by_their_items():
    results = [
        {'item': {'update_name': 'u1', 'name': 'r1'}, 'changed': True,
         'update_run': {'properties': {'state': 'InProgress', 'timeStarted': '2026-01-01T00:00:00Z'}},
         'summary': {'state': 'InProgress', 'failed_steps': [], 'current_step': {'path': ['root', 'x']}}},
        {'item': {'update_name': 'u1', 'name': 'gone', 'state': 'absent'}, 'update_run': {}, 'summary': {}},
    ]
    outcome = FILTERS['cluster_outcome'](results, {'cluster_name': 'c'}, True)
    assert (outcome['state'], outcome['update_name'], outcome['run_name'], outcome['current_step']) == ('InProgress', 'u1', 'r1', ['root', 'x'])
    assert outcome['runs'] == 1


def test_the_cluster_must_be_named():
    with pytest.raises(AnsibleFilterError, match='cluster_name'):
        FILTERS['cluster_outcome']([], {'name': 'c'})


def test_the_markdown_filter_renders_the_summary_filter():
    summary = FILTERS['fleet_summary']([FILTERS['cluster_outcome']([], {'cluster_name': 'c'})], ['c'])
    assert '| NoRuns | 1 |' in FILTERS['fleet_summary_markdown'](summary)


def info_result(cluster_name, state):
    run = {'name': 'u/r', 'properties': {'state': state, 'timeStarted': '2026-01-01T00:00:00Z'}}
    return {'changed': False, 'invocation': {'module_args': {'cluster_name': cluster_name, 'resource_group': 'rg', 'subscription_id': 's'}},
            'update_runs': [{'update_name': 'u', 'name': 'r', 'update_run': run, 'summary': {'state': state, 'failed_steps': [], 'current_step': None}}]}


def test_fleet_outcomes_read_what_each_host_registered():
    hostvars = {
        'h1': {'update_runs__found': info_result('c1', 'Succeeded')},
        'h2': {'update_runs__found': {'failed': True, 'msg': 'boom'},
               'update_runs_outcome': FILTERS['cluster_outcome']([], {'cluster_name': 'c2'}, False, 'boom')},
        'h3': {'update_runs__found': info_result('c3', 'Failed'), 'update_runs_outcome': {'cluster_name': 'c3', 'state': 'TaskFailed'}},
        'h4': {'azure_hci_cluster_name': 'c4'},
    }
    outcomes = FILTERS['fleet_outcomes'](['h1', 'h2', 'h3', 'h4'], hostvars)
    assert [(item['cluster_name'], item['state']) for item in outcomes[:3]] == [('c1', 'Succeeded'), ('c2', 'TaskFailed'), ('c3', 'Failed')]
    assert outcomes[0]['resource_group'] == 'rg' and outcomes[0]['host'] == 'h1'
    assert outcomes[3] is None  # nothing registered: the summary reports the host as failed


def test_fleet_outcomes_in_reconcile_mode_use_the_loop_results():
    applied = {'changed': True, 'results': [dict(info_result('c1', 'InProgress')['update_runs'][0], item={'update_name': 'u', 'name': 'r'},
                                                 invocation={'module_args': {'cluster_name': 'c1', 'resource_group': 'rg'}})]}
    empty = {'changed': False, 'results': [], 'skipped': True, 'skipped_reason': 'No items in the list'}
    outcomes = FILTERS['fleet_outcomes'](['h1', 'h2'], {'h1': {'update_runs__applied': applied},
                                                        'h2': {'update_runs__applied': empty, 'azure_hci_cluster_name': 'c2'}}, 'reconcile')
    assert [(item['cluster_name'], item['state'], item['changed']) for item in outcomes] == [('c1', 'InProgress', True), ('c2', 'NoDesiredRuns', False)]


def test_without_an_invocation_the_cluster_is_named_by_the_run_id_then_by_host_variables():
    # Ansible drops 'invocation' from a registered result; the role's report mode registers the info module's result.
    registered = info_result('ignored', 'Succeeded')
    del registered['invocation']
    registered['update_runs'][0]['update_run']['id'] = (
        '/subscriptions/sub-a/resourceGroups/RG-A/providers/Microsoft.AzureStackHCI/clusters/hci-a/updates/u/updateRuns/r')
    no_runs = {'changed': False, 'update_runs': []}
    hostvars = {
        'h1': {'update_runs__found': registered, 'azure_hci_resource_group': 'stale'},
        'h2': {'update_runs__found': no_runs, 'update_runs_cluster_name': 'hci-b', 'update_runs_resource_group': 'rg-b',
               'azure_hci_cluster_name': 'plugin-name', 'azure_hci_resource_group': 'plugin-rg', 'azure_hci_subscription_id': 'sub-b'},
        'h3': {'update_runs__found': no_runs},
    }
    outcomes = FILTERS['fleet_outcomes'](['h1', 'h2', 'h3'], hostvars)
    assert [(item['cluster_name'], item['resource_group'], item['subscription_id']) for item in outcomes] == [
        ('hci-a', 'RG-A', 'sub-a'), ('hci-b', 'rg-b', 'sub-b'), ('h3', None, None)]


def test_fleet_outcomes_refuse_an_unknown_mode():
    with pytest.raises(AnsibleFilterError, match='mode must be'):
        FILTERS['fleet_outcomes']([], {}, 'apply')
