# hcifleet.azure_hci: every target creates what it needs on a fresh machine.
#   make demo   run the fleet role against the bundled ARM emulator
#   make test   sanity + unit + integration + ansible-lint
# Variables: PYTHON (interpreter for the virtualenv), ANSIBLE_CORE (pip spec), VENV.

PYTHON       ?= python3
ANSIBLE_CORE ?= ansible-core>=2.16,<2.20
VENV         ?= .venv
BUILD        ?= build

ROOT         := $(CURDIR)
BIN          := $(ROOT)/$(VENV)/bin
VPY          := $(BIN)/python
COLLECTIONS  := $(ROOT)/$(BUILD)/collections
INSTALLED    := $(COLLECTIONS)/ansible_collections/hcifleet/azure_hci
# Outside the checkout: inside it, ansible-test would see the checkout's git tree instead.
SANITY_BASE  ?= $(or $(TMPDIR),/tmp)/hcifleet-azure_hci-sanity
SANITY_COPY  := $(SANITY_BASE)/ansible_collections/hcifleet/azure_hci
PYTEST_ARGS  ?=
# The emulator package is test infrastructure on PYTHONPATH; plugins never import it.
TEST_ENV     := PYTHONPATH=$(COLLECTIONS):$(ROOT)/tests/emulator ANSIBLE_COLLECTIONS_PATH=$(COLLECTIONS) \
                PATH=$(BIN):$$PATH

.PHONY: help venv collection sanity units integration lint test demo bench clean

help:
	@echo "make demo | make test | make sanity | make units | make integration | make lint | make bench | make clean"

$(VENV)/.installed: requirements.txt tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet "$(ANSIBLE_CORE)" -r tests/requirements.txt
	touch $@

venv: $(VENV)/.installed

# The checkout is the collection root; Ansible finds it through a symlink.
collection: venv
	mkdir -p $(dir $(INSTALLED))
	ln -sfn $(ROOT) $(INSTALLED)

# ansible-test wants a real ansible_collections/<ns>/<name> directory, so sanity
# runs on a copy of the files git knows about (tracked or not yet committed).
sanity: venv
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

demo: collection
	VENV=$(ROOT)/$(VENV) tools/demo.sh

bench: collection
	$(TEST_ENV) $(VPY) tools/bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(BUILD) tests/output .pytest_cache .hypothesis
