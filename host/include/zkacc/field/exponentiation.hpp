// Left-to-right square-and-multiply, shared by every field of the tower.
// Variable time in the exponent (its bit length and set bits).
#pragma once

#include "zkacc/field/bigint.hpp"

namespace zkacc {

template <class F, std::size_t N>
constexpr F pow_vartime(const F& base, const BigInt<N>& e) {
  F r = F::one();
  for (std::size_t i = bigint::bit_length(e); i-- > 0;) {
    r = r.square();
    if (bigint::bit(e, i)) r = r * base;
  }
  return r;
}

}  // namespace zkacc
