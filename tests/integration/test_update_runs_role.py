# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The update_runs role across a fleet of emulated clusters, through ansible-playbook."""

from __future__ import annotations

import json
import pathlib

import yaml

from hci_arm_emulator import FleetConfig

from .conftest import arm_writes, update_run_path

ROLE_PLAY = '''
- name: Update runs across the fleet
  hosts: all
  gather_facts: false
  roles:
    - role: hcifleet.azure_hci.update_runs
'''


def static_inventory(emulator, tmp_path, extra_hosts=None, group_vars=None):
    """The emulator's clusters as a static inventory with the host variables the inventory plugin sets."""
    hosts = {}
    for cluster in emulator.clusters():
        hosts[cluster['name']] = dict(azure_hci_subscription_id=cluster['subscription_id'], azure_hci_resource_group=cluster['resource_group'],
                                      azure_hci_cluster_name=cluster['name'], azure_hci_location=cluster['location'])
    hosts.update(extra_hosts or {})
    inventory = {'all': {'hosts': hosts, 'vars': dict({'ansible_connection': 'local'}, **(group_vars or {}))}}
    path = tmp_path / 'inventory.yml'
    path.write_text(yaml.safe_dump(inventory), encoding='utf-8')
    return str(path)


def expected_states(emulator):
    """The state of each cluster's most recently started run, straight from the emulator's store."""
    states = {}
    for cluster in emulator.clusters():
        runs = [resource for resource in emulator.store.all_resources()
                if resource['type'].endswith('updateRuns') and '/clusters/%s/' % cluster['name'] in resource['id']]
        latest = max(runs, key=lambda run: run['properties'].get('timeStarted', '')) if runs else None
        states[cluster['name']] = latest['properties']['state'] if latest else 'NoRuns'
    return states


def summary_of(tmp_path, check=False):
    name = 'update_runs_summary.check.json' if check else 'update_runs_summary.json'
    return json.loads((tmp_path / 'update_runs_report' / name).read_text(encoding='utf-8'))


def test_report_mode_summarises_the_fleet_and_writes_nothing_to_arm(ansible, tmp_path):
    emulator = ansible.emulator
    inventory = static_inventory(emulator, tmp_path)
    outcome = ansible.run(ROLE_PLAY, inventory=inventory, env={'ANSIBLE_SHOW_CUSTOM_STATS': '1'})
    assert outcome.returncode == 0, outcome
    summary = summary_of(tmp_path)
    states = expected_states(emulator)
    assert summary['clusters'] == len(states)
    assert {outcome['cluster_name']: outcome['state'] for outcome in summary['outcomes']} == states
    failed = sorted(name for name, state in states.items() if state == 'Failed')
    assert [failure['cluster_name'] for failure in summary['failed_clusters']] == failed
    assert all(failure['failed_steps'] and failure['failed_steps'][0]['error_message'] for failure in summary['failed_clusters'])
    markdown = (tmp_path / 'update_runs_report' / 'update_runs_summary.md').read_text(encoding='utf-8')
    assert '## Failed clusters' in markdown and failed[0] in markdown
    assert 'CUSTOM STATS' in outcome.stdout and 'update_runs_summary' in outcome.stdout
    assert arm_writes(emulator) == []
    token_requests = [entry for entry in emulator.requests(kind='identity') if entry['path'].endswith('/token')]
    assert len(token_requests) == 1


def desired_vars(update, run_name):
    return {
        'update_runs_mode': 'reconcile',
        'update_runs_desired': [{'update_name': update, 'name': run_name, 'run_state': 'Succeeded', 'duration': 'PT2H'}],
    }


