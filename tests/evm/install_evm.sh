#!/usr/bin/env bash
# Installs the pinned npm packages the EVM tests run into a cache directory
# outside the source tree and prints that directory: solc (solcjs, the
# Solidity compiler) and @ethereumjs/evm (an in-process EVM with the BN254
# precompiles of EIP-196/197). A second run with the same pins returns at
# once.
#
#   ZKACC_NPM_DIR   where to install (default: $XDG_CACHE_HOME or ~/.cache,
#                   then zkacc/evm-npm-<pins>)
#
# Fails loudly when npm cannot install: the EVM tests run in CI, they are
# not skipped.
set -euo pipefail

SOLC_VERSION=0.8.37
ETHEREUMJS_VERSION=10.1.3
pins="solc-${SOLC_VERSION}_ethereumjs-${ETHEREUMJS_VERSION}"

dir="${ZKACC_NPM_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/zkacc/evm-npm-${pins}}"
stamp="$dir/.installed-$pins"
if [[ -f "$stamp" && -d "$dir/node_modules/solc" && -d "$dir/node_modules/@ethereumjs/evm" ]]; then
  echo "$dir"
  exit 0
fi

command -v npm >/dev/null || { echo "install_evm.sh: npm is not installed (apt-get install npm)" >&2; exit 1; }
mkdir -p "$dir"
exec 9>"$dir/.lock"
flock 9
if [[ ! -f "$stamp" ]]; then
  cat >"$dir/package.json" <<JSON
{ "name": "zkacc-evm", "private": true, "version": "0.0.0" }
JSON
  if ! npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
      "solc@${SOLC_VERSION}" "@ethereumjs/evm@${ETHEREUMJS_VERSION}" "@ethereumjs/util@${ETHEREUMJS_VERSION}" >&2; then
    echo "install_evm.sh: npm install failed (is the registry reachable?)" >&2
    exit 1
  fi
  touch "$stamp"
fi
echo "$dir"
