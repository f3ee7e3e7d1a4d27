#include "zkacc/prover/engine.hpp"

#include "zkacc/msm/pippenger.hpp"

namespace zkacc::prover {

G1Jacobian CpuEngine::msm_g1(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars) {
  return msm_unchecked<Bn254G1Config>(points, scalars, pool_);
}

G2Jacobian CpuEngine::msm_g2(std::span<const G2Affine> points, std::span<const BigInt<4>> scalars) {
  return msm_unchecked<Bn254G2Config>(points, scalars, pool_);
}

void CpuEngine::evaluations_to_coset(std::span<Fr> values, const Fr& shift) {
  if (!domain_ || domain_->size() != values.size()) domain_ = std::make_unique<NttDomain>(values.size());
  // Fused (no bit-reversal permutations): at 2^13, 6.4 ms for three
  // polynomials instead of 14–17 ms.
  domain_->evaluations_to_coset(values, shift, pool_);
}

}  // namespace zkacc::prover
