#!/usr/bin/env bash
# Side by side with the official engine (issue 10): the scale workloads
# (static, template, action; bench/cedar_scale.c) at N policies through
# cedar_scale and through @cedar-policy/cedar-wasm (bench/side.mjs: policy set
# pre-parsed once, statefulIsAuthorized per request). Prints the median per
# authorization of each, matching and non-matching, and the ratio
# cedar-wasm / ours. Figures only. Wall-clock medians: on a loaded machine
# run it more than once.
# usage: bench/side.sh [BUILD_DIR] [N...]   (default: build-release, Release;
#        N = 10 1000 10000 100000). The cedar-wasm version is
#        CEDAR_WASM_VERSION (default 4.13.0, the newest 4.x on npm when this
#        was written; 4.10.0 is the oracle's); it is installed with npm under
#        out/side-VERSION (not in the tree) the first time. 4.10 and 4.13 both
#        have preparsePolicySet / statefulIsAuthorized (a set parsed once).
#        SIDE_SECONDS: seconds of timing per kind of request in side.mjs (1).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-release}
shift || true
ns=("$@")
[[ ${#ns[@]} -gt 0 ]] || ns=(10 1000 10000 100000)
version=${CEDAR_WASM_VERSION:-4.13.0}
prefix=out/side-$version
modules=$prefix/node_modules
if [[ ! -d $modules/@cedar-policy/cedar-wasm ]]; then
  command -v npm >/dev/null || { echo "side.sh: npm is missing (scripts/setup.sh)" >&2; exit 1; }
  mkdir -p "$prefix"
  [[ -f $prefix/package.json ]] || echo '{"name": "cedar-c-side", "private": true}' >"$prefix/package.json"
  npm install --no-audit --no-fund --prefix "$prefix" "@cedar-policy/cedar-wasm@$version" >/dev/null
fi
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCEDAR_DEVELOPER=ON >/dev/null
cmake --build "$build" -j 2 --target cedar_scale >/dev/null

# "match median X ns ... no-match median Y ns" -> "X Y"
medians() { sed -E 's/.*match median +([0-9]+) ns.*no-match median +([0-9]+) ns.*/\1 \2/'; }

echo "cedar-wasm $version (npm, $modules); ours: $build/bench/cedar_scale"
printf '%-8s %7s | %12s %12s %8s | %12s %12s %8s\n' workload N "ours match" "wasm match" ratio \
  "ours no" "wasm no" ratio
for w in static template action; do
  for n in "${ns[@]}"; do
    read -r om on < <("$build"/bench/cedar_scale --workload "$w" --n "$n" | medians)
    read -r wm wn < <(node bench/side.mjs --modules "$modules" --workload "$w" --n "$n" \
      --seconds "${SIDE_SECONDS:-1}" | medians)
    awk -v w="$w" -v n="$n" -v om="$om" -v on="$on" -v wm="$wm" -v wn="$wn" 'BEGIN {
      printf "%-8s %7d | %9.0f ns %9.0f ns %7.0fx | %9.0f ns %9.0f ns %7.0fx\n",
             w, n, om, wm, wm / om, on, wn, wn / on }'
  done
done
