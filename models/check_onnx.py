#!/usr/bin/python3
"""Check the exported example models without torch.

For each model: runs onnx.checker, lists the graph's ops and their attributes,
evaluates the ONNX graph with a small numpy interpreter (below; onnx 1.12 has
no onnx.reference and Debian has no onnxruntime) and compares the logits with
the float_logits that torch wrote into inputs/<name>_sample<k>.json. With
--full it also evaluates the ONNX file on the 10,000 Fashion-MNIST test images
and compares the accuracy with the one recorded in <name>.json.

    /usr/bin/python3 models/check_onnx.py [--full] [mlp cnn]

Exit status 0 when every check passes.
"""

import argparse
import glob
import gzip
import json
import os
import struct
import sys

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = "/usr/share/datasets/fashion-mnist"
SUPPORTED = {"Gemm", "MatMul", "Add", "Relu", "Conv", "MaxPool", "AveragePool",
             "GlobalAveragePool", "Flatten", "Reshape"}
TOL = 1e-4  # max |logit difference| accepted between this interpreter and torch


# ------------------------------------------------------------ numpy interpreter

def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def windows(x, kh, kw, sh, sw):
    """x: [N, C, H, W] -> [N, C, OH, OW, kh, kw] view of the pooling/conv windows."""
    n, c, h, w = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    s = x.strides
    return np.lib.stride_tricks.as_strided(
        x, (n, c, oh, ow, kh, kw), (s[0], s[1], s[2] * sh, s[3] * sw, s[2], s[3]),
        writeable=False)


def pad_nchw(x, pads, value=0.0):
    if not any(pads):
        return x
    t, l, b, r = pads[0], pads[1], pads[2], pads[3]
    return np.pad(x, ((0, 0), (0, 0), (t, b), (l, r)), constant_values=value)


def check_2d(node, a, allowed):
    for k, v in a.items():
        if k not in allowed:
            raise NotImplementedError(f"{node.name}: {node.op_type} attribute {k}={v}")


def op_conv(node, x, w, b=None):
    a = attrs(node)
    check_2d(node, a, {"kernel_shape", "strides", "pads", "dilations", "group"})
    if a.get("group", 1) != 1 or any(d != 1 for d in a.get("dilations", [1, 1])):
        raise NotImplementedError(f"{node.name}: only group=1, dilation=1")
    sh, sw = a.get("strides", [1, 1])
    x = pad_nchw(x, a.get("pads", [0, 0, 0, 0]))
    win = windows(np.ascontiguousarray(x), w.shape[2], w.shape[3], sh, sw)
    # [N, C, OH, OW, kh, kw] x [M, C, kh, kw] -> [N, M, OH, OW]
    y = np.einsum("nchwij,mcij->nmhw", win, w, optimize=True)
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    return y


def op_pool(node, x, kind):
    a = attrs(node)
    check_2d(node, a, {"kernel_shape", "strides", "pads", "ceil_mode", "dilations",
                       "count_include_pad", "storage_order"})
    if a.get("ceil_mode", 0) != 0:
        raise NotImplementedError(f"{node.name}: ceil_mode=1")
    kh, kw = a["kernel_shape"]
    sh, sw = a.get("strides", [1, 1])
    pads = a.get("pads", [0, 0, 0, 0])
    if any(pads) and kind == "avg" and not a.get("count_include_pad", 0):
        raise NotImplementedError(f"{node.name}: padded AveragePool without count_include_pad")
    x = pad_nchw(x, pads, -np.inf if kind == "max" else 0.0)
    win = windows(np.ascontiguousarray(x), kh, kw, sh, sw)
    return win.max(axis=(4, 5)) if kind == "max" else win.mean(axis=(4, 5))


def op_gemm(node, a_, b_, c_=None):
    a = attrs(node)
    if a.get("transA", 0):
        a_ = a_.T
    if a.get("transB", 0):
        b_ = b_.T
    y = a.get("alpha", 1.0) * (a_ @ b_)
    if c_ is not None:
        y = y + a.get("beta", 1.0) * c_
    return y