def test_reconcile_changes_drift_once_then_nothing_and_check_mode_writes_nothing(ansible, tmp_path):
    emulator = ansible.emulator
    emulator.reset(FleetConfig(clusters=4, resource_groups=2, subscriptions=1, seed=7, updates_per_cluster=2))
    clusters = emulator.clusters()
    update = next(resource['name'] for resource in emulator.store.all_resources()
                  if resource['type'].endswith('/updates') and '/clusters/%s/' % clusters[0]['name'] in resource['id'] + '/')
    # every cluster of this fleet has the update? only give the desired run to clusters that do
    with_update = [cluster for cluster in clusters if emulator.get_resource(update_run_path(cluster, update, 'x').rsplit('/updateRuns/', 1)[0])]
    hosts = {cluster['name']: desired_vars(update, 'fleet-run') for cluster in with_update}
    inventory = static_inventory(emulator, tmp_path, group_vars={'update_runs_mode': 'reconcile'})
    host_vars = tmp_path / 'host_vars'
    host_vars.mkdir()
    for name, values in hosts.items():
        (host_vars / ('%s.yml' % name)).write_text(yaml.safe_dump(values), encoding='utf-8')

    checked = ansible.run(ROLE_PLAY, '--check', '--diff', inventory=inventory)
    assert checked.returncode == 0, checked
    assert arm_writes(emulator) == []
    predicted = summary_of(tmp_path, check=True)
    assert predicted['changed_count'] == len(with_update)
    assert not (tmp_path / 'update_runs_report' / 'update_runs_summary.json').exists()  # a dry run leaves the real report alone
    assert '+    "run_state": "Succeeded"' in checked.stdout
    # What the console shows of a dry run says that it is a prediction (an AWX Check job shows only the console).
    assert '# Update runs (reconcile, check mode: predicted): fleet summary' in checked.stdout
    assert 'Check mode, predicted: 0 of %d clusters failed' % len(clusters) in checked.stdout

    first = ansible.run(ROLE_PLAY, inventory=inventory)
    assert first.returncode == 0, first
    assert '# Update runs (reconcile): fleet summary' in first.stdout and 'predicted' not in first.stdout
    assert sorted(summary_of(tmp_path)['changed']) == sorted(predicted['changed'])
    without = {cluster['name'] for cluster in clusters} - {cluster['name'] for cluster in with_update}
    assert {item['cluster_name'] for item in summary_of(tmp_path)['outcomes'] if item['state'] == 'NoDesiredRuns'} == without
    for cluster in with_update:
        assert emulator.get_resource(update_run_path(cluster, update, 'fleet-run'))['properties']['duration'] == 'PT2H'

    mark = emulator.last_request_seq()
    second = ansible.run(ROLE_PLAY, inventory=inventory)
    assert second.returncode == 0, second
    assert summary_of(tmp_path)['changed_count'] == 0
    assert arm_writes(emulator, since=mark) == []


def test_a_failing_cluster_does_not_stop_the_others_and_the_gate_fails_the_play(ansible, tmp_path):
    emulator = ansible.emulator
    ghost = {'hci-ghost-999': dict(azure_hci_subscription_id=emulator.subscription_id, azure_hci_resource_group='rg-hcifleet-wus2-01',
                                   azure_hci_cluster_name='hci-ghost-999')}
    inventory = static_inventory(emulator, tmp_path, extra_hosts=ghost, group_vars={'update_runs_max_failed_percent': 10})
    outcome = ansible.run(ROLE_PLAY, inventory=inventory)
    assert outcome.returncode != 0
    summary = summary_of(tmp_path)
    assert summary['clusters'] == len(emulator.clusters()) + 1
    ghost_failure = next(failure for failure in summary['failed_clusters'] if failure['cluster_name'] == 'hci-ghost-999')
    assert ghost_failure['reason'] == 'the task failed'
    assert "cluster 'hci-ghost-999' not found" in ghost_failure['error']
    others = [item for item in summary['outcomes'] if item['cluster_name'] != 'hci-ghost-999']
    assert all(item['state'] != 'TaskFailed' for item in others)
    assert 'more than update_runs_max_failed_percent (10' in outcome.stdout


def test_a_fleet_of_fifty_pays_one_token_and_ignores_throttled_clusters(ansible, tmp_path):
    emulator = ansible.emulator
    emulator.reset(FleetConfig(clusters=50, resource_groups=5, subscriptions=2, seed=11))
    victim = emulator.clusters()[7]
    emulator.inject('throttle', count=100, method='GET', path='/clusters/%s/' % victim['name'], retry_after=0)
    inventory = static_inventory(emulator, tmp_path, group_vars={'update_runs_throttle': 8})
    outcome = ansible.run(ROLE_PLAY, '--forks', '10', inventory=inventory, env={'ANSIBLE_FORKS': '10'})
    assert outcome.returncode == 0, outcome
    summary = summary_of(tmp_path)
    assert summary['clusters'] == 50
    throttled = next(item for item in summary['failed_clusters'] if item['cluster_name'] == victim['name'])
    assert 'HTTP 429' in throttled['error']
    token_requests = [entry for entry in emulator.requests(kind='identity') if entry['path'].endswith('/token')]
    assert len(token_requests) == 1
    states = expected_states(emulator)
    states[victim['name']] = 'TaskFailed'
    assert {item['cluster_name']: item['state'] for item in summary['outcomes']} == states


