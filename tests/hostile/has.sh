# Long `has` paths (issue 9): `e has a.b.c` is `e has a && e.a has b &&
# e.a.b has c`, n capabilities keyed by ever longer access paths. Looking them
# up by comparing expressions made validation grow as n^4 (500 parts: 84 s);
# with hashed, layered capability sets 1,000 parts (the most the parser
# allows: the terms repeat the path's prefixes, so the work is quadratic)
# validate in a tenth of a second.
source "$(dirname "$0")/lib.sh"

echo 'entity U { m?: U, name: String }; action a appliesTo { principal: U, resource: U, context: {} };' >"$tmp/s.cedarschema"
# path N: m.m....m (N parts)
path() { python3 -c "print('.'.join(['m'] * $1))"; }
echo "permit(principal, action, resource) when { principal has $(path 1000) };" >"$tmp/p1000.cedar"
hostile path-1000 0 'validation passed' -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/p1000.cedar"
echo '[{"uid": {"type": "U", "id": "u"}, "attrs": {"m": {"__entity": {"type": "U", "id": "u"}}, "name": ""}, "parents": []}]' >"$tmp/e.json"
hostile path-1000-authorize 0 '^ALLOW$' -- "$cedar" authorize --schema "$tmp/s.cedarschema" --policies "$tmp/p1000.cedar" \
  --entities "$tmp/e.json" --principal 'U::"u"' --action 'Action::"a"' --resource 'U::"u"'
# guarded access of the same length: valid; one link longer than the guard: not
echo "permit(principal, action, resource) when { principal has $(path 990) && principal.$(path 990).name == \"\" };" >"$tmp/ok.cedar"
hostile access-990 0 '' -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/ok.cedar"
echo "permit(principal, action, resource) when { principal has $(path 989) && principal.$(path 990).name == \"\" };" >"$tmp/bad.cedar"
hostile access-unguarded 3 'bad.cedar:1:[0-9]+: .*m' -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/bad.cedar"
# 1,001 parts pass the limit: a clean parse error with the place
echo "permit(principal, action, resource) when { principal has $(path 1001) };" >"$tmp/p1001.cedar"
hostile path-1001 1 'p1001.cedar:1:[0-9]+: a `has` path may have at most 1000 attributes' -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/p1001.cedar"

hostile_done
