# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure functions: one cluster's outcome, and the fleet summary built from all of them.

Used by the update_runs role through the filter plugins in plugins/filter/.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_values import InvalidValue, datetime_key
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._resource_ids import ClusterScope, cluster_scope

NO_RUNS = 'NoRuns'
TASK_FAILED = 'TaskFailed'


def cluster_outcome(cluster, runs, changed=False, error=None, no_runs_state=NO_RUNS):
    """What the fleet summary needs about one cluster.

    ``runs`` are items with update_name, name, update_run and summary (as the
    info module returns them, or built from the module's result). The cluster's
    state is that of its most recently started run, or ``no_runs_state``
    without any (reconcile mode calls that NoDesiredRuns).
    """
    latest = _latest(runs)
    error = failure_message(error)
    outcome = dict(cluster, changed=bool(changed), error=error, runs=len(runs))
    if error:
        outcome.update(state=TASK_FAILED, update_name=None, run_name=None, failed_steps=[], current_step=None)
        return outcome
    if latest is None:
        outcome.update(state=no_runs_state, update_name=None, run_name=None, failed_steps=[], current_step=None)
        return outcome
    summary = latest['summary']
    outcome.update(
        state=summary.get('state') or 'Unknown',
        update_name=latest.get('update_name'),
        run_name=latest.get('name'),
        failed_steps=[dict(path=step['path'], name=step['name'], error_message=step.get('error_message')) for step in summary.get('failed_steps') or []],
        current_step=(summary.get('current_step') or {}).get('path'),
    )
    return outcome


NOT_RECORDED = ("no outcome was recorded: the host failed before the role's tasks could record one "
                "(the host's failed task in the play output says why, for example the role's argument validation)")


def registered_outcome(host, registered, mode, failure=None, fallback=None, ran_in_mode=None):
    """One cluster's outcome from what its tasks registered, without a per-host task to record it.

    ``registered`` is update_runs__found (report) or update_runs__applied
    (reconcile); ``failure`` the outcome the role's rescue recorded. A
    registration with results wins over a recorded failure (the failure is
    then the one the results carry; the role clears both before it works on
    a cluster, so neither is from an earlier run).
    Without either the cluster failed, and when ``ran_in_mode`` names the other
    mode, the summary asked for the wrong one. The cluster is named from the
    module's invocation, else from ``fallback`` (host variables), else the
    host name.
    """
    if not _summarisable(registered, mode):
        if failure:
            return failure
        error = NOT_RECORDED if not ran_in_mode else (
            'no %s outcome was recorded: the role ran in %s mode on this host; summarise it with update_runs_mode: %s'
            % (mode, ran_in_mode, ran_in_mode))
        return cluster_outcome(_cluster_of(host, [], [], fallback), [], error=error)
    if mode == 'reconcile':
        # A loop with a failed item still wrote its other items: the cluster failed, and its changes count.
        results = [item for item in registered['results'] if isinstance(item, dict)]
        runs = runs_of_results(results)
        cluster = _cluster_of(host, [item.get('invocation') for item in results], runs, fallback)
        changed = registered.get('changed') or any(item.get('changed') for item in results)
        return cluster_outcome(cluster, runs, changed=changed, no_runs_state='NoDesiredRuns', error=registered if registered.get('failed') else None)
    # A wait that ran out of time read the runs all along: the cluster is as they are (still InProgress), not failed.
    runs = runs_of_results(registered.get('update_runs'))
    return cluster_outcome(_cluster_of(host, [registered.get('invocation')], runs, fallback, registered.get('cluster_id')), runs)


def _summarisable(registered, mode):
    """Whether what a host registered says where its cluster stands (a failed loop and a timed-out wait do)."""
    if not isinstance(registered, dict):
        return False
    if mode == 'reconcile':
        # A loop over no items is 'skipped' with empty results: a cluster with nothing desired, not a missing outcome.
        return isinstance(registered.get('results'), list)
    if registered.get('failed'):
        return (registered.get('error') or {}).get('code') == 'WaitTimeout' and isinstance(registered.get('update_runs'), list)
    return not registered.get('skipped')


def runs_of_results(results):
    """Runs from the info module's update_runs, or from a loop of the update-run module's results (named by their items)."""
    runs = []
    for entry in results or []:
        if not isinstance(entry, dict) or not entry.get('update_run'):
            continue
        item = entry.get('item') if isinstance(entry.get('item'), dict) else {}
        runs.append(dict(update_name=entry.get('update_name') or item.get('update_name'), name=entry.get('name') or item.get('name'),
                         update_run=entry['update_run'], summary=entry['summary']))
    return runs


def _cluster_of(host, invocations, runs, fallback, cluster_id=None):
    """Which cluster a host stood for, each part from the first source that has it.

    The module's arguments (a loop's items keep their invocation; Ansible drops it from a registered result),
    then the id ARM gave a returned run, then the cluster id the info module returns, then the host variables in
    ``fallback`` (update_runs_* as set in the inventory, then the inventory plugin's azure_hci_*; role and play
    variables are not among them), then the host name.
    """
    fallback = fallback or {}
    args = next((invocation.get('module_args') for invocation in invocations
                 if isinstance(invocation, dict) and isinstance(invocation.get('module_args'), dict)), {})
    ids = [(run.get('update_run') or {}).get('id') for run in runs] + [cluster_id]
    scope = next((scope for scope in (cluster_scope(resource_id) for resource_id in ids) if scope), None) \
        or ClusterScope(None, None, None, None)

    def part(name):
        candidates = (args.get(name), getattr(scope, name), fallback.get('update_runs_' + name), fallback.get('azure_hci_' + name))
        return next((value for value in candidates if value), None)

    return dict(host=host, cluster_name=part('cluster_name') or host, resource_group=part('resource_group'), subscription_id=part('subscription_id'))


