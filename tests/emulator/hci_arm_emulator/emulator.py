# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Emulator: wires certificates, identity, ARM, faults, the request log and the HTTPS server together."""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import time
import traceback
import typing as t

from . import control, paths, regions
from .arm import Arm, system_data
from .certs import ServerCertificates
from .config import Settings
from .faults import FaultTable
from .identity import Identity, ManagedIdentity, ServicePrincipal, TokenRecord, generate_secret
from .log import RequestLog
from .pipeline import Pipeline, Request
from .responses import Response
from .seed import FleetConfig, SeededCluster, build
from .server import HttpsServer
from .store import Store
from .validation import ValidationError, validate_update_run


class Emulator:
    """A local ARM + Entra ID over HTTPS. See tests/emulator/README.md."""

    # pylint: disable=too-many-instance-attributes,too-many-public-methods

    def __init__(self, fleet: FleetConfig | None = None, *, token_lifetime: int = 3600, page_size: int = 5, lro_polls: int = 1,
                 retry_after: int = 1, client_secret: str | None = None,
                 service_principals: t.Iterable[ServicePrincipal] | None = None,
                 managed_identity: ManagedIdentity | None = None, state_dir: str | None = None,
                 host: str = "127.0.0.1", port: int = 0) -> None:
        # pylint: disable=too-many-arguments
        self._initial_fleet = fleet or FleetConfig()
        self.fleet = self._initial_fleet
        self._initial_settings = Settings(token_lifetime=token_lifetime, page_size=page_size, lro_polls=lro_polls,
                                          retry_after=retry_after)
        self._initial_settings.validate()
        self.settings = self._initial_settings
        principals = list(service_principals or [])
        if not principals:
            principals = [ServicePrincipal(client_secret=client_secret or generate_secret())]
        self._default_principal = principals[0]
        self._host = host
        self._port = port
        self._state_dir = state_dir
        self._own_state_dir = False
        self._stopping = threading.Event()
        self._server: HttpsServer | None = None
        self._thread: threading.Thread | None = None
        self._certs: ServerCertificates | None = None
        self._base_url = ""
        self.store = Store()
        self.faults_table = FaultTable()
        self.log = RequestLog()
        self.identity = Identity(lambda: self._base_url, principals, managed_identity or ManagedIdentity(
            tenant_id=self._default_principal.tenant_id), lambda: self.settings.token_lifetime)
        self.arm = Arm(self.store, lambda: self.settings, lambda: self._base_url, self.faults_table)
        self.pipeline = Pipeline(identity=self.identity, arm=self.arm, faults=self.faults_table, log=self.log,
                                 base_url=lambda: self._base_url, stopping=self._stopping)
        self._clusters: list[SeededCluster] = []
        self._load(self.fleet)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> "Emulator":
        if self._server is not None:
            return self
        if self._state_dir is None:
            self._state_dir = tempfile.mkdtemp(prefix="hci-arm-emulator-")
            self._own_state_dir = True
        self._certs = ServerCertificates(self._state_dir)
        self._stopping.clear()
        self._server = HttpsServer((self._host, self._port), self._certs.server_context(), self._dispatch, self._report_error)
        self._base_url = "https://%s:%d" % (self._host, self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="hci-arm-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        server.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._own_state_dir and self._state_dir:
            shutil.rmtree(self._state_dir, ignore_errors=True)
            self._state_dir = None
            self._own_state_dir = False

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc_info: t.Any) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    def _dispatch(self, request: Request) -> Response | None:
        if request.path == control.PREFIX or request.path.startswith(control.PREFIX + "/"):
            return control.handle(self, request.method, request.path, request.query, request.body)
        return self.pipeline.process(request)

    @staticmethod
    def _report_error(exc: BaseException) -> None:
        # the type and the stack only: an exception message could quote request content
        sys.stderr.write("hci-arm-emulator: internal error %s\n%s" % (type(exc).__name__, "".join(traceback.format_tb(exc.__traceback__))))

    # ------------------------------------------------------------------ facts
    @property
    def base_url(self) -> str:
        self._require_started()
        return self._base_url

    @property
    def port(self) -> int:
        self._require_started()
        return int(self._base_url.rsplit(":", 1)[1])

    @property
    def metadata_url(self) -> str:
        return self.base_url + "/metadata/endpoints?api-version=2022-09-01"

    @property
    def ca_bundle(self) -> str:
        self._require_started()
        if self._certs is None:
            raise RuntimeError("the emulator is not started")
        return self._certs.ca_bundle

    @property
    def state_dir(self) -> str | None:
        return self._state_dir

    @property
    def tenant_id(self) -> str:
        return self._default_principal.tenant_id

    @property
    def client_id(self) -> str:
        return self._default_principal.client_id

    @property
    def client_secret(self) -> str:
        return self._default_principal.client_secret or ""

    @property
    def subscription_ids(self) -> list[str]:
        with self.store.lock:
            return [s["subscriptionId"] for s in self.store.subscriptions.values()]

    @property
    def subscription_id(self) -> str:
        ids = self.subscription_ids
        return ids[0] if ids else ""

    @property
    def identity_endpoint(self) -> str:
        return self.base_url + "/msi/token"

    @property
    def identity_header(self) -> str:
        return self.identity.managed_identity.identity_header

    @property
    def managed_identity_client_id(self) -> str:
        return self.identity.managed_identity.client_id

    def env(self) -> dict[str, str]:
        """Environment for a subprocess, with the AWX "Microsoft Azure Resource Manager" credential names."""
        return {
            "AZURE_SUBSCRIPTION_ID": self.subscription_id,
            "AZURE_CLIENT_ID": self.client_id,
            "AZURE_SECRET": self.client_secret,
            "AZURE_TENANT": self.tenant_id,
            "AZURE_CLOUD_ENVIRONMENT": self.metadata_url,
            "REQUESTS_CA_BUNDLE": self.ca_bundle,
            "SSL_CERT_FILE": self.ca_bundle,
        }

    def msi_env(self) -> dict[str, str]:
        """IDENTITY_ENDPOINT / IDENTITY_HEADER for azure-identity's ManagedIdentityCredential (App Service flavour)."""
        return {"IDENTITY_ENDPOINT": self.identity_endpoint, "IDENTITY_HEADER": self.identity_header}

    def info(self) -> dict[str, t.Any]:
        """Public facts (never the secret)."""
        return {
            "base_url": self.base_url,
            "metadata_url": self.metadata_url,
            "ca_bundle": self.ca_bundle,
            "tenant_id": self.tenant_id,
            "client_id": self.client_id,
            "subscription_id": self.subscription_id,
            "subscription_ids": self.subscription_ids,
            "identity_endpoint": self.identity_endpoint,
            "managed_identity_client_id": self.managed_identity_client_id,
            "fleet": self.fleet.to_dict(),
            "settings": self.settings.to_dict(),
            "clusters": self.clusters(),
        }

    def clusters(self) -> list[dict[str, t.Any]]:
        """The seeded fleet: subscription_id, resource_group, name, location (short form), tags, scenario."""
        return [cluster.to_dict() for cluster in self._clusters]

    def _require_started(self) -> None:
        if not self._base_url:
            raise RuntimeError("the emulator is not started; call start() first")

    # ------------------------------------------------------------------ settings
    def configure(self, **changes: t.Any) -> Settings:
        self.settings = self.settings.updated(changes)
        return self.settings

    @property
    def token_lifetime(self) -> int:
        return self.settings.token_lifetime

    @token_lifetime.setter
    def token_lifetime(self, value: int) -> None:
        self.configure(token_lifetime=value)

    @property
    def page_size(self) -> int:
        return self.settings.page_size

    @page_size.setter
    def page_size(self, value: int) -> None:
        self.configure(page_size=value)

    @property
    def lro_polls(self) -> int:
        return self.settings.lro_polls

    @lro_polls.setter
    def lro_polls(self, value: int) -> None:
        self.configure(lro_polls=value)

    @property
    def retry_after(self) -> int:
        return self.settings.retry_after

    @retry_after.setter
    def retry_after(self, value: int) -> None:
        self.configure(retry_after=value)

    # ------------------------------------------------------------------ principals and tokens
    def add_service_principal(self, client_id: str, tenant_id: str | None = None, client_secret: str | None = None,
                              certificates: t.Iterable[str | bytes] = (), federated_tokens: t.Iterable[str] = ()) -> ServicePrincipal:
        principal = ServicePrincipal(client_id=client_id, tenant_id=tenant_id or self.tenant_id, client_secret=client_secret,
                                     certificates=list(certificates), federated_tokens=list(federated_tokens))
        return self.identity.add(principal)

    @property
    def service_principal(self) -> ServicePrincipal:
        """The default service principal (add a certificate or a federated token to it for those flows)."""
        return self._default_principal

    def expire_tokens(self) -> int:
        return self.identity.expire_all()

    def issued_tokens(self) -> list[str]:
        return self.identity.issued_tokens()

    # ------------------------------------------------------------------ faults and log
    def inject(self, kind: str, count: int = 1, method: str | None = None, path: str | None = None, **options: t.Any) -> str:
        return self.faults_table.add(kind, count=count, method=method, path=path, **options)

    def faults(self) -> list[dict[str, t.Any]]:
        return self.faults_table.list()

    def clear_faults(self) -> int:
        return self.faults_table.clear()

    def requests(self, kind: str | None = None, since: int = 0) -> list[dict[str, t.Any]]:
        return self.log.entries(kind=kind, since=since)

    def last_request_seq(self) -> int:
        return self.log.last_seq

    def clear_requests(self) -> int:
        return self.log.clear()

    # ------------------------------------------------------------------ data
    def _load(self, fleet: FleetConfig) -> None:
        store, clusters = build(fleet, self.tenant_id)
        self.store.replace_all(store)
        self.fleet = fleet
        self._clusters = clusters

    def reset(self, fleet: FleetConfig | None = None) -> None:
        """Back to the seeded state of ``fleet`` (default: the fleet given at construction) and the startup
        settings; faults and the request log are cleared. Issued tokens stay valid."""
        self._load(fleet or self._initial_fleet)
        self.settings = self._initial_settings
        self.faults_table.clear()
        self.log.clear()

    def get_resource(self, resource_id: str) -> dict[str, t.Any] | None:
        return self.store.get(resource_id)

    def delete_resource(self, resource_id: str) -> bool:
        return self.store.delete(resource_id)

    def put_resource(self, resource_id: str, body: dict[str, t.Any]) -> dict[str, t.Any]:
        """Write a cluster, update, update run or update summary directly (test set-up). The server fills
        id, name, type, systemData and properties.provisioningState as for PUT. Raises ValueError."""
        # pylint: disable=too-many-locals
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        route = paths.parse(resource_id)
        if route.target not in ("cluster", "update", "updateRun", "updateSummary"):
            raise ValueError("put_resource supports clusters, updates, update runs and update summaries, not %r" % resource_id)
        principal = TokenRecord(self.client_id, self.tenant_id, self._default_principal.object_id, "", time.time())
        sub, rg, cluster = route.subscription or "", route.resource_group or "", route.cluster or ""
        with self.store.lock:
            if self.store.subscription(sub) is None:
                raise ValueError("unknown subscription %r" % sub)
            group = self.store.resource_group(sub, rg)
            cid = paths.cluster_id(sub, rg, cluster)
            if route.target == "cluster":
                location = regions.short_name(str(body.get("location") or (group or {}).get("location") or "eastus"))
                if location is None:
                    raise ValueError("unknown location %r" % body.get("location"))
                if group is None:
                    self.store.add_resource_group(sub, rg, location)
                existing = self.store.get(cid)
                properties = {"provisioningState": "Succeeded"}
                properties.update(body.get("properties") or {})
                resource = {"id": existing["id"] if existing else cid, "name": existing["name"] if existing else cluster,
                            "type": paths.CLUSTER_TYPE, "location": location, "tags": dict(body.get("tags") or {}),
                            "systemData": system_data(principal, existing), "properties": properties}
                self.store.put(resource)
                return self.store.get(cid) or resource
            if group is None or not self.store.exists(cid):
                raise ValueError("the parent cluster of %r does not exist" % resource_id)
            if route.target == "updateRun":
                uid = paths.update_id(sub, rg, cluster, route.update or "")
                if not self.store.exists(uid):
                    raise ValueError("the parent update of %r does not exist" % resource_id)
                try:
                    clean = validate_update_run(body)
                except ValidationError as exc:
                    raise ValueError("invalid update run body at %s: %s" % (exc.path, exc.message)) from None
                rid = paths.update_run_id(sub, rg, cluster, route.update or "", route.run or "")
                resource = self.arm.build_update_run(route, rid, clean, principal)
                self.store.put(resource)
                return self.store.get(rid) or resource
            if route.target == "update":
                rid, name, rtype = paths.update_id(sub, rg, cluster, route.update or ""), route.update or "", paths.UPDATE_TYPE
            else:
                if (route.summary or "").lower() != "default":
                    raise ValueError("the update summary is a singleton named 'default'")
                rid, name, rtype = paths.update_summary_id(sub, rg, cluster), "default", paths.UPDATE_SUMMARY_TYPE
            existing = self.store.get(rid)
            cluster_location = (self.store.get(cid) or {}).get("location", "")
            display = regions.display_name(str(body.get("location") or cluster_location)) or cluster_location
            properties = {"provisioningState": "Succeeded"}
            properties.update(body.get("properties") or {})
            resource = {"id": existing["id"] if existing else rid, "name": existing["name"] if existing else name, "type": rtype,
                        "location": display, "systemData": system_data(principal, existing), "properties": properties}
            self.store.put(resource)
            return self.store.get(rid) or resource
