// Poseidon over BN254 Fr, the hash of circomlib's Poseidon circuit and of
// circomlibjs's buildPoseidon (0.1.7): the same outputs, bit for bit.
//
// The permutation of a state s ∈ Fr^t runs R_F + R_P rounds; round r
//
//     s_i += c[r·t + i]                        (add round constants)
//     s_i  = s_i^5  for every i (full round)   (S-box layer; full rounds are
//     s_0  = s_0^5  only        (partial)       the first and last R_F / 2)
//     s    = M·s,   s'_i = Σ_j M[i][j]·s_j     (MDS mixing)
//
// with R_F = 8 and R_P by t (circomlib's table: the paper's round numbers
// rounded up to a multiple of t): 56, 57, 56, 60, 60, 63, 64, 63, 60, 66,
// 60, 65, 70, 60, 64, 68 for t = 2..17.
//
// Constants c and M are generated here, not copied, exactly as the Poseidon
// authors' generate_parameters_grain.sage (hadeshash) made circomlib's:
// poseidon_params.cpp has the details.
//
// The hash of n = 1..16 inputs: t = n + 1, s = (0, inputs...), permute,
// output s_0 (circomlibjs's poseidon(inputs) with initState 0, nOut 1).
#pragma once

#include <span>
#include <vector>

#include "zkacc/field/bn254.hpp"

namespace zkacc::prover {

inline constexpr int kPoseidonMinWidth = 2;
inline constexpr int kPoseidonMaxWidth = 17;
inline constexpr int kPoseidonMaxInputs = kPoseidonMaxWidth - 1;

struct PoseidonParams {
  int t = 0;
  int full_rounds = 0;     // R_F, half before and half after the partial rounds
  int partial_rounds = 0;  // R_P
  // (R_F + R_P)·t constants: round r adds round_constants[r·t + i] to s_i.
  std::vector<Fr> round_constants;
  // t × t: the mixing layer is s'_i = Σ_j mds[i][j]·s_j.
  std::vector<std::vector<Fr>> mds;

  bool is_full_round(int r) const { return r < full_rounds / 2 || r >= full_rounds / 2 + partial_rounds; }
};

// circomlib's parameters for width t = 2..17, generated on first use of each
// t (thread-safe) and kept for the life of the program. Throws zkacc::Error
// for any other t.
const PoseidonParams& poseidon_params(int t);

// The Poseidon permutation of `state` in place; t = state.size() (2..17).
void poseidon_permute(std::span<Fr> state);

// Poseidon(inputs) for 1..16 inputs; throws zkacc::Error for any other count.
Fr poseidon_hash(std::span<const Fr> inputs);

}  // namespace zkacc::prover
