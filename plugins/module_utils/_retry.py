# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure retry decisions: which answers to retry and how long to wait.

ARM asks clients to honour Retry-After on 429 (seconds or an HTTP date) and
to back off on 5xx; waits are bounded so that a task always ends.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import random
import time

# How long to wait between polls of a long-running operation when the server does not say.
DEFAULT_POLL_SECONDS = 1.0
# 408/429 and the 5xx that ARM and its gateways return for transient faults.
RETRYABLE_STATUS = frozenset((408, 429, 500, 502, 503, 504))


class RetryPolicy:
    """How many times to retry and how long any single wait may be."""

    def __init__(self, max_retries=5, max_delay=60.0, backoff=1.0):
        self.max_retries = max(0, int(max_retries))
        self.max_delay = max(0.0, float(max_delay))
        self.backoff = max(0.0, float(backoff))

    def delay(self, attempt, retry_after=None, now=None, jitter=None):
        """Seconds to wait before retry number ``attempt`` (0-based).

        The server's Retry-After wins when present; otherwise exponential
        backoff with full jitter. Never more than ``max_delay``.
        """
        hinted = retry_after_seconds(retry_after, now=now)
        if hinted is not None:
            return min(hinted, self.max_delay)
        jitter = random.random() if jitter is None else jitter
        # 2 ** 30 seconds is beyond any max_delay already; a larger exponent only risks an overflow.
        return min(self.max_delay, self.backoff * (2 ** min(attempt, 30)) * (0.5 + jitter / 2))

    def poll_delay(self, retry_after=None, now=None):
        """Seconds to wait before polling a long-running operation again.

        The server's Retry-After (DEFAULT_POLL_SECONDS when it sends none or an unreadable one), at most
        ``max_delay``, but max_delay alone never brings it under DEFAULT_POLL_SECONDS: a max_delay of 0 turns
        off the waits between retries; it must not turn polling into a busy loop.
        """
        hinted = retry_after_seconds(retry_after, now=now)
        if hinted is None:
            hinted = DEFAULT_POLL_SECONDS
        # Nor does a Retry-After of 0 (or a date in the past): a second between polls at the least.
        return max(DEFAULT_POLL_SECONDS, min(hinted, max(self.max_delay, DEFAULT_POLL_SECONDS)))


def retry_after_seconds(value, now=None):
    """Parse a Retry-After header: delta-seconds or an HTTP date. None if absent or unreadable."""
    if value is None:
        return None
    value = str(value).strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, moment.timestamp() - now)
