// The segmented bucket reduction against two references: the serial running
// sum over the whole window, and Σ (j+1)·B_j by Jacobian scalar
// multiplications (wNAF/GLV, no running sums, an independent oracle); for
// random buckets with infinities, repeats and cancelling pairs, for bucket
// counts around the segment rule's edges, on pools of 1, 2, 3 and 8 threads
// and with forced segment counts (more segments than buckets included).
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <vector>

#include "support/test_rng.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/curve/xyzz.hpp"
#include "zkacc/msm/bucket_reduction.hpp"

using namespace zkacc;

namespace {

template <class Config>
using Xyzz = XyzzPoint<Config>;

template <class Config>
Xyzz<Config> negate(const Xyzz<Config>& p) {
  return {p.x, -p.y, p.zz, p.zzz};
}

// Random buckets, most of them XYZZ points with ZZ ≠ 1 (a running sum of a
// random step, so the reduction sees general representatives). Every 7th
// is infinity, every 11th repeats its predecessor (the running sum then
// doubles), every 13th is the negation of its predecessor.
template <class Config>
std::vector<Xyzz<Config>> random_buckets(std::size_t n, std::mt19937_64& rng) {
  using J = JacobianPoint<Config>;
  const auto affine = [](const J& p) { return Xyzz<Config>::from_affine(p.to_affine()); };
  const Xyzz<Config> step = affine(J::generator().mul_vartime(Fr::random(rng).to_canonical()));
  Xyzz<Config> cur = affine(J::generator().mul_vartime(Fr::random(rng).to_canonical()));
  std::vector<Xyzz<Config>> out(n);
  for (std::size_t j = 0; j < n; ++j) {
    cur += step;
    out[j] = cur;
    if (j % 7 == 3) out[j] = Xyzz<Config>::infinity();
    else if (j % 11 == 5 && j > 0) out[j] = out[j - 1];
    else if (j % 13 == 6 && j > 0) out[j] = negate<Config>(out[j - 1]);
  }
  return out;
}

// The serial running sum of device_msm.cpp and pippenger.hpp before this.
template <class Config>
JacobianPoint<Config> serial(std::span<const Xyzz<Config>> buckets) {
  Xyzz<Config> running = Xyzz<Config>::infinity(), total = Xyzz<Config>::infinity();
  for (std::size_t j = buckets.size(); j-- > 0;) {
    running += buckets[j];
    total += running;
  }
  return total.to_jacobian();
}

// Σ (j+1)·B_j, each term a Jacobian scalar multiplication.
template <class Config>
JacobianPoint<Config> direct(std::span<const Xyzz<Config>> buckets) {
  JacobianPoint<Config> acc = JacobianPoint<Config>::infinity();
  for (std::size_t j = 0; j < buckets.size(); ++j)
    acc += buckets[j].to_jacobian().mul_vartime(bigint::from_u64<4>(j + 1));
  return acc;
}

}  // namespace

TEST_CASE("bucket segments cover every bucket once, in order", "[msm]") {
  for (std::size_t buckets : {0, 1, 2, 3, 7, 255, 256, 257, 4103, 65536}) {
    for (std::size_t segments : {1, 2, 3, 5, 8, 16, 255, 256, 257, 1000}) {
      INFO("buckets=" << buckets << " segments=" << segments);
      std::vector<int> hits(buckets, 0);
      std::size_t expect_lo = 0, shortest = buckets, longest = 0;
      for (std::size_t t = 0; t < segments; ++t) {
        const BucketSegment s = bucket_segment(buckets, segments, t);
        REQUIRE(s.lo == expect_lo);  // contiguous, starting at 0
        REQUIRE(s.lo <= s.hi);
        REQUIRE(s.hi <= buckets);
        for (std::size_t j = s.lo; j < s.hi; ++j) ++hits[j];
        shortest = std::min(shortest, s.hi - s.lo);
        longest = std::max(longest, s.hi - s.lo);
        expect_lo = s.hi;
      }
      CHECK(expect_lo == buckets);  // the last segment ends at the last bucket
      CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
      CHECK(longest - shortest <= 1);
    }
  }
}

