#!/usr/bin/env bash
# The model commands (compile, witness, prove-model) on bad input: a clear
# message naming the file and the problem, exit status 1, and no output
# written (no proof, no witness). Then their happy path on the MLP: compile
# and witness agree with prove-model, and a second prove-model reuses the key.
# Usage: cli_test.sh <path to zkacc>
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
zkacc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
models="$root/models"
work="$(mktemp -d -t zkacc-zkml-cli.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"
export ZKACC_PTAU_DIR="$work/ptau"

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect <exit status> <message substring> <command...>: on failure, the
# directory out/ must hold neither a proof nor a witness afterwards.
expect() {
  local want_rc="$1" want_msg="$2"; shift 2
  rm -rf out
  local rc=0
  "$@" >out.log 2>&1 || rc=$?
  if [[ "$rc" != "$want_rc" ]]; then fail "$* -> exit $rc, expected $want_rc: $(cat out.log)"; return 0; fi
  [[ -z "$want_msg" ]] || grep -qF -- "$want_msg" out.log || fail "$* -> message lacks \"$want_msg\": $(cat out.log)"
  if [[ "$want_rc" != 0 ]]; then
    for f in out/proof.json out/public.json out/witness.wtns out/circuit.r1cs; do
      [[ ! -e "$f" ]] || fail "$* left $f behind"
    done
  fi
  return 0
}

# Inputs and models to reject.
head -c 3000 "$models/mlp.onnx" > cut.onnx
printf 'not an onnx model' > text.onnx
: > empty.onnx
python3 - "$models/inputs/mlp_sample0.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
x = s["input"][0]
json.dump({"input": [x[:700]]}, open("short.json", "w"))
json.dump({"input": [x[:783] + ["bright"]]}, open("string.json", "w"))
json.dump({"input": [x], "input_shape": [1, 1, 28, 28]}, open("shape.json", "w"))
json.dump({"input": [[v * 3 for v in x]]}, open("overflow.json", "w"))
json.dump({"input": [x[:100] + [-0.5] + x[101:]]}, open("negative.json", "w"))
open("broken.json", "w").write('{"input": [0.1, 0.2')
PY
S0="$models/inputs/mlp_sample0.json"
MLP="$models/mlp.onnx"

expect 1 "cut.onnx: is not an ONNX model" "$zkacc" compile cut.onnx --calibration "$S0" -o out
expect 1 "text.onnx: is not an ONNX model" "$zkacc" compile text.onnx --calibration "$S0" -o out
expect 1 "empty.onnx: the file is empty" "$zkacc" compile empty.onnx --calibration "$S0" -o out
expect 1 "missing.onnx: cannot open" "$zkacc" compile missing.onnx --calibration "$S0" -o out
expect 1 "bad_missing_init.onnx: node 'fc' (Gemm): reads 'w_missing'" \
  "$zkacc" compile "$here/data/bad_missing_init.onnx" --calibration "$S0" -o out
expect 1 "node 'cos' (Cos): op Cos is not supported" \
  "$zkacc" prove-model "$here/data/bad_op.onnx" "$S0" --out out
expect 1 "needs --calibration input.json" "$zkacc" compile "$MLP" -o out
expect 1 "short.json: has 700 input values, the model's input [1, 784] takes 784" "$zkacc" compile "$MLP" --calibration short.json -o out

expect 0 "" "$zkacc" compile "$MLP" --calibration "$S0" -o compiled
expect 1 "short.json: has 700 input values" "$zkacc" witness "$MLP" compiled/settings.json short.json -o out
expect 1 "string.json: input[0][783] is a string, not a number" "$zkacc" witness "$MLP" compiled/settings.json string.json -o out
expect 1 "shape.json: \"input_shape\" is [1, 1, 28, 28], the model's input is [1, 784]" \
  "$zkacc" witness "$MLP" compiled/settings.json shape.json -o out
