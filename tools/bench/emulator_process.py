# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The ARM emulator as a separate process, driven through its CLI and /_emulator/ control endpoints.

A process of its own (rather than a thread of the benchmark) so that its CPU and
memory are its own: its peak RSS is measured, and the benchmark's bookkeeping
never holds a GIL the emulator needs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import requests

API_VERSION = '2024-04-01'


class EmulatorProcess:
    """``python -m hci_arm_emulator serve`` in the background, with its info file read once it listens."""

    def __init__(self, python, emulator_path, state_dir, clusters, resource_groups=10, subscriptions=2, seed=42):
        self.python = python
        self.emulator_path = emulator_path
        self.state_dir = state_dir
        self.fleet = dict(clusters=clusters, resource_groups=resource_groups, subscriptions=subscriptions, seed=seed)
        self.info = {}
        self.process = None
        self.session = requests.Session()
        self.final_rusage = None

    # ------------------------------------------------------------ lifecycle

    def start(self, timeout=120.0):
        info_file = os.path.join(self.state_dir, 'emulator.json')
        command = [self.python, '-m', 'hci_arm_emulator', 'serve', '--quiet',
                   '--clusters', str(self.fleet['clusters']), '--resource-groups', str(self.fleet['resource_groups']),
                   '--subscriptions', str(self.fleet['subscriptions']), '--seed', str(self.fleet['seed']),
                   '--state-dir', os.path.join(self.state_dir, 'emulator'), '--info-file', info_file]
        env = dict(os.environ)
        env['PYTHONPATH'] = os.pathsep.join(part for part in (self.emulator_path, env.get('PYTHONPATH')) if part)
        with open(os.path.join(self.state_dir, 'emulator.log'), 'wb') as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # pylint: disable=consider-using-with
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError('the emulator exited with %s; see %s' % (self.process.returncode, os.path.join(self.state_dir, 'emulator.log')))
            if os.path.exists(info_file) and os.path.getsize(info_file):
                with open(info_file, encoding='utf-8') as handle:
                    self.info = json.load(handle)
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError('the emulator did not start within %d seconds' % timeout)

    def stop(self):
        """SIGTERM and reap; keeps the process's resource usage (peak RSS) for the report."""
        if self.process is None or self.final_rusage is not None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            _pid, status, self.final_rusage = os.wait4(self.process.pid, 0)
            self.process.returncode = os.waitstatus_to_exitcode(status)
        except ChildProcessError:  # already reaped by poll()
            self.final_rusage = None
        self.session.close()

    @property
    def pid(self):
        return self.process.pid

    def peak_rss_kib(self):
        """VmHWM of the running emulator (Linux), in KiB; None when unknown."""
        try:
            with open('/proc/%d/status' % self.process.pid, encoding='ascii') as handle:
                for line in handle:
                    if line.startswith('VmHWM:'):
                        return int(line.split()[1])
        except OSError:
            pass
        return self.final_rusage.ru_maxrss if self.final_rusage else None

    # ------------------------------------------------------------ what it serves

    @property
    def base_url(self):
        return self.info['base_url']

    @property
    def metadata_url(self):
        return self.info['metadata_url']

    @property
    def ca_bundle(self):
        return self.info['ca_bundle']

    @property
    def env(self):
        """The variables an AWX Azure credential would set, plus the CA bundle."""
        return dict(self.info['env'])

    def clusters(self):
        return self._control('GET', 'info')['clusters']

    def token_url(self):
        return '%s/%s/oauth2/v2.0/token' % (self.base_url, self.info['tenant_id'])

    def arm_scope(self):
        return self.base_url + '/.default'

    def acquire_token(self):
        """One ARM token by client credentials, as any OAuth client gets it (one identity request)."""
        answer = self._request('POST', self.token_url(), data=dict(grant_type='client_credentials', client_id=self.info['client_id'],
                                                                   client_secret=self.info['client_secret'], scope=self.arm_scope()))
        answer.raise_for_status()
        return answer.json()['access_token']

    def arm_get(self, token, resource_id):
        answer = self._request('GET', self.base_url + resource_id, params={'api-version': API_VERSION}, headers={'Authorization': 'Bearer ' + token})
        answer.raise_for_status()
        return answer.json()

    # ------------------------------------------------------------ control endpoints (never logged, no token)

    def _request(self, method, url, **kwargs):
        # verify per request: requests lets REQUESTS_CA_BUNDLE from the environment override a session's verify.
        return self.session.request(method, url, verify=self.ca_bundle, timeout=60, **kwargs)

    def _control(self, method, action, **kwargs):
        answer = self._request(method, '%s/_emulator/%s' % (self.base_url, action), **kwargs)
        if answer.status_code != 200:
            raise RuntimeError('emulator %s /_emulator/%s: HTTP %s %s' % (method, action, answer.status_code, answer.text[:300]))
        return answer.json()

    def put_resource(self, resource_id, body):
        return self._control('PUT', 'resource', params={'id': resource_id}, json=body)

    def last_seq(self):
        return self._control('GET', 'requests', params={'since': 10 ** 12})['last_seq']

    def requests_since(self, seq):
        return self._control('GET', 'requests', params={'since': seq})['value']


def count_requests(entries):
    """Request counts by kind, and ARM writes, from request log entries."""
    counts = {'arm': 0, 'identity': 0, 'metadata': 0, 'arm_writes': 0, 'errors': 0}
    for entry in entries:
        kind = entry.get('kind')
        if kind in counts:
            counts[kind] += 1
        if kind == 'arm' and entry.get('method') in ('PUT', 'PATCH', 'POST', 'DELETE'):
            counts['arm_writes'] += 1
        if entry.get('status') is None or entry['status'] >= 400:
            counts['errors'] += 1
    return counts
