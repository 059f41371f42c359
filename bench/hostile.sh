#!/usr/bin/env bash
# Time and peak memory of the `cedar` CLI on hostile inputs at full size (the
# tests in tests/hostile check the answers at the same or smaller sizes; speed
# is reported here, never asserted there).
# usage: bench/hostile.sh [BUILD_DIR]   (default: build-release, configured Release)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-release}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCEDAR_DEVELOPER=ON >/dev/null
cmake --build "$build" -j "$(nproc)" --target cedar >/dev/null
cedar=$(realpath "$build/core/cedar")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# measure NAME command...: one line, wall time, peak RSS, exit status, first output line
# (errors one per line: file:line:column: message)
export CEDAR_ERROR_FORMAT=plain
measure() {
  local name=$1
  shift
  /usr/bin/time -f '%e %M' -o time.txt "$@" >out.txt 2>&1 && st=0 || st=$?
  read -r secs kb < <(tail -n 1 time.txt)
  printf '%-34s %8.2f s %9d KB  exit %d  %s\n' "$name" "$secs" "$kb" "$st" "$(grep -m1 . out.txt | head -c 90)"
}

echo '[]' >empty.json
echo "== common-type chains (schema type nesting; at most 100 levels: 99 links pass, longer chains are an error)"
for n in 99 1000000; do
  python3 - "$n" <<'PY'
import json, sys
n = int(sys.argv[1])
with open("chain.cedarschema", "w") as f:
    for i in range(n - 1):
        f.write(f"type T{i} = {{x: T{i+1}}};\n")
    f.write(f"type T{n-1} = Long;\nentity E {{a: T0}};\naction a appliesTo {{principal: E, resource: E}};\n")
common = {f"T{i}": {"type": "Record", "attributes": {"x": {"type": f"T{i+1}"}}} for i in range(n - 1)}
common[f"T{n-1}"] = {"type": "Long"}
doc = {"": {"commonTypes": common,
            "entityTypes": {"E": {"shape": {"type": "Record", "attributes": {"a": {"type": "T0"}}}}},
            "actions": {"a": {"appliesTo": {"principalTypes": ["E"], "resourceTypes": ["E"]}}}}}
json.dump(doc, open("chain.cedarschema.json", "w"))
PY
  echo 'permit(principal, action, resource);' >p.cedar
  measure "validate, text, $n links" "$cedar" validate --schema chain.cedarschema --policies p.cedar
  measure "validate, JSON, $n links" "$cedar" validate --schema chain.cedarschema.json --schema-format json --policies p.cedar
done

echo "== long || chains"
for n in 100000 1000000; do
  python3 -c "
n=$n
print('permit(principal, action, resource) when { ' + ' || '.join(f'principal == User::\"u{i}\"' for i in range(n)) + ' };')" >or.cedar
  echo 'entity User; action a appliesTo {principal: User, resource: User};' >or.cedarschema
  measure "authorize, $n-term ||" "$cedar" authorize --policies or.cedar --entities empty.json \
    --principal "User::\"u$((n - 1))\"" --action 'Action::"a"' --resource 'User::"r"'
  measure "validate, $n-term ||" "$cedar" validate --schema or.cedarschema --policies or.cedar
done

echo "== has paths (a self-referencing entity: records nest at most 100 levels)"
echo 'entity U { m?: U }; action a appliesTo {principal: U, resource: U};' >has.cedarschema
for n in 250 500 1000; do
  python3 -c "
n=$n
print('permit(principal, action, resource) when { principal has ' + '.'.join(['m']*n) + ' };')" >has.cedar
  measure "validate, has with $n parts" "$cedar" validate --schema has.cedarschema --policies has.cedar
done
python3 -c "
n=99
print('entity U; action a appliesTo {principal: U, resource: U, context: ' + '{a: '*n + 'Long' + '}'*n + '};')" >deep.cedarschema
python3 -c "print('permit(principal, action, resource) when { context has ' + '.'.join(['a']*99) + ' };')" >deep.cedar
measure "validate, has with 99 parts, 99-deep" "$cedar" validate --schema deep.cedarschema --policies deep.cedar

echo "== a 100,000-value enum"
python3 - <<'PY'
n = 100000
vals = ", ".join(f'"v{i}"' for i in range(n))
open("enum.cedarschema", "w").write(f"entity U; entity E enum [{vals}];\naction a appliesTo {{principal: U, resource: E}};\n")
for name, rng in (("first", range(10000)), ("last", range(n - 10000, n))):
    with open(f"enum-{name}.cedar", "w") as f:
        for k in range(2):
            for i in rng:
                f.write(f'permit(principal, action, resource == E::"v{i}");\n')
import json
json.dump([{"uid": {"type": "E", "id": f"v{i}"}, "attrs": {}, "parents": []} for i in range(n)], open("enum-entities.json", "w"))
PY
measure "validate 20,000 policies, first values" "$cedar" validate --schema enum.cedarschema --policies enum-first.cedar
measure "validate 20,000 policies, last values" "$cedar" validate --schema enum.cedarschema --policies enum-last.cedar
measure "load 100,000 enum entities" "$cedar" check-parse --schema enum.cedarschema --entities enum-entities.json

echo "== 100,000 distinct entity type names"
python3 -c "
import json
json.dump([{'uid': {'type': f'T{i}', 'id': 'x'}, 'attrs': {}, 'parents': []} for i in range(100000)], open('types.json', 'w'))"
measure "load 100,000 type names" "$cedar" check-parse --entities types.json
