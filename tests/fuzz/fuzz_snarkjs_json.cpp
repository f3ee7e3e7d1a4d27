// libFuzzer target: snarkjs's JSON files — proof, public signals and
// verification key (prover/snarkjs_json.hpp). A parsed value written back
// and read again must be the same value.
#include "fuzz_support.hpp"
#include "zkacc/prover/snarkjs_json.hpp"

using namespace zkacc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(fuzz::as_text(data, size));
  fuzz::expect_value_or_error([&] {
    const prover::Proof p = prover::proof_from_json(text, "proof.json");
    const prover::Proof q = prover::proof_from_json(prover::proof_to_json(p), "again");
    fuzz::require(p.a == q.a && p.b == q.b && p.c == q.c, "proof round trip");
  });
  fuzz::expect_value_or_error([&] {
    const std::vector<Fr> s = prover::public_from_json(text, "public.json");
    fuzz::require(prover::public_from_json(prover::public_to_json(s), "again") == s, "public round trip");
  });
  fuzz::expect_value_or_error([&] {
    const prover::VerificationKey vk = prover::vkey_from_json(text, "verification_key.json");
    fuzz::require(prover::vkey_to_json(prover::vkey_from_json(prover::vkey_to_json(vk), "again")) ==
                      prover::vkey_to_json(vk),
                  "verification key round trip");
  });
  return 0;
}