def documented_rings_playbook():
    """The rings playbook exactly as docs/fleet.md shows it (the role's README carries the same one)."""
    root = pathlib.Path(__file__).resolve().parents[2]
    blocks = []
    for document in ('docs/fleet.md', 'roles/update_runs/README.md'):
        text = (root / document).read_text(encoding='utf-8')
        section = text[text.index('## Rings'):]
        blocks.append(section[section.index('```yaml\n') + 8:section.index('```\n', section.index('```yaml\n') + 8)])
    assert blocks[0] == blocks[1], 'the rings playbook differs between docs/fleet.md and the role README'
    return blocks[0]


def ring_inventory(emulator, tmp_path, extra_ring_0=None):
    """The emulator's clusters grouped by their ring tag, each desiring one run of its first update."""
    inventory_path = static_inventory(emulator, tmp_path, extra_hosts=extra_ring_0)
    inventory = yaml.safe_load(open(inventory_path, encoding='utf-8'))
    rings = {}
    for cluster in emulator.clusters():
        rings.setdefault('ring_%s' % cluster['tags']['ring'], {'hosts': {}})['hosts'][cluster['name']] = None
        update = first_update(emulator, cluster)
        inventory['all']['hosts'][cluster['name']]['update_runs_desired'] = [{'update_name': update, 'name': 'ring-run', 'duration': 'PT1H'}]
    for name in extra_ring_0 or {}:
        rings['ring_0']['hosts'][name] = None
    inventory['all']['children'] = rings
    with open(inventory_path, 'w', encoding='utf-8') as handle:
        yaml.safe_dump(inventory, handle)
    return inventory_path, {ring: sorted(group['hosts']) for ring, group in rings.items()}


def role_task(outcome, name):
    """The results of the role's task ``name`` (Ansible prefixes a role's task names with the role's)."""
    return [entry for entry in outcome.results if entry['task'].split(' : ', 1)[-1] == name]


def first_update(emulator, cluster):
    return next(resource['name'] for resource in emulator.store.all_resources()
                if resource['type'].endswith('/updates') and '/clusters/%s/' % cluster['name'] in resource['id'] + '/')


def test_the_documented_rings_playbook_gates_each_ring_and_summarises_every_ring_at_the_end(ansible, tmp_path):
    emulator = ansible.emulator
    inventory, rings = ring_inventory(emulator, tmp_path)
    assert len(rings) == 3, rings
    playbook = tmp_path / 'rings.yml'
    playbook.write_text(documented_rings_playbook(), encoding='utf-8')
    outcome = ansible.run(str(playbook), inventory=inventory)
    assert outcome.returncode == 0, outcome
    gates = [entry['result']['msg'] for entry in role_task(outcome, 'Stop when too many clusters failed')]
    # One gate per ring, each judging only its own ring's clusters, then the summary of every ring.
    assert gates == ['0 of %d clusters failed, within update_runs_max_failed_percent (10%%)' % len(rings[ring]) for ring in sorted(rings)] + [
        '0 of %d clusters failed, within update_runs_max_failed_percent (100%%)' % len(emulator.clusters())], gates
    summary = summary_of(tmp_path)
    assert summary['clusters'] == len(emulator.clusters()) and summary['failed_count'] == 0
    assert sorted(summary['changed']) == sorted(cluster['name'] for cluster in emulator.clusters())
    token_requests = [entry for entry in emulator.requests(kind='identity') if entry['path'].endswith('/token')]
    assert len(token_requests) == len(rings)  # one token per batch, not per cluster


