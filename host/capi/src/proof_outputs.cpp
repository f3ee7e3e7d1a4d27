#include "proof_outputs.hpp"

#include <cstring>
#include <string>
#include <vector>

#include "rapidsnark_json.hpp"
#include "zkacc/capi/prover.h"
#include "zkacc/prover/groth16.hpp"

namespace zkacc::capi {

void require_non_null(std::initializer_list<OutputBuffer> outs) {
  for (const OutputBuffer& o : outs) {
    if (!o.buffer) throw Error(std::string(o.stem) + "_buffer is NULL");
    if (!o.size) throw Error(std::string(o.stem) + "_size is NULL");
  }
}

int write_outputs(std::initializer_list<OutputBuffer> outs, std::initializer_list<std::string_view> data,
                  char* error_msg, unsigned long long error_msg_maxsize) {
  if (outs.size() != data.size()) throw Error("internal error: write_outputs with " + std::to_string(outs.size()) +
                                              " buffers for " + std::to_string(data.size()) + " outputs");
  std::vector<unsigned long long> need;
  bool fits = true;
  const std::string_view* d = data.begin();
  for (const OutputBuffer& o : outs) {
    need.push_back(d++->size() + (o.text ? 1 : 0));
    fits = fits && *o.size >= need.back();
  }
  if (!fits) {
    // "buffers too small: the proof needs 712 bytes (8 given), the public signals 10 (8 given)"
    std::string msg = outs.size() == 1 ? "buffer too small:" : "buffers too small:";
    std::size_t i = 0;
    for (const OutputBuffer& o : outs) {
      msg += std::string(i == 0 ? " " : ", ") + o.what + (i == 0 ? " needs " : " ") + std::to_string(need[i]) +
             (i == 0 ? " bytes (" : " (") + std::to_string(*o.size) + " given)";
      *o.size = need[i++];
    }
    copy_message(error_msg, error_msg_maxsize, msg);
    return PROVER_ERROR_SHORT_BUFFER;
  }
  d = data.begin();
  for (const OutputBuffer& o : outs) {
    std::memcpy(o.buffer, d->data(), d->size());
    if (o.text) static_cast<char*>(o.buffer)[d->size()] = '\0';
    *o.size = d++->size();
  }
  return PROVER_OK;
}

prover::Groth16Zkey read_key(const void* zkey, unsigned long long zkey_size) {
  ThreadPool pool;
  return prover::read_zkey(bytes_of(zkey, zkey_size), kZkeyBufferName, pool);
}

prover::Groth16Zkey read_key(const char* zkey_path) {
  ThreadPool pool;
  return prover::read_zkey(zkey_path, pool);
}

prover::Witness read_witness(const prover::Groth16Zkey& zkey, std::span<const std::uint8_t> wtns) {
  prover::Witness witness = prover::read_wtns(wtns, kWtnsBufferName);
  if (witness.size() != zkey.n_vars)
    throw CodedError(PROVER_INVALID_WITNESS_LENGTH,
                     std::string(kWtnsBufferName) + ": has " + std::to_string(witness.size()) +
                         " values, the proving key expects nVars = " + std::to_string(zkey.n_vars));
  return witness;
}

ProofTexts prove_texts(const prover::Groth16Zkey& zkey, const prover::Witness& witness, prover::ProverEngine* engine,
                       ThreadPool& pool, const prover::ProveOptions& options) {
  const prover::Proof proof =
      engine ? prover::prove(zkey, witness.values, prover::ProofRandomness::random(), *engine, options)
             : prover::prove(zkey, witness.values, prover::ProofRandomness::random(), pool, options);
  return {proof_json(proof), public_json(prover::public_signals(zkey, witness.values))};
}

int prove_into(const prover::Groth16Zkey& zkey, std::span<const std::uint8_t> wtns, prover::ProverEngine* engine,
               ThreadPool& pool, const Outputs& out, char* error_msg, unsigned long long error_msg_maxsize) {
  const ProofTexts texts = prove_texts(zkey, read_witness(zkey, wtns), engine, pool);
  return write_outputs({out.proof(), out.public_signals()}, {texts.proof, texts.public_signals}, error_msg,
                       error_msg_maxsize);
}

}  // namespace zkacc::capi