expect 1 "broken.json: is not valid JSON" "$zkacc" witness "$MLP" compiled/settings.json broken.json -o out
expect 1 "overflow.json: input value 2.05882 at index 299 is outside the circuit's input range [0, 1.98438]" "$zkacc" witness "$MLP" compiled/settings.json overflow.json -o out
expect 1 "negative.json: input value -0.5 at index 100 is outside the circuit's input range [0," \
  "$zkacc" witness "$MLP" compiled/settings.json negative.json -o out
expect 1 "settings.json: was made for mlp.onnx" "$zkacc" witness "$models/cnn.onnx" compiled/settings.json "$S0" -o out
expect 1 "overflow.json: input value 2.05882 at index 299" "$zkacc" prove-model "$MLP" overflow.json --settings compiled/settings.json --out out
expect 1 "string.json: input[0][783] is a string" "$zkacc" prove-model "$MLP" string.json --out out
expect 1 "unknown backend 'gpu'" "$zkacc" prove-model "$MLP" "$S0" --out out --backend gpu
expect 1 "pot4.ptau: powers of tau of 2^4 are too few for this circuit" \
  "$zkacc" prove-model "$MLP" "$S0" --out out --ptau "$root/tests/data/prover/pot4.ptau"
[[ ! -d out ]] || fail "prove-model with a too small --ptau wrote to --out"
[[ ! -d ptau ]] || fail "a rejected prove-model generated powers of tau"

# Happy path: witness from compile's settings = prove-model's with the same settings.
expect 0 "argmax: 9" "$zkacc" witness "$MLP" compiled/settings.json "$S0" -o wit
expect 0 "proof verified" "$zkacc" prove-model "$MLP" "$S0" --settings compiled/settings.json --out proved
grep -q "generated now (NOT a ceremony)" out.log || fail "prove-model did not generate the powers of tau"
cmp wit/witness.wtns proved/witness.wtns || fail "zkacc witness and prove-model made different witnesses"
cmp compiled/circuit.r1cs proved/circuit.r1cs || fail "zkacc compile and prove-model made different circuits"
"$zkacc" verify proved/verification_key.json proved/public.json proved/proof.json || fail "zkacc verify rejects the model proof"
expect 0 "load key (made earlier)" "$zkacc" prove-model "$MLP" "$S0" --settings compiled/settings.json --out proved
"$zkacc" verify proved/verification_key.json proved/public.json proved/proof.json || fail "the second proof does not verify"
expect 0 "setup (Groth16 key)" "$zkacc" prove-model "$MLP" "$S0" --settings compiled/settings.json --out proved --new-key

# Calibration over a data set: a JSON list or a directory of inputs, a
# statistic, one circuit for every input of the set; a set whose inputs
# disagree in shape is refused naming the input.
TSM="$root/tests/zkml/torch/tanh_sigmoid_mlp.onnx"
CAL="$root/tests/zkml/torch/tanh_sigmoid_mlp.calibration.json"
mkdir -p calset && cp "$S0" calset/a.json && cp "$models/inputs/mlp_sample1.json" calset/b.json
expect 0 "" "$zkacc" compile "$MLP" --calibration calset -o cal_dir
grep -q '"calibration": "calset (2 inputs, max)"' cal_dir/settings.json || fail "settings.json does not record the calibration set"
expect 0 "" "$zkacc" compile "$TSM" --calibration "$CAL" --calibration-statistic p99.99 -o cal_list
grep -q '16 inputs, p99.99' cal_list/settings.json || fail "settings.json does not record the statistic"
expect 0 "proof verified" "$zkacc" prove-model "$TSM" "$root/tests/zkml/torch/tanh_sigmoid_mlp.input.json" \
  --settings cal_list/settings.json --out cal_proved
python3 -c 'import json; x = json.load(open("short.json"))["input"][0]; json.dump([x + [0] * 84, x], open("mixed.json", "w"))'
expect 1 "mixed.json: input 1: has 700 input values" "$zkacc" compile "$MLP" --calibration mixed.json -o out
expect 1 "calibration statistic 'median' is not supported" "$zkacc" compile "$MLP" --calibration "$S0" --calibration-statistic median -o out

