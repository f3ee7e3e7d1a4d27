#!/usr/bin/python3
"""Quantized reference evaluator: the integer model zkacc proves, in numpy.

It reads an ONNX model and a zkacc settings.json (from `zkacc compile` or
`zkacc prove-model`) and computes the fixed-point outputs the circuit must
produce, following only the rules written in settings.json and
docs/zkml.md, with none of zkacc's C++ code:

  value = integer * 2^-frac
  input:         round(x * 2^frac), ties away from zero, must fit its range
  Gemm/Conv:     w_q = round(w * 2^weight_frac), b_q = round(b * 2^(in_frac + weight_frac)),
                 acc = sum(w_q * x) + b_q, then rescale by s = in_frac + weight_frac - out_frac:
                 floor((acc + 2^(s-1)) / 2^s) for s > 0, acc * 2^-s otherwise;
                 the result must lie in [-2^(bits-1), 2^(bits-1)); then Relu if one follows
  MaxPool/Relu/Flatten/Reshape: exact on the integers
  AveragePool:   floor((window sum + floor(n/2)) / n), n = the window's size

It also evaluates the float model (check_onnx.run) so that a reference file
holds both. Supported: the ops of the committed models (Gemm, Conv, Relu,
MaxPool, AveragePool, Flatten).

    /usr/bin/python3 models/quantized_reference.py models/mlp.onnx settings.json --input models/inputs/mlp_sample0.json
    /usr/bin/python3 models/quantized_reference.py models/mlp.onnx models/reference/mlp.settings.json \\
        --test-images 100 --out models/reference/mlp_test100.json

The test images come from the Debian package dataset-fashion-mnist
(/usr/share/datasets/fashion-mnist, t10k files), preprocessed as in train.py
(pixel / 255, float32).
"""

import argparse
import hashlib
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_onnx  # noqa: E402  (the float numpy interpreter and the idx reader)

DATA_DIR = "/usr/share/datasets/fashion-mnist"


def round_away(x):
    """Round to nearest, ties away from zero, as int64."""
    return (np.sign(x) * np.floor(np.abs(x) + 0.5)).astype(np.int64)


def rescale(acc, s):
    acc = np.asarray(acc, dtype=np.int64)
    if s <= 0:
        return acc * (1 << -s)
    return (acc + (1 << (s - 1))) >> s  # arithmetic shift = floor division by 2^s


def check_range(name, q, bits, lo_zero=False):
    lo = 0 if lo_zero else -(1 << (bits - 1))
    hi = (1 << (bits - 1)) - 1
    if q.min() < lo or q.max() > hi:
        raise ValueError(f"{name}: values [{q.min()}, {q.max()}] outside [{lo}, {hi}]")


def windows(x, kh, kw, sh, sw):
    n, c, h, w = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    s = x.strides
    return np.lib.stride_tricks.as_strided(
        x, (n, c, oh, ow, kh, kw), (s[0], s[1], s[2] * sh, s[3] * sw, s[2], s[3]), writeable=False)


def layer_settings(settings):
    """ONNX node name -> the settings entry of the layer it belongs to."""
    by_node = {}
    for entry in settings["layers"]:
        for part in entry["name"].split("+"):
            by_node[part] = entry
    return by_node


