# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run azure_hci_updaterun_info in Ansible's own Python when the task runs on the controller.

See plugins/plugin_utils/_direct_execution.py: the module's own code and
argument spec, without packaging it and starting a process for it.
"""

from __future__ import annotations

from ansible_collections.hcifleet.azure_hci.plugins.modules import azure_hci_updaterun_info
from ansible_collections.hcifleet.azure_hci.plugins.plugin_utils._direct_execution import DirectExecutionAction


class ActionModule(DirectExecutionAction):

    module = azure_hci_updaterun_info
