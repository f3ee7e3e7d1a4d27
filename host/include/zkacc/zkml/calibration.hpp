// Calibration over a data set: the range of every tensor the quantizer
// scales, measured by the float model on many inputs and summarized by a
// stated statistic.
//
//   max       the largest |value| any calibration input produced (default)
//   pNN.N     the NN.N-th percentile of all |values| of the tensor over all
//             inputs (e.g. p99.99): an outlier then does not cost every other
//             value its precision. The model input always uses max: inputs
//             have a fixed range (pixels), and clipping one is not allowed.
//
// The quantizer then leaves headroom_bits above the range (quantize.hpp). A
// value beyond the range at proving time is never clipped: the witness
// command stops with an error naming the layer, position and range.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "zkacc/zkml/graph.hpp"

namespace zkacc::zkml {

struct CalibrationStatistic {
  double percentile = 100;  // 100: max
  // "max" or "p<percentile>" with 50 ≤ percentile ≤ 100; throws zkacc::Error otherwise.
  static CalibrationStatistic parse(const std::string& text);
  std::string name() const;
};

struct CalibrationRange {
  double input_max_abs = 0, input_min = 0;
  std::vector<double> layer_max_abs;  // per layer, before a fused Relu: the statistic of |value|
  std::size_t inputs = 0;
  CalibrationStatistic statistic;
};

// Runs the float model on every input. Throws zkacc::Error for an empty set.
CalibrationRange measure_calibration(const Graph& graph, const std::vector<std::vector<double>>& inputs,
                                     const CalibrationStatistic& statistic);

}  // namespace zkacc::zkml
