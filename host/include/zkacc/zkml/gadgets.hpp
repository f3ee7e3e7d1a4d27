// The circuit gadgets of the ZKML front end. Each one adds its constraints
// to an R1csBuilder and returns where its wires are; assign_*() fills those
// wires for a concrete value and throws if the value cannot be proved.
//
// Soundness rests on three rules, each checked by the tests (tests/zkml):
//  * Every value a gadget outputs is tied to booleans: a bit decomposition
//    b_i·b_i = b_i, Σ 2^i·b_i = value. A decomposition is never wider than
//    126 bits, so Σ 2^i·b_i < 2^126 < r and the sum cannot wrap the field;
//    126 also keeps every coefficient 2^i an exact 128-bit integer (Int).
//  * A division (rescale, average) proves quotient and remainder: the
//    remainder is itself range-checked (0 ≤ r < d), so the prover cannot
//    pick another rounding; the quotient's bits bound it too.
//  * Weights are coefficients of the constraints, not wires: the
//    verification key fixes them.
// Linear combinations passed in (accumulators) must be integers of known
// bound, which holds when every wire they read comes out of these gadgets
// and the coefficients are the model's constants.
#pragma once

#include <cstdint>
#include <span>

#include "zkacc/zkml/r1cs_builder.hpp"

namespace zkacc::zkml {

inline constexpr int kMaxDecompositionBits = 126;

// `width` consecutive boolean wires from `first`, least significant first.
struct Bits {
  std::uint32_t first = 0;
  int width = 0;
  // Σ_{lo ≤ i < hi} 2^(i-lo)·bit_i
  Lc sum(int lo, int hi) const;
  Lc sum() const { return sum(0, width); }
};

// `width` fresh wires, each constrained boolean (width constraints).
Bits alloc_bits(R1csBuilder& cs, int width);
// value ∈ [0, 2^width): width + 1 constraints.
Bits range_check(R1csBuilder& cs, const Lc& value, int width);
// Writes the bits of value; throws zkacc::Error unless 0 ≤ value < 2^width.
void assign_bits(const Bits& bits, Int value, std::span<std::int64_t> w);

// out = floor((acc + floor(d/2)) / d), proved to lie in [-2^(B-1), 2^(B-1)),
// then max(out, 0) if relu. B = out_bits.
//  d = 2^s: one decomposition of u = acc + floor(d/2) + d·2^(B-1) into s + B
//     bits: the low s bits are the remainder, the high B bits are
//     out + 2^(B-1), whose top bit is the sign. s + B + 2 constraints.
//  other d: the quotient's B bits, the remainder's k bits and the k bits of
//     d - 1 - remainder (k = bit width of d - 1): B + 2k + 3 constraints.
// With relu the output is top·(the other quotient bits): one product.
// rescale_product: the same for acc = a·b + lin. The product goes into the
// constraint that ties the decomposition to the accumulator (a·b = bits −
// lin − constants), so it costs no constraint of its own; a, b and lin must
// be integers whose bound keeps |acc| < 2^120 (quantize.cpp checks it).
struct Rescale {
  std::int64_t divisor = 1;
  int shift = -1;        // log2(divisor) when it is a power of two, else -1
  int out_bits = 0;
  bool relu = false;
  Bits bits;             // d = 2^s: the s + B bits of u; otherwise the quotient's B bits
  Bits rem, rem_gap;     // other d only
  std::uint32_t out = 0;
};
Rescale rescale(R1csBuilder& cs, const Lc& acc, std::int64_t divisor, int out_bits, bool relu);
Rescale rescale_product(R1csBuilder& cs, const Lc& a, const Lc& b, const Lc& lin, std::int64_t divisor, int out_bits,
                        bool relu);
// Fills the gadget's wires for the accumulator value; returns the output.
std::int64_t assign_rescale(const Rescale& g, Int acc, std::span<std::int64_t> w);

// inv = round(2^K / D) = floor((2^(K+1) + D) / (2D)) for an integer
// divisor 1 ≤ D < 2^d_bits: inv·(2D) = 2^(K+1) + D − r with the remainder
// 0 ≤ r < 2D proved by the bits of r and of 2D − 1 − r (d_bits + 1 each;
// D < 1 leaves no remainder to decompose), inv by inv_bits bits.
// inv_bits + 2·d_bits + 5 constraints. K + 2 ≤ 120.
struct Reciprocal {
  int k = 0;
  Bits inv_bits, rem, rem_gap;
  std::uint32_t out = 0;  // inv
};
Reciprocal reciprocal(R1csBuilder& cs, const Lc& d, int k, int d_bits, int inv_bits);
// Throws if the divisor is < 1 or inv does not fit its bits.
std::int64_t assign_reciprocal(const Reciprocal& g, Int d, std::span<std::int64_t> w);
// round(2^K / D), the integer semantics (D ≥ 1).
Int reciprocal_value(Int d, int k);

// q = round(N / D) = floor((2N + D) / (2D)) for an integer numerator N and
// a divisor 1 ≤ D < 2^d_bits (a linear combination of wires): q·(2D) =
// 2N + D − r with 0 ≤ r < 2D (the bits of r and of 2D − 1 − r, d_bits + 1
// each; D < 1 leaves no remainder to decompose), q proved to lie in
// [−2^(B−1), 2^(B−1)) by the B bits of q + 2^(B−1).
// B + 2·d_bits + 6 constraints. |2N + D| must stay below 2^120.
struct Divide {
  Bits q_bits, rem, rem_gap;
  std::uint32_t out = 0;  // q
};
Divide divide(R1csBuilder& cs, const Lc& num, const Lc& den, int d_bits, int out_bits);
// Throws if D < 1 or q leaves its range.
std::int64_t assign_divide(const Divide& g, Int num, Int den, std::span<std::int64_t> w);
Int divide_value(Int num, Int den);  // round(N / D), ties up, D ≥ 1

// s = floor(sqrt(v)) for an integer 0 ≤ v < 2^(2·s_bits): s·s = v − r
// with s in s_bits bits and 0 ≤ r ≤ 2s (the bits of r and of 2s − r,
// s_bits + 1 each), so s² ≤ v < (s + 1)². 3·s_bits + 6 constraints.
struct Isqrt {
  Bits s_bits, rem, rem_gap;
  std::uint32_t out = 0;  // s
};
Isqrt isqrt(R1csBuilder& cs, const Lc& v, int s_bits);
// Throws if v < 0 or s does not fit.
std::int64_t assign_isqrt(const Isqrt& g, Int v, std::span<std::int64_t> w);
Int isqrt_value(Int v);  // floor(sqrt(v)), v ≥ 0

// out = max(a, b), for |a - b| < 2^(diff_bits-1): the bits of
// a - b + 2^(diff_bits-1), whose top bit t is [a ≥ b], and
// t·(a - b) = out - b. diff_bits + 2 constraints.
// With take_min, out = min(a, b): t·(a - b) = a - out.
struct Max2 {
  int diff_bits = 0;
  bool take_min = false;
  Bits bits;
  std::uint32_t out = 0;
};
Max2 max2(R1csBuilder& cs, const Lc& a, const Lc& b, int diff_bits, bool take_min = false);
std::int64_t assign_max2(const Max2& g, Int a, Int b, std::span<std::int64_t> w);

}  // namespace zkacc::zkml
