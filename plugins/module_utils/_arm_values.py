# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure functions that compare ARM values by meaning rather than spelling.

ARM writes date-times with 7 fractional digits (100 ns ticks, the .NET
DateTime resolution) and '+00:00' or 'Z' offsets, accepts region names in
display form ("West US") or as names ("westus"), and matches enum values
case-insensitively. These helpers turn each value into a comparison key.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

TICKS_PER_SECOND = 10 ** 7

# re.ASCII: \d is 0-9 only, as in .NET's parser (Unicode digits such as '９' are not a year ARM reads).
_DATE_TIME = re.compile(
    r'^(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<time>\d{2}:\d{2}:\d{2})'
    r'(?:[.,](?P<fraction>\d+))?'
    r'\s*(?P<offset>[Zz]|[+-]\d{2}:?\d{2})?$',
    re.ASCII,
)
_EPOCH = datetime.datetime(1970, 1, 1)
# What ARM takes in a request body (RFC 3339): 'T', '.' before the fraction, 'Z' or '+HH:MM'. datetime_ticks() reads
# more spellings, which suits values a server returns, not values we send: ARM refuses those with a 400.
_SENDABLE = re.compile(r'\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})', re.ASCII)
# .NET's DateTimeOffset, which ARM reads a date-time into: offsets up to 14 hours, and an instant in UTC from
# 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z.
_MAX_OFFSET_MINUTES = 14 * 60
_FIRST_TICK = (datetime.datetime(1, 1, 1) - _EPOCH).days * 86400 * TICKS_PER_SECOND
_LAST_TICK = ((datetime.datetime(9999, 12, 31) - _EPOCH).days + 1) * 86400 * TICKS_PER_SECOND - 1


class InvalidValue(ValueError):
    """A value that cannot be read as the type the API expects."""


def datetime_ticks(value):
    """Return the instant ``value`` denotes as 100 ns ticks since 1970-01-01 UTC.

    Accepts RFC 3339 date-times (the spec's date-time format) with any number
    of fractional digits (digits past the 7th are truncated, as .NET does)
    and a 'Z' or '+HH:MM' offset. Without an offset the instant is ambiguous
    and ARM refuses it, so it is refused here, before any request. Raises
    InvalidValue for anything else.
    """
    if not isinstance(value, str):
        raise InvalidValue('expected a date-time string, got %s' % type(value).__name__)
    match = _DATE_TIME.match(value.strip())
    if not match:
        raise InvalidValue("'%s' is not a date-time (expected ISO 8601, for example 2024-05-01T10:00:00Z)" % value)
    try:
        # datetime() rather than strptime(): it says which part is wrong ('month must be in 1..12').
        moment = datetime.datetime(*(int(part) for part in match.group('date').split('-') + match.group('time').split(':')))
    except ValueError as exc:
        raise InvalidValue("'%s' is not a valid date-time: %s" % (value, exc))
    if not match.group('offset'):
        raise InvalidValue("'%s' has no UTC offset: add Z or an offset such as +00:00 (for example %sZ)" % (value, value.strip()))
    fraction = (match.group('fraction') or '')[:7].ljust(7, '0')
    offset_minutes = _offset_minutes(match.group('offset'), value)
    delta = moment - _EPOCH
    seconds = delta.days * 86400 + delta.seconds - offset_minutes * 60
    return seconds * TICKS_PER_SECOND + int(fraction)


def _offset_minutes(offset, value):
    if offset in ('Z', 'z'):
        return 0
    sign = -1 if offset[0] == '-' else 1
    digits = offset[1:].replace(':', '')
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise InvalidValue("'%s' has an invalid UTC offset '%s'" % (value, offset))
    return sign * (hours * 60 + minutes)


def arm_datetime_text(value):
    """``value`` as ARM writes it back: UTC, 7 fractional digits, a '+00:00' offset (2024-05-01T10:00:00.0000000+00:00)."""
    seconds, fraction = divmod(datetime_ticks(value), TICKS_PER_SECOND)
    try:
        moment = _EPOCH + datetime.timedelta(seconds=seconds)
    except OverflowError:  # before year 1 or after year 9999 in UTC
        raise InvalidValue("'%s' is outside the range of date-times" % value)
    return '%04d-%02d-%02dT%02d:%02d:%02d.%07d+00:00' % (moment.year, moment.month, moment.day, moment.hour, moment.minute,
                                                         moment.second, fraction)


def check_sendable_datetime(value):
    """Refuse a date-time that ARM would refuse in a request body (an empty value means 'not set')."""
    if value == '':
        return value
    ticks = datetime_ticks(value)
    if not _SENDABLE.fullmatch(value):
        raise InvalidValue("'%s' is not an RFC 3339 date-time as ARM takes it: write 'T' between date and time, '.' before the "
                           "fraction and Z or an offset such as +05:30 (for example 2024-05-01T10:00:00.5+05:30)" % value)
    offset = _DATE_TIME.match(value).group('offset')
    if abs(_offset_minutes(offset, value)) > _MAX_OFFSET_MINUTES:
        raise InvalidValue("'%s' has a UTC offset beyond 14 hours ('%s'), which ARM does not take" % (value, offset))
    if not _FIRST_TICK <= ticks <= _LAST_TICK:
        raise InvalidValue("'%s' is outside the range ARM takes (0001-01-01T00:00:00Z to 9999-12-31T23:59:59.9999999Z in UTC)" % value)
    return value


def datetime_key(value):
    """Comparison key for an optional date-time: ticks, or '' for an empty value.

    The API documents an empty string for steps that have not started.
    """
    if value is None or value == '':
        return value
    return datetime_ticks(value)


def location_key(value):
    """ARM compares regions without case or spaces: 'West US' is 'westus'."""
    if value is None:
        return None
    return re.sub(r'\s', '', str(value)).lower()


def enum_key(value):
    """ARM enum values (state, status) match case-insensitively."""
    if value is None:
        return None
    return str(value).strip().lower()
