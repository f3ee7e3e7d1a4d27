#!/usr/bin/python3
"""Writes the small ONNX models of the zkml op tests (tests/zkml/ops_test.cpp)
and, for each valid one, an input with the float output computed here by
numpy (independently of zkacc's evaluator).

    /usr/bin/python3 tests/zkml/data/make_test_models.py    # rewrites tests/zkml/data/*.onnx, *.json

Needs Debian's python3-onnx and python3-numpy (system interpreter). Weights
come from a fixed numpy seed, so the files are reproducible.

Valid models (each exercises ops the committed MLP/CNN do not):
  matmul_add   MatMul + Add (bias folded), Relu, MatMul + Add
  residual     Conv (pad 1) + Relu, Add of two activations, GlobalAveragePool
               (a divisor of 36), Reshape, Gemm, final Softmax (not proved)
  batchnorm    Conv (stride 2, pad 1) + BatchNormalization + Relu, padded
               MaxPool, AveragePool 3x3 with padding (count_include_pad 0),
               Flatten, Gemm + BatchNormalization
  qdq          a QDQ model: QuantizeLinear/DequantizeLinear on activations,
               int8 weights and int32 bias through DequantizeLinear
  sigmoid_tanh Gemm + Sigmoid, Gemm + Tanh (the piecewise-quadratic gadget)
  pad_pool     Pad before a Conv (folded into its padding), Pad before an
               AveragePool (the zeros are averaged), a Dropout and an Identity
  bn_rank3     regression: BatchNormalization after a rank-3 MatMul whose
               axis 1 has as many entries as the features; ONNX normalizes
               axis 1, an earlier importer folded it along the features
  arithmetic   Mul, Div, Sub and Neg with constants, Sub of two activations,
               and a BatchNormalization after a Relu (a Scale layer)
  qdq_alias    regression: a Q→DQ pair gives a Gemm's output a second name;
               a Relu reads that name while an Add reads the first, so the
               Relu must not be fused into the Gemm (an earlier importer
               counted readers per name and proved relu(g) + relu(g))
  structure    Split, Concat of tensors at different scales, Unsqueeze,
               Transpose, Squeeze, Slice with a step, Gather with constant
               indices, Expand, and a dynamic-shape subgraph (Shape, Gather,
               Unsqueeze, ConstantOfShape, Cast, Concat) feeding a Reshape
  attention    a self-attention block without its Softmax: MatMul of two
               activations (QKᵀ with a Transpose, then A·V), a Sigmoid gate
               multiplied in (Mul of activations), ReduceMean, Gemm
  piecewise    Clip (ReLU6), LeakyRelu, PRelu, HardSigmoid, HardSwish, Max
               and Min with broadcasting, ReduceMax, ReduceSum, Max with a
               constant (a Clip)
  softmax_attention  attention with its Softmax (along the keys), a
               second Softmax along axis 1, a final Softmax (dropped)
  conv_variants  depthwise Conv (group = C), grouped Conv (group 2) with a
               Relu, dilated Conv (dilations 2), a 1-D Conv (stride 2, pads,
               dilation 2) on the flattened map
  embedding    a text model's front: int64 token ids, an embedding lookup
               (Gather by the input), a position Add, LayerNormalization,
               attention with Softmax, a mean over the tokens, a head;
               and bad_embed_computed (ids computed inside the graph)
  exp_op       Exp between two Gemms (e^x up to the calibrated range)
  where_select  Equal of constants and Where with constant conditions
               (between two activations, and an activation and a
               constant); bad_where_dynamic: Greater of an activation
  mlp_batch3.json  the committed MLP's three sample inputs as one list (prove-model --batch)
  log_softmax_head  Gemm, Relu, Gemm, a final LogSoftmax (dropped: the
               logits are proved; float_output holds them)
  class_token  a vision transformer's front: strided-Conv patches, a class
               token (Expand of a parameter) and a second constant token
               joined with them by Concat, a position Add, softmax
               attention, a head on the class token (Gather index 0)
  division     Div of two activations (a broadcast divisor), Reciprocal and
               Sqrt of a positive activation; div_negative divides by −x
               (no input: a test proves a positive x is refused)
  layer_norm   LayerNormalization (opset 17) over the last axis and over
               the last two axes, and the decomposed form (ReduceMean, Sub,
               Pow 2, ReduceMean, Add ε, Sqrt, Div, Mul γ, Add β), fused
  gelu_forms   GELU's Erf form twice: once fusable, once with the Erf's
               output read elsewhere too (so Div, Erf, Add, Mul, Mul stay
               separate layers); Pow 3
  gelu_op      the Gelu op of opset 20 (approximate "tanh" and "none");
               python3-onnx 1.12 knows opsets up to 17, so this one file
               skips the checker (onnxruntime checks it in the
               differential test)
  products     Gemm of two activations (transB, alpha, C), a batched MatMul
               whose right operand broadcasts, MatMul by a vector, Mul with
               both operands broadcast, Sum of three, Mean of two, Sub with
               broadcasting
Invalid models (the importer must name node, op and what is supported):
  bad_op (Cos), bad_group (Conv group 3 on 2 channels), bad_missing_init (Gemm weight
  missing), bad_logsoftmax (LogSoftmax before a Gemm: only a final one is supported), bad_dilation (MaxPool
  dilations 2), bad_huge_input (2^25 input values, over the tensor limit),
  bad_pad_maxpool
  (a zero Pad before a MaxPool: zero is not -inf, so it cannot fold),
  bad_gather_dynamic (an embedding lookup by a float input: ids must be
  the int64/int32 input),
  bad_div (Div of
  a constant by an activation), bad_empty (a Slice that keeps nothing: an empty tensor)
"""

import json
import math
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240611)


def init(name, a, dtype=np.float32):
    return numpy_helper.from_array(np.asarray(a, dtype=dtype), name)


def save(name, nodes, inits, in_shape, out_shape, x=None, y=None, opset=13, check=True, in_type=TensorProto.FLOAT):
    g = helper.make_graph(nodes, name, [helper.make_tensor_value_info("input", in_type, in_shape)],
                          [helper.make_tensor_value_info("output", TensorProto.FLOAT, out_shape)], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], producer_name="zkacc tests")
    if check and not name.startswith("bad_"):
        onnx.checker.check_model(m, full_check=True)
    onnx.save(m, os.path.join(HERE, name + ".onnx"))
    if x is not None:
        with open(os.path.join(HERE, name + ".input.json"), "w") as f:
            json.dump({"input": x.reshape(-1).tolist(), "input_shape": list(in_shape),
                       "float_output": y.reshape(-1).tolist(),
                       "source": "tests/zkml/data/make_test_models.py (numpy float64)"}, f)
            f.write("\n")


# ---------------------------------------------------------------- numpy float ops

def conv(x, w, b, stride=1, pad=0):
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    n, c, h, wd = x.shape
    m, _, kh, kw = w.shape
    oh, ow = (h - kh) // stride + 1, (wd - kw) // stride + 1
    y = np.zeros((n, m, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            y[:, :, i, j] = np.einsum("nchw,mchw->nm", patch, w)
    return y + b.reshape(1, -1, 1, 1)


def pool(x, k, stride, pad, kind):
    fill = -np.inf if kind == "max" else np.nan
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)), constant_values=fill)
    n, c, h, w = x.shape
    oh, ow = (h - k) // stride + 1, (w - k) // stride + 1
    y = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            win = x[:, :, i * stride:i * stride + k, j * stride:j * stride + k]
            y[:, :, i, j] = win.max(axis=(2, 3)) if kind == "max" else np.nanmean(win, axis=(2, 3))
    return y


def bn(x, gamma, beta, mean, var, eps=1e-5, axis=1):
    shape = [1] * x.ndim
    shape[axis] = -1
    r = lambda v: v.reshape(shape)
    return (x - r(mean)) / np.sqrt(r(var) + eps) * r(gamma) + r(beta)


def relu(x):
    return np.maximum(x, 0)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


