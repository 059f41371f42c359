#!/usr/bin/env bash
# Every tracked C source and header is formatted with the root .clang-format.
# usage: format.sh REPO_ROOT. Exit 77 (CTest: skipped) without git, a git
# checkout or clang-format; 1 with the list of files to format.
set -uo pipefail
cd "$1" || exit 1
if ! command -v clang-format >/dev/null || ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "style: skipped (needs clang-format and a git checkout)"
  exit 77
fi
# one run over all files; each misformatted place is reported as FILE:LINE:COL: error
if ! out=$(git ls-files -z '*.c' '*.h' | xargs -0 clang-format --dry-run -Werror 2>&1); then
  echo "not formatted (run clang-format -i on them):"
  printf '%s\n' "$out" | grep -oE '^[^:]+:[0-9]+:[0-9]+: error' | cut -d: -f1 | sort -u | sed 's/^/  /'
  exit 1
fi
echo "style: $(git ls-files '*.c' '*.h' | wc -l) files formatted ($(clang-format --version))"
