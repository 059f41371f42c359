#!/usr/bin/env bash
# The main job: a short differential-testing run on a fresh machine. Installs
# what is missing, builds the libFuzzer targets (clang), and fuzzes abac and
# abac-typed for 60 s in all (`scripts/drt quick --seconds N` for more),
# printing executions, coverage, findings and how many inputs with new
# coverage it merged into corpus/ (--no-merge: none). Without clang it replays the
# saved corpus and random inputs through the standalone driver instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec python3 scripts/drt quick "$@"
