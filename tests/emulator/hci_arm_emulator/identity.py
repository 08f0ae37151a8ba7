# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small Microsoft Entra ID: OIDC discovery, the v2.0 token endpoint (client credentials with a
secret, a certificate-signed client assertion or a federated token), an App Service style managed
identity endpoint, and the table of issued access tokens that ARM requests are checked against.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
import typing as t
import uuid

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from . import timefmt
from .responses import Response, aad_error

DEFAULT_TENANT_ID = "7d3a9c41-5b2e-4f68-9a1d-2c8e6b0f4a17"
DEFAULT_CLIENT_ID = "3f6e2b8a-91c4-4d7e-b5a2-6c0d8e4f1a93"
DEFAULT_MANAGED_IDENTITY_CLIENT_ID = "a41c7e92-6d3b-4f05-8e1a-9b2c5d7f3e60"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
_IGNORED_SCOPES = frozenset(("openid", "profile", "offline_access"))
_CLOCK_SKEW = 300


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def generate_secret() -> str:
    """A random secret shaped like an Entra ID client secret value (40 characters, with the ``~``)."""
    return secrets.token_urlsafe(3)[:3] + "8Q~" + secrets.token_urlsafe(32)[:34]


@dataclasses.dataclass
class RegisteredCertificate:
    sha1: bytes
    sha256: bytes
    public_key: t.Any

    @classmethod
    def load(cls, certificate: str | bytes) -> "RegisteredCertificate":
        """From PEM text/bytes, or the path of a PEM file (which may also hold the private key)."""
        if isinstance(certificate, str) and "-----BEGIN" not in certificate:
            with open(certificate, "rb") as handle:
                data = handle.read()
        else:
            data = certificate.encode("ascii") if isinstance(certificate, str) else certificate
        cert = x509.load_pem_x509_certificate(data)
        return cls(cert.fingerprint(hashes.SHA1()), cert.fingerprint(hashes.SHA256()), cert.public_key())  # nosec


@dataclasses.dataclass
class ServicePrincipal:
    """An app registration / service principal. ``certificates`` are PEM texts or paths of PEM files."""

    client_id: str = DEFAULT_CLIENT_ID
    tenant_id: str = DEFAULT_TENANT_ID
    client_secret: str | None = None
    certificates: list[str | bytes] = dataclasses.field(default_factory=list)
    federated_tokens: list[str] = dataclasses.field(default_factory=list)
    object_id: str = ""
    display_name: str = "hcifleet-automation"

    def __post_init__(self) -> None:
        if not self.object_id:
            self.object_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "sp:%s:%s" % (self.tenant_id, self.client_id)))
        self._registered = [RegisteredCertificate.load(cert) for cert in self.certificates]

    def add_certificate(self, certificate: str | bytes) -> None:
        self.certificates.append(certificate)
        self._registered.append(RegisteredCertificate.load(certificate))

    @property
    def registered_certificates(self) -> list[RegisteredCertificate]:
        return list(self._registered)


@dataclasses.dataclass
class ManagedIdentity:
    """The identity behind ``GET /msi/token`` (App Service style, header ``X-IDENTITY-HEADER``)."""

    identity_header: str = ""
    client_id: str = DEFAULT_MANAGED_IDENTITY_CLIENT_ID
    tenant_id: str = DEFAULT_TENANT_ID
    object_id: str = ""

    def __post_init__(self) -> None:
        if not self.identity_header:
            self.identity_header = secrets.token_hex(16)
        if not self.object_id:
            self.object_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "mi:%s" % self.client_id))


@dataclasses.dataclass
class TokenRecord:
    client_id: str
    tenant_id: str
    object_id: str
    audience: str
    expires_at: float
    principal_type: str = "Application"


