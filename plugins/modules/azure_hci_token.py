#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: azure_hci_token
short_description: Get one ARM access token to share across the tasks of a fleet run
version_added: 0.1.0
description:
  - Acquires an Azure Resource Manager access token with the credential the options describe, so that the
    collection's other modules can take it through their O(hcifleet.azure_hci.azure_hci_updaterun#module:access_token)
    option instead of each task requesting its own token from Microsoft Entra ID.
  - Run it once per play (C(run_once)) and pass the result with C(module_defaults); the
    M(hcifleet.azure_hci.azure_hci_updaterun) and M(hcifleet.azure_hci.azure_hci_updaterun_info) modules use it until
    it expires and then get a fresh token with their own credential options, so long runs survive expiry.
  - The result is always hidden from output (as with C(no_log)), because it carries a bearer token. The token lives
    only in the registered variable, in memory; nothing is written to disk.
author:
  - hcifleet maintainers (@hcifleet)
extends_documentation_fragment:
  - hcifleet.azure_hci.azure
  - hcifleet.azure_hci.azure.subscription
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details:
      - Acquiring a token changes nothing, so it also runs in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: none
  action_group:
    description: Use C(group/hcifleet.azure_hci.azure) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - hcifleet.azure_hci.azure
options: {}
notes:
  - O(subscription_id) is not used (a token is not tied to a subscription); it is accepted so that C(module_defaults)
    for C(group/hcifleet.azure_hci.azure) can set it for every module of the group.
  - O(access_token) is ignored, so that C(module_defaults) may set it for the whole group too; this module always gets
    a new token with the credential the other options describe.
  - With the C(local) connection the module runs inside Ansible's own Python, as the collection's other modules do,
    whatever C(ansible_python_interpreter) says; the collection's C(docs/updaterun-module.md) (Where a task runs) lists
    when it runs as a module process instead.
  - The token grants what the credential grants until it expires (typically 60 to 90 minutes). Do not print,
    store or pass it anywhere else than to this collection's modules.
seealso:
  - module: hcifleet.azure_hci.azure_hci_updaterun
  - module: hcifleet.azure_hci.azure_hci_updaterun_info
'''

EXAMPLES = r'''
# A play over the hosts of the hcifleet.azure_hci.clusters inventory plugin (one per cluster).
- name: Reconcile a fleet with one token
  hosts: all
  gather_facts: false
  tasks:
    - name: Get one ARM token for every cluster
      hcifleet.azure_hci.azure_hci_token:
      run_once: true
      register: arm

    - name: Read the update runs of each cluster with that token
      hcifleet.azure_hci.azure_hci_updaterun_info:
        access_token: "{{ arm.access_token }}"
        subscription_id: "{{ azure_hci_subscription_id }}"
        resource_group: "{{ azure_hci_resource_group }}"
        cluster_name: "{{ azure_hci_cluster_name }}"
'''

RETURN = r'''
access_token:
  description: The bearer token for ARM. Hidden from output.
  returned: success
  type: str
  sample: eyJ0eXAiOiJKV1QiLCJhbGciOi...
expires_on:
  description:
    - When the token expires, in seconds since 1970-01-01 UTC; null when the token source does not say.
  returned: success
  type: int
  sample: 1767225600
resource_manager:
  description: The ARM endpoint of the cloud the token is for.
  returned: success
  type: str
  sample: https://management.azure.com/
error:
  description:
    - ARM's error details (or the cloud metadata endpoint's) when the task failed on an answer from it, for example
      a failure to read the cloud metadata URL.
    - The keys are those of RV(hcifleet.azure_hci.azure_hci_updaterun#module:error) (C(status), C(code), C(message),
      C(method), C(url), C(request_id), C(correlation_id)).
  returned: on ARM failure
  type: dict
  sample: {"status": 503, "code": "ServiceUnavailable", "message": "...", "method": "GET", "url": "https://arm.lab.example/metadata/endpoints",
           "request_id": null, "correlation_id": "0b0f5e4a-7d0c-4f6e-8f39-5c2b9d1f7a10"}
option:
  description: The option that was invalid, when the task failed on its input (before any request to Azure).
  returned: on invalid input
  type: str
  sample: cloud_environment
'''

import math

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._azure_module import MODULE_ERRORS, AzureModule

ARGUMENT_SPEC = {}


def run(azure):
    # A given access_token never reaches this point: the action plugin drops it (see there why).
    client = azure.client()
    token = client.tokens.token()
    expires_on = client.tokens.expires_on
    return dict(changed=False, access_token=token, expires_on=int(expires_on) if math.isfinite(expires_on) else None,
                resource_manager=client.base_url)


def main():
    azure = AzureModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    try:
        result = run(azure)
    except MODULE_ERRORS as exc:
        azure.fail(exc)
    else:
        azure.exit(**result)


if __name__ == '__main__':
    main()
