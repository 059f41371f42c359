#!/usr/bin/env bash
# Install what building and testing need on Debian 12 (run as root; a no-op
# when everything is present).
set -euo pipefail
# gnuplot-nox: the nightly DRT plot; zip: seed corpora of .clusterfuzzlite/build.sh;
# clang-format: the style test (tests/style); frama-c-base why3 cvc4 z3: the
# proofs (scripts/prove)
pkgs=(cmake make gcc clang clang-format llvm pkg-config libjansson-dev libbsd-dev libclang-rt-dev valgrind
  python3 bc gnuplot-nox zip frama-c-base why3 cvc4 z3)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node (for the official engine used as an oracle) may come from elsewhere:
# install Debian's only when there is no node at all.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Why3 must know the provers WP uses (scripts/prove)
if command -v why3 >/dev/null 2>&1 && ! why3 config list-provers 2>/dev/null | grep -q '^CVC4'; then
  why3 config detect >/dev/null
fi
