#!/usr/bin/python3
"""Writes random small valid ONNX graphs over the ops zkacc supports, with an
input each, for the differential test against onnxruntime
(differential_test.sh). Nothing here computes the expected output: the test
runs each graph in onnxruntime and in zkacc's quantized model.

    /usr/bin/python3 random_graphs.py SEED COUNT OUT_DIR

writes OUT_DIR/rand_<seed>_<k>.onnx and .input.json for k < COUNT. A graph
starts from an NCHW image or a feature vector, applies two to five random
ops (Conv with strides, pads and a BatchNormalization, pooling, zero Pads,
Relu, Sigmoid, Tanh, Erf, GELU in PyTorch's two exported forms, the piecewise-linear activations (Clip, LeakyRelu,
PRelu, HardSigmoid, HardSwish), Mul and Sub with constants, a residual Add,
Transpose, Slice, depthwise Conv with dilation, a squeeze-and-excitation gate (ReduceMean, Mul of
activations with broadcasting), Max/Min of two branches, ReduceMax, then
Gemm, Concat (with a constant too) and Split branches, Neg, Sub of activations, products of two
activations (Mul, and MatMul of a column by a row), ReduceSum, Softmax
along any axis, LayerNormalization as the op or decomposed, Div by a positive activation,
Reciprocal, Sqrt, Exp), and ends
in a Gemm. Weights are scaled by 1/sqrt(fan-in) so that values stay in
the ranges a trained network has. Needs python3-onnx and python3-numpy.
"""

import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


class Builder:
    def __init__(self, rng, name):
        self.rng, self.name = rng, name
        self.nodes, self.inits, self.n = [], [], 0

    def fresh(self, stem):
        self.n += 1
        return f"{stem}{self.n}"

    def const(self, a, dtype=np.float32):
        name = self.fresh("c")
        self.inits.append(numpy_helper.from_array(np.asarray(a, dtype=dtype), name))
        return name

    def node(self, op, inputs, **attrs):
        out = self.fresh(op.lower())
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def weights(self, shape, fan_in):
        return self.rng.normal(0, 1.0 / np.sqrt(fan_in), shape)


