# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP behaviour: TLS with the emulator's CA, keep-alive, concurrency."""

from __future__ import annotations

import concurrent.futures
import http.client
import ssl

import pytest
import requests

from conftest import ArmClient, cluster_path


def test_tls_needs_the_emulator_ca(arm):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(arm.emu.metadata_url, verify=True, timeout=5)
    context = ssl.create_default_context(cafile=arm.emu.ca_bundle)
    for host in ("127.0.0.1", "localhost"):
        connection = http.client.HTTPSConnection(host, arm.emu.port, context=context, timeout=5)
        connection.request("GET", "/metadata/endpoints?api-version=2022-09-01")
        assert connection.getresponse().status == 200
        connection.close()


def test_keep_alive_serves_many_requests_on_one_connection(arm):
    context = ssl.create_default_context(cafile=arm.emu.ca_bundle)
    connection = http.client.HTTPSConnection("127.0.0.1", arm.emu.port, context=context, timeout=5)
    path = cluster_path(arm.emu.clusters()[0]) + "?api-version=2024-04-01"
    for dummy in range(5):
        connection.request("GET", path, headers={"Authorization": "Bearer " + arm.token})
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200 and int(response.getheader("Content-Length")) == len(body)
        assert response.getheader("Connection") is None
    for status_path in ("/nothing", path.replace("2024-04-01", "2099-01-01")):
        connection.request("GET", status_path, headers={"Authorization": "Bearer " + arm.token})
        response = connection.getresponse()
        assert response.status >= 400 and len(response.read()) == int(response.getheader("Content-Length"))
    connection.request("PUT", path.replace("?", "/updates/u/updateRuns/r?"), body=b"{}",
                       headers={"Authorization": "Bearer " + arm.token, "Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    connection.request("GET", path, headers={"Authorization": "Bearer " + arm.token})
    assert connection.getresponse().status == 200, "the connection survived the error answers"
    connection.close()


def test_concurrent_clients_and_writes(arm_emulator):
    emu = arm_emulator
    clusters = emu.clusters()

    def worker(index):
        client = ArmClient(emu)
        try:
            cluster = clusters[index % len(clusters)]
            update = client.get(cluster_path(cluster) + "/updates").json()["value"][0]
            for step in range(10):
                response = client.put(update["id"] + "/updateRuns/w%d-%d" % (index, step), {"properties": {"state": "Succeeded"}})
                assert response.status_code == 200
                assert client.get(response.json()["id"]).status_code == 200
            return update["id"]
        finally:
            client.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        updates = list(pool.map(worker, range(16)))
    for index, update_id in enumerate(updates):
        for step in range(10):
            assert emu.get_resource(update_id + "/updateRuns/w%d-%d" % (index, step)) is not None
    assert len([e for e in emu.requests(kind="arm") if e["operation"] == "UpdateRuns_Put"]) == 160


def test_a_200_cluster_fleet_answers_concurrent_reads_of_every_cluster(arm):
    """4 threads x 100 GETs over a 200-cluster fleet all succeed and are all logged (speed is make bench's business)."""
    emu = arm.emu
    from hci_arm_emulator import FleetConfig  # pylint: disable=import-outside-toplevel
    emu.reset(fleet=FleetConfig(clusters=200, resource_groups=10, subscriptions=2))
    paths = [cluster_path(c) for c in emu.clusters()]

    def worker(offset):
        client = ArmClient(emu)
        try:
            for index in range(100):
                assert client.get(paths[(offset * 100 + index) % len(paths)]).status_code == 200
        finally:
            client.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(worker, range(4)))
    reads = [entry for entry in emu.requests(kind="arm") if entry["method"] == "GET"]
    assert len(reads) == 400 and all(entry["authenticated"] and entry["status"] == 200 for entry in reads)
    assert len({entry["path"].lower() for entry in reads}) == 200