# ---------------------------------------------------------------- valid models

def matmul_add():
    w1, b1 = f32(rng.normal(0, 0.4, (16, 8))), f32(rng.normal(0, 0.1, 8))
    w2, b2 = f32(rng.normal(0, 0.4, (8, 4))), f32(rng.normal(0, 0.1, 4))
    nodes = [helper.make_node("MatMul", ["input", "w1"], ["h1"], name="mm1"),
             helper.make_node("Add", ["h1", "b1"], ["h2"], name="add1"),
             helper.make_node("Relu", ["h2"], ["h3"], name="relu1"),
             helper.make_node("MatMul", ["h3", "w2"], ["h4"], name="mm2"),
             helper.make_node("Add", ["b2", "h4"], ["output"], name="add2")]
    x = f32(rng.uniform(-1, 1, (1, 16)))
    y = relu(x @ w1 + b1) @ w2 + b2
    save("matmul_add", nodes, [init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2)], [1, 16], [1, 4], x, y)


def residual():
    w, b = f32(rng.normal(0, 0.3, (2, 2, 3, 3))), f32(rng.normal(0, 0.1, 2))
    g, gb = f32(rng.normal(0, 0.5, (3, 2))), f32(rng.normal(0, 0.1, 3))
    nodes = [helper.make_node("Conv", ["input", "w", "b"], ["c"], name="conv", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
             helper.make_node("Relu", ["c"], ["r"], name="relu"),
             helper.make_node("Add", ["r", "input"], ["s"], name="skip"),
             helper.make_node("GlobalAveragePool", ["s"], ["p"], name="gap"),
             helper.make_node("Reshape", ["p", "shape"], ["f"], name="reshape"),
             helper.make_node("Gemm", ["f", "g", "gb"], ["logits"], name="fc", transB=1),
             helper.make_node("Softmax", ["logits"], ["output"], name="softmax", axis=1)]
    x = f32(rng.uniform(-1, 1, (1, 2, 6, 6)))
    s = relu(conv(x, w, b, 1, 1)) + x
    y = s.mean(axis=(2, 3)).reshape(1, 2) @ g.T + gb  # the logits: zkacc proves these, not the Softmax
    save("residual", nodes, [init("w", w), init("b", b), init("g", g), init("gb", gb),
                             init("shape", [1, -1], np.int64)], [1, 2, 6, 6], [1, 3], x, y)


def batchnorm():
    w, b = f32(rng.normal(0, 0.4, (3, 1, 3, 3))), f32(rng.normal(0, 0.1, 3))
    bn1 = [f32(rng.uniform(0.5, 1.5, 3)), f32(rng.normal(0, 0.2, 3)), f32(rng.normal(0, 0.2, 3)), f32(rng.uniform(0.5, 2, 3))]
    g, gb = f32(rng.normal(0, 0.3, (4, 27))), f32(rng.normal(0, 0.1, 4))
    bn2 = [f32(rng.uniform(0.5, 1.5, 4)), f32(rng.normal(0, 0.2, 4)), f32(rng.normal(0, 0.2, 4)), f32(rng.uniform(0.5, 2, 4))]
    nodes = [helper.make_node("Conv", ["input", "w", "b"], ["c"], name="conv", strides=[2, 2], pads=[1, 1, 1, 1]),
             helper.make_node("BatchNormalization", ["c", "s1", "b1", "m1", "v1"], ["n"], name="bn1", epsilon=1e-5),
             helper.make_node("Relu", ["n"], ["r"], name="relu"),
             helper.make_node("MaxPool", ["r"], ["mp"], name="maxpool", kernel_shape=[2, 2], strides=[1, 1], pads=[1, 1, 0, 0]),
             helper.make_node("AveragePool", ["mp"], ["ap"], name="avgpool", kernel_shape=[3, 3], strides=[2, 2],
                              pads=[1, 1, 1, 1], count_include_pad=0),
             helper.make_node("Flatten", ["ap"], ["f"], name="flatten", axis=1),
             helper.make_node("Gemm", ["f", "g", "gb"], ["l"], name="fc", transB=1),
             helper.make_node("BatchNormalization", ["l", "s2", "b2", "m2", "v2"], ["output"], name="bn2", epsilon=1e-5)]
    x = f32(rng.uniform(0, 1, (1, 1, 9, 9)))
    c = relu(bn(conv(x, w, b, 2, 1), *bn1))                       # [1, 3, 5, 5]
    mp = pool(np.pad(c, ((0, 0), (0, 0), (1, 0), (1, 0)), constant_values=-np.inf), 2, 1, 0, "max")  # [1, 3, 5, 5]
    ap = pool(mp, 3, 2, 1, "avg")                                  # [1, 3, 3, 3]
    y = bn(ap.reshape(1, -1) @ g.T + gb, *bn2)
    inits = [init("w", w), init("b", b), init("g", g), init("gb", gb)]
    inits += [init(n, v) for n, v in zip(["s1", "b1", "m1", "v1"], bn1)]
    inits += [init(n, v) for n, v in zip(["s2", "b2", "m2", "v2"], bn2)]
    save("batchnorm", nodes, inits, [1, 1, 9, 9], [1, 4], x, y)


def qdq():
    w_q = rng.integers(-100, 100, (2, 1, 3, 3)).astype(np.int8)
    w_s = np.array([0.004, 0.006], dtype=np.float32)
    b_q = rng.integers(-500, 500, 2).astype(np.int32)
    g_q = rng.integers(-120, 120, (3, 32)).astype(np.int8)
    g_s = np.float32(0.01)
    x_s = np.float32(1 / 64)
    nodes = [helper.make_node("QuantizeLinear", ["input", "xs", "xz"], ["xq"], name="q_in"),
             helper.make_node("DequantizeLinear", ["xq", "xs", "xz"], ["xd"], name="dq_in"),
             helper.make_node("DequantizeLinear", ["wq", "ws", "wz"], ["w"], name="dq_w", axis=0),
             helper.make_node("DequantizeLinear", ["bq", "bs"], ["b"], name="dq_b", axis=0),
             helper.make_node("Conv", ["xd", "w", "b"], ["c"], name="conv"),
             helper.make_node("Relu", ["c"], ["r"], name="relu"),
             helper.make_node("QuantizeLinear", ["r", "rs", "rz"], ["rq"], name="q_r"),
             helper.make_node("DequantizeLinear", ["rq", "rs", "rz"], ["rd"], name="dq_r"),
             helper.make_node("Flatten", ["rd"], ["f"], name="flatten"),
             helper.make_node("DequantizeLinear", ["gq", "gs"], ["g"], name="dq_g"),
             helper.make_node("Gemm", ["f", "g"], ["output"], name="fc", transB=1)]
    w = w_q.astype(np.float64) * w_s.reshape(2, 1, 1, 1).astype(np.float64)
    b = b_q.astype(np.float64) * (w_s.astype(np.float64) * np.float64(x_s))
    g = g_q.astype(np.float64) * np.float64(g_s)
    # Pixels on the 1/64 grid: the input Q/DQ is then exact, and zkacc (which
    # treats Q/DQ on activations as the identity) computes the same function.
    x = np.round(rng.uniform(0, 1, (1, 1, 6, 6)) * 64) / 64
    y = relu(conv(x, w, b)).reshape(1, -1) @ g.T
    inits = [init("xs", x_s), init("xz", np.uint8(0), np.uint8), init("wq", w_q, np.int8), init("ws", w_s),
             init("wz", np.zeros(2, np.int8), np.int8), init("bq", b_q, np.int32),
             init("bs", w_s * x_s), init("rs", np.float32(1 / 32)), init("rz", np.uint8(0), np.uint8),
             init("gq", g_q, np.int8), init("gs", g_s)]
    save("qdq", nodes, inits, [1, 1, 6, 6], [1, 3], x, y)


# ---------------------------------------------------------------- invalid models

def bad_models():
    w = f32(rng.normal(0, 0.3, (4, 8)))
    save("bad_op", [helper.make_node("Gemm", ["input", "w"], ["h"], name="fc", transB=1),
                    helper.make_node("Cos", ["h"], ["output"], name="cos")],
         [init("w", w)], [1, 8], [1, 4])
    save("bad_missing_init", [helper.make_node("Gemm", ["input", "w_missing"], ["output"], name="fc", transB=1)],
         [], [1, 8], [1, 4])
    save("bad_logsoftmax", [helper.make_node("LogSoftmax", ["input"], ["s"], name="logsoftmax", axis=1),
                            helper.make_node("Gemm", ["s", "w"], ["output"], name="fc", transB=1)],
         [init("w", w)], [1, 8], [1, 4])
    cw = f32(rng.normal(0, 0.3, (2, 1, 3, 3)))
    save("bad_group", [helper.make_node("Conv", ["input", "cw"], ["output"], name="conv", group=3)],
         [init("cw", cw)], [1, 2, 5, 5], [1, 2, 3, 3])
    save("bad_dilation", [helper.make_node("MaxPool", ["input"], ["output"], name="pool", kernel_shape=[2, 2],
                                           dilations=[2, 2])], [], [1, 1, 7, 7], [1, 1, 5, 5])
    # An input of 2^25 values, beyond the 2^24 elements zkacc allows per tensor.
    save("bad_huge_input", [helper.make_node("Relu", ["input"], ["output"], name="relu")], [], [1, 1 << 25],
         [1, 1 << 25])


# ---------------------------------------------------------------- import II models
# Their own generator, so that the models above stay byte-identical.
rng2 = np.random.default_rng(20261207)


def sigmoid_tanh():
    w1, b1 = f32(rng2.normal(0, 0.6, (6, 8))), f32(rng2.normal(0, 0.2, 6))
    w2, b2 = f32(rng2.normal(0, 0.8, (4, 6))), f32(rng2.normal(0, 0.2, 4))
    nodes = [helper.make_node("Gemm", ["input", "w1", "b1"], ["h"], name="fc1", transB=1),
             helper.make_node("Sigmoid", ["h"], ["s"], name="sigmoid"),
             helper.make_node("Gemm", ["s", "w2", "b2"], ["t"], name="fc2", transB=1),
             helper.make_node("Tanh", ["t"], ["output"], name="tanh")]
    x = f32(rng2.uniform(-2, 2, (1, 8)))
    y = np.tanh((1 / (1 + np.exp(-(x @ w1.T + b1)))) @ w2.T + b2)
    save("sigmoid_tanh", nodes, [init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2)], [1, 8], [1, 4], x, y)


