#!/usr/bin/env bash
# CLI tests: decisions and exit codes on the sample app, and bad inputs, each
# of which must give a clear error with exit status 1 (never a crash).
# usage: run.sh CEDAR_BINARY SOURCE_ROOT
set -u
cedar=$1
root=$2
app=$root/examples/photoapp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# expect NAME WANT_STATUS WANT_PATTERN -- command...
expect() {
  local name=$1 want=$2 pattern=$3
  shift 4
  "$@" >"$tmp/out" 2>&1
  local got=$?
  if [[ $got -ne $want ]] || { [[ -n $pattern ]] && ! grep -Eq -- "$pattern" "$tmp/out"; }; then
    echo "FAIL $name: status $got (want $want), output:"
    sed 's/^/  | /' "$tmp/out" | head -20
    echo "  (wanted /$pattern/)"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}

authz=("$cedar" authorize --schema "$app/schema.cedarschema" --policies "$app/policies.cedar" --entities "$app/entities.json")

# ---- decisions and exit codes
# (with request validation off, an ill-typed principal is evaluated as is:
#  UserGroup::"friends" is `in` itself, so the friends permit applies)
expect allow-json 0 '^ALLOW$' -- "${authz[@]}" --request-json "$app/request-bob-view.json"
expect deny-json 2 '^DENY$' -- "${authz[@]}" --request-json "$app/request-alice-delete.json"
expect verbose-reason 2 '^  policy3$' -- "${authz[@]}" --request-json "$app/request-alice-delete.json" -v
echo '{"source_ip": "10.0.0.1", "mfa": true, "confidence": "0.7"}' >"$tmp/ctx.json"
expect allow-args 0 '^ALLOW$' -- "${authz[@]}" --principal 'User::"alice"' --action 'Action::"delete"' \
  --resource 'Photo::"beach.jpg"' --context "$tmp/ctx.json"
expect no-policy-applied 2 'no policies applied' -- "${authz[@]}" --principal 'User::"eve"' \
  --action 'Action::"comment"' --resource 'Photo::"passport.jpg"' --context "$tmp/ctx.json" -v
expect erroring-policy 2 'policy1' -- "${authz[@]}" --principal 'User::"eve"' --action 'Action::"view"' \
  --resource 'Photo::"nope.jpg"' --context "$tmp/ctx.json"
expect request-invalid 1 'error' -- "${authz[@]}" --principal 'UserGroup::"friends"' --action 'Action::"view"' \
  --resource 'Photo::"beach.jpg"' --context "$tmp/ctx.json"
expect request-validation-off 0 '^ALLOW$' -- "${authz[@]}" --principal 'UserGroup::"friends"' --action 'Action::"view"' \
  --resource 'Photo::"passport.jpg"' --context "$tmp/ctx.json" --request-validation false
expect missing-args 1 'must be specified' -- "${authz[@]}" --principal 'User::"eve"'

# ---- templates linked from a file
tl=("$cedar" authorize --schema "$app/schema.cedarschema" --policies "$app/templates.cedar" --entities "$app/entities.json"
    --template-linked "$app/links.json" --context "$tmp/ctx.json" -v)
expect link-allows 0 '^  eve-sees-passport$' -- "${tl[@]}" --principal 'User::"eve"' --action 'Action::"view"' --resource 'Photo::"passport.jpg"'
expect link-other-resource 2 'no policies applied' -- "${tl[@]}" --principal 'User::"eve"' --action 'Action::"view"' --resource 'Photo::"beach.jpg"'
expect link-forbid-group 2 '^  block-friends$' -- "${tl[@]}" --principal 'User::"bob"' --action 'Action::"view"' --resource 'Photo::"beach.jpg"'
expect template-unlinked-ignored 2 'no policies applied' -- "$cedar" authorize --schema "$app/schema.cedarschema" \
  --policies "$app/templates.cedar" --entities "$app/entities.json" --context "$tmp/ctx.json" -v \
  --principal 'User::"eve"' --action 'Action::"view"' --resource 'Photo::"passport.jpg"'
printf '[{"template_id": "policy0", "link_id": "x", "args": {"?principal": "User::\\"eve\\""}}]' >"$tmp/badlinks.json"
expect link-missing-slot 1 'needs a value for \?resource' -- "${tl[@]/$app\/links.json/$tmp/badlinks.json}" --principal 'User::"eve"' --action 'Action::"view"' --resource 'Photo::"beach.jpg"'

# ---- evaluate and check-parse
expect eval-arith 0 '^3$' -- "$cedar" evaluate '1 + 2'
expect eval-overflow 1 'overflow' -- "$cedar" evaluate '9223372036854775807 + 1'
expect eval-set 0 '^\[1, 2\]$' -- "$cedar" evaluate '[2, 1, 2]'
expect eval-entities 0 '^true$' -- "$cedar" evaluate --entities "$app/entities.json" --schema "$app/schema.cedarschema" \
  'Photo::"beach.jpg" in Album::"vacation"'
