# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run azure_hci_token in Ansible's own Python when the task runs on the controller, and hide its result.

Direct execution (plugins/plugin_utils/_direct_execution.py) spares the
module process, and with it the dependence on the interpreter discovered for
the host. A module cannot censor its own result; its action plugin can, so
the token never reaches any output, whatever the task says about no_log. The
token stays available in the registered variable.
"""

from __future__ import annotations

from ansible_collections.hcifleet.azure_hci.plugins.modules import azure_hci_token
from ansible_collections.hcifleet.azure_hci.plugins.plugin_utils._direct_execution import DirectExecutionAction


class ActionModule(DirectExecutionAction):

    module = azure_hci_token
    # An async result comes back through async_status, never through this plugin: it would show the token.
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        # A given access_token (module_defaults for the whole group, say) is not what the task asks for: it gets a new
        # token. Dropped here rather than ignored in the module: as the value of a no_log option it would mask a new
        # token that happens to equal it (a CLI or managed identity cache).
        self._task.args = dict((key, value) for key, value in self._task.args.items() if key != 'access_token')
        result = super(ActionModule, self).run(tmp, task_vars)
        if 'access_token' in result:
            result['_ansible_no_log'] = True
        return result
