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
    # Nothing registered (the role's argument validation failed, say): a failed cluster, named from its host variables.
    assert (outcomes[3]['cluster_name'], outcomes[3]['state']) == ('c4', 'TaskFailed')
    assert outcomes[3]['error'].startswith('no outcome was recorded: the host failed before')


def test_a_summary_in_the_other_mode_says_which_mode_the_role_ran_in():
    # The rings pattern: reconcile in batches, summarise in a later play that forgot update_runs_mode.
    applied = {'changed': False, 'results': [dict(info_result('c1', 'Succeeded')['update_runs'][0], item={'update_name': 'u', 'name': 'r'})]}
    outcome, = FILTERS['fleet_outcomes'](['h1'], {'h1': {'update_runs__applied': applied, 'azure_hci_resource_group': 'rg-1'}})
    assert (outcome['state'], outcome['resource_group']) == ('TaskFailed', 'rg-1')
    assert outcome['error'] == ('no report outcome was recorded: the role ran in reconcile mode on this host; '
                                'summarise it with update_runs_mode: reconcile')
    # Asked for the right mode, the same host is summarised from what it registered.
    outcome, = FILTERS['fleet_outcomes'](['h1'], {'h1': {'update_runs__applied': applied}}, 'reconcile')
    assert outcome['state'] == 'Succeeded'


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


def test_a_cluster_without_runs_is_named_by_the_cluster_id_the_info_module_returns():
    # Its address came from role or play variables, which hostvars do not hold.
    found = {'changed': False, 'update_runs': [], 'cluster_id': '/subscriptions/sub-c/resourceGroups/rg-c/providers/Microsoft.AzureStackHCI/clusters/hci-c'}
    outcome, = FILTERS['fleet_outcomes'](['h1'], {'h1': {'update_runs__found': found}})
    assert (outcome['cluster_name'], outcome['resource_group'], outcome['subscription_id'], outcome['state']) == ('hci-c', 'rg-c', 'sub-c', 'NoRuns')


def test_fleet_outcomes_refuse_an_unknown_mode():
    with pytest.raises(AnsibleFilterError, match='mode must be'):
        FILTERS['fleet_outcomes']([], {}, 'apply')


def test_a_reconcile_loop_with_one_failed_item_is_a_failed_cluster_that_still_counts_its_changes():
    written = dict(info_result('c1', 'Succeeded')['update_runs'][0], item={'update_name': 'u', 'name': 'r'}, changed=True,
                   invocation={'module_args': {'cluster_name': 'c1', 'resource_group': 'rg'}})
    refused = {'item': {'update_name': 'u', 'name': 'bad'}, 'failed': True, 'msg': 'Invalid option run_state: ...'}
    applied = {'failed': True, 'msg': 'One or more items failed', 'results': [written, refused]}
    rescued = FILTERS['cluster_outcome']([], {'cluster_name': 'c1'}, False, applied)
    outcome, = FILTERS['fleet_outcomes'](['h1'], {'h1': {'update_runs__applied': applied, 'update_runs_outcome': rescued}}, 'reconcile')
    assert (outcome['state'], outcome['changed'], outcome['runs']) == ('TaskFailed', True, 1)
    assert outcome['error'] == 'Invalid option run_state: ...'
    summary = FILTERS['fleet_summary']([outcome], ['h1'])
    assert (summary['changed'], summary['failed_count']) == (['c1'], 1)


def test_a_report_whose_wait_ran_out_of_time_shows_the_runs_as_they_are_not_as_a_failure():
    found = dict(info_result('c1', 'InProgress'), failed=True, msg='gave up waiting ...', error={'code': 'WaitTimeout'})
    refused = dict(info_result('c2', 'InProgress'), failed=True, msg='HTTP 403', error={'code': 'AuthorizationFailed'})
    outcomes = FILTERS['fleet_outcomes'](['h1', 'h2'], {
        'h1': {'update_runs__found': found, 'update_runs_outcome': {'cluster_name': 'c1', 'state': 'TaskFailed'}},
        'h2': {'update_runs__found': refused, 'update_runs_outcome': {'cluster_name': 'c2', 'state': 'TaskFailed'}}})
    assert [(item['cluster_name'], item['state']) for item in outcomes] == [('c1', 'InProgress'), ('c2', 'TaskFailed')]


def test_a_host_that_failed_outright_in_this_play_is_not_summarised_from_an_earlier_plays_results():
    applied = {'changed': True, 'results': [dict(info_result('c1', 'Succeeded')['update_runs'][0], item={'update_name': 'u', 'name': 'r'},
                                                 changed=True)]}
    hostvars = {'h1': {'update_runs__applied': applied, 'update_runs__found': info_result('c1', 'Succeeded'), 'azure_hci_cluster_name': 'c1'}}
    stale, = FILTERS['fleet_outcomes'](['h1'], hostvars, 'reconcile', ['h1'])
    assert (stale['cluster_name'], stale['state'], stale['changed']) == ('c1', 'TaskFailed', False)
    assert stale['error'].startswith('no outcome was recorded')  # not advice to switch modes from the stale report either
    fresh, = FILTERS['fleet_outcomes'](['h1'], hostvars, 'reconcile')
    assert (fresh['state'], fresh['changed']) == ('Succeeded', True)
