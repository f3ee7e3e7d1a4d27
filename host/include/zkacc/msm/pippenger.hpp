// Multi-scalar multiplication  Σ_i k_i·P_i  by Pippenger's bucket method.
//
// Each scalar is cut into W signed c-bit digits (signed_digits.hpp). For a
// window w every point with digit d ≠ 0 is added to bucket |d| (negated when
// d < 0); the window's sum is Σ_j j·B_j, computed with the running-sum trick
// in 2·2^(c-1) additions; the windows combine as Σ_w 2^(c·w)·S_w (Horner,
// c doublings per window). Cost ≈ W·(n + 2^c) additions instead of n scalar
// multiplications. Buckets accumulate in affine form with batched inversions
// (batch_affine_buckets.hpp).
//
// Work splits into tasks by window and, when there are fewer windows than
// twice the threads, by point ranges too; each task owns its buckets.
// Scalars are first taken by size (scalar_split.hpp): zeros skipped, ±1
// summed, small ones over the few windows they fill. One template serves G1
// and G2.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/curve/xyzz.hpp"
#include "zkacc/msm/batch_affine_buckets.hpp"
#include "zkacc/msm/point_sum.hpp"
#include "zkacc/msm/scalar_split.hpp"
#include "zkacc/msm/signed_digits.hpp"

