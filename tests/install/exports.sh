#!/usr/bin/env bash
# The shared library's ABI: every dynamic symbol it defines is a public
# cedar_* one (core's internal cd_* functions stay inside it).
# usage: exports.sh LIBCEDAR.so
set -euo pipefail
lib=$1
command -v nm >/dev/null || { echo "SKIPPED: nm not found"; exit 77; }
syms=$(nm -D --defined-only "$lib" | awk '{print $NF}')
[ -n "$syms" ] || { echo "FAIL: no dynamic symbols in $lib"; exit 1; }
others=$(grep -v '^cedar_' <<<"$syms" || true)
if [ -n "$others" ]; then
  echo "FAIL: $lib exports $(wc -l <<<"$others") symbols besides cedar_*, e.g.:"
  head -5 <<<"$others"
  exit 1
fi
echo "ok: $lib exports $(wc -l <<<"$syms") symbols, all cedar_*"
