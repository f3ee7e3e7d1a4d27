// Field, curve and pairing primitives. Each benchmark runs a dependent chain
// (the output feeds the next input) so the figure is latency per operation,
// the way mcl's bench measures it.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "zkacc/curve/pairing.hpp"
#include "zkacc/curve/xyzz.hpp"

using namespace zkacc;

namespace {

std::mt19937_64 rng(12345);

template <class F>
void BM_mul(benchmark::State& state) {
  F a = F::random(rng), b = F::random(rng);
  for (auto _ : state) {
    a *= b;
    benchmark::DoNotOptimize(a);
  }
}

template <class F>
void BM_square(benchmark::State& state) {
  F a = F::random(rng);
  for (auto _ : state) {
    a = a.square();
    benchmark::DoNotOptimize(a);
  }
}

template <class F>
void BM_add(benchmark::State& state) {
  F a = F::random(rng), b = F::random(rng);
  for (auto _ : state) {
    a += b;
    benchmark::DoNotOptimize(a);
  }
}

void BM_fq_inverse(benchmark::State& state) {
  Fq a = Fq::random(rng);
  for (auto _ : state) {
    a = a.inverse();
    benchmark::DoNotOptimize(a);
  }
}

void BM_fq_inverse_vartime(benchmark::State& state) {
  Fq a = Fq::random(rng);
  for (auto _ : state) {
    a = a.inverse_vartime();
    benchmark::DoNotOptimize(a);
  }
}

// Per element, for a batch of state.range(0) elements.
void BM_fq_batch_inverse(benchmark::State& state) {
  std::vector<Fq> xs(static_cast<std::size_t>(state.range(0))), scratch(xs.size());
  for (auto& x : xs) x = Fq::random(rng);
  for (auto _ : state) {
    batch_inverse(std::span<Fq>(xs), std::span<Fq>(scratch));
    benchmark::DoNotOptimize(xs.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

template <class J>
void BM_point_add(benchmark::State& state) {
  J a = J::generator().mul_vartime(Fr::random(rng).to_canonical());
  J b = J::generator().mul_vartime(Fr::random(rng).to_canonical());
  for (auto _ : state) {
    a = a + b;
    benchmark::DoNotOptimize(a);
  }
}

template <class J>
void BM_point_add_mixed(benchmark::State& state) {
  J a = J::generator().mul_vartime(Fr::random(rng).to_canonical());
  auto b = J::generator().mul_vartime(Fr::random(rng).to_canonical()).to_affine();
  for (auto _ : state) {
    a = a.add_mixed(b);
    benchmark::DoNotOptimize(a);
  }
}

template <class J>
void BM_point_double(benchmark::State& state) {
  J a = J::generator().mul_vartime(Fr::random(rng).to_canonical());
  for (auto _ : state) {
    a = a.dbl();
    benchmark::DoNotOptimize(a);
  }
}

template <class J>
void BM_scalar_mul(benchmark::State& state) {
  J a = J::generator().mul_vartime(Fr::random(rng).to_canonical());
  Fr k = Fr::random(rng);
  for (auto _ : state) {
    a = a * k;
    benchmark::DoNotOptimize(a);
  }
}

// XYZZ additions, the host's bucket arithmetic: two full ones a bucket in
// the bucket reduction (the card projection's host_addition_ns), mixed
// ones in the CPU MSM's accumulation and the runtime's subset check.
using G1Xyzz = XyzzPoint<Bn254G1Config>;
G1Xyzz random_xyzz() {
  // A sum of two affine points: ZZ and ZZZ not 1, as a bucket's are.
  const auto p = G1Jacobian::generator().mul_vartime(Fr::random(rng).to_canonical()).to_affine();
  const auto q = G1Jacobian::generator().mul_vartime(Fr::random(rng).to_canonical()).to_affine();
  return G1Xyzz::from_affine(p).add_mixed(q);
}

void BM_xyzz_add(benchmark::State& state) {
  G1Xyzz a = random_xyzz();
  const G1Xyzz b = random_xyzz();
  for (auto _ : state) {
    a += b;
    benchmark::DoNotOptimize(a);
  }
}

void BM_xyzz_add_mixed(benchmark::State& state) {
  G1Xyzz a = random_xyzz();
  const auto b = G1Jacobian::generator().mul_vartime(Fr::random(rng).to_canonical()).to_affine();
  for (auto _ : state) {
    a = a.add_mixed(b);
    benchmark::DoNotOptimize(a);
  }
}

void BM_pairing(benchmark::State& state) {
  G1Affine p = (G1Jacobian::generator() * Fr::random(rng)).to_affine();
  G2Affine q = (G2Jacobian::generator() * Fr::random(rng)).to_affine();
  for (auto _ : state) benchmark::DoNotOptimize(pairing(p, q));
}

void BM_miller_loop(benchmark::State& state) {
  G1Affine p = (G1Jacobian::generator() * Fr::random(rng)).to_affine();
  G2Affine q = (G2Jacobian::generator() * Fr::random(rng)).to_affine();
  for (auto _ : state) benchmark::DoNotOptimize(miller_loop(std::span(&p, 1), std::span(&q, 1)));
}

void BM_final_exponentiation(benchmark::State& state) {
  Fq12 f = Fq12::random(rng);
  for (auto _ : state) benchmark::DoNotOptimize(final_exponentiation(f));
}

}  // namespace

BENCHMARK(BM_mul<Fq>)->Name("fq_mul");
BENCHMARK(BM_square<Fq>)->Name("fq_square");
BENCHMARK(BM_add<Fq>)->Name("fq_add");
BENCHMARK(BM_mul<Fr>)->Name("fr_mul");
BENCHMARK(BM_fq_inverse)->Name("fq_inverse");
BENCHMARK(BM_fq_inverse_vartime)->Name("fq_inverse_vartime");
BENCHMARK(BM_fq_batch_inverse)->Name("fq_batch_inverse_per_element")->Arg(1024);
BENCHMARK(BM_mul<Fq2>)->Name("fq2_mul");
BENCHMARK(BM_mul<Fq12>)->Name("fq12_mul");
BENCHMARK(BM_point_add<G1Jacobian>)->Name("g1_add");
BENCHMARK(BM_point_add_mixed<G1Jacobian>)->Name("g1_add_mixed");
BENCHMARK(BM_point_double<G1Jacobian>)->Name("g1_double");
BENCHMARK(BM_xyzz_add)->Name("g1_xyzz_add");
BENCHMARK(BM_xyzz_add_mixed)->Name("g1_xyzz_add_mixed");
BENCHMARK(BM_scalar_mul<G1Jacobian>)->Name("g1_scalar_mul");
BENCHMARK(BM_point_add<G2Jacobian>)->Name("g2_add");
BENCHMARK(BM_point_double<G2Jacobian>)->Name("g2_double");
BENCHMARK(BM_scalar_mul<G2Jacobian>)->Name("g2_scalar_mul");
BENCHMARK(BM_miller_loop)->Name("miller_loop")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_final_exponentiation)->Name("final_exponentiation")->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_pairing)->Name("pairing")->Unit(benchmark::kMicrosecond);
