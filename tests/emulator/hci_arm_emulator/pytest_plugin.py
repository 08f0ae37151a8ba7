# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest fixtures: register with ``pytest_plugins = ["hci_arm_emulator.pytest_plugin"]`` in a top-level conftest.

* ``arm_emulator_session`` (session): one running Emulator with the default fleet.
* ``arm_emulator`` (function): the same server, ``reset()`` before the test (default fleet, startup settings,
  no faults, empty request log). Call ``arm_emulator.reset(fleet=FleetConfig(...))`` in a test for another fleet.
"""

from __future__ import annotations

import typing as t

import pytest

from .emulator import Emulator


@pytest.fixture(scope="session")
def arm_emulator_session() -> t.Iterator[Emulator]:
    emulator = Emulator().start()
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def arm_emulator(arm_emulator_session: Emulator) -> Emulator:  # pylint: disable=redefined-outer-name
    arm_emulator_session.reset()
    return arm_emulator_session
