#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds zkacc and runs the main job.
#
# The main job proves a small quantized neural network's inference through
# the accelerator stack and verifies the proof: `zkacc prove-model` on the
# Fashion-MNIST MLP (models/mlp.onnx) and a test image, with the prover's
# NTTs and G1 MSMs on the Verilator models of the NTT and MSM kernels
# (--backend sim; the MSM kernel's point adder is its cycle-exact C++ model,
# sim/models), then `zkacc verify`
# of what it wrote. Before that it runs the layers underneath: a 2^16-point
# MSM on the CPU checked against known discrete logs, a 2^20 NTT checked by
# its inverse, a BN254 pairing-product check, an MSM and an NTT on the
# simulated kernels (with their cycle counts and projected card time), and a
# Groth16 proof of a circom circuit (snarkjs-made key and witness).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
zkacc="${ZKACC_BUILD_DIR:-$root/build}/bin/zkacc"
"$zkacc" info
"$zkacc" msm --size 65536
"$zkacc" ntt --size 1048576
"$zkacc" pairing-check
"$zkacc" msm --size 65536 --backend sim
"$zkacc" ntt --size 4096 --backend sim
circuit="$root/tests/data/prover/multiplier"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$zkacc" prove "$circuit/multiplier.zkey" "$circuit/multiplier.wtns" "$out/proof.json" "$out/public.json" --timings
"$zkacc" export-vkey "$circuit/multiplier.zkey" "$out/verification_key.json"
"$zkacc" verify "$out/verification_key.json" "$out/public.json" "$out/proof.json"
# ONNX model + input -> circuit, witness, key (powers of tau generated and
# cached on first use: NOT a ceremony) -> proof, verified; then verified again
# from the files alone.
# Every G1 MSM and NTT of the proof runs on the simulated kernels, as on a
# card (the G2 MSM stays on the CPU: the kernel adds G1 points).
"$zkacc" prove-model "$root/models/mlp.onnx" "$root/models/inputs/mlp_sample0.json" --out "$out/mlp" \
  --backend sim
"$zkacc" verify "$out/mlp/verification_key.json" "$out/mlp/public.json" "$out/mlp/proof.json"
echo "main job: ok"
