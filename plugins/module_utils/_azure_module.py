# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a module of this collection works with, and AnsibleModule plus the shared options.

A module's run() takes an AzureTask: its validated options, check and diff
mode, and one ARM client created on first use. AzureModule is the AzureTask
of a module process: it adds the shared authentication/connection options to
AnsibleModule and turns the collection's exceptions into a fail_json that
names the option or carries ARM's error code, message and request ids. The
controller-side runner (plugin_utils/_direct_execution.py) builds a plain
AzureTask and reports failures through the same failure().
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    ArmError,
)
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._auth_options import auth_argument_spec
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._connection import arm_client_from_options
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._errors import AuthenticationFailed, InvalidOption


class AzureTask:
    """One task of a module: validated options, check and diff mode, one ARM client."""

    def __init__(self, params, check_mode=False, diff_mode=False):
        self.params = params
        self.check_mode = check_mode
        self.diff_mode = diff_mode
        self._client = None

    def client(self):
        """The ArmClient, created on first use (validates options, resolves the cloud)."""
        if self._client is None:
            self._client = arm_client_from_options(self.params)
        return self._client


def failure(error):
    """The failure keywords (msg, and option or ARM's error) for one of the collection's exceptions.

    An ArmError may carry ``result``: what the task had found before it failed (the info module's runs when a
    wait runs out of time), reported beside the error.
    """
    if isinstance(error, InvalidOption):
        return dict(msg='Invalid option %s' % error, option=error.option)
    if isinstance(error, ArmError):
        return dict(error.result or {}, msg=str(error), error=error.to_dict())
    return dict(msg=str(error))


def module_argument_spec(argument_spec):
    """A module's own options plus the ones every module of the collection shares."""
    spec = auth_argument_spec()
    spec.update(argument_spec)
    return spec


class AzureModule(AzureTask):
    """The AzureTask of a module process: AnsibleModule with the shared options, one failure path."""

    def __init__(self, argument_spec, **kwargs):
        self.module = AnsibleModule(argument_spec=module_argument_spec(argument_spec), **kwargs)
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
        super(AzureModule, self).__init__(self.module.params, self.module.check_mode, self.module._diff)

    def exit(self, **result):
        self.module.exit_json(**result)

    def fail(self, error):
        """Fail the task from one of the collection's exceptions."""
        self.module.fail_json(**failure(error))


# The exceptions a module's run() raises for the user to read; main() reports them through failure().
MODULE_ERRORS = (InvalidOption, ArmError, AuthenticationFailed)
