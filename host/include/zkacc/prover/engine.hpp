// The two kernels the Groth16 prover needs, behind one small interface so a
// device backend (the runtime layer: sim, xrt) can take them over without
// the prover changing. CpuEngine runs them on zkacc's CPU MSM and NTT.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/field/bn254.hpp"
#include "zkacc/ntt/ntt_domain.hpp"
#include "zkacc/prover/zkey.hpp"

namespace zkacc::prover {

class ProverEngine {
 public:
  virtual ~ProverEngine() = default;

  // Σ scalars[i]·points[i]. Trusted input: points on the curve (from a
  // checked key), scalars canonical (< r), equal lengths.
  virtual G1Jacobian msm_g1(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars) = 0;
  virtual G2Jacobian msm_g2(std::span<const G2Affine> points, std::span<const BigInt<4>> scalars) = 0;
  // The same over points of a proving key, named by the key's identity
  // (Groth16Zkey::identity, key_identity.hpp; 0: none): an engine on a card
  // may keep them there from one MSM and proof to the next instead of
  // uploading them every time. The points must not change while the
  // identity stands for them. By default, msm_g1.
  virtual G1Jacobian msm_g1_of_key(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars,
                                   std::uint64_t key) {
    (void)key;
    return msm_g1(points, scalars);
  }

  // In place: the evaluations of a polynomial of degree < n on the n-th
  // roots of unity (n = values.size(), a power of two) become its
  // evaluations on the coset shift·⟨ω⟩, both in natural order.
  virtual void evaluations_to_coset(std::span<Fr> values, const Fr& shift) = 0;

  // The proof's transforms are done: an engine may free what it keeps for
  // them (the CPU engine's twiddles, 32·n/2 bytes) before the MSMs.
  virtual void release_transform_tables() {}

  // Threads for the prover's own element-wise loops.
  virtual ThreadPool& pool() = 0;

  // Which share of each MSM's points the engine is handed: the whole key,
  // or, for an engine that adds partial sums across processes, this
  // process's part (prove() then passes the matching share of the scalars).
  virtual ZkeyPart key_part() const { return {}; }
};

class CpuEngine final : public ProverEngine {
 public:
  explicit CpuEngine(ThreadPool& pool) : pool_(pool) {}

  G1Jacobian msm_g1(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars) override;
  G2Jacobian msm_g2(std::span<const G2Affine> points, std::span<const BigInt<4>> scalars) override;
  void evaluations_to_coset(std::span<Fr> values, const Fr& shift) override;
  void release_transform_tables() override { domain_.reset(); }
  ThreadPool& pool() override { return pool_; }

 private:
  ThreadPool& pool_;
  std::unique_ptr<NttDomain> domain_;  // built on first use, kept for the next polynomials of that size
};

}  // namespace zkacc::prover
