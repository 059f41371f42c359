# Long `has` paths (issue 9): `e has a.b.c` is `e has a && e.a has b &&
# e.a.b has c`, n capabilities keyed by ever longer access paths. Looking them
# up by comparing expressions made validation grow as n^4 (500 parts: 84 s);
# with hashed, layered capability sets 998 parts (the most the parser's
# nesting limit allows) validate in a tenth of a second.
source "$(dirname "$0")/lib.sh"

echo 'entity U { m?: U, name: String }; action a appliesTo { principal: U, resource: U, context: {} };' >"$tmp/s.cedarschema"
# path N: m.m....m (N parts)
path() { python3 -c "print('.'.join(['m'] * $1))"; }
echo "permit(principal, action, resource) when { principal has $(path 998) };" >"$tmp/p998.cedar"
hostile path-998 0 '' -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/p998.cedar"
# guarded access of the same length: valid; one link longer than the guard: not
echo "permit(principal, action, resource) when { principal has $(path 990) && principal.$(path 990).name == \"\" };" >"$tmp/ok.cedar"
hostile access-990 0 '' -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/ok.cedar"
echo "permit(principal, action, resource) when { principal has $(path 989) && principal.$(path 990).name == \"\" };" >"$tmp/bad.cedar"
hostile access-unguarded 3 'bad.cedar:1:[0-9]+: .*m' -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/bad.cedar"
# 999 parts pass the nesting limit: a clean parse error with the place
echo "permit(principal, action, resource) when { principal has $(path 999) };" >"$tmp/p999.cedar"
hostile path-999 1 'p999.cedar:1:[0-9]+: .*nested too deeply' -- "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/p999.cedar"

hostile_done
