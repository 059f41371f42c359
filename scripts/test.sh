#!/usr/bin/env bash
# Install dependencies, build, and run every test: once in a normal build and
# once under ASan+UBSan+LSan, then a Release compile check. Conformance tests use the shared Cedar
# integration tests found at $CEDAR_INTEGRATION_TESTS or ../shared/cedar-integration-tests
# (skipped, saying so, when absent).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)
# the developer build (model, DRT, tests...), warnings as errors
dev=(-DCEDAR_DEVELOPER=ON -DCEDAR_WERROR=ON)

echo "== build (RelWithDebInfo, gcc)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "${dev[@]}" >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== build (ASan+UBSan+LSan, clang)"
CC=clang cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCEDAR_SANITIZE=ON "${dev[@]}" >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"

# -O3 inlines more and so warns more (maybe-uninitialized): a compile check,
# in the folder bench/run.sh uses
echo "== build (Release, gcc): warnings only"
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release "${dev[@]}" >/dev/null
cmake --build build-release -j "$jobs"
