#!/usr/bin/env bash
# Print the scale figures (issue 10): for each workload (static, template,
# action) and N policies, median and p99 per authorization for a matching and
# a non-matching request, load and link time per policy, bytes per policy and
# peak RSS (bench/cedar_scale.c; one process per line).
# usage: bench/scale.sh [BUILD_DIR] [N...]   (default: build-release, Release;
#        N = 10 100 1000 10000 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-release}
shift || true
ns=("$@")
[[ ${#ns[@]} -gt 0 ]] || ns=(10 100 1000 10000 100000)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCEDAR_DEVELOPER=ON >/dev/null
cmake --build "$build" -j 2 --target cedar_scale >/dev/null
for w in static template action; do
  for n in "${ns[@]}"; do
    "$build"/bench/cedar_scale --workload "$w" --n "$n"
  done
done
