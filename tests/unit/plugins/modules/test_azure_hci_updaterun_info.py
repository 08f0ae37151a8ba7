# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""azure_hci_updaterun_info: options it can judge alone are judged before any request."""

from __future__ import annotations

import pytest

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import InvalidOption
from ansible_collections.hcifleet.azure_hci.plugins.modules import azure_hci_updaterun_info

PARAMS = dict(subscription_id='b8d594e5-51f3-4c11-9c54-a7771b81c712', resource_group='rg', cluster_name='c1', update_name=None, name=None,
              api_version='2024-04-01', wait=True, wait_timeout=60.0, wait_interval=5.0)


class WithoutClient:
    """An AzureModule stand-in whose client must never be asked for."""

    def __init__(self, params):
        self.params = params

    def client(self):
        raise AssertionError('a request was about to be made')


@pytest.mark.parametrize('value', [-1.0, float('nan')])
@pytest.mark.parametrize('option', ['wait_timeout', 'wait_interval'])
def test_a_wait_that_is_negative_or_not_a_number_fails_before_any_request(option, value):
    with pytest.raises(InvalidOption) as error:
        azure_hci_updaterun_info.run(WithoutClient(dict(PARAMS, **{option: value})))
    assert error.value.option == option
    assert 'must be 0 or more seconds' in str(error.value)


def test_a_run_name_without_its_update_fails_before_any_request():
    with pytest.raises(InvalidOption) as error:
        azure_hci_updaterun_info.run(WithoutClient(dict(PARAMS, name='run-1')))
    assert error.value.option == 'name'
