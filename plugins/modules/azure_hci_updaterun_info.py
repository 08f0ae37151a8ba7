#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: azure_hci_updaterun_info
short_description: Read and watch Azure Stack HCI (Azure Local) update runs
version_added: 0.1.0
description:
  - Reads one update run, every run of an update, or every run of every update of a cluster, through the Azure
    Resource Manager REST API (api-version 2024-04-01), following C(nextLink) paging.
  - Each run comes with the same step summary that M(hcifleet.azure_hci.azure_hci_updaterun) returns.
  - With O(wait=true) it polls until every selected run is in a terminal state (V(Succeeded) or V(Failed)) or
    O(wait_timeout) passes. Real update runs take hours; the wait gets fresh tokens as they expire and rides out
    throttling and transient read failures.
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
      - The module only reads; it behaves the same in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check mode), when in diff mode.
    support: N/A
    details:
      - The module changes nothing.
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
      - Name of the update. Without it, the runs of every update of the cluster are returned.
    type: str
  name:
    description:
      - Name of one update run. Needs O(update_name). A run that does not exist gives an empty RV(update_runs); a
        cluster or update that does not exist fails the task.
    type: str
    aliases: [update_run_name]
  api_version:
    description:
      - ARM api-version for the requests.
    type: str
    default: '2024-04-01'
  wait:
    description:
      - Poll until every selected update run is V(Succeeded) or V(Failed).
      - Fails when O(wait_timeout) passes first, reporting each run's state and current step. The last poll is at
        O(wait_timeout), also when O(wait_interval) is longer.
      - It waits for the runs it selects; when it selects none (a named run that does not exist, an update without
        runs), there is nothing to wait for and it returns at once with an empty RV(update_runs).
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true); 0 to 604800 (a week).
    type: float
    default: 3600
  wait_interval:
    description:
      - Seconds between polls with O(wait=true); 1 to 86400.
    type: float
    default: 30
notes:
  - A failure to read while waiting (throttling that outlasts the retries, a 5xx, a dropped connection), the first
    read's included, does not end the wait; the next poll tries again until O(wait_timeout). So does a fresh token
    that Microsoft Entra ID could not issue for such a reason; a refused credential ends the wait at once.
seealso:
  - module: hcifleet.azure_hci.azure_hci_updaterun
  - module: hcifleet.azure_hci.azure_hci_token
  - name: Update Runs - List (Azure REST API reference)
    description: The ARM operation this module calls to list runs.
    link: https://learn.microsoft.com/rest/api/stackhci/update-runs/list
'''

EXAMPLES = r'''
# These examples run as written against the collection's ARM emulator and its default fleet;
# authentication comes from the AZURE_* environment variables an AWX Azure credential sets.

- name: Read every update run of a cluster
  hcifleet.azure_hci.azure_hci_updaterun_info:
    resource_group: rg-hcifleet-sea-03
    cluster_name: hci-sea-003
  register: runs

- name: Show the failed steps of each failed run
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.summary.failed_steps | map(attribute='error_message') | list }}"
  loop: "{{ runs.update_runs | selectattr('summary.state', 'equalto', 'Failed') }}"
  loop_control:
    label: "{{ item.update_name }}/{{ item.name }}"

- name: Read the runs of one update
  hcifleet.azure_hci.azure_hci_updaterun_info:
    resource_group: rg-hcifleet-sea-03
    cluster_name: hci-sea-003
    update_name: Solution10.2408.2.7

- name: Wait up to 4 hours for the runs of an update to finish
  hcifleet.azure_hci.azure_hci_updaterun_info:
    resource_group: rg-hcifleet-wus2-01
    cluster_name: hci-wus2-001
    update_name: Solution10.2411.0.24
    wait: true
    wait_timeout: 14400
    wait_interval: 60