def _latest(runs):
    def started(item):
        properties = (item.get('update_run') or {}).get('properties') or {}
        try:
            return datetime_key(properties.get('timeStarted')) or 0
        except InvalidValue:
            return 0
    return max(runs, key=started) if runs else None


def fleet_summary(outcomes, hostnames=None):
    """Counts, changed clusters and failed clusters with their failed steps.

    ``outcomes`` may hold None for a host that recorded nothing (it failed before
    the role could record an outcome); ``hostnames`` names those hosts.
    """
    hostnames = list(hostnames or [])
    clusters = []
    for index, outcome in enumerate(outcomes):
        if not outcome:
            name = hostnames[index] if index < len(hostnames) else 'host %d' % index
            outcome = dict(cluster_name=name, host=name, changed=False, state=TASK_FAILED, runs=0, failed_steps=[],
                           error=NOT_RECORDED, current_step=None)
        clusters.append(outcome)
    by_state = {}
    for outcome in clusters:
        by_state[outcome['state']] = by_state.get(outcome['state'], 0) + 1
    failed = [outcome for outcome in clusters if outcome['state'] in ('Failed', TASK_FAILED)]
    total = len(clusters)
    return dict(
        clusters=total,
        changed=sorted(outcome['cluster_name'] for outcome in clusters if outcome.get('changed')),
        changed_count=sum(1 for outcome in clusters if outcome.get('changed')),
        by_state=dict(sorted(by_state.items())),
        failed_count=len(failed),
        failed_percent=round(100.0 * len(failed) / total, 1) if total else 0.0,
        failed_clusters=[_failure(outcome) for outcome in sorted(failed, key=lambda item: item['cluster_name'])],
        outcomes=sorted(clusters, key=lambda item: (item.get('subscription_id') or '', item.get('resource_group') or '', item['cluster_name'])),
    )


def _failure(outcome):
    return dict(
        cluster_name=outcome['cluster_name'],
        resource_group=outcome.get('resource_group'),
        subscription_id=outcome.get('subscription_id'),
        reason='the update run failed' if outcome['state'] == 'Failed' else 'the task failed',
        error=outcome.get('error'),
        update_name=outcome.get('update_name'),
        run_name=outcome.get('run_name'),
        failed_steps=outcome.get('failed_steps') or [],
    )


def fleet_summary_markdown(summary, title='Update runs: fleet summary', clusters_table=True):
    """The summary as Markdown tables people read (the per-cluster table is optional: long for big fleets)."""
    lines = ['# %s' % title, '']
    clusters = '1 cluster' if summary['clusters'] == 1 else '%d clusters' % summary['clusters']
    lines.append('%s, %d changed, %d failed (%.1f%%).' % (clusters, summary['changed_count'], summary['failed_count'], summary['failed_percent']))
    lines += ['', '| State | Clusters |', '|---|---:|']
    lines += ['| %s | %d |' % (_cell(state), count) for state, count in summary['by_state'].items()]
    if summary['failed_clusters']:
        lines += ['', '## Failed clusters', '', '| Cluster | Resource group | Update run | Failed step | Error |', '|---|---|---|---|---|']
        for failure in summary['failed_clusters']:
            run = '%s/%s' % (failure['update_name'], failure['run_name']) if failure['update_name'] else ''
            # A run recorded as Failed need not name a failed step: say so rather than leave the row blank.
            steps = failure['failed_steps'] or [dict(path=[], error_message=failure['error'] or 'the run is Failed; none of its steps reports an error')]
            for step in steps:
                lines.append('| %s | %s | %s | %s | %s |' % (_cell(failure['cluster_name']), _cell(failure['resource_group']), _cell(run),
                                                             _cell(' / '.join(step['path'])), _cell(step.get('error_message'))))
    if not clusters_table:
        return '\n'.join(lines) + '\n'
    lines += ['', '## Clusters', '', '| Cluster | Resource group | State | Changed | Current step |', '|---|---|---|---|---|']
    for outcome in summary['outcomes']:
        lines.append('| %s | %s | %s | %s | %s |' % (_cell(outcome['cluster_name']), _cell(outcome.get('resource_group')), _cell(outcome['state']),
                                                     'yes' if outcome.get('changed') else 'no', _cell(' / '.join(outcome.get('current_step') or []))))
    return '\n'.join(lines) + '\n'


def failure_message(failed):
    """A readable message from a failed task result (a loop's failed items included), or the text given."""
    if not isinstance(failed, dict):
        return str(failed) if failed else None
    messages = [item.get('msg') for item in failed.get('results') or [] if isinstance(item, dict) and item.get('failed') and item.get('msg')]
    return '; '.join(messages) if messages else failed.get('msg') or 'the task failed'


def _cell(value):
    text = '' if value is None else str(value)
    return text.replace('|', '\\|').replace('\r', ' ').replace('\n', ' ')
