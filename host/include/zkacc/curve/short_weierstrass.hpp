// Points of a short Weierstrass curve y^2 = x^3 + b (a = 0), generic over the
// coordinate field so that one implementation serves BN254 G1 (over Fq) and
// G2 (over Fq2). Config supplies Field, Scalar, b() and generator().
//
//  * AffinePoint: (x, y), 2 field elements. The point at infinity is (0, 0),
//    which is never on a curve with b != 0; this keeps affine points at 64
//    bytes for G1, the same layout and the same infinity convention as the
//    point sections of .zkey files.
//  * JacobianPoint: (X, Y, Z) with x = X/Z^2, y = Y/Z^3; infinity has Z = 0.
//    Formulas are the a = 0 ones of the Explicit-Formulas Database:
//    dbl-2009-l (2M + 5S), add-2007-bl (11M + 5S), madd-2007-bl (7M + 4S).
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/field/bigint.hpp"

namespace zkacc {

template <class Config>
struct JacobianPoint;

template <class Config>
struct AffinePoint {
  using Field = typename Config::Field;
  Field x, y;

  static constexpr AffinePoint infinity() { return {}; }
  static constexpr AffinePoint generator() { return Config::generator(); }

  constexpr bool is_infinity() const { return x.is_zero() && y.is_zero(); }
  constexpr bool is_on_curve() const {
    if (is_infinity()) return true;
    return y.square() == x.square() * x + Config::b();
  }
  constexpr AffinePoint operator-() const { return is_infinity() ? *this : AffinePoint{x, -y}; }
  friend constexpr bool operator==(const AffinePoint& a, const AffinePoint& b) { return a.x == b.x && a.y == b.y; }

  constexpr JacobianPoint<Config> to_jacobian() const;
};

template <class Config>
struct JacobianPoint {
  using Field = typename Config::Field;
  using Affine = AffinePoint<Config>;
  Field x = Field::one(), y = Field::one(), z = Field::zero();

  static constexpr JacobianPoint infinity() { return {}; }
  static constexpr JacobianPoint generator() { return Config::generator().to_jacobian(); }

  constexpr bool is_infinity() const { return z.is_zero(); }

  // Y^2 = X^3 + b Z^6
  constexpr bool is_on_curve() const {
    if (is_infinity()) return true;
    Field z2 = z.square();
    Field z6 = z2.square() * z2;
    return y.square() == x.square() * x + Config::b() * z6;
  }

  // Projective equality: X1 Z2^2 = X2 Z1^2 and Y1 Z2^3 = Y2 Z1^3.
  friend constexpr bool operator==(const JacobianPoint& p, const JacobianPoint& q) {
    if (p.is_infinity() || q.is_infinity()) return p.is_infinity() && q.is_infinity();
    Field z1z1 = p.z.square(), z2z2 = q.z.square();
    if (!(p.x * z2z2 == q.x * z1z1)) return false;
    return p.y * z2z2 * q.z == q.y * z1z1 * p.z;
  }

  constexpr JacobianPoint operator-() const { return {x, -y, z}; }

  // dbl-2009-l
  constexpr JacobianPoint dbl() const {
    if (is_infinity()) return *this;
    Field a = x.square();
    Field b = y.square();
    Field c = b.square();
    Field d = ((x + b).square() - a - c).dbl();
    Field e = a.dbl() + a;
    Field f = e.square();
    JacobianPoint r;
    r.x = f - d.dbl();
    r.y = e * (d - r.x) - c.dbl().dbl().dbl();
    r.z = (y * z).dbl();
    return r;
  }

  // add-2007-bl, with the exceptional cases (infinity, P + P, P + (-P)).
  constexpr JacobianPoint operator+(const JacobianPoint& q) const {
    if (is_infinity()) return q;
    if (q.is_infinity()) return *this;
    Field z1z1 = z.square(), z2z2 = q.z.square();
    Field u1 = x * z2z2, u2 = q.x * z1z1;
    Field s1 = y * q.z * z2z2, s2 = q.y * z * z1z1;
    Field h = u2 - u1;
    Field r = (s2 - s1).dbl();
    if (h.is_zero()) return r.is_zero() ? dbl() : infinity();
    Field i = h.dbl().square();
    Field j = h * i;
    Field v = u1 * i;
    JacobianPoint out;
    out.x = r.square() - j - v.dbl();
    out.y = r * (v - out.x) - (s1 * j).dbl();
    out.z = ((z + q.z).square() - z1z1 - z2z2) * h;
    return out;
  }

