// CpuBackend: zkacc's CPU MSM (Pippenger, batch-affine buckets) and NTT
// (NttDomain) on a thread pool.
#pragma once

#include <map>
#include <memory>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/runtime/backend.hpp"

namespace zkacc::runtime {

class CpuBackend final : public Backend {
 public:
  explicit CpuBackend(ThreadPool& pool) : pool_(pool) {}

  std::string name() const override { return "cpu"; }
  G1Jacobian msm_g1(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars) override;
  void ntt(std::span<Fr> values, NttDirection direction) override;
  // Evaluations on the n-th roots of unity → evaluations on shift·⟨ω⟩,
  // with the two transforms and the scaling fused.
  void evaluations_to_coset(std::span<Fr> values, const Fr& shift);

  ThreadPool& pool() { return pool_; }

 private:
  const NttDomain& domain(std::size_t n);

  ThreadPool& pool_;
  std::map<std::size_t, std::unique_ptr<NttDomain>> domains_;  // one per size, kept for the next job
};

}  // namespace zkacc::runtime
