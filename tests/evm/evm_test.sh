#!/usr/bin/env bash
# zkacc's Solidity verifier in a real EVM (@ethereumjs/evm, compiled with
# solc; both pinned npm packages, installed on first use):
#   - for four keys: the snarkjs-made multiplier (2 public inputs), a model
#     proved by zkacc with few public inputs (where_select: 9), the MLP with
#     its input hashed (11: the logits and a Poseidon commitment, which
#     input_commitment.js recomputes with circomlibjs as a dApp would) and
#     the MLP with every pixel public (794), `zkacc export-solidity` and `zkacc
#     export-calldata`; the call data must equal snarkjs's `zkey export
#     soliditycalldata` byte for byte;
#   - the contract accepts the valid proof and refuses a changed proof, a
#     changed public input, an input >= r, a coordinate >= q and call data
#     one word too long or short (run_verifier.js); snarkjs's own exported
#     verifier accepts the same proofs (cross-check);
#   - gas per verification against the number of public inputs, written to
#     gas.json in $ZKACC_EVM_REPORT_DIR when set, and printed;
#   - the export commands' errors on bad input.
# Usage: evm_test.sh <path to zkacc>
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
zkacc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
evm_npm="$(bash "$here/install_evm.sh")"
snarkjs="$(bash "$root/tests/interop/install_npm.sh")/node_modules/.bin/snarkjs"
work="$(mktemp -d -t zkacc-evm.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"
export ZKACC_PTAU_DIR="$work/ptau"

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# check <name> <dir with verification_key.json, proof.json, public.json> [zkey]
check() {
  local name="$1" dir="$2" zkey="$3"
  echo "== $name"
  "$zkacc" export-solidity "$dir/verification_key.json" "$name.sol" --contract "${name^}Verifier" >/dev/null
  "$zkacc" export-calldata "$dir/proof.json" "$dir/public.json" --vkey "$dir/verification_key.json" >"$name.txt"
  "$snarkjs" zkey export soliditycalldata "$dir/public.json" "$dir/proof.json" >"${name}_snarkjs.txt"
  cmp -s "$name.txt" "${name}_snarkjs.txt" || fail "$name: zkacc's call data differs from snarkjs's"
  "$snarkjs" zkey export solidityverifier "$zkey" "${name}_snarkjs.sol" >/dev/null
  node "$here/run_verifier.js" "$evm_npm" "$name.json" "$name.sol" "${name}_snarkjs.sol" -- "$name.txt" ||
    fail "$name: the verifiers in the EVM (above)"
}

data="$root/tests/data/prover/multiplier"
mkdir -p multiplier && cp "$data/vk.json" multiplier/verification_key.json && cp "$data/proof.json" "$data/public.json" multiplier/
check multiplier multiplier "$data/multiplier.zkey"

"$zkacc" prove-model "$root/tests/zkml/data/where_select.onnx" "$root/tests/zkml/data/where_select.input.json" --out ws >/dev/null
check where ws ws/circuit.zkey

"$zkacc" prove-model "$root/models/mlp.onnx" "$root/models/inputs/mlp_sample0.json" \
  --settings "$root/models/reference/mlp.settings.json" --out mlp >/dev/null
check mlp mlp mlp/circuit.zkey

# The same MLP with its input hashed: 10 public logits and one Poseidon
# commitment instead of 784 pixels; the commitment recomputed the way a dApp
# would, with circomlibjs from input.json and the settings.
"$zkacc" prove-model "$root/models/mlp.onnx" "$root/models/inputs/mlp_sample0.json" \
  --settings "$root/models/reference/mlp.settings.json" --input-visibility hashed --out mlp_hashed >/dev/null
check mlp_hashed mlp_hashed mlp_hashed/circuit.zkey
node "$here/input_commitment.js" "$(dirname "$(dirname "$(dirname "$snarkjs")")")" \
  "$root/models/inputs/mlp_sample0.json" mlp_hashed/settings.json mlp_hashed/public.json ||
  fail "mlp_hashed: circomlibjs's commitment of the input differs from the proof's"

echo "== gas per verification (zkacc's verifier; transaction gas: 21,000 + call data + execution)"
python3 - multiplier.json where.json mlp_hashed.json mlp.json <<'PY' || fail "gas report"
import json, sys
rows = []
for f in sys.argv[1:]:
    r = json.load(open(f))
    ours, theirs = r["contracts"]
    valid = lambda c: next(k for k in c["cases"] if k["case"] == "valid")
    rows.append({"public_inputs": r["public_inputs"], "zkacc_execution_gas": valid(ours)["execution_gas"],
                 "zkacc_transaction_gas": valid(ours)["transaction_gas"], "zkacc_code_bytes": ours["code_bytes"],
                 "snarkjs_execution_gas": valid(theirs)["execution_gas"], "snarkjs_code_bytes": theirs["code_bytes"]})
    print(f'{r["public_inputs"]:5d} public inputs: zkacc {valid(ours)["transaction_gas"]:>9,} gas per transaction '
          f'({valid(ours)["execution_gas"]:,} execution, code {ours["code_bytes"]:,} bytes); '
          f'snarkjs {valid(theirs)["execution_gas"]:,} execution, code {theirs["code_bytes"]:,} bytes')
json.dump(rows, open("gas.json", "w"), indent=1)
PY
[[ -z "${ZKACC_EVM_REPORT_DIR:-}" ]] || cp gas.json "$ZKACC_EVM_REPORT_DIR/"

echo "== bad input to the export commands"
expect_error() {  # expect_error <message> <command...>
  local msg="$1"; shift
  if "$@" >err.log 2>&1; then fail "$* succeeded"; return; fi
  grep -qF -- "$msg" err.log || fail "$*: message lacks \"$msg\": $(cat err.log)"
}
sed 's/"groth16"/"plonk"/' multiplier/verification_key.json >plonk_vk.json
expect_error "plonk_vk.json" "$zkacc" export-solidity plonk_vk.json x.sol
python3 -c 'import json; p = json.load(open("multiplier/public.json")); p[0] = str(21888242871839275222246405745257275088548364400416034343698204186575808495617 + 1); json.dump(p, open("big_public.json", "w"))'
expect_error "big_public.json: signal 0" "$zkacc" export-calldata multiplier/proof.json big_public.json
python3 -c 'import json; p = json.load(open("multiplier/public.json")); json.dump(p + ["1"], open("long_public.json", "w"))'
expect_error "long_public.json: has 3 public signals, verification_key.json takes 2" \
  "$zkacc" export-calldata multiplier/proof.json long_public.json --vkey multiplier/verification_key.json
python3 -c 'import json; p = json.load(open("multiplier/public.json")); p[0] = str(int(p[0]) + 1); json.dump(p, open("wrong_public.json", "w"))'
expect_error "the proof does not verify" \
  "$zkacc" export-calldata multiplier/proof.json wrong_public.json --vkey multiplier/verification_key.json
echo '{"pi_a": ["1", "2"]}' >broken_proof.json
expect_error "broken_proof.json" "$zkacc" export-calldata broken_proof.json multiplier/public.json
[[ ! -e x.sol ]] || fail "export-solidity wrote a contract for a PLONK key"

if ((failures)); then echo "$failures failure(s)" >&2; exit 1; fi
echo "evm: all checks passed"
