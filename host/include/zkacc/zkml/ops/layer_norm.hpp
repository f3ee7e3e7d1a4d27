// LayerNormalization (opset 17) and the decomposed form PyTorch exports
// before it (ReduceMean, Sub, Pow 2, ReduceMean, Add ε, Sqrt, Div, Mul γ,
// Add β; fused by the rewrite passes): the integer semantics, the per-row
// gadget and the parameters the quantizer picks. The importer's mapping is
// in host/src/zkml/ops/layer_norm.cpp.
//
// y = γ·(x − μ)/√(σ² + ε) + β over each row of n values. Integer semantics
// of a row x_1 … x_n (B bits at scale 2^-f):
//   T    = Σ x_j
//   c_j  = n·x_j − T                      exact: n·(x_j − μ) at scale 2^-f
//   SS   = Σ c_j² + E                     E = max(1, round(ε·n³·4^f)): n³·(σ² + ε)
//   s    = floor(√(SS·4^t))               t ≥ 0 makes s ≥ 2^(A+2) even at SS = E
//   inv  = round(2^K / s)                 K = bits(s) + A + 2
//   y_j  = rescale(G_j·c_j·inv + β_j, 2^(w + K − t − h))
// with G_j = round(γ_j·√n·2^w) (w the weight frac), β_j = round(β·2^(w+K−t)),
// h the output's calibrated frac. (x − μ)/σ = c·2^t/(√n·s'), so
// G·c·inv = γ·(x − μ)/σ·2^(w+K−t); since c_j² ≤ SS, |c_j·inv| ≲ 2^(K−t+1).
// Gadget per row: T (1), the n squares (1 each), the square root
// (3·s_bits + 6), the reciprocal (inv_bits + 2·s_bits + 5); per element one
// rescale whose constraint takes the product (G_j·c_j)·inv: shift + A + 2.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zkacc/zkml/gadgets.hpp"

namespace zkacc::zkml {

struct LayerNormParams {
  int n = 0;             // row length
  Int epsilon = 1;       // E
  int sqrt_scale = 0;    // t: the square root is of SS·4^t
  int s_bits = 0;        // s < 2^s_bits
  int recip_k = 0;       // K
  int inv_bits = 0;      // inv < 2^inv_bits
  int shift = 0;         // w + K − t − h ≥ 1
  int out_bits = 0;      // A
  int acc_frac = 0;      // w + K − t: the scale of β_j
};
// Throws zkacc::Error if the widths do not fit.
LayerNormParams make_layer_norm_params(int in_frac, int in_bits, int n, double epsilon, int weight_frac, int out_frac,
                                       int out_bits);

// One row: y_j before its range check (the caller's); g and b are G_j, β_j.
void layer_norm_row_eval(const LayerNormParams& p, std::span<const std::int64_t> x, std::span<const std::int64_t> g,
                         std::span<const std::int64_t> b, std::span<std::int64_t> y);

struct LayerNormRowGadget {
  std::uint32_t total = 0;            // T
  std::vector<std::uint32_t> squares; // c_j²
  Isqrt root;
  Reciprocal recip;
  std::vector<Rescale> outs;
};
LayerNormRowGadget layer_norm_row(R1csBuilder& cs, std::span<const std::uint32_t> x, std::span<const std::int64_t> g,
                                  std::span<const std::int64_t> b, const LayerNormParams& p);
void assign_layer_norm_row(const LayerNormRowGadget& gd, const LayerNormParams& p, std::span<const std::int64_t> x,
                           std::span<const std::int64_t> g, std::span<const std::int64_t> b, std::span<std::int64_t> y,
                           std::span<std::int64_t> w);

}  // namespace zkacc::zkml
