# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local Azure Resource Manager + Microsoft Entra ID emulator for the hcifleet.azure_hci tests and demo."""

from __future__ import annotations

from .emulator import Emulator
from .identity import ManagedIdentity, ServicePrincipal
from .seed import FleetConfig

__all__ = ["Emulator", "FleetConfig", "ManagedIdentity", "ServicePrincipal"]
