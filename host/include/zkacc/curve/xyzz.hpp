// Extended Jacobian ("XYZZ") coordinates: (X, Y, ZZ, ZZZ) with x = X/ZZ,
// y = Y/ZZZ and ZZ^3 = ZZZ^2; infinity has ZZ = 0. Adding an affine point
// costs 8M + 2S (madd-2008-s) against 7M + 4S in Jacobian, and two XYZZ
// points add in 12M + 2S against 11M + 5S, which suits accumulators that
// mostly take affine points and sometimes each other: bucket sums, and the
// pipelined point adder of the card (docs/hw.md), whose reference this is.
#pragma once

#include "zkacc/curve/short_weierstrass.hpp"

namespace zkacc {

template <class Config>
struct XyzzPoint {
  using CurveConfig = Config;
  using Field = typename Config::Field;
  using Affine = AffinePoint<Config>;
  Field x = Field::one(), y = Field::one(), zz = Field::zero(), zzz = Field::zero();

  static constexpr XyzzPoint infinity() { return {}; }
  static constexpr XyzzPoint from_affine(const Affine& p) {
    if (p.is_infinity()) return infinity();
    return {p.x, p.y, Field::one(), Field::one()};
  }
  constexpr bool is_infinity() const { return zz.is_zero(); }

  // dbl-2008-s-1 (a = 0): 6M + 3S.
  constexpr XyzzPoint dbl() const {
    if (is_infinity()) return *this;
    const Field u = y.dbl(), v = u.square(), w = u * v, s = x * v;
    const Field xx = x.square(), m = xx.dbl() + xx;
    XyzzPoint r;
    r.x = m.square() - s.dbl();
    r.y = m * (s - r.x) - w * y;
    r.zz = v * zz;
    r.zzz = w * zzz;
    return r;
  }

  // madd-2008-s, with doubling (mdbl-2008-s-1) and cancellation handled.
  constexpr XyzzPoint add_mixed(const Affine& q) const {
    if (q.is_infinity()) return *this;
    if (is_infinity()) return from_affine(q);
    const Field p = q.x * zz - x, r = q.y * zzz - y;
    if (p.is_zero()) {
      if (!r.is_zero()) return infinity();
      const Field u = q.y.dbl(), v = u.square(), w = u * v, s = q.x * v;
      const Field xx = q.x.square(), m = xx.dbl() + xx;
      XyzzPoint out;
      out.x = m.square() - s.dbl();
      out.y = m * (s - out.x) - w * q.y;
      out.zz = v;
      out.zzz = w;
      return out;
    }
    const Field pp = p.square(), ppp = p * pp, qq = x * pp;
    XyzzPoint out;
    out.x = r.square() - ppp - qq.dbl();
    out.y = r * (qq - out.x) - y * ppp;
    out.zz = zz * pp;
    out.zzz = zzz * ppp;
    return out;
  }

  // add-2008-s: 12M + 2S.
  constexpr XyzzPoint operator+(const XyzzPoint& q) const {
    if (q.is_infinity()) return *this;
    if (is_infinity()) return q;
    const Field u1 = x * q.zz, u2 = q.x * zz, s1 = y * q.zzz, s2 = q.y * zzz;
    const Field p = u2 - u1, r = s2 - s1;
    if (p.is_zero()) return r.is_zero() ? dbl() : infinity();
    const Field pp = p.square(), ppp = p * pp, qq = u1 * pp;
    XyzzPoint out;
    out.x = r.square() - ppp - qq.dbl();
    out.y = r * (qq - out.x) - s1 * ppp;
    out.zz = zz * q.zz * pp;
    out.zzz = zzz * q.zzz * ppp;
    return out;
  }
  constexpr XyzzPoint& operator+=(const XyzzPoint& q) { return *this = *this + q; }

  // Jacobian with Z = ZZZ: Z^2 = ZZZ^2 = ZZ^3, so X' = X·ZZ^2 and Y' = Y·ZZZ^2.
  constexpr JacobianPoint<Config> to_jacobian() const {
    if (is_infinity()) return JacobianPoint<Config>::infinity();
    return {x * zz.square(), y * zzz.square(), zzz};
  }
  Affine to_affine() const {
    if (is_infinity()) return Affine::infinity();
    const Field zzz_inv = zzz.inverse_vartime();
    const Field zz_inv = (zz * zzz_inv).square();  // (ZZ/ZZZ)^2 = ZZ^2/ZZ^3 = 1/ZZ
    return {x * zz_inv, y * zzz_inv};
  }
};

}  // namespace zkacc
