# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Entra ID side: real azure-identity credentials against the emulator, and Entra-like refusals."""

from __future__ import annotations

import datetime
import re
import time

import msal
import pytest
from azure.core.exceptions import ClientAuthenticationError
from azure.identity import (CertificateCredential, ClientAssertionCredential, ClientSecretCredential, ManagedIdentityCredential,
                            WorkloadIdentityCredential)
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from conftest import cluster_path

SUBSCRIPTION_LIST = "/subscriptions/%s/providers/Microsoft.AzureStackHCI/clusters"


def _scope(emu):
    return emu.base_url + "/.default"


def _arm_accepts(arm, token):
    response = arm.get(SUBSCRIPTION_LIST % arm.emu.subscription_id, token=token)
    assert response.status_code == 200, response.text
    assert response.json()["value"]


def _self_signed(tmp_path, name="hcifleet-automation"):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    path = tmp_path / ("%s.pem" % name)
    path.write_bytes(key_pem + cert_pem)
    return str(path), key_pem, cert_pem


def test_client_secret_credential_token_is_accepted_by_arm(arm):
    emu = arm.emu
    emu.clear_requests()
    credential = ClientSecretCredential(emu.tenant_id, emu.client_id, emu.client_secret, authority=emu.base_url,
                                        disable_instance_discovery=True, connection_verify=emu.ca_bundle)
    token = credential.get_token(_scope(emu))
    assert token.expires_on > time.time() + 3000
    _arm_accepts(arm, token.token)
    identity_paths = [entry["path"] for entry in emu.requests(kind="identity")]
    # what MSAL asks for with a custom authority and instance discovery off
    assert identity_paths == ["/%s/v2.0/.well-known/openid-configuration" % emu.tenant_id, "/%s/oauth2/v2.0/token" % emu.tenant_id]


def test_wrong_secret_is_refused_like_entra_id(arm):
    emu = arm.emu
    credential = ClientSecretCredential(emu.tenant_id, emu.client_id, "not-the-secret", authority=emu.base_url,
                                        disable_instance_discovery=True, connection_verify=emu.ca_bundle)
    with pytest.raises(ClientAuthenticationError, match="AADSTS7000215"):
        credential.get_token(_scope(emu))
    response = arm.token_request(client_secret="not-the-secret")
    assert response.status_code == 401
    body = response.json()
    assert body["error"] == "invalid_client"
    assert body["error_codes"] == [7000215]
    assert body["error_description"].startswith("AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the "
                                                "request is the client secret value, not the client secret ID")
    assert re.search(r"Trace ID: \S+ Correlation ID: \S+ Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", body["error_description"])
    assert {"timestamp", "trace_id", "correlation_id"} <= set(body)


@pytest.mark.parametrize("form, status, error, code", [
    ({"client_id": "00000000-1111-2222-3333-444444444444"}, 400, "unauthorized_client", 700016),
    ({"tenant": "11111111-2222-3333-4444-555555555555"}, 400, "invalid_request", 90002),
    ({"scope": "https://management.azure.com/.default"}, 400, "invalid_scope", 70011),
    ({"scope": ""}, 400, "invalid_scope", 70011),
    ({"grant_type": "password"}, 400, "unsupported_grant_type", 70003),
])
def test_token_endpoint_refusals(arm, form, status, error, code):
    response = arm.token_request(**form)
    assert response.status_code == status
    body = response.json()
    assert body["error"] == error
    assert body["error_codes"] == [code]
    assert body["error_description"].startswith("AADSTS%d: " % code)


def test_token_response_shape_and_double_slash_scope(arm):
    response = arm.token_request(scope=arm.emu.base_url + "//.default")
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == body["ext_expires_in"] == 3600
    _arm_accepts(arm, body["access_token"])


