#!/usr/bin/env bash
# The installed package as a user of it sees it: `cmake --install` into a
# temporary prefix, then outside programs built against it with pkg-config
# (shared and --static), with find_package(cedar) (cedar::cedar and
# cedar::cedar_static), and as C++ (g++ -Wall -Wextra -Werror); each must
# authorize a request (ALLOW). The installed shared library exports only cedar_*.
# usage: run.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$(realpath "$1")
build=$(realpath "$2")
here=$src/tests/install
for tool in pkg-config cc g++ nm; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool not found"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log"
multiarch=$(cc -print-multiarch 2>/dev/null || true)
pc=$(find "$prefix" -name cedar.pc -path '*/pkgconfig/*' | head -1)
[ -n "$pc" ] || { echo "FAIL: no cedar.pc installed:"; cat "$tmp/install.log"; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
echo "libdir: ${libdir#"$prefix"/}"
if [ -n "$multiarch" ] && [ "$libdir" != "$prefix/lib/$multiarch" ] && [ "$libdir" != "$prefix/lib" ]; then
  echo "FAIL: libraries in $libdir"; exit 1
fi
export PKG_CONFIG_PATH=$libdir/pkgconfig

expect_allow() { # NAME COMMAND...
  local out
  out=$("${@:2}") || { echo "FAIL: $1 exited $?: $out"; exit 1; }
  [[ $out == "ALLOW "* ]] || { echo "FAIL: $1 printed '$out', not ALLOW"; exit 1; }
  echo "ok: $1: $out"
}

# pkg-config, shared (found at run time through the prefix) and static
# shellcheck disable=SC2046
cc -Wall -Wextra -Werror -o "$tmp/hello-pc" "$here/hello.c" $(pkg-config --cflags --libs cedar)
LD_LIBRARY_PATH=$libdir expect_allow "pkg-config" "$tmp/hello-pc"
# shellcheck disable=SC2046
cc -o "$tmp/hello-pc-static" "$here/hello.c" $(pkg-config --static --cflags cedar) \
  "$libdir/libcedar.a" $(pkg-config --static --libs cedar | sed 's/-lcedar\b//')
expect_allow "pkg-config --static" "$tmp/hello-pc-static"
if ldd "$tmp/hello-pc-static" | grep -q libcedar; then
  echo "FAIL: the static build links libcedar.so"; exit 1
fi

# C++: the header in a C++ program, warnings as errors
# shellcheck disable=SC2046
g++ -Wall -Wextra -Werror -x c++ -o "$tmp/hello-cxx" "$here/hello.c" $(pkg-config --cflags --libs cedar)
LD_LIBRARY_PATH=$libdir expect_allow "g++" "$tmp/hello-cxx"

# find_package(cedar CONFIG REQUIRED) in an outside CMake project
cp -r "$here/cmake" "$here/hello.c" "$tmp/"
cmake -S "$tmp/cmake" -B "$tmp/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_FLAGS="-Wall -Wextra -Werror" >"$tmp/cmake.log" 2>&1 ||
  { cat "$tmp/cmake.log"; echo "FAIL: find_package(cedar)"; exit 1; }
cmake --build "$tmp/cmake-build" >>"$tmp/cmake.log" 2>&1 || { cat "$tmp/cmake.log"; exit 1; }
expect_allow "find_package cedar::cedar" "$tmp/cmake-build/hello"
expect_allow "find_package cedar::cedar_static" "$tmp/cmake-build/hello_static"

# the ABI: only cedar_* exported
so=$(find "$libdir" -maxdepth 1 -name 'libcedar.so.*' -type f | head -1)
bash "$here/exports.sh" "$so"
