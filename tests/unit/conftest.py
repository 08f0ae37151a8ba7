# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared helpers for unit tests: the spec's example payloads."""

from __future__ import annotations

import copy
import json
import os

import pytest

SPECS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'fixtures', 'specs')


def spec_example(name):
    """The example file ``name`` (without .json) from tests/fixtures/specs."""
    with open(os.path.join(SPECS, name + '.json'), encoding='utf-8') as handle:
        return json.load(handle)


@pytest.fixture
def example_update_run():
    """The 200 response body of the spec's UpdateRuns_Get example."""
    return copy.deepcopy(spec_example('GetUpdateRuns')['responses']['200']['body'])
