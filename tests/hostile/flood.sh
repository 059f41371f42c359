# Hash flooding: entity ids chosen to collide in the entity table's old
# fixed hash (FNV-1a, see bench/flood.c) must load and be found like any
# others. Correctness only (no timing): bench/cedar_flood measures the speed.
source "$(dirname "$0")/lib.sh"

# 20,000 ids whose old table index (65,536 slots) falls in the first 4,096
python3 - "$tmp" <<'PY'
import itertools, json, sys
M = (1 << 64) - 1
def fnv(b, h):
    for c in b:
        h = ((h ^ c) * 0x100000001b3) & M
    return h
def mix64(x):
    x ^= x >> 30; x = (x * 0xbf58476d1ce4e5b9) & M
    x ^= x >> 27; x = (x * 0x94d049bb133111eb) & M
    return x ^ (x >> 31)
basis = 0xcbf29ce484222325
t = fnv(b"User", basis)
alnum = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ids = []
for pre in itertools.product(alnum, repeat=3):
    h3 = fnv(bytes(pre), basis ^ 0x5bd1e995)
    for c in alnum:
        h = ((h3 ^ c) * 0x100000001b3) & M
        if mix64(t ^ h) & 0xf000 == 0:
            ids.append(bytes(pre + (c,)).decode())
    if len(ids) >= 20000:
        break
ids = ids[:20000]
ents = [{"uid": {"type": "User", "id": x}, "attrs": {"n": i}, "parents": []}
        for i, x in enumerate(ids)]
json.dump(ents, open(sys.argv[1] + "/e.json", "w"))
open(sys.argv[1] + "/last", "w").write(ids[-1])
PY
echo 'permit(principal,action,resource) when { principal.n == 19999 };' >"$tmp/p.cedar"
last=$(cat "$tmp/last")
hostile colliding-ids-20000 0 '^ALLOW$' -- "$cedar" authorize --policies "$tmp/p.cedar" \
  --entities "$tmp/e.json" --principal "User::\"$last\"" --action 'Action::"a"' --resource 'R::"r"'

hostile_done
