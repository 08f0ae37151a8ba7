# hcifleet.azure_hci: every target creates what it needs on a fresh machine.
#   make demo           run the fleet role against the bundled ARM emulator
#   make test           sanity + unit + integration + ansible-lint in the default environment (.venv)
#   make test-matrix    sanity + unit + integration on ansible-core 2.16 and 2.21 (.venv-2.16, .venv-2.21)
#   make release-check  build the tarball; galaxy-importer, offline install and a run of the installed
#                       collection, antsibull-docs, antsibull-changelog, ansible-builder (.venv-release)
# Variables: PYTHON (interpreter for the virtualenv), ANSIBLE_CORE (pip spec), VENV, TEST_REQUIREMENTS,
# PYTEST_ARGS (CI: -n 2); for the matrix PYTHON_2_16, ANSIBLE_CORE_2_16, PYTHON_2_21, ANSIBLE_CORE_2_21.

PYTHON       ?= python3
ANSIBLE_CORE ?= ansible-core>=2.16,<2.20
VENV         ?= .venv
BUILD        ?= build
TEST_REQUIREMENTS ?= tests/requirements.txt

# The support matrix around the default environment (ansible-core 2.19 on python3, 3.11 here): the oldest
# supported ansible-core and the newest. ansible-core 2.20+ needs Python 3.12+; take pyenv's interpreter by its
# path, since a pyenv shim on PATH may not run. 3.12 is also the Python of the execution environment.
PYENV_VERSIONS    := $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions
PYTHON_2_16       ?= python3
ANSIBLE_CORE_2_16 ?= ansible-core>=2.16,<2.17
PYTHON_2_21       ?= $(firstword $(wildcard $(PYENV_VERSIONS)/3.12.*/bin/python) \
                       $(wildcard $(PYENV_VERSIONS)/3.13.*/bin/python) python3.12)
ANSIBLE_CORE_2_21 ?= ansible-core>=2.21,<2.22
MATRIX_CHECKS     ?= versions sanity units integration

# Release tools (galaxy-importer, antsibull-docs, antsibull-changelog, ansible-builder) pull their own
# ansible-core and ansible-lint, so they live in a venv of their own.
RELEASE_VENV ?= .venv-release
DIST         := $(BUILD)/dist

ROOT         := $(CURDIR)
BIN          := $(ROOT)/$(VENV)/bin
VPY          := $(BIN)/python
COLLECTIONS  := $(ROOT)/$(BUILD)/collections
INSTALLED    := $(COLLECTIONS)/ansible_collections/hcifleet/azure_hci
# Outside the checkout: inside it, ansible-test would see the checkout's git tree instead.
# One per environment and checkout, so that the matrix environments never share a copy.
SANITY_BASE  ?= $(or $(TMPDIR),/tmp)/hcifleet-azure_hci-sanity-$(patsubst .%,%,$(notdir $(VENV)))-$(shell printf %s '$(ROOT)' | cksum | cut -d' ' -f1)
SANITY_COPY  := $(SANITY_BASE)/ansible_collections/hcifleet/azure_hci
PYTEST_ARGS  ?=
# The emulator package is test infrastructure on PYTHONPATH; plugins never import it.
TEST_ENV     := PYTHONPATH=$(COLLECTIONS):$(ROOT)/tests/emulator ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) \
                PATH=$(BIN):$$PATH

.PHONY: help venv versions collection sanity units integration lint test demo bench clean \
        test-matrix test-2.16 test-2.21 dist release-venv release-check

help:
	@echo "make demo | make test | make test-matrix | make test-2.16 | make test-2.21 | make release-check"
	@echo "make sanity | make units | make integration | make lint | make dist | make bench | make clean"

$(VENV)/.installed: requirements.txt $(TEST_REQUIREMENTS)
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet "$(ANSIBLE_CORE)" -r $(TEST_REQUIREMENTS)
	touch $@

venv: $(VENV)/.installed

