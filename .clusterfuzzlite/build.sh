#!/bin/bash -eu
# Builds the DRT targets the way OSS-Fuzz / ClusterFuzzLite builders expect:
# compiler $CC with $CFLAGS (their sanitizer and coverage flags), the fuzzing
# engine linked through $LIB_FUZZING_ENGINE, binaries and seed corpora in $OUT.
# Each target drt/targets/<t>.c defines drt_target_<t>(data, size); a small
# generated entry point per target calls it from LLVMFuzzerTestOneInput.
# Sources are compiled directly (no CMake) so that only the builders' flags apply.
# Local check: CC=clang CFLAGS="-fsanitize=address,fuzzer-no-link -g" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out SRC=/tmp/src bash .clusterfuzzlite/build.sh
ROOT=${CEDAR_SRC:-$SRC/cedar-c}
[[ -d $ROOT/core ]] || ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d)}
OBJ=$WORK/cedar-obj
rm -rf "$OBJ" && mkdir -p "$OBJ" "$OUT"
INC=(-I"$ROOT/core/include" -I"$ROOT/core/src" -I"$ROOT/model" -I"$ROOT/generators" -I"$ROOT/drt")
DEFS=(-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE)

# Library sources: core, the model, the generators, the shared DRT code; not
# the standalone driver (it has a main) nor any libFuzzer entry point of the
# CMake build (ours are generated below).
srcs=("$ROOT"/core/src/*.c "$ROOT"/model/*.c "$ROOT"/generators/*.c "$ROOT"/drt/*.c "$ROOT"/drt/targets/*.c)
objs=()
for s in "${srcs[@]}"; do
  [[ -f $s ]] || continue
  if grep -qE '^\s*int\s+main\s*\(|LLVMFuzzerTestOneInput' "$s"; then continue; fi
  o=$OBJ/$(echo "${s#$ROOT/}" | tr / _).o
  $CC $CFLAGS "${DEFS[@]}" "${INC[@]}" -c "$s" -o "$o"
  objs+=("$o")
done
ar rcs "$OBJ/libdrt.a" "${objs[@]}"

# Dependencies linked statically: the runner images do not have them installed.
LIBS=(-Wl,-Bstatic -ljansson -lbsd -lmd -Wl,-Bdynamic -lpthread -lm)

for t in "$ROOT"/drt/targets/*.c; do
  name=$(basename "$t" .c)    # file names use '-' or '_'; the functions '_'
  ident=${name//-/_}
  bin=fuzz-${name//_/-}
  cat > "$OBJ/main_$ident.c" <<C
#include <stddef.h>
#include <stdint.h>
int drt_target_$ident(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    drt_target_$ident(data, size);
    return 0;
}
C
  $CC $CFLAGS "${DEFS[@]}" -c "$OBJ/main_$ident.c" -o "$OBJ/main_$ident.o"
  $CC $CFLAGS $LIB_FUZZING_ENGINE "$OBJ/main_$ident.o" "$OBJ/libdrt.a" "${LIBS[@]}" -o "$OUT/$bin"
  # seed corpus: the saved inputs and every input that once found a bug
  seeds=()
  for d in "$ROOT/corpus/${name//_/-}" "$ROOT/corpus/findings/${name//_/-}"; do
    [[ -d $d ]] && [[ -n $(ls -A "$d") ]] && seeds+=("$d")
  done
  if ((${#seeds[@]})); then
    rm -f "$OUT/${bin}_seed_corpus.zip"
    (for d in "${seeds[@]}"; do find "$d" -maxdepth 1 -type f; done) | zip -q -j -@ "$OUT/${bin}_seed_corpus.zip"
  fi
  printf '[libfuzzer]\nmax_len = 4096\ntimeout = 20\n' > "$OUT/$bin.options"
  echo "built $OUT/$bin"
done
