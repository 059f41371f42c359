# tests/hostile/lib.sh: what every hostile-input case file sources.
#
# A case file is run as: bash FILE CEDAR_BINARY SOURCE_ROOT BUILD_DIR
# with $SANITIZED set to 1 in sanitizer builds. It generates its inputs at
# run time into $tmp (nothing large is kept in git) and calls `hostile` for
# each: the command runs under a memory cap and a hang guard, and must exit
# with the wanted status and print the wanted pattern (a clean error with a
# location, or the right answer). A crash, a hang or a sanitizer report fails.
set -u
cedar=$1
root=$2
build=${3:-}
sanitized=${SANITIZED:-0}
# one line per error (file:line:column: error: message), for the patterns below
export CEDAR_ERROR_FORMAT=plain
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# Limits: address space (not under sanitizers: ASan reserves terabytes of
# shadow memory up front) and wall-clock time (sanitized builds are slower).
mem_kb=${HOSTILE_MEM_KB:-4194304}
time_s=${HOSTILE_TIME_S:-120}
[[ $sanitized == 1 ]] && time_s=$((time_s * 3))

# hostile NAME WANT_STATUS WANT_PATTERN [--stack KB] -- command...
#   WANT_STATUS may list alternatives: `0|1` (the right answer or a clean error)
#   --stack KB: run with that much main-thread stack (ulimit -s), to show that
#   no recursion over input-shaped data depends on the default 8 MB.
hostile() {
  local name=$1 want=$2 pattern=$3 stack=""
  shift 3
  if [[ $1 == --stack ]]; then
    stack=$2
    shift 2
  fi
  shift # --
  (
    [[ $sanitized == 1 ]] || ulimit -v "$mem_kb"
    [[ -n $stack ]] && ulimit -s "$stack"
    exec timeout -s KILL "$time_s" "$@"
  ) >"$tmp/out" 2>&1
  local got=$?
  if ! [[ $got =~ ^($want)$ ]] || { [[ -n $pattern ]] && ! grep -Eq -- "$pattern" "$tmp/out"; }; then
    echo "FAIL $name: status $got (want $want)${stack:+, stack ${stack} KB}; output:"
    head -c 2000 "$tmp/out" | sed 's/^/  | /'
    echo "  (wanted /$pattern/)"
    fail=$((fail + 1))
  else
    pass=$((pass + 1))
  fi
}

# The end of every case file: a summary line and the exit status.
hostile_done() {
  echo "hostile $(basename "$0" .sh): $pass passed, $fail failed"
  [[ $fail -eq 0 ]]
}
