# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the collection's ARM modules inside Ansible's own Python when the task runs on the controller.

The modules call an HTTPS API; they never touch the host they run on, and
with ``connection: local`` (the inventory plugin's hosts, ``localhost``,
``delegate_to: localhost``) that host is the controller itself. Packaging
the module into an AnsiballZ payload and starting a Python process for it
then costs more than the module's own work: a module process spends most of
its 0.4-0.9 s importing and compiling Ansible's module_utils. Like
``ansible.netcommon``'s direct execution (its ``import_modules`` option),
the action plugins of ``azure_hci_updaterun``, ``azure_hci_updaterun_info`` and ``azure_hci_token``
run the module's own ``run()`` in the task's worker process instead: the same
argument spec and validator, the same code, the same result, with the values
of ``no_log`` options masked as AnsibleModule masks them.

A task runs as a module process, as any module does, when any of these holds:
the variable ``azure_hci_direct_execution`` is false; the connection is not
``local``; the task uses ``async``, or ``become`` or ``environment`` apply to it (from the task, its
block, its play or the inventory); or
requests or azure-identity is not importable in Ansible's Python.
"""

from __future__ import annotations

import importlib.util
import json
import traceback

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.utils.display import Display

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_client import HAS_REQUESTS
from ansible_collections.hcifleet.azure_hci.plugins.module_utils._azure_module import (
    MODULE_ERRORS,
    AzureTask,
    failure,
    module_argument_spec,
)
from ansible_collections.hcifleet.azure_hci.plugins.plugin_utils._quiet_libraries import libraries_quiet

display = Display()

DIRECT_EXECUTION_VAR = 'azure_hci_direct_execution'


def run_module(module, module_name, args, check_mode=False, diff_mode=False, inject_invocation=True):
    """The result ``module`` (ARGUMENT_SPEC and run(task)) gives for ``args``, computed in this process.

    The same steps as a module process: validate against the module's argument
    spec (environment fallbacks included), fail on the first validation error
    before any request, run, and mask every ``no_log`` value in the result.
    """
    validation = ArgumentSpecValidator(module_argument_spec(module.ARGUMENT_SPEC)).validate(args)
    params = validation.validated_parameters
    if validation.error_messages:
        msg = validation.errors.msg
        if isinstance(validation.errors[0], UnsupportedError):
            msg = 'Unsupported parameters for (%s) module: %s' % (module_name, msg)
        result = dict(failed=True, msg=msg)
    else:
        try:
            with libraries_quiet():
                result = module.run(AzureTask(params, check_mode, diff_mode))
        except MODULE_ERRORS as exc:
            result = dict(failure(exc), failed=True)
        except Exception as exc:  # a bug: report it as a failed task, as a module process's traceback would be
            result = dict(failed=True, msg='%s failed unexpectedly: %s: %s' % (module_name, type(exc).__name__, exc),
                          exception=traceback.format_exc())
    alias_warnings = ['Both option %(option)s and its alias %(alias)s are set.' % warning for warning in validation._warnings]
    if alias_warnings:
        result['warnings'] = result.get('warnings', []) + alias_warnings
    deprecations = [{key: value for key, value in deprecation.items() if value is not None} for deprecation in validation._deprecations]
    if deprecations:  # deprecated options or aliases, in the form a module process reports them
        result['deprecations'] = result.get('deprecations', []) + deprecations
    if inject_invocation:
        result['invocation'] = dict(module_args=params)
    # AnsibleModule reads the no_log values from the same private attribute. The JSON pass gives the types a
    # module process's result has (string keys, lists for tuples).
    return through_json(remove_values(result, validation._no_log_values), to_module=False)


def through_json(value, to_module=True):
    """``value`` as it crosses between Ansible and a module process: through the JSON Ansible uses for modules.

    Plain values (no data tags on ansible-core 2.19+), vaulted values decrypted, dates as ISO 8601 text, string keys.
    """
    try:
        from ansible.module_utils.common.json import Direction, get_module_encoder  # ansible-core 2.19+
    except ImportError:
        from ansible.module_utils.common.json import AnsibleJSONEncoder
        return json.loads(json.dumps(value, cls=AnsibleJSONEncoder, vault_to_text=True))
    direction = Direction.CONTROLLER_TO_MODULE if to_module else Direction.MODULE_TO_CONTROLLER
    return json.loads(json.dumps(value, cls=get_module_encoder('legacy', direction)))


def libraries_missing():
    """The runtime libraries this Python lacks (the module process may have them)."""
    missing = [] if HAS_REQUESTS else ['requests']
    try:
        if importlib.util.find_spec('azure.identity') is None:
            missing.append('azure-identity')
    except ImportError:  # no 'azure' package at all
        missing.append('azure-identity')
    return missing


class DirectExecutionAction(NormalAction):
    """The action plugin of a module that can run in the worker: directly when it may, else as usual."""

    module = None  # the module's Python module: ARGUMENT_SPEC and run(task); its name is the task's action

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        reason = self.module_process_reason(task_vars)
        if reason:
            display.vvvv('%s runs as a module process: %s' % (self._task.action, reason), host=self._play_context.remote_addr)
            return super(DirectExecutionAction, self).run(tmp, task_vars)
        result = ActionBase.run(self, tmp, task_vars)  # check mode and async support, as for any action
        display.vvvv('%s runs in the controller\'s Python (%s=false runs it as a module process)'
                     % (self._task.action, DIRECT_EXECUTION_VAR), host=self._play_context.remote_addr)
        internal = {}  # what Ansible tells a module process besides its arguments (check mode, diff, ...)
        self._update_module_args(self._task.action, internal, task_vars)
        result.update(run_module(self.module, self._task.action, through_json(self._task.args),
                                 check_mode=internal['_ansible_check_mode'], diff_mode=internal['_ansible_diff'],
                                 inject_invocation=internal.get('_ansible_inject_invocation', True)))  # a setting since 2.21
        return result

    def module_process_reason(self, task_vars):
        """Why this task must run as a module process, or None when it can run directly."""
        wanted = self._templar.template(task_vars.get(DIRECT_EXECUTION_VAR, True))
        try:
            if not boolean(wanted, strict=True):
                return '%s is false' % DIRECT_EXECUTION_VAR
        except TypeError:
            raise AnsibleActionFail('%s must be a boolean, got %r' % (DIRECT_EXECUTION_VAR, wanted))
        connection = getattr(self._connection, '_load_name', None) or self._connection.transport
        if connection not in ('local', 'ansible.builtin.local'):
            return 'the connection is %s, not local' % connection
        if self._play_context.become:
            return 'become is on (task, block, play or inventory)'
        if self._task.async_val:
            return 'the task uses async'
        # The task's, its block's and its play's; not templated here (a module process templates them once).
        if any(self._task.environment or []):
            return 'environment is set (task, block or play)'
        missing = libraries_missing()
        if missing:
            return "%s not importable in Ansible's Python" % ' and '.join(missing)
        return None