def test_a_ring_with_too_many_failed_clusters_stops_the_rollout_before_the_next_ring(ansible, tmp_path):
    emulator = ansible.emulator
    ghost = {'hci-ghost-999': dict(azure_hci_subscription_id=emulator.subscription_id, azure_hci_resource_group='rg-hcifleet-wus2-01',
                                   azure_hci_cluster_name='hci-ghost-999',
                                   update_runs_desired=[{'update_name': 'Solution10.2408.1.9', 'name': 'ring-run', 'duration': 'PT1H'}])}
    inventory, rings = ring_inventory(emulator, tmp_path, extra_ring_0=ghost)
    playbook = tmp_path / 'rings.yml'
    playbook.write_text(documented_rings_playbook(), encoding='utf-8')
    outcome = ansible.run(str(playbook), inventory=inventory)
    assert outcome.returncode != 0, outcome
    assert '1 of %d clusters failed' % len(rings['ring_0']) in outcome.stdout and 'hci-ghost-999' in outcome.stdout
    later = set(rings['ring_1'] + rings['ring_2'])
    touched = {entry['path'].split('/clusters/')[1].split('/')[0] for entry in emulator.requests(kind='arm') if '/clusters/' in entry['path']}
    assert touched and not touched & later, touched & later


def test_an_outright_failure_counts_in_its_own_rings_gate_and_the_final_summary_only(ansible, tmp_path):
    emulator = ansible.emulator
    inventory, rings = ring_inventory(emulator, tmp_path)
    assert len(rings['ring_1']) >= 2, rings  # one failure stays within 60% of the ring
    broken = rings['ring_1'][0]
    # An item without a name fails the role's argument validation: an outright failure the role cannot rescue.
    host_vars = tmp_path / 'host_vars'
    host_vars.mkdir()
    (host_vars / ('%s.yml' % broken)).write_text(yaml.safe_dump({'update_runs_desired': [{'update_name': 'u'}]}), encoding='utf-8')
    playbook = tmp_path / 'rings.yml'
    playbook.write_text(documented_rings_playbook().replace('update_runs_max_failed_percent: 10', 'update_runs_max_failed_percent: 60'),
                        encoding='utf-8')
    outcome = ansible.run(str(playbook), inventory=inventory)
    assert outcome.returncode == 2, outcome  # a host failed (ansible-playbook says so), and the rollout went on
    gates = [entry['result']['msg'] for entry in role_task(outcome, 'Stop when too many clusters failed')]
    assert gates == [
        '0 of %d clusters failed, within update_runs_max_failed_percent (60%%)' % len(rings['ring_0']),
        '1 of %d clusters failed, within update_runs_max_failed_percent (60%%)' % len(rings['ring_1']),
        '0 of %d clusters failed, within update_runs_max_failed_percent (60%%)' % len(rings['ring_2']),  # not counted again
        '1 of %d clusters failed, within update_runs_max_failed_percent (100%%)' % len(emulator.clusters())], gates
    final = summary_of(tmp_path)
    assert [item['cluster_name'] for item in final['failed_clusters']] == [broken]
    assert final['failed_clusters'][0]['error'].startswith('no outcome was recorded')


def test_a_refused_shared_token_fails_every_cluster_in_the_summary_and_then_the_play(ansible, tmp_path):
    emulator = ansible.emulator
    inventory = static_inventory(emulator, tmp_path)
    outcome = ansible.run(ROLE_PLAY, inventory=inventory, env={'AZURE_SECRET': 'not-the-secret-value'})
    # The summary is written; then the gate fails the play although its default (100%) allows every failure: a run
    # where nothing could be read must not pass for a quiet one.
    assert outcome.returncode != 0, outcome
    gate = role_task(outcome, 'Stop when too many clusters failed')
    assert [entry['status'] for entry in gate] == ['failed']
    assert gate[0]['result']['msg'].startswith('every one of the %d clusters failed outright (TaskFailed): nothing was read or written, '
                                               'whatever update_runs_max_failed_percent allows. First error: ' % len(emulator.clusters()))
    assert 'AADSTS7000215' in gate[0]['result']['msg']
    summary = summary_of(tmp_path)
    assert summary['failed_count'] == summary['clusters'] == len(emulator.clusters())
    assert all('AADSTS7000215' in failure['error'] for failure in summary['failed_clusters'])
    assert emulator.requests(kind='arm') == []
    token_requests = [entry for entry in emulator.requests(kind='identity') if entry['path'].endswith('/token')]
    assert len(token_requests) == 1  # refused once; no cluster signs in again with the same wrong secret


