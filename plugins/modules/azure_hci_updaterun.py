#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: azure_hci_updaterun
short_description: Manage the record of an Azure Stack HCI (Azure Local) update run
version_added: 0.1.0
description:
  - Creates, updates or deletes an update run, the ARM resource
    C(Microsoft.AzureStackHCI/clusters/{cluster}/updates/{update}/updateRuns/{run}) (api-version 2024-04-01),
    through the Azure Resource Manager REST API.
  - An update run is the B(record) of an update's progress on a cluster (its state, its times and a tree of
    steps). Writing it does B(not) start, stop or resume an update; Azure starts an update with
    C(POST .../updates/{update}/apply), which this collection does not call yet. Use this module to keep
    update-run records as your automation or tooling needs them (for example to seed, correct or annotate
    them, or to reproduce a fleet's state in a lab), and M(hcifleet.azure_hci.azure_hci_updaterun_info)
    to read and watch real runs.
  - The module is idempotent. It reads the update run (one GET), compares it with the properties the task
    names, and only when they differ sends one PUT whose body is the current resource with the task's values
    merged in, so properties and steps the task does not name are kept.
  - Values compare by meaning. Date-times are equal when they denote the same instant to the 100 ns tick
    (V(2022-04-06T01:36:33.3876751+00:00) equals V(2022-04-06T01:36:33.3876751Z)); O(location) compares as ARM
    does (V(West US) equals V(westus)); O(run_state) and step O(progress.status) compare case-insensitively.
    Fields the server fills (C(id), C(name), C(type), C(systemData), C(provisioningState)) never cause a change.
  - Steps are identified by their name. A O(progress.steps) list is the complete list of steps at its level, in
    that order; each listed step is compared field by field with the existing step of the same name, recursively.
author:
  - hcifleet maintainers (@hcifleet)
extends_documentation_fragment:
  - hcifleet.azure_hci.azure
  - hcifleet.azure_hci.azure.subscription
  - hcifleet.azure_hci.azure.direct_execution
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying the target.
    support: full
    details:
      - Check mode runs the same comparison and reports the same C(changed) as a real run; the PUT or DELETE is
        replaced by its prediction, and nothing is written.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: full
    details:
      - The diff shows the user-settable properties before and after, named as this module's options.
  action_group:
    description: Use C(group/hcifleet.azure_hci.azure) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - hcifleet.azure_hci.azure
options:
  resource_group:
    description:
      - Resource group of the cluster.
    type: str
    required: true
  cluster_name:
    description:
      - Name of the Azure Stack HCI cluster resource.
    type: str
    required: true
  update_name:
    description:
      - Name of the update, for example V(Solution10.2408.0.29).
    type: str
    required: true
  name:
    description:
      - Name of the update run.
    type: str
    required: true
    aliases: [update_run_name]
  state:
    description:
      - V(present) creates or updates the update run; V(absent) deletes it (a long-running operation followed
        to its end, bounded by O(operation_timeout)).
    type: str
    choices: [present, absent]
    default: present
  location:
    description:
      - Region of the update run, in either form (V(West US) or V(westus)). ARM accepts it only when the run is
        created; a different location for an existing run fails before any write.
    type: str
  run_state:
    description:
      - State of the update run (the resource's C(properties.state); renamed because O(state) means present or
        absent).
    type: str
    choices: [Unknown, Succeeded, InProgress, Failed]
  time_started:
    description:
      - When the update run started (ISO 8601 date-time).
      - Quote it in YAML, as in V("2024-11-20T01:36:33.3876751Z"); unquoted, YAML reads a timestamp and keeps only 6
        of ARM's 7 fractional digits.
    type: str
  last_updated_time:
    description:
      - When the most recently completed step finished (ISO 8601 date-time).
      - Quote it in YAML, as in V("2024-11-20T01:36:33.3876751Z"); unquoted, YAML reads a timestamp and keeps only 6
        of ARM's 7 fractional digits.
    type: str
  duration:
    description:
      - Duration of the update run, as the service writes it (free text, compared exactly).
    type: str
  progress:
    description:
      - The root step of the run's progress tree. Only the keys given are compared and written.
    type: dict
    suboptions:
      name:
        description:
          - Name of the step.
        type: str
      description:
        description:
          - More detailed description of the step.
        type: str
      error_message:
        description:
          - Error message, set when the step failed.
        type: str
      status:
        description:
          - Status of the step. The service documents V(Success), V(Error), V(InProgress) and V(Unknown status);
            compared case-insensitively.
        type: str
      start_time_utc:
        description:
          - When the step started (ISO 8601 date-time), or empty if it has not started.
        type: str
      end_time_utc:
        description:
          - When the step reached a terminal state (ISO 8601 date-time).
        type: str
      last_updated_time_utc:
        description:
          - Completion time of this step or its last completed sub-step (ISO 8601 date-time).
        type: str
      expected_execution_time:
        description:
          - Expected execution time of the step, as the update's action plan states it.
        type: str
      steps:
        description:
          - The complete, ordered list of child steps. Each step is a dictionary with the same keys as O(progress)
            (V(name), V(description), V(error_message), V(status), V(start_time_utc), V(end_time_utc),
            V(last_updated_time_utc), V(expected_execution_time) and V(steps)), nested to any depth; every step
            needs a V(name), unique among its siblings. Every level is validated before any request.
          - Existing steps not in the list are removed; a step's fields that are not given are kept.
        type: list
        elements: dict
  api_version:
    description:
      - ARM api-version for the update run requests.
    type: str
    default: '2024-04-01'
  operation_timeout:
    description:
      - Seconds to wait for a deletion (a long-running operation) to finish; 0 to 604800 (a week).
      - The operation's status is polled as often as ARM asks with C(Retry-After) (every second when it does not say,
        a second apart at the least, and at most O(max_retry_delay) apart when that is longer than a second), and read
        once more when the time is up before the task reports C(OperationTimeout).
    type: float
    default: 600
