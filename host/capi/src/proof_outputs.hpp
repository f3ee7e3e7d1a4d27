// The proving functions' shared half: the inputs read from caller buffers
// and the proof and public signals written under prover.h's buffer contract.
// Used by rapidsnark's interface (prover.cpp) and zkacc's own (zkacc_api.cpp).
#pragma once

#include <cstdint>
#include <span>

#include "boundary.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/prover/engine.hpp"
#include "zkacc/prover/zkey.hpp"

namespace zkacc::capi {

// Names of the in-memory inputs in messages, where a file would give its name.
inline constexpr const char* kZkeyBufferName = "zkey buffer";
inline constexpr const char* kWtnsBufferName = "wtns buffer";

inline std::span<const std::uint8_t> bytes_of(const void* data, unsigned long long size) {
  return {static_cast<const std::uint8_t*>(data), static_cast<std::size_t>(size)};
}

// The four output arguments of the proving functions.
struct Outputs {
  char* proof_buffer;
  unsigned long long* proof_size;
  char* public_buffer;
  unsigned long long* public_size;

  void require_non_null() const {
    capi::require_non_null(proof_buffer, "proof_buffer");
    capi::require_non_null(proof_size, "proof_size");
    capi::require_non_null(public_buffer, "public_buffer");
    capi::require_non_null(public_size, "public_size");
  }
};

// Proves and writes the two strings under rapidsnark's buffer contract
// (prover.h): lengths back on success; on a short buffer nothing written and
// the needed capacities, NUL included, back in both sizes.
// With `engine` the proof's MSMs and NTTs run on it (a runtime backend set);
// without, on `pool`'s CPU engine. Returns PROVER_OK, PROVER_ERROR_SHORT_BUFFER,
// or throws (PROVER_INVALID_WITNESS_LENGTH as a CodedError).
int prove_into(const prover::Groth16Zkey& zkey, std::span<const std::uint8_t> wtns, prover::ProverEngine* engine,
               ThreadPool& pool, const Outputs& out, char* error_msg, unsigned long long error_msg_maxsize);

}  // namespace zkacc::capi
