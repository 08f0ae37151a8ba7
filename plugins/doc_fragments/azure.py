# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment:
    """Authentication and connection options shared by every plugin of hcifleet.azure_hci.

    The environment variable lists mirror module_utils/_auth_options.py; a unit test keeps them equal.
    """

    # Modules: environment variables are fallbacks for unset options.
    DOCUMENTATION = r'''
options:
  auth_source:
    description:
      - Where the credential comes from.
      - C(auto) uses a service principal when O(client_id) and O(secret) (or O(client_certificate_path)) are set,
        workload identity when O(client_id) and O(federated_token_file) are set, and otherwise a managed identity,
        then the Azure CLI login.
      - C(env) requires a service principal from the options or the environment (the variables an AWX
        "Microsoft Azure Resource Manager" credential injects).
      - C(cli) uses the account logged in with C(az login) on the host that runs the task.
      - C(msi) uses the managed identity of the Azure VM or container that runs the task (O(client_id) selects a
        user-assigned identity).
      - C(workload_identity) uses a federated token file, as on AKS-hosted AWX with workload identity.
      - Falls back to the E(ANSIBLE_AZURE_AUTH_SOURCE) environment variable.
    type: str
    default: auto
    choices: [auto, env, cli, msi, workload_identity]
  client_id:
    description:
      - Application (client) id of the service principal, user-assigned managed identity or workload identity.
      - Falls back to E(AZURE_CLIENT_ID).
    type: str
  secret:
    description:
      - Client secret of the service principal. Never logged.
      - Falls back to E(AZURE_SECRET), then E(AZURE_CLIENT_SECRET).
    type: str
  tenant:
    description:
      - Directory (tenant) id of the service principal or workload identity.
      - Falls back to E(AZURE_TENANT), then E(AZURE_TENANT_ID).
    type: str
  client_certificate_path:
    description:
      - Path of a PEM or PKCS12 file with the service principal's certificate and private key, instead of O(secret).
      - Falls back to E(AZURE_CLIENT_CERTIFICATE_PATH).
    type: path
  client_certificate_password:
    description:
      - Password of the certificate file, if it has one. Never logged.
      - Falls back to E(AZURE_CLIENT_CERTIFICATE_PASSWORD).
    type: str
  federated_token_file:
    description:
      - File holding a federated identity token (workload identity), re-read when a new access token is needed.
      - Falls back to E(AZURE_FEDERATED_TOKEN_FILE).
    type: path
  cloud_environment:
    description:
      - The Azure cloud. V(AzureCloud), V(AzureUSGovernment) or V(AzureChinaCloud); or a cloud metadata URL such as
        C(https://management.azure.com/metadata/endpoints?api-version=2022-09-01), the way Azure Stack users point
        Azure tools at their cloud. A metadata URL is read once per task (one anonymous GET); both the 2015-01-01
        object form and the 2019-05-01+ list form are understood.
      - Falls back to E(AZURE_CLOUD_ENVIRONMENT).
    type: str
    default: AzureCloud
  authority_host:
    description:
      - Microsoft Entra ID authority to request tokens from, overriding the cloud's own login endpoint.
      - Falls back to E(AZURE_AUTHORITY_HOST).
    type: str
  disable_instance_discovery:
    description:
      - Skip Microsoft Entra instance discovery (metadata about the authority) before requesting a token.
      - When unset it is skipped automatically for authorities that are not Microsoft's public ones, such as
        an authority named by a cloud metadata URL.
      - Falls back to E(AZURE_DISABLE_INSTANCE_DISCOVERY).
    type: bool
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
        or a malformed answer, before the task fails with ARM's error code, message and request id.
      - 0 to 100.
    type: int
    default: 5
  max_retry_delay:
    description:
      - Upper bound in seconds for one wait between retries, including waits that the server asks for with
        C(Retry-After); at most 86400.
    type: float
    default: 60
  access_token:
    description:
      - An ARM access token acquired once for many tasks, as returned by M(hcifleet.azure_hci.azure_hci_token), so that
        a fleet run does not request a token per cluster per task. Never logged.
      - It is used until it expires (its C(exp) claim) or ARM refuses it; then the credential the other options
        describe gets a fresh one, so long runs survive token expiry.
    type: str
'''

    SUBSCRIPTION = r'''
options:
  subscription_id:
    description:
      - The Azure subscription id (a GUID).
      - Falls back to E(AZURE_SUBSCRIPTION_ID), which the AWX credential sets.
    type: str
'''

    # Modules whose action plugin runs them in Ansible's own Python on the controller (plugin_utils/_direct_execution.py).
    DIRECT_EXECUTION = r'''
options: {}
notes:
  - On the controller (the C(local) connection, as for the hosts of the P(hcifleet.azure_hci.clusters#inventory)
    inventory, C(localhost) and tasks delegated to C(localhost)) this module runs inside Ansible's own Python instead of a separate module
    process, like C(ansible.netcommon)'s direct execution. The same code, argument checks, check mode and result,
    without the cost of starting Python and importing Ansible's module_utils for every task.
  - Set the variable C(azure_hci_direct_execution=false) (in the inventory, the play, the task's C(vars) or with C(-e))
    to run it as a module process. Tasks that use C(async), tasks that C(become) or C(environment) apply to (set on the
    task, its block or its play), tasks on other connections, and controllers whose Python cannot import C(requests)
    and C(azure-identity) always run it as a module process.
  - On ansible-core 2.19 and later Ansible labels a failure of a directly executed task C(Action failed) rather than
    C(Module failed); the result is the same.
  - Direct execution uses the Python that runs Ansible and its environment variables; C(ansible_python_interpreter)
    applies to module processes only.
'''
