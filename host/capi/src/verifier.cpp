// rapidsnark's verifier.h on zkacc's snarkjs JSON readers and Groth16
// verifier. Nothing is shared between calls.
#include "zkacc/capi/verifier.h"

#include <string>

#include "boundary.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/snarkjs_json.hpp"

using namespace zkacc;
using namespace zkacc::capi;

int groth16_verify(const char* proof, const char* inputs, const char* verification_key, char* error_msg,
                   unsigned long error_msg_maxsize) {
  return call_guarded(VERIFIER_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(proof, "proof");
    require_non_null(inputs, "inputs");
    require_non_null(verification_key, "verification_key");
    const prover::Proof p = prover::proof_from_json(proof, "proof");
    const std::vector<Fr> signals = prover::public_from_json(inputs, "inputs");
    const prover::VerificationKey vk = prover::vkey_from_json(verification_key, "verification_key");
    if (signals.size() != vk.n_public)
      throw Error("inputs: has " + std::to_string(signals.size()) + " public signals, the verification key expects " +
                  std::to_string(vk.n_public));
    return prover::verify(vk, signals, p) ? VERIFIER_VALID_PROOF : VERIFIER_INVALID_PROOF;
  });
}
