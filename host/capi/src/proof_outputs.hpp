// What the C ABI's functions share on the way out: the caller's output
// buffers written under prover.h's buffer contract, and proofs as
// rapidsnark's two strings. Used by rapidsnark's interface (prover.cpp) and
// zkacc's own (zkacc_api.cpp, model_api.cpp).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "boundary.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/prover/engine.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"

namespace zkacc::capi {

// Names of the in-memory inputs in messages, where a file would give its name.
inline constexpr const char* kZkeyBufferName = "zkey buffer";
inline constexpr const char* kWtnsBufferName = "wtns buffer";

inline std::span<const std::uint8_t> bytes_of(const void* data, unsigned long long size) {
  return {static_cast<const std::uint8_t*>(data), static_cast<std::size_t>(size)};
}

// One output of a call: the arguments <stem>_buffer and <stem>_size, the
// size holding the buffer's capacity on entry. A text is a NUL-terminated
// string (its NUL counted in the capacity, not in the length written back);
// otherwise bytes.
struct OutputBuffer {
  const char* stem;  // "proof": the arguments proof_buffer and proof_size
  const char* what;  // in messages: "the proof"
  void* buffer;
  unsigned long long* size;
  bool text = true;
};

// Throws "<stem>_buffer is NULL" / "<stem>_size is NULL".
void require_non_null(std::initializer_list<OutputBuffer> outs);

// prover.h's buffer contract over several outputs, data[i] going to outs[i]:
// if every one fits, all are written and the sizes hold their lengths
// (ZKACC_OK); else nothing is written, every size holds the capacity its
// output needs (a text's NUL included) and the message says which was short
// (ZKACC_ERROR_SHORT_BUFFER, prover.h's PROVER_ERROR_SHORT_BUFFER).
int write_outputs(std::initializer_list<OutputBuffer> outs, std::initializer_list<std::string_view> data,
                  char* error_msg, unsigned long long error_msg_maxsize);

// The four output arguments of the proving functions.
struct Outputs {
  char* proof_buffer;
  unsigned long long* proof_size;
  char* public_buffer;
  unsigned long long* public_size;

  OutputBuffer proof() const { return {"proof", "the proof", proof_buffer, proof_size}; }
  OutputBuffer public_signals() const { return {"public", "the public signals", public_buffer, public_size}; }
  void require_non_null() const { capi::require_non_null({proof(), public_signals()}); }
};

// A proving key from a caller's buffer or from a file, read and checked on
// worker threads of its own (every interface that takes a key).
prover::Groth16Zkey read_key(const void* zkey, unsigned long long zkey_size);
prover::Groth16Zkey read_key(const char* zkey_path);

// A caller's .wtns, which must have the key's nVars values
// (PROVER_INVALID_WITNESS_LENGTH as a CodedError otherwise).
prover::Witness read_witness(const prover::Groth16Zkey& zkey, std::span<const std::uint8_t> wtns);

// A proof of the witness, verified, as rapidsnark's strings. With `engine`
// its MSMs and NTTs run on it (a runtime backend set); without, on `pool`'s
// CPU engine. `options` as prover::prove's (the key's H tables).
struct ProofTexts {
  std::string proof, public_signals;
};
ProofTexts prove_texts(const prover::Groth16Zkey& zkey, const prover::Witness& witness, prover::ProverEngine* engine,
                       ThreadPool& pool, const prover::ProveOptions& options = {});

// read_witness, prove_texts and write_outputs: returns PROVER_OK,
// PROVER_ERROR_SHORT_BUFFER, or throws.
int prove_into(const prover::Groth16Zkey& zkey, std::span<const std::uint8_t> wtns, prover::ProverEngine* engine,
               ThreadPool& pool, const Outputs& out, char* error_msg, unsigned long long error_msg_maxsize);

}  // namespace zkacc::capi
