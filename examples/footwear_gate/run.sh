#!/usr/bin/env bash
# The footwear gate, end to end: a contract lists an item only with a proof
# that zkacc's Fashion-MNIST MLP classifies the item's private image as
# footwear (FootwearGate.sol; README "On chain").
#
#   1. `zkacc prove-model` on the committed MLP and its reference settings
#      with the input hashed: 10 public logits and one public Poseidon
#      commitment of the pixels (the key is made here from generated powers
#      of tau: fine for a demonstration, NOT for a contract others rely on:
#      docs/prover.md "On Ethereum" says how a production key is made);
#   2. `zkacc prove` again from the same key and witness, timed: the
#      prover's time and its price per proof on the cost report's CPU price;
#   3. the same for a non-footwear image (a pullover), with the same key;
#   4. `zkacc export-solidity`, `export-calldata`; run.js deploys the
#      verifier and FootwearGate in an in-process EVM and submits the proofs.
#
# Usage: bash examples/footwear_gate/run.sh [footwear image.json]
# Sets up and builds zkacc first (scripts/setup.sh, scripts/build.sh), unless
# ZKACC_BIN names a built zkacc.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [[ -z "${ZKACC_BIN:-}" ]]; then
  "$root/scripts/setup.sh"
  "$root/scripts/build.sh"
  ZKACC_BIN="${ZKACC_BUILD_DIR:-$root/build}/bin/zkacc"
fi
zkacc="$ZKACC_BIN"
image="${1:-$root/models/inputs/mlp_sample0.json}"
other="$root/models/inputs/mlp_sample1.json"  # label 2, a pullover
evm_npm="$(bash "$root/tests/evm/install_evm.sh")"
work="$(mktemp -d -t zkacc-footwear.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "== proving the MLP's inference on $(basename "$image") (input hashed)"
"$zkacc" prove-model "$root/models/mlp.onnx" "$image" --settings "$root/models/reference/mlp.settings.json" \
  --input-visibility hashed --out "$work/shoe" | grep -E "^(output|argmax|circuit)"
start=$(date +%s%N)
"$zkacc" prove "$work/shoe/circuit.zkey" "$work/shoe/witness.wtns" "$work/shoe/proof.json" "$work/shoe/public.json" >/dev/null
prove_ms=$((($(date +%s%N) - start) / 1000000))
"$zkacc" verify "$work/shoe/verification_key.json" "$work/shoe/public.json" "$work/shoe/proof.json" >/dev/null
# The cost report's CPU price (docs/cost.md): AWS c6i.large, $0.085/h for 2 vCPUs.
python3 - "$prove_ms" "$(nproc)" <<'PY'
import sys
ms, threads = int(sys.argv[1]), int(sys.argv[2])
usd = ms / 1000 * min(threads, 2) * 0.0425 / 3600
print(f"prover: {ms} ms on {threads} threads = ${usd:.7f} per proof (${usd * 1e6:,.0f} per million) at $0.0425 per vCPU-hour")
PY

echo "== a pullover ($(basename "$other")) proved with the same key"
"$zkacc" witness "$root/models/mlp.onnx" "$work/shoe/settings.json" "$other" --out "$work/pullover" | grep -E "^argmax" || true
"$zkacc" prove "$work/shoe/circuit.zkey" "$work/pullover/witness.wtns" "$work/pullover/proof.json" "$work/pullover/public.json" >/dev/null

echo "== on chain (@ethereumjs/evm)"
"$zkacc" export-solidity "$work/shoe/verification_key.json" "$work/Verifier.sol" --contract MlpVerifier >/dev/null
"$zkacc" export-calldata "$work/shoe/proof.json" "$work/shoe/public.json" >"$work/shoe.txt"
"$zkacc" export-calldata "$work/pullover/proof.json" "$work/pullover/public.json" >"$work/pullover.txt"
node "$here/run.js" "$evm_npm" "$work/Verifier.sol" "$here/FootwearGate.sol" "$work/shoe.txt" "$work/pullover.txt"
echo "footwear gate: ok"