versions: venv
	@$(VPY) -c 'import sys, ansible.release as r; print("$(VENV): ansible-core %s, Python %s" % (r.__version__, sys.version.split()[0]))'

# The checkout is the collection root; Ansible finds it through a symlink.
collection: venv
	mkdir -p $(dir $(INSTALLED))
	ln -sfn $(ROOT) $(INSTALLED)

# ansible-test wants a real ansible_collections/<ns>/<name> directory, so sanity
# runs on a copy of the files git knows about (tracked or not yet committed).
# No ignore files: sanity passes as it is on every ansible-core of the matrix.
sanity: venv
	@if ls tests/sanity/ignore-*.txt >/dev/null 2>&1; then \
	    echo "tests/sanity/ignore-*.txt found: fix the code instead of ignoring sanity errors" >&2; exit 1; fi
	rm -rf $(SANITY_COPY) && mkdir -p $(SANITY_COPY)
	git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t $(SANITY_COPY)
	$(VPY) tools/write_get_pip_standin.py
	cd $(SANITY_COPY) && PATH=$(BIN):$$PATH $(BIN)/ansible-test sanity --venv \
	    --python $$($(VPY) -c 'import sys; print("%d.%d" % sys.version_info[:2])') --color no

units: collection
	$(TEST_ENV) $(VPY) -m pytest tests/unit $(PYTEST_ARGS)
	$(TEST_ENV) $(VPY) -m pytest tests/emulator/tests $(PYTEST_ARGS)

integration: collection
	$(TEST_ENV) $(VPY) -m pytest -p hci_arm_emulator.pytest_plugin tests/integration $(PYTEST_ARGS)

lint: collection
	$(TEST_ENV) $(BIN)/ansible-lint --profile production

test: sanity units integration lint

# The support matrix: each environment is its own venv (tests/requirements-matrix.txt: no ansible-lint, which
# runs once, in the default environment). `make -j2 test-matrix` runs both at once.
test-matrix: test-2.16 test-2.21

test-2.16:
	$(MAKE) --no-print-directory VENV=.venv-2.16 PYTHON='$(PYTHON_2_16)' ANSIBLE_CORE='$(ANSIBLE_CORE_2_16)' \
	    TEST_REQUIREMENTS=tests/requirements-matrix.txt $(MATRIX_CHECKS)

test-2.21:
	$(MAKE) --no-print-directory VENV=.venv-2.21 PYTHON='$(PYTHON_2_21)' ANSIBLE_CORE='$(ANSIBLE_CORE_2_21)' \
	    TEST_REQUIREMENTS=tests/requirements-matrix.txt $(MATRIX_CHECKS)

# The release tarball, and a copy under a name without the version for tools/ci/execution-environment.yml.
dist: venv
	rm -rf $(DIST) && mkdir -p $(DIST)
	$(BIN)/ansible-galaxy collection build --output-path $(DIST)
	cp $(DIST)/hcifleet-azure_hci-*.tar.gz $(DIST)/hcifleet-azure_hci.tar.gz

$(RELEASE_VENV)/.installed: tests/requirements-release.txt
	$(PYTHON) -m venv $(RELEASE_VENV)
	$(RELEASE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(RELEASE_VENV)/bin/python -m pip install --quiet -r tests/requirements-release.txt
	touch $@

release-venv: $(RELEASE_VENV)/.installed

# Release checks on the built tarball and the checkout; see tools/ci/release_checks.sh.
release-check: collection dist release-venv
	ROOT=$(ROOT) TEST_VENV=$(ROOT)/$(VENV) RELEASE_VENV=$(ROOT)/$(RELEASE_VENV) DIST=$(ROOT)/$(DIST) \
	    ANSIBLE_CORE='$(ANSIBLE_CORE)' PYTHON='$(PYTHON)' tools/ci/release_checks.sh

demo: collection
	VENV=$(ROOT)/$(VENV) tools/demo.sh

bench: collection
	$(TEST_ENV) $(VPY) tools/bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(BUILD) tests/output .pytest_cache .hypothesis
