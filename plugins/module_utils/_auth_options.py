# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The authentication and connection options every plugin of the collection shares.

One table, documented once in doc_fragments/azure.py: modules turn it into an
argument spec with environment fallbacks, the inventory plugin reads the same
environment variables through its configuration. The environment names are
the ones AWX's "Microsoft Azure Resource Manager" credential injects and the
ones azure-identity reads itself.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible.module_utils.basic import env_fallback

AUTH_SOURCES = ('auto', 'env', 'cli', 'msi', 'workload_identity')

# name -> argument spec entry plus 'env': the environment variables it falls back to, in order.
AUTH_OPTIONS = {
    'auth_source': dict(type='str', default='auto', choices=list(AUTH_SOURCES), env=['ANSIBLE_AZURE_AUTH_SOURCE']),
    'client_id': dict(type='str', env=['AZURE_CLIENT_ID']),
    'secret': dict(type='str', no_log=True, env=['AZURE_SECRET', 'AZURE_CLIENT_SECRET']),
    'tenant': dict(type='str', env=['AZURE_TENANT', 'AZURE_TENANT_ID']),
    'client_certificate_path': dict(type='path', env=['AZURE_CLIENT_CERTIFICATE_PATH']),
    'client_certificate_password': dict(type='str', no_log=True, env=['AZURE_CLIENT_CERTIFICATE_PASSWORD']),
    'federated_token_file': dict(type='path', env=['AZURE_FEDERATED_TOKEN_FILE']),
    'cloud_environment': dict(type='str', default='AzureCloud', env=['AZURE_CLOUD_ENVIRONMENT']),
    'authority_host': dict(type='str', env=['AZURE_AUTHORITY_HOST']),
    'disable_instance_discovery': dict(type='bool', env=['AZURE_DISABLE_INSTANCE_DISCOVERY']),
    'ca_path': dict(type='path', env=[]),
    'request_timeout': dict(type='float', default=30.0, env=[]),
    'max_retries': dict(type='int', default=5, env=[]),
    'max_retry_delay': dict(type='float', default=60.0, env=[]),
}

# Modules only: a token acquired once per play (hcifleet.azure_hci.azure_hci_token) instead of one per task.
TOKEN_OPTIONS = {
    'access_token': dict(type='str', no_log=True, env=[]),
}

SUBSCRIPTION_OPTIONS = {
    'subscription_id': dict(type='str', env=['AZURE_SUBSCRIPTION_ID']),
}


def argument_spec(table):
    """An AnsibleModule argument spec from an option table (environment variables as fallbacks)."""
    spec = {}
    for name, entry in table.items():
        option = copy.deepcopy(entry)
        env = option.pop('env')
        if env:
            option['fallback'] = (env_fallback, env)
        if option['type'] in ('str', 'path') and 'no_log' not in option and any(word in name for word in ('token', 'key', 'secret', 'pass')):
            option['no_log'] = False
        spec[name] = option
    return spec


def auth_argument_spec():
    """The options every module of the group accepts, so module_defaults can set them all at once."""
    spec = argument_spec(AUTH_OPTIONS)
    spec.update(argument_spec(TOKEN_OPTIONS))
    spec.update(argument_spec(SUBSCRIPTION_OPTIONS))
    return spec
