// Bucket reduction of the bucket method, one window's buckets split over
// threads.
//
// After accumulation a window holds B buckets, bucket j the points whose
// digit is ±(j+1), and its sum is S = Σ_j (j+1)·B_j. The running-sum trick
// (from the top bucket down: running += B_j, total += running) computes it
// in 2·B additions but is one serial chain, so reducing one window per
// thread leaves cores idle whenever a kernel run hands back fewer windows
// than the pool has threads (a three-lane card at c = 17 hands back three
// windows of 2^16 buckets a run). Here a window is cut into T contiguous
// segments [lo, hi), each reduced on its own:
//     R_t = Σ_{j∈[lo,hi)} (j − lo + 1)·B_j    (running sums within the segment)
//     S_t = Σ_{j∈[lo,hi)} B_j                 (the segment's final running value)
// and since (j + 1) = (j − lo + 1) + lo,
//     S = Σ_t (R_t + lo_t·S_t).
// lo_t·S_t is a double-and-add of about 2·log2(lo_t) additions (≤ 48 for
// the 2^24 buckets the kernel can hold), the price of a segment; the segment
// sums are then added in segment order on the calling thread.
//
// Buckets above a window's highest nonempty one add nothing, so a window is
// cut over [0, used) only, used = 1 + the index of its highest nonempty
// bucket: a window whose digits span fewer values than it has buckets (the
// top window: its digits are below r / 2^(c·(windows − 1)), 49,553 of
// 2^16 buckets at c = 17) costs in proportion, and its segments are as long
// as its work.
//
// The arithmetic is exact group arithmetic, so the sum as a group element
// does not depend on the segment count or the thread count; its XYZZ
// coordinates (a projective representative) do. Compare results with
// to_jacobian() == or to_affine().
//
// Point is an XYZZ point type (zkacc/curve/xyzz.hpp): infinity(),
// is_infinity(), dbl() and +, with P + P and P + (−P) handled by +.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/msm/affine_bucket_reduction.hpp"