# Many inferences per proof: --batch proves a list (or directory) of inputs
# with one key and one proof; a bad input anywhere in the batch stops it
# before anything is written, naming the input.
B3="$here/data/mlp_batch3.json"
expect 0 "input 2: output" "$zkacc" prove-model "$MLP" "$B3" --batch --settings compiled/settings.json --out batch
grep -q "argmax: 1" out.log || fail "the batch's third input (a trouser) is not class 1"
"$zkacc" verify batch/verification_key.json batch/public.json batch/proof.json || fail "zkacc verify rejects the batch proof"
python3 - <<'PY' || fail "batch public.json or output.json is not every output, then every input"
import json
pub, out = json.load(open("batch/public.json")), json.load(open("batch/output.json"))
assert [i["argmax"] for i in out["instances"]] == [9, 2, 1], out
assert len(pub) == 3 * 10 + 3 * 784, len(pub)
r = 21888242871839275222246405745257275088548364400416034343698204186575808495617
signed = [int(v) - r if int(v) > r // 2 else int(v) for v in pub]
assert signed[:30] == sum((i["output_quantized"] for i in out["instances"]), []), "outputs"
PY
expect 0 "input 0: output" "$zkacc" prove-model "$MLP" calset --batch --out batch_dir  # a directory, calibrated on the batch
grep -q '"calibration": "calset (2 inputs, max)"' batch_dir/settings.json || fail "a batch without settings is not calibrated on itself"
python3 -c 'import json; a = json.load(open("'"$S0"'"))["input"]; b = json.load(open("overflow.json"))["input"]; json.dump([a, b], open("overbatch.json", "w"))'
expect 1 "overbatch.json: input 1: input value 2.05882 at index 299 is outside the circuit's input range" \
  "$zkacc" prove-model "$MLP" overbatch.json --batch --settings compiled/settings.json --out out
expect 1 "mixed.json: input 1: has 700 input values" "$zkacc" prove-model "$MLP" mixed.json --batch --out out

# A circuit estimated to need more memory than allowed: refused before
# anything is written (with a key made earlier, then with a new key).
expect 1 "with a key made earlier needs about 0.3 GiB of memory; 0.0 GiB allowed (--memory-limit)" \
  "$zkacc" prove-model "$MLP" "$S0" --settings compiled/settings.json --out out --memory-limit 0.01
expect 1 "with a new key needs about 0.3 GiB of memory; 0.3 GiB allowed (--memory-limit)" \
  "$zkacc" prove-model "$MLP" "$S0" --settings compiled/settings.json --out out --memory-limit 0.263
[[ ! -d out ]] || fail "a prove-model refused for memory wrote --out"

# zkacc eval: the quantized model against the float model over a set.
expect 0 "3 inputs: argmax agreement 3/3 (100.00 %)" "$zkacc" eval "$MLP" compiled/settings.json "$B3" -o eval.json --threads 2
python3 - <<'PY' || fail "eval.json does not hold the outputs of the batch proof"
import json
e, out = json.load(open("eval.json")), json.load(open("batch/output.json"))
assert e["inputs"] == 3 and e["argmax"] == [9, 2, 1] and e["float_argmax"] == [9, 2, 1], e["argmax"]
assert e["outputs"] == [i["output"] for i in out["instances"]], "eval and prove-model disagree"
assert max(abs(q - f) for a, b in zip(e["outputs"], e["float_outputs"]) for q, f in zip(a, b)) == e["max_abs_error"]
PY
expect 1 "overbatch.json: input 1: input value 2.05882 at index 299" "$zkacc" eval "$MLP" compiled/settings.json overbatch.json
expect 1 "settings.json: was made for mlp.onnx" "$zkacc" eval "$models/cnn.onnx" compiled/settings.json "$B3"

if ((failures)); then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "zkml cli: all checks passed"