TEST_CASE("bucket reduction segment count: balanced over the threads, no short segments", "[msm]") {
  // One thread or few buckets: one segment, no scalar multiples.
  CHECK(bucket_reduction_segments(1, 1 << 16, 1) == 1);
  CHECK(bucket_reduction_segments(1, 511, 8) == 1);
  CHECK(bucket_reduction_segments(3, 256, 8) == 1);
  CHECK(bucket_reduction_segments(0, 1 << 16, 8) == 1);
  // One window: a segment per thread.
  CHECK(bucket_reduction_segments(1, 1 << 16, 8) == 8);
  CHECK(bucket_reduction_segments(1, 1 << 16, 3) == 3);
  // Capped at buckets / 256.
  CHECK(bucket_reduction_segments(1, 512, 8) == 2);
  CHECK(bucket_reduction_segments(1, 1000, 8) == 3);
  // Several windows: tasks a multiple of the threads.
  CHECK(bucket_reduction_segments(3, 1 << 16, 8) == 8);
  CHECK(bucket_reduction_segments(2, 1 << 16, 8) == 4);
  CHECK(bucket_reduction_segments(8, 1 << 16, 8) == 1);
  CHECK(bucket_reduction_segments(16, 1 << 16, 8) == 1);
  CHECK(bucket_reduction_segments(17, 1 << 14, 8) == 8);
  CHECK(bucket_reduction_segments(6, 1 << 14, 4) == 2);
  for (std::size_t windows : {1, 2, 3, 5, 17, 32})
    for (std::size_t threads : {1, 2, 3, 8, 12})
      for (std::size_t b : {1, 300, 4096, 1 << 16}) {
        INFO("windows=" << windows << " threads=" << threads << " buckets=" << b);
        const std::size_t s = bucket_reduction_segments(windows, b, threads);
        CHECK(s >= 1);
        CHECK((s == 1 || b / s >= kMinReduceSegmentBuckets));
        if (b / kMinReduceSegmentBuckets >= threads) CHECK((windows * s) % threads == 0);
      }
}

TEST_CASE("one window's segmented reduction equals the serial running sum and the direct sum", "[msm]") {
  using Config = Bn254G1Config;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(70);
  ThreadPool p1(1), p2(2), p3(3), p8(8);
  for (std::size_t b : {0, 1, 2, 3, 255, 256, 257, 4096 + 7}) {
    const auto buckets = random_buckets<Config>(b, rng);
    const std::span<const Xyzz<Config>> span(buckets);
    const auto expected = direct<Config>(span);
    INFO("buckets=" << b);
    CHECK(serial<Config>(span) == expected);  // the two references agree
    if (b >= 2) CHECK(!expected.is_infinity());
    for (ThreadPool* pool : {&p1, &p2, &p3, &p8}) {
      INFO("threads=" << pool->size());
      CHECK(reduce_bucket_window(span, *pool).to_jacobian() == expected);
      // Forced segment counts: B not divisible by T, T = B, T > B (empty
      // segments), one bucket per segment.
      for (std::size_t segments : {1, 2, 3, 7, 8}) {
        INFO("segments=" << segments);
        CHECK(reduce_bucket_window(span, *pool, segments).to_jacobian() == expected);
      }
      if (b > 0 && b <= 257) {
        CHECK(reduce_bucket_window(span, *pool, b).to_jacobian() == expected);
        CHECK(reduce_bucket_window(span, *pool, b + 5).to_jacobian() == expected);
      }
    }
  }
}

TEST_CASE("segmented reduction of degenerate windows", "[msm]") {
  using Config = Bn254G1Config;
  using J = JacobianPoint<Config>;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(71);
  ThreadPool pool(3);
  const Xyzz<Config> p = Xyzz<Config>::from_affine(J::generator().mul_vartime(Fr::random(rng).to_canonical()).to_affine());
  const J pj = p.to_jacobian();

  // All infinity: infinity, whatever the segments.
  std::vector<Xyzz<Config>> empty(4096 + 7, Xyzz<Config>::infinity());
  for (std::size_t segments : {0, 1, 3, 16, 5000})
    CHECK(reduce_bucket_window(std::span<const Xyzz<Config>>(empty), pool, segments).is_infinity());

  // A single nonzero bucket j: (j+1)·P, with j the first and last bucket
  // (the last has the largest lo·S), and j at the start and end of a
  // segment of 3 and of 8.
  const std::size_t n = 4096 + 7;
  for (std::size_t j : {std::size_t(0), std::size_t(1), bucket_segment(n, 3, 1).lo, bucket_segment(n, 3, 1).lo - 1,
                        bucket_segment(n, 8, 5).lo, bucket_segment(n, 8, 5).hi - 1, n - 1}) {
    INFO("bucket " << j);
    std::vector<Xyzz<Config>> one(n, Xyzz<Config>::infinity());
    one[j] = p;
    const J expected = pj.mul_vartime(bigint::from_u64<4>(j + 1));
    for (std::size_t segments : {0, 1, 2, 3, 8})
      CHECK(reduce_bucket_window(std::span<const Xyzz<Config>>(one), pool, segments).to_jacobian() == expected);
  }

  // B = 1: the bucket itself.
  const std::vector<Xyzz<Config>> single{p};
  CHECK(reduce_bucket_window(std::span<const Xyzz<Config>>(single), pool).to_jacobian() == pj);
  CHECK(reduce_bucket_window(std::span<const Xyzz<Config>>(single), pool, 4).to_jacobian() == pj);

  // Every bucket P: Σ (j+1)·P = B(B+1)/2·P; the running sums double and the
  // segment sums meet equal points.
  const std::size_t b = 1000;
  std::vector<Xyzz<Config>> same(b, p);
  const J tri = pj.mul_vartime(bigint::from_u64<4>(b * (b + 1) / 2));
  for (std::size_t segments : {0, 1, 2, 4, 1000})
    CHECK(reduce_bucket_window(std::span<const Xyzz<Config>>(same), pool, segments).to_jacobian() == tri);

  // Buckets that cancel to zero in total: B_0 = 2P, B_1 = −P (1·2P + 2·(−P)).
  const std::vector<Xyzz<Config>> cancel{p + p, negate<Config>(p)};
  for (std::size_t segments : {0, 1, 2})
    CHECK(reduce_bucket_window(std::span<const Xyzz<Config>>(cancel), pool, segments).is_infinity());
}

