# A 100,000-id enumerated entity type (issue 9): ids are found by binary
# search, whichever they are. Policies naming the last 10,000 ids, entities
# for every id, and ids not in the list: a clean error with the place.
source "$(dirname "$0")/lib.sh"

n=100000
python3 - "$tmp" $n <<'PY'
import sys
tmp, n = sys.argv[1], int(sys.argv[2])
ids = ', '.join('"v%d"' % i for i in range(n))
open(tmp + '/s.cedarschema', 'w').write(
    'entity E enum [%s];\nentity U;\naction a appliesTo { principal: U, resource: E };\n' % ids)
open(tmp + '/s.json', 'w').write(
    '{"": {"entityTypes": {"E": {"enum": [%s]}, "U": {}}, "actions": {"a": {"appliesTo": '
    '{"principalTypes": ["U"], "resourceTypes": ["E"]}}}}}\n' % ids)
with open(tmp + '/last.cedar', 'w') as f:
    for k in range(20000):
        f.write('permit(principal, action, resource == E::"v%d");\n' % (n - 10000 + k % 10000))
with open(tmp + '/bad.cedar', 'w') as f:
    f.write('permit(principal, action, resource == E::"v%d");\n' % (n - 1))
    f.write('permit(principal, action, resource == E::"v%d");\n' % n)
with open(tmp + '/all.json', 'w') as f:
    f.write('[' + ',\n'.join('{"uid": {"type": "E", "id": "v%d"}, "attrs": {}, "parents": []}' % i
                             for i in range(n)) + ']\n')
with open(tmp + '/badent.json', 'w') as f:
    f.write('[{"uid": {"type": "E", "id": "v%d"}, "attrs": {}, "parents": []},\n' % (n - 1))
    f.write(' {"uid": {"type": "E", "id": "w"}, "attrs": {}, "parents": []}]\n')
PY
echo '[]' >"$tmp/none.json"
for s in s.cedarschema s.json; do
  sf=cedar
  [[ $s == *.json ]] && sf=json
  hostile validate-last-$s 0 '' -- "$cedar" validate --schema "$tmp/$s" --schema-format $sf --policies "$tmp/last.cedar"
  hostile validate-absent-$s 3 'bad.cedar:2:[0-9]+: .*`E::"v100000"`' -- "$cedar" validate --schema "$tmp/$s" --schema-format $sf --policies "$tmp/bad.cedar"
  hostile entities-all-$s 0 '' -- "$cedar" check-parse --schema "$tmp/$s" --schema-format $sf --entities "$tmp/all.json"
  hostile entities-absent-$s 1 'badent.json:2:[0-9]+: .*"w"' -- "$cedar" check-parse --schema "$tmp/$s" --schema-format $sf --entities "$tmp/badent.json"
  hostile request-last-$s 0 '^ALLOW$' -- "$cedar" authorize --schema "$tmp/$s" --schema-format $sf --policies "$tmp/last.cedar" --entities "$tmp/none.json" --principal 'U::"u"' --action 'Action::"a"' --resource "E::\"v$((n - 1))\""
  hostile request-absent-$s 1 'v100000' -- "$cedar" authorize --schema "$tmp/$s" --schema-format $sf --policies "$tmp/last.cedar" --entities "$tmp/none.json" --principal 'U::"u"' --action 'Action::"a"' --resource "E::\"v$n\""
done

hostile_done