def pad_pool():
    w, b = f32(rng2.normal(0, 0.4, (3, 2, 3, 3))), f32(rng2.normal(0, 0.1, 3))
    g, gb = f32(rng2.normal(0, 0.3, (2, 27))), f32(rng2.normal(0, 0.1, 2))
    nodes = [helper.make_node("Pad", ["input", "p1"], ["xp"], name="pad1", mode="constant"),
             helper.make_node("Conv", ["xp", "w", "b"], ["c"], name="conv", kernel_shape=[3, 3]),
             helper.make_node("Relu", ["c"], ["r"], name="relu"),
             helper.make_node("Dropout", ["r"], ["d"], name="dropout"),
             helper.make_node("Pad", ["d", "p2", "zero"], ["rp"], name="pad2", mode="constant"),
             helper.make_node("AveragePool", ["rp"], ["ap"], name="avgpool", kernel_shape=[2, 2], strides=[2, 2]),
             helper.make_node("Identity", ["ap"], ["ai"], name="identity"),
             helper.make_node("Flatten", ["ai"], ["f"], name="flatten"),
             helper.make_node("Gemm", ["f", "g", "gb"], ["output"], name="fc", transB=1)]
    x = f32(rng2.uniform(-1, 1, (1, 2, 6, 6)))
    c = relu(conv(np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1))), w, b))          # [1, 3, 6, 6]
    rp = np.pad(c, ((0, 0), (0, 0), (0, 1), (0, 0)))                           # one row of zeros at the bottom
    ap = pool(rp, 2, 2, 0, "avg")                                              # [1, 3, 3, 3]: the zeros count
    y = ap.reshape(1, -1) @ g.T + gb
    inits = [init("w", w), init("b", b), init("g", g), init("gb", gb), init("p1", [0, 0, 1, 1, 0, 0, 1, 1], np.int64),
             init("p2", [0, 0, 0, 0, 0, 0, 1, 0], np.int64), init("zero", np.float32(0))]
    save("pad_pool", nodes, inits, [1, 2, 6, 6], [1, 2], x, y)


def quantize_dequantize(v, scale, zp):
    return (np.clip(np.round(v / scale) + zp, 0, 255) - zp) * scale  # uint8, round half to even like ONNX


def qdq_alias():
    w1, b1 = f32(rng2.normal(0, 0.5, (6, 8))), f32(rng2.normal(0, 0.2, 6))
    w2, b2 = f32(rng2.normal(0, 0.5, (3, 6))), f32(rng2.normal(0, 0.1, 3))
    nodes = [helper.make_node("Gemm", ["input", "w1", "b1"], ["g"], name="fc1", transB=1),
             helper.make_node("QuantizeLinear", ["g", "gs", "gz"], ["gq"], name="q"),
             helper.make_node("DequantizeLinear", ["gq", "gs", "gz"], ["gd"], name="dq"),
             helper.make_node("Relu", ["gd"], ["r"], name="relu"),
             helper.make_node("Add", ["r", "g"], ["s"], name="add"),
             helper.make_node("Gemm", ["s", "w2", "b2"], ["output"], name="fc2", transB=1)]
    # Inputs on a grid, weights chosen so that g stays inside the Q/DQ range.
    x = np.round(f32(rng2.uniform(-1, 1, (1, 8))) * 64) / 64
    g = x @ w1.T + b1
    assert np.abs(g).max() < 3.9
    s = np.maximum(quantize_dequantize(g, 1 / 32, 128), 0) + g
    y = s @ w2.T + b2
    inits = [init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2), init("gs", np.float32(1 / 32)),
             init("gz", np.uint8(128), np.uint8)]
    save("qdq_alias", nodes, inits, [1, 8], [1, 3], x, y)


def bad_import_two():
    # Axis 1 of [1, 3, 5] @ [5, 3] has 3 entries, as many as the features.
    w = f32(rng2.normal(0, 0.5, (5, 3)))
    bnp = [f32(rng2.uniform(0.5, 1.5, 3)), f32(rng2.normal(0, 0.2, 3)), f32(rng2.normal(0, 0.2, 3)), f32(rng2.uniform(0.5, 2, 3))]
    x = f32(rng2.uniform(-1, 1, (1, 3, 5)))
    y = bn(x @ w, *bnp)  # axis 1: the three rows
    save("bn_rank3", [helper.make_node("MatMul", ["input", "w"], ["h"], name="mm"),
                      helper.make_node("BatchNormalization", ["h", "s", "b", "m", "v"], ["output"], name="bn")],
         [init("w", w)] + [init(n, v) for n, v in zip(["s", "b", "m", "v"], bnp)], [1, 3, 5], [1, 3, 3], x, y)
    save("bad_pad_maxpool", [helper.make_node("Pad", ["input", "p"], ["xp"], name="pad", mode="constant"),
                             helper.make_node("MaxPool", ["xp"], ["output"], name="maxpool", kernel_shape=[2, 2])],
         [init("p", [0, 0, 1, 1, 0, 0, 1, 1], np.int64)], [1, 1, 4, 4], [1, 1, 5, 5])


