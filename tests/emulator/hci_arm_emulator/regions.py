# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Azure region names: the short (programmatic) form and the display form."""

from __future__ import annotations

# short name -> display name (the common public Azure regions)
REGIONS = {
    "eastus": "East US",
    "eastus2": "East US 2",
    "centralus": "Central US",
    "northcentralus": "North Central US",
    "southcentralus": "South Central US",
    "westcentralus": "West Central US",
    "westus": "West US",
    "westus2": "West US 2",
    "westus3": "West US 3",
    "canadacentral": "Canada Central",
    "canadaeast": "Canada East",
    "brazilsouth": "Brazil South",
    "northeurope": "North Europe",
    "westeurope": "West Europe",
    "uksouth": "UK South",
    "ukwest": "UK West",
    "francecentral": "France Central",
    "germanywestcentral": "Germany West Central",
    "switzerlandnorth": "Switzerland North",
    "norwayeast": "Norway East",
    "swedencentral": "Sweden Central",
    "polandcentral": "Poland Central",
    "italynorth": "Italy North",
    "spaincentral": "Spain Central",
    "eastasia": "East Asia",
    "southeastasia": "Southeast Asia",
    "japaneast": "Japan East",
    "japanwest": "Japan West",
    "koreacentral": "Korea Central",
    "centralindia": "Central India",
    "southindia": "South India",
    "australiaeast": "Australia East",
    "australiasoutheast": "Australia Southeast",
    "southafricanorth": "South Africa North",
    "uaenorth": "UAE North",
    "qatarcentral": "Qatar Central",
    "israelcentral": "Israel Central",
    "mexicocentral": "Mexico Central",
}


def short_name(location: str) -> str | None:
    """Short name of a location given in any accepted form ("westus", "WestUS", "West US"), or None."""
    key = "".join(location.split()).lower()
    return key if key in REGIONS else None


def display_name(location: str) -> str | None:
    """Display name ("West US") of a location given in any accepted form, or None when unknown."""
    key = short_name(location)
    return REGIONS[key] if key else None
