// Div of two activations, Reciprocal and Sqrt: the integer semantics the
// evaluator, the circuit and the tests share. (Inside a LayerNorm's
// decomposed form they are fused away, rewrite.cpp; the importer's mapping
// is in host/src/zkml/ops/arithmetic.cpp.)
//
// Integer semantics (x at frac f, the output at its calibrated frac g):
//   Div         y = round(x1·2^k / x2) with k = g + f2 − f1 (a negative k
//               scales the divisor instead), ties up; the divisor must be
//               ≥ 1 (≥ one step of its scale): a divisor ≤ 0 is an error
//               when the witness is made, never a wrong proof
//   Reciprocal  y = round(2^(g+f) / x), x ≥ 1
//   Sqrt        y = floor(√(x·2^(2g−f))), g ≥ f/2 (rounded down: at most one
//               step low); x < 0 is an error when the witness is made
// Gadgets (gadgets.hpp): Div and Reciprocal one division, B + 2·d_bits + 6
// constraints (d_bits: the divisor's); Sqrt one floor square root,
// 3·(B − 1) + 6.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "zkacc/zkml/r1cs_builder.hpp"

namespace zkacc::zkml {

// The scaled numerator and divisor of a Div (reciprocal: x1 = 1 at f1 = 0).
struct DivisionScale {
  int num_shift = 0;  // N = x1·2^num_shift
  int den_shift = 0;  // D = x2·2^den_shift
};
DivisionScale division_scale(int f1, int f2, int g);

// y, or an error message (a divisor below 1, a negative square root).
std::optional<std::string> division_eval(Int num, Int den, Int& y);
std::optional<std::string> sqrt_eval(Int v, Int& y);

}  // namespace zkacc::zkml
