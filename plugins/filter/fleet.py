# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that turn per-cluster results into the update_runs role's fleet summary."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._fleet_summary import (
    cluster_outcome,
    fleet_summary,
    fleet_summary_markdown,
    registered_outcome,
    runs_of_results,
)

# The registered variables and the recorded failure the update_runs role leaves on each host.
_REGISTERED = {'report': 'update_runs__found', 'reconcile': 'update_runs__applied'}


def cluster_outcome_filter(results, cluster, changed=False, error=None, no_runs_state='NoRuns'):
    if not isinstance(cluster, dict) or 'cluster_name' not in cluster:
        raise AnsibleFilterError('cluster_outcome needs the cluster as a dictionary with cluster_name')
    if any(not isinstance(entry, dict) for entry in results or []):
        raise AnsibleFilterError('cluster_outcome expects a list of dictionaries')
    return cluster_outcome(cluster, runs_of_results(results), changed=changed, error=error, no_runs_state=no_runs_state)


def fleet_outcomes_filter(hosts, hostvars, mode='report', failed_hosts=None):
    """Every host's outcome from what the update_runs role registered on it (one pass on the controller).

    ``failed_hosts`` failed outright in this play (the role could not rescue them): what they registered is
    from an earlier play, if anything, and does not count.
    """
    if mode not in _REGISTERED:
        raise AnsibleFilterError("fleet_outcomes: mode must be 'report' or 'reconcile', got %r" % (mode,))
    failed_hosts = set(failed_hosts or [])
    other_mode = 'reconcile' if mode == 'report' else 'report'
    outcomes = []
    for host in hosts or []:
        values = {} if host in failed_hosts else hostvars[host]
        fallback = {prefix + part: hostvars[host].get(prefix + part) for prefix in ('update_runs_', 'azure_hci_')
                    for part in ('cluster_name', 'resource_group', 'subscription_id')}
        registered = values.get(_REGISTERED[mode])
        # Nothing in this mode but something in the other: the summary was asked for the wrong mode.
        ran_in_mode = other_mode if registered is None and isinstance(values.get(_REGISTERED[other_mode]), dict) else None
        outcomes.append(registered_outcome(host, registered, mode, values.get('update_runs_outcome'), fallback, ran_in_mode))
    return outcomes


def fleet_summary_filter(outcomes, hostnames=None):
    return fleet_summary(list(outcomes or []), hostnames)


def fleet_summary_markdown_filter(summary, title='Update runs: fleet summary', clusters_table=True):
    return fleet_summary_markdown(summary, title, clusters_table)


class FilterModule:
    def filters(self):
        return {
            'cluster_outcome': cluster_outcome_filter,
            'fleet_outcomes': fleet_outcomes_filter,
            'fleet_summary': fleet_summary_filter,
            'fleet_summary_markdown': fleet_summary_markdown_filter,
        }
