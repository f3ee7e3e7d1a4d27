// Modular inversion by the optimized binary GCD (T. Pornin, "Optimized
// Binary GCD for Modular Inversion", IACR ePrint 2020/972, Algorithm 2).
//
// The plain binary extended Euclid works on the whole 256-bit values one bit
// at a time, with a data-dependent branch per bit: ~4 µs for BN254, which was
// 8 % of a 2^14 Groth16 proof (one inversion per batch of affine bucket
// additions). Here 31 steps at a time run on 64-bit approximations of a and b
// (their low 31 bits, exact, and their top 33 bits), without branches, and
// only collect the 2×2 matrix (f0 g0; f1 g1) of those steps; the matrix is
// then applied once to the full a, b and to the Bézout coefficients u, v.
// The low bits being exact makes (a·f0 + b·g0) divisible by 2^31; the paper
// shows the approximation keeps the iteration bound of the exact algorithm,
// 2·len(m) − 1 steps, and once a and b fit 64 bits the approximation is the
// value itself. For len(m) = 254 that is 17 rounds of 31.
//
// u and v are kept reduced mod m by a one-limb Montgomery reduction after
// each round (a division by 2^64), and the division of a, b by 2^31 leaves
// the invariant a ≡ x·u·2^(33·i), b ≡ x·v·2^(33·i) (mod m) after round i.
// At the end b = gcd = 1, so x^-1 = v·2^(33·17): the caller folds that power
// of two into its final conversion.
//
// Variable time only in the sense of being unsuitable for secrets by review:
// the steps themselves are branch-free. Use it for public data.
#pragma once

#include <algorithm>
#include <cstdint>

#include "zkacc/field/bigint.hpp"

namespace zkacc::field_detail {

struct BinaryGcd {
  static constexpr unsigned kSteps = 31;   // exact low bits of the approximations
  static constexpr unsigned kRounds = 17;  // ceil((2·254 − 1) / 31)
  // x^-1 = v · 2^(kFactorBits) mod m for the v returned.
  static constexpr unsigned kFactorBits = 33 * kRounds;
};

namespace binary_gcd {

using u128 = unsigned __int128;
using Int5 = BigInt<5>;  // two's complement, 320 bits

// The 64 bits of a starting at bit `pos` (pos < 256).
inline std::uint64_t bits_at(const BigInt<4>& a, unsigned pos) {
  const unsigned limb = pos / 64, shift = pos % 64;
  std::uint64_t v = a[limb] >> shift;
  if (shift != 0 && limb + 1 < 4) v |= a[limb + 1] << (64 - shift);
  return v;
}

// a·|f|, then negated if f < 0: a < 2^255, |f| <= 2^31, in 320 bits.
inline Int5 times_signed(const BigInt<4>& a, std::int64_t f) {
  const std::uint64_t m = f < 0 ? std::uint64_t(-f) : std::uint64_t(f);
  Int5 r{};
  std::uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    const u128 t = u128(a[i]) * m + carry;
    r[i] = std::uint64_t(t);
    carry = std::uint64_t(t >> 64);
  }
  r[4] = carry;
  if (f < 0) bigint::sub(r, Int5{}, r);
  return r;
}

// (a·f + b·g) / 2^31 for a combination known to be divisible by 2^31;
// returns |result| in 256 bits and whether it was negative.
inline BigInt<4> combine_shift(const BigInt<4>& a, std::int64_t f, const BigInt<4>& b, std::int64_t g,
                               bool& negative) {
  Int5 s = times_signed(a, f);
  bigint::add(s, s, times_signed(b, g));
  negative = (s[4] >> 63) != 0;
  if (negative) bigint::sub(s, Int5{}, s);
  BigInt<4> r;
  for (int i = 0; i < 4; ++i) r[i] = (s[i] >> BinaryGcd::kSteps) | (s[i + 1] << (64 - BinaryGcd::kSteps));
  return r;
}

// (u·f + v·g) · 2^-64 mod m, for u, v < m < 2^254 and |f|, |g| <= 2^31;
// minv = −m^-1 mod 2^64.
inline BigInt<4> combine_mod(const BigInt<4>& u, std::int64_t f, const BigInt<4>& v, std::int64_t g,
                             const BigInt<4>& m, std::uint64_t minv) {
  // A negative coefficient multiplies m − u instead: (m − u)·|f| ≡ u·f.
  BigInt<4> us = u, vs = v;
  if (f < 0) bigint::sub(us, m, u);
  if (g < 0) bigint::sub(vs, m, v);
  Int5 t = times_signed(us, f < 0 ? -f : f);  // < 2^285 each
  bigint::add(t, t, times_signed(vs, g < 0 ? -g : g));
  // t + q·m ≡ 0 mod 2^64; (t + q·m) / 2^64 < 2^222 + m < 2m.
  const std::uint64_t q = t[0] * minv;
  std::uint64_t carry = 0;
  for (int i = 0; i < 4; ++i) {
    const u128 s = u128(q) * m[i] + t[i] + carry;
    t[i] = std::uint64_t(s);
    carry = std::uint64_t(s >> 64);
  }
  t[4] += carry;  // no overflow: the sum is below 2^320
  BigInt<4> r = {t[1], t[2], t[3], t[4]};
  if (bigint::compare(r, m) >= 0) bigint::sub(r, r, m);
  return r;
}

}  // namespace binary_gcd

