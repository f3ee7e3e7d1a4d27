#!/usr/bin/env bash
# Interop test of zkacc's ZKML front end against snarkjs, for one model
# (default: the committed models/<name>.onnx, input
# models/inputs/<name>_sample1.json; or a model and input given, such as the
# PyTorch exports of tests/zkml/torch):
#
#   zkacc prove-model makes the circuit, witness, powers of tau (generated,
#   NOT a ceremony; into ZKACC_INTEROP_PTAU_DIR when set, so tests of large
#   circuits share one file), key and proof; then
#     (a) `snarkjs r1cs info` reads circuit.r1cs (same constraint count) and
#         `snarkjs wtns check` finds witness.wtns satisfies it;
#     (b) `snarkjs groth16 verify` accepts zkacc's model proof, and
#         `snarkjs zkey export verificationkey` gives zkacc's verification_key.json
#         (without its "zkacc_public_signals");
#     (c) snarkjs's own setup from zkacc's generated .ptau, prove and verify
#         (below 100,000 constraints: snarkjs's setup of a larger circuit
#         takes minutes);
#     (d) a tampered public output (the claimed logit) is rejected by both verifiers.
#
# Usage: run_model_interop.sh <path to zkacc> <name> [<model.onnx> <input.json> [prove-model flags...]]
# (paths relative to the repository's root, flags too: --batch makes the
# input a list of inputs, proved by one proof of that many copies of the
# circuit; --settings models/reference/<m>.settings.json proves with
# settings calibrated elsewhere)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
zkacc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
name="$2"
model="$root/${3:-models/$name.onnx}"
input="$root/${4:-models/inputs/${name}_sample1.json}"
flags=()
for f in "${@:5}"; do
  [[ "$f" == *.json ]] && f="$root/$f"
  flags+=("$f")
done

npm_dir="$(bash "$here/install_npm.sh")"
snarkjs="$npm_dir/node_modules/.bin/snarkjs"

work="$(mktemp -d -t "zkacc-interop-model-$name.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"

label="model $name"
source "$here/steps.sh"

step "zkacc prove-model (powers of tau generated into ${ZKACC_INTEROP_PTAU_DIR:-the work directory})"
ZKACC_PTAU_DIR="${ZKACC_INTEROP_PTAU_DIR:-$work/ptau}" "$zkacc" prove-model "$model" "$input" "${flags[@]}" \
  --out out | tee prove.log
ptau_dir="${ZKACC_INTEROP_PTAU_DIR:-$work/ptau}"
ptau="$(ls -v "$ptau_dir"/generated_pot*.ptau | tail -1)"

step "(a) snarkjs r1cs info and wtns check"
"$snarkjs" r1cs info out/circuit.r1cs | tee info.log
read -r constraints inputs outputs < <(node -e '
  const c = require("./out/settings.json").circuit;  // one inference; a batch has that many copies
  const out = require("./out/output.json");
  const n = out.instances ? out.instances.length : 1;
  console.log(n * c.constraints, n * c.public_inputs, n * c.public_outputs)')
grep -q "# of Constraints: $constraints\$" info.log || fail "snarkjs counts other constraints than zkacc ($constraints)"
grep -q "# of Public Inputs: $inputs\$" info.log || fail "snarkjs does not see the $inputs public inputs"
grep -q "# of Outputs: $outputs\$" info.log || fail "snarkjs does not see the $outputs public outputs"
"$snarkjs" wtns check out/circuit.r1cs out/witness.wtns | tee check.log
grep -q "WITNESS IS CORRECT" check.log || fail "snarkjs finds the witness does not satisfy the circuit"

step "(b) snarkjs groth16 verify of zkacc's proof; verification key identical"
"$snarkjs" groth16 verify out/verification_key.json out/public.json out/proof.json | tee verify.log
grep -q "OK" verify.log || fail "snarkjs rejected zkacc's model proof"
if ((constraints < 100000)); then  # reading a large .zkey in JavaScript takes long; the small ones cover the format
  "$snarkjs" zkey export verificationkey out/circuit.zkey vk_snarkjs.json >/dev/null
  # prove-model's key is snarkjs's plus "zkacc_public_signals" (what the
  # signals stand for), which it writes last: without it, byte for byte.
  python3 - out/verification_key.json vk_zkacc.json <<'PY' || fail "verification_key.json lacks zkacc_public_signals"
import json, sys
vk = json.load(open(sys.argv[1]))
assert set(vk["zkacc_public_signals"]) == {"output", "input", "order"}
del vk["zkacc_public_signals"]
open(sys.argv[2], "w").write(json.dumps(vk, indent=1))
PY
  cmp vk_snarkjs.json vk_zkacc.json || fail "snarkjs exports another verification key from zkacc's zkey"
fi

if ((constraints < 100000)); then
step "(c) snarkjs setup from zkacc's generated ptau, snarkjs prove, both verify"
"$snarkjs" groth16 setup out/circuit.r1cs "$ptau" s.zkey >/dev/null
"$snarkjs" zkey export verificationkey s.zkey vk_s.json >/dev/null
"$snarkjs" groth16 prove s.zkey out/witness.wtns proof_s.json public_s.json
"$snarkjs" groth16 verify vk_s.json public_s.json proof_s.json | tee verify_s.log
grep -q "OK" verify_s.log || fail "snarkjs rejected its own proof with a key from zkacc's ptau"
"$zkacc" verify vk_s.json public_s.json proof_s.json
cmp public_s.json out/public.json || fail "snarkjs's public signals differ from zkacc's"
fi

step "(d) a tampered logit: both verifiers reject"
node -e '
  const fs = require("fs");
  const r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
  const pub = JSON.parse(fs.readFileSync("out/public.json"));
  pub[2] = ((BigInt(pub[2]) + 1n) % r).toString();  // output 2 (the class of the MLP sample 1)
  fs.writeFileSync("public_bad.json", JSON.stringify(pub, null, 1));
'
must_reject "zkacc verify" "$zkacc" verify out/verification_key.json public_bad.json out/proof.json
must_reject "snarkjs verify" "$snarkjs" groth16 verify out/verification_key.json public_bad.json out/proof.json

echo "PASS (model $name)"
