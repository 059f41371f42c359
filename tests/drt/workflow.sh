#!/usr/bin/env bash
# tests/drt/workflow.sh SOURCE_ROOT DRT_RUN: the scripts/drt workflow, cargo-fuzz habits.
#
# The harness logic is checked with a tiny libFuzzer target compiled here (a
# few branches on the input bytes, and a heap overflow on one input no fuzzer
# can guess: a 64-bit hash compare), installed as the fuzz binary of a real
# target name in a scratch fuzz-build folder, with a scratch corpus in a
# scratch git repository (DRT_FUZZ_BUILD_DIR, DRT_CORPUS_DIR, DRT_OUT_DIR): the
# tracked corpus/ is never touched. Checks:
#  1. `drt run T` fuzzes into the run's work folder (out/run/...), merges into
#     corpus/T only inputs with new edges (libFuzzer -merge=1 -use_counters=0): git status
#     shows only new files in corpus/T, as many as the run says it merged, named
#     by their sha1, no more than libFuzzer's new units;
#  2. `drt run T --no-merge` leaves the corpus untouched;
#  3. a run killed with SIGKILL loses nothing: the next run merges its work;
#  4. `drt run T FILE...` runs the sanitized binary on the files: status 0 on a
#     clean input, nonzero with the ASan report on the crashing one; `drt repro
#     --sanitized` too; a missing input is an error (status 2);
#  5. the merge into the tracked corpus keeps inputs with new edges only: one
#     that only hits known edges more often (new libFuzzer features) is left
#     out, though a merge by features takes it.
# Exit 77 (skipped) without clang's libFuzzer. A run takes a few seconds.
set -u
root=$1
drt_run=$2
drt="$root/scripts/drt"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
T=parse-bytes # any target name drt knows; its binary here is the tiny one below

bad() {
  echo "FAIL: $*"
  fail=$((fail + 1))
}

# ---- the tiny fuzz target -----------------------------------------------------
mkdir -p "$tmp/fuzz/drt"
cat >"$tmp/tiny.c" <<'C'
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static uint64_t fnv(const uint8_t *d, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) h = (h ^ d[i]) * 1099511628211u;
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    static const uint8_t secret[] = "please crash now";
    if (fnv(d, n) == fnv(secret, sizeof secret - 1)) {
        char *p = malloc(4);
        volatile char c = p[n]; /* heap-buffer-overflow, seen by ASan only */
        (void)c;
        free(p);
    }
    /* enough edges and hit counts that fuzzing keeps finding new inputs for a while */
    int s = 0;
    for (size_t i = 0; i < n && i < 64; i++) switch ((d[i] ^ s) & 15) {
        case 0: s += 1; break;
        case 1: s *= 3; break;
        case 2: s -= 7; break;
        case 3: s ^= 5; break;
        case 4: s += 11; break;
        case 5: s *= 5; break;
        case 6: s -= 13; break;
        case 7: s ^= 9; break;
        case 8: s += 17; break;
        case 9: s *= 7; break;
        case 10: s -= 19; break;
        case 11: s ^= 3; break;
        default: s += (int)i; break;
        }
    return s & 0;
}
C
if ! command -v clang >/dev/null ||
  ! clang -g -O0 -fsanitize=fuzzer,address "$tmp/tiny.c" -o "$tmp/fuzz/drt/fuzz-$T" 2>"$tmp/cc.log"; then
  echo "SKIPPED: clang with libFuzzer (-fsanitize=fuzzer) is unavailable"
  cat "$tmp/cc.log" 2>/dev/null | head -5
  exit 77
fi

# ---- a scratch repository with a seed corpus -----------------------------------
data=$tmp/data
mkdir -p "$data/corpus/$T"
python3 - "$data/corpus/$T" <<'PY'
import hashlib, os, sys
for s in (b"\x00", b"\x01\x01"):
    open(os.path.join(sys.argv[1], hashlib.sha1(s).hexdigest()), "wb").write(s)
