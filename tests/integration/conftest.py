# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration tests: real ansible-playbook runs against the ARM emulator over HTTPS.

Each run gets the emulator's environment (the variables an AWX Azure credential
injects, plus REQUESTS_CA_BUNDLE pointing at the emulator's CA), so the
collection acquires real tokens with azure-identity and calls the emulator
exactly as it would call Azure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
API_VERSION = '2024-04-01'


class PlaybookRun:
    """What one ansible-playbook run produced: exit code, output and the recorded task results."""

    def __init__(self, returncode, stdout, stderr, results):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.results = results

    @property
    def output(self):
        return self.stdout + self.stderr

    def result(self, task):
        """The result of the (last) task named ``task``."""
        matches = [entry for entry in self.results if entry['task'] == task]
        assert matches, 'no task named %r ran; tasks: %s\n%s' % (task, [entry['task'] for entry in self.results], self.output)
        return matches[-1]['result']

    def __repr__(self):
        return 'PlaybookRun(rc=%s)\n%s' % (self.returncode, self.output[-6000:])


def play(tasks, name='test play', gather_facts=False, hosts='localhost', **options):
    """A one-play playbook (YAML text) around ``tasks``."""
    playbook = [dict(name=name, hosts=hosts, gather_facts=gather_facts, tasks=tasks, **options)]
    return yaml.safe_dump(playbook, sort_keys=False)


class PlaybookRunner:
    """Runs playbooks with the emulator's environment; the emulator records every request."""

    def __init__(self, emulator, tmp_path):
        self.emulator = emulator
        self.tmp_path = tmp_path
        self.count = 0

    def base_env(self, credentials=True):
        env = {key: value for key, value in os.environ.items() if not key.startswith(('AZURE_', 'ANSIBLE_', 'IDENTITY_', 'MSI_'))}
        env.update({
            'ANSIBLE_COLLECTIONS_PATH': os.environ.get('ANSIBLE_COLLECTIONS_PATH', ''),
            'ANSIBLE_CALLBACK_PLUGINS': os.path.join(HERE, 'callback_plugins'),
            'ANSIBLE_CALLBACKS_ENABLED': 'record_results',
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_RETRY_FILES_ENABLED': '0',
            'ANSIBLE_LOCALHOST_WARNING': '0',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': '0',
            'ANSIBLE_PYTHON_INTERPRETER': sys.executable,
            'ANSIBLE_LOCAL_TEMP': str(self.tmp_path / 'ansible-local'),
            'ANSIBLE_REMOTE_TEMP': str(self.tmp_path / 'ansible-remote'),
            'ANSIBLE_HOME': str(self.tmp_path / 'ansible-home'),
        })
        emulator_env = self.emulator.env()
        if credentials:
            env.update(emulator_env)
        else:
            env['REQUESTS_CA_BUNDLE'] = emulator_env['REQUESTS_CA_BUNDLE']
            env['SSL_CERT_FILE'] = emulator_env['SSL_CERT_FILE']
        return env

    def run(self, playbook, *args, env=None, credentials=True, inventory=None, timeout=600):
        """Run ``playbook`` (YAML text or a path); ``args`` go to ansible-playbook (-C, --diff, -e ...).

        Every run is at -vvv and is checked for two promises of the collection: nothing it printed or
        returned carries a secret or a token, and a --check run sent no write to ARM.
        """
        self.count += 1
        mark = self.emulator.last_request_seq()
        if os.path.exists(str(playbook)):
            path = str(playbook)
        else:
            path = str(self.tmp_path / ('playbook-%d.yml' % self.count))
            with open(path, 'w', encoding='utf-8') as handle:
                handle.write(textwrap.dedent(playbook))
        results_file = self.tmp_path / ('results-%d.jsonl' % self.count)
        full_env = self.base_env(credentials)
        full_env['HCIFLEET_RESULTS_FILE'] = str(results_file)
        full_env.update(env or {})
        command = [os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), path]
        command += ['-i', 'localhost,', '-c', 'local'] if inventory is None else ['-i', inventory]
        command += list(args) + ['-vvv']
        completed = subprocess.run(command, env=full_env, capture_output=True, text=True, timeout=timeout, cwd=str(self.tmp_path), check=False)
        results_text = results_file.read_text(encoding='utf-8') if results_file.exists() else ''
        results = [json.loads(line) for line in results_text.splitlines() if line.strip()]
        outcome = PlaybookRun(completed.returncode, completed.stdout, completed.stderr, results)
        assert_no_secrets(self.emulator, outcome.output + results_text, extra=[full_env.get('AZURE_SECRET')])
        if '--check' in args or '-C' in args:
            writes = arm_writes(self.emulator, since=mark)
            assert writes == [], 'check mode sent writes to ARM: %s' % writes
        return outcome


def assert_no_secrets(emulator, text, extra=()):
    """Neither the client secret, nor any token the emulator issued, nor an Authorization header appears in ``text``."""
    secrets = [emulator.client_secret] + [value for value in extra if value] + emulator.issued_tokens()
    leaked = [secret[:6] + '...' for secret in secrets if secret in text]
    assert not leaked, 'secrets or tokens leaked into the output: %s' % leaked
    assert 'Bearer ey' not in text and 'Authorization: Bearer' not in text


@pytest.fixture
def ansible(arm_emulator, tmp_path):
    """A PlaybookRunner bound to a freshly reset emulator."""
    return PlaybookRunner(arm_emulator, tmp_path)


def arm_writes(emulator, since=0):
    """ARM requests that write (PUT, PATCH, POST, DELETE) since a log position."""
    return [entry for entry in emulator.requests(kind='arm', since=since) if entry['method'] in ('PUT', 'PATCH', 'POST', 'DELETE')]


def update_run_path(cluster, update, run):
    return '/subscriptions/%s/resourceGroups/%s/providers/Microsoft.AzureStackHCI/clusters/%s/updates/%s/updateRuns/%s' % (
        cluster['subscription_id'], cluster['resource_group'], cluster['name'], update, run)
