# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command line: ``python -m hci_arm_emulator serve [options]``."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import sys
import tempfile
import threading
import typing as t

from .emulator import Emulator
from .seed import FleetConfig


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m hci_arm_emulator",
                                     description="Local Azure Resource Manager + Microsoft Entra ID emulator for hcifleet.azure_hci.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="run the emulator until SIGTERM/SIGINT")
    defaults = FleetConfig()
    serve_parser.add_argument("--clusters", type=int, default=defaults.clusters, help="number of seeded clusters (default %(default)s)")
    serve_parser.add_argument("--resource-groups", type=int, default=defaults.resource_groups, help="total resource groups (default %(default)s)")
    serve_parser.add_argument("--subscriptions", type=int, default=defaults.subscriptions, help="subscriptions (default %(default)s)")
    serve_parser.add_argument("--updates-per-cluster", type=int, default=defaults.updates_per_cluster, help="updates per cluster (default %(default)s)")
    serve_parser.add_argument("--seed", type=int, default=defaults.seed, help="seed of the fleet data (default %(default)s)")
    serve_parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    serve_parser.add_argument("--port", type=int, default=0, help="TCP port; 0 picks a free one (default)")
    serve_parser.add_argument("--token-lifetime", type=int, default=3600, help="access token lifetime in seconds (default %(default)s)")
    serve_parser.add_argument("--page-size", type=int, default=5, help="items per list page (default %(default)s)")
    serve_parser.add_argument("--lro-polls", type=int, default=1, help="InProgress polls before an operation ends (default %(default)s)")
    serve_parser.add_argument("--retry-after", type=int, default=1, help="Retry-After seconds on 202/InProgress (default %(default)s)")
    serve_parser.add_argument("--state-dir", help="where the CA bundle and server certificate go (default: a temporary directory)")
    serve_parser.add_argument("--info-file", help="write a JSON file with the connection facts once listening (removed on exit)")
    serve_parser.add_argument("--env-file", help="write a shell file of 'export AZURE_...=...' lines (removed on exit)")
    serve_parser.add_argument("--client-secret", help="secret of the default service principal (default: random)")
    serve_parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    return parser


def _write_private(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=directory, prefix=".hci-arm-emulator-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.chmod(temp, 0o600)
    os.replace(temp, path)


def _banner(emulator: Emulator, env_file: str | None) -> str:
    env = emulator.env()
    lines = [
        "HCI ARM emulator listening on %s" % emulator.base_url,
        "  metadata URL   : %s" % emulator.metadata_url,
        "  CA bundle      : %s" % emulator.ca_bundle,
        "  tenant         : %s" % emulator.tenant_id,
        "  client id      : %s" % emulator.client_id,
        "  client secret  : %s" % emulator.client_secret,
        "  subscriptions  : %s" % ", ".join(emulator.subscription_ids),
        "  clusters       : %d (seed %d)" % (len(emulator.clusters()), emulator.fleet.seed),
        "  control        : %s/_emulator/info" % emulator.base_url,
        "",
    ]
    if env_file:
        lines.append("Use it from a shell:  . %s" % shlex.quote(env_file))
    else:
        lines.append("Use it from a shell:")
        lines.extend("  export %s=%s" % (name, shlex.quote(value)) for name, value in env.items())
    lines.append("Stop with Ctrl-C or SIGTERM.")
    return "\n".join(lines) + "\n"


def serve(args: argparse.Namespace) -> int:
    fleet = FleetConfig(clusters=args.clusters, resource_groups=args.resource_groups, subscriptions=args.subscriptions,
                        seed=args.seed, updates_per_cluster=args.updates_per_cluster)
    if args.state_dir:
        os.makedirs(args.state_dir, exist_ok=True)
    emulator = Emulator(fleet=fleet, token_lifetime=args.token_lifetime, page_size=args.page_size, lro_polls=args.lro_polls,
                        retry_after=args.retry_after, client_secret=args.client_secret, state_dir=args.state_dir,
                        host=args.host, port=args.port)
    stop = threading.Event()

    def on_signal(signum: int, frame: t.Any) -> None:
        del signum, frame
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    emulator.start()
    written = []
    try:
        if args.env_file:
            text = "".join("export %s=%s\n" % (name, shlex.quote(value)) for name, value in emulator.env().items())
            _write_private(args.env_file, text)
            written.append(args.env_file)
        if args.info_file:
            info = emulator.info()
            info.update({"pid": os.getpid(), "client_secret": emulator.client_secret, "identity_header": emulator.identity_header,
                         "env": emulator.env()})
            _write_private(args.info_file, json.dumps(info, indent=2) + "\n")
            written.append(args.info_file)
        if not args.quiet:
            sys.stdout.write(_banner(emulator, args.env_file))
            sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        emulator.stop()
        for path in written:
            try:
                os.remove(path)
            except OSError:
                pass
    if not args.quiet:
        sys.stdout.write("HCI ARM emulator stopped.\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return serve(args)
    except ValueError as exc:
        sys.stderr.write("hci_arm_emulator: %s\n" % exc)
        return 2
