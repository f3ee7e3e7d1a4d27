#!/usr/bin/env bash
# Differential test against onnxruntime: every ONNX test graph with an input
# is compiled (calibrated on that input) and evaluated by zkacc's quantized
# model (`zkacc compile` + `zkacc witness`, whose witness is checked against
# the circuit before it is written), then run in float by onnxruntime-node;
# the outputs must agree within the graph's stated bound (the table below).
# A graph whose final Softmax zkacc does not prove is compared after a
# Softmax of zkacc's logits.
# Usage: differential_test.sh <path to zkacc>
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
zkacc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
ort="$(bash "$here/install_ort.sh")"
work="$(mktemp -d -t zkacc-ort.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# graph  input  bound: the largest |zkacc − onnxruntime| accepted on any
# output. 12-bit activations carry about 10 fractional bits after
# calibration; each layer's rounding (half a step), a Sigmoid/Tanh's table
# (at most one output step, docs/zkml.md) and 10-bit weights add up to the
# bounds below, which leave roughly 3× margin over what was measured.
cases=(
  "tests/zkml/data/matmul_add     tests/zkml/data/matmul_add.input.json     0.05"
  "tests/zkml/data/residual       tests/zkml/data/residual.input.json       0.02"
  "tests/zkml/data/batchnorm      tests/zkml/data/batchnorm.input.json      0.08"
  "tests/zkml/data/qdq            tests/zkml/data/qdq.input.json            0.10"
  "tests/zkml/data/sigmoid_tanh   tests/zkml/data/sigmoid_tanh.input.json   0.02"
  "tests/zkml/data/pad_pool       tests/zkml/data/pad_pool.input.json       0.05"
  "tests/zkml/data/qdq_alias      tests/zkml/data/qdq_alias.input.json      0.08"
  "tests/zkml/data/structure      tests/zkml/data/structure.input.json      0.10"
  "tests/zkml/data/arithmetic     tests/zkml/data/arithmetic.input.json     0.05"
  "tests/zkml/data/bn_rank3       tests/zkml/data/bn_rank3.input.json       0.03"
  "tests/zkml/torch/avgpool_cnn      tests/zkml/torch/avgpool_cnn.input.json      0.05"
  "tests/zkml/torch/tanh_sigmoid_mlp tests/zkml/torch/tanh_sigmoid_mlp.input.json 0.05"
  "models/mlp                     models/inputs/mlp_sample0.json            0.15"
  "models/cnn                     models/inputs/cnn_sample0.json            0.15"
)

failures=0
for c in "${cases[@]}"; do
  read -r model input bound <<<"$c"
  name="$(basename "$model")"
  out="$work/$name"
  mkdir -p "$out"
  if ! "$zkacc" compile "$root/$model.onnx" -o "$out" --calibration "$root/$input" >"$out/log" 2>&1 ||
     ! "$zkacc" witness "$root/$model.onnx" "$out/settings.json" "$root/$input" -o "$out" >>"$out/log" 2>&1; then
    echo "FAIL $name: zkacc: $(cat "$out/log")" >&2
    failures=$((failures + 1))
    continue
  fi
  node "$here/run_ort.js" "$ort" "$root/$model.onnx" "$root/$input" "$out/ort.json"
  if node "$here/compare_outputs.js" "$out/output.json" "$out/ort.json" "$bound" "$name"; then :; else
    failures=$((failures + 1))
  fi
done
total=${#cases[@]}
echo "differential: $((total - failures)) passed, $failures failed"
[[ "$failures" == 0 ]]
