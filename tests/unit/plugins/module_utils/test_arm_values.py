# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.hcifleet.azure_hci.plugins.module_utils._arm_values import (
    InvalidValue,
    arm_datetime_text,
    check_sendable_datetime,
    datetime_key,
    datetime_ticks,
    enum_key,
    location_key,
)


@pytest.mark.parametrize('left, right', [
    ('2022-04-06T01:36:33.3876751+00:00', '2022-04-06T01:36:33.3876751Z'),
    ('2022-04-06T13:58:42.969006+00:00', '2022-04-06T13:58:42.9690060Z'),
    ('2022-04-06T13:58:42Z', '2022-04-06T13:58:42.0000000+00:00'),
    ('2022-04-06T15:58:42+02:00', '2022-04-06T13:58:42Z'),
    ('2022-04-05T23:58:42-14:00', '2022-04-06T13:58:42Z'),
    ('2022-04-06 13:58:42+00:00', '2022-04-06T13:58:42Z'),
    ('2022-04-06T13:58:42.12345678Z', '2022-04-06T13:58:42.1234567Z'),
    ('2022-04-06t13:58:42.5z', '2022-04-06T13:58:42.5000000+0000'),
])
def test_date_times_denoting_the_same_tick_are_equal(left, right):
    assert datetime_ticks(left) == datetime_ticks(right)


def test_date_times_one_tick_apart_differ():
    assert datetime_ticks('2022-04-06T01:36:33.3876751Z') - datetime_ticks('2022-04-06T01:36:33.3876750Z') == 1


def test_ticks_count_from_the_unix_epoch():
    assert datetime_ticks('1970-01-01T00:00:01Z') == 10 ** 7


@pytest.mark.parametrize('value', ['yesterday', '2022-04-06', '2022-04-06T13:58:42', '2022-13-01T00:00:00Z', '2022-02-30T00:00:00Z',
                                   '2022-04-06T25:00:00Z', '2022-04-06T10:00:00+25:00', '', '2022-04-06T10:00Z'])
def test_malformed_date_times_are_rejected(value):
    with pytest.raises(InvalidValue):
        datetime_ticks(value)


def test_non_strings_are_not_date_times():
    with pytest.raises(InvalidValue, match='expected a date-time string'):
        datetime_ticks(20220406)


def test_empty_date_time_is_its_own_key():
    assert datetime_key('') == ''
    assert datetime_key(None) is None


@pytest.mark.parametrize('left, right', [('West US', 'westus'), ('westus2', 'West US 2'), ('EASTUS', 'East US')])
def test_locations_compare_as_arm_does(left, right):
    assert location_key(left) == location_key(right)


def test_different_locations_differ():
    assert location_key('West US') != location_key('West US 2')


def test_enum_values_compare_case_insensitively():
    assert enum_key('InProgress') == enum_key('inprogress') == enum_key(' INPROGRESS ')


def test_a_date_time_without_an_offset_is_refused_with_a_fix():
    with pytest.raises(InvalidValue, match=r"has no UTC offset: add Z .* \(for example 2022-04-06T13:58:42Z\)"):
        datetime_ticks('2022-04-06T13:58:42')


@pytest.mark.parametrize('value', ['2022-04-06T13:58:42Z', '2022-04-06t13:58:42.1234567+05:30', '2022-04-06T13:58:42.5-08:00', ''])
def test_rfc3339_date_times_can_be_sent(value):
    assert check_sendable_datetime(value) == value


@pytest.mark.parametrize('value', ['2022-04-06 13:58:42Z', '2022-04-06T13:58:42,5Z', '2022-04-06T13:58:42+0530', '2022-04-06T13:58:42 Z'])
def test_spellings_arm_refuses_are_not_sent_though_they_compare(value):
    assert datetime_ticks(value)
    with pytest.raises(InvalidValue, match='RFC 3339'):
        check_sendable_datetime(value)


@pytest.mark.parametrize('value, written', [
    ('2024-11-20T01:36:33.3876751Z', '2024-11-20T01:36:33.3876751+00:00'),
    ('2024-11-20T01:36:33Z', '2024-11-20T01:36:33.0000000+00:00'),
    ('2024-11-20T07:06:33.5+05:30', '2024-11-20T01:36:33.5000000+00:00'),
    ('2024-11-20T01:36:33.123456789-00:00', '2024-11-20T01:36:33.1234567+00:00'),
    ('2024-03-01T00:30:00+01:00', '2024-02-29T23:30:00.0000000+00:00'),
    ('1969-12-31T23:59:59.9999999Z', '1969-12-31T23:59:59.9999999+00:00'),
    ('0001-01-01T00:00:00Z', '0001-01-01T00:00:00.0000000+00:00'),
])
def test_date_times_are_written_back_as_arm_writes_them(value, written):
    assert arm_datetime_text(value) == written
    assert datetime_ticks(written) == datetime_ticks(value)


@pytest.mark.parametrize('value', ['\uff12\uff10\uff12\uff14-01-01T00:00:00Z', '2024-01-01T00:00:0\u0660Z'])
def test_digits_other_than_ascii_are_not_a_date_time(value):
    with pytest.raises(InvalidValue):
        check_sendable_datetime(value)


@pytest.mark.parametrize('value', ['0001-01-01T00:30:00+01:00', '9999-12-31T23:30:00-01:00', '0001-01-01T00:00:00+00:01',
                                   '9999-12-31T23:59:59.9999999-00:01'])
def test_an_instant_before_year_1_or_after_year_9999_in_utc_is_not_sent(value):
    with pytest.raises(InvalidValue, match='outside the range ARM takes'):
        check_sendable_datetime(value)
    with pytest.raises(InvalidValue, match='outside the range'):
        arm_datetime_text(value)  # a value read back from a server is refused, never an OverflowError


@pytest.mark.parametrize('value', ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.9999999Z', '2024-01-01T00:00:00+14:00',
                                   '2024-01-01T00:00:00-14:00', '0001-01-01T00:00:00-14:00', '9999-12-31T23:59:59.9999999+14:00',
                                   '9999-12-31T23:59:59.99999999999Z'])
def test_the_edges_arm_takes_are_sent(value):
    assert check_sendable_datetime(value) == value


@pytest.mark.parametrize('value', ['2024-01-01T00:00:00+14:01', '2024-01-01T00:00:00-23:59'])
def test_an_offset_beyond_14_hours_is_not_sent(value):
    with pytest.raises(InvalidValue, match='beyond 14 hours'):
        check_sendable_datetime(value)


@pytest.mark.parametrize('value, reason', [('2022-13-01T00:00:00Z', 'month must be in 1..12'), ('2022-02-30T00:00:00Z', 'day is out of range'),
                                           ('2022-04-06T25:00:00Z', 'hour must be in 0..23'), ('2022-04-06T10:00:60Z', 'second must be in 0..59')])
def test_an_impossible_date_time_says_which_part_is_wrong(value, reason):
    with pytest.raises(InvalidValue, match=reason):
        datetime_ticks(value)