def run(model, x):
    g = model.graph
    env = {t.name: numpy_helper.to_array(t).astype(np.float64) if t.data_type == 1
           else numpy_helper.to_array(t) for t in g.initializer}
    env[g.input[0].name] = x.astype(np.float64)
    for node in g.node:
        ins = [env[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Conv":
            y = op_conv(node, *ins)
        elif op == "MaxPool":
            y = op_pool(node, ins[0], "max")
        elif op == "AveragePool":
            y = op_pool(node, ins[0], "avg")
        elif op == "GlobalAveragePool":
            y = ins[0].mean(axis=(2, 3), keepdims=True)
        elif op == "Relu":
            y = np.maximum(ins[0], 0.0)
        elif op == "Gemm":
            y = op_gemm(node, *ins)
        elif op == "MatMul":
            y = ins[0] @ ins[1]
        elif op == "Add":
            y = ins[0] + ins[1]
        elif op == "Flatten":
            ax = attrs(node).get("axis", 1)
            y = ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)
        elif op == "Reshape":
            shape = [int(s) for s in ins[1]]
            shape = [ins[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
            y = ins[0].reshape(shape)
        else:
            raise NotImplementedError(f"{node.name}: op {op} is outside the supported set")
        env[node.output[0]] = y
    return env[g.output[0].name]


# ------------------------------------------------------------ checks

def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def describe(model):
    rows = []
    for node in model.graph.node:
        a = attrs(node)
        a = {k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in a.items()}
        rows.append(f"  {node.op_type:<12} {list(node.input)} -> {list(node.output)} {a}")
    return rows


def check(name, full):
    ok = True
    path = os.path.join(HERE, f"{name}.onnx")
    meta = json.load(open(os.path.join(HERE, f"{name}.json")))
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    ops = [n.op_type for n in model.graph.node]
    print(f"{name}: {os.path.getsize(path)} bytes, opset "
          f"{[o.version for o in model.opset_import]}, checker OK")
    print(f"  ops: {' '.join(ops)}")
    bad = sorted(set(ops) - SUPPORTED)
    if bad:
        print(f"  FAIL: ops outside the supported set: {bad}")
        ok = False
    print("\n".join(describe(model)))
    io = [(v.name, [d.dim_value for d in v.type.tensor_type.shape.dim])
          for v in list(model.graph.input) + list(model.graph.output)]
    print(f"  graph input/output: {io}")
    if io[0] != ("input", meta["input_shape"]) or io[1] != ("logits", [1, 10]):
        print("  FAIL: graph input/output names or shapes differ from the metadata")
        ok = False

    worst = 0.0
    for sp in sorted(glob.glob(os.path.join(HERE, "inputs", f"{name}_sample*.json"))):
        s = json.load(open(sp))
        x = np.array(s["input"], dtype=np.float32).reshape(meta["input_shape"])
        got = run(model, x).reshape(-1)
        ref = np.array(s["float_logits"])
        d = float(np.abs(got - ref).max())
        worst = max(worst, d)
        agree = int(got.argmax()) == int(ref.argmax())
        print(f"  {os.path.basename(sp)}: label {s['label']}, argmax {int(got.argmax())}, "
              f"max |numpy - torch| = {d:.2e}{'' if agree else '  ARGMAX DIFFERS'}")
        ok &= agree
    if worst > TOL:
        print(f"  FAIL: logits differ from torch by {worst:.2e} > {TOL}")
        ok = False

    if full:
        x = read_idx(os.path.join(DATA_DIR, "t10k-images-idx3-ubyte.gz"))
        y = read_idx(os.path.join(DATA_DIR, "t10k-labels-idx1-ubyte.gz"))
        x = (x.astype(np.float32) / np.float32(255.0))
        correct = 0
        batch = 500
        for i in range(0, len(y), batch):
            xb = x[i:i + batch].reshape([-1] + meta["input_shape"][1:])
            # the graph has batch size 1 in its signature, but every op here is
            # batch-agnostic except Reshape/Flatten, which keep dim 0
            correct += int((run(model, xb).argmax(1) == y[i:i + batch]).sum())
        print(f"  ONNX (numpy) test accuracy {correct / len(y):.4f} "
              f"({correct}/{len(y)}); recorded {meta['float_test_accuracy']:.4f}")
        if correct != meta["float_test_correct"]:
            print("  NOTE: differs from the torch count (float rounding near ties)"
                  if abs(correct - meta["float_test_correct"]) <= 2 else "  FAIL")
            ok &= abs(correct - meta["float_test_correct"]) <= 2
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--full", action="store_true",
                    help="also measure accuracy of the ONNX file on the full test set")
    ap.add_argument("models", nargs="*", default=["mlp", "cnn"])
    args = ap.parse_args()
    ok = all([check(n, args.full) for n in args.models])
    print("all checks passed" if ok else "SOME CHECKS FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
