# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hide azure_hci_token's result from every output, whatever the task says about no_log.

A module cannot censor its own result; its action plugin can. The token stays
available in the registered variable.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        result.update(self._execute_module(module_name='hcifleet.azure_hci.azure_hci_token', module_args=self._task.args, task_vars=task_vars))
        if 'access_token' in result:
            result['_ansible_no_log'] = True
        return result
