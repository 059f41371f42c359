# Deep input on SMALL stacks (128 KB, musl's default thread stack, and
# 256 KB): every recursion over input checks the stack (core/src/cd_stack.h),
# so each command gives the right answer or a clean "nested too deeply"
# error with a location, never a signal. The inputs stay within the fixed
# nesting limits (those are tested in parser.sh, schema.sh): here the stack
# is what runs out. tests/unit/test_stack.c does the same from a pthread.
source "$(dirname "$0")/lib.sh"
# STACK_KBS=8192 runs every case on a large stack (all give the answer)

echo '[]' >"$tmp/e.json"
req=(--entities "$tmp/e.json" --principal 'User::"a"' --action 'Action::"a"' --resource 'R::"r"')
cat >"$tmp/s.cedarschema" <<'S'
entity User, R;
action a appliesTo { principal: User, resource: R };
S

# policy NAME PYTHON-EXPR: a policy whose condition is the expression's text (n = 999)
policy() {
  python3 -c "n=999; print('permit(principal,action,resource) when { ' + ($2) + ' };')" >"$tmp/$1.cedar"
}
policy parens "'(' * n + 'true' + ')' * n"
policy sets "'[' * n + '1' + ']' * n + '.isEmpty() == false'"
policy records "'{a: ' * n + '1' + '}' * n + ' has a'"
policy ifs "'if true then ' * n + 'true' + ' else false' * n"
policy nots "'!(' * n + 'false' + ')' * n + ' || true'"
policy negs "'-(' * n + '1' + ')' * n + ' == -1'"
policy methods "'[true].contains(' * n + 'true' + ')' * n"

# either the right answer (WANT, status 0) or a clean error at a place in FILE
deep() {
  local name=$1 kb=$2 want=$3 file=$4
  shift 4
  hostile "$name-$kb" '0|1' "$want|$file:[0-9]+:[0-9]+: .*nested too deeply" --stack "$kb" -- "$@"
}
for kb in ${STACK_KBS:-128 256}; do
  for c in parens sets records ifs nots negs methods; do
    f=$tmp/$c.cedar
    deep "$c-authorize" $kb '^ALLOW$' "$c.cedar" "$cedar" authorize --policies "$f" "${req[@]}"
    deep "$c-validate" $kb 'validation passed' "$c.cedar" "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$f"
    deep "$c-format" $kb '^permit' "$c.cedar" "$cedar" format --policies "$f"
    deep "$c-to-json" $kb '"effect"' "$c.cedar" "$cedar" translate-policy --direction cedar-to-json --policies "$f"
  done
done

# Policy JSON and entities nested close to the JSON reader's limit (127
# levels), on smaller stacks still (32 and 48 KB crashed before the guard).
python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
n = 55  # two JSON levels per `!`: 118 in all
e = {"Value": True}
for _ in range(n):
    e = {"!": {"arg": e}}
p = {"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"},
     "resource": {"op": "All"}, "conditions": [{"kind": "when", "body": {"||": {"left": e, "right": {"Value": True}}}}]}
open(tmp + '/pj.json', 'w').write(json.dumps({"staticPolicies": {"p": p}, "templates": {}, "templateLinks": []}))
v = 1
for _ in range(120):
    v = [v]
open(tmp + '/deep-e.json', 'w').write(json.dumps([{"uid": {"type": "User", "id": "a"}, "attrs": {"v": v}, "parents": []}]))
PY
echo 'permit(principal, action, resource);' >"$tmp/all.cedar"
for kb in ${STACK_KBS:-32 48 128 256}; do
  deep pjson-authorize $kb '^ALLOW$' pj.json "$cedar" authorize --policy-format json --policies "$tmp/pj.json" "${req[@]}"
  deep pjson-to-cedar $kb '^permit' pj.json "$cedar" translate-policy --direction json-to-cedar --policies "$tmp/pj.json"
  deep entities $kb '^ALLOW$' deep-e.json "$cedar" authorize --policies "$tmp/all.cedar" --entities "$tmp/deep-e.json" \
    --principal 'User::"a"' --action 'Action::"a"' --resource 'R::"r"'
done

# Schemas: inline records 99 deep (the type limit is 100) in the Cedar
# syntax, 60 in JSON (two JSON levels each)
python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
n = 99
open(tmp + '/deep.cedarschema', 'w').write('entity User = ' + '{a: ' * n + 'Long' + '}' * n + ';\nentity R;\n'
    'action a appliesTo { principal: User, resource: R };\n')
t = {"type": "Long"}
for _ in range(60):
    t = {"type": "Record", "attributes": {"a": t}}
s = {"": {"entityTypes": {"User": {"shape": t}, "R": {}},
          "actions": {"a": {"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["R"]}}}}}
open(tmp + '/deep.cedarschema.json', 'w').write(json.dumps(s))
PY
echo 'permit(principal, action, resource) when { principal has a && principal.a == principal.a };' >"$tmp/pa.cedar"
for kb in ${STACK_KBS:-32 48 128 256}; do
  # (a sanitized build may stop at the policy already on 32 KB)
  deep schema-cedar $kb 'validation passed' '(deep.cedarschema|pa.cedar)' "$cedar" validate --schema "$tmp/deep.cedarschema" --policies "$tmp/pa.cedar"
  deep schema-json $kb 'validation passed' '(deep.cedarschema.json|pa.cedar)' "$cedar" validate --schema-format json --schema "$tmp/deep.cedarschema.json" --policies "$tmp/pa.cedar"
  deep schema-to-json $kb '"entityTypes"' deep.cedarschema "$cedar" translate-schema --direction cedar-to-json -s "$tmp/deep.cedarschema"
  deep schema-to-cedar $kb '^entity' deep.cedarschema.json "$cedar" translate-schema --direction json-to-cedar -s "$tmp/deep.cedarschema.json"
done

hostile_done
