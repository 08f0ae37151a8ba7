# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keep the libraries' own log records and warnings out of Ansible's output when they run in Ansible's process.

A module process's logging goes nowhere; the same libraries running on the controller (direct execution, the
inventory plugin) log through the root logger, which may carry Ansible's log_path handler or print to the
terminal. azure-identity logs a refused credential at WARNING, for example, unprefixed and before the plugin's own
message. The collection reports what matters itself.
"""

from __future__ import annotations

import contextlib
import logging
import warnings

QUIET_LOGGERS = ('azure', 'msal', 'urllib3', 'requests')


@contextlib.contextmanager
def libraries_quiet():
    """Silence azure-identity's, MSAL's, urllib3's and requests' loggers and Python warnings for the block."""
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    saved = [(logger, logger.propagate, logger.handlers) for logger in loggers]
    for logger in loggers:
        logger.propagate, logger.handlers = False, [logging.NullHandler()]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            yield
    finally:
        for logger, propagate, handlers in saved:
            logger.propagate, logger.handlers = propagate, handlers
