#!/usr/bin/env bash
# The documentation's programs compile and run: the README's library quick
# start (the ```c block after `<!-- quickstart -->`) and the example of
# core/include/cedar/cedar.h (between EXAMPLE BEGIN and EXAMPLE END), each
# built with -Wall -Wextra -Werror against the static library and run from
# the repository root; each must print ALLOW.
# usage: examples.sh SOURCE_DIR BUILD_DIR LIBCEDAR_A
set -euo pipefail
src=$(realpath "$1")
build=$(realpath "$2")
lib=$(realpath "$3")
for tool in cc pkg-config; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool not found"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

awk '/^<!-- quickstart -->$/ {q = 1; next} q && /^```c$/ {p = 1; next} p && /^```$/ {exit} p' \
  "$src/README.md" >"$tmp/quickstart.c"
sed -n '/^ \* EXAMPLE BEGIN$/,/^ \* EXAMPLE END$/p' "$src/core/include/cedar/cedar.h" |
  sed '1d;$d' | sed -E 's/^ \*( |$)//' >"$tmp/header.c"

fail=0
for prog in quickstart header; do
  if [ "$(wc -l <"$tmp/$prog.c")" -lt 10 ]; then
    echo "FAIL $prog: no program found"; fail=1; continue
  fi
  # shellcheck disable=SC2046
  if ! cc -std=c11 -Wall -Wextra -Werror -I"$src/core/include" -I"$build/core/include/cedar" \
      "$tmp/$prog.c" -o "$tmp/$prog" "$lib" $(pkg-config --libs jansson libbsd) -lpthread \
      >"$tmp/$prog.log" 2>&1; then
    echo "FAIL $prog: does not compile:"; sed 's/^/  | /' "$tmp/$prog.log" | head -20; fail=1; continue
  fi
  out=$(cd "$src" && "$tmp/$prog" 2>&1) || true
  if [[ $out != ALLOW* ]]; then
    echo "FAIL $prog: printed '$out'"; fail=1; continue
  fi
  echo "ok $prog: $out"
done
[ $fail -eq 0 ] && echo "docs: 2 passed, 0 failed"
exit $fail
