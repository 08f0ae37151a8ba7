# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    """The shared authentication/connection options, for inventory plugins of hcifleet.azure_hci.

    The same options as module_utils/_auth_options.py AUTH_OPTIONS (hcifleet.azure_hci.azure documents
    them for modules), plus the ``env:`` entries through which Ansible's configuration reads them.
    Ansible's configuration takes the LAST listed variable that is set, while modules (env_fallback)
    take the first, so each ``env:`` list is AUTH_OPTIONS' list REVERSED: both then prefer AZURE_SECRET
    to AZURE_CLIENT_SECRET and AZURE_TENANT to AZURE_TENANT_ID. tests/unit/plugins/inventory keeps
    names, types, defaults, choices and the environment precedence equal to AUTH_OPTIONS.
    """

    DOCUMENTATION = r'''
options:
  auth_source:
    description:
      - Where the credential comes from.
      - V(auto) uses a service principal when O(client_id) and O(secret) (or O(client_certificate_path)) are set,
        workload identity when O(client_id) and O(federated_token_file) are set, and otherwise a managed identity,
        then the Azure CLI login.
      - V(env) requires a service principal from the options or the environment (the variables an AWX
        "Microsoft Azure Resource Manager" credential injects).
      - V(cli) uses the account logged in with C(az login) on the controller.
      - V(msi) uses the managed identity of the Azure VM or container that runs Ansible (O(client_id) selects a
        user-assigned identity).
      - V(workload_identity) uses a federated token file, as on AKS-hosted AWX with workload identity.
    type: str
    default: auto
    choices: [auto, env, cli, msi, workload_identity]
    env:
      - name: ANSIBLE_AZURE_AUTH_SOURCE
  client_id:
    description:
      - Application (client) id of the service principal, user-assigned managed identity or workload identity.
    type: str
    env:
      - name: AZURE_CLIENT_ID
  secret:
    description:
      - Client secret of the service principal. It is used only to request a token, and is never part of the
        inventory, its cache or a message.
      - When both E(AZURE_SECRET) and E(AZURE_CLIENT_SECRET) are set, E(AZURE_SECRET) wins, as for the modules.
    type: str
    env:
      - name: AZURE_CLIENT_SECRET
      - name: AZURE_SECRET
  tenant:
    description:
      - Directory (tenant) id of the service principal or workload identity.
      - When both E(AZURE_TENANT) and E(AZURE_TENANT_ID) are set, E(AZURE_TENANT) wins, as for the modules.
    type: str
    env:
      - name: AZURE_TENANT_ID
      - name: AZURE_TENANT
  client_certificate_path:
    description:
      - Path of a PEM or PKCS12 file with the service principal's certificate and private key, instead of O(secret).
    type: path
    env:
      - name: AZURE_CLIENT_CERTIFICATE_PATH
  client_certificate_password:
    description:
      - Password of the certificate file, if it has one. Never part of the inventory, its cache or a message.
    type: str
    env:
      - name: AZURE_CLIENT_CERTIFICATE_PASSWORD
  federated_token_file:
    description:
      - File holding a federated identity token (workload identity).
    type: path
    env:
      - name: AZURE_FEDERATED_TOKEN_FILE
  cloud_environment:
    description:
      - The Azure cloud. V(AzureCloud), V(AzureUSGovernment) or V(AzureChinaCloud); or a cloud metadata URL such as
        C(https://management.azure.com/metadata/endpoints?api-version=2022-09-01), the way Azure Stack users point
        Azure tools at their cloud. A metadata URL is read once per inventory parse (one anonymous GET); both the
        2015-01-01 object form and the 2019-05-01+ list form are understood.
    type: str
    default: AzureCloud
    env:
      - name: AZURE_CLOUD_ENVIRONMENT
  authority_host:
    description:
      - Microsoft Entra ID authority to request tokens from, overriding the cloud's own login endpoint.
    type: str
    env:
      - name: AZURE_AUTHORITY_HOST
  disable_instance_discovery:
    description:
      - Skip Microsoft Entra instance discovery (metadata about the authority) before requesting a token.
      - When unset it is skipped automatically for authorities that are not Microsoft's public ones, such as
        an authority named by a cloud metadata URL.
    type: bool
    env:
      - name: AZURE_DISABLE_INSTANCE_DISCOVERY
  ca_path:
    description:
      - PEM bundle of the certificate authorities to trust for ARM, the metadata URL and the token endpoint.
      - When unset, E(REQUESTS_CA_BUNDLE) applies, else the bundle of C(requests) (C(certifi), not the system trust store).
    type: path
  request_timeout:
    description:
      - Seconds to wait for each HTTP answer before the attempt counts as failed (and is retried); at most 86400.
    type: float
    default: 30
  max_retries:
    description:
      - How many times a request is retried after throttling (429), a 5xx answer, a dropped connection, a timeout
        or a malformed answer, before the inventory source fails with ARM's error code, message and request id.
    type: int
    default: 5
  max_retry_delay:
    description:
      - Upper bound in seconds for one wait between retries, including waits that the server asks for with
        C(Retry-After); at most 86400.
    type: float
    default: 60
'''