def structure():
    wa, ba = f32(rng2.normal(0, 0.4, (6, 8))), f32(rng2.normal(0, 0.1, 6))
    wb, bb = f32(rng2.normal(0, 3.0, (6, 8))), f32(rng2.normal(0, 0.5, 6))  # a coarser scale than a
    wo, bo = f32(rng2.normal(0, 0.4, (3, 8))), f32(rng2.normal(0, 0.1, 3))
    h = helper.make_node
    nodes = [h("Gemm", ["input", "wa", "ba"], ["a"], name="fc_a", transB=1),
             h("Gemm", ["input", "wb", "bb"], ["b"], name="fc_b", transB=1),
             h("Split", ["a", "parts"], ["a1", "a2"], name="split", axis=1),
             h("Concat", ["a2", "b"], ["c"], name="concat", axis=1),                      # [1, 10]
             h("Unsqueeze", ["c", "ax1"], ["u"], name="unsqueeze"),                      # [1, 1, 10]
             h("Transpose", ["u"], ["t"], name="transpose", perm=[0, 2, 1]),              # [1, 10, 1]
             h("Squeeze", ["t", "ax2"], ["q"], name="squeeze"),                           # [1, 10]
             h("Slice", ["q", "st", "en", "ax1", "step"], ["sl"], name="slice"),         # [1, 4]: 1, 3, 5, 7
             h("Gather", ["sl", "idx"], ["g"], name="gather", axis=1),                    # [1, 3]
             h("Expand", ["g", "eshape"], ["e"], name="expand"),                          # [2, 3]
             h("Shape", ["input"], ["shp"], name="shape"),
             h("Gather", ["shp", "zero_i"], ["n0"], name="batch", axis=0),
             h("Unsqueeze", ["n0", "ax0"], ["n1"], name="unsqueeze_n"),
             h("ConstantOfShape", ["one_dim"], ["minus1"], name="fill",
               value=numpy_helper.from_array(np.array([-1], np.int64))),
             h("Concat", ["n1", "minus1"], ["ns"], name="concat_shape", axis=0),
             h("Cast", ["ns"], ["nsi"], name="cast", to=TensorProto.INT64),
             h("Reshape", ["e", "nsi"], ["r"], name="reshape"),                           # [1, 6]
             h("Concat", ["a1", "r"], ["j"], name="join", axis=1),                        # [1, 8]
             h("Gemm", ["j", "wo", "bo"], ["output"], name="fc_out", transB=1)]
    x = f32(rng2.uniform(-1, 1, (1, 8)))
    a, b = x @ wa.T + ba, x @ wb.T + bb
    c = np.concatenate([a[:, 2:], b], axis=1)
    sl = c[:, 1:9:2]
    e = np.broadcast_to(sl[:, [3, 0, 2]], (2, 3))
    j = np.concatenate([a[:, :2], e.reshape(1, -1)], axis=1)
    y = j @ wo.T + bo
    i64 = lambda name, v: init(name, v, np.int64)
    inits = [init("wa", wa), init("ba", ba), init("wb", wb), init("bb", bb), init("wo", wo), init("bo", bo),
             i64("parts", [2, 4]), i64("ax0", [0]), i64("ax1", [1]), i64("ax2", [2]), i64("st", [1]), i64("en", [9]),
             i64("step", [2]), i64("idx", [3, 0, 2]), i64("eshape", [2, 3]), init("zero_i", np.int64(0), np.int64),
             i64("one_dim", [1])]
    save("structure", nodes, inits, [1, 8], [1, 3], x, y)


def arithmetic():
    cm = f32(rng2.uniform(-2, 2, (1, 2, 1, 1)))
    bnp = [f32(rng2.uniform(0.5, 1.5, 2)), f32(rng2.normal(0, 0.2, 2)), f32(rng2.normal(0, 0.2, 2)), f32(rng2.uniform(0.5, 2, 2))]
    c2, c3 = f32(rng2.normal(0, 0.5, 3)), f32(0.25)
    g, gb = f32(rng2.normal(0, 0.3, (3, 18))), f32(rng2.normal(0, 0.1, 3))
    h = helper.make_node
    nodes = [h("Mul", ["input", "cm"], ["m"], name="mul"),
             h("Div", ["m", "cd"], ["d"], name="div"),
             h("Relu", ["input"], ["r"], name="relu"),
             h("BatchNormalization", ["r", "s", "b", "mu", "v"], ["bnr"], name="bn"),
             h("Sub", ["d", "bnr"], ["sd"], name="sub"),
             h("Neg", ["sd"], ["ng"], name="neg"),
             h("Sub", ["c2", "ng"], ["t"], name="sub_const_first"),
             h("Sub", ["t", "c3"], ["u"], name="sub_const"),
             h("Flatten", ["u"], ["f"], name="flatten"),
             h("Gemm", ["f", "g", "gb"], ["output"], name="fc", transB=1)]
    x = f32(rng2.uniform(-1, 1, (1, 2, 3, 3)))
    d = x * cm / f32(3.0)
    u = (c2 - (-(d - bn(relu(x), *bnp)))) - c3
    y = u.reshape(1, -1) @ g.T + gb
    inits = [init("cm", cm), init("cd", np.float32(3.0)), init("c2", c2), init("c3", c3), init("g", g), init("gb", gb)]
    inits += [init(n, v) for n, v in zip(["s", "b", "mu", "v"], bnp)]
    save("arithmetic", nodes, inits, [1, 2, 3, 3], [1, 3], x, y)


def bad_structure():
    save("bad_gather_dynamic", [helper.make_node("Gather", ["table", "input"], ["output"], name="embed", axis=0)],
         [init("table", f32(rng2.normal(0, 1, (10, 4))))], [1, 2], [1, 2, 4])
    rng2.normal(0, 1, (1, 2))  # the draw of a removed graph: keeps the later graphs' values
    save("bad_div", [helper.make_node("Div", ["one", "input"], ["output"], name="div")], [init("one", 1.0)], [1, 4], [1, 4])
    save("bad_empty", [helper.make_node("Slice", ["input", "s0", "s1", "ax"], ["output"], name="slice")],
         [init("s0", [2], np.int64), init("s1", [2], np.int64), init("ax", [1], np.int64)], [1, 4], [1, 0])


# ---------------------------------------------------------------- import II, products and piecewise-linear ops
rng3 = np.random.default_rng(20261208)


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def scaled_scores():
    """Q, K, V projections of the input and the scaled scores QKᵀ·scale ("ss")."""
    return [helper.make_node("MatMul", ["input", "wq"], ["q"], name="q"),
            helper.make_node("MatMul", ["input", "wk"], ["k"], name="k"),
            helper.make_node("MatMul", ["input", "wv"], ["v"], name="v"),
            helper.make_node("Transpose", ["k"], ["kt"], name="kt", perm=[0, 2, 1]),
            helper.make_node("MatMul", ["q", "kt"], ["s"], name="qk"),
            helper.make_node("Mul", ["s", "scale"], ["ss"], name="scale")]


def attention():
    d = 8
    wq, wk, wv = (f32(rng3.normal(0, 0.4, (d, d))) for _ in range(3))
    wg, bg = f32(rng3.normal(0, 0.4, (d, d))), f32(rng3.normal(0, 0.1, d))
    wo, bo = f32(rng3.normal(0, 0.4, (3, d))), f32(rng3.normal(0, 0.1, 3))
    scale = f32(1 / np.sqrt(d))
    nodes = scaled_scores() + [
             helper.make_node("Sigmoid", ["ss"], ["a"], name="attn"),
             helper.make_node("MatMul", ["a", "v"], ["o"], name="av"),
             helper.make_node("MatMul", ["input", "wg"], ["g0"], name="g0"),
             helper.make_node("Add", ["g0", "bg"], ["g1"], name="g1"),
             helper.make_node("Sigmoid", ["g1"], ["g"], name="gate"),
             helper.make_node("Mul", ["o", "g"], ["og"], name="gated"),
             helper.make_node("ReduceMean", ["og"], ["m"], name="pool", axes=[1], keepdims=0),
             helper.make_node("Gemm", ["m", "wo", "bo"], ["output"], name="head", transB=1)]
    x = f32(rng3.uniform(-1, 1, (1, 4, d)))
    q, k, v = x @ wq, x @ wk, x @ wv
    a = sigmoid(q @ k.transpose(0, 2, 1) * scale)
    og = (a @ v) * sigmoid(x @ wg + bg)
    y = og.mean(axis=1) @ wo.T + bo
    inits = [init("wq", wq), init("wk", wk), init("wv", wv), init("wg", wg), init("bg", bg), init("wo", wo), init("bo", bo),
             init("scale", scale)]
    save("attention", nodes, inits, [1, 4, d], [1, 3], x, y)