TEST_CASE("segmented reduction on G2 buckets", "[msm]") {
  using Config = Bn254G2Config;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(72);
  ThreadPool pool(3);
  const auto buckets = random_buckets<Config>(600, rng);
  const std::span<const Xyzz<Config>> span(buckets);
  const auto expected = direct<Config>(span);
  CHECK(serial<Config>(span) == expected);
  for (std::size_t segments : {0, 1, 2, 7})
    CHECK(reduce_bucket_window(span, pool, segments).to_jacobian() == expected);
}

TEST_CASE("several windows reduced together: one sum per window", "[msm]") {
  using Config = Bn254G1Config;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(73);
  ThreadPool p1(1), p2(2), p3(3), p8(8);
  struct Shape {
    std::size_t windows, per_window;
  };
  for (const Shape shape : {Shape{1, 4096 + 7}, Shape{3, 1024}, Shape{5, 257}, Shape{2, 3}, Shape{17, 512}, Shape{4, 1}}) {
    INFO("windows=" << shape.windows << " buckets per window=" << shape.per_window);
    const auto buckets = random_buckets<Config>(shape.windows * shape.per_window, rng);
    const std::span<const Xyzz<Config>> span(buckets);
    std::vector<JacobianPoint<Config>> expected;
    for (std::size_t w = 0; w < shape.windows; ++w) {
      const auto window = span.subspan(w * shape.per_window, shape.per_window);
      expected.push_back(direct<Config>(window));
      CHECK(serial<Config>(window) == expected.back());
    }
    // Distinct windows: a mix-up of windows or an order swap would show.
    for (std::size_t w = 1; w < shape.windows; ++w) CHECK(!(expected[w] == expected[w - 1]));
    for (ThreadPool* pool : {&p1, &p2, &p3, &p8}) {
      for (std::size_t segments : {0, 1, 3}) {
        INFO("threads=" << pool->size() << " segments=" << segments);
        const auto sums = reduce_bucket_windows(span, shape.per_window, *pool, segments);
        REQUIRE(sums.size() == shape.windows);
        for (std::size_t w = 0; w < shape.windows; ++w) CHECK(sums[w].to_jacobian() == expected[w]);
      }
    }
  }
  // No buckets: no windows.
  CHECK(reduce_bucket_windows(std::span<const Xyzz<Config>>(), 16, p2).empty());
}

TEST_CASE("several windows: a span that is not whole windows is an error", "[msm]") {
  using Config = Bn254G1Config;
  ThreadPool pool(2);
  const std::vector<Xyzz<Config>> buckets(10, Xyzz<Config>::infinity());
  const std::span<const Xyzz<Config>> span(buckets);
  CHECK_THROWS_WITH(reduce_bucket_windows(span, 4, pool), Catch::Contains("10 buckets are not whole windows of 4"));
  CHECK_THROWS_WITH(reduce_bucket_windows(span, 0, pool), Catch::Contains("not whole windows of 0"));
  CHECK(reduce_bucket_windows(span, 5, pool).size() == 2);
}

