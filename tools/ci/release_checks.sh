#!/usr/bin/env bash
# Release checks of hcifleet.azure_hci; `make release-check` builds the tarball (make dist), the release-tools
# venv and the test venv, then runs this with ROOT, DIST, RELEASE_VENV, TEST_VENV, PYTHON and ANSIBLE_CORE set.
#   1. tarball      the built tarball holds the collection and none of the checkout's tooling
#   2. importer     galaxy-importer (Galaxy's import checks; tools/ci/galaxy-importer.cfg) passes with no warning
#   3. install      ansible-galaxy installs the tarball with no Galaxy server; the requirements.txt it ships
#                   installs from PyPI into a fresh venv; ansible-doc, the clusters inventory plugin and the
#                   update_runs role (reconcile, then report) run from the installed copy against the emulator
#   4. docs         antsibull-docs lint-collection-docs --plugin-docs on the checkout
#   5. changelog    antsibull-changelog lint, and a trial release in a copy (the changelog 'release' would write)
#   6. ee           ansible-builder create with tools/ci/execution-environment.yml; the image's galaxy stage and
#                   its dependency introspection, run here: requests and azure-identity come from the collection
# Nothing here needs a container engine or Galaxy; only PyPI, for the fresh venv of step 3.
set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
DIST=${DIST:-$ROOT/build/dist}
RELEASE_VENV=${RELEASE_VENV:-$ROOT/.venv-release}
TEST_VENV=${TEST_VENV:-$ROOT/.venv}
PYTHON=${PYTHON:-python3}
ANSIBLE_CORE=${ANSIBLE_CORE:-ansible-core>=2.16,<2.20}
OUT=$ROOT/build/release
RBIN=$RELEASE_VENV/bin
FQCN=hcifleet.azure_hci

rm -rf "$OUT" && mkdir -p "$OUT"
# No collection, configuration or cache of the user's: only what each step names.
unset ANSIBLE_CONFIG ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS PYTHONPATH
export ANSIBLE_HOME=$OUT/ansible-home ANSIBLE_NOCOLOR=1

tarball=$(find "$DIST" -maxdepth 1 -name 'hcifleet-azure_hci-*.tar.gz' | head -n 1)
[ -n "$tarball" ] || { echo "no tarball in $DIST (make dist)" >&2; exit 1; }
version=$(basename "$tarball" .tar.gz | sed 's/^hcifleet-azure_hci-//')