class AuthError(Exception):
    """Why a bearer token was refused (ARM error code and message)."""

    def __init__(self, code: str, message: str, description: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.description = description


class Identity:
    def __init__(self, base_url: t.Callable[[], str], service_principals: t.Iterable[ServicePrincipal],
                 managed_identity: ManagedIdentity, token_lifetime: t.Callable[[], int]) -> None:
        self._base_url = base_url
        self._lock = threading.Lock()
        self._principals: list[ServicePrincipal] = list(service_principals)
        self.managed_identity = managed_identity
        self._token_lifetime = token_lifetime
        self._tokens: dict[str, TokenRecord] = {}
        self._signing_key = os.urandom(32)

    # ----------------------------------------------------------------- principals
    @property
    def principals(self) -> list[ServicePrincipal]:
        with self._lock:
            return list(self._principals)

    def add(self, principal: ServicePrincipal) -> ServicePrincipal:
        with self._lock:
            self._principals.append(principal)
        return principal

    def tenants(self) -> set[str]:
        with self._lock:
            tenants = {p.tenant_id.lower() for p in self._principals}
        tenants.add(self.managed_identity.tenant_id.lower())
        return tenants

    # ----------------------------------------------------------------- tokens
    def audience(self) -> str:
        return self._base_url()

    def issue(self, client_id: str, tenant_id: str, object_id: str, principal_type: str = "Application") -> tuple[str, int]:
        lifetime = int(self._token_lifetime())
        now = int(time.time())
        claims = {
            "aud": self.audience(),
            "iss": "%s/%s/" % (self._base_url(), tenant_id),
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
            "appid": client_id,
            "appidacr": "1",
            "idtyp": "app",
            "oid": object_id,
            "sub": object_id,
            "tid": tenant_id,
            "ver": "1.0",
            "uti": secrets.token_urlsafe(16),
        }
        header = _b64url(json.dumps({"typ": "JWT", "alg": "HS256", "kid": "hci-arm-emulator"}).encode())
        body = _b64url(json.dumps(claims, separators=(",", ":")).encode())
        signature = _b64url(hmac.new(self._signing_key, ("%s.%s" % (header, body)).encode(), hashlib.sha256).digest())
        token = "%s.%s.%s" % (header, body, signature)
        with self._lock:
            self._prune(now)
            self._tokens[token] = TokenRecord(client_id, tenant_id, object_id, self.audience(), float(now + lifetime),
                                              principal_type)
        return token, lifetime

    def _prune(self, now: float) -> None:
        if len(self._tokens) > 20000:
            for token in [tok for tok, rec in self._tokens.items() if rec.expires_at < now - 3600]:
                del self._tokens[token]

    def expire_all(self) -> int:
        """Every token issued so far is expired from now on. Returns how many tokens were affected."""
        now = time.time()
        count = 0
        with self._lock:
            for record in self._tokens.values():
                if record.expires_at > now - 1:
                    record.expires_at = now - 1
                    count += 1
        return count

    def issued_tokens(self) -> list[str]:
        """Every access token issued so far (tests scan output for them)."""
        with self._lock:
            return list(self._tokens)

    def lookup(self, token: str) -> TokenRecord | None:
        with self._lock:
            record = self._tokens.get(token)
            return dataclasses.replace(record) if record else None

    def check_authorization(self, header: str | None) -> TokenRecord:
        """Validate an ``Authorization`` header for ARM; raises AuthError like ARM refuses."""
        if not header:
            raise AuthError("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.",
                            "The authentication failed because of missing 'Authorization' header.")
        parts = header.strip().split(None, 1)
        scheme = parts[0] if parts else ""
        token = parts[1].strip() if len(parts) > 1 else ""
        if scheme.lower() != "bearer" or not token:
            raise AuthError("AuthenticationFailed", "Authentication failed. The 'Authorization' header is provided in an invalid format.",
                            "The authentication failed because of invalid 'Authorization' header.")
        record = self.lookup(token)
        if record is None:
            raise AuthError("InvalidAuthenticationToken", "The access token is invalid.", "The access token is invalid.")
        if record.audience.rstrip("/").lower() != self.audience().rstrip("/").lower():
            raise AuthError("InvalidAuthenticationTokenAudience",
                            "The access token has been obtained for wrong audience or resource '%s'. It should exactly match with "
                            "one of the allowed audiences '%s/'." % (record.audience, self.audience()),
                            "The access token has been obtained for wrong audience.")
        now = time.time()
        if record.expires_at <= now:
            raise expired_error(record.expires_at, now)
        return record

    # ----------------------------------------------------------------- endpoints
    def _resolve_tenant(self, tenant: str) -> str | None:
        key = tenant.lower()
        return key if key in self.tenants() else None

    def openid_configuration(self, tenant: str) -> Response:
        known = self._resolve_tenant(tenant)
        if known is None and tenant.lower() not in ("common", "organizations", "consumers"):
            return aad_error(400, "invalid_tenant", 90002, _tenant_not_found(tenant))
        base = self._base_url()
        path_tenant = known or tenant
        issuer_tenant = known or "{tenantid}"
        prefix = "%s/%s" % (base, path_tenant)
        doc = {
            "token_endpoint": prefix + "/oauth2/v2.0/token",
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "jwks_uri": prefix + "/discovery/v2.0/keys",
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": "%s/%s/v2.0" % (base, issuer_tenant),
            "request_uri_parameter_supported": False,
            "userinfo_endpoint": base + "/oidc/userinfo",
            "authorization_endpoint": prefix + "/oauth2/v2.0/authorize",
            "device_authorization_endpoint": prefix + "/oauth2/v2.0/devicecode",
            "http_logout_supported": True,
            "frontchannel_logout_supported": True,
            "end_session_endpoint": prefix + "/oauth2/v2.0/logout",
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "tid", "ver", "oid"],
            "kerberos_endpoint": prefix + "/kerberos",
            "tenant_region_scope": "NA",
            "cloud_instance_name": "hci-arm-emulator",
            "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": "graph.microsoft.com",
            "rbac_url": "https://pas.windows.net",
        }
        return Response(200, doc)

    def token(self, tenant: str, form: dict[str, list[str]], correlation_id: str | None) -> tuple[Response, str | None]:
        """The v2.0 token endpoint. Returns the response and the client id the token was issued to (or None)."""
        def field(name: str) -> str | None:
            values = form.get(name)
            return values[0] if values else None

        def fail(status: int, error: str, code: int, description: str) -> tuple[Response, None]:
            return aad_error(status, error, code, description, correlation_id), None

        grant_type = field("grant_type")
        if grant_type != "client_credentials":
            return fail(400, "unsupported_grant_type", 70003,
                        "The app requested an unsupported grant type '%s'. This emulator supports 'client_credentials' only." % grant_type)
        if tenant.lower() in ("common", "organizations", "consumers"):
            return fail(400, "invalid_request", 50059,
                        "No tenant-identifying information found in either the request or implied by any provided credentials.")
        tenant_id = self._resolve_tenant(tenant)
        if tenant_id is None:
            return fail(400, "invalid_request", 90002, _tenant_not_found(tenant))
        client_id = field("client_id")
        if not client_id:
            return fail(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.")
        principal = None
        for candidate in self.principals:
            if candidate.client_id.lower() == client_id.lower() and candidate.tenant_id.lower() == tenant_id:
                principal = candidate
                break
        if principal is None:
            return fail(400, "unauthorized_client", 700016,
                        "Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has "
                        "not been installed by the administrator of the tenant or consented to by any user in the tenant. You may "
                        "have sent your authentication request to the wrong tenant." % (client_id, tenant))
        scope_error = self._check_scope(field("scope"))
        if scope_error:
            return fail(400, "invalid_scope", 70011, scope_error)
        secret = field("client_secret")
        assertion = field("client_assertion")
        if secret is not None:
            if principal.client_secret is None or not hmac.compare_digest(secret.encode(), principal.client_secret.encode()):
                return fail(401, "invalid_client", 7000215,
                            "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, "
                            "not the client secret ID, for a secret added to app '%s'." % principal.client_id)
        elif assertion is not None:
            if field("client_assertion_type") != JWT_BEARER:
                return fail(400, "invalid_request", 700023,
                            "The client_assertion_type '%s' is not supported. Use '%s'." % (field("client_assertion_type"), JWT_BEARER))
            problem = self._check_assertion(principal, assertion, tenant)
            if problem:
                return fail(*problem)
        else:
            return fail(401, "invalid_client", 7000218,
                        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
        token, lifetime = self.issue(principal.client_id, principal.tenant_id, principal.object_id)
        body = {"token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": token}
        return Response(200, body, {"Cache-Control": "no-store, no-cache", "Pragma": "no-cache"}), principal.client_id

    def _check_scope(self, scope: str | None) -> str | None:
        requested = [s for s in (scope or "").split() if s.lower() not in _IGNORED_SCOPES]
        base = self.audience().rstrip("/").lower()
        allowed = {base + "/.default", base + "//.default"}
        if len(requested) == 1 and requested[0].lower() in allowed:
            return None
        return ("The provided request must include a 'scope' input parameter. The provided value for the input parameter "
                "'scope' is not valid. The scope '%s' is not valid. The only scope this resource accepts is '%s/.default'."
                % (scope or "", self.audience()))

    def _check_assertion(self, principal: ServicePrincipal, assertion: str,
                         path_tenant: str) -> tuple[int, str, int, str] | None:
        for federated in principal.federated_tokens:
            if hmac.compare_digest(assertion.encode(), federated.encode()):
                return None
        try:
            head_b64, claims_b64, sig_b64 = assertion.split(".")
            header = json.loads(_b64url_decode(head_b64))
            claims = json.loads(_b64url_decode(claims_b64))
            signature = _b64url_decode(sig_b64)
        except (ValueError, binascii.Error):
            header = claims = None
        certificate_signed = isinstance(header, dict) and isinstance(claims, dict) and ("x5t" in header or "x5t#S256" in header)
        if not certificate_signed and principal.federated_tokens:
            return (400, "invalid_request", 70021, "No matching federated identity record found for presented assertion.")
        if not isinstance(header, dict) or not isinstance(claims, dict):
            return (400, "invalid_client", 50027, "JWT token is invalid or malformed.")
        if not certificate_signed:
            return (401, "invalid_client", 700027, "Client assertion contains an invalid signature. No 'x5t' or 'x5t#S256' header.")
        cert = self._find_certificate(principal, header)
        if cert is None:
            return (401, "invalid_client", 700027,
                    "Client assertion failed signature validation. The certificate with the identifier used to sign the client "
                    "assertion is not registered on application '%s'." % principal.client_id)
        signed = ("%s.%s" % (head_b64, claims_b64)).encode("ascii")
        algorithm = header.get("alg")
        if not isinstance(cert.public_key, rsa.RSAPublicKey) or algorithm not in ("RS256", "PS256"):
            return (401, "invalid_client", 700027, "Client assertion uses an unsupported algorithm '%s'." % algorithm)
        pad: padding.AsymmetricPadding
        if algorithm == "RS256":
            pad = padding.PKCS1v15()
        else:
            pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
        try:
            cert.public_key.verify(signature, signed, pad, hashes.SHA256())
        except InvalidSignature:
            return (401, "invalid_client", 700027, "Client assertion failed signature validation.")
        now = time.time()
        base = self.audience().rstrip("/").lower()
        audiences = set()
        for tenant in (path_tenant.lower(), principal.tenant_id.lower()):
            audiences.update(("%s/%s/oauth2/v2.0/token" % (base, tenant), "%s/%s/oauth2/token" % (base, tenant)))
        if str(claims.get("aud", "")).lower() not in audiences:
            return (400, "invalid_client", 700212, "The audience '%s' of the client assertion is not valid." % claims.get("aud"))
        if claims.get("iss") != principal.client_id or claims.get("sub") != principal.client_id:
            return (400, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter.")
        exp, nbf = claims.get("exp"), claims.get("nbf", claims.get("iat", 0))
        if not isinstance(exp, (int, float)) or exp < now - _CLOCK_SKEW or not isinstance(nbf, (int, float)) or nbf > now + _CLOCK_SKEW:
            return (400, "invalid_client", 700024, "Client assertion is not within its valid time range.")
        return None

    @staticmethod
    def _find_certificate(principal: ServicePrincipal, header: dict) -> RegisteredCertificate | None:
        try:
            sha256 = _b64url_decode(header["x5t#S256"]) if isinstance(header.get("x5t#S256"), str) else None
            sha1 = _b64url_decode(header["x5t"]) if isinstance(header.get("x5t"), str) else None
        except (ValueError, binascii.Error):
            return None
        for cert in principal.registered_certificates:
            if (sha256 is not None and cert.sha256 == sha256) or (sha1 is not None and cert.sha1 == sha1):
                return cert
        return None

    def msi_token(self, query: dict[str, list[str]], identity_header: str | None) -> tuple[Response, str | None]:
        """App Service managed identity endpoint (api-version 2019-08-01)."""
        mi = self.managed_identity

        def fail(status: int, message: str) -> tuple[Response, None]:
            return Response(status, {"statusCode": status, "message": message, "correlationId": str(uuid.uuid4())}), None

        if not identity_header or not hmac.compare_digest(identity_header.encode(), mi.identity_header.encode()):
            return fail(401, "The 'X-IDENTITY-HEADER' header is missing or does not match.")
        api_version = (query.get("api-version") or [None])[0]
        if api_version != "2019-08-01":
            return fail(400, "Unsupported api-version '%s'. Use '2019-08-01'." % api_version)
        resource = (query.get("resource") or [""])[0]
        if resource.rstrip("/").lower() != self.audience().rstrip("/").lower():
            return fail(400, "AADSTS500011: The resource principal named %s was not found in the tenant named %s." % (resource, mi.tenant_id))
        for key in ("client_id", "principal_id", "object_id", "mi_res_id"):
            requested = (query.get(key) or [None])[0]
            if requested and key == "client_id" and requested.lower() != mi.client_id.lower():
                return fail(400, "No managed identity with client_id '%s' is assigned." % requested)
            if requested and key in ("principal_id", "object_id") and requested.lower() != mi.object_id.lower():
                return fail(400, "No managed identity with object id '%s' is assigned." % requested)
        token, lifetime = self.issue(mi.client_id, mi.tenant_id, mi.object_id, "ManagedIdentity")
        body = {
            "access_token": token,
            "expires_on": str(int(time.time()) + lifetime),
            "resource": resource,
            "token_type": "Bearer",
            "client_id": mi.client_id,
        }
        return Response(200, body), mi.client_id


def expired_error(expires_at: float, now: float) -> AuthError:
    return AuthError("ExpiredAuthenticationToken",
                     "The access token expiry UTC time '%s' is earlier than current UTC time '%s'."
                     % (timefmt.dotnet_utc(expires_at), timefmt.dotnet_utc(now)),
                     "The access token has expired.")


def _tenant_not_found(tenant: str) -> str:
    return ("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. "
            "Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant." % tenant)
