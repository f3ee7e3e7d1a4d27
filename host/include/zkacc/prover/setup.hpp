// Groth16 key generation from a circuit and a prepared powers-of-tau file,
// producing the same key snarkjs's `groth16 setup` followed by one
// `zkey contribute` would (a phase 2 with a single random contribution).
//
// This is NOT a trusted-setup ceremony: the one contribution's secret δ is
// drawn here and forgotten, so the key is only as trustworthy as this process
// and the machine it ran on. Use it for tests, benchmarks and development.
//
// With L_i(τ) the Lagrange basis of the domain of n = 2^k points (from the
// .ptau, sections 12–15), rows 0..m−1 the constraints and rows m..m+nPublic
// the extra "public input" rows A[m+s][s] = 1 that snarkjs adds:
//   A_s  = Σ_i A[i][s]·L_i(τ)·G1          B1_s = Σ_i B[i][s]·L_i(τ)·G1
//   B2_s = Σ_i B[i][s]·L_i(τ)·G2
//   K_s  = Σ_i (β·A[i][s] + α·B[i][s] + C[i][s])·L_i(τ)·G1
//   IC_s = K_s (γ = 1) for s ≤ nPublic,  C_s = K_s / δ otherwise
//   H_j  = L'_{2j+1}(τ)·G1 / δ, L' the Lagrange basis of the 2n-point domain
//   δ₁ = δ·G1, δ₂ = δ·G2, γ₂ = G2, α₁, β₁, β₂ from the .ptau.
// The zkey has no contributions section (10): snarkjs proves and verifies
// with it, but `snarkjs zkey verify` has no transcript to check.
#pragma once

#include <string>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/field/bn254.hpp"
#include "zkacc/prover/ptau.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/zkey.hpp"

namespace zkacc::prover {

// snarkjs's domain: the smallest power of two above nConstraints + nPublic.
std::uint32_t setup_domain_size(const R1cs& r1cs);

// delta: the contribution's secret (tests pin it; random_delta() otherwise).
Groth16Zkey groth16_setup(const R1cs& r1cs, const Ptau& ptau, const Fr& delta, ThreadPool& pool);
Fr random_delta();

}  // namespace zkacc::prover
