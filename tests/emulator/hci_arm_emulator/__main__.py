# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""``python -m hci_arm_emulator serve ...``"""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