expect check-parse-ok 0 '' -- "$cedar" check-parse --policies "$app/policies.cedar" --schema "$app/schema.cedarschema"

# ---- bad inputs: clear error, a location where there is text, exit 1
printf 'permit(principal, action, resource) when { 1 + };\n' >"$tmp/bad.cedar"
expect bad-policy 1 'bad.cedar:1:[0-9]+' -- "$cedar" check-parse --policies "$tmp/bad.cedar"
printf 'permit(principal, action, resource);\nforbid(principal action, resource);\n' >"$tmp/bad2.cedar"
expect bad-policy-line2 1 'bad2.cedar:2:[0-9]+' -- "$cedar" check-parse --policies "$tmp/bad2.cedar"
printf 'permit(principal, action, resource) when { "\xff\xfe" == "" };\n' >"$tmp/utf8.cedar"
expect invalid-utf8 1 'utf8.cedar:1:[0-9]+' -- "$cedar" check-parse --policies "$tmp/utf8.cedar"
python3 -c "print('permit(principal, action, resource) when { ' + '(' * 100000 + 'true' + ')' * 100000 + ' };')" >"$tmp/deep.cedar"
expect deep-parens 1 'deep.cedar:1:[0-9]+' -- "$cedar" check-parse --policies "$tmp/deep.cedar"
python3 -c "print('permit(principal, action, resource) when { ' + '!' * 100000 + 'true };')" >"$tmp/deepnot.cedar"
expect deep-not 1 'deepnot.cedar' -- "$cedar" check-parse --policies "$tmp/deepnot.cedar"
python3 -c "print('permit(principal, action, resource) when { ' + '[' * 100000 + ']' * 100000 + ' == [] };')" >"$tmp/deepset.cedar"
expect deep-sets 1 'deepset.cedar:1:[0-9]+' -- "$cedar" check-parse --policies "$tmp/deepset.cedar"
expect huge-number 1 'error' -- "$cedar" evaluate '99999999999999999999'
expect huge-number-policy 1 'error' -- "$cedar" check-parse --expression '1 + 18446744073709551616'
printf '[{"uid": {"type": "User", "id": "a"}, "attrs": {}, "parents": []' >"$tmp/trunc.json"
expect truncated-json 1 'trunc.json' -- "$cedar" check-parse --entities "$tmp/trunc.json"
printf '[{"uid": {"type": "User", "id": "a"}, "attrs": {"n": 99999999999999999999}, "parents": []}]' >"$tmp/bignum.json"
expect json-big-number 1 'bignum.json' -- "$cedar" check-parse --entities "$tmp/bignum.json"
printf '[{"uid": {"type": "User", "id": "a"}, "attrs": {"n": 1.5}, "parents": []}]' >"$tmp/float.json"
expect json-float 1 'float.json' -- "$cedar" check-parse --entities "$tmp/float.json"
python3 -c "print('[{\"uid\": {\"type\": \"User\", \"id\": \"a\"}, \"attrs\": {\"n\": ' + '[' * 100000 + ']' * 100000 + '}, \"parents\": []}]')" >"$tmp/deep.json"
expect json-deep 1 'deep.json' -- "$cedar" check-parse --entities "$tmp/deep.json"
printf '[{"uid": {"type": "User", "id": "\xff"}, "attrs": {}, "parents": []}]' >"$tmp/utf8.json"
expect json-invalid-utf8 1 'utf8.json' -- "$cedar" check-parse --entities "$tmp/utf8.json"
printf '[{"uid": {"type": "User", "id": "a"}, "attrs": {}, "parents": []}, {"uid": {"type": "User", "id": "a"}, "attrs": {"x": 1}, "parents": []}]' >"$tmp/dup.json"
printf '[{"uid": {"type": "User", "id": "a"}, "attrs": {}, "parents": []}, {"uid": {"type": "User", "id": "a"}, "attrs": {}, "parents": []}]' >"$tmp/samedup.json"
expect json-identical-duplicate-ok 0 '' -- "$cedar" check-parse --entities "$tmp/samedup.json"
expect json-duplicate-uid 1 'dup.json' -- "$cedar" check-parse --entities "$tmp/dup.json"
printf 'entity User in [Group];\n' >"$tmp/bad.cedarschema"
expect schema-undeclared 1 'bad.cedarschema' -- "$cedar" check-parse --schema "$tmp/bad.cedarschema"
printf 'entity User {\n  name: Strin,\n};\n' >"$tmp/bad2.cedarschema"
expect schema-bad-type 1 'bad2.cedarschema:2:[0-9]+' -- "$cedar" check-parse --schema "$tmp/bad2.cedarschema"
printf '{"": {"entityTypes": {"User": {"shape": {"type": "Record", "attributes": {"a": {"type": "Nope"}}}}}, "actions": {}}' >"$tmp/bad.json"
expect schema-json-bad-type 1 'bad.json' -- "$cedar" check-parse --schema "$tmp/bad.json"
printf '{"": {"entityTypes": {' >"$tmp/trunc-schema.json"
expect schema-json-truncated 1 'trunc-schema.json' -- "$cedar" check-parse --schema "$tmp/trunc-schema.json" --schema-format json
python3 -c "print('entity A { a: ' + 'Set<' * 100000 + 'Long' + '>' * 100000 + ' };')" >"$tmp/deep.cedarschema"
expect schema-deep 1 'deep.cedarschema' -- "$cedar" check-parse --schema "$tmp/deep.cedarschema"
printf '{"principal": "User::\\"bob\\"", "action": "Action::\\"view\\"", "resource": "Photo::\\"beach.jpg\\"", "context": {"source_ip": "1.2.3", "mfa": true, "confidence": "0.1"}}' >"$tmp/badreq.json"
expect request-bad-ip 1 'error' -- "${authz[@]}" --request-json "$tmp/badreq.json"
printf '{"principal": "User::bob", "action": "Action::\\"view\\"", "resource": "Photo::\\"x\\"", "context": {}}' >"$tmp/baduid.json"
expect request-bad-uid 1 'principal' -- "${authz[@]}" --request-json "$tmp/baduid.json"
expect missing-file 1 'cannot open' -- "$cedar" check-parse --policies "$tmp/does-not-exist.cedar"
expect unknown-command 1 'unknown command' -- "$cedar" frobnicate