def test_openid_configuration_matches_the_authority(arm):
    emu = arm.emu
    for path in ("/%s/v2.0/.well-known/openid-configuration", "/%s/.well-known/openid-configuration"):
        response = arm.get(path % emu.tenant_id, token=None, api_version=None)
        assert response.status_code == 200
        doc = response.json()
        assert doc["issuer"] == "%s/%s/v2.0" % (emu.base_url, emu.tenant_id)
        assert doc["token_endpoint"] == "%s/%s/oauth2/v2.0/token" % (emu.base_url, emu.tenant_id)
        assert doc["authorization_endpoint"].startswith(emu.base_url)
    unknown = arm.get("/11111111-2222-3333-4444-555555555555/v2.0/.well-known/openid-configuration", token=None, api_version=None)
    assert unknown.status_code == 400
    assert unknown.json()["error_codes"] == [90002]


def test_msal_accepts_the_issuer_as_an_oidc_authority(arm, monkeypatch):
    """MSAL validates the issuer only for oidc_authority; ours passes that check too."""
    emu = arm.emu
    # plain MSAL puts verify= on a requests.Session, where REQUESTS_CA_BUNDLE wins: set the environment
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", emu.ca_bundle)
    app = msal.ConfidentialClientApplication(emu.client_id, client_credential=emu.client_secret,
                                             oidc_authority="%s/%s/v2.0" % (emu.base_url, emu.tenant_id), verify=emu.ca_bundle)
    result = app.acquire_token_for_client([_scope(emu)])
    assert "access_token" in result, result
    _arm_accepts(arm, result["access_token"])


def test_certificate_credential_sha1_thumbprint_rs256(arm, tmp_path):
    emu = arm.emu
    pem_path, cert_pem = _self_signed(tmp_path)[0::2]
    emu.service_principal.add_certificate(cert_pem)
    credential = CertificateCredential(emu.tenant_id, emu.client_id, certificate_path=pem_path, authority=emu.base_url,
                                       disable_instance_discovery=True, connection_verify=emu.ca_bundle)
    _arm_accepts(arm, credential.get_token(_scope(emu)).token)


def test_msal_certificate_sha256_thumbprint_ps256(arm, tmp_path, monkeypatch):
    emu = arm.emu
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", emu.ca_bundle)
    key_pem, cert_pem = _self_signed(tmp_path)[1:]
    emu.service_principal.add_certificate(cert_pem)
    app = msal.ConfidentialClientApplication(
        emu.client_id, authority="%s/%s" % (emu.base_url, emu.tenant_id), instance_discovery=False, verify=emu.ca_bundle,
        client_credential={"private_key": key_pem.decode(), "public_certificate": cert_pem.decode()})
    result = app.acquire_token_for_client([_scope(emu)])
    assert "access_token" in result, result
    _arm_accepts(arm, result["access_token"])


def test_unregistered_certificate_is_refused(arm, tmp_path):
    emu = arm.emu
    pem_path = _self_signed(tmp_path, "not-registered")[0]
    credential = CertificateCredential(emu.tenant_id, emu.client_id, certificate_path=pem_path, authority=emu.base_url,
                                       disable_instance_discovery=True, connection_verify=emu.ca_bundle)
    with pytest.raises(ClientAuthenticationError, match="AADSTS700027"):
        credential.get_token(_scope(emu))


def test_workload_identity_with_federated_token_file(arm, tmp_path):
    emu = arm.emu
    principal = emu.add_service_principal("5b0d5a3e-7c61-4c8e-9d2f-0a1b2c3d4e5f", federated_tokens=["k8s-sa-token.abc.def"])
    token_file = tmp_path / "token"
    token_file.write_text("k8s-sa-token.abc.def")
    credential = WorkloadIdentityCredential(tenant_id=emu.tenant_id, client_id=principal.client_id, token_file_path=str(token_file),
                                            authority=emu.base_url, connection_verify=emu.ca_bundle)
    _arm_accepts(arm, credential.get_token(_scope(emu)).token)
    entry = emu.requests(kind="arm")[-1]
    assert entry["client_id"] == principal.client_id
    wrong = ClientAssertionCredential(emu.tenant_id, principal.client_id, lambda: "some-other-token", authority=emu.base_url,
                                      connection_verify=emu.ca_bundle)
    with pytest.raises(ClientAuthenticationError, match="AADSTS70021"):
        wrong.get_token(_scope(emu))


