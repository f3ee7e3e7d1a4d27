// The quantized forward pass on 64-bit integers with Eigen: the values the
// witness is made of. It follows the integer semantics of quantize.hpp and
// checks every value against its tensor's range, so that an input the
// circuit cannot prove is reported here, with the layer and position,
// before any witness is written.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zkacc/zkml/quantize.hpp"

namespace zkacc::zkml {

struct QuantizedRun {
  std::vector<std::vector<std::int64_t>> values;  // per tensor id, row-major
  // Per layer, what the circuit rescales: Dense/Conv/Add the accumulator
  // (before a negative shift's multiplication), AvgPool the window sums;
  // empty for the other kinds.
  std::vector<std::vector<std::int64_t>> acc;
};

// `input` is the quantized input (quantize_input). Accumulators are 64-bit
// Eigen products when the layer's bound allows it and 128-bit sums checked
// to fit 62 bits otherwise. Throws zkacc::Error naming the layer, position,
// value and range of the first value out of range.
QuantizedRun evaluate_quantized(const QuantizedModel& model, std::span<const std::int64_t> input);

// The output tensor as real numbers (integer · 2^-frac).
std::vector<double> dequantized_output(const QuantizedModel& model, const QuantizedRun& run);

}  // namespace zkacc::zkml
