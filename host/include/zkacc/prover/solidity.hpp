// Groth16 proofs on Ethereum: a verifier contract for a verification key,
// and a proof as that contract's call arguments.
//
// The contract (Solidity ≥ 0.8.4) checks
//   e(−A, B) · e(α, β) · e(vk_x, γ) · e(C, δ) = 1,   vk_x = IC_0 + Σ x_i·IC_i
// with the BN254 precompiles of EIP-196 (ecAdd 0x06, ecMul 0x07) and
// EIP-197 (ecPairing 0x08). Its external interface is snarkjs's exported
// verifier's,
//   verifyProof(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[N] input) view returns (bool),
// so a dApp written against one takes the other. It returns false, never
// true, for a public input ≥ r, a proof coordinate ≥ q, a point off the
// curve or outside G2's subgroup (the precompiles fail), or call data of any
// other length than those four arguments. The IC points are data in the
// contract's code (64 bytes each) rather than unrolled code, so keys with a
// few hundred public inputs still fit EIP-170's 24,576-byte limit; inputs
// equal to 0 skip their scalar multiplication.
#pragma once

#include <span>
#include <string>

#include "zkacc/prover/groth16.hpp"

namespace zkacc::prover {

// The contract's source. `source_name` goes into its header comment.
// Throws zkacc::Error for a key without public inputs (Solidity has no
// uint256[0]).
std::string solidity_verifier(const VerificationKey& vk, const std::string& source_name,
                              const std::string& contract_name = "Groth16Verifier");

// verifyProof's arguments as snarkjs's `zkey export soliditycalldata`
// prints them: ["0x…", "0x…"],[["0x…", "0x…"],["0x…", "0x…"]],["0x…", "0x…"],["0x…",…]
// with B's coordinates in EIP-197 order (imaginary part first).
std::string solidity_calldata(const Proof& proof, std::span<const Fr> public_signals);

}  // namespace zkacc::prover
