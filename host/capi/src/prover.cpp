// rapidsnark's prover.h on zkacc's Groth16 prover (host/include/zkacc/prover).
// Each call makes its own ThreadPool, as `zkacc prove` does, and proves on
// the CPU engine: calls share nothing but a prover object's key, which they
// only read.
#include "zkacc/capi/prover.h"

#include <cstdint>
#include <cstring>
#include <span>
#include <string>

#include "boundary.hpp"
#include "proof_outputs.hpp"
#include "rapidsnark_json.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"

namespace zkacc::capi {
namespace {

// What groth16_prover_create returns behind its void*: a checked key, not
// changed after construction.
struct ProverObject {
  prover::Groth16Zkey zkey;
};

// The proving functions' common half, once the key argument is checked:
// the witness and outputs checked, then the key (`key()`: the object's, or
// one read for this call) proved with on this call's worker threads.
template <class Key>
int prove_with(Key&& key, const void* wtns_buffer, unsigned long long wtns_size, const Outputs& out, char* error_msg,
               unsigned long long error_msg_maxsize) {
  require_non_null(wtns_buffer, "wtns_buffer");
  out.require_non_null();
  ThreadPool pool;
  return prove_into(key(), bytes_of(wtns_buffer, wtns_size), nullptr, pool, out, error_msg, error_msg_maxsize);
}

}  // namespace
}  // namespace zkacc::capi

using namespace zkacc;
using namespace zkacc::capi;

int groth16_public_size_for_zkey_buf(const void* zkey_buffer, unsigned long long zkey_size,
                                     unsigned long long* public_size, char* error_msg,
                                     unsigned long long error_msg_maxsize) {
  return call_guarded(PROVER_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(zkey_buffer, "zkey_buffer");
    require_non_null(public_size, "public_size");
    const auto header = prover::read_zkey_header(bytes_of(zkey_buffer, zkey_size), kZkeyBufferName);
    *public_size = public_json_capacity(header.n_public);
    return PROVER_OK;
  });
}

int groth16_public_size_for_zkey_file(const char* zkey_fname, unsigned long long* public_size, char* error_msg,
                                      unsigned long long error_msg_maxsize) {
  return call_guarded(PROVER_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(zkey_fname, "zkey_fname");
    require_non_null(public_size, "public_size");
    *public_size = public_json_capacity(prover::read_zkey_header(zkey_fname).n_public);
    return PROVER_OK;
  });
}

void groth16_proof_size(unsigned long long* proof_size) {
  if (proof_size) *proof_size = kProofJsonCapacity;
}

int groth16_prover_create(void** prover_object, const void* zkey_buffer, unsigned long long zkey_size,
                          char* error_msg, unsigned long long error_msg_maxsize) {
  return call_guarded(PROVER_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(prover_object, "prover_object");
    require_non_null(zkey_buffer, "zkey_buffer");
    *prover_object = new ProverObject{read_key(zkey_buffer, zkey_size)};
    return PROVER_OK;
  });
}

int groth16_prover_create_zkey_file(void** prover_object, const char* zkey_file_path, char* error_msg,
                                    unsigned long long error_msg_maxsize) {
  return call_guarded(PROVER_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(prover_object, "prover_object");
    require_non_null(zkey_file_path, "zkey_file_path");
    *prover_object = new ProverObject{read_key(zkey_file_path)};
    return PROVER_OK;
  });
}

int groth16_prover_prove(void* prover_object, const void* wtns_buffer, unsigned long long wtns_size,
                         char* proof_buffer, unsigned long long* proof_size, char* public_buffer,
                         unsigned long long* public_size, char* error_msg, unsigned long long error_msg_maxsize) {
  return call_guarded(PROVER_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(prover_object, "prover_object");
    const auto* object = static_cast<const ProverObject*>(prover_object);
    return prove_with([&]() -> const prover::Groth16Zkey& { return object->zkey; }, wtns_buffer, wtns_size,
                      {proof_buffer, proof_size, public_buffer, public_size}, error_msg, error_msg_maxsize);
  });
}

void groth16_prover_destroy(void* prover_object) { delete static_cast<ProverObject*>(prover_object); }

int groth16_prover(const void* zkey_buffer, unsigned long long zkey_size, const void* wtns_buffer,
                   unsigned long long wtns_size, char* proof_buffer, unsigned long long* proof_size,
                   char* public_buffer, unsigned long long* public_size, char* error_msg,
                   unsigned long long error_msg_maxsize) {
  return call_guarded(PROVER_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(zkey_buffer, "zkey_buffer");
    return prove_with([&] { return read_key(zkey_buffer, zkey_size); }, wtns_buffer, wtns_size,
                      {proof_buffer, proof_size, public_buffer, public_size}, error_msg, error_msg_maxsize);
  });
}

int groth16_prover_zkey_file(const char* zkey_file_path, const void* wtns_buffer, unsigned long long wtns_size,
                             char* proof_buffer, unsigned long long* proof_size, char* public_buffer,
                             unsigned long long* public_size, char* error_msg, unsigned long long error_msg_maxsize) {
  return call_guarded(PROVER_ERROR, error_msg, error_msg_maxsize, [&] {
    require_non_null(zkey_file_path, "zkey_file_path");
    return prove_with([&] { return read_key(zkey_file_path); }, wtns_buffer, wtns_size,
                      {proof_buffer, proof_size, public_buffer, public_size}, error_msg, error_msg_maxsize);
  });
}
