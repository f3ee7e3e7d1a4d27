// snarkjs's JSON files: proof.json, public.json, verification_key.json.
// Numbers are decimal strings; points use snarkjs's projective arrays
// (curve/serialize.hpp). Writers print what snarkjs prints
// (JSON.stringify(value, null, 1)), key order included.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "zkacc/prover/groth16.hpp"

namespace zkacc::prover {

std::string proof_to_json(const Proof& proof);
std::string public_to_json(std::span<const Fr> signals);
std::string vkey_to_json(const VerificationKey& vk);

// Readers take the file name for messages; they check the shape, that every
// number is a canonical decimal, points are on the curve and in the subgroup.
Proof proof_from_json(const std::string& text, const std::string& name);
// Public signals must be decimal integers; values ≥ r are reported as an
// error here (snarkjs's verifier rejects them too).
std::vector<Fr> public_from_json(const std::string& text, const std::string& name);
VerificationKey vkey_from_json(const std::string& text, const std::string& name);

Proof read_proof_json(const std::string& path);
std::vector<Fr> read_public_json(const std::string& path);
VerificationKey read_vkey_json(const std::string& path);
std::string read_text_file(const std::string& path);

}  // namespace zkacc::prover
