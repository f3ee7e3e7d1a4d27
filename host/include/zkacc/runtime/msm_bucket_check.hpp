// The validity check DeviceMsm runs on every bucket the MSM kernel writes
// back (device_msm.hpp explains what it catches).
#pragma once

#include "zkacc/curve/bn254.hpp"
#include "zkacc/curve/xyzz.hpp"

namespace zkacc::runtime {

// The two encodings the kernel writes for a bucket: all zero (never touched,
// or emptied by P + (−P)), or an XYZZ point of the curve: ZZ ≠ 0 with
// ZZ^3 = ZZZ^2, and y^2 = x^3 + b for x = X/ZZ, y = Y/ZZZ, which times
// ZZZ^2 = ZZ^3 reads Y^2 = X^3 + b·ZZZ^2 (b = 3). 4S + 3M; bench/msm_bench
// msm_bucket_check measures it.
inline bool msm_bucket_valid(const XyzzPoint<Bn254G1Config>& p) {
  if (p.zz.is_zero()) return p.x.is_zero() && p.y.is_zero() && p.zzz.is_zero();
  const Fq zzz2 = p.zzz.square();
  return p.zz.square() * p.zz == zzz2 && p.y.square() == p.x.square() * p.x + Bn254G1Config::b() * zzz2;
}

}  // namespace zkacc::runtime
