# Long chains of one operator (`a || b || ...`, `&&`, `+`/`-`, `*`, `.a.b...`)
# are valid Cedar of any length: parsed, evaluated and validated on a 256 KB
# stack, with the right answer and errors at the right term.
source "$(dirname "$0")/lib.sh"

n=100000
cat >"$tmp/s.cedarschema" <<'S'
entity User { next: User, n: Long, t: Bool };
action a appliesTo { principal: User, resource: User, context: { t: Bool } };
S
cat >"$tmp/e.json" <<'J'
[{"uid": {"type": "User", "id": "u"}, "parents": [],
  "attrs": {"next": {"__entity": {"type": "User", "id": "u"}}, "n": 7, "t": true}}]
J
echo '{"t": true}' >"$tmp/c.json"
req=(--entities "$tmp/e.json" --action 'Action::"a"' --resource 'User::"u"' --context "$tmp/c.json")

# chain TERM-PROGRAM FILE: a policy whose condition is the python expression's text
chain() {
  python3 -c "import sys; n=$n; print('permit(principal,action,resource) when { ' + ($1) + ' };')" >"$tmp/$2"
}

# principal == User::"u0" || ... || principal == User::"u99999": true only by the last term
chain "' || '.join('principal == User::\"u%d\"' % i for i in range(n))" or.cedar
hostile or-check-parse 0 '' --stack 256 -- "$cedar" check-parse --policies "$tmp/or.cedar"
hostile or-last-term 0 '^ALLOW$' --stack 256 -- "$cedar" authorize --policies "$tmp/or.cedar" --principal 'User::"u99999"' "${req[@]}"
hostile or-no-term 2 '^DENY$' --stack 256 -- "$cedar" authorize --policies "$tmp/or.cedar" --principal 'User::"x"' "${req[@]}"
hostile or-validate 0 'validation passed' --stack 256 -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/or.cedar"

# context.t && ... && context.t, then an error in the last term
chain "' && '.join(['context.t'] * n)" and.cedar
hostile and-true 0 '^ALLOW$' --stack 256 -- "$cedar" authorize --policies "$tmp/and.cedar" --principal 'User::"u"' "${req[@]}"
hostile and-validate 0 'validation passed' --stack 256 -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/and.cedar"
chain "' && '.join(['context.t'] * n) + ' && principal.nope'" and-err.cedar
hostile and-error-last 2 'nope' --stack 256 -- "$cedar" authorize -v --policies "$tmp/and-err.cedar" --principal 'User::"u"' "${req[@]}"
hostile and-error-validate 3 'and-err.cedar:1:[0-9]+: error: .*nope' --stack 256 -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/and-err.cedar"

# 1 + 1 + ... == 100000, and an overflow at its exact term
chain "' + '.join(['1'] * n) + ' == 100000'" add.cedar
hostile add-sum 0 '^ALLOW$' --stack 256 -- "$cedar" authorize --policies "$tmp/add.cedar" --principal 'User::"u"' "${req[@]}"
hostile add-validate 0 'validation passed' --stack 256 -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/add.cedar"
chain "'9223372036854775000 - 1 + 2' + ' + 1' * n + ' > 0'" add-ovf.cedar
hostile add-overflow 2 'overflow .*9223372036854775807 \+ 1' --stack 256 -- "$cedar" authorize -v --policies "$tmp/add-ovf.cedar" --principal 'User::"u"' "${req[@]}"
chain "' * '.join(['1'] * n) + ' * 2' * 70 + ' > 0'" mul-ovf.cedar
hostile mul-overflow 2 'overflow .*4611686018427387904 \* 2' --stack 256 -- "$cedar" authorize -v --policies "$tmp/mul-ovf.cedar" --principal 'User::"u"' "${req[@]}"

# principal.next.next. ... .n == 7 (an entity whose `next` is itself)
chain "'principal' + '.next' * n + '.n == 7'" attr.cedar
hostile attr-chain 0 '^ALLOW$' --stack 256 -- "$cedar" authorize --policies "$tmp/attr.cedar" --principal 'User::"u"' "${req[@]}"
hostile attr-validate 0 'validation passed' --stack 256 -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/attr.cedar"

# an unguarded optional attribute at every step: one error per step, each
# message found without walking the whole path again (that was quadratic)
cat >"$tmp/opt.cedarschema" <<'S'
entity User { opt?: User, rec: { u?: User } };
action a appliesTo { principal: User, resource: User };
S
chain "'principal' + '.opt' * n + ' == principal'" opt.cedar
hostile opt-chain-validate 3 'opt.cedar:1:[0-9]+: error: .*optional attribute `opt`' --stack 256 -- "$cedar" validate --schema "$tmp/opt.cedarschema" --policies "$tmp/opt.cedar"
chain "'principal' + '.rec.u' * (n // 2) + ' == principal'" rec.cedar
hostile rec-chain-validate 3 'rec.cedar:1:[0-9]+: error: .*optional attribute `rec.u`' --stack 256 -- "$cedar" validate --schema "$tmp/opt.cedarschema" --policies "$tmp/rec.cedar"

# nesting is still limited: a chain inside 1,001 parentheses (the default
# stack: 1,000 levels of parser recursion need more than 256 KB in a Debug
# sanitizer build, see parser.sh)
chain "'(' * 1001 + 'true || false' + ')' * 1001" nested.cedar
hostile nested-chain 1 'nested.cedar:1:[0-9]+: .*nested too deeply' -- "$cedar" check-parse --policies "$tmp/nested.cedar"

hostile_done