def run_quantized(model, settings, x):
    """x: float input of the model's input shape. Returns (integers, frac)."""
    g = model.graph
    init = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in g.initializer}
    by_node = layer_settings(settings)
    inp = settings["input"]
    q = round_away(np.asarray(x, dtype=np.float64) * 2.0 ** inp["frac"])
    check_range("input", q, inp["bits"], inp["nonneg"])
    env = {g.input[0].name: (q, inp["frac"])}
    nodes = list(g.node)
    for i, node in enumerate(nodes):
        op = node.op_type
        a = check_onnx.attrs(node)
        x_q, f_in = env[node.input[0]]
        s = by_node[node.name]
        if op in ("Gemm", "Conv"):
            w = init[node.input[1]]
            b = init[node.input[2]] if len(node.input) > 2 else np.zeros(w.shape[0])
            wf = s["weight_frac"]
            w_q = round_away(w * 2.0 ** wf)
            b_q = round_away(b * 2.0 ** (f_in + wf))
            if op == "Gemm":
                assert not a.get("transA", 0) and a.get("alpha", 1.0) == 1.0 and a.get("beta", 1.0) == 1.0
                wm = w_q if a.get("transB", 0) else w_q.T  # [N, K]
                acc = x_q @ wm.T + b_q
            else:
                assert a.get("group", 1) == 1 and not any(a.get("pads", [0, 0, 0, 0]))
                sh, sw = a.get("strides", [1, 1])
                win = windows(np.ascontiguousarray(x_q), w.shape[2], w.shape[3], sh, sw)
                acc = np.einsum("nchwij,mcij->nmhw", win, w_q) + b_q.reshape(1, -1, 1, 1)
            y = rescale(acc, f_in + wf - s["frac"])
            check_range(s["name"], y, s["bits"])
            f_out = s["frac"]
        elif op == "Relu":
            y, f_out = np.maximum(x_q, 0), f_in
        elif op in ("MaxPool", "AveragePool"):
            assert not a.get("ceil_mode", 0) and not any(a.get("pads", [0, 0, 0, 0]))
            kh, kw = a["kernel_shape"]
            sh, sw = a.get("strides", [1, 1])
            win = windows(np.ascontiguousarray(x_q), kh, kw, sh, sw)
            if op == "MaxPool":
                y = win.max(axis=(4, 5))
            else:
                n = kh * kw
                y = (win.sum(axis=(4, 5)) + n // 2) // n
            f_out = f_in
        elif op == "Flatten":
            ax = a.get("axis", 1)
            y, f_out = x_q.reshape(int(np.prod(x_q.shape[:ax])), -1), f_in
        else:
            raise NotImplementedError(f"{node.name}: {op} is not in this reference evaluator")
        env[node.output[0]] = (y, f_out)
    return env[g.output[0].name]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("settings")
    ap.add_argument("--input", help="one input JSON (models/inputs format)")
    ap.add_argument("--test-images", type=int, default=0, help="the first N Fashion-MNIST test images")
    ap.add_argument("--out", help="write a reference JSON here")
    args = ap.parse_args()
    model = onnx.load(args.model)
    settings = json.load(open(args.settings))
    digest = hashlib.sha256(open(args.model, "rb").read()).hexdigest()
    if digest != settings["model"]["sha256"]:
        sys.exit(f"{args.settings} was made for another model (sha256 differs)")
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]

    if args.input:
        x = np.array(json.load(open(args.input))["input"], dtype=np.float32).reshape(shape)
        q, frac = run_quantized(model, settings, x)
        print(json.dumps({"output_quantized": q.reshape(-1).tolist(), "frac": frac,
                          "output": (q.reshape(-1) / 2.0 ** frac).tolist()}))
    if args.test_images:
        xs = check_onnx.read_idx(os.path.join(DATA_DIR, "t10k-images-idx3-ubyte.gz"))[:args.test_images]
        ys = check_onnx.read_idx(os.path.join(DATA_DIR, "t10k-labels-idx1-ubyte.gz"))[:args.test_images]
        xs = xs.astype(np.float32) / np.float32(255.0)
        outs, floats = [], []
        for img in xs:
            x = img.reshape(shape)
            q, frac = run_quantized(model, settings, x)
            outs.append(q.reshape(-1).tolist())
            floats.append(check_onnx.run(model, x).reshape(-1).tolist())
        qa = np.array(outs) / 2.0 ** frac
        fa = np.array(floats)
        agree = float((qa.argmax(1) == fa.argmax(1)).mean())
        err = float(np.abs(qa - fa).max())
        print(f"{os.path.basename(args.model)}: {args.test_images} test images, argmax agreement "
              f"{agree:.4f}, max |quantized - float| = {err:.4f}")
        if args.out:
            ref = {"model": os.path.basename(args.model), "model_sha256": digest,
                   "settings": os.path.basename(args.settings),
                   "source": "Fashion-MNIST test set (t10k), first images, from the Debian package "
                             "dataset-fashion-mnist; pixel / 255 as float32",
                   "made_by": "models/quantized_reference.py (numpy; float logits by check_onnx.run in float64)",
                   "images": args.test_images, "frac": frac, "labels": ys.tolist(),
                   "quantized_outputs": outs, "float_logits": floats,
                   "argmax_agreement": agree, "max_abs_logit_error": err}
            with open(args.out, "w") as f:
                json.dump(ref, f, indent=None, separators=(",", ":"))
                f.write("\n")


if __name__ == "__main__":
    main()