namespace zkacc {

struct MsmOptions {
  // Window of the bucket method over the full-size scalars; 0: chosen from
  // their count (default_window_bits). The small scalars' window is always chosen.
  unsigned window_bits = 0;
  std::size_t batch = 0;  // additions per batched inversion; 0: kDefaultMsmBatch
  // Take scalars by size (scalar_split.hpp); off: every scalar through the
  // full bucket method, as for uniformly random scalars.
  bool split_by_size = true;
  // Batched affine additions of G1 in AVX-512 IFMA registers where the CPU
  // has them (batch_affine_ifma.hpp); off: the portable path everywhere.
  bool ifma = true;
};

// Below this many points the bucket method's fixed cost (W·2^c bucket
// additions) outweighs its savings; plain wNAF scalar multiplications win.
inline constexpr std::size_t kMsmNaiveThreshold = 16;

// Additions per batched inversion. 1024 at 2^16 points: the inversion
// (~3.4 µs) adds 3 ns per addition and conflicts stay rare with 2^12+ buckets.
inline constexpr std::size_t kDefaultMsmBatch = 1024;

// Below this many buckets per window (windows of 7 bits or fewer, which the
// cost model picks below about 2^11 points) the buckets are XYZZ points: a
// batch holds at most one addition per bucket, and an inversion (~3.4 µs)
// shared by so few additions costs more than the affine additions save.
// Measured (2 threads): 2^6 points 5.3 → 0.66 ms, 2^8 9.7 → 2.8 ms, 2^10
// 10.0 → 5.9 ms; at c = 8 both kinds of bucket take the same time.
inline constexpr std::size_t kBatchAffineMinBuckets = 128;

// The window width that minimizes the modelled cost, in field
// multiplications,
//     W(c) · (n·add(c) + 2^(c-1)·kReduceAddCost),   W(c) = bits/c + 1,
// for scalars below 2^bits (254: any scalar below r). A running-sum step (one
// mixed plus one full XYZZ addition) costs ~24. A batched affine bucket
// addition costs ~6.5 plus its share of the batch's inversion (~300, the
// binary extended Euclid at ~4 µs), and the batch is a quarter of the
// buckets up to kDefaultMsmBatch: that share is what makes c = 10 at 2^14
// points 16 % slower than c = 12 (batches of 128 against 512), which the
// model without it had picked. Windows of XYZZ buckets (c <= 7) cost ~10 per
// addition (a mixed XYZZ addition) and no inversion.
inline unsigned default_window_bits(std::size_t n, std::size_t bits = 254) {
  constexpr double kBucketAddCost = 6.5;
  constexpr double kInversionCost = 300.0;
  constexpr double kXyzzAddCost = 10.0;
  constexpr double kReduceAddCost = 24.0;
  unsigned best = 2;
  double best_cost = 1e300;
  for (unsigned c = 2; c <= kMaxWindowBits; ++c) {
    const std::size_t buckets = std::size_t(1) << (c - 1);
    const double batch = static_cast<double>(std::min(kDefaultMsmBatch, buckets / 4));
    const double add = buckets < kBatchAffineMinBuckets ? kXyzzAddCost : kBucketAddCost + kInversionCost / batch;
    const double cost = static_cast<double>(num_windows(c, bits)) *
                        (static_cast<double>(n) * add + kReduceAddCost * static_cast<double>(buckets));
    if (cost < best_cost) {
      best_cost = cost;
      best = c;
    }
  }
  return best;
}

namespace msm_detail {

// The bucket method over n points, for scalars below 2^bits.
template <class Config, class Scalar>
JacobianPoint<Config> bucket_method(std::span<const AffinePoint<Config>> points, std::span<const Scalar> scalars,
                                    ThreadPool& pool, const MsmOptions& options, std::size_t bits = 254) {
  using Jacobian = JacobianPoint<Config>;
  const std::size_t n = points.size();
  const unsigned c = options.window_bits ? options.window_bits : default_window_bits(n, bits);
  const std::size_t batch = options.batch ? options.batch : kDefaultMsmBatch;
  const SignedDigits digits(scalars, c, pool, bits);
  const std::size_t windows = digits.windows();
  // Fewer windows than twice the threads: point ranges too, two per thread
  // for balance, except that a single window (small scalars) takes one per
  // thread, since every range repeats the window's running sum.
  const std::size_t chunks = windows >= 2 * pool.size() ? 1
                             : windows == 1             ? pool.size()
                                                        : (2 * pool.size() + windows - 1) / windows;
  const std::size_t chunk_count = std::min(chunks, n);
  std::vector<Jacobian> partial(windows * chunk_count);

  pool.run(windows * chunk_count, [&](std::size_t task) {
    const std::size_t w = task / chunk_count, chunk = task % chunk_count;
    const std::size_t begin = n * chunk / chunk_count, end = n * (chunk + 1) / chunk_count;
    const auto ds = digits.window(w);
    const std::size_t bucket_count = std::size_t(1) << (c - 1);
    if (bucket_count < kBatchAffineMinBuckets) {
      // Few buckets: a batch holds at most one addition per bucket, so the
      // batched inversion would be shared by too few additions to pay;
      // plain XYZZ buckets need no inversion at all.
      std::vector<XyzzPoint<Config>> buckets(bucket_count);
      for (std::size_t i = begin; i < end; ++i) {
        const std::int16_t d = ds[i];
        if (d > 0) buckets[d - 1] = buckets[d - 1].add_mixed(points[i]);
        else if (d < 0) buckets[-d - 1] = buckets[-d - 1].add_mixed(-points[i]);
      }
      XyzzPoint<Config> running, total;
      for (std::size_t j = bucket_count; j-- > 0;) {
        running += buckets[j];
        total += running;
      }
      partial[task] = total.to_jacobian();
      return;
    }
    BatchAffineBuckets<Config> buckets(bucket_count, batch, options.ifma);
    for (std::size_t i = begin; i < end; ++i) {
      const std::int16_t d = ds[i];
      if (d == 0 || points[i].is_infinity()) continue;
      if (d > 0) buckets.add(static_cast<std::uint32_t>(d - 1), points[i]);
      else buckets.add(static_cast<std::uint32_t>(-d - 1), -points[i]);
    }
    partial[task] = buckets.weighted_sum();
  });

  Jacobian acc = Jacobian::infinity();
  for (std::size_t w = windows; w-- > 0;) {
    for (unsigned b = 0; b < c; ++b) acc = acc.dbl();
    for (std::size_t chunk = 0; chunk < chunk_count; ++chunk) acc += partial[w * chunk_count + chunk];
  }
  return acc;
}

// Plain wNAF scalar multiplications below kMsmNaiveThreshold points, the
// bucket method above.
template <class Config, class Scalar>
JacobianPoint<Config> naive_or_buckets(std::span<const AffinePoint<Config>> points, std::span<const Scalar> scalars,
                                       ThreadPool& pool, const MsmOptions& options, std::size_t bits = 254) {
  using Jacobian = JacobianPoint<Config>;
  const std::size_t n = std::min(points.size(), scalars.size());
  if (n < kMsmNaiveThreshold) {
    Jacobian acc = Jacobian::infinity();
    for (std::size_t i = 0; i < n; ++i) {
      if constexpr (std::is_same_v<Scalar, BigInt<4>>) acc += points[i].to_jacobian().mul_vartime(scalars[i]);
      else acc += points[i].to_jacobian().mul_vartime(scalars[i].to_canonical());
    }
    return acc;
  }
  return bucket_method(points.first(n), scalars.first(n), pool, options, bits);
}

template <class Config, class Scalar>
JacobianPoint<Config> dispatch(std::span<const AffinePoint<Config>> points, std::span<const Scalar> scalars,
                               ThreadPool& pool, const MsmOptions& options) {
  using Jacobian = JacobianPoint<Config>;
  const std::size_t n = std::min(points.size(), scalars.size());
  // Checked here too: the split may leave no scalar for the window to apply to.
  if (options.window_bits != 0 && (options.window_bits < 2 || options.window_bits > kMaxWindowBits))
    throw Error("msm: window size " + std::to_string(options.window_bits) + " is outside 2..15");
  if (!options.split_by_size || n < kMsmNaiveThreshold)
    return naive_or_buckets(points.first(n), scalars.first(n), pool, options);
  const auto split = split_by_scalar_size(points.first(n), scalars.first(n), pool);
  if (!split) return bucket_method(points.first(n), scalars.first(n), pool, options);
  MsmOptions small = options;
  small.window_bits = 0;
  Jacobian acc = point_sum<Config>(split->ones, pool, options.ifma);
  acc += naive_or_buckets<Config, BigInt<4>>(split->small_points, split->small_scalars, pool, small, split->small_bits);
  acc += naive_or_buckets<Config, BigInt<4>>(split->large_points, split->large_scalars, pool, options);
  return acc;
}

template <class Config>
void check_points(std::span<const AffinePoint<Config>> points, std::size_t scalars) {
  if (points.size() != scalars)
    throw Error(std::string("msm: ") + std::to_string(points.size()) + " points but " + std::to_string(scalars) +
                " scalars");
  for (std::size_t i = 0; i < points.size(); ++i)
    if (!points[i].is_on_curve())
      throw Error(std::string("msm: point ") + std::to_string(i) + " is not on " + Config::kName);
}

}  // namespace msm_detail

// Trusted inputs: points on the curve (infinity allowed) and canonical
// scalars (< r) are the caller's promise; nothing is checked.
template <class Config>
JacobianPoint<Config> msm_unchecked(std::span<const AffinePoint<Config>> points, std::span<const BigInt<4>> scalars,
                                    ThreadPool& pool, const MsmOptions& options = {}) {
  return msm_detail::dispatch(points, scalars, pool, options);
}

// Checked entry: equal lengths, every point on the curve, every scalar < r;
// otherwise zkacc::Error naming the first offending index.
template <class Config>
JacobianPoint<Config> msm(std::span<const AffinePoint<Config>> points, std::span<const BigInt<4>> scalars,
                          ThreadPool& pool, const MsmOptions& options = {}) {
  for (std::size_t i = 0; i < scalars.size(); ++i)
    if (bigint::compare(scalars[i], Fr::kModulus) >= 0)
      throw Error("msm: scalar " + std::to_string(i) + " (0x" + bigint::to_hex(scalars[i]) + ") is not below r");
  msm_detail::check_points(points, scalars.size());
  return msm_detail::dispatch(points, scalars, pool, options);
}

// Scalars as field elements (always < r), converted as the digits are made.
template <class Config>
JacobianPoint<Config> msm(std::span<const AffinePoint<Config>> points, std::span<const Fr> scalars, ThreadPool& pool,
                          const MsmOptions& options = {}) {
  msm_detail::check_points(points, scalars.size());
  return msm_detail::dispatch(points, scalars, pool, options);
}

}  // namespace zkacc
