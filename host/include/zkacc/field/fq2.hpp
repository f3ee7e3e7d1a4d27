// Fq2 = Fq[u] / (u^2 + 1), the field G2's coordinates live in.
// Same tower as snarkjs (ffjavascript F2Field over bn128.q) and EIP-197, whose
// encodings list an Fq2 element as (c1, c0): imaginary part first.
#pragma once

#include <optional>

#include "zkacc/field/bn254.hpp"
#include "zkacc/field/exponentiation.hpp"

namespace zkacc {

class Fq2 {
 public:
  Fq c0, c1;  // c0 + c1·u

  constexpr Fq2() = default;
  constexpr Fq2(const Fq& a0, const Fq& a1) : c0(a0), c1(a1) {}

  static constexpr Fq2 zero() { return {}; }
  static constexpr Fq2 one() { return {Fq::one(), Fq::zero()}; }
  // ξ = 9 + u: the non-residue that defines Fq6 and the sextic twist.
  static constexpr Fq2 xi() { return {Fq::from_u64(9), Fq::one()}; }

  template <class Rng>
  static Fq2 random(Rng& rng) {
    Fq a = Fq::random(rng);
    return {a, Fq::random(rng)};
  }

  constexpr bool is_zero() const { return c0.is_zero() && c1.is_zero(); }
  constexpr bool is_one() const { return c0.is_one() && c1.is_zero(); }
  friend constexpr bool operator==(const Fq2& a, const Fq2& b) { return a.c0 == b.c0 && a.c1 == b.c1; }

  constexpr Fq2& operator+=(const Fq2& b) {
    c0 += b.c0;
    c1 += b.c1;
    return *this;
  }
  constexpr Fq2& operator-=(const Fq2& b) {
    c0 -= b.c0;
    c1 -= b.c1;
    return *this;
  }
  friend constexpr Fq2 operator+(Fq2 a, const Fq2& b) { return a += b; }
  friend constexpr Fq2 operator-(Fq2 a, const Fq2& b) { return a -= b; }
  constexpr Fq2 operator-() const { return {-c0, -c1}; }

  // Karatsuba: 3 Fq multiplications.
  friend constexpr Fq2 operator*(const Fq2& a, const Fq2& b) {
    Fq v0 = a.c0 * b.c0;
    Fq v1 = a.c1 * b.c1;
    return {v0 - v1, (a.c0 + a.c1) * (b.c0 + b.c1) - v0 - v1};
  }
  constexpr Fq2& operator*=(const Fq2& b) { return *this = *this * b; }
  constexpr Fq2 mul_by_fq(const Fq& s) const { return {c0 * s, c1 * s}; }

  // (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u: 2 Fq multiplications.
  constexpr Fq2 square() const {
    Fq t = c0 * c1;
    return {(c0 + c1) * (c0 - c1), t + t};
  }
  constexpr Fq2 dbl() const { return {c0.dbl(), c1.dbl()}; }
  constexpr Fq2 half() const { return {c0.half(), c1.half()}; }
  constexpr Fq2 conjugate() const { return {c0, -c1}; }
  // Frobenius x -> x^q is conjugation in Fq2; x^(q^2) is the identity.
  constexpr Fq2 frobenius(int power) const { return (power & 1) ? conjugate() : *this; }

  // (a0 + a1 u)(9 + u) = (9 a0 - a1) + (a0 + 9 a1) u, with additions only.
  constexpr Fq2 mul_by_xi() const {
    Fq t0 = c0.dbl().dbl().dbl() + c0;  // 9 c0
    Fq t1 = c1.dbl().dbl().dbl() + c1;  // 9 c1
    return {t0 - c1, c0 + t1};
  }

  constexpr Fq norm() const { return c0.square() + c1.square(); }
  Fq2 inverse() const {
    if (is_zero()) throw Error("BN254 Fq2: inverse of zero");
    Fq n = norm().inverse();
    return {c0 * n, -(c1 * n)};
  }
  Fq2 inverse_vartime() const {
    if (is_zero()) throw Error("BN254 Fq2: inverse of zero");
    Fq n = norm().inverse_vartime();
    return {c0 * n, -(c1 * n)};
  }

  template <std::size_t N>
  constexpr Fq2 pow(const BigInt<N>& e) const {
    return pow_vartime(*this, e);
  }

  // A square root in Fq2 (q = 3 mod 4; "complex method", Adj & Rodríguez-Henríquez
  // Alg. 9), or nullopt when there is none. Used to decompress points.
  std::optional<Fq2> sqrt() const {
    if (is_zero()) return zero();
    constexpr BigInt<4> kE1 = [] {  // (q-3)/4
      BigInt<4> t{};
      bigint::sub(t, Fq::kModulus, bigint::from_u64<4>(3));
      bigint::shr1(t);
      bigint::shr1(t);
      return t;
    }();
    Fq2 a1 = pow(kE1);
    Fq2 alpha = a1 * a1 * *this;
    Fq2 x0 = a1 * *this;
    if (alpha == -one()) {
      Fq2 r{-x0.c1, x0.c0};  // u·x0
      if (r.square() == *this) return r;
      return std::nullopt;
    }
    Fq2 b = (alpha + one()).pow(Fq::kHalfModulusMinus1);
    Fq2 r = b * x0;
    if (r.square() == *this) return r;
    return std::nullopt;
  }
};

}  // namespace zkacc
