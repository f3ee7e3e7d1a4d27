#include "zkacc/runtime/cpu_backend.hpp"

#include "zkacc/msm/pippenger.hpp"

namespace zkacc::runtime {

void Backend::evaluations_to_coset(std::span<Fr> values, const Fr& shift) {
  ntt(values, NttDirection::Inverse);
  Fr power = Fr::one();
  for (Fr& v : values) {
    v *= power;
    power *= shift;
  }
  ntt(values, NttDirection::Forward);
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
  // Coefficients stay in bit-reversed order between the two transforms,
  // which skips both bit-reversal permutations.
  const NttDomain& d = domain(values.size());
  d.inverse(values, pool_, Order::Natural, Order::BitReversed);
  d.coset_forward(values, shift, pool_, Order::BitReversed, Order::Natural);
}

}  // namespace zkacc::runtime
