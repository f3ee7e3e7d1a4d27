// MSM: G1 at 2^10 … 2^20 points on 1 and 2 threads, G2 at 2^16; the card
// path's host slicing of scalars into digit rows.
// Arguments: (log2 n, threads). Run beside the mcl anchor in the same sitting:
//   MSM_LOG_MIN=16 MSM_LOG_MAX=20 MSM_THREADS=2 ../shared/anchors/bin/mcl_msm_bench
#include <benchmark/benchmark.h>

#include <map>
#include <random>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/xyzz.hpp"
#include "zkacc/msm/bucket_reduction.hpp"
#include "zkacc/msm/pippenger.hpp"
#include "zkacc/runtime/device_msm.hpp"
#include "zkacc/runtime/msm_bucket_check.hpp"
#include "zkacc/runtime/msm_digit_rows.hpp"

using namespace zkacc;

namespace {

template <class Config>
struct Workload {
  std::vector<AffinePoint<Config>> points;
  std::vector<BigInt<4>> scalars;
};

// Inputs are made once per size and shared by the thread-count variants.
template <class Config>
const Workload<Config>& workload(std::size_t n) {
  static std::map<std::size_t, Workload<Config>> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  using J = JacobianPoint<Config>;
  std::mt19937_64 rng(n);
  std::vector<J> jac(n);
  J step = J::generator().mul_vartime(Fr::random(rng).to_canonical());
  J cur = step.dbl();
  for (auto& p : jac) {
    p = cur;
    cur += step;
  }
  Workload<Config> w;
  w.points.resize(n);
  batch_to_affine(std::span<const J>(jac), std::span<AffinePoint<Config>>(w.points));
  for (std::size_t i = 0; i < n; ++i) w.scalars.push_back(Fr::random(rng).to_canonical());
  return cache.emplace(n, std::move(w)).first->second;
}

template <class Config>
void BM_msm(benchmark::State& state) {
  const std::size_t n = std::size_t(1) << state.range(0);
  const auto& w = workload<Config>(n);
  ThreadPool pool(static_cast<std::size_t>(state.range(1)));
  for (auto _ : state) {
    auto r = msm_unchecked(std::span<const AffinePoint<Config>>(w.points), std::span<const BigInt<4>>(w.scalars), pool);
    benchmark::DoNotOptimize(r);
  }
  state.counters["window_bits"] = default_window_bits(n);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

}  // namespace

BENCHMARK(BM_msm<Bn254G1Config>)
    ->Name("msm_g1")
    ->ArgsProduct({{10, 12, 14, 16, 18, 20}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_msm<Bn254G2Config>)->Name("msm_g2")->Args({16, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

namespace {

// n random scalars (canonical, below r), the same on every call.
std::vector<BigInt<4>> random_scalars(std::size_t n) {
  std::mt19937_64 rng(7);
  std::vector<BigInt<4>> scalars(n);
  for (auto& k : scalars) k = Fr::random(rng).to_canonical();
  return scalars;
}

// The host's share of a card MSM before the first kernel run: slicing the
// scalars into the kernel's digit rows (runtime::MsmDigitRows), per point,
// on one thread, into rows whose memory the previous MSM left (as
// DeviceMsm does from its second MSM on). Arguments: (c, digit bits).
// docs/bench.md's projection takes its host_slice_ns from here.
void BM_digit_rows(benchmark::State& state) {
  const unsigned c = static_cast<unsigned>(state.range(0)), digit_bits = static_cast<unsigned>(state.range(1));
  const std::size_t n = std::size_t(1) << 18;
  const std::vector<BigInt<4>> scalars = random_scalars(n);
  const std::size_t count = std::min(num_windows(c), runtime::msm_row_digits(digit_bits));
  runtime::MsmDigitRows::Storage storage;
  for (auto _ : state) {
    runtime::MsmDigitRows rows(n, c, digit_bits, 0, count, std::move(storage));
    rows.fill(scalars, 0, n);
    benchmark::DoNotOptimize(rows.beats().data());
    storage = rows.release();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

}  // namespace

BENCHMARK(BM_digit_rows)->Name("msm_digit_rows")->Args({15, 16})->Args({17, 18})->Unit(benchmark::kMillisecond);

namespace {

// The host's share when the kernel slices the scalars itself: counting the
// nonzero digits of each window (runtime::MsmOffsetDigits, the additions
// the kernel must report), per point, on one thread; nothing is written.
// Argument: c. docs/bench.md's projection takes its host_count_ns from here.
void BM_offset_digit_count(benchmark::State& state) {
  const unsigned c = static_cast<unsigned>(state.range(0));
  const std::size_t n = std::size_t(1) << 18;
  const std::vector<BigInt<4>> scalars = random_scalars(n);
  for (auto _ : state) {
    runtime::MsmOffsetDigits digits(scalars, c, num_windows(c));
    digits.count(0, n);
    benchmark::DoNotOptimize(digits.nonzero(0));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

}  // namespace

BENCHMARK(BM_offset_digit_count)->Name("msm_offset_digit_count")->Arg(15)->Arg(17)->Unit(benchmark::kMillisecond);

namespace {

using G1Xyzz = XyzzPoint<Bn254G1Config>;
constexpr std::size_t kWindowBuckets = std::size_t(1) << 16;  // a window at c = 17

// A window of XYZZ buckets as the card writes them back: sums of two
// points, so ZZ and ZZZ are not 1.
std::vector<G1Xyzz> card_window() {
  const Workload<Bn254G1Config>& w = workload<Bn254G1Config>(2 * kWindowBuckets);
  std::vector<G1Xyzz> window(kWindowBuckets);
  for (std::size_t j = 0; j < kWindowBuckets; ++j)
    window[j] = G1Xyzz::from_affine(w.points[2 * j]).add_mixed(w.points[2 * j + 1]);
  return window;
}

// The card path's host bucket reduction: one window of 2^16 XYZZ buckets
// (c = 17), as DeviceMsm reads them back, in the 8 segments of 8,192 it
// cuts a window into on 8 threads (bucket_reduction_segments), here on one
// thread; per bucket.
// Argument: 0 XYZZ running sums, 1 affine chains (BucketReduction).
// docs/bench.md compares it with arith_bench's g1_xyzz_add.
void BM_bucket_reduction(benchmark::State& state) {
  const std::vector<G1Xyzz> window = card_window();
  ThreadPool pool(1);
  const auto how = state.range(0) == 0 ? BucketReduction::xyzz : BucketReduction::affine;
  for (auto _ : state)
    benchmark::DoNotOptimize(reduce_bucket_window(std::span<const G1Xyzz>(window), pool, 8, how));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kWindowBuckets));
}

}  // namespace

BENCHMARK(BM_bucket_reduction)->Name("bucket_reduction")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

namespace {

// DeviceMsm's validity check of one bucket read back (msm_bucket_valid), on
// one thread, per bucket; compared with arith_bench's g1_xyzz_add for
// runtime::kMsmValidateAdditionsPerBucket.
void BM_bucket_check(benchmark::State& state) {
  const std::vector<G1Xyzz> window = card_window();
  for (auto _ : state) {
    std::size_t valid = 0;
    for (const G1Xyzz& b : window) valid += runtime::msm_bucket_valid(b) ? 1 : 0;
    if (valid != kWindowBuckets) state.SkipWithError("a valid bucket failed the check");
    benchmark::DoNotOptimize(valid);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kWindowBuckets));
}

}  // namespace

BENCHMARK(BM_bucket_check)->Name("msm_bucket_check")->Unit(benchmark::kMillisecond);