# ---- validate: exit 0 when valid, 3 when not (as the official CLI), 1 on other failures
val=("$cedar" validate --schema "$app/schema.cedarschema")
expect validate-ok 0 'validation passed' -- "${val[@]}" --policies "$app/policies.cedar"
expect validate-templates-links 0 'validation passed' -- "${val[@]}" --policies "$app/templates.cedar" \
  --template-linked "$app/links.json"
expect validate-permissive 0 'validation passed \(permissive mode\)' -- "${val[@]}" --schema-format cedar \
  --policies "$app/policies.cedar" --mode permissive
printf '{"": {"entityTypes": {"U": {"shape": {"type": "Record", "attributes": {"n": {"type": "Long"}}}}}, "actions": {"a": {"appliesTo": {"principalTypes": ["U"], "resourceTypes": ["U"]}}}}}' >"$tmp/v.json"
printf 'permit(principal, action, resource) when { principal.n > resource.m };\n' >"$tmp/v.cedar"
expect validate-json-schema 3 'v.cedar:1:58: error: policy `policy0`: attribute `m` on entity type `U` not found' \
  -- "$cedar" validate --schema "$tmp/v.json" --schema-format json --policies "$tmp/v.cedar"
printf 'permit(principal, action == Action::"view", resource)\nwhen { resource.tags.contains("x") };\n' >"$tmp/opt.cedar"
expect validate-optional-attr 3 'opt.cedar:2:8: error: policy `policy0`: unable to guarantee safety of access to optional attribute `tags` on entity type `Photo`' \
  -- "${val[@]}" --policies "$tmp/opt.cedar"
expect validate-help 3 'help: try testing for the attribute.s presence with `e has tags && ..`' \
  -- "${val[@]}" --policies "$tmp/opt.cedar"
printf 'permit(principal, action, resource);\npermit(principal == Usr::"a", action, resource);\n' >"$tmp/unknown.cedar"
expect validate-unknown-type 3 'unknown.cedar:2:8: error: policy `policy1`: unrecognized entity type `Usr`' \
  -- "${val[@]}" --policies "$tmp/unknown.cedar"
printf 'permit(principal, action, resource) when { [] == [] };\n' >"$tmp/empty.cedar"
expect validate-empty-set-strict 3 'empty set literals are forbidden' -- "${val[@]}" --policies "$tmp/empty.cedar"
expect validate-empty-set-permissive 0 'validation passed \(permissive mode\)' -- "${val[@]}" \
  --policies "$tmp/empty.cedar" --mode permissive
printf 'permit(principal, action == Action::"view", resource) when { principal is Photo };\n' >"$tmp/imp.cedar"
expect validate-impossible-warning 0 'warning: policy `policy0`: policy is impossible' -- "${val[@]}" --policies "$tmp/imp.cedar"
expect validate-deny-warnings 3 'validation failed' -- "${val[@]}" --policies "$tmp/imp.cedar" --deny-warnings
expect validate-bad-mode 1 'strict or permissive' -- "${val[@]}" --policies "$tmp/imp.cedar" --mode lax
expect validate-no-schema 1 'needs --schema' -- "$cedar" validate --policies "$tmp/imp.cedar"
expect validate-bad-policy 1 'bad.cedar:1:[0-9]+' -- "${val[@]}" --policies "$tmp/bad.cedar"

echo "cli: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