TEST_CASE("windows whose top buckets are empty are cut over the buckets in use", "[msm]") {
  // The top window of an MSM holds digits below r / 2^(c·(windows − 1)), so
  // its highest buckets stay empty: the segments then cover only the
  // buckets up to the highest nonempty one. Windows of 1,000 buckets with
  // the top 0, 1, 400, 999 and all 1,000 empty (and an empty bucket below
  // the highest nonempty one), reduced together, each against the direct sum.
  using Config = Bn254G1Config;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(74);
  ThreadPool pool(3);
  const std::size_t per_window = 1000;
  const std::vector<std::size_t> empty_top{0, 1, 400, 999, 1000};
  std::vector<Xyzz<Config>> buckets = random_buckets<Config>(empty_top.size() * per_window, rng);
  std::vector<JacobianPoint<Config>> expected;
  for (std::size_t w = 0; w < empty_top.size(); ++w) {
    for (std::size_t j = per_window - empty_top[w]; j < per_window; ++j)
      buckets[w * per_window + j] = Xyzz<Config>::infinity();
    if (empty_top[w] < per_window - 2) buckets[w * per_window + per_window - empty_top[w] - 2] = Xyzz<Config>::infinity();
    expected.push_back(direct<Config>(std::span<const Xyzz<Config>>(buckets).subspan(w * per_window, per_window)));
  }
  for (std::size_t segments : {0, 1, 3, 8}) {
    INFO("segments=" << segments);
    const auto sums = reduce_bucket_windows(std::span<const Xyzz<Config>>(buckets), per_window, pool, segments);
    REQUIRE(sums.size() == empty_top.size());
    for (std::size_t w = 0; w < sums.size(); ++w) {
      INFO("window " << w << ", top " << empty_top[w] << " empty");
      CHECK(sums[w].to_jacobian() == expected[w]);
    }
  }
  CHECK(expected.back().is_infinity());
  CHECK_FALSE(expected[3].is_infinity());  // bucket 0 only
}

TEST_CASE("affine chains reduce a segment as the XYZZ running sums do", "[msm]") {
  // reduce_segment_affine against the direct sum, on segments with empty
  // buckets, a bucket equal to the running sum (a doubling in the chain),
  // P then −P (the running sum cancels), every bucket equal, and chain
  // counts from one to more than the buckets (capped at one bucket a chain);
  // the segment's offset lo weights its buckets lo + 1, lo + 2, ...
  using Config = Bn254G1Config;
  using J = JacobianPoint<Config>;
  using A = AffinePoint<Config>;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(75);
  const std::size_t len = 300;
  std::vector<Xyzz<Config>> buckets = random_buckets<Config>(len, rng);
  for (std::size_t j : {0, 1, 17, 150, 299}) buckets[j] = Xyzz<Config>::infinity();
  buckets[41] = buckets[40];                  // equal neighbours
  buckets[80] = negate<Config>(buckets[81]);  // P and −P side by side
  std::vector<A> affine(len);
  xyzz_to_affine<Config>(std::span<const Xyzz<Config>>(buckets), std::span<A>(affine));
  for (std::size_t j = 0; j < len; ++j) {
    INFO("bucket " << j);
    CHECK((buckets[j].is_infinity() ? affine[j].is_infinity() : affine[j] == buckets[j].to_affine()));
  }
  for (const std::size_t lo : {std::size_t(0), std::size_t(1000)}) {
    // The reference: Σ (lo + j + 1)·B_j.
    J expected = J::infinity();
    for (std::size_t j = 0; j < len; ++j)
      expected = expected + buckets[j].to_jacobian().mul_vartime(bigint::from_u64<4>(lo + j + 1));
    for (const std::size_t chains : {1, 2, 3, 7, 64, 299, 300, 400}) {
      INFO("lo " << lo << ", chains " << chains);
      CHECK(reduce_segment_affine<Config>(std::span<const A>(affine), lo, chains).to_jacobian() == expected);
    }
  }
  // Every bucket the same point: doublings in every chain at every step.
  const std::vector<A> same(256, affine[2]);
  const J tri = affine[2].to_jacobian().mul_vartime(bigint::from_u64<4>(256 * 257 / 2));
  for (const std::size_t chains : {1, 4, 16, 256})
    CHECK(reduce_segment_affine<Config>(std::span<const A>(same), 0, chains).to_jacobian() == tri);
  CHECK(reduce_segment_affine<Config>(std::span<const A>(), 5).is_infinity());
  // P, −P, P in one chain: from the top the running sum is P, then cancels
  // to infinity, then is P again: 1·P + 2·(−P) + 3·P = 2P.
  const std::vector<A> flip{affine[2], -affine[2], affine[2]};
  CHECK(reduce_segment_affine<Config>(std::span<const A>(flip), 0, 1).to_jacobian() ==
        affine[2].to_jacobian().mul_vartime(bigint::from_u64<4>(2)));
  // Whole windows, both ways, on a window large enough for the chains.
  ThreadPool pool(3);
  const auto big = random_buckets<Config>(3 * 4096, rng);
  const auto xyzz = reduce_bucket_windows(std::span<const Xyzz<Config>>(big), 4096, pool, 0, BucketReduction::xyzz);
  const auto chained = reduce_bucket_windows(std::span<const Xyzz<Config>>(big), 4096, pool, 0, BucketReduction::affine);
  REQUIRE(xyzz.size() == 3);
  for (std::size_t w = 0; w < 3; ++w) CHECK(xyzz[w].to_jacobian() == chained[w].to_jacobian());
}
