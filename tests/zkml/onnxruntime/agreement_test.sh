#!/usr/bin/env bash
# Agreement of a committed model's quantized outputs with onnxruntime on
# real data: the first N Fashion-MNIST test images (Debian package
# dataset-fashion-mnist) run through onnxruntime-node in float32 and through
# zkacc's quantized model with the committed settings (models/reference/
# <model>.settings.json, calibrated on training images), via `zkacc eval`.
# Fails unless the argmaxes agree on at least MIN_PERCENT % of the images
# and zkacc's float evaluator matches onnxruntime within 1e-3 (so the
# quantized-vs-float error it reports is the error against onnxruntime).
# Prints the agreement, the largest logit error and the accuracies: the
# numbers docs/zkml.md reports for N = 1000.
#
# Usage: agreement_test.sh <path to zkacc> <model> <N> <MIN_PERCENT>
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
zkacc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
model="$2" n="$3" min_percent="$4"
ort="$(bash "$here/install_ort.sh")"
work="$(mktemp -d -t zkacc-agree.XXXXXX)"
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 - "$n" "$work" <<'PY'
import gzip, json, sys
import numpy as np
n, work = int(sys.argv[1]), sys.argv[2]
d = "/usr/share/datasets/fashion-mnist"
def idx(path):
    raw = gzip.open(path).read()
    nd = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(nd)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * nd).reshape(dims)
x = idx(f"{d}/t10k-images-idx3-ubyte.gz")[:n].astype(np.float32) / np.float32(255)
y = idx(f"{d}/t10k-labels-idx1-ubyte.gz")[:n]
# float32 values written exactly (repr of the float64 of each float32)
json.dump([[float(v) for v in img.reshape(-1)] for img in x], open(f"{work}/images.json", "w"))
json.dump([int(v) for v in y], open(f"{work}/labels.json", "w"))
PY

node "$here/run_ort.js" "$ort" "$root/models/$model.onnx" "$work/images.json" "$work/ort.json"
"$zkacc" eval "$root/models/$model.onnx" "$root/models/reference/$model.settings.json" "$work/images.json" \
  -o "$work/eval.json"

node - "$work" "$model" "$min_percent" <<'JS'
const fs = require('fs');
const [work, model, minPercent] = process.argv.slice(2);
const ort = JSON.parse(fs.readFileSync(`${work}/ort.json`)).outputs;
const zk = JSON.parse(fs.readFileSync(`${work}/eval.json`));
const labels = JSON.parse(fs.readFileSync(`${work}/labels.json`));
const argmax = (v) => v.indexOf(Math.max(...v));
let agree = 0, maxErr = 0, floatErr = 0, correctQ = 0, correctO = 0;
ort.forEach((o, i) => {
  const q = zk.outputs[i], f = zk.float_outputs[i];
  agree += argmax(q) === argmax(o);
  correctQ += zk.argmax[i] === labels[i];
  correctO += argmax(o) === labels[i];
  o.forEach((v, k) => {
    maxErr = Math.max(maxErr, Math.abs(q[k] - v));
    floatErr = Math.max(floatErr, Math.abs(f[k] - v));
  });
});
const n = ort.length, pct = (100 * agree) / n;
console.log(`${model}: ${n} test images: argmax agreement with onnxruntime ${agree}/${n} (${pct.toFixed(1)} %), ` +
  `max |zkacc quantized - onnxruntime| logit ${maxErr.toFixed(4)}, zkacc float vs onnxruntime ${floatErr.toExponential(2)}; ` +
  `accuracy quantized ${correctQ}/${n}, onnxruntime ${correctO}/${n}`);
let ok = true;
if (!(pct >= Number(minPercent))) { console.error(`FAIL ${model}: agreement ${pct} % < ${minPercent} %`); ok = false; }
if (!(floatErr <= 1e-3)) { console.error(`FAIL ${model}: zkacc's float evaluator differs from onnxruntime by ${floatErr}`); ok = false; }
process.exit(ok ? 0 : 1);
JS
