// MSM: G1 at 2^10 … 2^20 points on 1 and 2 threads, G2 at 2^16; witness-
// shaped scalars split by size against the full bucket method; fixed-base
// tables by budget, and their build; the card path's host slicing of scalars
// into digit rows.
// Arguments: (log2 n, threads). Run beside the mcl anchor in the same sitting:
//   MSM_LOG_MIN=16 MSM_LOG_MAX=20 MSM_THREADS=2 ../shared/anchors/bin/mcl_msm_bench
#include <benchmark/benchmark.h>

#include <map>
#include <random>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/xyzz.hpp"
#include "zkacc/msm/bucket_reduction.hpp"
#include "zkacc/msm/fixed_base_tables.hpp"
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

// A quantized network's witness as the A/B1/C MSMs see it: half zeros, 45 %
// ±1, the rest signed 8-bit values (the shape of the dense+ReLU circuits:
// bench/groth16/make_dense_model.py). Argument 2: 1 splits by size, 0 not.
void BM_msm_witness(benchmark::State& state) {
  const std::size_t n = std::size_t(1) << state.range(0);
  const auto& w = workload<Bn254G1Config>(n);
  std::mt19937_64 rng(11);
  std::vector<BigInt<4>> ks(n);
  for (auto& k : ks) {
    const unsigned roll = rng() % 100;
    const std::uint64_t v = roll < 50 ? 0 : roll < 95 ? 1 : 2 + rng() % 254;
    k = bigint::from_u64<4>(v);
    if (v != 0 && rng() % 2) bigint::sub(k, Fr::kModulus, k);
  }
  ThreadPool pool(static_cast<std::size_t>(state.range(1)));
  MsmOptions options;
  options.split_by_size = state.range(2) != 0;
  for (auto _ : state) {
    auto r = msm_unchecked(std::span<const G1Affine>(w.points), std::span<const BigInt<4>>(ks), pool, options);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

// Fixed-base tables: (log2 n, threads, copies per window in 1/4ths: 4 all,
// 2 half, 1 a quarter). The budget is what those copies take.
FixedBaseLayout layout_for(std::size_t n, std::size_t threads, std::int64_t quarters) {
  const std::size_t w = num_windows(15);
  const std::size_t copies = std::max<std::size_t>(1, w * static_cast<std::size_t>(quarters) / 4);
  return FixedBaseLayout::choose(n, sizeof(G1Affine), copies * n * sizeof(G1Affine), threads);
}

void BM_msm_fixed_base(benchmark::State& state) {
  const std::size_t n = std::size_t(1) << state.range(0);
  const auto& w = workload<Bn254G1Config>(n);
  ThreadPool pool(static_cast<std::size_t>(state.range(1)));
  const FixedBaseTables<Bn254G1Config> tables(w.points, layout_for(n, pool.size(), state.range(2)), pool);
  for (auto _ : state) {
    auto r = tables.msm(w.scalars, pool);
    benchmark::DoNotOptimize(r);
  }
  state.counters["window_bits"] = tables.layout().window_bits;
  state.counters["copies"] = static_cast<double>(tables.layout().shifts);
  state.counters["table_MB"] = static_cast<double>(tables.bytes()) / 1e6;
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
}

void BM_fixed_base_build(benchmark::State& state) {
  const std::size_t n = std::size_t(1) << state.range(0);
  const auto& w = workload<Bn254G1Config>(n);
  ThreadPool pool(static_cast<std::size_t>(state.range(1)));
  const FixedBaseLayout layout = layout_for(n, pool.size(), 4);
  for (auto _ : state) {
    FixedBaseTables<Bn254G1Config> tables(w.points, layout, pool);
    benchmark::DoNotOptimize(tables);
  }
}

}  // namespace

BENCHMARK(BM_msm_witness)
    ->Name("msm_g1_witness")
    ->ArgsProduct({{14, 16}, {2}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_msm_fixed_base)
    ->Name("msm_g1_fixed_base")
    ->ArgsProduct({{14, 16, 18}, {1, 2}, {1, 2, 4}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_fixed_base_build)->Name("fixed_base_build")->Args({16, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

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
