// libFuzzer target: the C ABI (prover.h, verifier.h, zkacc.h) on bytes from
// the fuzzer. The input's first bytes choose what it is:
//   "zkey..."  a proving key buffer: groth16_prover_create, then a proof of
//              the multiplier fixture's witness with it; zkacc_proving_key_
//              load_buffer and zkacc_prove likewise
//   "wtns..."  a witness buffer, proved with the fixture's key
//   "{..."     a proof JSON, verified against the fixture's public signals
//   "[..."     public signals JSON, verified with the fixture's proof
// The contract, for any bytes: a documented return code; on an error a
// NUL-terminated, non-empty message inside the buffer given; on a proof,
// the short-buffer protocol (sizes written back, then success) and output
// that groth16_verify accepts. No crash, no sanitizer report, no exception
// (one escaping an extern "C" function would terminate the process).
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "zkacc/capi/prover.h"
#include "zkacc/capi/verifier.h"
#include "zkacc/capi/zkacc.h"

namespace {

using zkacc::fuzz::require;

std::string fixture(const char* name) {
  std::ifstream in(std::string(ZKACC_FUZZ_FIXTURE_DIR) + "/" + name, std::ios::binary);
  require(static_cast<bool>(in), "the multiplier fixture is readable");
  return {std::istreambuf_iterator<char>(in), {}};
}

struct Fixture {
  std::string zkey = fixture("multiplier.zkey"), wtns = fixture("multiplier.wtns");
  std::string proof = fixture("proof.json"), pub = fixture("public.json"), vk = fixture("vk.json");
};
const Fixture& the_fixture() {
  static const Fixture f;
  return f;
}

// A small message buffer, so long messages are cut: the NUL must stay inside.
constexpr unsigned long long kMsgSize = 64;
struct Message {
  char text[kMsgSize + 1];
  Message() { std::memset(text, 'x', sizeof text); }
  void require_error(const char* what) const {
    require(std::memchr(text, '\0', kMsgSize) != nullptr, what);
    require(text[0] != '\0', what);
  }
};

// Proves with `prove(proof, proof_size, public, public_size, msg)` the way a
// careful caller does: first with no room (PROVER_ERROR_SHORT_BUFFER and the
// sizes back, or an error), then with room for any proof (groth16_proof_size)
// and the public signals' size asked for. A proof made with the fixture's key
// must verify against its verification key.
template <class Prove>
void prove_twice(Prove&& prove, bool fixture_key) {
  unsigned long long proof_size = 0, public_size = 0;
  char none[1] = {'x'};
  Message m;
  int rc = prove(none, &proof_size, none, &public_size, m.text);
  if (rc != PROVER_ERROR_SHORT_BUFFER) {
    require(rc == PROVER_ERROR || rc == PROVER_INVALID_WITNESS_LENGTH, "a documented code on short buffers");
    m.require_error("a message with the error");
    return;
  }
  require(proof_size > 0 && public_size > 0 && none[0] == 'x', "the needed sizes written back, nothing else");
  // The retry makes a new proof, whose decimals may be longer: the proof's
  // buffer is sized as prover.h says, by groth16_proof_size.
  unsigned long long proof_capacity = 0;
  groth16_proof_size(&proof_capacity);
  require(proof_size <= proof_capacity, "groth16_proof_size bounds every proof");
  proof_size = proof_capacity;
  std::vector<char> proof(proof_size), pub(public_size);
  Message m2;
  rc = prove(proof.data(), &proof_size, pub.data(), &public_size, m2.text);
  if (rc != PROVER_OK) {
    require(rc == PROVER_ERROR || rc == PROVER_INVALID_WITNESS_LENGTH, "a documented code");
    m2.require_error("a message with the error");
    return;
  }
  require(std::memchr(proof.data(), '\0', proof.size()) && std::memchr(pub.data(), '\0', pub.size()),
          "NUL-terminated outputs");
  if (fixture_key) {
    Message m3;
    const int v = groth16_verify(proof.data(), pub.data(), the_fixture().vk.c_str(), m3.text, kMsgSize);
    require(v == VERIFIER_VALID_PROOF, "a proof the ABI returned verifies");
  }
}

void fuzz_key(const std::string& zkey) {
  const Fixture& f = the_fixture();
  const bool is_fixture = zkey == f.zkey;
  void* prover = nullptr;
  Message m;
  const int rc = groth16_prover_create(&prover, zkey.data(), zkey.size(), m.text, kMsgSize);
  if (rc != PROVER_OK) {
    require(rc == PROVER_ERROR && prover == nullptr, "an error and no object");
    m.require_error("a message with the error");
  } else {
    prove_twice(
        [&](char* proof, unsigned long long* ps, char* pub, unsigned long long* us, char* msg) {
          return groth16_prover_prove(prover, f.wtns.data(), f.wtns.size(), proof, ps, pub, us, msg, kMsgSize);
        },
        is_fixture);
    groth16_prover_destroy(prover);
  }
  zkacc_proving_key* key = nullptr;
  Message m2;
  const int rc2 = zkacc_proving_key_load_buffer(zkey.data(), zkey.size(), &key, m2.text, kMsgSize);
  require(rc2 == rc, "both interfaces accept the same keys");
  if (rc2 != ZKACC_OK) {
    m2.require_error("a message with the error");
    return;
  }
  prove_twice(
      [&](char* proof, unsigned long long* ps, char* pub, unsigned long long* us, char* msg) {
        return zkacc_prove(key, f.wtns.data(), f.wtns.size(), "cpu", nullptr, proof, ps, pub, us, msg, kMsgSize);
      },
      is_fixture);
  zkacc_proving_key_free(key);
}

void fuzz_witness(const std::string& wtns) {
  const Fixture& f = the_fixture();
  static void* const prover = [&] {
    void* p = nullptr;
    Message m;
    require(groth16_prover_create(&p, f.zkey.data(), f.zkey.size(), m.text, kMsgSize) == PROVER_OK,
            "the fixture's key loads");
    return p;
  }();
  prove_twice(
      [&](char* proof, unsigned long long* ps, char* pub, unsigned long long* us, char* msg) {
        return groth16_prover_prove(prover, wtns.data(), wtns.size(), proof, ps, pub, us, msg, kMsgSize);
      },
      true);
}

void fuzz_verify(const std::string& proof, const std::string& pub) {
  Message m;
  const int v = groth16_verify(proof.c_str(), pub.c_str(), the_fixture().vk.c_str(), m.text, kMsgSize);
  require(v == VERIFIER_VALID_PROOF || v == VERIFIER_INVALID_PROOF || v == VERIFIER_ERROR, "a documented code");
  if (v == VERIFIER_ERROR) m.require_error("a message with the error");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.starts_with("zkey")) {
    fuzz_key(bytes);
  } else if (bytes.starts_with("wtns")) {
    fuzz_witness(bytes);
  } else if (bytes.starts_with("{")) {
    fuzz_verify(std::string(bytes.c_str()), the_fixture().pub);  // up to a NUL, as a C caller passes it
  } else if (bytes.starts_with("[")) {
    fuzz_verify(the_fixture().proof, std::string(bytes.c_str()));
  }
  return 0;
}
