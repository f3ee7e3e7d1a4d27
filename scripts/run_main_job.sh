#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds zkacc and runs the main job.
#
# The main job will be: prove a small quantized neural network's inference
# through the accelerator stack and verify the proof. Until the prover and
# the ZKML front end exist, it runs the most complete path there is: a
# 2^16-point MSM on the CPU engine checked against known discrete logs, a
# 2^20 NTT checked by its inverse, and a BN254 pairing-product check.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
zkacc="${ZKACC_BUILD_DIR:-$root/build}/bin/zkacc"
"$zkacc" info
"$zkacc" msm --size 65536
"$zkacc" ntt --size 1048576
"$zkacc" pairing-check
echo "main job: ok"
