// Fq6 = Fq2[v] / (v^3 - ξ), ξ = 9 + u. The middle layer of the BN254 tower.
#pragma once

#include "zkacc/field/frobenius.hpp"
#include "zkacc/field/fq2.hpp"

namespace zkacc {

class Fq6 {
 public:
  Fq2 c0, c1, c2;  // c0 + c1·v + c2·v^2

  constexpr Fq6() = default;
  constexpr Fq6(const Fq2& a0, const Fq2& a1, const Fq2& a2) : c0(a0), c1(a1), c2(a2) {}

  static constexpr Fq6 zero() { return {}; }
  static constexpr Fq6 one() { return {Fq2::one(), Fq2::zero(), Fq2::zero()}; }
  template <class Rng>
  static Fq6 random(Rng& rng) {
    Fq2 a = Fq2::random(rng), b = Fq2::random(rng);
    return {a, b, Fq2::random(rng)};
  }

  constexpr bool is_zero() const { return c0.is_zero() && c1.is_zero() && c2.is_zero(); }
  constexpr bool is_one() const { return c0.is_one() && c1.is_zero() && c2.is_zero(); }
  friend constexpr bool operator==(const Fq6& a, const Fq6& b) {
    return a.c0 == b.c0 && a.c1 == b.c1 && a.c2 == b.c2;
  }

  friend constexpr Fq6 operator+(const Fq6& a, const Fq6& b) { return {a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2}; }
  friend constexpr Fq6 operator-(const Fq6& a, const Fq6& b) { return {a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2}; }
  constexpr Fq6 operator-() const { return {-c0, -c1, -c2}; }
  constexpr Fq6& operator+=(const Fq6& b) { return *this = *this + b; }
  constexpr Fq6& operator-=(const Fq6& b) { return *this = *this - b; }
  constexpr Fq6 dbl() const { return {c0.dbl(), c1.dbl(), c2.dbl()}; }

  // Karatsuba over three coefficients: 6 Fq2 multiplications.
  friend constexpr Fq6 operator*(const Fq6& a, const Fq6& b) {
    Fq2 v0 = a.c0 * b.c0, v1 = a.c1 * b.c1, v2 = a.c2 * b.c2;
    return {((a.c1 + a.c2) * (b.c1 + b.c2) - v1 - v2).mul_by_xi() + v0,
            (a.c0 + a.c1) * (b.c0 + b.c1) - v0 - v1 + v2.mul_by_xi(),
            (a.c0 + a.c2) * (b.c0 + b.c2) - v0 - v2 + v1};
  }
  constexpr Fq6& operator*=(const Fq6& b) { return *this = *this * b; }

  // Chung-Hasan SQR2: 2 squarings and 3 multiplications in Fq2.
  constexpr Fq6 square() const {
    Fq2 s0 = c0.square();
    Fq2 s1 = (c0 * c1).dbl();
    Fq2 s2 = (c0 - c1 + c2).square();
    Fq2 s3 = (c1 * c2).dbl();
    Fq2 s4 = c2.square();
    return {s3.mul_by_xi() + s0, s4.mul_by_xi() + s1, s1 + s2 + s3 - s0 - s4};
  }

  // Multiplication by v: (c0 + c1 v + c2 v^2)·v = ξ c2 + c0 v + c1 v^2.
  constexpr Fq6 mul_by_v() const { return {c2.mul_by_xi(), c0, c1}; }
  constexpr Fq6 mul_by_fq2(const Fq2& s) const { return {c0 * s, c1 * s, c2 * s}; }

  // Multiplication by the sparse element b0 + b1·v.
  constexpr Fq6 mul_by_01(const Fq2& b0, const Fq2& b1) const {
    Fq2 aa = c0 * b0, bb = c1 * b1;
    return {(c2 * b1).mul_by_xi() + aa, (c0 + c1) * (b0 + b1) - aa - bb, c2 * b0 + bb};
  }

  template <std::size_t N>
  constexpr Fq6 pow(const BigInt<N>& e) const {
    return pow_vartime(*this, e);
  }

  Fq6 inverse() const {
    Fq2 t0 = c0.square() - (c1 * c2).mul_by_xi();
    Fq2 t1 = c2.square().mul_by_xi() - c0 * c1;
    Fq2 t2 = c1.square() - c0 * c2;
    Fq2 f = c0 * t0 + (c2 * t1 + c1 * t2).mul_by_xi();
    if (f.is_zero()) throw Error("BN254 Fq6: inverse of zero");
    Fq2 inv = f.inverse();
    return {t0 * inv, t1 * inv, t2 * inv};
  }

  // x -> x^(q^k): conjugate the Fq2 coefficients k times and scale the v and
  // v^2 coefficients by ξ^(2(q^k-1)/6) and ξ^(4(q^k-1)/6) (v = w^2).
  constexpr Fq6 frobenius(int k) const {
    const auto& g = bn254_frobenius::kGamma[k % 12];
    return {c0.frobenius(k), c1.frobenius(k) * g[2], c2.frobenius(k) * g[4]};
  }
};

}  // namespace zkacc
