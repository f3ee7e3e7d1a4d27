// The sampled bucket check DeviceMsm runs on the MSM kernel's buckets, the
// one check that sees a wrong bucket which is still a valid curve point (a
// broken adder, buckets of another run, a bucket negated): the validity
// check of every bucket (msm_bucket_check.hpp) passes those.
//
// Before the buckets come back the host draws a sample S: each bucket
// (window w, bucket j) of the MSM is in S independently with probability
// `rate`. For each window it adds the pairs the kernel was sent into S's
// buckets, Σ ±P_i over the points whose digit d in window w has |d| − 1 in
// S_w, and after the run it compares that with Σ_{j∈S_w} B_j as read back.
//
// What it costs: one digit pass over the points (all windows' digits of a
// scalar from one offset sum; for scalars the card slices, the count the
// host makes anyway: count_pairs) and, per window, one mixed addition for
// each nonzero digit whose bucket is in S: rate × the MSM's additions (the
// kernel's), far below the MSM. The pass runs on the pool while the first
// kernel run goes. For scalars the card slices it only lists the sampled
// pairs, and their additions (pair_sum) and the buckets' side (rate × the
// buckets) come with each run's reduction, behind the next run. The earlier check (one window a run, a random half of its
// buckets) cost n/2 additions a run, more host time than a run of the card.
//
// What it catches: a window with exactly one wrong bucket fails the check
// exactly when that bucket is in S, probability `rate`, independently of
// the data (the sums then differ by the bucket's error, which is not zero).
// With m wrong buckets, independent faults, the check misses all of them
// with probability (1 − rate)^m, plus the chance that the wrong buckets of
// one window in S cancel each other exactly, which for independent faults
// is negligible (a sum of nonzero random group elements that is zero).
// With kMsmDefaultCheckRate = 1/256: one wrong bucket is caught with
// probability 1/256, a fault that spoils 1,024 buckets (a stuck adder for
// a thousand additions) with 1 − (255/256)^1024 ≈ 98.2 %, and one that
// spoils a window of 2^16 buckets with 1 − 2^-370. Random bit errors are the
// validity check's (caught except with probability about 2^-63 a word).
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/curve/xyzz.hpp"
#include "zkacc/runtime/msm_digit_rows.hpp"

namespace zkacc::runtime {

// The shipped sampling rate (DeviceMsmOptions::check_rate).
inline constexpr double kMsmDefaultCheckRate = 1.0 / 256.0;

class MsmBucketSample {
 public:
  using Xyzz = XyzzPoint<Bn254G1Config>;

  // Each of buckets_per_window buckets of each of `windows` windows in the
  // sample with probability rate (0 < rate <= 1), drawn from seed (a
  // geometric gap between members: cost proportional to the sample, not
  // to the buckets). Throws zkacc::Error for a rate outside (0, 1].
  MsmBucketSample(std::size_t windows, std::size_t buckets_per_window, double rate, std::uint64_t seed);

  bool contains(std::size_t w, std::size_t j) const {
    const std::size_t k = w * buckets_per_window_ + j;
    return (bits_[k / 64] >> (k % 64)) & 1;
  }
  std::size_t windows() const { return windows_; }
  std::size_t buckets_per_window() const { return buckets_per_window_; }
  std::size_t size() const { return size_; }  // buckets in the sample, all windows

  // The pairs' side of every window: Σ ±points[i] over the points whose
  // digit in window w (digits.digits) is nonzero with |d| − 1 in the
  // sample. digits must hold at least windows() windows of points.size()
  // scalars. On the pool.
  std::vector<Xyzz> pair_sums(std::span<const G1Affine> points, const MsmOffsetDigits& digits,
                              ThreadPool& pool) const;
  // A pair sent to a sampled bucket: the point, and its digit's sign.
  struct Pair {
    std::uint32_t point;
    bool negative;
  };
  // The sampled pairs of points [begin, end), appended to pairs[w] (one
  // list a window) under mu, and their nonzero digits counted into
  // `digits` as MsmOffsetDigits::count does: the check's pass folded into
  // the count the host makes of scalars the card slices, one offset sum a
  // point for both. The additions wait for the run (pair_sum), so they
  // come after it, behind the next run. Thread-safe for disjoint ranges.
  void count_pairs(MsmOffsetDigits& digits, std::size_t begin, std::size_t end, std::vector<std::vector<Pair>>& pairs,
                   std::mutex& mu) const;
  // Σ ±points over a list of pairs, on the pool.
  static Xyzz pair_sum(std::span<const G1Affine> points, std::span<const Pair> pairs, ThreadPool& pool);
  // The buckets' side of window w: Σ_{j∈S_w} buckets[j] (the window's
  // buckets_per_window buckets as read back).
  Xyzz bucket_sum(std::size_t w, std::span<const Xyzz> buckets) const;

 private:
  std::size_t windows_, buckets_per_window_, size_ = 0;
  std::vector<std::uint64_t> bits_;
};

}  // namespace zkacc::runtime
