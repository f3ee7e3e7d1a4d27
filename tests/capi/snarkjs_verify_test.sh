#!/usr/bin/env bash
# snarkjs (pinned, tests/interop/install_npm.sh) verifies the proof that the
# rapidsnark-API program (capi_rapidsnark_compat) made through
# libzkacc_capi.so, with the fixture's verification key.
#
# Usage: snarkjs_verify_test.sh <that program's work dir> <multiplier fixture dir>
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(realpath -m "$1")"
fixture="$(realpath -m "$2")"

npm_dir="$(bash "$here/../interop/install_npm.sh")"
"$npm_dir/node_modules/.bin/snarkjs" groth16 verify "$fixture/vk.json" "$work/public.json" "$work/proof.json" |
  tee "$work/snarkjs.log"
grep -q "OK" "$work/snarkjs.log"
