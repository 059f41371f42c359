#!/usr/bin/env bash
# Side by side with the official engine (issue 10): the scale workloads
# (static, template, action; bench/cedar_scale.c) at N policies through
# cedar_scale and through @cedar-policy/cedar-wasm (bench/side.mjs: policy set
# pre-parsed once, statefulIsAuthorized per request). Prints a table: per
# workload, N and request (match: allowed by one policy; no-match: denied),
# the median per authorization of each and the ratio cedar-wasm / ours.
# Figures only, not part of CI. Ours: cedar_scale's wall-clock median (calls
# of 100 ns or so, which preemption rarely hits); cedar-wasm: the median of
# its calls' CPU time (SIDE_CLOCK=wall for wall time), as its calls take from
# 0.1 ms to seconds and a loaded machine inflates their wall time.
# usage: bench/side.sh [BUILD_DIR] [N...]   (default: build-release, Release;
#        N = 10 1000 100000). Skips, saying so, without node or npm (or when
#        the package cannot be installed). The cedar-wasm version is
#        CEDAR_WASM_VERSION (default 4.13.0, the newest 4.x on npm when this
#        was written; 4.10.0 is the oracle's); it is installed with npm under
#        out/side-VERSION (not in the tree) the first time. 4.10 and 4.13 both
#        have preparsePolicySet / statefulIsAuthorized (a set parsed once).
#        SIDE_SECONDS: seconds of timing per kind of request in side.mjs (1;
#        at least 3 calls each). SIDE_TIMEOUT: seconds per cedar-wasm case
#        (900), after which the case shows "timeout". cedar-wasm's calls grow
#        with N (about 1 s each at 100,000 policies, and 60 s or more to
#        pre-parse them): the default N take some 10 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-release}
shift || true
ns=("$@")
[[ ${#ns[@]} -gt 0 ]] || ns=(10 1000 100000)
version=${CEDAR_WASM_VERSION:-4.13.0}
prefix=out/side-$version
modules=$prefix/node_modules
skip() {
  echo "side.sh: $1; skipped" >&2
  exit 0
}
command -v node >/dev/null || skip "node is missing (scripts/setup.sh)"
if [[ ! -d $modules/@cedar-policy/cedar-wasm ]]; then
  command -v npm >/dev/null || skip "npm is missing (scripts/setup.sh)"
  mkdir -p "$prefix"
  [[ -f $prefix/package.json ]] || echo '{"name": "cedar-c-side", "private": true}' >"$prefix/package.json"
  npm install --no-audit --no-fund --prefix "$prefix" "@cedar-policy/cedar-wasm@$version" >/dev/null ||
    skip "npm could not install @cedar-policy/cedar-wasm@$version"
fi
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCEDAR_DEVELOPER=ON >/dev/null
cmake --build "$build" -j 2 --target cedar_scale >/dev/null

# "match median X ns ... no-match median Y ns" -> "X Y"
medians() { sed -nE 's/.*match median +([0-9]+) ns.*no-match median +([0-9]+) ns.*/\1 \2/p'; }

# One cedar-wasm case: "X Y", or "timeout timeout" / "failed failed".
wasm_case() {
  local out rc=0
  # --no-liftoff: the wasm compiled by the optimizing tier at start; with
  # tiering up during the run, the compiler threads' CPU time went into the
  # first timed calls (the first kind timed came out 3 to 5 times dearer)
  out=$(timeout "${SIDE_TIMEOUT:-900}" node --no-liftoff --expose-gc bench/side.mjs --modules "$modules" --workload "$1" \
    --n "$2" --seconds "${SIDE_SECONDS:-1}" --clock "${SIDE_CLOCK:-cpu}") || rc=$?
  if [[ $rc -eq 124 ]]; then
    echo "timeout timeout"
  elif [[ $rc -ne 0 ]]; then
    echo "failed failed"
  else
    medians <<<"$out"
  fi
}

row() { # workload n request ours wasm
  awk -v w="$1" -v n="$2" -v k="$3" -v o="$4" -v x="$5" 'BEGIN {
    ratio = (o ~ /^[0-9]+$/ && x ~ /^[0-9]+$/ && o > 0) ? sprintf("%.0fx", x / o) : "-"
    printf "%-8s %7d  %-8s %14s %16s %10s\n", w, n, k, o, x, ratio }'
}

echo "cedar-wasm $version (npm, $modules; ${SIDE_CLOCK:-cpu} time); ours: $build/bench/cedar_scale"
printf '%-8s %7s  %-8s %14s %16s %10s\n' workload N request "ours (ns)" "cedar-wasm (ns)" ratio
for w in static template action; do
  for n in "${ns[@]}"; do
    om= on= wm= wn=
    read -r om on < <("$build"/bench/cedar_scale --workload "$w" --n "$n" | medians) || true
    read -r wm wn < <(wasm_case "$w" "$n") || true
    om=${om:-failed} on=${on:-failed} wm=${wm:-failed} wn=${wn:-failed}
    row "$w" "$n" match "$om" "$wm"
    row "$w" "$n" no-match "$on" "$wn"
  done
done
