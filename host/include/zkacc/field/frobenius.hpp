// Frobenius coefficients of the BN254 tower, derived at compile time.
//
// Write an Fq12 element as Σ a_i·w^i (i = 0..5, a_i in Fq2, w^6 = ξ). Then
//     (a_i w^i)^(q^k) = a_i^(q^k) · w^i · ξ^(i(q^k-1)/6),
// so the k-th Frobenius map conjugates the coefficients k times and multiplies
// the i-th by γ[k][i] = ξ^(i(q^k-1)/6). With γ1 = ξ^((q-1)/6):
//     γ[1][i] = γ1^i,   γ[k+1][i] = conj(γ[k][i]) · γ[1][i],
// because q^(k+1) - 1 = q(q^k - 1) + (q - 1) and x^q = conj(x) in Fq2.
#pragma once

#include <array>

#include "zkacc/field/fq2.hpp"

namespace zkacc::bn254_frobenius {

inline constexpr BigInt<4> kQMinus1Over6 = [] {
  BigInt<4> t{};
  bigint::sub(t, Fq::kModulus, bigint::from_u64<4>(1));
  std::uint64_t rem = 0;
  t = bigint::div_small(t, 6, rem);
  return t;  // q = 1 mod 6, so rem == 0
}();

using Table = std::array<std::array<Fq2, 6>, 12>;

inline constexpr Table kGamma = [] {
  Table g{};
  const Fq2 g1 = Fq2::xi().pow(kQMinus1Over6);
  for (std::size_t i = 0; i < 6; ++i) {
    g[0][i] = Fq2::one();
    Fq2 p = Fq2::one();
    for (std::size_t j = 0; j < i; ++j) p = p * g1;
    g[1][i] = p;  // ξ^(i(q-1)/6)
  }
  for (std::size_t k = 1; k + 1 < 12; ++k)
    for (std::size_t i = 0; i < 6; ++i) g[k + 1][i] = g[k][i].conjugate() * g[1][i];
  return g;
}();

}  // namespace zkacc::bn254_frobenius
