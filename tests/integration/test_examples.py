# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every plugin's EXAMPLES run as written against the emulator's default fleet."""

from __future__ import annotations

import ast
import glob
import os

import pytest
import yaml

from .conftest import REPO, play

ROLE_OR_PLAY_KEYS = ('hosts', 'import_playbook')


def module_examples():
    for path in sorted(glob.glob(os.path.join(REPO, 'plugins', 'modules', '*.py'))):
        tree = ast.parse(open(path, encoding='utf-8').read())
        for node in tree.body:
            if isinstance(node, ast.Assign) and getattr(node.targets[0], 'id', None) == 'EXAMPLES':
                yield os.path.basename(path)[:-3], node.value.value


def filter_examples():
    for path in sorted(glob.glob(os.path.join(REPO, 'plugins', 'filter', '*.yml'))):
        yield os.path.basename(path)[:-4], yaml.safe_load(open(path, encoding='utf-8'))['EXAMPLES']


EXAMPLES = list(module_examples()) + list(filter_examples())


def fleet_inventory(emulator, tmp_path):
    hosts = {cluster['name']: dict(azure_hci_subscription_id=cluster['subscription_id'], azure_hci_resource_group=cluster['resource_group'],
                                   azure_hci_cluster_name=cluster['name']) for cluster in emulator.clusters()}
    inventory = {'all': {'vars': {'ansible_connection': 'local'}, 'children': {'hci_clusters': {'hosts': hosts}}}}
    path = tmp_path / 'fleet.yml'
    path.write_text(yaml.safe_dump(inventory), encoding='utf-8')
    return str(path)


def test_every_plugin_has_examples():
    names = [name for name, _text in EXAMPLES]
    assert {'azure_hci_updaterun', 'azure_hci_updaterun_info', 'azure_hci_token', 'cluster_outcome', 'fleet_summary',
            'fleet_summary_markdown'} <= set(names)


@pytest.mark.parametrize('name, text', EXAMPLES, ids=[name for name, _text in EXAMPLES])
def test_the_examples_run_as_written(ansible, tmp_path, name, text):
    content = yaml.safe_load(text)
    assert content, '%s has empty EXAMPLES' % name
    if any(key in content[0] for key in ROLE_OR_PLAY_KEYS):
        outcome = ansible.run(text, inventory=fleet_inventory(ansible.emulator, tmp_path))
    else:
        outcome = ansible.run(play(content, name='EXAMPLES of %s' % name))
    assert outcome.returncode == 0, outcome
    assert all(entry['status'] != 'failed' for entry in outcome.results), outcome
    # An example that shows something must show something: an empty message would teach nothing (or mislead).
    for task in debug_task_names(content):
        assert outcome.result(task).get('msg') not in (None, '', [], {}), (name, task, outcome.result(task))


def debug_task_names(tasks):
    for entry in tasks:
        if 'ansible.builtin.debug' in entry:
            yield entry['name']
        for section in ('block', 'rescue', 'always', 'tasks'):
            yield from debug_task_names(entry.get(section) or [])
