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
)


def _runs(results):
    """Accept the info module's update_runs, or the loop results of the update-run module."""
    runs = []
    for entry in results or []:
        if not isinstance(entry, dict):
            raise AnsibleFilterError('cluster_outcome expects a list of dictionaries, got %s' % type(entry).__name__)
        if not entry.get('update_run'):
            continue
        item = entry.get('item') if isinstance(entry.get('item'), dict) else {}
        runs.append(dict(update_name=entry.get('update_name') or item.get('update_name'), name=entry.get('name') or item.get('name'),
                         update_run=entry['update_run'], summary=entry['summary']))
    return runs


def cluster_outcome_filter(results, cluster, changed=False, error=None, no_runs_state='NoRuns'):
    if not isinstance(cluster, dict) or 'cluster_name' not in cluster:
        raise AnsibleFilterError('cluster_outcome needs the cluster as a dictionary with cluster_name')
    return cluster_outcome(cluster, _runs(results), changed=changed, error=error, no_runs_state=no_runs_state)


def fleet_summary_filter(outcomes, hostnames=None):
    return fleet_summary(list(outcomes or []), hostnames)


def fleet_summary_markdown_filter(summary, title='Update runs: fleet summary', clusters_table=True):
    return fleet_summary_markdown(summary, title, clusters_table)


class FilterModule:
    def filters(self):
        return {
            'cluster_outcome': cluster_outcome_filter,
            'fleet_summary': fleet_summary_filter,
            'fleet_summary_markdown': fleet_summary_markdown_filter,
        }
