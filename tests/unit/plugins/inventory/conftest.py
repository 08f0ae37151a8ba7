# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The inventory plugin as Ansible loads it, with HTTP faked at the session boundary and a fake credential."""

from __future__ import annotations

import json
import os
from collections import namedtuple

import pytest
import yaml
from requests.structures import CaseInsensitiveDict

from ansible_collections.hcifleet.azure_hci.plugins.inventory import clusters
from ansible_collections.hcifleet.azure_hci.plugins.module_utils import _connection

PLUGIN = 'hcifleet.azure_hci.clusters'
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures')


def spec_clusters():
    """The clusters of the spec's Clusters_ListBySubscription example."""
    with open(os.path.join(FIXTURES, 'ListClustersBySubscription.json'), encoding='utf-8') as handle:
        return json.load(handle)['responses']['200']['body']['value']


def cluster(subscription, group, name, location='westus2', tags=None, **properties):
    """A cluster resource as ARM lists it."""
    return {
        'id': '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.AzureStackHCI/clusters/%s' % (subscription, group, name),
        'name': name, 'type': 'Microsoft.AzureStackHCI/clusters', 'location': location, 'tags': tags or {},
        'properties': dict({'provisioningState': 'Succeeded', 'status': 'ConnectedRecently',
                            'reportedProperties': {'clusterVersion': '10.0.25398'}}, **properties),
    }


class Reply:
    def __init__(self, status=200, body=None):
        self.status_code = status
        self.headers = CaseInsensitiveDict({'x-ms-request-id': 'rid-%d' % status})
        self.content = json.dumps(body).encode() if body is not None else b''
        self.reason = 'reason'


class FakeArm:
    """Answers GETs by URL path from ``pages`` ({path: [reply, ...]} consumed in order); records what was sent."""

    verify = True

    def __init__(self):
        self.pages = {}
        self.sent = []
        self.headers = {}
        self.closed = False

    def close(self):
        self.closed = True

    def answer(self, path, *replies):
        self.pages.setdefault(path, []).extend(replies)

    def request(self, method, url, data=None, headers=None, timeout=None, **options):  # options: verify
        self.sent.append((method, url, headers))
        path = url.split('://', 1)[1].split('/', 1)[1].split('?', 1)[0]
        replies = self.pages.get('/' + path)
        if not replies:
            return Reply(404, {'error': {'code': 'ResourceGroupNotFound', 'message': 'Resource group could not be found.'}})
        return replies.pop(0)


Token = namedtuple('Token', ['token', 'expires_on'])


class FakeCredential:
    issued = 0

    def get_token(self, scope):
        FakeCredential.issued += 1
        return Token('fake-token-%d' % FakeCredential.issued, 4_102_444_800)


@pytest.fixture
def arm(monkeypatch):
    """The fake ARM every client of this test talks to; tokens come from a fake credential."""
    fake = FakeArm()
    FakeCredential.issued = 0
    monkeypatch.setattr(_connection, 'new_session', lambda ca_path=None: fake)
    monkeypatch.setattr(_connection, 'credential_from_plan', lambda *args, **kwargs: FakeCredential())
    return fake


class _Fragments:
    """Ansible's doc fragment loader, for the fragments the plugin names (the real one needs the collection finder)."""

    def get(self, name):
        from ansible.plugins.doc_fragments import constructed, inventory_cache

        from ansible_collections.hcifleet.azure_hci.plugins.doc_fragments import azure_inventory
        known = {'ansible.builtin.constructed': constructed, 'ansible.builtin.inventory_cache': inventory_cache,
                 'hcifleet.azure_hci.azure_inventory': azure_inventory}
        if name not in known:
            return None
        return type('ModuleDocFragment', (known[name].ModuleDocFragment,), {'ansible_name': name})


def plugin_definitions():
    """The plugin's option definitions with its fragments merged in, as the plugin loader computes them."""
    from ansible.utils.plugin_docs import add_fragments
    documentation = yaml.safe_load(clusters.DOCUMENTATION)
    add_fragments(documentation, clusters.__file__, fragment_loader=_Fragments(), is_module=False)
    return documentation['options']


@pytest.fixture
def new_plugin():
    """Makes InventoryModule instances configured as the plugin loader leaves them (definitions registered with Ansible's config)."""
    from ansible import constants as C
    if not C.config.has_configuration_definition('inventory', PLUGIN):
        C.config.initialize_plugin_configuration_definitions('inventory', PLUGIN, plugin_definitions())

    def make():
        plugin = clusters.InventoryModule()
        plugin._load_name = plugin.ansible_name = PLUGIN
        plugin._redirected_names = []
        return plugin
    return make


@pytest.fixture
def clean_env(monkeypatch):
    """No AZURE_* or ANSIBLE_* variables from the developer's shell."""
    for name in list(os.environ):
        if name.startswith(('AZURE_', 'ANSIBLE_AZURE_')):
            monkeypatch.delenv(name)
    return monkeypatch