def test_managed_identity_credential_app_service(arm, monkeypatch):
    emu = arm.emu
    for name, value in emu.msi_env().items():
        monkeypatch.setenv(name, value)
    credential = ManagedIdentityCredential(connection_verify=emu.ca_bundle)
    token = credential.get_token(_scope(emu))
    _arm_accepts(arm, token.token)
    put = arm.put(cluster_path(emu.clusters()[0]) + "/updates/%s/updateRuns/mi-run" % _first_update(arm), {}, token=token.token)
    assert put.status_code == 200
    assert put.json()["systemData"]["createdBy"] == emu.managed_identity_client_id
    assert put.json()["systemData"]["createdByType"] == "ManagedIdentity"
    refused = arm.get("/msi/token", token=None, api_version="2019-08-01", params={"resource": emu.base_url},
                      headers={"X-IDENTITY-HEADER": "wrong"})
    assert refused.status_code == 401


def _first_update(arm):
    listing = arm.get(cluster_path(arm.emu.clusters()[0]) + "/updates")
    return listing.json()["value"][0]["name"]


def test_expired_token_is_refused_with_arm_401(arm):
    emu = arm.emu
    emu.token_lifetime = 1
    short = arm.new_token()
    time.sleep(1.2)
    response = arm.get(SUBSCRIPTION_LIST % emu.subscription_id, token=short)
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "ExpiredAuthenticationToken"
    assert re.match(r"The access token expiry UTC time '\d+/\d+/\d{4} \d+:\d\d:\d\d [AP]M' is earlier than current UTC time "
                    r"'\d+/\d+/\d{4} \d+:\d\d:\d\d [AP]M'\.$", error["message"])
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer authorization_uri="%s/", error="invalid_token", error_description=' % emu.base_url)


def test_expire_tokens_invalidates_every_issued_token(arm):
    emu = arm.emu
    _arm_accepts(arm, arm.token)
    assert emu.expire_tokens() >= 1
    assert arm.get(SUBSCRIPTION_LIST % emu.subscription_id).json()["error"]["code"] == "ExpiredAuthenticationToken"
    _arm_accepts(arm, arm.new_token())


def test_short_lifetime_makes_azure_identity_fetch_new_tokens(arm):
    emu = arm.emu
    emu.clear_requests()
    emu.token_lifetime = 2
    credential = ClientSecretCredential(emu.tenant_id, emu.client_id, emu.client_secret, authority=emu.base_url,
                                        disable_instance_discovery=True, connection_verify=emu.ca_bundle)
    first = credential.get_token(_scope(emu))
    time.sleep(2.1)
    second = credential.get_token(_scope(emu))
    assert first.token != second.token
    _arm_accepts(arm, second.token)
    assert len([e for e in emu.requests(kind="identity") if e["operation"] == "Token_ClientCredentials"]) == 2


@pytest.mark.parametrize("header, code, message", [
    (None, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."),
    ("Basic dXNlcjpwYXNz", "AuthenticationFailed", "Authentication failed. The 'Authorization' header is provided in an invalid format."),
    ("Bearer not-a-token-we-issued", "InvalidAuthenticationToken", "The access token is invalid."),
])
def test_arm_refuses_missing_or_foreign_tokens(arm, header, code, message):
    headers = {"Authorization": header} if header else {}
    response = arm.get(SUBSCRIPTION_LIST % arm.emu.subscription_id, token=None, headers=headers)
    assert response.status_code == 401
    assert response.json() == {"error": {"code": code, "message": message}}
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert response.headers["x-ms-request-id"]
