// Σ P_i over many affine points, with batched inversions.
//
// The scalars ±1 of a witness (most of a Groth16 witness is bits) need no
// bucket method: their MSM is a plain sum. Added one by one in XYZZ form that
// is a mixed addition (~8 multiplications) per point; spread round-robin over
// a few hundred affine buckets it becomes a batched affine addition (~6.5),
// and consecutive points never meet in one bucket, so batches fill without
// conflicts. The buckets are summed at the end: about one mixed addition per
// 16 points.
#pragma once

#include <algorithm>
#include <span>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/msm/batch_affine_buckets.hpp"

namespace zkacc {

// allow_ifma as BatchAffineBuckets'.
template <class Config>
JacobianPoint<Config> point_sum(std::span<const AffinePoint<Config>> points, ThreadPool& pool,
                                bool allow_ifma = true) {
  using Jacobian = JacobianPoint<Config>;
  // Below this a chunk is summed directly: too few points to fill a batch.
  constexpr std::size_t kMinBatched = 256;
  const std::size_t n = points.size();
  const std::size_t chunks = std::max<std::size_t>(1, std::min(pool.size(), n / kMinBatched));
  std::vector<Jacobian> partial(chunks, Jacobian::infinity());
  pool.run(chunks, [&](std::size_t ch) {
    const std::size_t begin = n * ch / chunks, end = n * (ch + 1) / chunks, m = end - begin;
    if (m < kMinBatched) {
      XyzzPoint<Config> acc = XyzzPoint<Config>::infinity();
      for (std::size_t i = begin; i < end; ++i)
        if (!points[i].is_infinity()) acc = acc.add_mixed(points[i]);
      partial[ch] = acc.to_jacobian();
      return;
    }
    // m/16 buckets (at most 4,096): batches of a quarter of them, so a batch
    // meets each bucket once, and the closing sum is 1/16 of the work.
    const std::size_t buckets = std::clamp<std::size_t>(m / 16, 64, 4096);
    BatchAffineBuckets<Config> acc(buckets, buckets / 4, allow_ifma);
    std::size_t b = 0;
    for (std::size_t i = begin; i < end; ++i) {
      if (points[i].is_infinity()) continue;
      acc.add(static_cast<std::uint32_t>(b), points[i]);
      b = b + 1 == buckets ? 0 : b + 1;
    }
    partial[ch] = acc.sum();
  });
  Jacobian total = Jacobian::infinity();
  for (const Jacobian& p : partial) total += p;
  return total;
}

}  // namespace zkacc