namespace zkacc {

// A segment shorter than this is not worth its lo·S (up to ~48 additions
// against 2 per bucket) nor the pool's hand-off (a lock and a wake-up per
// task): windows of fewer than 2·256 buckets stay in one segment.
inline constexpr std::size_t kMinReduceSegmentBuckets = 256;

// Segments per window for `windows` windows of `buckets_per_window` buckets
// on `threads` threads. The tasks (windows × segments, all of one size) are
// handed out by the pool one at a time, so the reduction lasts
// ceil(tasks / threads) task lengths: the smallest segment count that makes
// the tasks a multiple of the threads, threads / gcd(windows, threads),
// keeps every thread busy to the end (3 windows on 8 threads: 8 segments
// each, 24 tasks, against 9 tasks of a third of a window with 3 segments,
// which would take 2/3 of a window where 3/8 can do). It is capped so that
// no segment falls below kMinReduceSegmentBuckets, and is at least 1. Only
// the wall time depends on it.
inline std::size_t bucket_reduction_segments(std::size_t windows, std::size_t buckets_per_window,
                                             std::size_t threads) {
  if (windows == 0 || threads <= 1) return 1;
  const std::size_t balanced = threads / std::gcd(windows, threads);
  const std::size_t cap = std::max<std::size_t>(1, buckets_per_window / kMinReduceSegmentBuckets);
  return std::min(balanced, cap);
}

// Segment t of `segments` over `buckets` buckets: [lo, hi) with
// lo = ⌊buckets·t / segments⌋, so consecutive segments meet, the first starts
// at 0, the last ends at `buckets`, and lengths differ by at most one. With
// more segments than buckets some are empty (lo = hi).
struct BucketSegment {
  std::size_t lo, hi;
};
inline BucketSegment bucket_segment(std::size_t buckets, std::size_t segments, std::size_t t) {
  // Computed in two parts so that buckets·t cannot overflow for any count
  // that fits in memory: buckets = q·segments + r.
  const std::size_t q = buckets / segments, r = buckets % segments;
  auto start = [&](std::size_t s) { return q * s + r * s / segments; };
  return {start(t), start(t + 1)};
}

namespace bucket_reduction_detail {

// R + lo·S for buckets[lo, hi) of one window (indices relative to the window).
template <class Point>
Point reduce_segment(std::span<const Point> window, BucketSegment seg) {
  Point running = Point::infinity(), total = Point::infinity();
  for (std::size_t j = seg.hi; j-- > seg.lo;) {
    running += window[j];
    total += running;
  }
  // running is now S_t; the segment's buckets were weighted from 1, not lo + 1.
  if (seg.lo != 0) total += mul_small(running, static_cast<std::uint64_t>(seg.lo));
  return total;
}

}  // namespace bucket_reduction_detail

// How a segment's running sums are added: in XYZZ (two full additions a
// bucket), or as affine chains in lockstep (affine_bucket_reduction.hpp;
// about a third cheaper), which segments of fewer than
// kAffineReductionMinChainBuckets buckets a chain leave to XYZZ.
enum class BucketReduction { xyzz, affine };

// Σ_j (j+1)·buckets[w·B + j] for every window w of `buckets` (window-major,
// B = buckets_per_window buckets each), one sum per window. The windows ×
// segments tasks run on the pool, `segments` per window, 0 choosing
// bucket_reduction_segments. B must divide buckets.size() and be nonzero
// (an empty span gives no windows). Not reentrant from a task of the same
// pool (ThreadPool::run is not).
template <class Point>
std::vector<Point> reduce_bucket_windows(std::span<const Point> buckets, std::size_t buckets_per_window,
                                         ThreadPool& pool, std::size_t segments = 0,
                                         BucketReduction how = BucketReduction::affine) {
  using Config = typename Point::CurveConfig;
  if (buckets_per_window == 0 || buckets.size() % buckets_per_window != 0)
    throw Error("bucket reduction: " + std::to_string(buckets.size()) + " buckets are not whole windows of " +
                std::to_string(buckets_per_window));
  const std::size_t windows = buckets.size() / buckets_per_window;
  if (segments == 0) segments = bucket_reduction_segments(windows, buckets_per_window, pool.size());
  std::vector<std::size_t> used(windows, 0);
  for (std::size_t w = 0; w < windows; ++w) {
    std::size_t u = buckets_per_window;
    while (u > 0 && buckets[w * buckets_per_window + u - 1].is_infinity()) --u;
    used[w] = u;
  }
  std::vector<Point> parts(windows * segments, Point::infinity());
  pool.run(windows * segments, [&](std::size_t task) {
    const std::size_t w = task / segments, t = task % segments;
    const std::span<const Point> window = buckets.subspan(w * buckets_per_window, buckets_per_window);
    const BucketSegment seg = bucket_segment(used[w], segments, t);
    const std::size_t len = seg.hi - seg.lo;
    if (how == BucketReduction::affine && len >= 2 * kAffineReductionMinChainBuckets) {
      std::vector<AffinePoint<Config>> affine(len);
      xyzz_to_affine<Config>(window.subspan(seg.lo, len), std::span<AffinePoint<Config>>(affine));
      const std::size_t chains = std::min(kAffineReductionChains, len / kAffineReductionMinChainBuckets);
      parts[task] = reduce_segment_affine<Config>(std::span<const AffinePoint<Config>>(affine), seg.lo, chains);
    } else {
      parts[task] = bucket_reduction_detail::reduce_segment(window, seg);
    }
  });
  // In segment order on this thread: T additions per window, and the same
  // order whichever thread finished first.
  std::vector<Point> sums(windows, Point::infinity());
  for (std::size_t w = 0; w < windows; ++w)
    for (std::size_t t = 0; t < segments; ++t) sums[w] += parts[w * segments + t];
  return sums;
}

// Σ_j (j+1)·buckets[j] of one window, its buckets split over the pool
// (`segments`: as above, 0 chooses). No buckets: infinity.
template <class Point>
Point reduce_bucket_window(std::span<const Point> buckets, ThreadPool& pool, std::size_t segments = 0,
                           BucketReduction how = BucketReduction::affine) {
  if (buckets.empty()) return Point::infinity();
  return reduce_bucket_windows(buckets, buckets.size(), pool, segments, how).front();
}

}  // namespace zkacc
