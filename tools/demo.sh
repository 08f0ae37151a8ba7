#!/usr/bin/env bash
# make demo: start the ARM emulator with a small fleet, run the update_runs role through the clusters
# inventory plugin (reconcile twice, a --check --diff dry run, a report), then stop the emulator.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
venv=${VENV:-$root/.venv}
state=$root/build/demo
rm -rf "$state" && mkdir -p "$state"

export PYTHONPATH=$root/tests/emulator
export ANSIBLE_COLLECTIONS_PATH=$root/build/collections
export ANSIBLE_PYTHON_INTERPRETER=$venv/bin/python
export ANSIBLE_NOCOLOR=${ANSIBLE_NOCOLOR:-1}
export ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_SHOW_CUSTOM_STATS=1
export ANSIBLE_FORKS=${ANSIBLE_FORKS:-10}

banner() { printf '\n==== %s\n\n' "$*"; }

"$venv/bin/python" -m hci_arm_emulator serve --clusters 6 --resource-groups 3 --subscriptions 2 --seed 42 \
  --state-dir "$state/emulator" --info-file "$state/emulator.json" --env-file "$state/emulator.env" --quiet &
emulator=$!
trap 'kill "$emulator" 2>/dev/null; wait "$emulator" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$state/emulator.json" ] && break; sleep 0.1; done
[ -s "$state/emulator.json" ] || { echo "the emulator did not start" >&2; exit 1; }
# The AZURE_* variables an AWX Azure credential would set, and the emulator's CA (for these commands only).
# shellcheck disable=SC1091
. "$state/emulator.env"

arm_writes() {
  "$venv/bin/python" - "$state/emulator.json" <<'PY'
import json, sys, requests
info = json.load(open(sys.argv[1]))
log = requests.get(info["base_url"] + "/_emulator/requests", verify=info["ca_bundle"], timeout=10).json()["value"]
print(sum(1 for entry in log if entry["kind"] == "arm" and entry["method"] in ("PUT", "DELETE", "POST", "PATCH")))
PY
}

cd "$root/demo"
banner "The fleet, from the hcifleet.azure_hci.clusters inventory plugin (emulator at $AZURE_CLOUD_ENVIRONMENT)"
"$venv/bin/ansible-inventory" -i inventory/hci.clusters.yml --graph

banner "1. Reconcile: writes the update runs that drift"
"$venv/bin/ansible-playbook" -i inventory/hci.clusters.yml reconcile.yml
echo "ARM writes so far: $(arm_writes)"

banner "2. Reconcile again: nothing drifts, nothing is written to Azure"
"$venv/bin/ansible-playbook" -i inventory/hci.clusters.yml reconcile.yml
echo "ARM writes so far: $(arm_writes)"

banner "3. Dry run of a pending change (--check --diff): shown, not written"
"$venv/bin/ansible-playbook" -i inventory/hci.clusters.yml reconcile.yml --check --diff -e demo_baseline_state=Failed
echo "ARM writes so far: $(arm_writes)"

banner "4. Report: the fleet summary"
"$venv/bin/ansible-playbook" -i inventory/hci.clusters.yml report.yml
banner "Fleet summary written to build/demo/report/update_runs_summary.md"
cat "$state/report/update_runs_summary.md"
