# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's own exceptions, shared by module_utils and plugins."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class InvalidOption(ValueError):
    """A task option that cannot be used; ``option`` is its (dotted) name.

    Raised before any request when the option alone shows it (nearly always), and never after a write: an option
    that conflicts with the resource as it is (a new location for an existing run) is refused after the read.
    """

    def __init__(self, option, reason):
        super(InvalidOption, self).__init__('%s: %s' % (option, reason))
        self.option = option
        self.reason = reason


class AuthenticationFailed(Exception):
    """No access token could be obtained; the message says from where and why (never a secret).

    ``passing`` says the token endpoint failed for a reason that may pass (throttling, a 5xx, a dropped connection,
    a timeout) rather than refused the credential: a long wait may try again later.
    """

    def __init__(self, message, passing=False):
        super(AuthenticationFailed, self).__init__(message)
        self.passing = passing
