#!/usr/bin/env bash
# bench/chains.sh: time and peak memory of the cedar CLI on long `||` chains
# (`principal == User::"u0" || ... || principal == User::"u<N-1>"`, true only
# by its last term): parse + evaluate (authorize) and parse + validate.
#   bench/chains.sh CEDAR_BINARY [N...]     (default N: 100000 1000000)
# Use a Release build: cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release
set -eu
cedar=$1
shift
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/s.cedarschema" <<'S'
entity User;
action a appliesTo { principal: User, resource: User };
S
echo '[]' >"$tmp/e.json"
measure() { # label command...
  local label=$1
  shift
  /usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >"$tmp/out" 2>&1 || true
  read -r secs kb <"$tmp/t"
  printf '%-28s %8s s %8s MB  %s\n' "$label" "$secs" "$((kb / 1024))" "$(head -c 40 "$tmp/out" | head -1)"
}
for n in "${sizes[@]}"; do
  python3 -c "n=$n; print('permit(principal,action,resource) when { ' + ' || '.join('principal == User::\"u%d\"' % i for i in range(n)) + ' };')" >"$tmp/p.cedar"
  echo "$n terms, $(($(stat -c %s "$tmp/p.cedar") / 1024)) KB of policy text"
  measure "  authorize (parse+eval)" "$cedar" authorize --policies "$tmp/p.cedar" --entities "$tmp/e.json" \
    --principal "User::\"u$((n - 1))\"" --action 'Action::"a"' --resource 'User::"r"'
  measure "  validate (parse+typecheck)" "$cedar" validate --schema "$tmp/s.cedarschema" --policies "$tmp/p.cedar"
  measure "  check-parse" "$cedar" check-parse --policies "$tmp/p.cedar"
done
