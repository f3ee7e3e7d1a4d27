// From a float graph to the integer model the circuit proves.
//
// choose_settings() picks power-of-two scales from a calibration range
// (calibration.hpp: one input or a data set, summarized by a statistic):
// weights get the most fractional bits that keep max|w| within weight_bits;
// each computed tensor the most that keep its calibration range, times
// 2^headroom_bits, within activation_bits; the input the most that keep the
// calibration input within input_bits (no headroom: inputs usually have a
// fixed range, such as pixels in [0, 1]). quantize() applies settings to a
// graph and checks that they fit it (settings.hpp).
//
// Integer semantics, which the circuit, the evaluator (qeval.hpp) and
// models/quantized_reference.py all follow:
//   Dense/Conv  acc = Σ w_q·x_q + b_q, with b_q = round(b·2^(in_frac + weight_frac))
//   Scale       acc = x_q·m_q + c_q per position, m_q at weight_frac, c_q at acc_frac = in_frac + weight_frac
//   Add         acc = Σ_i ±x_i·2^(acc_frac - frac_i) (+ round(c·2^acc_frac) for a constant),
//               acc_frac = the inputs' largest frac
//   then        y = rescale(acc, shift = acc_frac - out_frac), Relu if fused
//   AvgPool     y = floor((Σ window + floor(n/2)) / n), n the window's size (same frac)
//   Sigmoid, Tanh  y = smooth_eval(table, x): piecewise quadratic on |x|, output frac bits − 2
//   Mul         acc = x1_q·x2_q at acc_frac = frac1 + frac2 (ops/product.cpp)
//   MatMul      acc = Σ_k x1_q·x2_q at acc_frac = frac1 + frac2
//   ReduceSum   acc = Σ x_q at the input's frac (ops/reduce.cpp)
//   ReduceMean  y = floor((Σ x_q + floor(n/2)) / n), same frac
//   Clip, LeakyRelu, Max, Min: ops/piecewise_linear.hpp
//   Softmax     per row: ops/softmax.hpp, output frac calibrated, at least bits − 2
//   LayerNorm   per row: ops/layer_norm.hpp, output frac calibrated
//   Embedding   the table's row at each integer id (ops/embedding.hpp), at the table's own frac
//   Exp         acc = exp_table(x − M)·round(e^M·2^w) at frac (bits − 2) + w, x ≤ M (ops/smooth_activation.hpp)
//   MaxPool, ReduceMax, Relu, Reshape: exact on the integers, same frac
// rescale(acc, s) = floor((acc + 2^(s-1)) / 2^s) for s > 0, acc·2^-s for s ≤ 0.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zkacc/zkml/calibration.hpp"
#include "zkacc/zkml/float_eval.hpp"
#include "zkacc/zkml/graph.hpp"
#include "zkacc/zkml/ops/smooth_activation.hpp"
#include "zkacc/zkml/ops/layer_norm.hpp"
#include "zkacc/zkml/ops/softmax.hpp"
#include "zkacc/zkml/settings.hpp"

namespace zkacc::zkml {

struct QTensor {
  std::string name;
  Shape shape;
  int frac = 0;
  int bits = 0;
  bool nonneg = false;  // provably ≥ 0 (after a Relu): comparisons need one bit less
};

struct QLayer {
  LayerKind kind = LayerKind::Dense;
  std::string name, onnx_ops;
  std::vector<int> inputs;
  int output = -1;
  Shape weight_shape;                 // Dense [N, K], Conv [M, C, kh, kw]
  std::vector<std::int64_t> weight;   // integers at weight_frac (Dense, Conv, Scale; LeakyRelu: the slopes)
  std::vector<std::int64_t> bias;     // Dense/Conv: per output channel at acc_frac; Add: the constant at acc_frac, full shape, or empty
  std::vector<int> input_shift;       // Add, Max, Min: input i enters times 2^input_shift[i];
                                      // Select: input i is rescaled by 2^-input_shift[i] (0: its own wires)
  std::vector<std::int64_t> select;   // Select: per output, its position in the inputs' concatenation
  std::vector<int> input_sign;        // Add: +1/−1 per input (empty: all +1)
  Window2d window;
  Shape dims;                         // MatMul: {batch, M, K, N}
  std::int64_t lo = 0, hi = 0;        // Clip: the bounds at the input's scale, clamped to its range; Exp: lo = M
  bool relu = false;
  int weight_frac = 0;
  int acc_frac = 0;
  int shift = 0;                      // acc_frac - output frac (Dense, Conv, Add)
  double acc_bound = 0;               // largest |acc| any input in range can produce
  bool wide = false;                  // acc_bound ≥ 2^62: accumulate in 128 bits
  SmoothTable smooth;                 // Sigmoid, Tanh, Erf, Gelu: the approximation (ops/smooth_activation.hpp)
  SoftmaxParams softmax;              // Softmax (ops/softmax.hpp)
  LayerNormParams layer_norm;         // LayerNorm (ops/layer_norm.hpp); weight: G per position, bias: β per position
};

struct QuantizedModel {
  std::string source;
  std::vector<QTensor> tensors;
  std::vector<QLayer> layers;
  int input = -1, output = -1;
  std::string dropped_head;  // graph.hpp
  bool input_integer = false;  // token ids (graph.hpp)
  Exposure exposure;           // from the settings: how the circuit shows input and output

  const QTensor& tensor(int id) const { return tensors[static_cast<std::size_t>(id)]; }
};

// Throws zkacc::Error if a bit width is out of range or a scale cannot be chosen.
Settings choose_settings(const Graph& graph, const CalibrationRange& calibration, const QuantConfig& config,
                         const std::string& calibration_name);
// Throws zkacc::Error naming `settings_name` if the settings do not belong to
// this graph (layer count, names, kinds) or make a value overflow.
QuantizedModel quantize(const Graph& graph, const Settings& settings, const std::string& settings_name = "settings");

// The fixed-point input: round(x·2^frac), ties away from zero. Throws naming
// `input_name` and the first value outside the input's range.
std::vector<std::int64_t> quantize_input(const QuantizedModel& model, std::span<const double> input,
                                         const std::string& input_name);

// The layers whose accumulator is rescaled by 2^shift to the output's scale.
constexpr bool rescales_accumulator(LayerKind k) {
  return k == LayerKind::Dense || k == LayerKind::Conv || k == LayerKind::Add || k == LayerKind::Scale ||
         k == LayerKind::Mul || k == LayerKind::MatMul || k == LayerKind::ReduceSum || k == LayerKind::LeakyRelu ||
         k == LayerKind::Exp;
}

// floor((acc + 2^(s-1)) / 2^s) for s > 0, acc·2^-s for s ≤ 0 (the caller keeps it in range).
__int128 rescale_value(__int128 acc, int shift);
// floor((acc + floor(d/2)) / d), d ≥ 1.
__int128 round_div(__int128 acc, std::int64_t d);
// round(x), ties away from zero, as an integer; throws if |x| ≥ 2^62.
std::int64_t round_to_int(double x, const std::string& what);

}  // namespace zkacc::zkml