// v with x^-1 ≡ v·2^(BinaryGcd::kFactorBits) (mod m), for 0 < x < m, m odd,
// m < 2^254, gcd(x, m) = 1; minv = −m^-1 mod 2^64. Returns false (v
// unspecified) if b did not reach 1, which the iteration bound rules out for
// such inputs; the caller checks it anyway.
inline bool binary_gcd_inverse(const BigInt<4>& x, const BigInt<4>& m, std::uint64_t minv, BigInt<4>& v_out) {
  using namespace binary_gcd;
  constexpr unsigned k = BinaryGcd::kSteps;
  constexpr std::uint64_t low_mask = (std::uint64_t(1) << k) - 1;
  BigInt<4> a = x, b = m, u = bigint::from_u64<4>(1), v{};
  for (unsigned round = 0; round < BinaryGcd::kRounds; ++round) {
    // 64-bit approximations: the low 31 bits and the top 33 bits of the
    // longer of a, b (exact when both fit 64 bits).
    unsigned n = static_cast<unsigned>(std::max(bigint::bit_length(a), bigint::bit_length(b)));
    if (n < 64) n = 64;
    std::uint64_t ab = (a[0] & low_mask) | (bits_at(a, n - 33) << k);
    std::uint64_t bb = (b[0] & low_mask) | (bits_at(b, n - 33) << k);
    std::int64_t f0 = 1, g0 = 0, f1 = 0, g1 = 1;
    for (unsigned j = 0; j < k; ++j) {
      // If a is odd: swap so that a >= b, then a −= b; always a /= 2. Masks,
      // not branches: the outcome is a coin toss the predictor cannot learn.
      const std::uint64_t odd = -(ab & 1);
      const std::uint64_t swap = odd & -std::uint64_t(ab < bb);
      const std::uint64_t t = (ab ^ bb) & swap;
      ab ^= t;
      bb ^= t;
      const std::int64_t tf = (f0 ^ f1) & std::int64_t(swap), tg = (g0 ^ g1) & std::int64_t(swap);
      f0 ^= tf;
      f1 ^= tf;
      g0 ^= tg;
      g1 ^= tg;
      ab -= bb & odd;
      f0 -= f1 & std::int64_t(odd);
      g0 -= g1 & std::int64_t(odd);
      ab >>= 1;
      f1 *= 2;
      g1 *= 2;
    }
    bool neg_a = false, neg_b = false;
    const BigInt<4> a2 = combine_shift(a, f0, b, g0, neg_a);
    const BigInt<4> b2 = combine_shift(a, f1, b, g1, neg_b);
    if (neg_a) {
      f0 = -f0;
      g0 = -g0;
    }
    if (neg_b) {
      f1 = -f1;
      g1 = -g1;
    }
    const BigInt<4> u2 = combine_mod(u, f0, v, g0, m, minv);
    const BigInt<4> v2 = combine_mod(u, f1, v, g1, m, minv);
    a = a2;
    b = b2;
    u = u2;
    v = v2;
  }
  v_out = v;
  return b == bigint::from_u64<4>(1) && bigint::is_zero(a);
}

}  // namespace zkacc::field_detail