def image_op(b, x, shape):
    """One random op on an NCHW tensor; returns (name, shape)."""
    rng = b.rng
    _, c, h, w = shape
    kind = rng.choice(["conv", "conv_bn", "act", "maxpool", "avgpool", "pad_avgpool", "mul", "residual", "transpose", "slice",
                       "pwl", "gate", "max_min", "reduce_max", "softmax", "layer_norm", "depthwise"])
    if kind in ("conv", "conv_bn") or (kind in ("maxpool", "avgpool", "pad_avgpool") and min(h, w) < 4):
        k = int(rng.choice([1, 3])) if min(h, w) >= 3 else 1
        m, pad = int(rng.integers(1, 5)), int(rng.integers(0, 2)) if k == 3 else 0
        stride = int(rng.choice([1, 2])) if min(h, w) >= 6 else 1
        y = b.node("Conv", [x, b.const(b.weights((m, c, k, k), c * k * k)), b.const(rng.normal(0, 0.1, m))],
                   kernel_shape=[k, k], pads=[pad] * 4, strides=[stride, stride])
        if kind == "conv_bn":
            y = b.node("BatchNormalization", [y, b.const(rng.uniform(0.5, 1.5, m)), b.const(rng.normal(0, 0.2, m)),
                                              b.const(rng.normal(0, 0.2, m)), b.const(rng.uniform(0.5, 2, m))])
        return y, [1, m, (h + 2 * pad - k) // stride + 1, (w + 2 * pad - k) // stride + 1]
    if kind == "act":
        act = str(rng.choice(["Relu", "Sigmoid", "Tanh", "Erf", "Gelu"]))
        return (gelu(b, x) if act == "Gelu" else b.node(act, [x])), shape
    if kind == "pwl":
        return piecewise_linear(b, x, [1, c, 1, 1]), shape
    if kind == "gate":  # squeeze and excitation: x · sigmoid(mean over H, W)
        m = b.node("ReduceMean", [x], axes=[2, 3], keepdims=1)
        return b.node("Mul", [x, b.node("Sigmoid", [b.node("Mul", [m, b.const(rng.uniform(-2, 2, (1, c, 1, 1)))])])]), shape
    if kind == "max_min":
        y = b.node("Conv", [x, b.const(b.weights((c, c, 1, 1), c)), b.const(rng.normal(0, 0.1, c))], kernel_shape=[1, 1])
        return b.node(str(rng.choice(["Max", "Min"])), [x, y]), shape
    if kind == "depthwise" and min(h, w) >= 5:  # group = C, dilation 1 or 2 (the pads keep the size)
        d = int(rng.integers(1, 3))
        return b.node("Conv", [x, b.const(b.weights((c, 1, 3, 3), 9)), b.const(rng.normal(0, 0.1, c))], kernel_shape=[3, 3],
                      pads=[d] * 4, dilations=[d, d], group=c), shape
    if kind == "layer_norm":  # over the whole map (C, H, W): a short row of nearly equal values is ill-conditioned
        return layer_norm(b, x, [c, h, w], -3), shape
    if kind == "softmax":  # along a random axis of the map, times the map
        return b.node("Mul", [x, b.node("Softmax", [x], axis=int(rng.integers(1, 4)))]), shape
    if kind == "reduce_max":  # the map's maximum per channel, subtracted (broadcast)
        return b.node("Sub", [x, b.node("ReduceMax", [x], axes=[2, 3], keepdims=1)]), shape
    if kind == "maxpool":
        return b.node("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2]), [1, c, h // 2, w // 2]
    if kind == "avgpool":
        return b.node("AveragePool", [x], kernel_shape=[2, 2], strides=[1, 1]), [1, c, h - 1, w - 1]
    if kind == "pad_avgpool":  # zeros that the average counts
        p = b.node("Pad", [x, b.const([0, 0, 1, 0, 0, 0, 0, 1], np.int64)], mode="constant")
        return b.node("AveragePool", [p], kernel_shape=[2, 2], strides=[2, 2]), [1, c, (h + 1) // 2, (w + 1) // 2]
    if kind == "mul":
        return b.node("Mul", [x, b.const(rng.uniform(-2, 2, (1, c, 1, 1)))]), shape
    if kind == "residual":
        y = b.node("Conv", [x, b.const(b.weights((c, c, 3, 3), 9 * c)), b.const(rng.normal(0, 0.1, c))],
                   kernel_shape=[3, 3], pads=[1, 1, 1, 1])
        return b.node("Add", [b.node("Relu", [y]), x]), shape
    if kind == "transpose" or w < 3:
        return b.node("Transpose", [x], perm=[0, 1, 3, 2]), [1, c, w, h]
    # slice: drop the first column, every other row when there are enough
    step = 2 if h >= 4 else 1
    y = b.node("Slice", [x, b.const([0, 1], np.int64), b.const([h, w], np.int64), b.const([2, 3], np.int64),
                         b.const([step, 1], np.int64)])
    return y, [1, c, (h + step - 1) // step, w - 1]


def gelu(b, x):
    """GELU as PyTorch exports it before opset 20: the Erf form or the tanh form (with Pow 3)."""
    if b.rng.random() < 0.5:
        e = b.node("Erf", [b.node("Div", [x, b.const(np.sqrt(2))])])
        return b.node("Mul", [b.node("Mul", [x, b.node("Add", [e, b.const(1.0)])]), b.const(0.5)])
    inner = b.node("Add", [x, b.node("Mul", [b.const(0.044715), b.node("Pow", [x, b.const(3.0)])])])
    t = b.node("Tanh", [b.node("Mul", [b.const(np.sqrt(2 / np.pi)), inner])])
    return b.node("Mul", [b.const(0.5), b.node("Mul", [x, b.node("Add", [b.const(1.0), t])])])


def layer_norm(b, x, norm_shape, axis):
    """LayerNormalization over the axes from `axis` (norm_shape), as the op or as PyTorch's decomposed form."""
    rng = b.rng
    gamma, beta = b.const(rng.uniform(0.5, 1.5, norm_shape)), b.const(rng.normal(0, 0.2, norm_shape))
    if rng.random() < 0.5:
        return b.node("LayerNormalization", [x, gamma, beta], axis=axis, epsilon=1e-5)
    axes = list(range(axis, 0)) if axis < 0 else None
    m = b.node("ReduceMean", [x], axes=axes or [-1])
    c = b.node("Sub", [x, m])
    v = b.node("ReduceMean", [b.node("Pow", [c, b.const(2.0)])], axes=axes or [-1])
    q = b.node("Div", [c, b.node("Sqrt", [b.node("Add", [v, b.const(1e-5)])])])
    return b.node("Add", [b.node("Mul", [q, gamma]), beta])


def piecewise_linear(b, x, slope_shape):
    """A random piecewise-linear activation of x; PRelu slopes have slope_shape."""
    rng = b.rng
    kind = rng.choice(["Clip", "LeakyRelu", "PRelu", "HardSigmoid", "HardSwish"])
    if kind == "Clip":
        lo = float(np.round(rng.uniform(-1, 0), 2))
        return b.node("Clip", [x, b.const(lo), b.const(float(np.round(lo + rng.uniform(0.5, 2), 2)))])
    if kind == "LeakyRelu":
        return b.node("LeakyRelu", [x], alpha=float(np.round(rng.uniform(0.01, 0.3), 3)))
    if kind == "PRelu":
        return b.node("PRelu", [x, b.const(rng.uniform(-0.5, 0.5, slope_shape))])
    if kind == "HardSigmoid":
        return b.node("HardSigmoid", [x], alpha=float(np.round(rng.uniform(0.1, 0.5), 2)), beta=0.5)
    return b.node("HardSwish", [x])


def vector_op(b, x, f):
    """One random op on a [1, F] tensor; returns (name, F)."""
    rng = b.rng
    kind = rng.choice(["gemm", "act", "sub", "neg", "concat", "split_sub", "mul", "pwl", "product", "outer", "reduce_sum",
                       "softmax", "layer_norm", "divide"])
    if kind == "layer_norm":
        return layer_norm(b, x, [f], -1), f
    if kind == "divide":  # by, the reciprocal of, or the root of a positive p = 2·sigmoid(x) + 0.25
        p = b.node("Add", [b.node("Mul", [b.node("Sigmoid", [x]), b.const(2.0)]), b.const(0.25)])
        op = str(rng.choice(["Div", "Reciprocal", "Sqrt", "Exp"]))
        return b.node(op, [x, p] if op == "Div" else [x] if op == "Exp" else [p]), f
    if kind == "softmax":  # a probability vector, scaled back up
        return b.node("Mul", [b.node("Softmax", [x], axis=1), b.const(float(f))]), f
    if kind == "pwl":
        return piecewise_linear(b, x, [f]), f
    if kind == "product":  # two Gemm branches multiplied
        n = int(rng.integers(2, 8))
        y1 = b.node("Gemm", [x, b.const(b.weights((n, f), f)), b.const(rng.normal(0, 0.1, n))], transB=1)
        y2 = b.node("Gemm", [x, b.const(b.weights((n, f), f)), b.const(rng.normal(0, 0.1, n))], transB=1)
        return b.node("Mul", [y1, y2]), n
    if kind == "outer":  # MatMul of a column [n, 1] by a row [1, n], flattened
        n = int(rng.integers(2, 5))
        y1 = b.node("Gemm", [x, b.const(b.weights((n, f), f)), b.const(rng.normal(0, 0.1, n))], transB=1)
        y2 = b.node("Gemm", [x, b.const(b.weights((n, f), f)), b.const(rng.normal(0, 0.1, n))], transB=1)
        outer = b.node("MatMul", [b.node("Transpose", [y1]), y2])
        return b.node("Reshape", [outer, b.const([1, n * n], np.int64)]), n * n
    if kind == "reduce_sum":  # x gated by the tanh of its own sum (broadcast)
        return b.node("Mul", [x, b.node("Tanh", [b.node("ReduceSum", [x, b.const([1], np.int64)], keepdims=1)])]), f
    if kind == "gemm":
        n = int(rng.integers(2, 12))
        return b.node("Gemm", [x, b.const(b.weights((n, f), f)), b.const(rng.normal(0, 0.1, n))], transB=1), n
    if kind == "act":
        act = str(rng.choice(["Relu", "Sigmoid", "Tanh", "Erf", "Gelu"]))
        return (gelu(b, x) if act == "Gelu" else b.node(act, [x])), f
    if kind == "sub":
        return b.node("Sub", [x, b.const(rng.normal(0, 0.5, f))]), f
    if kind == "neg":
        return b.node("Neg", [x]), f
    if kind == "mul":
        return b.node("Mul", [x, b.const(rng.uniform(-2, 2, f))]), f
    if kind == "concat":  # two branches at their own scales, and half the time a constant among them
        n1, n2 = int(rng.integers(2, 6)), int(rng.integers(2, 6))
        y1 = b.node("Gemm", [x, b.const(b.weights((n1, f), f)), b.const(rng.normal(0, 0.1, n1))], transB=1)
        y2 = b.node("Gemm", [x, b.const(3 * b.weights((n2, f), f)), b.const(rng.normal(0, 0.1, n2))], transB=1)
        parts, n = [y1, y2], n1 + n2
        if rng.random() < 0.5:
            n3 = int(rng.integers(1, 4))
            parts.insert(int(rng.integers(0, 3)), b.const(rng.normal(0, 0.5, (1, n3))))
            n += n3
        return b.node("Concat", parts, axis=1), n
    if f < 2:
        return b.node("Relu", [x]), f
    half = f // 2
    s = b.fresh("split")
    b.nodes.append(helper.make_node("Split", [x, b.const([half, f - half], np.int64)], [s + "a", s + "b"], name=s, axis=1))
    if half != f - half:
        return s + "a", half
    return b.node("Sub", [s + "a", s + "b"]), half


def random_graph(seed, k, out_dir):
    rng = np.random.default_rng([seed, k])
    name = f"rand_{seed}_{k}"
    b = Builder(rng, name)
    image = rng.random() < 0.6
    if image:
        shape = [1, int(rng.integers(1, 4)), int(rng.integers(5, 9)), int(rng.integers(5, 9))]
        x, cur = "input", shape
        for _ in range(int(rng.integers(1, 4))):
            x, cur = image_op(b, x, cur)
        x = b.node("Flatten", [x])
        f = int(np.prod(cur))
    else:
        shape = [1, int(rng.integers(4, 17))]
        x, f = "input", shape[1]
    for _ in range(int(rng.integers(1, 3))):
        x, f = vector_op(b, x, f)
    out_n = int(rng.integers(2, 6))
    b.nodes.append(helper.make_node("Gemm", [x, b.const(b.weights((out_n, f), f)), b.const(rng.normal(0, 0.1, out_n))],
                                    ["output"], name="head", transB=1))
    g = helper.make_graph(b.nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, shape)],
                          [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, out_n])], b.inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)], producer_name="zkacc random graphs")
    onnx.checker.check_model(m, full_check=True)
    onnx.save(m, os.path.join(out_dir, name + ".onnx"))
    x = np.round(rng.uniform(-1, 1, shape), 4)
    with open(os.path.join(out_dir, name + ".input.json"), "w") as fh:
        json.dump({"input": x.reshape(-1).tolist(), "source": f"random_graphs.py seed {seed} graph {k}"}, fh)


if __name__ == "__main__":
    seed, count, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    for k in range(count):
        random_graph(seed, k, out)
