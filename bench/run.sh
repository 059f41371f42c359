#!/usr/bin/env bash
# Print the benchmark figures: per-authorization latency on the OOPSLA
# scenarios, entity loading and request building (bench/entbench.c), entity
# loading with flooding ids (bench/flood.c), and the time
# to replay the shared conformance corpus.
# usage: bench/run.sh [BUILD_DIR]   (default: build, configured Release)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-release}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCEDAR_DEVELOPER=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target cedar_bench cedar_entbench cedar_flood cedar-conformance >/dev/null
data=${OOPSLA_BENCHMARKS:-../shared/oopsla-benchmarks}
"$build"/bench/cedar_bench --data "$data" --n 50 --graphs 20 --requests 500
# entity loading (10 .. 1,000,000 entities, depth 1 .. 20), chains, a layered
# graph, `in` latency, request building (strings and parts): CPU times
"$build"/bench/cedar_entbench --timeout 60
# hash flooding: entity ids that collided under the old fixed hash vs random ids
"$build"/bench/cedar_flood --n 100000
it=${CEDAR_INTEGRATION_TESTS:-../shared/cedar-integration-tests}
if [[ -f $it/corpus-tests.tar.gz ]]; then
  mkdir -p "$build/cedar-integration-tests"
  [[ -d $build/cedar-integration-tests/corpus-tests ]] || tar xzf "$it/corpus-tests.tar.gz" -C "$build/cedar-integration-tests"
  for i in 1 2 3; do
    s=$(date +%s.%N)
    "$build"/core/cedar-conformance -q --root "$build/cedar-integration-tests" "$build/cedar-integration-tests/corpus-tests" | tail -1
    e=$(date +%s.%N)
    echo "corpus replay run $i: $(echo "$e - $s" | bc) s"
  done
fi
