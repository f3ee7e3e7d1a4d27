#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds zkacc and runs every test.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
(cd "${ZKACC_BUILD_DIR:-$root/build}" && ctest --output-on-failure --parallel "$(nproc)" "$@")
# Then the same unit tests under ASan + UBSan, and a short pass of every
# fuzz target (ZKACC_SKIP_HARDENING=1 skips this when iterating locally).
if [ "${ZKACC_SKIP_HARDENING:-0}" != 1 ]; then
  "$root/scripts/run_hardening.sh"
fi