PY
git -C "$data" init -q && git -C "$data" add -A &&
  git -C "$data" -c user.name=t -c user.email=t@t commit -qm seed || {
  echo "SKIPPED: git is unavailable"
  exit 77
}
export DRT_FUZZ_BUILD_DIR=$tmp/fuzz DRT_CORPUS_DIR=$data/corpus DRT_OUT_DIR=$tmp/out DRT_RUN=$drt_run

# ---- 1. fuzz, then merge only new coverage -------------------------------------
python3 "$drt" run $T --no-build -- -runs=3000 >"$tmp/run1" 2>&1
rc=$?
[[ $rc -eq 0 ]] || bad "drt run $T: status $rc"
merged=$(sed -n "s/^drt run $T: .* \([0-9][0-9]*\) input(s) with new coverage merged.*/\1/p" "$tmp/run1")
added=$(git -C "$data" status --porcelain --untracked-files=all | grep -c "^?? corpus/$T/")
others=$(git -C "$data" status --porcelain --untracked-files=all | grep -vc "^?? corpus/$T/")
if [[ -z $merged ]]; then
  bad "drt run printed no merge count"
elif [[ $merged -lt 1 || $merged -ne $added || $others -ne 0 ]]; then
  bad "merged $merged, git status: $added new file(s) in corpus/$T, $others other change(s)"
