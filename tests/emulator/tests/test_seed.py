# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seed data: deterministic fleets and reset."""

from __future__ import annotations

import json

import pytest

from hci_arm_emulator import FleetConfig
from hci_arm_emulator.seed import build

from conftest import cluster_path


def _dump(config):
    store, clusters = build(config, "tenant")
    return json.dumps([store.all_resources(), [c.to_dict() for c in clusters]], sort_keys=True)


def test_same_seed_same_data_other_seed_other_data():
    config = FleetConfig(clusters=12, resource_groups=4, subscriptions=2, seed=99)
    assert _dump(config) == _dump(FleetConfig(clusters=12, resource_groups=4, subscriptions=2, seed=99))
    assert _dump(config) != _dump(FleetConfig(clusters=12, resource_groups=4, subscriptions=2, seed=100))


def test_fleet_spreads_over_subscriptions_groups_and_locations():
    store, clusters = build(FleetConfig(clusters=40, resource_groups=6, subscriptions=3, seed=1), "tenant")
    assert len(clusters) == 40
    assert len({c.subscription_id for c in clusters}) == 3
    assert len({(c.subscription_id, c.resource_group) for c in clusters}) == 6
    assert len({c.location for c in clusters}) >= 2
    assert {c.tags["ring"] for c in clusters} == {"0", "1", "2"}
    assert set(SCENARIOS) <= {c.scenario for c in clusters}
    assert len(store.all_resources()) > 40 * 4


SCENARIOS = ("installed", "in_progress", "failed", "fresh", "available")


@pytest.mark.parametrize("bad", [{"clusters": -1}, {"resource_groups": 0}, {"subscriptions": 0}, {"updates_per_cluster": 99},
                                 {"clusters": "3"}])
def test_invalid_fleet_configs(bad):
    with pytest.raises(ValueError):
        FleetConfig(**bad)


def test_reset_restores_the_seeded_state(arm):
    emu = arm.emu
    cluster = cluster_path(emu.clusters()[0])
    update = arm.get(cluster + "/updates").json()["value"][0]
    runs_before = arm.get(update["id"] + "/updateRuns").json()
    arm.put(update["id"] + "/updateRuns/new-one", {})
    arm.delete(runs_before["value"][0]["id"])
    emu.inject("throttle", count=5)
    emu.token_lifetime = 10
    emu.reset()
    assert arm.get(update["id"] + "/updateRuns").json() == runs_before
    assert emu.faults() == [] and emu.requests()[-1]["operation"] == "UpdateRuns_List"
    assert emu.token_lifetime == 3600
    big = FleetConfig(clusters=50, resource_groups=5, subscriptions=2)
    emu.reset(fleet=big)
    assert len(emu.clusters()) == 50
    total = 0
    for sub in emu.subscription_ids:
        url = "/subscriptions/%s/providers/Microsoft.AzureStackHCI/clusters" % sub
        while url:
            page = arm.get(url).json()
            total += len(page["value"])
            url = page.get("nextLink")
    assert total == 50
