#!/bin/bash -eu
# Builds the DRT targets for ClusterFuzzLite / OSS-Fuzz: the CMake `fuzz`
# preset's build (CEDAR_FUZZ=ON, so exactly the preset's sources, and its
# choice of what gets coverage instrumentation: core and the targets' entry
# points, not the model nor the harness and bridge; see CMakeLists.txt and
# drt/CMakeLists.txt), with the builder's compiler and flags: $CC and $CFLAGS
# (their sanitizer and coverage flags replace the preset's ASan+UBSan) and the
# engine $LIB_FUZZING_ENGINE. Into $OUT, per target fuzz-<t>: the binary, the
# seed corpus (corpus/<t>/ and corpus/findings/<t>/), fuzz-<t>.options
# (libFuzzer flags, -len_control=0 among them) and, for the targets that read
# text, fuzz-<t>.dict (drt/dict/targets says which).
# Local check (no docker):
#   CC=clang CFLAGS="-O1 -gline-tables-only -fsanitize=address,fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer SRC=/tmp/src WORK=/tmp/work OUT=/tmp/out \
#   bash .clusterfuzzlite/build.sh
set -eu # also when run as `bash build.sh`
ROOT=${CEDAR_SRC:-$SRC/cedar-c}
[[ -d $ROOT/core ]] || ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d)}
BUILD=$WORK/cedar-build
mkdir -p "$OUT"

# The targets: one per drt/targets/<id>.c, named with '-' (as drt/CMakeLists.txt does).
names=()
for src in "$ROOT"/drt/targets/*.c; do
  id=$(basename "$src" .c)
  names+=("${id//_/-}")
done

# RelWithDebInfo as the preset; warnings are not errors with the builder's
# (newer) clang. The dependencies are linked statically: the runner images do
# not have them installed.
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCEDAR_FUZZ=ON -DCEDAR_FUZZ_SANITIZERS= \
  -DCEDAR_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" -DCEDAR_STATIC_DEPS=ON -DCEDAR_DEVELOPER=ON -DCEDAR_WERROR=OFF \
  -DBUILD_TESTING=OFF
cmake --build "$BUILD" -j"$(nproc)" --target "${names[@]/#/fuzz-}"

# The libFuzzer flags of `scripts/drt run` (drtlib/libfuzzer.py): -len_control=0
# because the generators need a few hundred bytes for a case with real policies.
options='[libfuzzer]\nmax_len = 4096\nlen_control = 0\ntimeout = 20\nrss_limit_mb = 4096\n'

for name in "${names[@]}"; do
  bin=fuzz-$name
  cp "$BUILD/drt/$bin" "$OUT/$bin"
  printf "$options" >"$OUT/$bin.options"
  # a dictionary: the target's families concatenated (libFuzzer takes one)
  fams=$(sed -n "s/^$name:[[:space:]]*//p" "$ROOT/drt/dict/targets")
  rm -f "$OUT/$bin.dict"
  for fam in $fams; do
    cat "$ROOT/drt/dict/$fam.dict" >>"$OUT/$bin.dict"
  done
  # seed corpus: the saved inputs and every input that once found a bug
  seeds=()
  for d in "$ROOT/corpus/$name" "$ROOT/corpus/findings/$name"; do
    [[ -d $d ]] && [[ -n $(ls -A "$d") ]] && seeds+=("$d")
  done
  rm -f "$OUT/${bin}_seed_corpus.zip"
  if ((${#seeds[@]})); then
    (for d in "${seeds[@]}"; do find "$d" -maxdepth 1 -type f; done) |
      zip -q -j -@ "$OUT/${bin}_seed_corpus.zip"
  fi
  echo "built $OUT/$bin${fams:+ (dictionary: $fams)}"
done
