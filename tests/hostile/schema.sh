# Schemas whose types nest without bound through common types (issue 9):
# T0 = {x: T1}, T1 = {x: T2}, ... The nesting limit (CD_SCHEMA_MAX_TYPE_DEPTH,
# 100 levels of records and sets, common types expanded) is checked once,
# without recursion over the chain, when the schema is resolved; past it every
# command that reads the schema gives a clean error naming the type and its
# place, in both formats, on a 256 KB stack. Schemas at the limit work there.
source "$(dirname "$0")/lib.sh"
# a million-link JSON schema is 72 MB: reading it takes ~40 s on a loaded
# 2-core machine (~100 s under ASan), so a looser hang guard
time_s=$((time_s * 3))

# chain FORMAT N OUT: T0 .. T(N-1) (T0 nests N records), User {a?: T0}, R, and
# action a with context {c?: T0, d?: T0}
chain() {
  python3 - "$@" <<'PY'
import json, sys
fmt, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(out, 'w') as f:
    if fmt == 'cedar':
        for i in range(n - 1):
            f.write('type T%d = {x: T%d};\n' % (i, i + 1))
        f.write('type T%d = {x: Long};\n' % (n - 1))
        f.write('entity User = {a?: T0};\nentity R;\n')
        f.write('action a appliesTo { principal: User, resource: R, context: {c?: T0, d?: T0} };\n')
    else:
        f.write('{"": {"commonTypes": {\n')
        for i in range(n - 1):
            f.write('"T%d": {"type": "Record", "attributes": {"x": {"type": "T%d"}}},\n' % (i, i + 1))
        f.write('"T%d": {"type": "Record", "attributes": {"x": {"type": "Long"}}}\n' % (n - 1))
        opt = {"type": "T0", "required": False}
        rest = {"entityTypes": {"User": {"shape": {"type": "Record", "attributes": {"a": opt}}}, "R": {}},
                "actions": {"a": {"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["R"],
                                                "context": {"type": "Record",
                                                            "attributes": {"c": opt, "d": opt}}}}}}
        f.write('}, ' + json.dumps(rest)[1:-1] + '}}\n')
PY
}

# value N: N nested records {"x": ...} around 1 (a value of type T0 above)
value() { python3 -c "n=$1; print('{\"x\": '*n + '1' + '}'*n)"; }

echo 'permit(principal, action, resource);' >"$tmp/p.cedar"
echo '[{"uid": {"type": "User", "id": "u"}, "attrs": {}, "parents": []}]' >"$tmp/e.json"
req=(--principal 'User::"u"' --action 'Action::"a"' --resource 'R::"r"')

# A million links. Under sanitizers the JSON schema alone takes ~100 s to
# read, so authorize and entities get a hundred thousand links there (an
# unlimited build overflows a 256 KB stack at a few hundred already).
big=1000000
small=$big
[[ $sanitized == 1 ]] && small=100000
# where the limit is passed: T(n-101) = {x: T(n-100)}, at that reference (one
# declaration a line, the JSON one a line further down)
place() {
  local line=$(($2 - 100))
  [[ $1 == json ]] && line=$((line + 1))
  echo "chain.$1:$line:[0-9]+: types are nested too deeply \\(more than 100 levels of records and sets\\) in common type \`T$(($2 - 101))\`"
}
for fmt in cedar json; do
  s=$tmp/chain.$fmt
  chain $fmt $big "$s"
  hostile chain-$fmt-validate 1 "$(place $fmt $big)" --stack 256 -- "$cedar" validate --schema "$s" --schema-format $fmt --policies "$tmp/p.cedar"
  [[ $small != "$big" ]] && chain $fmt $small "$s"
  hostile chain-$fmt-authorize 1 "$(place $fmt $small)" --stack 256 -- "$cedar" authorize --schema "$s" --schema-format $fmt --policies "$tmp/p.cedar" --entities "$tmp/e.json" "${req[@]}"
  hostile chain-$fmt-entities 1 "$(place $fmt $small)" --stack 256 -- "$cedar" check-parse --schema "$s" --schema-format $fmt --entities "$tmp/e.json"
  # translation reads the chain as written (no expansion): fine at any length
  chain $fmt 100000 "$tmp/mid.$fmt"
  if [[ $fmt == cedar ]]; then tr_dir=cedar-to-json tr_want='"T99999":\{"type":"Record"'; else tr_dir=json-to-cedar tr_want='^type T99999 = \{$'; fi
  hostile chain-$fmt-translate 0 "$tr_want" --stack 256 -- "$cedar" translate-schema --direction $tr_dir -s "$tmp/mid.$fmt"
  rm -f "$s"
