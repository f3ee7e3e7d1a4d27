#!/usr/bin/env bash
# Installs the pinned npm packages the interop tests run (snarkjs, circom2,
# circomlib, circomlibjs) into a cache directory outside the source tree and
# prints that directory. A second run with the same pins finds the stamp file
# and returns at once, so CI pays for the download only when the pins change.
#
#   ZKACC_NPM_DIR   where to install (default: $XDG_CACHE_HOME or ~/.cache,
#                   then zkacc/interop-npm-<pins>)
#
# Fails loudly (non-zero exit, npm's output on stderr) when npm cannot
# install: the interop tests are meant to run in CI, not to be skipped.
set -euo pipefail

SNARKJS_VERSION=0.7.6
CIRCOM2_VERSION=0.2.23
CIRCOMLIB_VERSION=2.0.5
CIRCOMLIBJS_VERSION=0.1.7
pins="snarkjs-${SNARKJS_VERSION}_circom2-${CIRCOM2_VERSION}_circomlib-${CIRCOMLIB_VERSION}_circomlibjs-${CIRCOMLIBJS_VERSION}"

dir="${ZKACC_NPM_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/zkacc/interop-npm-${pins}}"
stamp="$dir/.installed-$pins"
if [[ -f "$stamp" && -x "$dir/node_modules/.bin/snarkjs" && -x "$dir/node_modules/.bin/circom2" &&
      -d "$dir/node_modules/circomlibjs" ]]; then
  echo "$dir"
  exit 0
fi

command -v npm >/dev/null || { echo "install_npm.sh: npm is not installed (apt-get install npm)" >&2; exit 1; }
mkdir -p "$dir"
# Serialize concurrent installs (ctest -j runs several interop tests at once).
exec 9>"$dir/.lock"
flock 9
if [[ ! -f "$stamp" ]]; then
  cat >"$dir/package.json" <<JSON
{ "name": "zkacc-interop", "private": true, "version": "0.0.0" }
JSON
  if ! npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
      "snarkjs@${SNARKJS_VERSION}" "circom2@${CIRCOM2_VERSION}" "circomlib@${CIRCOMLIB_VERSION}" \
      "circomlibjs@${CIRCOMLIBJS_VERSION}" >&2; then
    echo "install_npm.sh: npm install failed (is the registry reachable?)" >&2
    exit 1
  fi
  touch "$stamp"
fi
echo "$dir"
