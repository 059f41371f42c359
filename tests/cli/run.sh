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
# (WANT_PATTERN: extended regexps separated by ' &&& ', each matching some line)
expect() {
  local name=$1 want=$2 pattern=$3 all=$3 p ok=1
  shift 4
  "$@" >"$tmp/out" 2>&1
  local got=$?
  while [[ -n $pattern ]]; do
    p=${pattern%% &&& *}
    [[ $p == "$pattern" ]] && pattern= || pattern=${pattern#* &&& }
    grep -Eq -- "$p" "$tmp/out" || ok=0
  done
  if [[ $got -ne $want || $ok -eq 0 ]]; then
    echo "FAIL $name: status $got (want $want), output:"
    sed 's/^/  | /' "$tmp/out" | head -20
    echo "  (wanted /$all/)"
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
expect erroring-policy 2 'error while evaluating policy `owner`' -- "${authz[@]}" --principal 'User::"eve"' --action 'Action::"view"' \
  --resource 'Photo::"nope.jpg"' --context "$tmp/ctx.json"
expect request-invalid 1 'failed to parse request &&& principal type `UserGroup` is not valid' -- "${authz[@]}" --principal 'UserGroup::"friends"' --action 'Action::"view"' \
  --resource 'Photo::"beach.jpg"' --context "$tmp/ctx.json"
expect request-validation-off 0 '^ALLOW$' -- "${authz[@]}" --principal 'UserGroup::"friends"' --action 'Action::"view"' \
  --resource 'Photo::"passport.jpg"' --context "$tmp/ctx.json" --request-validation false
expect missing-args 1 'must be specified' -- "${authz[@]}" --principal 'User::"eve"'
# uids are printed back in messages as written, whether read without the
# lexer (plain ids) or parsed (escapes)
expect request-uid-plain 1 'principal `Robot::"r2 d2"` has type `Robot`, which is not declared' -- \
  "${authz[@]}" --principal 'Robot::"r2 d2"' --action 'Action::"view"' --resource 'Photo::"passport.jpg"' \
  --context "$tmp/ctx.json"
expect request-uid-escaped 1 'principal `Robot::"r2\\"d2"` has type `Robot`' -- \
  "${authz[@]}" --principal 'Robot::"r2\"d2"' --action 'Action::"view"' --resource 'Photo::"passport.jpg"' \
  --context "$tmp/ctx.json"
expect request-action-plain 1 'action `Action::"fly away"` is not declared' -- \
  "${authz[@]}" --principal 'User::"eve"' --action 'Action::"fly away"' --resource 'Photo::"passport.jpg"'

# ---- templates linked from a file
tl=("$cedar" authorize --schema "$app/schema.cedarschema" --policies "$app/templates.cedar" --entities "$app/entities.json"
    --template-linked "$app/links.json" --context "$tmp/ctx.json" -v)
expect link-allows 0 '^  eve-sees-passport$' -- "${tl[@]}" --principal 'User::"eve"' --action 'Action::"view"' --resource 'Photo::"passport.jpg"'
expect link-other-resource 2 'no policies applied' -- "${tl[@]}" --principal 'User::"eve"' --action 'Action::"view"' --resource 'Photo::"beach.jpg"'
expect link-forbid-group 2 '^  block-friends$' -- "${tl[@]}" --principal 'User::"bob"' --action 'Action::"view"' --resource 'Photo::"beach.jpg"'
expect template-unlinked-ignored 2 'no policies applied' -- "$cedar" authorize --schema "$app/schema.cedarschema" \
  --policies "$app/templates.cedar" --entities "$app/entities.json" --context "$tmp/ctx.json" -v \
  --principal 'User::"eve"' --action 'Action::"view"' --resource 'Photo::"passport.jpg"'
printf '[{"template_id": "share", "link_id": "x", "args": {"?principal": "User::\\"eve\\""}}]' >"$tmp/badlinks.json"
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
expect huge-number 1 'too large &&& ^ 1 │ 99999999999999999999$ &&& ^   · ▲$' -- "$cedar" evaluate '99999999999999999999'
expect huge-number-policy 1 'failed to parse the expression &&& too large &&& ^   ·     ▲$' -- "$cedar" check-parse --expression '1 + 18446744073709551616'
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
expect schema-json-bad-type 1 'bad.json' -- "$cedar" check-parse --schema "$tmp/bad.json" --schema-format json
printf '{"": {"entityTypes": {' >"$tmp/trunc-schema.json"
expect schema-json-truncated 1 'trunc-schema.json' -- "$cedar" check-parse --schema "$tmp/trunc-schema.json" --schema-format json
python3 -c "print('entity A { a: ' + 'Set<' * 100000 + 'Long' + '>' * 100000 + ' };')" >"$tmp/deep.cedarschema"
expect schema-deep 1 'deep.cedarschema' -- "$cedar" check-parse --schema "$tmp/deep.cedarschema"
printf '{"principal": "User::\\"bob\\"", "action": "Action::\\"view\\"", "resource": "Photo::\\"beach.jpg\\"", "context": {"source_ip": "1.2.3", "mfa": true, "confidence": "0.1"}}' >"$tmp/badreq.json"
expect request-bad-ip 1 'badreq.json: context at `.source_ip`: .*invalid ipaddr' -- "${authz[@]}" --request-json "$tmp/badreq.json"
printf '{"principal": "User::bob", "action": "Action::\\"view\\"", "resource": "Photo::\\"x\\"", "context": {}}' >"$tmp/baduid.json"
expect request-bad-uid 1 'principal' -- "${authz[@]}" --request-json "$tmp/baduid.json"
expect missing-file 1 'failed to open policy set file .*does-not-exist.cedar: No such file' -- "$cedar" check-parse --policies "$tmp/does-not-exist.cedar"
expect unknown-command 2 "unrecognized subcommand 'frobnicate'" -- "$cedar" frobnicate

# ---- validate: exit 0 when valid, 3 when not (as the official CLI), 1 on other failures
val=("$cedar" validate --schema "$app/schema.cedarschema")
expect validate-ok 0 'validation passed' -- "${val[@]}" --policies "$app/policies.cedar"
expect validate-templates-links 0 'validation passed' -- "${val[@]}" --policies "$app/templates.cedar" \
  --template-linked "$app/links.json"
expect validate-permissive 0 'validation passed \(permissive mode\)' -- "${val[@]}" --schema-format cedar \
  --policies "$app/policies.cedar" --mode permissive
printf '{"": {"entityTypes": {"U": {"shape": {"type": "Record", "attributes": {"n": {"type": "Long"}}}}}, "actions": {"a": {"appliesTo": {"principalTypes": ["U"], "resourceTypes": ["U"]}}}}}' >"$tmp/v.json"
printf 'permit(principal, action, resource) when { principal.n > resource.m };\n' >"$tmp/v.cedar"
expect validate-json-schema 3 '× policy `policy0`: attribute `m` on entity type `U` not found &&& ╭─\[.*v.cedar:1:58\]' \
  -- "$cedar" validate --schema "$tmp/v.json" --schema-format json --policies "$tmp/v.cedar"
printf 'permit(principal, action == Action::"view", resource)\nwhen { resource.tags.contains("x") };\n' >"$tmp/opt.cedar"
expect validate-optional-attr 3 'policy `policy0`: unable to guarantee safety of access to optional attribute `tags` on entity type `Photo` &&& opt.cedar:2:8\] &&& ^ 2 │ when \{ resource.tags &&& ^   ·        ▲$' \
  -- "${val[@]}" --policies "$tmp/opt.cedar"
expect validate-help 3 'help: try testing for the attribute.s presence with `e has tags && ..`' \
  -- "${val[@]}" --policies "$tmp/opt.cedar"
printf 'permit(principal, action, resource);\npermit(principal == Usr::"a", action, resource);\n' >"$tmp/unknown.cedar"
expect validate-unknown-type 3 'policy `policy1`: unrecognized entity type `Usr` &&& unknown.cedar:2:8\]' \
  -- "${val[@]}" --policies "$tmp/unknown.cedar"
printf 'permit(principal, action, resource) when { [] == [] };\n' >"$tmp/empty.cedar"
expect validate-empty-set-strict 3 'empty set literals are forbidden' -- "${val[@]}" --policies "$tmp/empty.cedar"
expect validate-empty-set-permissive 0 'validation passed \(permissive mode\)' -- "${val[@]}" \
  --policies "$tmp/empty.cedar" --mode permissive
printf 'permit(principal, action == Action::"view", resource) when { principal is Photo };\n' >"$tmp/imp.cedar"
expect validate-impossible-warning 0 '⚠ .*policy `policy0`: policy is impossible' -- "${val[@]}" --policies "$tmp/imp.cedar"
expect validate-deny-warnings 3 'validation failed' -- "${val[@]}" --policies "$tmp/imp.cedar" --deny-warnings
expect validate-bad-mode 2 "invalid value 'lax' for '--validation-mode" -- "${val[@]}" --policies "$tmp/imp.cedar" --mode lax
expect validate-no-schema 2 'required arguments were not provided: --schema' -- "$cedar" validate --policies "$tmp/imp.cedar"
expect validate-bad-policy 1 'bad.cedar:1:[0-9]+' -- "${val[@]}" --policies "$tmp/bad.cedar"

# ---- options per command, help, version (usage errors exit 2, as clap)
expect foreign-flag 2 "unexpected argument '--entities' found" -- "${val[@]}" --policies "$app/policies.cedar" --entities "$app/entities.json"
expect foreign-short-flag 2 "unexpected argument '-v' found" -- "${val[@]}" --policies "$app/policies.cedar" -v
expect missing-value 2 "a value is required for '--schema'" -- "$cedar" validate --schema
expect repeated-flag 2 "cannot be used multiple times" -- "${val[@]}" --policies "$app/policies.cedar" -p "$app/policies.cedar"
expect request-json-conflict 2 "cannot be used with '--principal'" -- "${authz[@]}" --request-json "$app/request-bob-view.json" --principal 'User::"bob"'
expect authorize-needs-entities 2 'not provided: --entities' -- "$cedar" authorize --policies "$app/policies.cedar"
expect help-validate 0 'Usage: cedar validate \[OPTIONS\] --schema <FILE> &&& --deny-warnings' -- "$cedar" validate --help
expect help-authorize 0 '-l, --principal <UID> &&& -t, --timing' -- "$cedar" help authorize
expect help-evaluate-no-policies 0 'Usage: cedar evaluate \[OPTIONS\] <EXPRESSION>' -- "$cedar" evaluate -h
expect help-main 0 'check-parse &&& language-version' -- "$cedar" --help
expect version 0 '^cedar [0-9]+\.[0-9]+\.[0-9]+ .*Cedar language 4\.5' -- "$cedar" --version
expect language-version 0 '^Cedar language version: 4\.5$' -- "$cedar" language-version
expect not-implemented 1 "command 'visualize' is not implemented" -- "$cedar" visualize --entities "$app/entities.json"
expect no-command 2 'Usage: cedar' -- "$cedar"
expect evaluate-no-expression 2 'not provided: <EXPRESSION>' -- "$cedar" evaluate
expect bad-bool 1 "invalid value 'maybe' for '--request-validation" -- "${authz[@]}" --request-json "$app/request-bob-view.json" --request-validation maybe

# ---- standard input: check-parse with no input, --policies absent or `-`
expect stdin-check-parse-ok 0 '' -- sh -c "\"$cedar\" check-parse <\"$app/policies.cedar\""
expect stdin-check-parse-bad 1 '<stdin>:1:[0-9]+' -- sh -c "\"$cedar\" check-parse <\"$tmp/bad.cedar\""
expect stdin-dash 1 '<stdin>:1:[0-9]+' -- sh -c "\"$cedar\" check-parse --policies - <\"$tmp/bad.cedar\""
expect stdin-validate 0 'validation passed' -- sh -c "\"$cedar\" validate --schema \"$app/schema.cedarschema\" <\"$app/policies.cedar\""
expect stdin-authorize 0 '^ALLOW$' -- sh -c "\"$cedar\" authorize --schema \"$app/schema.cedarschema\" --entities \"$app/entities.json\" --request-json \"$app/request-bob-view.json\" <\"$app/policies.cedar\""

# ---- policy ids from @id; duplicates rejected, as the official CLI
printf '@id("first")\npermit(principal, action, resource);\n@id("second")\nforbid(principal, action, resource) when { false };\n' >"$tmp/ids.cedar"
expect id-annotation 0 '^  first$' -- "$cedar" authorize --policies "$tmp/ids.cedar" --entities "$app/entities.json" \
  --principal 'User::"a"' --action 'Action::"view"' --resource 'Photo::"p"' -v
printf '@id("x")\npermit(principal, action, resource);\n@id("x")\nforbid(principal, action, resource);\n' >"$tmp/dupid.cedar"
expect id-duplicate 1 'duplicate template or policy id `x`' -- "$cedar" check-parse --policies "$tmp/dupid.cedar"
printf '@id("policy1")\npermit(principal, action, resource);\npermit(principal, action, resource);\n' >"$tmp/dupid2.cedar"
expect id-clashes-with-default 1 'duplicate template or policy id `policy1`' -- "$cedar" check-parse --policies "$tmp/dupid2.cedar"

# ---- errors: the source line with a caret (human), plain, json; the context named once
expect caret-human 1 '╭─\[.*bad2.cedar:2:[0-9]+\] &&& ^ 2 │ forbid\(principal action, resource\);$ &&& ^   ·                  ▲$' -- "$cedar" check-parse --policies "$tmp/bad2.cedar"
expect error-format-plain 1 '^error: failed to parse policy set: /.*bad2.cedar:2:18: unexpected' -- "$cedar" check-parse --error-format plain --policies "$tmp/bad2.cedar"
expect error-format-json 1 '^\{"message":"failed to parse policy set","severity":"error","causes":\[".*"\],"filename":".*bad2.cedar","labels":\[\{"span":\{"offset":54,' -- "$cedar" -f json check-parse --policies "$tmp/bad2.cedar"
expect error-format-env 1 '^\{"message"' -- env CEDAR_ERROR_FORMAT=json "$cedar" check-parse --policies "$tmp/bad2.cedar"
expect error-format-bad 2 "invalid value 'xml' for '--error-format" -- "$cedar" check-parse -f xml --policies "$tmp/bad2.cedar"
expect validate-json-format 3 '^\{"message":"policy set validation failed".*"policy":"policy0"' -- "$cedar" validate -f json --schema "$tmp/v.json" --schema-format json --policies "$tmp/v.cedar"
echo '{"source_ip": "10.0.0.1", "mfa": "yes", "confidence": "0.7"}' >"$tmp/badctx.json"
expect context-named-once 1 'failed to create a context from .*badctx.json &&& context does not conform .*at `.mfa`' -- "${authz[@]}" --principal 'User::"alice"' --action 'Action::"delete"' --resource 'Photo::"beach.jpg"' --context "$tmp/badctx.json"
if grep -q 'context: context' "$tmp/out"; then echo "FAIL context-named-once: prefix repeated"; fail=$((fail + 1)); fi
printf '{"source_ip": ' >"$tmp/truncctx.json"
expect context-syntax-file 1 'truncctx.json:1:' -- "${authz[@]}" --principal 'User::"alice"' --action 'Action::"delete"' --resource 'Photo::"beach.jpg"' --context "$tmp/truncctx.json"
expect timing 0 '^Authorization Time \(micro seconds\) : [0-9]+$' -- "${authz[@]}" --request-json "$app/request-bob-view.json" -t

# ---- link: print the linked policy, append it to the links file (made when missing)
cp "$app/templates.cedar" "$tmp/t.cedar"
expect link-new-file 0 '^Template-linked policy added: @id\("share"\)' -- "$cedar" link --policies "$tmp/t.cedar" \
  --template-linked "$tmp/new-links.json" --template-id share --new-id l1 --arguments '{"?principal": "User::\"eve\"", "?resource": "Photo::\"beach.jpg\""}'
expect link-second 0 'principal in User::"bob"' -- "$cedar" link -p "$tmp/t.cedar" -k "$tmp/new-links.json" \
  --template-id policy1 -n l2 -a '{"?principal": "User::\"bob\""}'
expect link-file-used 0 '^  l1$' -- "$cedar" authorize --policies "$tmp/t.cedar" -k "$tmp/new-links.json" --entities "$app/entities.json" \
  --principal 'User::"eve"' --action 'Action::"view"' --resource 'Photo::"beach.jpg"' -v
expect link-duplicate 1 'already exists' -- "$cedar" link -p "$tmp/t.cedar" -k "$tmp/new-links.json" \
  --template-id policy1 -n l2 -a '{"?principal": "User::\"bob\""}'
expect link-bad-slot 2 'Expected \?principal\|\?resource' -- "$cedar" link -p "$tmp/t.cedar" --template-id share -n l3 -a '{"?who": "User::\"bob\""}'
expect link-no-template 1 'no template with id `nope`' -- "$cedar" link -p "$tmp/t.cedar" --template-id nope -n l3 -a '{}'

# ---- policy JSON: translate-policy both ways, --policy-format json
expect to-json 0 '^\{"staticPolicies":\{"public-vacation":\{"effect":"permit","principal":\{"op":"All"\},"action":\{"op":"==","entity":\{"type":"Action","id":"view"\}\}' \
  -- "$cedar" translate-policy --direction cedar-to-json --policies "$app/policies.cedar"
"$cedar" translate-policy --direction cedar-to-json --policies "$app/policies.cedar" >"$tmp/p.json"
"$cedar" translate-policy --direction cedar-to-json --policies "$app/templates.cedar" >"$tmp/t.json"
expect json-authorize 2 '^  policy3$' -- "${authz[@]/$app\/policies.cedar/$tmp/p.json}" --policy-format json --request-json "$app/request-alice-delete.json" -v
expect json-validate 0 'validation passed' -- "${val[@]}" --policy-format json --policies "$tmp/p.json"
expect json-to-cedar 0 '^@id\("owner"\)$ &&& ^  resource.owner == principal$' -- "$cedar" translate-policy --direction json-to-cedar --policies "$tmp/p.json"
"$cedar" translate-policy --direction json-to-cedar --policies "$tmp/p.json" >"$tmp/back.cedar"
"$cedar" translate-policy --direction cedar-to-json --policies "$tmp/back.cedar" >"$tmp/p2.json"
expect json-roundtrip 0 '' -- cmp "$tmp/p.json" "$tmp/p2.json"
# a record key prints bare when it is an identifier that is not reserved, as
# the official policy-to-text does (cedar-wasm 4.10 and 4.13's policyToText),
# but in a record written as a "Value", which it prints with every key quoted
printf '{"effect":"permit","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"All"},"conditions":[{"kind":"when","body":{"==":{"left":{"Record":{"b":{"Value":1},"a x":{"Value":2},"if":{"Value":3},"_c1":{"Value":{"j":[{"k":2}]}}}},"right":{"Record":{}}}}}]}' >"$tmp/reckeys.json"
expect json-to-cedar-record-keys 0 '^  \{b: 1, "a x": 2, "if": 3, _c1: \{"j": \[\{"k": 2\}\]\}\} == \{\}$' -- "$cedar" translate-policy --direction json-to-cedar --policies "$tmp/reckeys.json"
expect json-templates 0 '"templates":\{"share":\{.*"slot":"\?principal"' -- cat "$tmp/t.json"
expect json-template-links 0 '^  eve-sees-passport$' -- "$cedar" authorize --policies "$tmp/t.json" --policy-format json \
  --template-linked "$app/links.json" --entities "$app/entities.json" --principal 'User::"eve"' --action 'Action::"view"' --resource 'Photo::"passport.jpg"' -v
printf '{"effect":"permit","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"All"},"conditions":[{"kind":"when","body":{"frob":[]}}]}' >"$tmp/badop.json"
expect json-bad-operator 1 'conditions\[0\].body.frob: unknown operator or extension function `frob`' -- "$cedar" check-parse --policy-format json --policies "$tmp/badop.json"
printf '{"effect":"permit","principal":{"op":"All"},"action":{"op":"All"},"resource":{"op":"All"},"conditions":[],"staticPolicies":{}}' >"$tmp/both.json"
expect json-ambiguous 1 'Found matching properties from both formats' -- "$cedar" check-parse --policy-format json --policies "$tmp/both.json"
printf '{"staticPolicies":{"a":{"effect":"permit","principal":{"op":"==","slot":"?principal"},"action":{"op":"All"},"resource":{"op":"All"},"conditions":[]}}}' >"$tmp/slotstatic.json"
expect json-static-slot 1 'a static policy cannot have slots' -- "$cedar" check-parse --policy-format json --policies "$tmp/slotstatic.json"
python3 -c "import json, sys; d = json.load(open(sys.argv[1])); d['templateLinks'] = [{'templateId': 'share', 'newId': 'l', 'values': {'?principal': {'type': 'User', 'id': 'eve'}, '?resource': {'type': 'Photo', 'id': 'x'}}}]; json.dump(d, open(sys.argv[2], 'w'))" "$tmp/t.json" "$tmp/tl.json"
expect json-links-in-set 0 '^  l$' -- "$cedar" authorize --policies "$tmp/tl.json" --policy-format json --entities "$app/entities.json" \
  --principal 'User::"eve"' --action 'Action::"view"' --resource 'Photo::"x"' -v
expect json-link-refused 1 'Unable to translate policy set containing template linked policies' -- "$cedar" translate-policy --direction json-to-cedar \
  --policies "$tmp/tl.json"
expect translate-needs-direction 2 'not provided: --direction' -- "$cedar" translate-policy --policies "$app/policies.cedar"

# ---- format: the official formatter's layout, comments kept; -c/-w; exit codes
printf 'permit(principal,action,resource) // why\nwhen{context.a&&   principal==User::"x"};\n' >"$tmp/f.cedar"
printf 'permit (principal, action, resource) // why\nwhen { context.a && principal == User::"x" };\n' >"$tmp/f-want.cedar"
"$cedar" format --policies "$tmp/f.cedar" >"$tmp/f-out.cedar"
expect format-layout 0 '' -- cmp "$tmp/f-out.cedar" "$tmp/f-want.cedar"
expect format-stdin 0 '^when \{ context.a && principal == User::"x" \};$' -- bash -c '"$1" format <"$2"' _ "$cedar" "$tmp/f.cedar"
expect format-narrow 0 '^permit$ &&& ^    context.a &&$' -- "$cedar" format -l 20 -i 4 -p "$tmp/f.cedar"
expect format-check-changes 1 '^permit \(principal, action, resource\) // why$' -- "$cedar" format --check -p "$tmp/f.cedar"
expect format-check-ok 0 '' -- "$cedar" format -c -p "$tmp/f-want.cedar"
cp "$tmp/f.cedar" "$tmp/f-w.cedar"
"$cedar" format -w -p "$tmp/f-w.cedar" >"$tmp/f-w.out"
expect format-write 0 '' -- cmp "$tmp/f-w.cedar" "$tmp/f-want.cedar"
expect format-write-silent 0 '' -- test ! -s "$tmp/f-w.out"
expect format-write-needs-file 2 'required arguments were not provided' -- "$cedar" format -w
expect format-write-check 2 "cannot be used with '--check'" -- "$cedar" format -w -c -p "$tmp/f.cedar"
expect format-bad-width 2 "invalid value 'x' for '--line-width" -- "$cedar" format -l x -p "$tmp/f.cedar"
printf 'permit(principal, action, resource) when { !!!!!true };\n' >"$tmp/f-bad.cedar"
expect format-refused 1 'too many occurrences of `!`' -- "$cedar" format -p "$tmp/f-bad.cedar"
expect format-missing-file 1 'failed to open policy set file' -- "$cedar" format -p "$tmp/nope.cedar"

# ---- translate-schema: the official output (checked against cedar-wasm by
# scripts/oracle/schema.mjs), both ways, from a file or standard input
expect schema-to-json 0 '^\{"":\{"entityTypes":\{"Album":\{"memberOfTypes":\["Album"\],"shape":\{"type":"Record","attributes":\{"isPrivate":\{"type":"EntityOrCommon","name":"Bool"\}' \
  -- "$cedar" translate-schema --direction cedar-to-json --schema "$app/schema.cedarschema"
"$cedar" translate-schema --direction cedar-to-json -s "$app/schema.cedarschema" >"$tmp/s.json"
expect schema-to-cedar 0 '^entity Album in \[Album\] = \{$ &&& ^  isPrivate: Bool,$ &&& ^action "delete" in \[Action::"comment"\] appliesTo \{$ &&& ^  context: \{$ &&& ^    confidence: decimal,$' \
  -- "$cedar" translate-schema --direction json-to-cedar --schema "$tmp/s.json"
"$cedar" translate-schema --direction json-to-cedar <"$tmp/s.json" >"$tmp/s.cedarschema"
"$cedar" translate-schema --direction cedar-to-json -s - <"$tmp/s.cedarschema" >"$tmp/s2.json"
"$cedar" translate-schema --direction json-to-cedar -s "$tmp/s2.json" >"$tmp/s2.cedarschema"
# (not the JSON: a parent action without a type prints as `Action::"a"`)
expect schema-round-trip 0 '' -- cmp "$tmp/s.cedarschema" "$tmp/s2.cedarschema"
expect schema-text-validates 0 'validation passed' -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$app/policies.cedar"
printf 'entity A in [Group] { owner: User };\n' >"$tmp/frag.cedarschema"
expect schema-fragment 0 '"memberOfTypes":\["Group"\]' -- "$cedar" translate-schema --direction cedar-to-json -s "$tmp/frag.cedarschema"
printf 'entity A {\n  a: Long,,\n};\n' >"$tmp/bad.cedarschema"
expect schema-syntax-error 1 'failed to translate the schema to JSON &&& bad.cedarschema:2' -- "$cedar" translate-schema --direction cedar-to-json -s "$tmp/bad.cedarschema"
printf '{"N": {"entityTypes": {"T": {}}, "commonTypes": {"T": {"type": "Long"}}, "actions": {}}}' >"$tmp/coll.json"
expect schema-collision 1 'There are name collisions: \[N::T\]' -- "$cedar" translate-schema --direction json-to-cedar -s "$tmp/coll.json"
expect schema-needs-direction 2 'not provided: --direction' -- "$cedar" translate-schema -s "$app/schema.cedarschema"
expect schema-bad-direction 2 'cedar-to-json' -- "$cedar" translate-schema --direction sideways -s "$app/schema.cedarschema"
expect schema-missing-file 1 'failed to open schema file' -- "$cedar" translate-schema --direction cedar-to-json -s "$tmp/nope"
printf '{"": {"entityTypes": {"U": {}}, "actions": {}}}' >"$tmp/plain.json"
expect schema-format-default-cedar 1 'it looks like JSON: add --schema-format json' -- "$cedar" check-parse --schema "$tmp/plain.json"
expect schema-format-json 0 '' -- "$cedar" check-parse --schema "$tmp/plain.json" --schema-format json
expect schema-foreign-flag 2 'policies' -- "$cedar" translate-schema --direction cedar-to-json -s "$app/schema.cedarschema" --policies x

echo "cli: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
