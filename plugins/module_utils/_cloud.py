# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which Azure cloud to talk to: a known cloud name or a cloud metadata URL.

A metadata URL (``https://<arm>/metadata/endpoints?api-version=...``) is how
Azure Stack users point tools at their cloud. ARM answers in two forms: the
2015-01-01 single object (Azure Stack Hub; the resource manager is the host
that served it) and the 2019-05-01+ list of clouds.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import namedtuple

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported
    urlsplit = None

CloudEndpoints = namedtuple('CloudEndpoints', ['name', 'resource_manager', 'authority', 'audience', 'public_authority'])

KNOWN_CLOUDS = {
    'AzureCloud': CloudEndpoints('AzureCloud', 'https://management.azure.com/', 'https://login.microsoftonline.com/',
                                 'https://management.azure.com/', True),
    'AzureUSGovernment': CloudEndpoints('AzureUSGovernment', 'https://management.usgovcloudapi.net/', 'https://login.microsoftonline.us/',
                                        'https://management.usgovcloudapi.net/', True),
    'AzureChinaCloud': CloudEndpoints('AzureChinaCloud', 'https://management.chinacloudapi.cn/', 'https://login.chinacloudapi.cn/',
                                      'https://management.chinacloudapi.cn/', True),
}
# Names other Azure tools accept for the same clouds.
CLOUD_ALIASES = {
    'azurecloud': 'AzureCloud', 'azurepubliccloud': 'AzureCloud', 'public': 'AzureCloud',
    'azureusgovernment': 'AzureUSGovernment', 'azureusgovernmentcloud': 'AzureUSGovernment', 'usgovernment': 'AzureUSGovernment',
    'azurechinacloud': 'AzureChinaCloud', 'china': 'AzureChinaCloud',
}
PUBLIC_AUTHORITY_HOSTS = ('login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn')


class CloudError(ValueError):
    """cloud_environment does not name a cloud we can use."""


def is_metadata_url(value):
    return isinstance(value, str) and value.lower().startswith(('https://', 'http://'))


def known_cloud(name):
    """The endpoints of a named cloud; raises CloudError for an unknown name."""
    canonical = CLOUD_ALIASES.get(str(name).replace(' ', '').replace('_', '').lower())
    if canonical is None:
        raise CloudError("'%s' is not a known cloud; use one of %s, or a cloud metadata URL "
                         "(https://<resource manager>/metadata/endpoints?api-version=2022-09-01)" % (name, ', '.join(sorted(KNOWN_CLOUDS))))
    return KNOWN_CLOUDS[canonical]


def cloud_from_metadata(url, document):
    """Endpoints from a metadata document (either form) fetched from ``url``."""
    if isinstance(document, list):
        return _from_cloud_list(url, document)
    if isinstance(document, dict) and isinstance(document.get('authentication'), dict):
        # 2015-01-01 form: the resource manager is the host that answered.
        parts = urlsplit(url)
        return _endpoints(document.get('name') or parts.netloc, '%s://%s/' % (parts.scheme, parts.netloc), document['authentication'])
    raise CloudError('the document at %s is not Azure cloud metadata (expected an object with "authentication" or a list of clouds)' % url)


def _from_cloud_list(url, clouds):
    entries = [entry for entry in clouds if isinstance(entry, dict) and entry.get('resourceManager') and isinstance(entry.get('authentication'), dict)]
    if not entries:
        raise CloudError('the cloud metadata at %s lists no cloud with a resourceManager and authentication endpoint' % url)
    host = urlsplit(url).netloc.lower()
    chosen = [entry for entry in entries if urlsplit(entry['resourceManager']).netloc.lower() == host]
    if not chosen and len(entries) == 1:
        chosen = entries
    if not chosen:
        raise CloudError('the cloud metadata at %s lists several clouds (%s) and none is served from %s'
                         % (url, ', '.join(str(entry.get('name')) for entry in entries), host))
    entry = chosen[0]
    return _endpoints(entry.get('name') or host, entry['resourceManager'], entry['authentication'])


def _endpoints(name, resource_manager, authentication):
    login = authentication.get('loginEndpoint')
    audiences = authentication.get('audiences') or []
    if not login:
        raise CloudError('cloud %s has no authentication.loginEndpoint in its metadata' % name)
    for what, endpoint in (('resourceManager', resource_manager), ('authentication.loginEndpoint', login)):
        # A bearer token (or a client secret) must never travel in the clear, whatever a metadata document says.
        if not (isinstance(endpoint, str) and endpoint.lower().startswith('https://')):
            raise CloudError('cloud %s names an endpoint, %s, that does not use https (%s); credentials are only sent over https' % (name, what, endpoint))
    authority = login.rstrip('/') + '/'
    audience = audiences[0] if audiences else resource_manager
    public = urlsplit(authority).netloc.lower() in PUBLIC_AUTHORITY_HOSTS
    return CloudEndpoints(name, resource_manager.rstrip('/') + '/', authority, audience, public)


def arm_scope(cloud):
    """The OAuth scope for ARM in this cloud: '<audience>/.default'."""
    return cloud.audience.rstrip('/') + '/.default'


def with_authority(cloud, authority_host):
    """The cloud with its login endpoint replaced (AZURE_AUTHORITY_HOST / authority_host)."""
    if not authority_host:
        return cloud
    if '://' not in authority_host:
        authority_host = 'https://' + authority_host
    public = urlsplit(authority_host).netloc.lower() in PUBLIC_AUTHORITY_HOSTS
    return cloud._replace(authority=authority_host.rstrip('/') + '/', public_authority=public)