def piecewise():
    w1, b1 = f32(rng3.normal(0, 0.5, (3, 2, 3, 3))), f32(rng3.normal(0, 0.2, 3))
    w2, b2 = f32(rng3.normal(0, 0.5, (3, 3, 1, 1))), f32(rng3.normal(0, 0.2, 3))
    slope = f32(rng3.uniform(-0.5, 0.5, (3, 1, 1)))
    wo, bo = f32(rng3.normal(0, 0.4, (2, 12))), f32(rng3.normal(0, 0.1, 2))
    nodes = [helper.make_node("Conv", ["input", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
             helper.make_node("Clip", ["c1", "zero", "six"], ["r6"], name="relu6"),
             helper.make_node("Conv", ["r6", "w2", "b2"], ["c2"], name="conv2"),
             helper.make_node("LeakyRelu", ["c2"], ["lr"], name="leaky", alpha=0.1),
             helper.make_node("PRelu", ["c1", "slope"], ["pr"], name="prelu"),
             helper.make_node("HardSigmoid", ["c2"], ["hs"], name="hsig", alpha=0.25, beta=0.4),
             helper.make_node("HardSwish", ["c1"], ["hw"], name="hswish"),
             helper.make_node("ReduceMax", ["pr"], ["pm"], name="rmax", axes=[2, 3], keepdims=1),
             helper.make_node("Max", ["lr", "pm", "hs"], ["mx"], name="max"),
             helper.make_node("Min", ["hw", "pm"], ["mn"], name="min"),
             helper.make_node("Max", ["mn", "mzero"], ["mc"], name="maxc"),
             helper.make_node("Add", ["mx", "mc"], ["sm"], name="sum"),
             helper.make_node("ReduceSum", ["sm", "ax3"], ["rs"], name="rsum", keepdims=0),
             helper.make_node("Flatten", ["rs"], ["f"], name="flat"),
             helper.make_node("Gemm", ["f", "wo", "bo"], ["output"], name="head", transB=1)]
    x = f32(rng3.uniform(-1.5, 1.5, (1, 2, 4, 4)))
    c1 = conv(x, w1, b1, pad=1)
    r6 = np.clip(c1, 0, 6)
    c2 = conv(r6, w2, b2)
    lr = np.where(c2 >= 0, c2, 0.1 * c2)
    pr = np.where(c1 >= 0, c1, slope * c1)
    hs = np.clip(0.25 * c2 + 0.4, 0, 1)
    hw = c1 * np.clip(c1 / 6 + 0.5, 0, 1)
    pm = pr.max(axis=(2, 3), keepdims=True)
    mx = np.maximum(np.maximum(lr, pm), hs)
    mc = np.maximum(np.minimum(hw, pm), -0.25)
    rs = (mx + mc).sum(axis=3)
    y = rs.reshape(1, -1) @ wo.T + bo
    inits = [init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2), init("slope", slope), init("wo", wo),
             init("bo", bo), init("zero", 0.0), init("six", 6.0), init("mzero", -0.25), init("ax3", [3], np.int64)]
    save("piecewise", nodes, inits, [1, 2, 4, 4], [1, 2], x, y, opset=14)  # HardSwish is opset 14


def products():
    wa = f32(rng3.normal(0, 0.5, (6, 4)))
    wb = f32(rng3.normal(0, 0.5, (6, 4)))
    c = f32(rng3.normal(0, 0.2, (1, 3)))
    nodes = [helper.make_node("MatMul", ["input", "wa"], ["a"], name="a"),           # [2, 3, 4]
             helper.make_node("MatMul", ["input", "wb"], ["b"], name="b"),           # [2, 3, 4]
             helper.make_node("Slice", ["b", "s0", "s1", "sax"], ["b0"], name="b0"),  # [1, 3, 4]
             helper.make_node("Squeeze", ["b0", "sq"], ["b2"], name="b2"),           # [3, 4]
             helper.make_node("Transpose", ["b2"], ["bt"], name="bt"),                # [4, 3]
             helper.make_node("MatMul", ["a", "bt"], ["ab"], name="batched"),       # [2, 3, 3] (bt broadcast)
             helper.make_node("Slice", ["a", "s0", "s1", "sax"], ["a0"], name="a0"),
             helper.make_node("Squeeze", ["a0", "sq"], ["a2"], name="a2"),           # [3, 4]
             helper.make_node("Gemm", ["a2", "b2", "c"], ["gm"], name="gemm", transB=1, alpha=0.5, beta=2.0),  # [3, 3]
             helper.make_node("ReduceMean", ["b2"], ["bv"], name="bv", axes=[0], keepdims=0),  # [4]
             helper.make_node("MatMul", ["a2", "bv"], ["av"], name="vec"),          # [3]
             helper.make_node("Unsqueeze", ["av", "ua"], ["avc"], name="avc"),      # [3, 1]
             helper.make_node("Unsqueeze", ["av", "ub"], ["avr"], name="avr"),      # [1, 3]
             helper.make_node("Mul", ["avc", "avr"], ["outer"], name="outer"),      # [3, 3]
             helper.make_node("Sum", ["ab", "gm", "outer"], ["s3"], name="sum3"),   # [2, 3, 3]
             helper.make_node("Mean", ["gm", "outer"], ["m2"], name="mean2"),       # [3, 3]
             helper.make_node("Sub", ["s3", "m2"], ["output"], name="sub")]         # [2, 3, 3]
    x = f32(rng3.uniform(-1, 1, (2, 3, 6)))
    a, b = x @ wa, x @ wb
    b2 = b[0]
    ab = a @ b2.T
    a2 = a[0]
    gm = 0.5 * (a2 @ b2.T) + 2.0 * c
    av = a2 @ b2.mean(axis=0)
    outer = av[:, None] * av[None, :]
    y = (ab + gm + outer) - (gm + outer) / 2
    inits = [init("wa", wa), init("wb", wb), init("c", c), init("s0", [0], np.int64), init("s1", [1], np.int64),
             init("sax", [0], np.int64), init("sq", [0], np.int64), init("ua", [1], np.int64), init("ub", [0], np.int64)]
    save("products", nodes, inits, [2, 3, 6], [2, 3, 3], x, y)


def erf(v):
    return np.vectorize(math.erf)(v)


def gelu_forms():
    w1, b1 = f32(rng3.normal(0, 0.6, (6, 8))), f32(rng3.normal(0, 0.2, 6))
    wo, bo = f32(rng3.normal(0, 0.4, (3, 6))), f32(rng3.normal(0, 0.1, 3))
    r2, one, half, three = f32(np.sqrt(2)), f32(1.0), f32(0.5), f32(3.0)
    nodes = [helper.make_node("Gemm", ["input", "w1", "b1"], ["h"], name="fc", transB=1)]
    for k in ("a", "b"):  # the same chain twice
        nodes += [helper.make_node("Div", ["h", "r2"], [f"d{k}"], name=f"div_{k}"),
                  helper.make_node("Erf", [f"d{k}"], [f"e{k}"], name=f"erf_{k}"),
                  helper.make_node("Add", [f"e{k}", "one"], [f"p{k}"], name=f"add_{k}"),
                  helper.make_node("Mul", ["h", f"p{k}"], [f"m{k}"], name=f"mul_{k}"),
                  helper.make_node("Mul", [f"m{k}", "half"], [f"g{k}"], name=f"half_{k}")]
    nodes += [helper.make_node("Add", ["ga", "gb"], ["s"], name="sum"),
              helper.make_node("Add", ["s", "eb"], ["t"], name="plus_erf"),  # erf_b is read twice: no fusion
              helper.make_node("Pow", ["t", "three"], ["c"], name="cube"),
              helper.make_node("Gemm", ["c", "wo", "bo"], ["output"], name="head", transB=1)]
    x = f32(rng3.uniform(-1.5, 1.5, (1, 8)))
    h = x @ w1.T + b1
    e = erf(h / r2)
    g = 0.5 * h * (1 + e)
    y = (2 * g + e) ** 3 @ wo.T + bo
    inits = [init("w1", w1), init("b1", b1), init("wo", wo), init("bo", bo), init("r2", r2), init("one", one),
             init("half", half), init("three", three)]
    save("gelu_forms", nodes, inits, [1, 8], [1, 3], x, y)


def gelu_op():
    w1, b1 = f32(rng3.normal(0, 0.6, (6, 8))), f32(rng3.normal(0, 0.2, 6))
    w2, b2 = f32(rng3.normal(0, 0.5, (5, 6))), f32(rng3.normal(0, 0.2, 5))
    wo, bo = f32(rng3.normal(0, 0.4, (3, 5))), f32(rng3.normal(0, 0.1, 3))
    nodes = [helper.make_node("Gemm", ["input", "w1", "b1"], ["h1"], name="fc1", transB=1),
             helper.make_node("Gelu", ["h1"], ["g1"], name="gelu_tanh", approximate="tanh"),
             helper.make_node("Gemm", ["g1", "w2", "b2"], ["h2"], name="fc2", transB=1),
             helper.make_node("Gelu", ["h2"], ["g2"], name="gelu"),
             helper.make_node("Gemm", ["g2", "wo", "bo"], ["output"], name="head", transB=1)]
    x = f32(rng3.uniform(-2, 2, (1, 8)))
    h1 = x @ w1.T + b1
    g1 = 0.5 * h1 * (1 + np.tanh(np.sqrt(2 / np.pi) * (h1 + 0.044715 * h1 ** 3)))
    h2 = g1 @ w2.T + b2
    g2 = 0.5 * h2 * (1 + erf(h2 / np.sqrt(2)))
    y = g2 @ wo.T + bo
    save("gelu_op", nodes, [init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2), init("wo", wo), init("bo", bo)],
         [1, 8], [1, 3], x, y, opset=20, check=False)


