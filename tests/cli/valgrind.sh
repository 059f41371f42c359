#!/usr/bin/env bash
# Run the CLI on the sample app and on bad input under valgrind: no memory
# errors, no definite or possible leaks (the process-wide name table is
# still reachable by design).
# usage: valgrind.sh CEDAR_BINARY SOURCE_ROOT
set -u
cedar=$1
app=$2/examples/photoapp
vg=(valgrind -q --leak-check=full --error-exitcode=99)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'permit(principal, action, resource) when { 1 + };' >"$tmp/bad.cedar"
printf '[{"uid": {"type": "User", "id": "a"}, "attrs": {"n": 1.5}, "parents": []}]' >"$tmp/bad.json"
fail=0
run() {
  local want=$1
  shift
  "${vg[@]}" "$@" >/dev/null 2>"$tmp/err"
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL (status $got, want $want): $*"
    cat "$tmp/err"
    fail=$((fail + 1))
  fi
}
for rq in "$app"/request-*.json; do
  want=2
  [[ $rq == *bob-view* ]] && want=0
  run $want "$cedar" authorize --schema "$app/schema.cedarschema" --policies "$app/policies.cedar" \
    --entities "$app/entities.json" --request-json "$rq" -v
done
run 0 "$cedar" evaluate --entities "$app/entities.json" --schema "$app/schema.cedarschema" \
  'Photo::"beach.jpg" in Album::"vacation" && ip("10.0.0.1").isInRange(ip("10.0.0.0/8")) && datetime("2024-01-01").offset(duration("1d")) > datetime("2024-01-01")'
run 1 "$cedar" evaluate '1 + "a"'
run 1 "$cedar" check-parse --policies "$tmp/bad.cedar"
run 1 "$cedar" check-parse --entities "$tmp/bad.json"
echo "valgrind: $((7 - fail)) passed, $fail failed"
[[ $fail -eq 0 ]]