  // madd-2007-bl: this + affine q.
  constexpr JacobianPoint add_mixed(const Affine& q) const {
    if (q.is_infinity()) return *this;
    if (is_infinity()) return q.to_jacobian();
    Field z1z1 = z.square();
    Field u2 = q.x * z1z1;
    Field s2 = q.y * z * z1z1;
    Field h = u2 - x;
    Field r = (s2 - y).dbl();
    if (h.is_zero()) return r.is_zero() ? dbl() : infinity();
    Field hh = h.square();
    Field i = hh.dbl().dbl();
    Field j = h * i;
    Field v = x * i;
    JacobianPoint out;
    out.x = r.square() - j - v.dbl();
    out.y = r * (v - out.x) - (y * j).dbl();
    out.z = (z + h).square() - z1z1 - hh;
    return out;
  }

  constexpr JacobianPoint operator-(const JacobianPoint& q) const { return *this + (-q); }
  constexpr JacobianPoint& operator+=(const JacobianPoint& q) { return *this = *this + q; }

  Affine to_affine() const {
    if (is_infinity()) return Affine::infinity();
    Field zi = z.inverse_vartime();
    Field zi2 = zi.square();
    return {x * zi2, y * zi2 * zi};
  }

  // [k]P for any 256-bit integer k, by width-5 wNAF (with the GLV split when
  // the curve has it). Variable time: the sequence of operations depends on k.
  JacobianPoint mul_vartime(const BigInt<4>& k) const;

