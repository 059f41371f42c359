# Small malformed inputs that once got a misleading answer: a template link
# naming an unknown slot, a request whose uid is not a string, a context error
# without its file, test files that are not tests.
source "$(dirname "$0")/lib.sh"
app=$root/examples/photoapp
conformance=$(dirname "$cedar")/cedar-conformance

echo '{"source_ip": "10.0.0.1", "mfa": true, "confidence": "0.7"}' >"$tmp/ctx.json"
tl=("$cedar" authorize --schema "$app/schema.cedarschema" --policies "$app/templates.cedar"
  --entities "$app/entities.json" --context "$tmp/ctx.json" --principal 'User::"eve"'
  --action 'Action::"view"' --resource 'Photo::"passport.jpg"')
printf '[{"template_id": "policy0", "link_id": "l", "args": {"?principal": "User::\\"eve\\"", "?resource": "Photo::\\"passport.jpg\\"", "?zzz": "User::\\"x\\""}}]' >"$tmp/slot.json"
hostile link-unknown-slot 1 'slot.json: link 0: unknown slot `\?zzz`' -- "${tl[@]}" --template-linked "$tmp/slot.json"
printf '[{"template_id": "policy0", "link_id": "l", "args": {"?principal": 7, "?resource": "Photo::\\"passport.jpg\\""}}]' >"$tmp/num.json"
hostile link-slot-number 1 '`\?principal` must be a string' -- "${tl[@]}" --template-linked "$tmp/num.json"

authz=("$cedar" authorize --schema "$app/schema.cedarschema" --policies "$app/policies.cedar" --entities "$app/entities.json")
for v in 5 '{"type": "User", "id": "bob"}' '["User::\"bob\""]' null true; do
  printf '{"principal": %s, "action": "Action::\\"view\\"", "resource": "Photo::\\"beach.jpg\\"", "context": {}}' "$v" >"$tmp/rq.json"
  hostile "request-principal-$v" 1 'rq.json: `principal` must be a string' -- "${authz[@]}" --request-json "$tmp/rq.json"
done
echo '{"source_ip": 5, "mfa": true, "confidence": "0.7"}' >"$tmp/badctx.json"
hostile context-error-names-file 1 'failed to create a context from .*badctx.json: context at `.source_ip`' -- "${authz[@]}" --principal 'User::"bob"' \
  --action 'Action::"view"' --resource 'Photo::"beach.jpg"' --context "$tmp/badctx.json"

# cedar-conformance: a file named on the command line must be a test
for t in '{"policies": 5, "requests": []}' '{"policies": "p.cedar", "requests": "x"}' '[]' '{}' \
  '{"policies": "p.cedar", "requests": [1]}' '{"policies": "p.cedar", "requests": [], "entities": 3}'; do
  printf '%s' "$t" >"$tmp/t.json"
  hostile "conformance-not-a-test-$t" 1 'FAIL .*t.json: not a valid test' -- "$conformance" "$tmp/t.json"
done
mkdir -p "$tmp/empty" && echo '[]' >"$tmp/empty/e.json"
hostile conformance-no-tests 1 'no tests found' -- "$conformance" "$tmp/empty"

hostile_done
