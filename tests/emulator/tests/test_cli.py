# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``python -m hci_arm_emulator serve`` as a background process, the way a Makefile runs it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import requests

EMULATOR_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _wait_for(path, process, timeout=20):
    deadline = time.time() + timeout
    while not os.path.exists(path):
        assert process.poll() is None, process.communicate()
        assert time.time() < deadline, "the emulator did not write %s" % path
        time.sleep(0.05)


def test_serve_writes_info_and_env_files_answers_and_stops_on_sigterm(tmp_path):
    info_file = tmp_path / "run" / "emulator.json"
    env_file = tmp_path / "run" / "emulator.env"
    env = dict(os.environ, PYTHONPATH=EMULATOR_ROOT)
    process = subprocess.Popen(
        [sys.executable, "-m", "hci_arm_emulator", "serve", "--clusters", "4", "--resource-groups", "2", "--subscriptions", "1",
         "--seed", "5", "--port", "0", "--state-dir", str(tmp_path / "state"), "--info-file", str(info_file),
         "--env-file", str(env_file), "--client-secret", "cli-test-secret", "--page-size", "3"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        _wait_for(str(info_file), process)
        info = json.loads(info_file.read_text())
        assert info["pid"] == process.pid
        assert info["base_url"].startswith("https://127.0.0.1:")
        assert info["metadata_url"] == info["base_url"] + "/metadata/endpoints?api-version=2022-09-01"
        assert info["ca_bundle"] == str(tmp_path / "state" / "ca-bundle.pem")
        assert info["client_secret"] == "cli-test-secret"
        assert len(info["subscription_ids"]) == 1 and len(info["clusters"]) == 4
        assert oct(os.stat(info_file).st_mode & 0o777) == "0o600"
        env_text = env_file.read_text()
        assert "export AZURE_CLOUD_ENVIRONMENT='%s'\n" % info["metadata_url"] in env_text
        for name in ("AZURE_SUBSCRIPTION_ID", "AZURE_CLIENT_ID", "AZURE_SECRET", "AZURE_TENANT", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
            assert "export %s=" % name in env_text
        token = requests.post("%s/%s/oauth2/v2.0/token" % (info["base_url"], info["tenant_id"]), verify=info["ca_bundle"], timeout=10,
                              data={"grant_type": "client_credentials", "client_id": info["client_id"], "client_secret": "cli-test-secret",
                                    "scope": info["base_url"] + "/.default"}).json()["access_token"]
        listing = requests.get("%s/subscriptions/%s/providers/Microsoft.AzureStackHCI/clusters" % (info["base_url"], info["subscription_id"]),
                               params={"api-version": "2024-04-01"}, headers={"Authorization": "Bearer " + token},
                               verify=info["ca_bundle"], timeout=10)
        assert listing.status_code == 200
        assert len(listing.json()["value"]) == 3 and "nextLink" in listing.json()
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "metadata URL" in out and info["metadata_url"] in out and info["ca_bundle"] in out
    assert info["tenant_id"] in out and info["client_id"] in out and info["subscription_id"] in out
    assert ". %s" % env_file in out
    assert token not in out + err
    assert err == ""
    assert not info_file.exists() and not env_file.exists()


def test_serve_rejects_a_bad_fleet():
    env = dict(os.environ, PYTHONPATH=EMULATOR_ROOT)
    result = subprocess.run([sys.executable, "-m", "hci_arm_emulator", "serve", "--subscriptions", "0"], capture_output=True, text=True,
                            env=env, timeout=30, check=False)
    assert result.returncode == 2
    assert "subscriptions >= 1" in result.stderr
