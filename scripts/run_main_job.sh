#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds zkacc and runs the main job.
#
# The main job will be: prove a small quantized neural network's inference
# through the accelerator stack and verify the proof. Until the ZKML front
# end exists, it runs the most complete path there is: a 2^16-point MSM on
# the CPU engine checked against known discrete logs, a 2^20 NTT checked by
# its inverse, a BN254 pairing-product check, and a Groth16 proof of a
# circom circuit (snarkjs-made key and witness) proved and verified by zkacc.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
zkacc="${ZKACC_BUILD_DIR:-$root/build}/bin/zkacc"
"$zkacc" info
"$zkacc" msm --size 65536
"$zkacc" ntt --size 1048576
"$zkacc" pairing-check
circuit="$root/tests/data/prover/multiplier"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$zkacc" prove "$circuit/multiplier.zkey" "$circuit/multiplier.wtns" "$out/proof.json" "$out/public.json" --timings
"$zkacc" export-vkey "$circuit/multiplier.zkey" "$out/verification_key.json"
"$zkacc" verify "$out/verification_key.json" "$out/public.json" "$out/proof.json"
echo "main job: ok"
