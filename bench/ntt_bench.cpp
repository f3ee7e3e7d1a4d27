// NTT benchmarks: zkacc's NttDomain at 2^10 … 2^22 on 1 and 2 threads, and a
// plain iterative radix-2 NTT (precomputed twiddles, 1 thread) in the same
// binary, so the speed-up is a ratio from one run on one machine.
//
//   ntt_bench --benchmark_filter='Ntt(Forward|PlainRadix2)/20' --benchmark_repetitions=5
//
// BM_NttTuning varies the knobs of NttTuning one at a time at 2^20 and 2^22 on
// one thread (docs/ntt.md, "Parameters"). BM_NttKernel runs the portable and
// the AVX-512 IFMA butterflies side by side (docs/ntt.md, "AVX-512 IFMA"):
//
//   ntt_bench --benchmark_filter=BM_NttKernel --benchmark_repetitions=3
//
// The other cases use the kernel NttDomain picks (Auto: IFMA where the CPU
// has it).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include "zkacc/ntt/ntt_domain.hpp"

namespace {

using zkacc::Fr;
using zkacc::NttDomain;
using zkacc::NttKernel;
using zkacc::NttTuning;
using zkacc::Order;
using zkacc::ThreadPool;

std::vector<Fr> random_input(std::size_t n) {
  std::mt19937_64 rng(20261124);
  std::vector<Fr> v(n);
  for (auto& x : v) x = Fr::random(rng);
  return v;
}

// The textbook transform the speed-up is measured against: bit-reversal
// permutation, then log n radix-2 Cooley–Tukey stages, each one sweep over the
// whole array, stage `len` reading every (n/len)-th entry of one table of
// n/2 twiddles.
class PlainRadix2 {
 public:
  explicit PlainRadix2(std::size_t log_n) : log_n_(log_n), n_(std::size_t(1) << log_n), w_(n_ / 2) {
    const Fr omega = Fr::root_of_unity(log_n);
    if (!w_.empty()) w_[0] = Fr::one();
    for (std::size_t i = 1; i < w_.size(); ++i) w_[i] = w_[i - 1] * omega;
  }

  // Natural order in and out.
  void forward(std::span<Fr> a) const {
    for (std::size_t i = 0; i < n_; ++i) {
      const std::size_t r = zkacc::reverse_bits(static_cast<std::uint32_t>(i), log_n_);
      if (i < r) std::swap(a[i], a[r]);
    }
    for (std::size_t len = 2; len <= n_; len <<= 1) {
      const std::size_t half = len / 2, step = n_ / len;
      for (std::size_t i = 0; i < n_; i += len)
        for (std::size_t j = 0; j < half; ++j) {
          const Fr u = a[i + j];
          const Fr v = a[i + j + half] * w_[j * step];
          a[i + j] = u + v;
          a[i + j + half] = u - v;
        }
    }
  }

 private:
  std::size_t log_n_, n_;
  std::vector<Fr> w_;
};

void set_counters(benchmark::State& state, std::size_t n) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}

// Args: log2 n, threads. Forward, natural order in and out (like the baseline).
void BM_NttForward(benchmark::State& state) {
  const std::size_t log_n = static_cast<std::size_t>(state.range(0));
  ThreadPool pool(static_cast<std::size_t>(state.range(1)));
  const NttDomain domain = NttDomain::from_log_size(log_n);
  std::vector<Fr> v = random_input(domain.size());
  for (auto _ : state) {
    domain.forward(v, pool);
    benchmark::ClobberMemory();
  }
  set_counters(state, domain.size());
}

// Natural in, bit-reversed out: the transform without its permutation, what a
// prover that multiplies evaluations pointwise and transforms back uses.
void BM_NttForwardBitReversedOut(benchmark::State& state) {
  const std::size_t log_n = static_cast<std::size_t>(state.range(0));
  ThreadPool pool(static_cast<std::size_t>(state.range(1)));
  const NttDomain domain = NttDomain::from_log_size(log_n);
  std::vector<Fr> v = random_input(domain.size());
  for (auto _ : state) {
    domain.forward(v, pool, Order::Natural, Order::BitReversed);
    benchmark::ClobberMemory();
  }
  set_counters(state, domain.size());
}

void BM_NttInverse(benchmark::State& state) {
  const std::size_t log_n = static_cast<std::size_t>(state.range(0));
  ThreadPool pool(static_cast<std::size_t>(state.range(1)));
  const NttDomain domain = NttDomain::from_log_size(log_n);
  std::vector<Fr> v = random_input(domain.size());
  for (auto _ : state) {
    domain.inverse(v, pool);
    benchmark::ClobberMemory();
  }
  set_counters(state, domain.size());
}

void BM_NttCosetForward(benchmark::State& state) {
  const std::size_t log_n = static_cast<std::size_t>(state.range(0));
  ThreadPool pool(static_cast<std::size_t>(state.range(1)));
  const NttDomain domain = NttDomain::from_log_size(log_n);
  std::vector<Fr> v = random_input(domain.size());
  for (auto _ : state) {
    domain.coset_forward(v, pool);
    benchmark::ClobberMemory();
  }
  set_counters(state, domain.size());
}