def softmax(v, axis):
    e = np.exp(v - v.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def softmax_attention():
    d = 8
    wq, wk, wv = (f32(rng3.normal(0, 0.5, (d, d))) for _ in range(3))
    wo, bo = f32(rng3.normal(0, 0.4, (4, d))), f32(rng3.normal(0, 0.1, 4))
    scale = f32(1 / np.sqrt(d))
    nodes = scaled_scores() + [
             helper.make_node("Softmax", ["ss"], ["a"], name="attn", axis=-1),
             helper.make_node("MatMul", ["a", "v"], ["o"], name="av"),
             helper.make_node("Softmax", ["o"], ["so"], name="over_seq", axis=1),
             helper.make_node("Mul", ["o", "so"], ["w"], name="weighted"),
             helper.make_node("ReduceSum", ["w", "ax1"], ["p"], name="pool", keepdims=0),
             helper.make_node("Gemm", ["p", "wo", "bo"], ["logits"], name="head", transB=1),
             helper.make_node("Softmax", ["logits"], ["output"], name="probs", axis=1)]
    x = f32(rng3.uniform(-1, 1, (1, 5, d)))
    q, k, v = x @ wq, x @ wk, x @ wv
    o = softmax(q @ k.transpose(0, 2, 1) * scale, -1) @ v
    p = (o * softmax(o, 1)).sum(axis=1)
    y = p @ wo.T + bo  # the final Softmax is not proved: the test compares logits
    inits = [init("wq", wq), init("wk", wk), init("wv", wv), init("wo", wo), init("bo", bo), init("scale", scale),
             init("ax1", [1], np.int64)]
    save("softmax_attention", nodes, inits, [1, 5, d], [1, 4], x, y)


def layer_norm_ref(v, gamma, beta, axes, eps):
    mu = v.mean(axis=axes, keepdims=True)
    var = ((v - mu) ** 2).mean(axis=axes, keepdims=True)
    return (v - mu) / np.sqrt(var + eps) * gamma + beta


def layer_norm():
    d = 6
    w1, b1 = f32(rng3.normal(0, 0.6, (d, d))), f32(rng3.normal(0, 0.3, d))
    g1, be1 = f32(rng3.uniform(0.5, 1.5, d)), f32(rng3.normal(0, 0.2, d))
    g2, be2 = f32(rng3.uniform(0.5, 1.5, (3, d))), f32(rng3.normal(0, 0.2, (3, d)))
    g3, be3 = f32(rng3.uniform(0.5, 1.5, d)), f32(rng3.normal(0, 0.2, d))
    wo, bo = f32(rng3.normal(0, 0.4, (2, 3 * d))), f32(rng3.normal(0, 0.1, 2))
    eps = f32(1e-5)
    nodes = [helper.make_node("MatMul", ["input", "w1"], ["h0"], name="fc"),
             helper.make_node("Add", ["h0", "b1"], ["h"], name="fc_bias"),
             helper.make_node("LayerNormalization", ["h", "g1", "be1"], ["n1"], name="ln_last", axis=-1, epsilon=1e-5),
             helper.make_node("LayerNormalization", ["n1", "g2", "be2"], ["n2"], name="ln_two", axis=1, epsilon=1e-3),
             # the decomposed form, as torch.onnx.export writes nn.LayerNorm before opset 17
             helper.make_node("ReduceMean", ["n2"], ["m"], name="mean", axes=[-1]),
             helper.make_node("Sub", ["n2", "m"], ["c"], name="centre"),
             helper.make_node("Pow", ["c", "two"], ["c2"], name="square"),
             helper.make_node("ReduceMean", ["c2"], ["var"], name="var", axes=[-1]),
             helper.make_node("Add", ["var", "eps"], ["ve"], name="plus_eps"),
             helper.make_node("Sqrt", ["ve"], ["sd"], name="sd"),
             helper.make_node("Div", ["c", "sd"], ["q"], name="normalize"),
             helper.make_node("Mul", ["q", "g3"], ["qg"], name="gamma"),
             helper.make_node("Add", ["qg", "be3"], ["n3"], name="beta"),
             helper.make_node("Flatten", ["n3"], ["f"], name="flat"),
             helper.make_node("Gemm", ["f", "wo", "bo"], ["output"], name="head", transB=1)]
    x = f32(rng3.uniform(-1.5, 1.5, (1, 3, d)))
    h = x @ w1 + b1
    n1 = layer_norm_ref(h, g1, be1, (2,), 1e-5)
    n2 = layer_norm_ref(n1, g2, be2, (1, 2), f32(1e-3))
    n3 = layer_norm_ref(n2, g3, be3, (2,), eps)
    y = n3.reshape(1, -1) @ wo.T + bo
    inits = [init("w1", w1), init("b1", b1), init("g1", g1), init("be1", be1), init("g2", g2), init("be2", be2),
             init("g3", g3), init("be3", be3), init("wo", wo), init("bo", bo), init("eps", eps), init("two", 2.0)]
    save("layer_norm", nodes, inits, [1, 3, d], [1, 2], x, y, opset=17)


def conv_general(x, w, b, stride=(1, 1), pads=(0, 0, 0, 0), dil=(1, 1), group=1):
    """ONNX Conv on NCHW: pads = (top, left, bottom, right)."""
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    ekh, ekw = (kh - 1) * dil[0] + 1, (kw - 1) * dil[1] + 1
    oh, ow = (h - ekh) // stride[0] + 1, (wd - ekw) // stride[1] + 1
    y = np.zeros((n, m, oh, ow))
    per = m // group
    for o in range(m):
        g0 = (o // per) * cg
        for i in range(oh):
            for j in range(ow):
                patch = x[0, g0:g0 + cg, i * stride[0]:i * stride[0] + ekh:dil[0], j * stride[1]:j * stride[1] + ekw:dil[1]]
                y[0, o, i, j] = (patch * w[o]).sum() + b[o]
    return y


def conv_variants():
    wd, bd = f32(rng3.normal(0, 0.5, (4, 1, 3, 3))), f32(rng3.normal(0, 0.1, 4))
    wg, bg = f32(rng3.normal(0, 0.4, (4, 2, 1, 1))), f32(rng3.normal(0, 0.1, 4))
    wl, bl = f32(rng3.normal(0, 0.3, (4, 4, 3, 3))), f32(rng3.normal(0, 0.1, 4))
    w1, b1 = f32(rng3.normal(0, 0.3, (2, 4, 3))), f32(rng3.normal(0, 0.1, 2))
    wo, bo = f32(rng3.normal(0, 0.3, (3, 2 * 8))), f32(rng3.normal(0, 0.1, 3))
    nodes = [helper.make_node("Conv", ["input", "wd", "bd"], ["d"], name="depthwise", group=4, pads=[1, 1, 1, 1]),
             helper.make_node("Conv", ["d", "wg", "bg"], ["g"], name="grouped", group=2),
             helper.make_node("Relu", ["g"], ["gr"], name="relu"),
             helper.make_node("Conv", ["gr", "wl", "bl"], ["l"], name="dilated", dilations=[2, 2], pads=[1, 1, 1, 1]),
             helper.make_node("Reshape", ["l", "shape3"], ["l3"], name="to_1d"),
             helper.make_node("Conv", ["l3", "w1", "b1"], ["c1"], name="conv1d", strides=[2], pads=[1, 2], dilations=[2]),
             helper.make_node("Flatten", ["c1"], ["f"], name="flat"),
             helper.make_node("Gemm", ["f", "wo", "bo"], ["output"], name="head", transB=1)]
    x = f32(rng3.uniform(-1, 1, (1, 4, 6, 6)))
    d = conv_general(x, wd, bd, pads=(1, 1, 1, 1), group=4)
    gr = relu(conv_general(d, wg, bg, group=2))
    l = conv_general(gr, wl, bl, pads=(1, 1, 1, 1), dil=(2, 2))      # [1, 4, 4, 4]
    l3 = l.reshape(1, 4, 16)
    c1 = conv_general(l3[:, :, None, :], w1[:, :, None, :], b1, stride=(1, 2), pads=(0, 1, 0, 2), dil=(1, 2))[:, :, 0, :]
    y = c1.reshape(1, -1) @ wo.T + bo
    inits = [init("wd", wd), init("bd", bd), init("wg", wg), init("bg", bg), init("wl", wl), init("bl", bl),
             init("w1", w1), init("b1", b1), init("wo", wo), init("bo", bo), init("shape3", [1, 4, 16], np.int64)]
    save("conv_variants", nodes, inits, [1, 4, 6, 6], [1, 3], x, y)


def embedding():
    v, d, t = 20, 8, 6
    table, pos = f32(rng3.normal(0, 1, (v, d))), f32(rng3.normal(0, 0.3, (t, d)))
    g1, be1 = f32(rng3.uniform(0.5, 1.5, d)), f32(rng3.normal(0, 0.2, d))
    wq, wk = f32(rng3.normal(0, 0.4, (d, d))), f32(rng3.normal(0, 0.4, (d, d)))
    wo, bo = f32(rng3.normal(0, 0.4, (3, d))), f32(rng3.normal(0, 0.1, 3))
    nodes = [helper.make_node("Gather", ["table", "input"], ["e"], name="embed", axis=0),
             helper.make_node("Add", ["e", "pos"], ["ep"], name="position"),
             helper.make_node("LayerNormalization", ["ep", "g1", "be1"], ["n"], name="ln", axis=-1),
             helper.make_node("MatMul", ["n", "wq"], ["q"], name="q"),
             helper.make_node("MatMul", ["n", "wk"], ["k"], name="k"),
             helper.make_node("Transpose", ["k"], ["kt"], name="kt", perm=[0, 2, 1]),
             helper.make_node("MatMul", ["q", "kt"], ["s"], name="qk"),
             helper.make_node("Softmax", ["s"], ["a"], name="attn", axis=-1),
             helper.make_node("MatMul", ["a", "n"], ["o"], name="av"),
             helper.make_node("ReduceMean", ["o"], ["m"], name="pool", axes=[1], keepdims=0),
             helper.make_node("Gemm", ["m", "wo", "bo"], ["output"], name="head", transB=1)]
    ids = rng3.integers(0, v, (1, t))
    e = table[ids] + pos
    n = layer_norm_ref(e, g1, be1, (2,), 1e-5)
    q, k = n @ wq, n @ wk
    o = softmax(q @ k.transpose(0, 2, 1), -1) @ n
    y = o.mean(axis=1) @ wo.T + bo
    inits = [init("table", table), init("pos", pos), init("g1", g1), init("be1", be1), init("wq", wq), init("wk", wk),
             init("wo", wo), init("bo", bo)]
    save("embedding", nodes, inits, [1, t], [1, 3], ids.astype(np.float64), y, opset=17, in_type=TensorProto.INT64)
    save("bad_embed_computed", [helper.make_node("Add", ["input", "one"], ["ids"], name="shift"),
                                helper.make_node("Gather", ["table", "ids"], ["output"], name="embed", axis=0)],
         [init("table", table), init("one", [1], np.int64)], [1, t], [1, t, d], in_type=TensorProto.INT64)


def division():
    w1, b1 = f32(rng3.normal(0, 0.6, (6, 8))), f32(rng3.normal(0, 0.2, 6))
    wo, bo = f32(rng3.normal(0, 0.4, (3, 6))), f32(rng3.normal(0, 0.1, 3))
    two, quarter = f32(2.0), f32(0.25)
    nodes = [helper.make_node("Gemm", ["input", "w1", "b1"], ["h"], name="fc", transB=1),
             helper.make_node("Sigmoid", ["h"], ["s"], name="sig"),
             helper.make_node("Mul", ["s", "two"], ["s2"], name="twice"),
             helper.make_node("Add", ["s2", "quarter"], ["p"], name="positive"),        # p in (0.25, 2.25)
             helper.make_node("ReduceMax", ["p"], ["pm"], name="pmax", axes=[1], keepdims=1),
             helper.make_node("Div", ["h", "pm"], ["d"], name="div"),                  # a broadcast divisor
             helper.make_node("Reciprocal", ["p"], ["r"], name="recip"),
             helper.make_node("Sqrt", ["p"], ["q"], name="root"),
             helper.make_node("Sum", ["d", "r", "q"], ["t"], name="sum"),
             helper.make_node("Gemm", ["t", "wo", "bo"], ["output"], name="head", transB=1)]
    x = f32(rng3.uniform(-1.5, 1.5, (1, 8)))
    h = x @ w1.T + b1
    p = sigmoid(h) * 2 + 0.25
    y = (h / p.max(axis=1, keepdims=True) + 1 / p + np.sqrt(p)) @ wo.T + bo
    inits = [init("w1", w1), init("b1", b1), init("wo", wo), init("bo", bo), init("two", two), init("quarter", quarter)]
    save("division", nodes, inits, [1, 8], [1, 3], x, y)
    save("div_negative", [helper.make_node("Neg", ["input"], ["n"], name="neg"),
                          helper.make_node("Div", ["input", "n"], ["output"], name="div")], [], [1, 4], [1, 4])


def exp_op():
    w1, b1 = f32(rng3.normal(0, 0.5, (6, 8))), f32(rng3.normal(0, 0.2, 6))
    wo, bo = f32(rng3.normal(0, 0.4, (3, 6))), f32(rng3.normal(0, 0.1, 3))
    nodes = [helper.make_node("Gemm", ["input", "w1", "b1"], ["h"], name="fc", transB=1),
             helper.make_node("Exp", ["h"], ["e"], name="exp"),
             helper.make_node("Gemm", ["e", "wo", "bo"], ["output"], name="head", transB=1)]
    x = f32(rng3.uniform(-1, 1, (1, 8)))
    y = np.exp(x @ w1.T + b1) @ wo.T + bo
    save("exp_op", nodes, [init("w1", w1), init("b1", b1), init("wo", wo), init("bo", bo)], [1, 8], [1, 3], x, y)


# ---------------------------------------------------------------- constants joined with activations
rng4 = np.random.default_rng(20261209)


def class_token():
    """A vision-transformer front: 2x2 patches of a [1, 2, 4, 4] image by a
    strided Conv, the patches as 4 tokens, a learned class token (Expand of a
    parameter, as PyTorch exports cls_token.expand(B, -1, -1)) in front and a
    second constant token behind them (Concat of a constant, an activation
    and a constant), a position embedding, one softmax attention over the 6
    tokens, and a head reading the class token (Gather index 0)."""
    d = 4
    pw, pb = f32(rng4.normal(0, 0.5, (d, 2, 2, 2))), f32(rng4.normal(0, 0.1, d))
    cls, reg = f32(rng4.normal(0, 0.5, (1, 1, d))), f32(rng4.normal(0, 0.5, (1, 1, d)))
    pos = f32(rng4.normal(0, 0.2, (1, 6, d)))
    wq, wk = f32(rng4.normal(0, 0.6, (d, d))), f32(rng4.normal(0, 0.6, (d, d)))
    wo, bo = f32(rng4.normal(0, 0.5, (3, d))), f32(rng4.normal(0, 0.1, 3))
    h = helper.make_node
    nodes = [h("Conv", ["input", "pw", "pb"], ["p"], name="patches", kernel_shape=[2, 2], strides=[2, 2]),
             h("Reshape", ["p", "shape"], ["t"], name="flatten_patches"),
             h("Transpose", ["t"], ["tok"], name="tokens", perm=[0, 2, 1]),
             h("Expand", ["cls", "cls_shape"], ["c"], name="cls_expand"),
             h("Concat", ["c", "tok", "reg"], ["z"], name="join", axis=1),
             h("Add", ["z", "pos"], ["hz"], name="pos_embed"),
             h("MatMul", ["hz", "wq"], ["q"], name="q"),
             h("MatMul", ["hz", "wk"], ["k"], name="k"),
             h("Transpose", ["k"], ["kt"], name="kt", perm=[0, 2, 1]),
             h("MatMul", ["q", "kt"], ["s"], name="scores"),
             h("Softmax", ["s"], ["a"], name="attn", axis=-1),
             h("MatMul", ["a", "hz"], ["o"], name="av"),
             h("Gather", ["o", "zero"], ["co"], name="cls_out", axis=1),
             h("Gemm", ["co", "wo", "bo"], ["output"], name="head", transB=1)]
    x = f32(rng4.uniform(0, 1, (1, 2, 4, 4)))
    t = conv(x, pw, pb, stride=2).reshape(1, d, 4).transpose(0, 2, 1)
    hz = np.concatenate([cls, t, reg], axis=1) + pos
    o = softmax((hz @ wq) @ (hz @ wk).transpose(0, 2, 1), -1) @ hz
    y = o[:, 0, :] @ wo.T + bo
    inits = [init("pw", pw), init("pb", pb), init("shape", [1, d, 4], np.int64), init("cls", cls),
             init("cls_shape", [1, 1, d], np.int64), init("reg", reg), init("pos", pos), init("wq", wq), init("wk", wk),
             init("zero", np.array(0, np.int64), np.int64), init("wo", wo), init("bo", bo)]
    save("class_token", nodes, inits, [1, 2, 4, 4], [1, 3], x, y)


def log_softmax_head():
    """A classifier ending in LogSoftmax (PyTorch's F.log_softmax head): the
    circuit proves the logits (float_output holds them)."""
    w1, b1 = f32(rng4.normal(0, 0.4, (8, 6))), f32(rng4.normal(0, 0.1, 8))
    w2, b2 = f32(rng4.normal(0, 0.4, (4, 8))), f32(rng4.normal(0, 0.1, 4))
    h = helper.make_node
    nodes = [h("Gemm", ["input", "w1", "b1"], ["a"], name="fc1", transB=1),
             h("Relu", ["a"], ["r"], name="relu"),
             h("Gemm", ["r", "w2", "b2"], ["logits"], name="fc2", transB=1),
             h("LogSoftmax", ["logits"], ["output"], name="log_probs", axis=1)]
    x = f32(rng4.uniform(-1, 1, (1, 6)))
    y = relu(x @ w1.T + b1) @ w2.T + b2
    save("log_softmax_head", nodes, [init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2)], [1, 6], [1, 4], x, y)


def where_select():
    """Where with constant conditions, as exported shape code spells them:
    Equal of two constants picks between two activations, then a second
    Where joins an activation with a constant; bad_where_dynamic compares
    an activation (a data-dependent branch: refused)."""
    wa, ba = f32(rng4.normal(0, 0.5, (4, 6))), f32(rng4.normal(0, 0.1, 4))
    wb, bb = f32(rng4.normal(0, 0.5, (4, 6))), f32(rng4.normal(0, 0.1, 4))
    wo, bo = f32(rng4.normal(0, 0.5, (3, 4))), f32(rng4.normal(0, 0.1, 3))
    c1, c2 = np.array([1, 2, 3, 4], np.int64), np.array([1, 0, 3, 0], np.int64)
    mask, fill = np.array([[True, False, True, True]]), f32([[0.5, -0.25, 0.75, 1.0]])
    h = helper.make_node
    nodes = [h("Gemm", ["input", "wa", "ba"], ["a"], name="fa", transB=1),
             h("Gemm", ["input", "wb", "bb"], ["b"], name="fb", transB=1),
             h("Equal", ["c1", "c2"], ["cond"], name="equal"),
             h("Where", ["cond", "a", "b"], ["w"], name="pick"),
             h("Where", ["mask", "w", "fill"], ["w2"], name="fill"),
             h("Gemm", ["w2", "wo", "bo"], ["output"], name="head", transB=1)]
    x = f32(rng4.uniform(-1, 1, (1, 6)))
    a, b = x @ wa.T + ba, x @ wb.T + bb
    w2 = np.where(mask, np.where(c1 == c2, a, b), fill)
    y = w2 @ wo.T + bo
    inits = [init("wa", wa), init("ba", ba), init("wb", wb), init("bb", bb), init("wo", wo), init("bo", bo),
             init("c1", c1, np.int64), init("c2", c2, np.int64), init("mask", mask, np.bool_), init("fill", fill)]
    save("where_select", nodes, inits, [1, 6], [1, 3], x, y)
    save("bad_where_dynamic", [h("Greater", ["input", "zero"], ["pos"], name="positive"),
                               h("Where", ["pos", "input", "zero"], ["output"], name="relu_by_where")],
         [init("zero", 0.0)], [1, 6], [1, 6])


def mlp_batch():
    """mlp_batch3.json: the committed MLP's three sample inputs as one list,
    the input of `prove-model --batch` in the tests."""
    inputs = []
    for k in range(3):
        with open(os.path.join(HERE, "..", "..", "..", "models", "inputs", f"mlp_sample{k}.json")) as f:
            inputs.append(json.load(f)["input"])
    with open(os.path.join(HERE, "mlp_batch3.json"), "w") as f:
        json.dump(inputs, f)
        f.write("\n")


if __name__ == "__main__":
    matmul_add()
    residual()
    batchnorm()
    qdq()
    bad_models()
    sigmoid_tanh()
    pad_pool()
    qdq_alias()
    bad_import_two()
    structure()
    bad_structure()
    arithmetic()
    attention()
    piecewise()
    products()
    gelu_forms()
    gelu_op()
    softmax_attention()
    layer_norm()
    conv_variants()
    embedding()
    division()
    exp_op()
    class_token()
    log_softmax_head()
    where_select()
    mlp_batch()
    print("wrote", sorted(f for f in os.listdir(HERE) if f.endswith((".onnx", ".json"))))