notes:
  - Requires the Python packages C(requests) and C(azure-identity) on the host that runs the task; no Azure SDK
    management package is needed.
  - Read-only fields are never sent. Because ARM's PUT replaces the whole resource, the module always sends the
    complete merged resource, never only the changed fields.
seealso:
  - module: hcifleet.azure_hci.azure_hci_updaterun_info
  - name: Update Runs - Put (Azure REST API reference)
    description: The ARM operation this module calls.
    link: https://learn.microsoft.com/rest/api/stackhci/update-runs/put
'''

EXAMPLES = r'''
# These examples run as written against the collection's ARM emulator and its default fleet
# (`python -m hci_arm_emulator serve` prints the environment to export; see tests/emulator/README.md).
# Authentication comes from the environment variables an AWX Azure credential sets:
# AZURE_SUBSCRIPTION_ID, AZURE_CLIENT_ID, AZURE_SECRET, AZURE_TENANT, AZURE_CLOUD_ENVIRONMENT.

- name: Record a finished update run with its step tree
  hcifleet.azure_hci.azure_hci_updaterun:
    resource_group: rg-hcifleet-wus2-01
    cluster_name: hci-wus2-004
    update_name: Solution10.2408.1.9
    name: run-2024-11-20
    location: westus2
    run_state: Succeeded
    time_started: "2024-11-20T01:36:33.3876751Z"
    progress:
      name: Unnamed step
      description: Update Azure Stack.
      status: Success
      steps:
        - name: PreUpdate Cloud
          description: Prepare for SSU update
          status: Success
          start_time_utc: "2024-11-20T01:36:33.3876751Z"
          end_time_utc: "2024-11-20T01:37:16.8728314Z"
        - name: Update Cloud
          status: Success
  register: recorded

- name: Mark the run failed at its second step; every other property and field is kept as it is
  hcifleet.azure_hci.azure_hci_updaterun:
    resource_group: rg-hcifleet-wus2-01
    cluster_name: hci-wus2-004
    update_name: Solution10.2408.1.9
    name: run-2024-11-20
    run_state: Failed
    progress:
      steps:  # the complete list at this level, in order; each step keeps the fields the task does not name
        - name: PreUpdate Cloud
        - name: Update Cloud
          status: Error
          error_message: Node 2 did not come back after its restart.
  register: marked

- name: Show the failed steps of the run (path, name, error message, description)
  ansible.builtin.debug:
    msg: "{{ marked.summary.failed_steps }}"

- name: Set authentication once for every module of the collection
  module_defaults:
    group/hcifleet.azure_hci.azure:
      cloud_environment: "{{ lookup('ansible.builtin.env', 'AZURE_CLOUD_ENVIRONMENT') }}"
      max_retries: 3
  block:
    - name: Remove the update run record
      hcifleet.azure_hci.azure_hci_updaterun:
        resource_group: rg-hcifleet-wus2-01
        cluster_name: hci-wus2-004
        update_name: Solution10.2408.1.9
        name: run-2024-11-20
        state: absent
