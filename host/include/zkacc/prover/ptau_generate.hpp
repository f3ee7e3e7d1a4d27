// A prepared powers-of-tau file (.ptau, the layout ptau.hpp reads and
// snarkjs writes after `powersoftau prepare phase2`) made in one step from
// secrets τ, α, β:
//
//   1 header (power, ceremonyPower = power)     7  contributions: none (count 0)
//   2 τ^i·G1, i < 2^(power+1) − 1               12 L_i(τ)·G1 for every domain 2^0 .. 2^(power+1)
//   3 τ^i·G2, i < 2^power                       13 L_i(τ)·G2 for domains 2^0 .. 2^power
//   4 α·τ^i·G1, 5 β·τ^i·G1, i < 2^power         14 α·L_i(τ)·G1, 15 β·L_i(τ)·G1 (same domains)
//   6 β·G2
//
// with L_i the Lagrange basis of the domain of size m = 2^j on the roots
// ω^i of Fr::root_of_unity(j) (snarkjs's Fr.w[j]):
// L_i(τ) = (τ^m − 1)·ω^i / (m·(τ − ω^i)).
//
// This is NOT a ceremony. Whoever knows τ can forge proofs for every key
// made from the file; here the secrets come from the kernel's CSPRNG and are
// dropped when the file is written, so the file is exactly as trustworthy
// as the machine and process that made it. It is meant for development,
// tests and benchmarks (zkacc prove-model makes one when no --ptau is given).
// A production key needs a real multi-party ceremony's file (for example
// the Hermez/Polygon ptau files), passed with --ptau.
//
// Cost: 12·2^power G1 and 3·2^power G2 fixed-base multiplications (windowed
// tables, all threads), about 7 s for power 17 on two cores.
#pragma once

#include <cstdint>
#include <string>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/field/bn254.hpp"

namespace zkacc::prover {

struct PtauSecrets {
  Fr tau, alpha, beta;
  static PtauSecrets random();  // non-zero draws from the kernel CSPRNG
};

// Writes the file through a temporary and a rename (no partial file on
// failure). power: 1..27.
void generate_ptau(const std::string& path, std::uint32_t power, const PtauSecrets& secrets, ThreadPool& pool);

// Where prove-model keeps the files it generates, one per power:
// $ZKACC_PTAU_DIR, else $XDG_CACHE_HOME/zkacc/ptau, else ~/.cache/zkacc/ptau.
std::string default_ptau_cache_dir();
// A generated .ptau of power ≥ `power` in `dir`: the smallest one already
// there (generated_pot<k>.ptau), or a new generated_pot<power>.ptau made with
// random secrets. *generated tells which.
std::string cached_generated_ptau(const std::string& dir, std::uint32_t power, ThreadPool& pool,
                                  bool* generated = nullptr);

}  // namespace zkacc::prover