'''

RETURN = r'''
update_runs:
  description:
    - The selected update runs, sorted by update name and run name.
    - When a wait runs out of time the task fails and still returns them, as last read, with RV(polls) and RV(waited).
  returned: success, and when O(wait) ran out of time
  type: list
  elements: dict
  contains:
    update_name:
      description: Name of the update the run belongs to.
      type: str
      sample: Solution10.2408.2.7
    name:
      description: Name of the update run.
      type: str
      sample: 2d5bc972-b527-46df-8e1e-25127023a974
    update_run:
      description:
        - The update run as ARM returns it (see RV(hcifleet.azure_hci.azure_hci_updaterun#module:update_run)).
      type: dict
      sample: {"id": "/subscriptions/.../updateRuns/r1", "name": "u1/r1", "properties": {"state": "Failed"}}
    summary:
      description:
        - The run's step status at a glance; the keys are those of
          RV(hcifleet.azure_hci.azure_hci_updaterun#module:summary)
          (C(state), C(total_steps), C(step_counts), C(failed_steps), C(in_progress_steps), C(current_step)).
      type: dict
      sample: {"state": "Failed", "total_steps": 12, "step_counts": {"Success": 11, "Error": 1}, "failed_steps": [],
               "in_progress_steps": [], "current_step": null}
cluster_id:
  description:
    - The ARM id of the cluster whose runs were read, as the task named it; it says which cluster a result is about
      also when it holds no runs (the fleet summary of the update_runs role reads it).
  returned: success, and when O(wait) ran out of time
  type: str
  sample: /subscriptions/b8d594e5-51f3-4c11-9c54-a7771b81c712/resourceGroups/rg-hcifleet-sea-03/providers/Microsoft.AzureStackHCI/clusters/hci-sea-003
waited:
  description: Seconds spent waiting for terminal states (0 without O(wait)).
  returned: success, and when O(wait) ran out of time
  type: float
  sample: 0
polls:
  description: How many times the runs were read, failed reads of a wait included (1 without O(wait)).
  returned: success, and when O(wait) ran out of time
  type: int
  sample: 1
error:
  description:
    - ARM's error details (or the cloud metadata endpoint's) when the task failed on an answer from it, for example
      C(WaitTimeout) when O(wait) runs out of time, C(ParentResourceNotFound) for a missing cluster or update.
    - The keys are those of RV(hcifleet.azure_hci.azure_hci_updaterun#module:error) (C(status), C(code), C(message),
      C(method), C(url), C(request_id), C(correlation_id)).
  returned: on ARM failure
  type: dict
  sample: {"status": null, "code": "WaitTimeout", "message": "gave up waiting after 3600 seconds ...", "method": null, "url": null,
           "request_id": null, "correlation_id": null}
option:
  description: The option that was invalid, when the task failed on its input (before any request to Azure).
  returned: on invalid input
  type: str
  sample: wait_timeout
'''

import time

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_client import ArmError, malformed_answer, seconds_text
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._azure_module import MODULE_ERRORS, AzureModule
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._connection import MAX_SECONDS, MAX_WAIT_SECONDS
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import AuthenticationFailed, InvalidOption
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._retry import RETRYABLE_STATUS
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._step_summary import summarize_steps
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._updaterun_api import (
    checked_update_run,
    explain_missing_parent,
    read_update_run,
    update_run_address,
)

ARGUMENT_SPEC = dict(
    resource_group=dict(type='str', required=True),
    cluster_name=dict(type='str', required=True),
    update_name=dict(type='str'),
    name=dict(type='str', aliases=['update_run_name']),
    api_version=dict(type='str', default='2024-04-01'),
    wait=dict(type='bool', default=False),
    wait_timeout=dict(type='float', default=3600.0),
    wait_interval=dict(type='float', default=30.0),
)
TERMINAL_STATES = ('succeeded', 'failed')


def read_runs(client, address):
    """The selected update runs as ARM returns them."""
    if address.name:
        run = read_update_run(client, address)
        return [run] if run is not None else []
    try:
        if address.update:
            runs = list(client.list(address.update_id + '/updateRuns', address.api_version))
        else:
            runs = []
            for update in client.list(address.cluster_id + '/updates', address.api_version):
                if not isinstance(update.get('id'), str):
                    raise malformed_answer('an update without an id', 'GET', client.url_for(address.cluster_id + '/updates'))
                runs.extend(client.list(update['id'] + '/updateRuns', address.api_version))
    except ArmError as exc:
        raise explain_missing_parent(client, address, exc)
    listed_under = client.url_for(address.update_id if address.update else address.cluster_id)
    return [checked_update_run(run, 'GET', listed_under) for run in runs]


def described(run):
    update_name, _sep, name = (run.get('name') or '').rpartition('/')
    if not update_name:
        update_name = (run.get('id') or '').split('/updates/')[-1].split('/')[0]
    return dict(update_name=update_name, name=name, update_run=run, summary=summarize_steps(run))


def is_terminal(item):
    return str(item['summary']['state'] or '').lower() in TERMINAL_STATES


def wait_for_terminal(read, timeout, interval, sleep=time.sleep, clock=time.time):
    """Call ``read`` (the described runs), then poll until every run is terminal.

    The last poll is at the deadline (a second at the least after the one before it). Transient read failures, the
    first read's too, do not end the wait.
    """
    started = clock()
    deadline = started + timeout
    items, polls, failure = None, 0, None
    while True:
        try:
            items, failure = read(), None
        except (ArmError, AuthenticationFailed) as exc:
            if not _transient(exc):
                raise
            failure = exc
        polls += 1
        if failure is None and all(is_terminal(item) for item in items):
            return items, polls, round(clock() - started, 1)
        remaining = deadline - clock()
        if remaining <= 0:
            if items is None:
                raise failure  # never read once: why not is the answer
            pending = '; '.join('%s/%s is %s at %s' % (item['update_name'], item['name'], item['summary']['state'], _current(item))
                                for item in items if not is_terminal(item))
            if failure is not None:
                pending = 'as last read: %s (the latest poll failed: %s)' % (pending, failure)
            # The failed task still reports the runs as last read, so that a caller sees where each one stands.
            raise ArmError('gave up waiting after %d seconds (wait_timeout=%s): %s' % (int(clock() - started), seconds_text(timeout), pending),
                           code='WaitTimeout', result=dict(update_runs=sorted_runs(items), polls=polls, waited=round(clock() - started, 1)))
        sleep(min(interval, max(remaining, 1.0)))


def _transient(error):
    if isinstance(error, AuthenticationFailed):
        return error.passing  # a fresh token failed for a passing reason; a refused credential ends the wait
    return error.status in RETRYABLE_STATUS or error.code in ('ConnectionError', 'Timeout', 'MalformedResponse')


def _current(item):
    step = item['summary']['current_step']
    return "step '%s'" % ' / '.join(step['path']) if step else 'no step in progress'


def run(azure):
    params = azure.params
    if params.get('name') and not params.get('update_name'):
        raise InvalidOption('name', 'selecting one update run needs update_name too')
    # At least a second between polls: a wait of hours must not read ARM back to back (and be throttled for it);
    # at most a day, which is also what time.sleep() takes on every platform.
    if not 0 <= params['wait_timeout'] <= MAX_WAIT_SECONDS:  # NaN too
        raise InvalidOption('wait_timeout', 'must be 0 to %d seconds (a week), got %s' % (MAX_WAIT_SECONDS, params['wait_timeout']))
    if not 1 <= params['wait_interval'] <= MAX_SECONDS:
        raise InvalidOption('wait_interval', 'must be 1 to %d seconds, got %s' % (MAX_SECONDS, params['wait_interval']))
    address = update_run_address(params, require_update=False, require_name=False)
    client = azure.client()
    if params['wait']:
        try:
            items, polls, waited = wait_for_terminal(lambda: [described(run) for run in read_runs(client, address)],
                                                     params['wait_timeout'], params['wait_interval'])
        except ArmError as exc:
            if exc.result is not None:
                exc.result['cluster_id'] = address.cluster_id
            raise
    else:
        items, polls, waited = [described(run) for run in read_runs(client, address)], 1, 0.0
    return dict(changed=False, cluster_id=address.cluster_id, update_runs=sorted_runs(items), polls=polls, waited=waited)


def sorted_runs(items):
    return sorted(items, key=lambda item: (item['update_name'].lower(), item['name'].lower()))


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