// Args: log2 n. One thread; checked once against NttDomain before timing.
void BM_NttPlainRadix2(benchmark::State& state) {
  const std::size_t log_n = static_cast<std::size_t>(state.range(0));
  const PlainRadix2 plain(log_n);
  std::vector<Fr> v = random_input(std::size_t(1) << log_n);
  {
    std::vector<Fr> a = v, b = v;
    plain.forward(a);
    ThreadPool pool(1);
    NttDomain::from_log_size(log_n).forward(b, pool);
    if (a != b) {
      state.SkipWithError("plain radix-2 and NttDomain disagree");
      return;
    }
  }
  for (auto _ : state) {
    plain.forward(v);
    benchmark::ClobberMemory();
  }
  set_counters(state, v.size());
}

// Args: log2 n, threads, kernel (0: portable, 1: IFMA). Forward, natural
// order in and out, like BM_NttForward.
void BM_NttKernel(benchmark::State& state) {
  const std::size_t log_n = static_cast<std::size_t>(state.range(0));
  const bool ifma = state.range(2) != 0;
  if (ifma && !zkacc::cpu_has_avx512ifma()) {
    state.SkipWithError("this CPU has no AVX-512 IFMA");
    return;
  }
  ThreadPool pool(static_cast<std::size_t>(state.range(1)));
  NttTuning tuning;
  tuning.kernel = ifma ? NttKernel::Ifma : NttKernel::Portable;
  const NttDomain domain = NttDomain::from_log_size(log_n, tuning);
  std::vector<Fr> v = random_input(domain.size());
  for (auto _ : state) {
    domain.forward(v, pool);
    benchmark::ClobberMemory();
  }
  set_counters(state, domain.size());
}

// Args: log2 n, threads, block_log, outer_fuse, inner_fuse.
void BM_NttTuning(benchmark::State& state) {
  const std::size_t log_n = static_cast<std::size_t>(state.range(0));
  ThreadPool pool(static_cast<std::size_t>(state.range(1)));
  NttTuning tuning;
  tuning.block_log = static_cast<std::size_t>(state.range(2));
  tuning.outer_fuse = static_cast<std::size_t>(state.range(3));
  tuning.inner_fuse = static_cast<std::size_t>(state.range(4));
  const NttDomain domain = NttDomain::from_log_size(log_n, tuning);
  std::vector<Fr> v = random_input(domain.size());
  for (auto _ : state) {
    domain.forward(v, pool, Order::Natural, Order::BitReversed);
    benchmark::ClobberMemory();
  }
  set_counters(state, domain.size());
}

void sizes_and_threads(benchmark::internal::Benchmark* b) {
  b->ArgNames({"log_n", "threads"});
  for (int log_n = 10; log_n <= 22; log_n += 2)
    for (int threads : {1, 2}) b->Args({log_n, threads});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

void tuning_grid(benchmark::internal::Benchmark* b) {
  b->ArgNames({"log_n", "threads", "block_log", "outer_fuse", "inner_fuse"});
  const NttTuning d;  // the defaults, varied one knob at a time
  const int bl = static_cast<int>(d.block_log), of = static_cast<int>(d.outer_fuse), inf = static_cast<int>(d.inner_fuse);
  for (int log_n : {20, 22}) {
    for (int block_log : {10, 12, 14, 16, 18}) b->Args({log_n, 1, block_log, of, inf});
    for (int outer_fuse : {1, 2, 3, 4}) b->Args({log_n, 1, bl, outer_fuse, inf});
    for (int inner_fuse : {1, 2, 3, 4}) b->Args({log_n, 1, bl, of, inner_fuse});
  }
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}

}  // namespace

BENCHMARK(BM_NttForward)->Apply([](benchmark::internal::Benchmark* b) {
  b->ArgNames({"log_n", "threads"});
  for (int log_n = 10; log_n <= 22; ++log_n)
    for (int threads : {1, 2}) b->Args({log_n, threads});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
});
BENCHMARK(BM_NttPlainRadix2)->ArgName("log_n")->DenseRange(10, 22)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_NttForwardBitReversedOut)->Apply(sizes_and_threads);
BENCHMARK(BM_NttInverse)->Apply(sizes_and_threads);
BENCHMARK(BM_NttCosetForward)->Apply(sizes_and_threads);
BENCHMARK(BM_NttTuning)->Apply(tuning_grid);
BENCHMARK(BM_NttKernel)->Apply([](benchmark::internal::Benchmark* b) {
  b->ArgNames({"log_n", "threads", "ifma"});
  for (int log_n : {16, 18, 20})
    for (int threads : {1, 2})
      for (int ifma : {0, 1}) b->Args({log_n, threads, ifma});
  b->Unit(benchmark::kMillisecond)->UseRealTime();
});