def test_a_ring_whose_every_cluster_failed_does_not_stop_a_rollout_its_percentage_allows(ansible, tmp_path):
    emulator = ansible.emulator
    inventory, rings = ring_inventory(emulator, tmp_path)
    data = yaml.safe_load(open(inventory, encoding='utf-8'))
    for name in rings['ring_0']:
        data['all']['hosts'][name]['azure_hci_resource_group'] = 'rg-hcifleet-gone'  # cluster not found: TaskFailed
    with open(inventory, 'w', encoding='utf-8') as handle:
        yaml.safe_dump(data, handle)
    playbook = tmp_path / 'rings.yml'
    playbook.write_text(documented_rings_playbook().replace('update_runs_max_failed_percent: 10', 'update_runs_max_failed_percent: 100'),
                        encoding='utf-8')
    outcome = ansible.run(str(playbook), inventory=inventory)
    assert outcome.returncode == 0, outcome
    gates = [entry['result']['msg'] for entry in role_task(outcome, 'Stop when too many clusters failed')]
    assert gates[0] == '%d of %d clusters failed, within update_runs_max_failed_percent (100%%)' % (len(rings['ring_0']), len(rings['ring_0']))
    assert len(gates) == 4  # every ring, then the summary of the whole fleet, which did not fail outright everywhere
    final = summary_of(tmp_path)
    assert sorted(item['cluster_name'] for item in final['failed_clusters'] if item['reason'] == 'the task failed') == rings['ring_0']


def test_a_later_run_of_the_role_that_fails_early_is_not_summarised_from_an_earlier_runs_results(ansible, tmp_path):
    emulator = ansible.emulator
    inventory = static_inventory(emulator, tmp_path, group_vars={'update_runs_max_failed_percent': 100})
    wrong_secret = {'group/hcifleet.azure_hci.azure': {'secret': 'not-the-secret-value'}}
    playbook = ROLE_PLAY + '''
- name: The same fleet again, with a credential Entra ID refuses
  hosts: all
  gather_facts: false
  module_defaults: %s
  roles:
    - role: hcifleet.azure_hci.update_runs
''' % json.dumps(wrong_secret)
    outcome = ansible.run(playbook, inventory=inventory)
    assert outcome.returncode != 0, outcome  # the second play's gate: every cluster failed outright
    gates = [entry['result']['msg'] for entry in role_task(outcome, 'Stop when too many clusters failed')]
    failed_runs = list(expected_states(emulator).values()).count('Failed')
    assert gates[0].startswith('%d of %d clusters failed, within' % (failed_runs, len(emulator.clusters())))
    assert gates[1].startswith('every one of the %d clusters failed outright' % len(emulator.clusters()))
    summary = summary_of(tmp_path)  # the second play's
    assert {item['state'] for item in summary['outcomes']} == {'TaskFailed'}
    assert all('AADSTS7000215' in item['error'] for item in summary['outcomes'])


def test_a_shared_token_lost_to_a_passing_fault_leaves_each_cluster_to_authenticate_itself(ansible, tmp_path):
    emulator = ansible.emulator
    # Enough 503s for the shared token's attempts (azure-identity retries), then the token endpoint recovers.
    emulator.inject('error', count=4, method='POST', path='/oauth2/v2.0/token', status=503)
    inventory = static_inventory(emulator, tmp_path)
    outcome = ansible.run(ROLE_PLAY, inventory=inventory)
    assert outcome.returncode == 0, outcome
    assert [entry['status'] for entry in role_task(outcome, 'Get one ARM access token for the whole fleet run')] == ['failed']
    summary = summary_of(tmp_path)
    assert summary['clusters'] == len(emulator.clusters())
    assert {item['cluster_name']: item['state'] for item in summary['outcomes']} == expected_states(emulator)
    issued = [entry for entry in emulator.requests(kind='identity') if entry['path'].endswith('/token') and entry['status'] == 200]
    assert len(issued) == len(emulator.clusters())


