#!/usr/bin/env bash
# Installs the pinned onnxruntime-node package (the reference float runtime the
# ZKML tests compare against, see run_ort.js) into a cache directory outside
# the source tree and prints that directory. A second run with the same pin
# finds the stamp file and returns at once.
#
#   ZKACC_NPM_DIR   where to install (default: $XDG_CACHE_HOME or ~/.cache,
#                   then zkacc/ort-npm-<pins>)
#
# The npm tarball ships the CPU binaries for linux/x64 (libonnxruntime.so.1 and
# the N-API binding, built against glibc >= 2.28). Its postinstall script only
# fetches the optional CUDA/TensorRT providers from NuGet, which is not needed
# here and fails without access to NuGet, so it is skipped: both with
# --ignore-scripts and with ONNXRUNTIME_NODE_INSTALL=skip (the package's own
# switch), so only the npm registry is used.
#
# Fails loudly (non-zero exit, npm's output on stderr) when npm cannot install.
set -euo pipefail

ORT_VERSION=1.31.1
pins="onnxruntime-node-${ORT_VERSION}"

dir="${ZKACC_NPM_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/zkacc/ort-npm-${pins}}"
stamp="$dir/.installed-$pins"
pkg="$dir/node_modules/onnxruntime-node"
if [[ -f "$stamp" && -f "$pkg/package.json" ]]; then
  echo "$dir"
  exit 0
fi

command -v npm >/dev/null || { echo "install_ort.sh: npm is not installed (apt-get install npm)" >&2; exit 1; }
mkdir -p "$dir"
# Serialize concurrent installs (ctest -j may start several tests at once).
exec 9>"$dir/.lock"
flock 9
if [[ ! -f "$stamp" ]]; then
  cat >"$dir/package.json" <<JSON
{ "name": "zkacc-ort", "private": true, "version": "0.0.0" }
JSON
  if ! ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix "$dir" --no-audit --no-fund \
      --ignore-scripts --loglevel=error "onnxruntime-node@${ORT_VERSION}" >&2; then
    echo "install_ort.sh: npm install failed (is the registry reachable?)" >&2
    exit 1
  fi
  # Load the native binding once so a broken install fails here, not in a test.
  if ! (cd "$dir" && node -e "require('onnxruntime-node')" >&2); then
    echo "install_ort.sh: onnxruntime-node ${ORT_VERSION} was installed in $dir but does not load" >&2
    exit 1
  fi
  touch "$stamp"
fi
echo "$dir"
