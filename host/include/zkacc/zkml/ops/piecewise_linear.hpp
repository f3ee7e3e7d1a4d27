// Piecewise-linear activations: Clip (ReLU6), LeakyRelu, PRelu, HardSigmoid,
// HardSwish, elementwise Max and Min: the integer semantics the evaluator,
// the circuit and the tests share, and the gadgets. The importer's mapping
// of each ONNX op is in host/src/zkml/ops/piecewise_linear.cpp.
//
// Integer semantics (x an integer of B bits at scale 2^-f, the output at
// the same scale):
//   Clip       y = min(max(x, lo_q), hi_q), lo_q = round(lo·2^f), hi_q = round(hi·2^f),
//              clamped to the B-bit range (a bound outside it never binds)
//   LeakyRelu  y = x for x ≥ 0, else rescale(x·a_q, 2^w): a_q = round(α·2^w), w the
//              slope's weight_frac (settings.json); PRelu is the same with α per position
//   Max, Min   the inputs aligned to the finest frac (times 2^(F − f_i), exact), then compared
// HardSigmoid and HardSwish are built from these and a Scale and a Mul
// (ops/piecewise_linear.cpp says how).
//
// Gadgets, per value:
//   Clip       one comparison with each bound that binds: B + 3 each (max2 of B + 1 bits)
//   LeakyRelu  the sign of x, B + 1 (none when the producer's rescale has x's bits),
//              the rescale of x·a_q, w + B_out + 2, and one product selecting x or it
//   Max/Min    (inputs − 1) comparisons of B_out + 3
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "zkacc/zkml/gadgets.hpp"

namespace zkacc::zkml {

std::int64_t clip_eval(std::int64_t x, std::int64_t lo_q, std::int64_t hi_q);
// Throws zkacc::Error if the scaled branch leaves the out_bits range.
std::int64_t leaky_relu_eval(std::int64_t x, std::int64_t slope_q, int slope_frac, int out_bits);

struct ClipGadget {
  std::optional<Max2> lower, upper;  // absent when the bound cannot bind
  std::uint32_t out = 0;             // the input's wire when neither binds
};
// x has `bits` bits; lo_q and hi_q are already clamped to its range.
ClipGadget clip(R1csBuilder& cs, std::uint32_t x, int bits, std::int64_t lo_q, std::int64_t hi_q);
std::int64_t assign_clip(const ClipGadget& g, std::int64_t x, std::int64_t lo_q, std::int64_t hi_q, std::span<std::int64_t> w);

struct LeakyReluGadget {
  std::optional<Bits> own_sign;  // x + 2^(B−1) as B bits, when the producer's rescale does not have them
  std::uint32_t sign = 0;        // wire: 1 when x ≥ 0
  Int factor = 1;                // z's accumulator is x·factor (a_q, times 2^−w when w < 0)
  Rescale scaled;                // z = rescale(x·a_q, 2^w)
  std::uint32_t out = 0;         // z + sign·(x − z)
};
// `x_bits`: the bits of x + 2^(B−1) a rescale already wrote (nullptr: none).
LeakyReluGadget leaky_relu(R1csBuilder& cs, std::uint32_t x, int bits, const Bits* x_bits, std::int64_t slope_q,
                           int slope_frac, int out_bits);
std::int64_t assign_leaky_relu(const LeakyReluGadget& g, std::int64_t x, int bits, std::span<std::int64_t> w);

}  // namespace zkacc::zkml