  template <class Scalar>
  JacobianPoint operator*(const Scalar& s) const {
    return mul_vartime(s.to_canonical());
  }
};

template <class Config>
constexpr JacobianPoint<Config> AffinePoint<Config>::to_jacobian() const {
  if (is_infinity()) return JacobianPoint<Config>::infinity();
  return {x, y, Field::one()};
}

// Width-w non-adjacent form of k: digits in {0, ±1, ±3, …, ±(2^(w-1)-1)},
// least significant first, every non-zero digit followed by w-1 zeros.
template <std::size_t N>
std::vector<std::int8_t> wnaf(const BigInt<N>& k, unsigned w) {
  BigInt<N + 1> e{};
  for (std::size_t i = 0; i < N; ++i) e[i] = k[i];
  std::vector<std::int8_t> digits;
  digits.reserve(64 * N + 1);
  const std::int64_t window = std::int64_t(1) << w;
  while (!bigint::is_zero(e)) {
    std::int64_t d = 0;
    if (e[0] & 1) {
      d = static_cast<std::int64_t>(e[0] & (window - 1));
      if (d >= window / 2) d -= window;
      if (d > 0) bigint::sub(e, e, bigint::from_u64<N + 1>(static_cast<std::uint64_t>(d)));
      else bigint::add(e, e, bigint::from_u64<N + 1>(static_cast<std::uint64_t>(-d)));
    }
    digits.push_back(static_cast<std::int8_t>(d));
    bigint::shr1(e);
  }
  return digits;
}

namespace detail {

inline constexpr unsigned kScalarMulWindow = 5;  // 8 precomputed odd multiples per base
template <class J>
using OddMultiples = std::array<J, (1u << (kScalarMulWindow - 2))>;

// P, 3P, 5P, …, 15P
template <class J>
OddMultiples<J> odd_multiples(const J& p) {
  OddMultiples<J> odd;
  odd[0] = p;
  const J twice = p.dbl();
  for (std::size_t i = 1; i < odd.size(); ++i) odd[i] = odd[i - 1] + twice;
  return odd;
}

template <class J>
void add_wnaf_digit(J& acc, const OddMultiples<J>& odd, std::int8_t d) {
  if (d > 0) acc += odd[static_cast<std::size_t>(d / 2)];
  else if (d < 0) acc += -odd[static_cast<std::size_t>(-d / 2)];
}

}  // namespace detail

// With an endomorphism φ(x, y) = (βx, y) = [λ](x, y) (Config::glv_decompose
// present), k = k1 + k2·λ with |k1|, |k2| < 2^127 and [k]P = [k1]P + [k2]φ(P)
// runs both halves in one loop of ~128 doublings (Gallant-Lambert-Vanstone);
// otherwise a plain wNAF loop of ~256 doublings.
template <class Config>
JacobianPoint<Config> JacobianPoint<Config>::mul_vartime(const BigInt<4>& k) const {
  using detail::kScalarMulWindow;
  if (is_infinity() || bigint::is_zero(k)) return infinity();
  // A small multiplier with few set bits (R1CS coefficients: 1, powers of
  // two, small sums) by plain double-and-add: bit_width − 1 doublings and
  // popcount − 1 additions, no table of odd multiples (8 point operations)
  // and no decomposition. The wNAF below needs at least as many doublings.
  if (k[1] == 0 && k[2] == 0 && k[3] == 0 && std::popcount(k[0]) <= 8) {
    JacobianPoint acc = *this;
    for (int b = std::bit_width(k[0]) - 2; b >= 0; --b) {
      acc = acc.dbl();
      if ((k[0] >> b) & 1) acc += *this;
    }
    return acc;
  }
  if constexpr (requires { Config::glv_decompose(k); }) {
    const auto g = Config::glv_decompose(k);
    const JacobianPoint p1 = g.neg1 ? -*this : *this;
    const auto t1 = detail::odd_multiples(p1);
    detail::OddMultiples<JacobianPoint> t2;
    const Field beta = Config::endomorphism_beta();
    for (std::size_t i = 0; i < t1.size(); ++i) {
      t2[i] = {t1[i].x * beta, t1[i].y, t1[i].z};  // φ on Jacobian coordinates: X scales like x
      if (g.neg1 != g.neg2) t2[i] = -t2[i];
    }
    const std::vector<std::int8_t> d1 = wnaf(g.k1, kScalarMulWindow), d2 = wnaf(g.k2, kScalarMulWindow);
    JacobianPoint acc = infinity();
    for (std::size_t i = std::max(d1.size(), d2.size()); i-- > 0;) {
      acc = acc.dbl();
      if (i < d1.size()) detail::add_wnaf_digit(acc, t1, d1[i]);
      if (i < d2.size()) detail::add_wnaf_digit(acc, t2, d2[i]);
    }
    return acc;
  } else {
    const auto odd = detail::odd_multiples(*this);
    const std::vector<std::int8_t> digits = wnaf(k, kScalarMulWindow);
    JacobianPoint acc = infinity();
    for (std::size_t i = digits.size(); i-- > 0;) {
      acc = acc.dbl();
      detail::add_wnaf_digit(acc, odd, digits[i]);
    }
    return acc;
  }
}

// Converts many Jacobian points to affine with one field inversion
// (Montgomery's trick); points at infinity become (0, 0).
template <class Config>
void batch_to_affine(std::span<const JacobianPoint<Config>> in, std::span<AffinePoint<Config>> out) {
  using Field = typename Config::Field;
  if (out.size() != in.size()) throw Error("batch_to_affine: output size differs from input size");
  std::vector<Field> acc(in.size());
  Field run = Field::one();
  for (std::size_t i = 0; i < in.size(); ++i) {
    acc[i] = run;
    if (!in[i].is_infinity()) run *= in[i].z;
  }
  Field inv = run.inverse_vartime();
  for (std::size_t i = in.size(); i-- > 0;) {
    if (in[i].is_infinity()) {
      out[i] = AffinePoint<Config>::infinity();
      continue;
    }
    Field zi = inv * acc[i];
    inv *= in[i].z;
    Field zi2 = zi.square();
    out[i] = {in[i].x * zi2, in[i].y * zi2 * zi};
  }
}

}  // namespace zkacc