done

# At the limit: context {c: T0} nests 100 levels with a 99-link chain. Deep
# types compared (lub, subtyping), printed in a message, conformed to by
# entity and context data of that depth, on a 256 KB stack.
v=$(value 99)
echo "{\"principal\": \"User::\\\"u\\\"\", \"action\": \"Action::\\\"a\\\"\", \"resource\": \"R::\\\"r\\\"\",
  \"context\": {\"c\": $v, \"d\": $v}}" >"$tmp/req.json"
echo "[{\"uid\": {\"type\": \"User\", \"id\": \"u\"}, \"attrs\": {\"a\": $v}, \"parents\": []}]" >"$tmp/deep.json"
echo "[{\"uid\": {\"type\": \"User\", \"id\": \"u\"}, \"attrs\": {\"a\": $(value 100)}, \"parents\": []}]" >"$tmp/deep2.json"
echo 'permit(principal, action, resource) when { context has c && context has d && context.c == context.d && principal has a && [principal.a, context.c].contains(context.d) };' >"$tmp/eq.cedar"
echo 'permit(principal, action, resource) when { context has c && context.c + 1 == 2 };' >"$tmp/bad.cedar"
for fmt in cedar json; do
  s=$tmp/limit.$fmt
  chain $fmt 99 "$s"
  hostile limit-$fmt-validate 0 '' --stack 256 -- "$cedar" validate --schema "$s" --schema-format $fmt --policies "$tmp/eq.cedar"
  hostile limit-$fmt-type-error 3 'expected Long but saw \{x: \{x: .*\{x: Long\}{99}' --stack 256 -- "$cedar" validate --schema "$s" --schema-format $fmt --policies "$tmp/bad.cedar"
  hostile limit-$fmt-authorize 0 '^ALLOW$' --stack 256 -- "$cedar" authorize --schema "$s" --schema-format $fmt --policies "$tmp/eq.cedar" --entities "$tmp/deep.json" --request-json "$tmp/req.json"
  # the same data one level too deep for the type: a clean error
  hostile limit-$fmt-entities-mismatch 1 'deep2.json' --stack 256 -- "$cedar" check-parse --schema "$s" --schema-format $fmt --entities "$tmp/deep2.json"
  # one link more: User's shape {a?: T0} nests 101 levels
  chain $fmt 100 "$s"
  hostile over-$fmt 1 "limit.$fmt:[0-9]+:[0-9]+: types are nested too deeply .* in entity type \`User\`" --stack 256 -- "$cedar" validate --schema "$s" --schema-format $fmt --policies "$tmp/p.cedar"
done

# Shared common types: T0 = {a: T1, b: T1}, ... nests 60 levels but expands
# to 2^61 nodes; printing, comparing or bridging it to the model would never
# end. Types may expand to at most 100,000 nodes (CD_SCHEMA_MAX_TYPE_SIZE).
python3 - "$tmp" <<'PY'
import json, sys
n = 60
with open(sys.argv[1] + '/dag.cedar', 'w') as f:
    for i in range(n - 1):
        f.write('type T%d = {a: T%d, b: T%d};\n' % (i, i + 1, i + 1))
    f.write('type T%d = {a: Long};\nentity R;\n' % (n - 1))
    f.write('action a appliesTo { principal: R, resource: R, context: {c: T0, d: T0} };\n')
