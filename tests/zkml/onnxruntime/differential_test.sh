#!/usr/bin/env bash
# Differential test against onnxruntime: every ONNX test graph with an input
# is compiled (calibrated on that input) and evaluated by zkacc's quantized
# model (`zkacc compile` + `zkacc witness`, whose witness is checked against
# the circuit before it is written), then run in float by onnxruntime-node;
# the outputs must agree within the graph's stated bound (the table below).
# A graph whose final Softmax zkacc does not prove is compared after a
# Softmax of zkacc's logits.
# Then random small graphs over the supported ops (random_graphs.py), a fixed
# number for a seed (ZKACC_TEST_SEED, default fixed; ZKACC_RANDOM_GRAPHS,
# default 50), each within 5 % of its largest output (at least 0.05): any
# disagreement fails, and the graph is kept for a look when
# ZKACC_KEEP_RANDOM_GRAPHS names a directory.
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
  "tests/zkml/data/attention      tests/zkml/data/attention.input.json      0.01"
  "tests/zkml/data/piecewise      tests/zkml/data/piecewise.input.json      0.16"
  "tests/zkml/data/products       tests/zkml/data/products.input.json       0.12"
  "tests/zkml/data/gelu_forms     tests/zkml/data/gelu_forms.input.json     rel:0.04"
  "tests/zkml/data/gelu_op        tests/zkml/data/gelu_op.input.json        0.01"
  "tests/zkml/data/softmax_attention tests/zkml/data/softmax_attention.input.json 0.003"
  "tests/zkml/data/layer_norm     tests/zkml/data/layer_norm.input.json     0.012"
  "tests/zkml/data/conv_variants  tests/zkml/data/conv_variants.input.json  0.03"
  "tests/zkml/data/embedding      tests/zkml/data/embedding.input.json      0.02"
  "tests/zkml/data/division       tests/zkml/data/division.input.json       0.05"
  "tests/zkml/data/exp_op         tests/zkml/data/exp_op.input.json         0.05"
  "tests/zkml/data/class_token    tests/zkml/data/class_token.input.json    0.01"
  "tests/zkml/data/where_select   tests/zkml/data/where_select.input.json   0.005"
  "tests/zkml/data/log_softmax_head tests/zkml/data/log_softmax_head.input.json 0.02"
  "tests/zkml/torch/avgpool_cnn      tests/zkml/torch/avgpool_cnn.input.json      0.05"
  "tests/zkml/torch/tanh_sigmoid_mlp tests/zkml/torch/tanh_sigmoid_mlp.input.json 0.05"
  "tests/zkml/torch/gelu_mlp         tests/zkml/torch/gelu_mlp.input.json         0.07"
  "tests/zkml/torch/vit_tiny         tests/zkml/torch/vit_tiny.input.json         0.15"
  "models/mlp                     models/inputs/mlp_sample0.json            0.15"
  "models/cnn                     models/inputs/cnn_sample0.json            0.15"
)

seed="${ZKACC_TEST_SEED:-20261207}"
count="${ZKACC_RANDOM_GRAPHS:-50}"
/usr/bin/python3 "$here/random_graphs.py" "$seed" "$count" "$work/random"
for ((k = 0; k < count; k++)); do
  cases+=("$work/random/rand_${seed}_$k $work/random/rand_${seed}_$k.input.json rel:0.05")
done

failures=0
for c in "${cases[@]}"; do
  read -r model input bound <<<"$c"
  [[ "$model" = /* ]] || model="$root/$model"
  [[ "$input" = /* ]] || input="$root/$input"
  name="$(basename "$model")"
  out="$work/$name"
  mkdir -p "$out"
  if ! "$zkacc" compile "$model.onnx" -o "$out" --calibration "$input" >"$out/log" 2>&1 ||
     ! "$zkacc" witness "$model.onnx" "$out/settings.json" "$input" -o "$out" >>"$out/log" 2>&1; then
    echo "FAIL $name: zkacc: $(cat "$out/log")" >&2
    failures=$((failures + 1))
    continue
  fi
  node "$here/run_ort.js" "$ort" "$model.onnx" "$input" "$out/ort.json"
  if node "$here/compare_outputs.js" "$out/output.json" "$out/ort.json" "$bound" "$name"; then :; else
    failures=$((failures + 1))
    if [[ -n "${ZKACC_KEEP_RANDOM_GRAPHS:-}" ]]; then mkdir -p "$ZKACC_KEEP_RANDOM_GRAPHS" && cp "$model.onnx" "$input" "$ZKACC_KEEP_RANDOM_GRAPHS/"; fi
  fi
done
total=${#cases[@]}
echo "differential: $((total - failures)) passed, $failures failed"
[[ "$failures" == 0 ]]
