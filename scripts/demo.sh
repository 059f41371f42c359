#!/usr/bin/env bash
# The main job until the differential-testing harness lands: build, decide the
# sample app's requests with the CLI, and replay the official conformance
# corpus through the engine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCEDAR_DEVELOPER=ON >/dev/null
cmake --build build -j "$(nproc)"
app=examples/photoapp
for rq in "$app"/request-*.json; do
  echo "== $rq"
  ./build/core/cedar authorize --schema "$app/schema.cedarschema" --policies "$app/policies.cedar" \
    --entities "$app/entities.json" --request-json "$rq" -v || true
done
it=${CEDAR_INTEGRATION_TESTS:-../shared/cedar-integration-tests}
if [[ -d $it ]]; then
  echo "== conformance: handwritten tests"
  ./build/core/cedar-conformance -q --root "$it" "$it/tests"
  mkdir -p build/cedar-integration-tests
  [[ -d build/cedar-integration-tests/corpus-tests ]] || tar xzf "$it/corpus-tests.tar.gz" -C build/cedar-integration-tests
  echo "== conformance: generated corpus"
  ./build/core/cedar-conformance -q --root build/cedar-integration-tests build/cedar-integration-tests/corpus-tests
else
  echo "== conformance: skipped (no integration tests at $it)"
fi
