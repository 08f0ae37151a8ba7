# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A private CA and the server certificate (127.0.0.1 and localhost) for the emulator's TLS port."""

from __future__ import annotations

import os
import ssl

import trustme


class ServerCertificates:
    """Creates a fresh CA and server certificate and writes the CA bundle to ``state_dir``."""

    def __init__(self, state_dir: str) -> None:
        self._ca = trustme.CA(organization_name="hcifleet ARM emulator")
        self._leaf = self._ca.issue_cert("127.0.0.1", "localhost", common_name="127.0.0.1")
        self.ca_bundle = os.path.join(state_dir, "ca-bundle.pem")
        self.server_cert = os.path.join(state_dir, "server-cert.pem")
        _write(self.ca_bundle, self._ca.cert_pem.bytes(), 0o644)
        _write(self.server_cert, b"".join(blob.bytes() for blob in self._leaf.cert_chain_pems), 0o644)

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        self._leaf.configure_cert(context)
        return context


def _write(path: str, data: bytes, mode: int) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
    os.chmod(path, mode)