ct = {'T%d' % i: {"type": "Record", "attributes": {"a": {"type": "T%d" % (i + 1)}, "b": {"type": "T%d" % (i + 1)}}}
      for i in range(n - 1)}
ct['T%d' % (n - 1)] = {"type": "Record", "attributes": {"a": {"type": "Long"}}}
with open(sys.argv[1] + '/dag.json', 'w') as f:
    json.dump({"": {"commonTypes": ct, "entityTypes": {"R": {}}, "actions": {"a": {"appliesTo": {
        "principalTypes": ["R"], "resourceTypes": ["R"], "context": {"type": "Record", "attributes": {
            "c": {"type": "T0"}, "d": {"type": "T0"}}}}}}}}, f, indent=1)
PY
echo 'permit(principal, action, resource) when { context.c == context.d && context.c + 1 == 2 };' >"$tmp/dag.cedar.p"
for fmt in cedar json; do
  hostile dag-$fmt 1 "dag.$fmt:[0-9]+:[0-9]+: type too large: it expands to more than 100000 .* in common type \`T43\`" --stack 256 -- "$cedar" validate --schema "$tmp/dag.$fmt" --schema-format $fmt --policies "$tmp/dag.cedar.p"
done

# JSON schemas at the JSON reader's nesting limit (127 levels) and one past
# it, read by the schema's arena tree reader on a 256 KB stack: a value 127
# levels deep under an unknown field (read whole, then the field is the
# error), and a type of 120 nested sets, 127 levels deep in the document
# (the schema reader recurses on each set; past 100 the type is too deep)
python3 - "$tmp" <<'PY'
import sys
for depth in (127, 128):
    deep = '[' * (depth - 2) + ']' * (depth - 2)
    with open('%s/deep%d.json' % (sys.argv[1], depth), 'w') as f:
        f.write('{"": {"entityTypes": {}, "actions": {}, "deep": %s}}' % deep)
sets = '{"type": "Set", "element": ' * 120 + '{"type": "Long"}' + '}' * 120
with open(sys.argv[1] + '/sets.json', 'w') as f:
    f.write('{"": {"entityTypes": {"E": {"shape": {"type": "Record", "attributes": {"a": %s}}}}, "actions": {}}}' % sets)
PY
hostile json-depth-127 1 'deep127.json:1:[0-9]+: unknown field `deep` in a namespace' --stack 256 -- "$cedar" validate --schema "$tmp/deep127.json" --schema-format json --policies "$tmp/p.cedar"
hostile json-depth-128 1 'deep128.json:1:[0-9]+: invalid JSON: arrays and objects nested too deeply' --stack 256 -- "$cedar" validate --schema "$tmp/deep128.json" --schema-format json --policies "$tmp/p.cedar"
hostile json-sets-120 1 'sets.json:1:[0-9]+: types are nested too deeply' --stack 256 -- "$cedar" validate --schema "$tmp/sets.json" --schema-format json --policies "$tmp/p.cedar"

# Types written inline 99 levels deep (sets, records), at the nesting limit:
# the resolver's conversion recurses once per level (twice per record) and
# must fit a 256 KB stack in a sanitized build too (it overflowed at ~95
# levels of sets there before its records and leaves were moved apart)
python3 - "$tmp" <<'PY'
import sys
with open(sys.argv[1] + '/sets99.cedarschema', 'w') as f:
    f.write('entity E { a: ' + 'Set<' * 99 + 'Long' + '>' * 99 + ' };\n')
with open(sys.argv[1] + '/recs99.cedarschema', 'w') as f:
    f.write('entity E { a: ' + '{a: ' * 99 + 'Long' + '}' * 99 + ' };\n')
PY
echo '[]' >"$tmp/none.json"
for k in sets99 recs99; do
  hostile inline-$k 0 '' --stack 256 -- "$cedar" check-parse --schema "$tmp/$k.cedarschema" --entities "$tmp/none.json"
done

hostile_done
