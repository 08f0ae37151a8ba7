# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory fragment documents exactly AUTH_OPTIONS, and Ansible's configuration reads them as modules do."""

from __future__ import annotations

import pytest
import yaml

from ansible.module_utils.basic import env_fallback
from ansible_collections.hcifleet.azure_hci.plugins.doc_fragments.azure_inventory import ModuleDocFragment
from ansible_collections.hcifleet.azure_hci.plugins.inventory import clusters
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._auth_options import AUTH_OPTIONS

from .conftest import PLUGIN, plugin_definitions

FRAGMENT = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']


def test_the_fragment_documents_exactly_the_shared_options():
    assert sorted(FRAGMENT) == sorted(AUTH_OPTIONS)


@pytest.mark.parametrize('name', sorted(AUTH_OPTIONS))
def test_type_default_and_choices_equal_auth_options(name):
    documented, shared = FRAGMENT[name], AUTH_OPTIONS[name]
    assert documented['type'] == shared['type']
    assert documented.get('default') == shared.get('default')
    assert documented.get('choices') == shared.get('choices')


@pytest.mark.parametrize('name', sorted(AUTH_OPTIONS))
def test_env_lists_are_auth_options_reversed(name):
    # Ansible's configuration takes the last variable set, env_fallback the first: reversed, both prefer the same one.
    assert [entry['name'] for entry in FRAGMENT[name].get('env', [])] == list(reversed(AUTH_OPTIONS[name]['env']))


def test_the_plugin_takes_the_shared_options_only_from_the_fragment():
    documentation = yaml.safe_load(clusters.DOCUMENTATION)
    assert 'hcifleet.azure_hci.azure_inventory' in documentation['extends_documentation_fragment']
    assert not set(documentation['options']) & set(AUTH_OPTIONS)


def test_ansible_loads_the_same_types_defaults_and_env_for_the_plugin():
    definitions = plugin_definitions()
    for name, shared in AUTH_OPTIONS.items():
        assert definitions[name]['type'] == shared['type'], name
        assert definitions[name].get('default') == shared.get('default'), name
        assert [entry['name'] for entry in definitions[name].get('env', [])] == list(reversed(shared['env'])), name


def environment_value(option, variable):
    """A distinct value per variable, valid for the option's type."""
    if option == 'auth_source':
        return 'env'
    if AUTH_OPTIONS[option]['type'] == 'bool':
        return 'true'
    if AUTH_OPTIONS[option]['type'] == 'path':
        return '/from/%s' % variable
    return '%s-from-%s' % (option, variable)


def test_every_environment_variable_wins_or_loses_as_for_modules(new_plugin, clean_env):
    for name, shared in AUTH_OPTIONS.items():
        for variable in shared['env']:
            clean_env.setenv(variable, environment_value(name, variable))
    plugin = new_plugin()
    plugin.set_options(direct={'plugin': PLUGIN})
    for name, shared in AUTH_OPTIONS.items():
        if shared['env']:
            expected = env_fallback(*shared['env'])  # what a module gets: the first variable that is set
            assert plugin.get_option(name) == (expected == 'true' if shared['type'] == 'bool' else expected), name
    assert plugin.get_option('secret') == 'secret-from-AZURE_SECRET'
    assert plugin.get_option('tenant') == 'tenant-from-AZURE_TENANT'


def test_options_in_the_file_beat_the_environment(new_plugin, clean_env):
    clean_env.setenv('AZURE_SECRET', 'from-env')
    clean_env.setenv('AZURE_CLOUD_ENVIRONMENT', 'AzureChinaCloud')
    plugin = new_plugin()
    plugin.set_options(direct={'plugin': PLUGIN, 'secret': 'from-file', 'cloud_environment': 'AzureUSGovernment'})
    assert plugin.get_option('secret') == 'from-file'
    assert plugin.get_option('cloud_environment') == 'AzureUSGovernment'


def test_unset_options_keep_auth_options_defaults(new_plugin, clean_env):
    plugin = new_plugin()
    plugin.set_options(direct={'plugin': PLUGIN})
    for name, shared in AUTH_OPTIONS.items():
        assert plugin.get_option(name) == shared.get('default'), name
