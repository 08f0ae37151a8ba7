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