'''

RETURN = r'''
changed:
  description: Whether the update run was (or, in check mode, would be) written or deleted.
  returned: always
  type: bool
  sample: true
differences:
  description:
    - The options whose desired value differs from the update run's current value, as dotted paths (steps by
      name). Empty when nothing drifts; C([]) also for O(state=absent).
  returned: always
  type: list
  elements: str
  sample: ["run_state", "progress.steps[PreUpdate Cloud].status"]
update_run:
  description:
    - The update run as ARM returns it after the operation, or the prediction in check mode.
    - An empty dictionary after O(state=absent).
  returned: always
  type: dict
  sample:
    id: /subscriptions/b8d594e5-51f3-4c11-9c54-a7771b81c712/resourceGroups/testrg/providers/Microsoft.AzureStackHCI/clusters/c1/updates/u1/updateRuns/r1
    name: u1/r1
    type: Microsoft.AzureStackHCI/updates/updateRuns
    location: West US
    properties:
      provisioningState: Succeeded
      state: Succeeded
      progress:
        name: Unnamed step
        description: Update Azure Stack.
        errorMessage: ""
        status: Success
        startTimeUtc: "2022-04-06T01:36:33.3876751+00:00"
        endTimeUtc: "2022-04-06T13:58:42.9690060+00:00"
        lastUpdatedTimeUtc: "2022-04-06T13:58:42.9690060+00:00"
        steps:
          - name: PreUpdate Cloud
            description: Prepare for SSU update
            errorMessage: ""
            status: Success
            startTimeUtc: "2022-04-06T01:36:33.3876751+00:00"
            endTimeUtc: "2022-04-06T01:37:16.8728314+00:00"
            lastUpdatedTimeUtc: "2022-04-06T01:37:16.8728314+00:00"
            steps: []
summary:
  description: The run's step status at a glance, computed from its step tree.
  returned: always
  type: dict
  contains:
    state:
      description: The run's C(properties.state), or null when unset or after O(state=absent).
      type: str
      returned: always
      sample: Failed
    total_steps:
      description: Number of leaf steps (steps without child steps) in the tree.
      type: int
      returned: always
      sample: 12
    step_counts:
      description: Leaf steps by status (V(Success), V(Error), V(InProgress), V(Unknown status), or other values as the service wrote them).
      type: dict
      returned: always
      sample: {"Success": 10, "Error": 1, "InProgress": 1}
    failed_steps:
      description:
        - The steps with status V(Error) that have no V(Error) step below them (where the failure happened,
          rather than the parents it bubbled up to).
      type: list
      elements: dict
      returned: always
      contains:
        path:
          description: Step names from the root step down to this step.
          type: list
          elements: str
          sample: ["Unnamed step", "Update Cloud", "Update Host OS"]
        name:
          description: Name of the step.
          type: str
          sample: Update Host OS
        error_message:
          description: The step's error message.
          type: str
          sample: "Node NODE02 failed to restart within 45 minutes."
        description:
          description: The step's description.
          type: str
          sample: Apply the OS update to every node
        start_time_utc:
          description: When the step started.
          type: str
          sample: "2024-11-20T02:10:00.0000000+00:00"
        end_time_utc:
          description: When the step ended.
          type: str
          sample: "2024-11-20T02:55:00.0000000+00:00"
    in_progress_steps:
      description: The steps with status V(InProgress) that have no V(InProgress) step below them.
      type: list
      elements: dict
      returned: always
      contains:
        path:
          description: Step names from the root step down to this step.
          type: list
          elements: str
          sample: ["Unnamed step", "Update Cloud"]
        name:
          description: Name of the step.
          type: str
          sample: Update Cloud
        description:
          description: The step's description.
          type: str
          sample: Apply the update to every node
        start_time_utc:
          description: When the step started.
          type: str
          sample: "2024-11-20T02:10:00.0000000+00:00"
    current_step:
      description: The deepest step in progress (same keys as an item of RV(summary.in_progress_steps)), or null.
      type: dict
      returned: always
      sample: {"path": ["Unnamed step", "Update Cloud"], "name": "Update Cloud", "description": "Apply the update", "start_time_utc": null}
