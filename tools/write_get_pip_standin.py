# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the pip bootstrap script that ansible-test looks for in its cache.

ansible-test builds small virtualenvs for sanity tests and bootstraps pip in
them with a get-pip script downloaded from ci-files.testing.ansible.com, which
this network cannot reach. It first looks in ~/.ansible/test/cache/get_pip_<ver>.py,
so we put a stand-in there: ensurepip, then `pip install <the same arguments>`.
ensurepip sets PIP_CONFIG_FILE=/dev/null in the process environment; restoring
os.environ keeps the machine's pip configuration (index mirror, CA) in force.
"""
from __future__ import annotations

import os
import re
import sys

STANDIN = '''\
import ensurepip
import os
import subprocess
import sys

saved = dict(os.environ)
ensurepip.bootstrap(upgrade=True)
os.environ.clear()
os.environ.update(saved)
# get-pip.py options that `pip install` does not know
args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + args))
'''


def ansible_test_pip_versions():
    """Return the pip versions that the installed ansible-test bootstraps."""
    import ansible_test  # pylint: disable=import-outside-toplevel

    source = os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')
    with open(source, encoding='utf-8') as handle:
        return sorted(set(re.findall(r"pip='([0-9.]+)'", handle.read())))


def main():
    cache = os.path.expanduser('~/.ansible/test/cache')
    os.makedirs(cache, exist_ok=True)
    versions = ansible_test_pip_versions()
    if not versions:
        sys.exit('could not find the pip version that ansible-test bootstraps')
    for version in versions:
        path = os.path.join(cache, 'get_pip_%s.py' % version.replace('.', '_'))
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(STANDIN)
        print('pip bootstrap stand-in: %s' % path)


if __name__ == '__main__':
    main()
