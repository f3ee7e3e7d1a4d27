#include "zkacc/runtime/cpu_backend.hpp"

#include "zkacc/msm/pippenger.hpp"

namespace zkacc::runtime {

void multiply_by_powers(std::span<Fr> values, const Fr& base, ThreadPool& pool) {
  pool.parallel_for(values.size(), [&](std::size_t begin, std::size_t end) {
    Fr power = base.pow(BigInt<1>{begin});
    for (std::size_t i = begin; i < end; ++i) {
      values[i] *= power;
      power *= base;
    }
  });
}

G1Jacobian CpuBackend::msm_g1(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars) {
  return msm_unchecked<Bn254G1Config>(points, scalars, pool_);
}

const NttDomain& CpuBackend::domain(std::size_t n) {
  auto& d = domains_[n];
  if (!d) d = std::make_unique<NttDomain>(n);
  return *d;
}

void CpuBackend::ntt(std::span<Fr> values, NttDirection direction) {
  domain(values.size()).transform(values, direction, Order::Natural, Order::Natural, pool_);
}

void CpuBackend::evaluations_to_coset(std::span<Fr> values, const Fr& shift) {
  domain(values.size()).evaluations_to_coset(values, shift, pool_);
}

}  // namespace zkacc::runtime