error:
  description: ARM's error details (or the cloud metadata endpoint's) when the task failed on an answer from it.
  returned: on ARM failure
  type: dict
  contains:
    status:
      description: The HTTP status; null when no answer came (a dropped connection, a timeout) or a long-running operation ended Failed.
      type: int
      sample: 404
    code:
      description:
        - ARM's error code, or the collection's own for a failure without one (for example C(ConnectionError),
          C(Timeout), C(MalformedResponse)).
      type: str
      sample: ParentResourceNotFound
    message:
      description: ARM's error message, or what the collection saw (for example a long-running operation that ended Failed).
      type: str
      sample: cluster 'hci-missing' not found in resource group 'rg-hci-eastus' (subscription 00000000-0000-0000-0000-000000000000)
    method:
      description: The HTTP method of the request that failed.
      type: str
      sample: GET
    url:
      description: The URL of the request that failed, without its query string.
      type: str
      sample: https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.AzureStackHCI/clusters/c9
    request_id:
      description: ARM's C(x-ms-request-id) of the answer, for a support case.
      type: str
      sample: 6f1c2a3e-0b7d-4c55-9a51-2f1e8c0d9b44
    correlation_id:
      description: The C(x-ms-correlation-request-id) the task sent with each of its requests, to find them in ARM's logs.
      type: str
      sample: 0b0f5e4a-7d0c-4f6e-8f39-5c2b9d1f7a10
option:
  description: The option that was invalid, when the task failed on its input (before any request to Azure).
  returned: on invalid input
  type: str
  sample: progress.steps[0].status
'''

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_client import ArmError
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._azure_module import MODULE_ERRORS, AzureModule
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._connection import MAX_WAIT_SECONDS
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import InvalidOption
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._step_summary import summarize_steps
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._updaterun import (
    DESIRED_OPTION_NAMES,
    desired_update_run,
    merged_update_run,
    predicted_update_run,
    settable_view,
    update_run_differences,
)
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._updaterun_api import (
    explain_missing_parent,
    read_update_run,
    write_update_run,
    update_run_address,
)

ARGUMENT_SPEC = dict(
    resource_group=dict(type='str', required=True),
    cluster_name=dict(type='str', required=True),
    update_name=dict(type='str', required=True),
    name=dict(type='str', required=True, aliases=['update_run_name']),
    state=dict(type='str', default='present', choices=['present', 'absent']),
    location=dict(type='str'),
    run_state=dict(type='str', choices=['Unknown', 'Succeeded', 'InProgress', 'Failed']),
    time_started=dict(type='str'),
    last_updated_time=dict(type='str'),
    duration=dict(type='str'),
    # The step tree is validated by desired_update_run() at every depth, root included: ansible-core's own suboption
    # checks crash on a list of non-dictionaries and drop the option's name for a string, before the module can report it.
    progress=dict(type='dict'),
    api_version=dict(type='str', default='2024-04-01'),
    operation_timeout=dict(type='float', default=600.0),
)


def present(azure, address, desired):
    client = azure.client()
    current = read_update_run(client, address)
    differences = update_run_differences(desired, current)
    if current is not None and 'location' in differences:
        raise InvalidOption('location', "the update run exists in '%s'; ARM sets an update run's location only when it is created"
                            % current.get('location'))
    changed = current is None or bool(differences)
    if not changed:
        after = current
    elif azure.check_mode:
        after = predicted_update_run(current, merged_update_run(current, desired), address.id, address.update, address.name)
    else:
        try:
            after = write_update_run(client, address, merged_update_run(current, desired))
        except ArmError as exc:
            raise explain_missing_parent(client, address, exc)
    return current, after, changed, differences


def absent(azure, address):
    client = azure.client()
    current = read_update_run(client, address)
    if current is not None and not azure.check_mode:
        client.delete(address.id, address.api_version, azure.params['operation_timeout'])
    return current, {}, current is not None, []


def run(azure):
    params = azure.params
    address = update_run_address(params)
    desired = desired_update_run(params)
    if not 0 <= params['operation_timeout'] <= MAX_WAIT_SECONDS:  # NaN too
        raise InvalidOption('operation_timeout', 'must be 0 to %d seconds (a week), got %s' % (MAX_WAIT_SECONDS, params['operation_timeout']))
    if params['state'] == 'absent':
        named = [option for option in DESIRED_OPTION_NAMES if params.get(option) is not None]
        if named:
            raise InvalidOption(named[0], 'state=absent deletes the update run and takes no properties (got %s)' % ', '.join(named))
        before, after, changed, differences = absent(azure, address)
    else:
        before, after, changed, differences = present(azure, address, desired)
    result = dict(changed=changed, differences=differences, update_run=after, summary=summarize_steps(after))
    if azure.diff_mode:
        result['diff'] = dict(before=settable_view(before), after=settable_view(after))
    return result


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
