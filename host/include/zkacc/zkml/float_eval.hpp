// The float forward pass of an imported graph (double precision, Eigen):
// what the ONNX model computes. zkacc uses it to calibrate the fixed-point
// scales and to measure how far the quantized model is from the float one.
#pragma once

#include <span>
#include <vector>

#include "zkacc/zkml/graph.hpp"

namespace zkacc::zkml {

struct FloatRun {
  std::vector<std::vector<double>> values;  // per tensor id, row-major
  // Per layer: the largest |value| of its result before a fused Relu (the
  // range the circuit's sign decomposition must cover); after it otherwise.
  std::vector<double> pre_activation_max_abs;
  // Per layer, every |value| before a fused Relu, when asked for (calibration
  // by percentile); empty otherwise.
  std::vector<std::vector<float>> pre_activation_abs;
};

// `input` holds the graph input's values in row-major order.
FloatRun evaluate_float(const Graph& graph, std::span<const double> input, bool keep_pre_activation = false);

}  // namespace zkacc::zkml
