// The proof and public-signal strings rapidsnark's C interface returns:
// nlohmann::json's compact dump of rapidsnark's objects, whose keys come out
// sorted, so
//   {"pi_a":["x","y","1"],"pi_b":[["x0","x1"],["y0","y1"],["1","0"]],"pi_c":["x","y","1"],"protocol":"groth16"}
//   ["s1","s2"]
// snarkjs's proof.json without its "curve" key and white space, which
// snarkjs reads as it reads its own.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "zkacc/field/bn254.hpp"
#include "zkacc/prover/groth16.hpp"

namespace zkacc::capi {

std::string proof_json(const prover::Proof& proof);
std::string public_json(std::span<const Fr> signals);

// The capacities rapidsnark's size helpers report (groth16_proof_size,
// groth16_public_size_for_zkey_*), NUL included. The proof needs at most
// 8 coordinates of 77 digits (q < 10^77) and 95 bytes of JSON around them:
// 711 of the 810. A public signal needs at most 77 digits, 2 quotes and a
// comma, 80 of the 82; the brackets and the NUL fit the 4.
inline constexpr unsigned long long kProofJsonCapacity = 810;
inline constexpr unsigned long long public_json_capacity(std::uint32_t n_public) {
  return static_cast<unsigned long long>(n_public) * 82 + 4;
}

}  // namespace zkacc::capi
