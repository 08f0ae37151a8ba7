# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import email.utils

import pytest

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._retry import RetryPolicy, retry_after_seconds

NOW = 1_700_000_000.0


def test_retry_after_in_seconds():
    assert retry_after_seconds('7') == 7.0


def test_retry_after_as_an_http_date():
    assert retry_after_seconds(email.utils.formatdate(NOW + 30, usegmt=True), now=NOW) == pytest.approx(30.0)


def test_retry_after_in_the_past_means_now():
    assert retry_after_seconds(email.utils.formatdate(NOW - 30, usegmt=True), now=NOW) == 0.0


@pytest.mark.parametrize('value', [None, '', 'soon', 'Tue, 99 Foo 2024'])
def test_unreadable_retry_after_is_ignored(value):
    assert retry_after_seconds(value) is None


def test_the_server_hint_wins_but_is_bounded():
    policy = RetryPolicy(max_retries=3, max_delay=10)
    assert policy.delay(0, '4') == 4.0
    assert policy.delay(0, '3600') == 10.0


def test_backoff_grows_exponentially_with_jitter_and_is_bounded():
    policy = RetryPolicy(max_retries=10, max_delay=20, backoff=1.0)
    assert [policy.delay(attempt, jitter=1.0) for attempt in range(6)] == [1.0, 2.0, 4.0, 8.0, 16.0, 20.0]
    assert policy.delay(2, jitter=0.0) == 2.0


def test_negative_settings_are_clamped():
    policy = RetryPolicy(max_retries=-1, max_delay=-5)
    assert policy.max_retries == 0
    assert policy.delay(3) == 0.0


@pytest.mark.parametrize('retry_after, max_delay, expected', [
    ('4', 10, 4.0),         # the server's hint
    ('0', 10, 1.0),         # "poll again now" still waits a second: never a busy loop
    ('Wed, 21 Oct 2015 07:28:00 GMT', 10, 1.0),  # a date in the past too
    (None, 10, 1.0),        # no hint: one second
    ('soon', 10, 1.0),      # an unreadable hint is no hint
    ('3600', 10, 10.0),     # bounded by max_delay
    ('10', 0, 1.0),         # max_delay 0 turns off retry waits, not poll waits
    ('10', 0.5, 1.0),
])
def test_polls_follow_the_server_at_most_max_delay_apart_but_never_busy(retry_after, max_delay, expected):
    assert RetryPolicy(max_delay=max_delay).poll_delay(retry_after, now=NOW) == expected