fi
python3 - "$data/corpus/$T" <<'PY' || bad "a merged file is not named by the sha1 of its content"
import hashlib, os, sys
d = sys.argv[1]
sys.exit(any(hashlib.sha1(open(os.path.join(d, f), "rb").read()).hexdigest() != f for f in os.listdir(d)))
PY
work=$(ls -d "$tmp"/out/run/*/work/$T 2>/dev/null)
[[ -z $work ]] || [[ -z $(ls -A "$work") ]] || bad "the work folder was not emptied: $work"
# libFuzzer kept more inputs than coverage needs (the old `drt run` added them all)
units=$(sed -n 's/^stat::new_units_added: *//p' "$tmp/run1")
[[ -n $units && $units -ge $merged ]] || bad "new units $units < merged $merged"

# ---- 2. --no-merge --------------------------------------------------------------
git -C "$data" add -A && git -C "$data" -c user.name=t -c user.email=t@t commit -q --allow-empty -m run1
python3 "$drt" run $T --no-build --no-merge -- -runs=3000 >"$tmp/run2" 2>&1 ||
  bad "drt run --no-merge: status $?"
[[ -z $(git -C "$data" status --porcelain --untracked-files=all) ]] ||
  bad "--no-merge changed the corpus: $(git -C "$data" status --porcelain | head -3)"
grep -q "untouched (--no-merge)" "$tmp/run2" || bad "--no-merge did not say so"

# ---- 3. a killed run loses nothing ----------------------------------------------
before=$(ls "$tmp/out/run")
python3 "$drt" run $T --no-build >"$tmp/run3" 2>&1 &
pid=$!
w=""
for _ in $(seq 600); do # until the new run's work folder holds inputs (60 s at most)
  for r in $(ls "$tmp/out/run"); do
    grep -qx "$r" <<<"$before" || w=$tmp/out/run/$r/work/$T
  done
  [[ -n $w ]] && [[ $(ls "$w" 2>/dev/null | wc -l) -ge 3 ]] && break
  sleep 0.1
done
kill -9 $pid
wait $pid 2>/dev/null
sleep 0.5 # the fuzzer follows its parent (PR_SET_PDEATHSIG)
left=$(ls "$w" 2>/dev/null | wc -l)
[[ $left -ge 1 ]] || bad "the killed run left no work to merge"
python3 "$drt" run $T --no-build -- -runs=1 >"$tmp/run4" 2>&1 || bad "the run after a kill: status $?"
grep -q "recover .*/$T: merging its work folder" "$tmp/run4" || bad "the killed run's work was not recovered"
[[ ! -d $w ]] || [[ -z $(ls -A "$w") ]] || bad "the killed run's work folder is still there"
# every input the killed run kept is now covered by the corpus: merging them adds nothing
others=$(git -C "$data" status --porcelain --untracked-files=all | grep -vc "^?? corpus/$T/")
[[ $others -eq 0 ]] || bad "after recovery, changes outside new files: $others"

# ---- 4. reproduce under the sanitized binary ------------------------------------
printf 'hello' >"$tmp/clean"
printf 'please crash now' >"$tmp/crash"
python3 "$drt" run $T "$tmp/clean" --no-build >"$tmp/rep0" 2>&1
rc=$?
[[ $rc -eq 0 ]] || bad "drt run $T CLEAN: status $rc"
python3 "$drt" run $T "$tmp/clean" "$tmp/crash" --no-build >"$tmp/rep1" 2>&1
rc=$?
[[ $rc -ne 0 ]] || bad "drt run $T CRASH: status 0"
grep -q "heap-buffer-overflow" "$tmp/rep1" || bad "drt run $T CRASH: no ASan report"
python3 "$drt" repro --sanitized $T "$tmp/crash" >"$tmp/rep2" 2>&1
rc=$?
[[ $rc -ne 0 ]] && grep -q "heap-buffer-overflow" "$tmp/rep2" || bad "drt repro --sanitized: status $rc"
python3 "$drt" run $T "$tmp/missing" --no-build >"$tmp/rep3" 2>&1
rc=$?
[[ $rc -eq 2 ]] && grep -q "no such input" "$tmp/rep3" || bad "a missing input: status $rc"
[[ -z $(ls "$data/corpus/findings/$T" 2>/dev/null) ]] || bad "reproducing wrote a finding"

# ---- 5. new edges only -----------------------------------------------------------
# [0] takes case 0 once; [0, 1, 2, 3] takes it four times (s counts up with the
# bytes): the same edges, more hits; [1] takes case 1, a new edge.
for edges in True False; do
  # (no __pycache__ in the tree, as scripts/drt)
  PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=$root/scripts \
    python3 - "$tmp/m$edges" "$T" "$edges" <<'PY' || bad "$(cat "$tmp/m$edges.why")"
import hashlib, os, sys
from drtlib import libfuzzer
d, target, edges = sys.argv[1], sys.argv[2], sys.argv[3] == "True"
def put(folder, data):
    os.makedirs(folder, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()  # as libFuzzer names what it merges
    open(os.path.join(folder, name), "wb").write(data)
    return name
a, counts, edge = put(d + "/dest", b"\x00"), put(d + "/src", b"\x00\x01\x02\x03"), put(d + "/src", b"\x01")
m = libfuzzer.merge_into(target, d + "/dest", [d + "/src"], d + "/tmp", d + ".log", edges_only=edges)
want = {a, edge} | (set() if edges else {counts})
got = set(os.listdir(d + "/dest"))
why = f"merge_into(edges_only={edges}) failed" if m is None else (
    f"merge_into(edges_only={edges}) kept {len(got)} input(s), want {len(want)}"
    + (" (the one with new hit counts only was kept)" if counts in got else ""))
if not edges and m is not None and got == want:
    # nightly's full corpus: what a known folder covers is had, its files stay out
    known = put(d + "/known", b"\x00\x01\x02\x03")
    five = put(d + "/src2", b"\x00\x01\x02\x03\x04")  # the hit-count buckets of counts
    put(d + "/src2", b"\x01")
    m = libfuzzer.merge_into(target, d + "/full", [d + "/src2"], d + "/tmp", d + ".log",
                             edges_only=False, known=[d + "/known"])
    got, want = set(os.listdir(d + "/full")), {edge}
    why = f"merge_into(known=...) kept {len(got)} input(s), want 1" + (
        " (a known one)" if known in got else "") + (" (one the known covers)" if five in got else "")
open(d + ".why", "w").write(why)
sys.exit(m is None or got != want)
PY
done

if [[ $fail -ne 0 ]]; then
  for f in run1 run2 run3 run4 rep1 rep2; do
    echo "--- $f"
    tail -15 "$tmp/$f"
  done
  exit 1
fi
echo "workflow: merged $merged of $units new units; kill, no-merge, reproduce and edges-only merge ok"
