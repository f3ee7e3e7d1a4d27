// Rewrite passes over an imported graph (graph.hpp): each folds a layer into
// its neighbour when, and only when, the result computes the same ONNX
// function.
//
// Legality is decided on tensor ids, never on ONNX value names: an ONNX
// graph may give one tensor several names (a Q→DQ pair, Identity, Reshape),
// so a fusion is legal only when the fused layer is the *only* reader of the
// tensor under any name and the tensor is not the graph output. The passes:
//
//   bias      Add of a constant after Dense/Conv, the same for every position
//             of an output channel → the layer's bias
//   batchnorm BatchNorm after Conv (channel axis 1) or after a Dense whose
//             output is [M, N] (axis 1 is then N): W' = W·k, b' = b·k + shift.
//             After a Dense of rank 3 or more ONNX normalizes axis 1, which
//             is not the Dense's output axis: not folded.
//   relu      Relu after Dense/Conv/Add/Scale → that layer's rescale
//   pad       constant-zero Pad before Conv (its zero padding), or before
//             AveragePool (the zeros are averaged: count_include_pad);
//             before MaxPool a zero is not −∞, so it is not folded
//
// A BatchNorm no pass could fold becomes a Scale layer (a factor and an
// offset per channel of axis 1: one rescale per value); a Pad that could not
// be folded is an error naming the file and the node; a Relu or bias Add that
// cannot be fused stays a layer.
#pragma once

#include "zkacc/zkml/graph.hpp"

namespace zkacc::zkml {

// Runs every pass; throws zkacc::Error for Pad layers left over.
void rewrite_graph(Graph& graph);

}  // namespace zkacc::zkml