def test_a_report_wait_that_runs_out_of_time_shows_running_clusters_as_in_progress_not_failed(ansible, tmp_path):
    emulator = ansible.emulator
    states = expected_states(emulator)
    assert 'InProgress' in states.values() and 'Failed' in states.values()
    inventory = static_inventory(emulator, tmp_path, group_vars={'update_runs_wait': True, 'update_runs_wait_timeout': 2,
                                                                 'update_runs_wait_interval': 1, 'update_runs_max_failed_percent': 99})
    outcome = ansible.run(ROLE_PLAY, inventory=inventory)
    assert outcome.returncode == 0, outcome
    timed_out = [entry for entry in role_task(outcome, "Read the cluster's update runs") if entry['status'] == 'failed']
    assert timed_out and all(entry['result']['error']['code'] == 'WaitTimeout' for entry in timed_out)
    summary = summary_of(tmp_path)
    assert {item['cluster_name']: item['state'] for item in summary['outcomes']} == states
    assert summary['failed_count'] == sum(1 for state in states.values() if state == 'Failed')


def test_report_of_one_update_with_a_token_per_task(ansible, tmp_path):
    emulator = ansible.emulator
    clusters = emulator.clusters()
    update = first_update(emulator, clusters[0])
    inventory = static_inventory(emulator, tmp_path, group_vars={'update_runs_update_name': update, 'update_runs_share_token': False})
    outcome = ansible.run(ROLE_PLAY, inventory=inventory)
    assert outcome.returncode == 0, outcome
    assert [entry['status'] for entry in role_task(outcome, 'Get one ARM access token for the whole fleet run')] == ['skipped']
    listed = [entry['path'] for entry in emulator.requests(kind='arm') if entry['path'].lower().endswith('/updateruns')]
    assert listed and all('/updates/%s/' % update.lower() in path.lower() for path in listed)
    token_requests = [entry for entry in emulator.requests(kind='identity') if entry['path'].endswith('/token')]
    assert len(token_requests) == len(clusters)  # each cluster's task authenticated for itself
    having = {cluster['name'] for cluster in clusters if emulator.get_resource(update_run_path(cluster, update, 'x').rsplit('/updateRuns/', 1)[0])}
    outcomes = {item['cluster_name']: item for item in summary_of(tmp_path)['outcomes']}
    # Only runs of that update are summarised (a cluster may have none of them yet).
    assert all(outcomes[name]['update_name'] in (update, None) and not outcomes[name]['error'] for name in having), (having, outcomes)
    assert any(outcomes[name]['update_name'] == update for name in having), outcomes
    # A cluster without that update is named as such, not summarised from its other updates.
    assert all("update '%s' not found" % update in outcomes[name]['error'] for name in set(outcomes) - having), outcomes


def test_the_subscription_comes_from_the_environment_only_for_hosts_without_one(ansible, tmp_path):
    """update_runs_subscription_id: the host's azure_hci_subscription_id when set and not empty, else AZURE_SUBSCRIPTION_ID."""
    emulator = ansible.emulator
    clusters = emulator.clusters()
    subscriptions = sorted({cluster['subscription_id'] for cluster in clusters})
    assert len(subscriptions) >= 2, 'the default fleet spans two subscriptions'
    states = expected_states(emulator)
    with_runs = [cluster for cluster in clusters if states[cluster['name']] != 'NoRuns']  # the summary names these from ARM's ids
    from_env = [cluster for cluster in with_runs if cluster['subscription_id'] == subscriptions[1]][:2]
    own = next(cluster for cluster in with_runs if cluster['subscription_id'] == subscriptions[0])
    # Static inventory in the role's own variables, not the inventory plugin's: the summary must still name them.
    hosts = {cluster['name']: dict(update_runs_resource_group=cluster['resource_group'], update_runs_cluster_name=cluster['name'])
             for cluster in from_env}
    hosts[from_env[1]['name']]['azure_hci_subscription_id'] = ''  # empty counts as missing
    hosts[own['name']] = dict(azure_hci_subscription_id=own['subscription_id'], azure_hci_resource_group=own['resource_group'],
                              azure_hci_cluster_name=own['name'])
    path = tmp_path / 'inventory.yml'
    path.write_text(yaml.safe_dump({'all': {'hosts': hosts, 'vars': {'ansible_connection': 'local'}}}), encoding='utf-8')

    outcome = ansible.run(ROLE_PLAY, inventory=str(path), env={'AZURE_SUBSCRIPTION_ID': subscriptions[1]})
    assert outcome.returncode == 0, outcome
    summary = summary_of(tmp_path)
    assert {item['cluster_name']: (item['subscription_id'], item['resource_group']) for item in summary['outcomes']} == {
        from_env[0]['name']: (subscriptions[1], from_env[0]['resource_group']), from_env[1]['name']: (subscriptions[1], from_env[1]['resource_group']),
        own['name']: (subscriptions[0], own['resource_group'])}
    assert {item['cluster_name']: item['state'] for item in summary['outcomes']} == {name: states[name] for name in hosts}


