# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Date-time parsing and formatting the way the HCI resource provider writes them.

The service writes .NET round-trip timestamps with 7 fractional digits (100 ns ticks).
The emulator always writes UTC with a ``+00:00`` offset, for example
``2022-04-06T13:58:42.9690060+00:00``.
"""

from __future__ import annotations

import datetime
import email.utils
import re

_RFC3339 = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[Tt](?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2})"
    r"(?:\.(?P<frac>\d+))?(?P<tz>[Zz]|[+-]\d{2}:\d{2})$",
    re.ASCII,  # 0-9 only, as .NET reads digits
)

UTC = datetime.timezone.utc


class Timestamp:
    """A UTC instant with 100 ns precision (a datetime plus the 7th fractional digit)."""

    __slots__ = ("dt", "extra_tick")

    def __init__(self, dt: datetime.datetime, extra_tick: int = 0) -> None:
        self.dt = dt.astimezone(UTC)
        self.extra_tick = extra_tick

    def format(self) -> str:
        # '%04d' rather than strftime's %Y, which glibc does not pad: year 999 is '0999', as .NET writes it.
        return "%04d-%s" % (self.dt.year, self.dt.strftime("%m-%dT%H:%M:%S")) + ".%06d%d+00:00" % (self.dt.microsecond, self.extra_tick)


def parse(value: str) -> Timestamp:
    """Parse an RFC 3339 date-time (any number of fractional digits, ``Z`` or an offset).

    Raises ValueError when the string is not such a date-time.
    """
    match = _RFC3339.match(value)
    if not match:
        raise ValueError("not an RFC 3339 date-time: %r" % value)
    frac = (match.group("frac") or "").ljust(7, "0")[:7]
    tz_text = match.group("tz")
    if tz_text in ("Z", "z"):
        tzinfo = UTC
    else:
        sign = -1 if tz_text[0] == "-" else 1
        hours, minutes = int(tz_text[1:3]), int(tz_text[4:6])
        if hours > 23 or minutes > 59:
            raise ValueError("invalid UTC offset: %r" % value)
        tzinfo = datetime.timezone(sign * datetime.timedelta(hours=hours, minutes=minutes))
    year, month, day = (int(part) for part in match.group("date").split("-"))
    dt = datetime.datetime(year, month, day, int(match.group("h")), int(match.group("m")), int(match.group("s")),
                           int(frac[:6]), tzinfo=tzinfo)
    return Timestamp(dt, int(frac[6]))


def normalize(value: str) -> str:
    """Return ``value`` re-written in the service's canonical form (UTC, 7 digits, ``+00:00``)."""
    return parse(value).format()


def fmt(dt: datetime.datetime) -> str:
    """Format a datetime in the service's canonical form."""
    return Timestamp(dt).format()


def now() -> datetime.datetime:
    return datetime.datetime.now(UTC)


def now_str() -> str:
    return fmt(now())


def dotnet_utc(epoch_seconds: float) -> str:
    """Format an instant like .NET's ``DateTime.ToString()`` in ARM messages: ``4/7/2022 6:04:07 PM``."""
    dt = datetime.datetime.fromtimestamp(epoch_seconds, UTC)
    hour12 = dt.hour % 12 or 12
    return "%d/%d/%d %d:%02d:%02d %s" % (dt.month, dt.day, dt.year, hour12, dt.minute, dt.second, "PM" if dt.hour >= 12 else "AM")


def aad_timestamp(dt: datetime.datetime | None = None) -> str:
    """Entra ID error timestamps look like ``2022-04-07 18:04:07Z``."""
    return (dt or now()).strftime("%Y-%m-%d %H:%M:%SZ")


def http_date(epoch_seconds: float) -> str:
    return email.utils.formatdate(epoch_seconds, usegmt=True)
