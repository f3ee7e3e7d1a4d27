// Groth16 over BN254, compatible with snarkjs's keys and proofs.
//
// Prover (snarkjs src/groth16_prove.js, step for step):
//   1. a_i = Σ A[i][j]·w_j, b_i = Σ B[i][j]·w_j from the key's coefficient
//      section (rows i < n = domainSize), c_i = a_i·b_i.
//   2. For each of a, b, c: inverse NTT on the n-th roots of unity, then a
//      forward NTT on the coset g·⟨ω⟩ with g = ω_2n, a primitive 2n-th root
//      (multiply coefficient j by g^j, then NTT): values at the odd powers of
//      ω_2n, where Z(X) = Xⁿ − 1 is −2 everywhere.
//   3. h_i = a'_i·b'_i − c'_i on that coset; the key's H points already hold
//      the Lagrange basis of the 2n-domain at the odd points, with the 1/Z
//      folded in, so πH = Σ h_i·H_i.
//   4. πA = α₁ + Σ w_j·A_j + r·δ₁
//      πB = β₂ + Σ w_j·B2_j + s·δ₂     (and B1 = β₁ + Σ w_j·B1_j + s·δ₁ in G1)
//      πC = Σ_{j>nPublic} w_j·C_j + πH + s·πA + r·B1 − r·s·δ₁
//
// Verifier: e(−πA, πB)·e(vk_x, γ₂)·e(πC, δ₂)·e(α₁, β₂) = 1 with
// vk_x = IC₀ + Σ x_i·IC_i, one multi-pairing (one final exponentiation).
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/field/bn254.hpp"
#include "zkacc/field/fq12.hpp"
#include "zkacc/msm/fixed_base_tables.hpp"
#include "zkacc/prover/engine.hpp"
#include "zkacc/prover/zkey.hpp"

namespace zkacc::prover {

struct Proof {
  G1Affine a;
  G2Affine b;
  G1Affine c;
};

struct VerificationKey {
  std::uint32_t n_public = 0;
  G1Affine alpha1;
  G2Affine beta2, gamma2, delta2;
  std::vector<G1Affine> ic;  // n_public + 1

  static VerificationKey from_zkey(const Groth16Zkey& zkey);
};

// The blinding scalars of one proof. Tests pin them; provers draw them from a
// cryptographic source (random()).
struct ProofRandomness {
  Fr r, s;
  static ProofRandomness random();  // two os_random_scalar() draws
};

// Uniform in [0, r), from the kernel's CSPRNG (getrandom(2)).
Fr os_random_scalar();

// Wall time of each prover phase, in the order they ran.
class PhaseTimings {
 public:
  struct Phase {
    std::string name;
    double ms;
    // The process's CPU time in the phase, all threads: cpu_ms / (ms ·
    // threads) is how busy the threads were, and the rest is idle time.
    double cpu_ms = 0;
  };
  void add(std::string name, double ms, double cpu_ms = 0) { phases_.push_back({std::move(name), ms, cpu_ms}); }
  const std::vector<Phase>& phases() const { return phases_; }
  double total_ms() const;

  // The process's CPU time so far (CLOCK_PROCESS_CPUTIME_ID), in ms.
  static double process_cpu_ms();

  // Times fn() as phase `name`: wall and CPU time.
  template <class Fn>
  decltype(auto) time(std::string name, Fn&& fn) {
    struct Stop {
      PhaseTimings* t;
      std::string name;
      std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
      double cpu0 = process_cpu_ms();
      ~Stop() {
        t->add(std::move(name),
               std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(),
               process_cpu_ms() - cpu0);
      }
    } stop{this, std::move(name)};
    return fn();
  }

 private:
  std::vector<Phase> phases_;
};

struct ProveOptions {
  bool verify = true;  // verify the proof before returning it (throws if invalid)
  // Fixed-base tables of this key's H points (make_h_tables), for a key that
  // proves many times: the H MSM, about half of a proof, then runs on the
  // host over them, whatever the engine. Tables of other points are
  // rejected, not used.
  const FixedBaseTables<Bn254G1Config>* h_tables = nullptr;
};

// Tables of zkey.h within budget_bytes (FixedBaseLayout::choose), built on
// `pool`: n·(W−1)·c doublings, a few MSMs' time, paid once per key.
FixedBaseTables<Bn254G1Config> make_h_tables(const Groth16Zkey& zkey, std::size_t budget_bytes, ThreadPool& pool);

// Throws zkacc::Error if the witness length differs from the key's nVars or,
// with options.verify, if the proof does not verify (the witness does not
// satisfy the circuit, or the key is inconsistent).
// MSMs and NTTs run on `engine`; the ThreadPool overload uses CpuEngine.
Proof prove(const Groth16Zkey& zkey, std::span<const BigInt<4>> witness, const ProofRandomness& randomness,
            ProverEngine& engine, const ProveOptions& options = {}, PhaseTimings* timings = nullptr);
Proof prove(const Groth16Zkey& zkey, std::span<const BigInt<4>> witness, const ProofRandomness& randomness,
            ThreadPool& pool, const ProveOptions& options = {}, PhaseTimings* timings = nullptr);

// witness[1 .. nPublic] as field elements.
std::vector<Fr> public_signals(const Groth16Zkey& zkey, std::span<const BigInt<4>> witness);

// True iff the proof verifies for these public inputs. Throws only if the
// number of inputs differs from the key's.
bool verify(const VerificationKey& vk, std::span<const Fr> public_inputs, const Proof& proof);

// e(α₁, β₂), the verification key's vk_alphabeta_12.
Fq12 alpha_beta(const VerificationKey& vk);

}  // namespace zkacc::prover
