#include "proof_outputs.hpp"

#include <cstring>
#include <string>

#include "rapidsnark_json.hpp"
#include "zkacc/capi/prover.h"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/wtns.hpp"

namespace zkacc::capi {

int prove_into(const prover::Groth16Zkey& zkey, std::span<const std::uint8_t> wtns, prover::ProverEngine* engine,
               ThreadPool& pool, const Outputs& out, char* error_msg, unsigned long long error_msg_maxsize) {
  const prover::Witness witness = prover::read_wtns(wtns, kWtnsBufferName);
  if (witness.size() != zkey.n_vars)
    throw CodedError(PROVER_INVALID_WITNESS_LENGTH,
                     std::string(kWtnsBufferName) + ": has " + std::to_string(witness.size()) +
                         " values, the proving key expects nVars = " + std::to_string(zkey.n_vars));
  const prover::Proof proof =
      engine ? prover::prove(zkey, witness.values, prover::ProofRandomness::random(), *engine)
             : prover::prove(zkey, witness.values, prover::ProofRandomness::random(), pool);
  const std::string proof_text = proof_json(proof);
  const std::string public_text = public_json(prover::public_signals(zkey, witness.values));

  const unsigned long long need_proof = proof_text.size() + 1, need_public = public_text.size() + 1;
  if (*out.proof_size < need_proof || *out.public_size < need_public) {
    copy_message(error_msg, error_msg_maxsize,
                 "buffers too small: the proof needs " + std::to_string(need_proof) + " bytes (" +
                     std::to_string(*out.proof_size) + " given), the public signals " + std::to_string(need_public) +
                     " (" + std::to_string(*out.public_size) + " given)");
    *out.proof_size = need_proof;
    *out.public_size = need_public;
    return PROVER_ERROR_SHORT_BUFFER;
  }
  std::memcpy(out.proof_buffer, proof_text.c_str(), need_proof);
  std::memcpy(out.public_buffer, public_text.c_str(), need_public);
  *out.proof_size = proof_text.size();
  *out.public_size = public_text.size();
  return PROVER_OK;
}


}  // namespace zkacc::capi
