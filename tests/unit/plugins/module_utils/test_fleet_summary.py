# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._fleet_summary import (
    cluster_outcome,
    failure_message,
    fleet_summary,
    fleet_summary_markdown,
)
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._step_summary import summarize_steps


def run(update, name, state, started, error_step=None):
    progress = {'name': 'root', 'status': 'Success', 'steps': [{'name': 'only', 'status': 'Success'}]}
    if error_step:
        progress = {'name': 'root', 'status': 'Error', 'steps': [{'name': error_step, 'status': 'Error', 'errorMessage': 'boom | bang'}]}
    resource = {'name': '%s/%s' % (update, name), 'properties': {'state': state, 'timeStarted': started, 'progress': progress}}
    return {'update_name': update, 'name': name, 'update_run': resource, 'summary': summarize_steps(resource)}


def cluster(name, group='rg'):
    return {'cluster_name': name, 'resource_group': group, 'subscription_id': 'sub'}


def test_a_clusters_state_is_its_most_recently_started_run():
    runs = [run('u1', 'old', 'Failed', '2026-01-01T00:00:00Z', 'x'), run('u2', 'new', 'Succeeded', '2026-01-02T00:00:00+01:00')]
    outcome = cluster_outcome(cluster('c1'), runs, changed=True)
    assert (outcome['state'], outcome['update_name'], outcome['run_name'], outcome['changed']) == ('Succeeded', 'u2', 'new', True)
    assert outcome['failed_steps'] == [] and outcome['runs'] == 2


def test_a_failed_latest_run_carries_its_failed_steps():
    outcome = cluster_outcome(cluster('c1'), [run('u1', 'r', 'Failed', '2026-01-01T00:00:00Z', 'Update host')])
    assert outcome['failed_steps'] == [{'path': ['root', 'Update host'], 'name': 'Update host', 'error_message': 'boom | bang'}]


def test_no_runs_and_task_failures_have_their_own_states():
    assert cluster_outcome(cluster('c1'), [])['state'] == 'NoRuns'
    failed = cluster_outcome(cluster('c1'), [], error={'msg': 'One or more items failed', 'results': [
        {'failed': True, 'msg': 'HTTP 429'}, {'failed': False, 'msg': 'fine'}, {'failed': True, 'msg': 'HTTP 503'}]})
    assert (failed['state'], failed['error']) == ('TaskFailed', 'HTTP 429; HTTP 503')


def test_failure_messages():
    assert failure_message('plain') == 'plain'
    assert failure_message({'msg': 'cluster missing'}) == 'cluster missing'
    assert failure_message(None) is None


def test_the_fleet_summary_counts_states_changes_and_failures():
    outcomes = [
        cluster_outcome(cluster('b'), [run('u', 'r', 'Failed', '2026-01-01T00:00:00Z', 'step')]),
        cluster_outcome(cluster('a'), [run('u', 'r', 'Succeeded', '2026-01-01T00:00:00Z')], changed=True),
        cluster_outcome(cluster('c'), [], error='refused'),
        None,
    ]
    summary = fleet_summary(outcomes, ['hb', 'ha', 'hc', 'hd'])
    assert summary['clusters'] == 4
    assert summary['changed'] == ['a'] and summary['changed_count'] == 1
    assert summary['by_state'] == {'Failed': 1, 'Succeeded': 1, 'TaskFailed': 2}
    assert summary['failed_count'] == 3 and summary['failed_percent'] == 75.0
    assert [(item['cluster_name'], item['reason']) for item in summary['failed_clusters']] == [
        ('b', 'the update run failed'), ('c', 'the task failed'), ('hd', 'the task failed')]


def test_an_empty_fleet_has_no_failures():
    assert fleet_summary([])['failed_percent'] == 0.0


def test_markdown_escapes_cells_and_can_leave_out_the_cluster_table():
    summary = fleet_summary([cluster_outcome(cluster('b'), [run('u', 'r', 'Failed', '2026-01-01T00:00:00Z', 'step')])])
    full = fleet_summary_markdown(summary)
    assert '| b | rg | u/r | root / step | boom \\| bang |' in full
    assert '## Clusters' in full
    assert '## Clusters' not in fleet_summary_markdown(summary, clusters_table=False)
    assert '1 cluster, 0 changed, 1 failed (100.0%).' in full


def test_the_markdown_counts_clusters_in_the_plural():
    assert '0 clusters, 0 changed' in fleet_summary_markdown(fleet_summary([]))
    assert '2 clusters, 0 changed' in fleet_summary_markdown(fleet_summary([cluster_outcome(cluster(name), []) for name in 'ab']))


def test_a_failed_run_without_a_failed_step_says_so_in_its_row():
    resource = {'name': 'u/r', 'properties': {'state': 'Failed', 'timeStarted': '2026-01-01T00:00:00Z'}}
    outcome = cluster_outcome(cluster('b'), [{'update_name': 'u', 'name': 'r', 'update_run': resource, 'summary': summarize_steps(resource)}])
    markdown = fleet_summary_markdown(fleet_summary([outcome]))
    assert '| b | rg | u/r |  | the run is Failed; none of its steps reports an error |' in markdown
