#!/usr/bin/env bash
# Prints the path of a prepared powers-of-tau file of the given power
# (default 9: circuits up to 2^9 constraints), made once with snarkjs
# (new, one contribution, prepare phase2) and cached next to the npm
# packages. Test-only: the contribution's entropy is fixed, it is no ceremony.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
power="${1:-9}"
npm_dir="$(bash "$here/install_npm.sh")"
snarkjs="$npm_dir/node_modules/.bin/snarkjs"
out="$npm_dir/ptau/pot${power}.ptau"
if [[ -f "$out" ]]; then
  echo "$out"
  exit 0
fi
mkdir -p "$npm_dir/ptau"
exec 9>"$npm_dir/ptau/.lock"
flock 9
if [[ ! -f "$out" ]]; then
  tmp="$(mktemp -d "$npm_dir/ptau/make.XXXXXX")"
  "$snarkjs" powersoftau new bn128 "$power" "$tmp/0.ptau" >/dev/null
  "$snarkjs" powersoftau contribute "$tmp/0.ptau" "$tmp/1.ptau" -e="zkacc interop tests" >/dev/null
  "$snarkjs" powersoftau prepare phase2 "$tmp/1.ptau" "$tmp/p.ptau" >/dev/null
  mv "$tmp/p.ptau" "$out"
  rm -rf "$tmp"
fi
echo "$out"
