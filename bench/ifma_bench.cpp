// Throughput of the field product: the library's scalar operator* (the
// BMI2/ADX kernel where the build has it) against IfmaX8, eight products per
// AVX-512 IFMA vector. Each benchmark runs K independent dependency chains
// (x_k ← x_k · y_k), so out-of-order execution can overlap them and the
// figure is throughput; "per_product" divides the time by the products done.
//
//   scalar/8:  eight independent scalar products per iteration
//   ifma/1:    one vector (eight products), its chain latency-bound
//   ifma/2, 4: two or four independent vectors (16, 32 products)
//
//   ifma_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// The IFMA cases skip themselves on a CPU without AVX-512 IFMA.
#include <benchmark/benchmark.h>

#include <array>
#include <random>

#include "zkacc/field/bn254.hpp"
#include "zkacc/field/ifma_x8.hpp"

using namespace zkacc;

namespace {

void per_product(benchmark::State& state, std::size_t products_per_iteration) {
  const double products = static_cast<double>(state.iterations()) * static_cast<double>(products_per_iteration);
  // Seconds per product, printed with an SI prefix ("4.1ns").
  state.counters["per_product"] = benchmark::Counter(products, benchmark::Counter::kIsRate |
                                                                         benchmark::Counter::kInvert);
}

template <class F, std::size_t K>
void BM_scalar_mul(benchmark::State& state) {
  std::mt19937_64 rng(1);
  std::array<F, K> x, y;
  for (std::size_t k = 0; k < K; ++k) {
    x[k] = F::random(rng);
    y[k] = F::random(rng);
  }
  for (auto _ : state) {
    for (std::size_t k = 0; k < K; ++k) x[k] = x[k] * y[k];
    benchmark::DoNotOptimize(x);
  }
  per_product(state, K);
}

#ifdef ZKACC_HAVE_IFMA_X8
// The timed loop itself is compiled for IFMA, so the product inlines into it.
template <class F, std::size_t K>
ZKACC_IFMA_TARGET void ifma_loop(benchmark::State& state, std::array<F, 8 * K>& xs, const std::array<F, 8 * K>& ys) {
  std::array<IfmaX8<F>, K> x, y;
  for (std::size_t k = 0; k < K; ++k) {
    x[k] = IfmaX8<F>::load(&xs[8 * k]);
    y[k] = IfmaX8<F>::load(&ys[8 * k]);
  }
  for (auto _ : state) {
    for (std::size_t k = 0; k < K; ++k) {
      x[k] = x[k] * y[k];
      benchmark::DoNotOptimize(x[k].limb[0]);
    }
  }
  for (std::size_t k = 0; k < K; ++k) x[k].store(&xs[8 * k]);
}

template <class F, std::size_t K>
void BM_ifma_mul(benchmark::State& state) {
  if (!cpu_has_avx512ifma()) {
    state.SkipWithError("this CPU has no AVX-512 IFMA");
    return;
  }
  std::mt19937_64 rng(1);
  std::array<F, 8 * K> xs, ys;
  for (std::size_t i = 0; i < 8 * K; ++i) {
    xs[i] = F::random(rng);
    ys[i] = F::random(rng);
  }
  ifma_loop<F, K>(state, xs, ys);
  benchmark::DoNotOptimize(xs);
  per_product(state, 8 * K);
}

// Conversion in and out of the IFMA domain (two products and two repackings
// per 8 elements), per element: what a kernel that converts once pays.
template <class F>
ZKACC_IFMA_TARGET void convert_loop(benchmark::State& state, std::array<F, 8>& xs) {
  for (auto _ : state) {
    IfmaX8<F>::load(xs.data()).store(xs.data());
    benchmark::ClobberMemory();
  }
}

template <class F>
void BM_ifma_round_trip(benchmark::State& state) {
  if (!cpu_has_avx512ifma()) {
    state.SkipWithError("this CPU has no AVX-512 IFMA");
    return;
  }
  std::mt19937_64 rng(1);
  std::array<F, 8> xs;
  for (auto& x : xs) x = F::random(rng);
  convert_loop<F>(state, xs);
  per_product(state, 8);
}
#endif

}  // namespace

BENCHMARK_TEMPLATE(BM_scalar_mul, Fr, 8)->Name("fr_mul/scalar/8");
BENCHMARK_TEMPLATE(BM_scalar_mul, Fq, 8)->Name("fq_mul/scalar/8");
BENCHMARK_TEMPLATE(BM_scalar_mul, Fr, 16)->Name("fr_mul/scalar/16");
#ifdef ZKACC_HAVE_IFMA_X8
BENCHMARK_TEMPLATE(BM_ifma_mul, Fr, 1)->Name("fr_mul/ifma/1");
BENCHMARK_TEMPLATE(BM_ifma_mul, Fr, 2)->Name("fr_mul/ifma/2");
BENCHMARK_TEMPLATE(BM_ifma_mul, Fr, 4)->Name("fr_mul/ifma/4");
BENCHMARK_TEMPLATE(BM_ifma_mul, Fq, 1)->Name("fq_mul/ifma/1");
BENCHMARK_TEMPLATE(BM_ifma_mul, Fq, 2)->Name("fq_mul/ifma/2");
BENCHMARK_TEMPLATE(BM_ifma_mul, Fq, 4)->Name("fq_mul/ifma/4");
BENCHMARK_TEMPLATE(BM_ifma_round_trip, Fr)->Name("fr_ifma_round_trip");
#endif
