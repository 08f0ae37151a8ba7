# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AnsibleModule plus the shared options, one ARM client and one way to fail.

Every module builds this instead of AnsibleModule: it adds the shared
authentication/connection options, creates the ArmClient on first use, and
turns the collection's exceptions into a fail_json that names the option or
carries ARM's error code, message and request ids.
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


class AzureModule:
    """A module of this collection: shared options, one ARM client, one failure path."""

    def __init__(self, argument_spec, **kwargs):
        spec = auth_argument_spec()
        spec.update(argument_spec)
        self.module = AnsibleModule(argument_spec=spec, **kwargs)
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
        self._client = None

    @property
    def params(self):
        return self.module.params

    @property
    def check_mode(self):
        return self.module.check_mode

    @property
    def diff_mode(self):
        return self.module._diff

    def client(self):
        """The ArmClient, created on first use (validates options, resolves the cloud)."""
        if self._client is None:
            self._client = arm_client_from_options(self.params)
        return self._client

    def exit(self, **result):
        self.module.exit_json(**result)

    def fail(self, error, **result):
        """Fail the task from one of the collection's exceptions."""
        if isinstance(error, InvalidOption):
            self.module.fail_json(msg='Invalid option %s' % error, option=error.option, **result)
        if isinstance(error, ArmError):
            self.module.fail_json(msg=str(error), error=error.to_dict(), **result)
        self.module.fail_json(msg=str(error), **result)


# The exceptions a module's main() catches once and reports through AzureModule.fail().
MODULE_ERRORS = (InvalidOption, ArmError, AuthenticationFailed)