step_start=0
step() { step_start=$SECONDS; printf '\n==== release check: %s\n' "$*"; }
done_step() { printf -- '---- %s: ok (%ds)\n' "$1" $((SECONDS - step_start)); }
fail() { echo "FAILED: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------------
step "1. tarball $tarball"
tar -tzf "$tarball" > "$OUT/tarball.txt"
for required in MANIFEST.json FILES.json README.md COPYING requirements.txt meta/runtime.yml \
    meta/execution-environment.yml changelogs/changelog.yaml changelogs/config.yaml \
    plugins/modules/azure_hci_updaterun.py plugins/inventory/clusters.py roles/update_runs/meta/argument_specs.yml; do
  grep -qx "$required" "$OUT/tarball.txt" || fail "the tarball lacks $required"
done
if grep -E '(^|/)(\.venv[^/]*|\.ansible|\.cache|\.git|\.ci|build|tools|tests/output|__pycache__|\.pytest_cache|\.hypothesis)(/|$)|\.pyc$|^Makefile$|^galaxy\.yml$|\.plugin-cache\.yaml$' \
    "$OUT/tarball.txt"; then
  fail "the tarball holds the files above, which build_ignore in galaxy.yml should leave out"
fi
ls tests/sanity/ignore-*.txt >/dev/null 2>&1 && fail "tests/sanity/ignore-*.txt exist"
echo "$(wc -l < "$OUT/tarball.txt") entries, $(du -k "$tarball" | cut -f1) KiB, version $version"
done_step tarball

# ---------------------------------------------------------------------------------------------------------
step "2. galaxy-importer $("$RBIN/python" -c 'import importlib.metadata as m; print(m.version("galaxy-importer"))')"
mkdir -p "$OUT/importer"
# Galaxy's known false positive: galaxy-importer gives every file of plugins/filter to flake8, the YAML
# documentation of filters (plugins/filter/*.yml) included. Any other warning fails the check.
known='^WARNING: plugins/filter/[a-z0-9_]+\.yml:[0-9]+:[0-9]+: [EFW][0-9]+ '
( cd "$OUT/importer" && GALAXY_IMPORTER_CONFIG=$ROOT/tools/ci/galaxy-importer.cfg PATH=$RBIN:$PATH \
    "$RBIN/python" -m galaxy_importer.main "$tarball" ) > "$OUT/importer/importer.log" 2>&1 \
  || { cat "$OUT/importer/importer.log"; fail "galaxy-importer"; }
grep -E '^(WARNING|ERROR)' "$OUT/importer/importer.log" | grep -Ev "$known" > "$OUT/importer/problems.txt" || true
grep -E "$known" "$OUT/importer/importer.log" | sed 's/^/  (known false positive) /' || true
if [ -s "$OUT/importer/problems.txt" ]; then cat "$OUT/importer/problems.txt"; fail "galaxy-importer warnings"; fi
grep -q 'Importer processing completed successfully' "$OUT/importer/importer.log" || fail "galaxy-importer did not complete"
"$RBIN/python" - "$OUT/importer/importer_result.json" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
documented = {(c["content_type"], c["content_name"]) for c in result["docs_blob"]["contents"] if c.get("doc_strings")}
expected = {(c["content_type"], c["name"]) for c in result["contents"]
            if c["content_type"] in ("module", "inventory", "filter") and c.get("description")}
expected |= {("module", n) for n in ("azure_hci_token", "azure_hci_updaterun", "azure_hci_updaterun_info")}
expected |= {("inventory", "clusters")}
missing = sorted(expected - documented)
assert not missing, "Galaxy would show no documentation for %s" % missing
assert result["requires_ansible"] == ">=2.16.0", result["requires_ansible"]
roles = [c for c in result["contents"] if c["content_type"] == "role"]
assert roles and all(r.get("description") for r in roles), roles
print("documented: %s" % ", ".join("%s %s" % item for item in sorted(documented)))
print("roles: %s; requires_ansible %s; tags %s" % (", ".join(r["name"] for r in roles), result["requires_ansible"],
                                                   ", ".join(result["metadata"]["tags"])))
PY
done_step importer

# ---------------------------------------------------------------------------------------------------------
step "3. install the tarball with no Galaxy, its Python requirements from PyPI, and run it"
installed=$OUT/installed
ANSIBLE_COLLECTIONS_PATH=$installed "$RBIN/ansible-galaxy" collection install --offline -p "$installed" "$tarball"
coll=$installed/ansible_collections/hcifleet/azure_hci
[ -f "$coll/MANIFEST.json" ] || fail "nothing installed at $coll"
runtime=$OUT/runtime-venv
"$PYTHON" -m venv "$runtime"
"$runtime/bin/python" -m pip install --quiet --upgrade pip
"$runtime/bin/python" -m pip install --quiet "$ANSIBLE_CORE" -r "$coll/requirements.txt"
"$runtime/bin/python" -m pip list --format=freeze 2>/dev/null | grep -iE '^(ansible-core|requests|azure-identity|azure-core)=' 
export ANSIBLE_COLLECTIONS_PATH=$installed ANSIBLE_PYTHON_INTERPRETER=$runtime/bin/python
export ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_LOCALHOST_WARNING=0
"$runtime/bin/ansible-galaxy" collection list "$FQCN" | tee "$OUT/collection-list.txt"
grep -q "^$FQCN *$version" "$OUT/collection-list.txt" || fail "ansible-galaxy collection list does not show $FQCN $version"
"$runtime/bin/ansible-doc" "$FQCN.azure_hci_updaterun" > "$OUT/ansible-doc.txt"
grep -q "$coll/plugins/modules/azure_hci_updaterun.py" "$OUT/ansible-doc.txt" || fail "ansible-doc did not read the installed copy"
head -n 3 "$OUT/ansible-doc.txt"
"$runtime/bin/ansible-doc" -t inventory "$FQCN.clusters" > /dev/null
"$runtime/bin/ansible-doc" -t filter "$FQCN.fleet_summary" > /dev/null
"$runtime/bin/ansible-doc" -t role "$FQCN.update_runs" > /dev/null
# The emulator is test infrastructure from the checkout, run by the test venv; the collection under test is
# the installed copy, run by the fresh venv.
emulator_state=$OUT/emulator
PYTHONPATH=$ROOT/tests/emulator "$TEST_VENV/bin/python" -m hci_arm_emulator serve --clusters 6 --resource-groups 3 \
  --subscriptions 2 --seed 42 --state-dir "$emulator_state" --info-file "$emulator_state/emulator.json" \
  --env-file "$emulator_state/emulator.env" --quiet &
emulator=$!
trap 'kill "$emulator" 2>/dev/null; wait "$emulator" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$emulator_state/emulator.json" ] && break; sleep 0.1; done
[ -s "$emulator_state/emulator.json" ] || fail "the emulator did not start"
(
  # shellcheck disable=SC1091
  . "$emulator_state/emulator.env"
  work=$OUT/playbooks
  mkdir -p "$work" && cp -r "$coll/demo" "$work/demo"
  cd "$work/demo"
  "$runtime/bin/ansible-inventory" -i inventory/hci.clusters.yml --graph
  "$runtime/bin/ansible-playbook" -i inventory/hci.clusters.yml reconcile.yml > "$OUT/reconcile.log" \
    || { cat "$OUT/reconcile.log"; exit 1; }
  tail -n 8 "$OUT/reconcile.log"
  "$runtime/bin/ansible-playbook" -i inventory/hci.clusters.yml report.yml > "$OUT/report.log" \
    || { cat "$OUT/report.log"; exit 1; }
  [ -s "$work/build/demo/report/update_runs_summary.md" ] || { echo "the role wrote no fleet summary" >&2; exit 1; }
) || fail "the installed collection against the emulator"
kill "$emulator" 2>/dev/null; wait "$emulator" 2>/dev/null || true
trap - EXIT
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_PYTHON_INTERPRETER
done_step install

# ---------------------------------------------------------------------------------------------------------
step "4. antsibull-docs $("$RBIN/antsibull-docs" --version | head -n 1) lint-collection-docs --plugin-docs"
# The checkout, through the ansible_collections tree of `make collection`; ansible-doc from the release venv.
PATH=$RBIN:$PATH "$RBIN/antsibull-docs" lint-collection-docs --plugin-docs --validate-collection-refs all \
  --disallow-unknown-collection-refs "$ROOT/build/collections/ansible_collections/hcifleet/azure_hci"
done_step docs

# ---------------------------------------------------------------------------------------------------------
step "5. antsibull-changelog $("$RBIN/antsibull-changelog" --version | head -n 1)"
( cd "$ROOT" && "$RBIN/antsibull-changelog" lint -v && "$RBIN/antsibull-changelog" lint-changelog-yaml changelogs/changelog.yaml )
# A trial release in a copy: the fragments must give a changelog, and every plugin, module and role of this
# version must appear in it as new (version_added).
trial=$OUT/changelog-trial/ansible_collections/hcifleet/azure_hci
mkdir -p "$trial"
tar -xzf "$tarball" -C "$trial"
cp "$ROOT/galaxy.yml" "$trial/"
( cd "$trial" && PATH=$RBIN:$PATH "$RBIN/antsibull-changelog" release --version "$version" --date 2000-01-01 > /dev/null )
"$RBIN/python" - "$trial/changelogs/changelog.yaml" "$version" "$trial" <<'PY'
import os, sys, yaml
changelog, version, root = sys.argv[1], sys.argv[2], sys.argv[3]
release = yaml.safe_load(open(changelog))["releases"][version]
new = {("module", m["name"]) for m in release.get("modules", [])}
new |= {(kind, p["name"]) for kind, plugins in release.get("plugins", {}).items() for p in plugins}
new |= {(kind, o["name"]) for kind, objects in release.get("objects", {}).items() for o in objects}
present = {("module", f[:-3]) for f in os.listdir(os.path.join(root, "plugins/modules")) if f.endswith(".py")}
present |= {("inventory", f[:-3]) for f in os.listdir(os.path.join(root, "plugins/inventory")) if f.endswith(".py")}
present |= {("filter", f[:-4]) for f in os.listdir(os.path.join(root, "plugins/filter")) if f.endswith(".yml")}
present |= {("role", d) for d in os.listdir(os.path.join(root, "roles"))}
missing = sorted(present - new)
assert not missing, "not in the %s changelog as new (version_added?): %s" % (version, missing)
assert release.get("changes", {}).get("release_summary"), "no release_summary fragment"
print("changelog %s: %s; new: %s" % (version, ", ".join(sorted(release["changes"])), ", ".join("%s %s" % n for n in sorted(new))))
PY
done_step changelog

# ---------------------------------------------------------------------------------------------------------
step "6. ansible-builder $("$RBIN/ansible-builder" --version) create (execution environment)"
ee=$OUT/ee
# make dist wrote build/dist/hcifleet-azure_hci.tar.gz, which the definition names
cmp -s "$tarball" "$DIST/hcifleet-azure_hci.tar.gz" || cp "$tarball" "$DIST/hcifleet-azure_hci.tar.gz"
"$RBIN/ansible-builder" create -f "$ROOT/tools/ci/execution-environment.yml" -c "$ee/context" \
  --output-filename Containerfile
for built in Containerfile _build/requirements.yml _build/collections/hcifleet-azure_hci.tar.gz; do
  [ -f "$ee/context/$built" ] || fail "the build context lacks $built"
done
# The galaxy stage: the Containerfile's own command, in the context's _build (the image's /build).
( cd "$ee/context/_build" && ANSIBLE_COLLECTIONS_PATH=$ee/root ANSIBLE_GALAXY_DISABLE_GPG_VERIFY=1 \
    "$RBIN/ansible-galaxy" collection install -r requirements.yml --collections-path "$ee/root" )
# The builder stage: the context's introspect script over what the galaxy stage installed.
"$RBIN/python" "$ee/context/_build/scripts/introspect.py" introspect --write-pip="$ee/requirements.txt" \
  --write-bindep="$ee/bindep.txt" "$ee/root"
cat "$ee/requirements.txt"
for package in requests azure-identity; do
  grep -Eq "^$package( |#|$).*$FQCN" "$ee/requirements.txt" || fail "the image would not get $package from $FQCN"
done
done_step ee

printf '\nrelease checks passed for %s %s\n' "$FQCN" "$version"
