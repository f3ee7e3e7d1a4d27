// Fq12 = Fq6[w] / (w^2 - v): the target group of the BN254 pairing lives here.
#pragma once

#include "zkacc/field/fq6.hpp"

namespace zkacc {

class Fq12 {
 public:
  Fq6 c0, c1;  // c0 + c1·w

  constexpr Fq12() = default;
  constexpr Fq12(const Fq6& a0, const Fq6& a1) : c0(a0), c1(a1) {}

  static constexpr Fq12 zero() { return {}; }
  static constexpr Fq12 one() { return {Fq6::one(), Fq6::zero()}; }
  template <class Rng>
  static Fq12 random(Rng& rng) {
    Fq6 a = Fq6::random(rng);
    return {a, Fq6::random(rng)};
  }

  constexpr bool is_zero() const { return c0.is_zero() && c1.is_zero(); }
  constexpr bool is_one() const { return c0.is_one() && c1.is_zero(); }
  friend constexpr bool operator==(const Fq12& a, const Fq12& b) { return a.c0 == b.c0 && a.c1 == b.c1; }

  friend constexpr Fq12 operator+(const Fq12& a, const Fq12& b) { return {a.c0 + b.c0, a.c1 + b.c1}; }
  friend constexpr Fq12 operator-(const Fq12& a, const Fq12& b) { return {a.c0 - b.c0, a.c1 - b.c1}; }
  constexpr Fq12 operator-() const { return {-c0, -c1}; }

  // Karatsuba: 3 Fq6 multiplications.
  friend constexpr Fq12 operator*(const Fq12& a, const Fq12& b) {
    Fq6 v0 = a.c0 * b.c0, v1 = a.c1 * b.c1;
    return {v0 + v1.mul_by_v(), (a.c0 + a.c1) * (b.c0 + b.c1) - v0 - v1};
  }
  constexpr Fq12& operator*=(const Fq12& b) { return *this = *this * b; }

  // Complex squaring: 2 Fq6 multiplications.
  constexpr Fq12 square() const {
    Fq6 ab = c0 * c1;
    Fq6 t = (c0 + c1) * (c0 + c1.mul_by_v());
    return {t - ab - ab.mul_by_v(), ab.dbl()};
  }

  // f^(q^6): for elements of the cyclotomic subgroup this is the inverse.
  constexpr Fq12 conjugate() const { return {c0, -c1}; }

  Fq12 inverse() const {
    Fq6 t = c0 * c0 - (c1 * c1).mul_by_v();
    Fq6 inv = t.inverse();
    return {c0 * inv, -(c1 * inv)};
  }

  // x -> x^(q^k), see frobenius.hpp: c0 holds w^0, w^2, w^4 and c1 holds
  // w^1, w^3, w^5.
  constexpr Fq12 frobenius(int k) const {
    const auto& g = bn254_frobenius::kGamma[k % 12];
    return {c0.frobenius(k),
            {c1.c0.frobenius(k) * g[1], c1.c1.frobenius(k) * g[3], c1.c2.frobenius(k) * g[5]}};
  }

  // Multiplication by the sparse line value d0 + d3·w + d4·w^3, i.e.
  // (d0, 0, 0) + (d3, d4, 0)·w: the shape every Miller-loop line has on the
  // D-type sextic twist. 13 Fq2 multiplications instead of 18.
  constexpr Fq12 mul_by_034(const Fq2& d0, const Fq2& d3, const Fq2& d4) const {
    Fq6 a = c0.mul_by_fq2(d0);
    Fq6 b = c1.mul_by_01(d3, d4);
    Fq6 e = (c0 + c1).mul_by_01(d0 + d3, d4);
    return {a + b.mul_by_v(), e - a - b};
  }

  template <std::size_t N>
  constexpr Fq12 pow(const BigInt<N>& e) const {
    return pow_vartime(*this, e);
  }
};

}  // namespace zkacc
