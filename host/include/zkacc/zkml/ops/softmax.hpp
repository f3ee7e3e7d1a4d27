// Softmax along one axis, anywhere in the graph (attention's weights):
// the integer semantics, the per-row gadget and the parameters the
// quantizer picks. The importer's mapping is in host/src/zkml/ops/softmax.cpp
// (a Softmax that ends the graph is still dropped: the logits' argmax is
// the class).
//
// Integer semantics of a row x_1 … x_n (B bits at scale 2^-f); exponentials
// at g = A − 2 fractional bits of A = activation bits (1.0 fits); the output
// at h ≥ g bits, calibrated (a long row's probabilities are small: more
// fractional bits keep their relative precision; a row more peaked than
// calibration allowed is an error when the witness is made):
//   m    = max_j x_j
//   e_j  = exp_table(x_j − m)          e^−|d| on d = x_j − m ≤ 0, B + 1 input bits
//                                      (ops/smooth_activation.hpp), output at g bits
//   S    = Σ e_j                        ≥ 2^g − 1 (the maximum's e is 1 within a step)
//   inv  = round(2^K / S)               K = g + h + ⌈log2 n⌉ + 2: inv's rounding is below
//                                      a quarter of an output step
//   y_j  = rescale(e_j·inv, 2^(K − h))
// Gadget per row: (n − 1) comparisons of B + 3 (B + 2 for a non-negative
// input), n exponentials (the table's cost plus B + 2 for the bits of
// x_j − m), one reciprocal (inv_bits + 2·S_bits + 5), n rescales whose
// constraint takes the product e_j·inv ((K − g) + A + 2 each).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zkacc/zkml/gadgets.hpp"
#include "zkacc/zkml/ops/smooth_activation.hpp"

namespace zkacc::zkml {

struct SoftmaxParams {
  SmoothTable exp;       // e^−|d|, input bits B + 1 at the input's frac, output at g = A − 2
  int n = 0;             // row length
  int recip_k = 0;       // K
  int sum_bits = 0;      // S < 2^sum_bits
  int inv_bits = 0;      // inv < 2^inv_bits
  int shift = 0;         // K − h
  int out_bits = 0;      // A
};
// Throws zkacc::Error if the widths do not fit (an input over 19 bits).
SoftmaxParams make_softmax_params(int in_frac, int in_bits, int n, int out_frac, int out_bits);

// One row; y must have x's size. The caller checks y's range.
void softmax_row_eval(const SoftmaxParams& p, std::span<const std::int64_t> x, std::span<std::int64_t> y);

struct SoftmaxRowGadget {
  std::vector<Max2> maxes;           // the running maximum, n − 1 comparisons
  std::uint32_t max_wire = 0;        // m (an input wire when n = 1)
  std::vector<SmoothGadget> exps;    // per element
  Reciprocal recip;
  std::vector<Rescale> outs;         // per element
};
SoftmaxRowGadget softmax_row(R1csBuilder& cs, std::span<const std::uint32_t> x, int x_bits, bool x_nonneg,
                             const SoftmaxParams& p);
// Fills the row's wires; writes the outputs to y.
void assign_softmax_row(const SoftmaxRowGadget& g, const SoftmaxParams& p, std::span<const std::int64_t> x,
                        std::span<std::int64_t> y, std::span<std::int64_t> w);

}  // namespace zkacc::zkml
