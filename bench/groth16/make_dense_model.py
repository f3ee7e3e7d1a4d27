#!/usr/bin/python3
"""Writes a dense-layer model of the kind ZKML circuits are made of, for the
Groth16 benchmark: Gemm (K inputs -> N outputs, seeded random weights) then
Relu, as ONNX, plus an input JSON for zkacc prove-model.

usage: make_dense_model.py N K out_dir
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main() -> None:
    n, k, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = np.random.default_rng(20261129)
    w = (rng.standard_normal((n, k)) / np.sqrt(k)).astype(np.float32)
    b = (0.1 * rng.standard_normal(n)).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Gemm", ["x", "w", "b"], ["h"], transB=1), helper.make_node("Relu", ["h"], ["y"])],
        f"dense_{n}x{k}",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, n])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    os.makedirs(out, exist_ok=True)
    onnx.save(model, os.path.join(out, "dense.onnx"))
    x = rng.uniform(0.0, 1.0, (1, k)).round(3).tolist()
    with open(os.path.join(out, "input.json"), "w") as f:
        json.dump({"input": x}, f)


if __name__ == "__main__":
    main()
