# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runtime settings that tests may change while the emulator runs (``PUT /_emulator/config``)."""

from __future__ import annotations

import dataclasses
import typing as t


@dataclasses.dataclass
class Settings:
    token_lifetime: int = 3600   # seconds an issued access token is valid
    page_size: int = 5           # items per page of every list
    lro_polls: int = 1           # InProgress answers of an async operation before its terminal state
    retry_after: int = 1         # Retry-After (seconds) sent with 202 Accepted / InProgress operation status

    def validate(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError("%s must be an integer" % field.name)
        if self.token_lifetime < 1 or self.page_size < 1 or self.lro_polls < 0 or self.retry_after < 0:
            raise ValueError("need token_lifetime >= 1, page_size >= 1, lro_polls >= 0 and retry_after >= 0")

    def updated(self, changes: dict[str, t.Any]) -> "Settings":
        names = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - names)
        if unknown:
            raise ValueError("unknown setting(s): %s; known: %s" % (", ".join(unknown), ", ".join(sorted(names))))
        new = dataclasses.replace(self, **changes)
        new.validate()
        return new

    def to_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)
