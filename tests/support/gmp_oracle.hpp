// GMP as the independent oracle for field arithmetic: conversions between
// zkacc's limb integers and mpz_class.
#pragma once

#include <gmpxx.h>

#include "zkacc/field/bigint.hpp"

namespace zkacc::test {

template <std::size_t N>
mpz_class to_mpz(const BigInt<N>& a) {
  mpz_class r;
  mpz_import(r.get_mpz_t(), N, -1, sizeof(std::uint64_t), 0, 0, a.data());
  return r;
}

inline BigInt<4> from_mpz(const mpz_class& v) {
  BigInt<4> r{};
  std::size_t count = 0;
  mpz_export(r.data(), &count, -1, sizeof(std::uint64_t), 0, 0, v.get_mpz_t());
  return r;
}

template <class F>
mpz_class modulus_mpz() {
  return to_mpz(F::kModulus);
}

template <class F>
mpz_class to_mpz(const F& x) {
  return to_mpz(x.to_canonical());
}

}  // namespace zkacc::test