def test_a_cluster_addressed_by_role_variables_is_named_in_the_summary_even_without_runs(ansible, tmp_path):
    emulator = ansible.emulator
    fresh = next(cluster for cluster in emulator.clusters() if cluster['scenario'] == 'fresh')
    group = [cluster for cluster in emulator.clusters()
             if (cluster['subscription_id'], cluster['resource_group']) == (fresh['subscription_id'], fresh['resource_group'])]
    path = tmp_path / 'inventory.yml'  # host names only: the address is in the play
    path.write_text(yaml.safe_dump({'all': {'hosts': {cluster['name']: None for cluster in group}, 'vars': {'ansible_connection': 'local'}}}),
                    encoding='utf-8')
    playbook = ROLE_PLAY + '''      vars:
        update_runs_resource_group: %s
''' % fresh['resource_group']
    outcome = ansible.run(playbook, inventory=str(path), env={'AZURE_SUBSCRIPTION_ID': fresh['subscription_id']})
    assert outcome.returncode == 0, outcome
    outcomes = {item['cluster_name']: item for item in summary_of(tmp_path)['outcomes']}
    assert outcomes[fresh['name']]['state'] == 'NoRuns'
    assert {name: (item['resource_group'], item['subscription_id']) for name, item in outcomes.items()} == {
        cluster['name']: (fresh['resource_group'], fresh['subscription_id']) for cluster in group}


def test_a_misspelled_key_of_a_desired_run_fails_that_cluster_before_any_request(ansible, tmp_path):
    emulator = ansible.emulator
    clusters = emulator.clusters()
    typo, other = clusters[0], clusters[1]
    update = next(resource['name'] for resource in emulator.store.all_resources()
                  if resource['type'].endswith('/updates') and '/clusters/%s/' % typo['name'] in resource['id'] + '/')
    inventory = static_inventory(emulator, tmp_path, group_vars={'update_runs_mode': 'reconcile'})
    host_vars = tmp_path / 'host_vars'
    host_vars.mkdir()
    (host_vars / ('%s.yml' % typo['name'])).write_text(yaml.safe_dump({'update_runs_desired': [
        {'update_name': update, 'name': 'typo-run', 'run_stat': 'Failed', 'progres': {'name': 'x'}}]}), encoding='utf-8')
    mark = emulator.last_request_seq()
    outcome = ansible.run(ROLE_PLAY, inventory=inventory)
    assert outcome.returncode != 0, outcome
    refused = [entry for entry in outcome.results if entry['status'] == 'failed']
    assert [(entry['host'], entry['action']) for entry in refused] == [(typo['name'], 'ansible.builtin.validate_argument_spec')], outcome
    assert 'update_runs_desired.progres, update_runs_desired.run_stat' in ' '.join(refused[0]['result']['argument_errors'])
    assert 'update_runs_desired.run_stat' in outcome.stdout, outcome
    assert emulator.get_resource(update_run_path(typo, update, 'typo-run')) is None
    assert arm_writes(emulator, since=mark) == []
    summary = summary_of(tmp_path)
    states = {item['cluster_name']: item['state'] for item in summary['outcomes']}
    assert states[typo['name']] == 'TaskFailed' and states[other['name']] != 'TaskFailed', states
    typo_outcome = next(item for item in summary['outcomes'] if item['cluster_name'] == typo['name'])
    assert typo_outcome['resource_group'] == typo['resource_group']  # named from its host variables
    assert typo_outcome['error'].startswith("no outcome was recorded: the host failed before the role's tasks could record one")
