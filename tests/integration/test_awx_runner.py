# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An AWX-like job: ansible-runner with only the AWX Azure credential's environment variables.

AWX starts ansible-runner as a process of its own (through receptor); so does this test, rather than calling
``ansible_runner.run()`` in the pytest process, where the emulator's threads run and where forking a pseudo-terminal
is unsafe (Python 3.12 warns of deadlocks).
"""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys

import yaml

SITE = '''
- name: HCI update runs (AWX job template)
  hosts: all
  gather_facts: false
  roles:
    - role: hcifleet.azure_hci.update_runs
'''


def test_an_awx_style_job_runs_the_role_with_only_the_credential_environment(arm_emulator, tmp_path):
    emulator = arm_emulator
    private = tmp_path / 'job'
    (private / 'project').mkdir(parents=True)
    (private / 'inventory').mkdir()
    (private / 'env').mkdir()
    (private / 'project' / 'site.yml').write_text(SITE, encoding='utf-8')
    # What AWX hands a job after an inventory sync: a static inventory with the plugin's host variables.
    hosts = {cluster['name']: dict(azure_hci_subscription_id=cluster['subscription_id'], azure_hci_resource_group=cluster['resource_group'],
                                   azure_hci_cluster_name=cluster['name'], ansible_connection='local',
                                   ansible_python_interpreter=sys.executable) for cluster in emulator.clusters()}
    (private / 'inventory' / 'hosts.json').write_text(json.dumps({'all': {'hosts': hosts}}), encoding='utf-8')
    credential_env = {key: value for key, value in emulator.env().items()
                      if key in ('AZURE_SUBSCRIPTION_ID', 'AZURE_CLIENT_ID', 'AZURE_SECRET', 'AZURE_TENANT', 'AZURE_CLOUD_ENVIRONMENT')}
    envvars = dict(credential_env, REQUESTS_CA_BUNDLE=emulator.ca_bundle,
                   ANSIBLE_COLLECTIONS_PATH=os.environ['ANSIBLE_COLLECTIONS_PATH'],
                   PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ['PATH'])
    (private / 'env' / 'envvars').write_text(yaml.safe_dump(envvars), encoding='utf-8')
    # A job template with Verbosity 3 (Debug): AWX passes it as the job's command line.
    (private / 'env' / 'cmdline').write_text('-vvv', encoding='utf-8')
    (private / 'env' / 'extravars').write_text(yaml.safe_dump({'update_runs_report_dir': str(tmp_path / 'report')}), encoding='utf-8')
    # Nothing of the test run's own Azure or inventory settings reaches the job: only what the credential injects.
    runner_env = {key: value for key, value in os.environ.items() if not key.startswith(('AZURE_', 'ANSIBLE_INVENTORY'))}
    runner = os.path.join(os.path.dirname(sys.executable), 'ansible-runner')
    process = subprocess.run([runner, 'run', str(private), '-p', 'site.yml', '--ident', 'job', '-q'], env=runner_env,
                             capture_output=True, text=True, timeout=600, check=False)
    artifacts = private / 'artifacts' / 'job'
    stdout = (artifacts / 'stdout').read_text(encoding='utf-8') if (artifacts / 'stdout').exists() else process.stdout
    assert process.returncode == 0, (process.stderr[-2000:], stdout[-4000:])
    assert (artifacts / 'rc').read_text(encoding='utf-8').strip() == '0'
    events = [json.loads(open(path, encoding='utf-8').read()) for path in sorted(glob.glob(str(artifacts / 'job_events' / '*.json')))]
    stats = next(event for event in events if event['event'] == 'playbook_on_stats')
    summary = stats['event_data']['artifact_data']['update_runs_summary']
    assert summary['clusters'] == len(emulator.clusters())
    assert summary['failed_clusters'] and summary['failed_clusters'][0]['failed_steps']
    everything = stdout + process.stdout + process.stderr + json.dumps(events)
    assert '<localhost>' in everything or 'ESTABLISH LOCAL CONNECTION' in everything  # the job really ran at -vvv
    for secret in [emulator.client_secret, 'eyJ', 'Bearer '] + emulator.issued_tokens():
        assert secret not in everything, 'a secret or token leaked into the job output: %s...' % secret[:6]
    assert len([entry for entry in emulator.requests(kind='identity') if entry['path'].endswith('/token')]) == 1
