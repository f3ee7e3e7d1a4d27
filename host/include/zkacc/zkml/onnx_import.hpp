// ONNX import: reads a model with Debian's libonnx protobuf classes and
// turns it into a zkml::Graph (graph.hpp), checking every op, attribute and
// shape on the way.
//
// Supported ops: Gemm, MatMul, Add, Relu, Conv (2-D, group 1, dilation 1),
// MaxPool, AveragePool (ceil_mode 0), GlobalAveragePool, Flatten, Reshape,
// BatchNormalization (folded into the Conv/Gemm/MatMul before it), Softmax
// (only as the last op: the circuit proves the logits), Constant, and
// QuantizeLinear/DequantizeLinear of QDQ models (constant weights are
// dequantized to floats; a Q→DQ pair on an activation is the identity, zkacc
// quantizes with its own power-of-two scales, see docs/zkml.md).
//
// Everything else is an error that names the file, the node, its op and what
// is supported: "cnn.onnx: node 'conv1' (Conv): group = 2 is not supported
// (zkacc supports group = 1)".
#pragma once

#include <string>
#include <string_view>

#include "zkacc/zkml/graph.hpp"

namespace zkacc::zkml {

// Throws zkacc::Error naming the file for unreadable, malformed or
// unsupported models.
Graph import_onnx(const std::string& path);
// The same from bytes in memory; `name` is used in messages.
Graph import_onnx_bytes(std::string_view bytes, const std::string& name);

// "Gemm, MatMul, Add, ..." for messages and `zkacc compile --help`.
const char* supported_onnx_ops();

}  // namespace zkacc::zkml
