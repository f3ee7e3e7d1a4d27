// The arithmetic of g1_xyzz_madd_model.sv: one mixed addition (or the second
// pass of a doubling) of hw/rtl/msm/g1_xyzz_madd.sv, computed with zkacc's Fq
// on the same canonical Montgomery-form values, in the RTL's order of
// formulas and cases, so the four output coordinates are the RTL's bit for
// bit (not merely the same point: XYZZ coordinates are not unique).
#include <svdpi.h>

#include <cstddef>
#include <cstdint>

#include "zkacc/field/bn254.hpp"

namespace {

using zkacc::Fq;

// A 256-bit DPI vector: eight 32-bit words, least significant first.
Fq::Repr to_repr(const svBitVecVal* v) {
  Fq::Repr r{};
  for (std::size_t i = 0; i < 4; ++i)
    r[i] = static_cast<std::uint64_t>(v[2 * i]) | (static_cast<std::uint64_t>(v[2 * i + 1]) << 32);
  return r;
}

void from_fq(const Fq& x, svBitVecVal* out) {
  const Fq::Repr& r = x.montgomery_repr();
  for (std::size_t i = 0; i < 4; ++i) {
    out[2 * i] = static_cast<svBitVecVal>(r[i]);
    out[2 * i + 1] = static_cast<svBitVecVal>(r[i] >> 32);
  }
}

bool below_q(const Fq::Repr& r) {
  for (std::size_t i = 4; i-- > 0;)
    if (r[i] != Fq::kModulus[i]) return r[i] < Fq::kModulus[i];
  return false;
}

}  // namespace

extern "C" svBit zkacc_g1_xyzz_madd_model(svBit dbl, const svBitVecVal* bucket_x, const svBitVecVal* bucket_y,
                                          const svBitVecVal* bucket_zz, const svBitVecVal* bucket_zzz,
                                          const svBitVecVal* point_x, const svBitVecVal* point_y,
                                          svBitVecVal* sum_x, svBitVecVal* sum_y, svBitVecVal* sum_zz,
                                          svBitVecVal* sum_zzz, svBit* needs_doubling) {
  const Fq::Repr in[6] = {to_repr(bucket_x), to_repr(bucket_y), to_repr(bucket_zz),
                          to_repr(bucket_zzz), to_repr(point_x), to_repr(point_y)};
  bool ok = true;
  for (const Fq::Repr& r : in) ok = ok && below_q(r);
  const Fq x1 = Fq::from_montgomery_unchecked(in[0]), y1 = Fq::from_montgomery_unchecked(in[1]);
  const Fq zz1 = Fq::from_montgomery_unchecked(in[2]), zzz1 = Fq::from_montgomery_unchecked(in[3]);
  const Fq x2 = Fq::from_montgomery_unchecked(in[4]), y2 = Fq::from_montgomery_unchecked(in[5]);

  // The cases, in the RTL's order of priority (its output select). On a
  // doubling pass the bucket is ignored and neither infinity test applies.
  const bool doubling = dbl != 0;
  const bool bucket_inf = !doubling && zz1.is_zero();
  const bool point_inf = !doubling && x2.is_zero() && y2.is_zero();
  const Fq u2 = x2 * (doubling ? x2 : zz1);
  const Fq p = u2 - x1, r = y2 * zzz1 - y1;
  const bool same = !doubling && p.is_zero() && r.is_zero();
  const bool negated = !doubling && p.is_zero() && !r.is_zero();
  const bool need = same && !point_inf && !bucket_inf;
  *needs_doubling = need ? 1 : 0;

  Fq sx, sy, szz, szzz;
  if (point_inf) {
    sx = x1, sy = y1, szz = zz1, szzz = zzz1;
  } else if (bucket_inf || need) {
    sx = x2, sy = y2, szz = Fq::one(), szzz = Fq::one();
  } else if (negated) {
    sx = sy = szz = szzz = Fq::zero();
  } else {
    // One datapath for both: an addition's P, R and bucket, or a doubling's
    // 2·y2, 3·x2² and (x2, y2, 1, 1) with no −PPP term in X3.
    const Fq sel_p = doubling ? y2 + y2 : p;
    const Fq sel_r = doubling ? u2 + u2 + u2 : r;
    const Fq sel_x1 = doubling ? x2 : x1, sel_y1 = doubling ? y2 : y1;
    const Fq sel_zz1 = doubling ? Fq::one() : zz1, sel_zzz1 = doubling ? Fq::one() : zzz1;
    const Fq pp = sel_p * sel_p, rr = sel_r * sel_r;
    const Fq ppp = sel_p * pp, q = sel_x1 * pp;
    sx = (rr - (doubling ? Fq::zero() : ppp)) - (q + q);
    sy = sel_r * (q - sx) - sel_y1 * ppp;
    szz = sel_zz1 * pp;
    szzz = sel_zzz1 * ppp;
  }
  from_fq(sx, sum_x);
  from_fq(sy, sum_y);
  from_fq(szz, sum_zz);
  from_fq(szzz, sum_zzz);
  return ok ? 1 : 0;
}
