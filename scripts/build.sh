#!/usr/bin/env bash
# Configures and builds zkacc (Release, Ninja, ccache when present) in build/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ZKACC_BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build "$build" --parallel "${ZKACC_BUILD_JOBS:-$(nproc)}"
