// Groth16 prove/verify against snarkjs's key, proof and verification key.
#include <catch2/catch.hpp>

#include "prover/fixtures.hpp"
#include "support/test_rng.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"

using namespace zkacc;
using namespace zkacc::prover;
using zkacc::test::multiplier_path;

TEST_CASE("verify: snarkjs's proof is accepted, tampered ones are not", "[prover][groth16]") {
  const VerificationKey vk = read_vkey_json(multiplier_path("vk.json"));
  const Proof proof = read_proof_json(multiplier_path("proof.json"));
  std::vector<Fr> pub = read_public_json(multiplier_path("public.json"));
  CHECK(verify(vk, pub, proof));

  auto bad_pub = pub;
  bad_pub[0] += Fr::one();
  CHECK_FALSE(verify(vk, bad_pub, proof));
  Proof bad = proof;
  bad.a = -bad.a;
  CHECK_FALSE(verify(vk, pub, bad));
  bad = proof;
  bad.c = (bad.c.to_jacobian() + G1Jacobian::generator()).to_affine();
  CHECK_FALSE(verify(vk, pub, bad));
  bad = proof;
  bad.b = (bad.b.to_jacobian().dbl()).to_affine();
  CHECK_FALSE(verify(vk, pub, bad));
  CHECK_THROWS_WITH(verify(vk, std::span<const Fr>(pub).first(1), proof), Catch::Contains("expects 2 public inputs"));
}

TEST_CASE("prove: proofs verify, depend only on (r, s), not on the thread count", "[prover][groth16]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(0x9701);
  ThreadPool pool1(1), pool2(2);
  const Groth16Zkey zkey = read_zkey(multiplier_path("multiplier.zkey"), pool2);
  const Witness w = read_wtns(multiplier_path("multiplier.wtns"));
  const VerificationKey vk = read_vkey_json(multiplier_path("vk.json"));
  const auto pub = public_signals(zkey, w.values);
  CHECK(public_to_json(pub) == read_text_file(multiplier_path("public.json")));

  for (int iter = 0; iter < 3; ++iter) {
    const ProofRandomness rs{Fr::random(rng), Fr::random(rng)};
    PhaseTimings t;
    const Proof p1 = prove(zkey, w.values, rs, pool1, {}, &t);
    const Proof p2 = prove(zkey, w.values, rs, pool2);
    CHECK(p1.a == p2.a);
    CHECK(p1.b == p2.b);
    CHECK(p1.c == p2.c);
    CHECK(verify(vk, pub, p1));
    CHECK(t.phases().size() >= 8);
  }
  // r = s = 0 is still a valid (unblinded) proof.
  CHECK(verify(vk, pub, prove(zkey, w.values, {Fr::zero(), Fr::zero()}, pool2)));
  // Fresh randomness gives a different, valid proof.
  const Proof q1 = prove(zkey, w.values, ProofRandomness::random(), pool2);
  const Proof q2 = prove(zkey, w.values, ProofRandomness::random(), pool2);
  CHECK_FALSE(q1.a == q2.a);
}

TEST_CASE("prove: a witness that does not satisfy the circuit is refused", "[prover][groth16]") {
  ThreadPool pool(2);
  const Groth16Zkey zkey = read_zkey(multiplier_path("multiplier.zkey"), pool);
  Witness w = read_wtns(multiplier_path("multiplier.wtns"));
  w.values[5] = (w[5] + Fr::one()).to_canonical();  // an internal wire
  CHECK_THROWS_WITH(prove(zkey, w.values, ProofRandomness::random(), pool),
                    Catch::Contains("does not verify") && Catch::Contains("witness does not satisfy"));
  ProveOptions no_check;
  no_check.verify = false;
  const Proof p = prove(zkey, w.values, ProofRandomness::random(), pool, no_check);
  CHECK_FALSE(verify(VerificationKey::from_zkey(zkey), public_signals(zkey, w.values), p));
}

TEST_CASE("prove: witness length must match the key", "[prover][groth16]") {
  ThreadPool pool(2);
  const Groth16Zkey zkey = read_zkey(multiplier_path("multiplier.zkey"), pool);
  Witness w = read_wtns(multiplier_path("multiplier.wtns"));
  w.values.push_back({});
  CHECK_THROWS_WITH(prove(zkey, w.values, ProofRandomness::random(), pool),
                    Catch::Contains("witness has 9 values") && Catch::Contains("expects 8"));
}

TEST_CASE("prove: a key read in parts needs an engine that adds the parts", "[prover][groth16]") {
  // An engine of one process sees only this part's points: proving with it
  // would be a wrong proof, so prove() refuses before any work.
  ThreadPool pool(2);
  const Groth16Zkey part = read_zkey(multiplier_path("multiplier.zkey"), pool, ZkeyPart{1, 2});
  const Witness w = read_wtns(multiplier_path("multiplier.wtns"));
  CHECK_THROWS_WITH(prove(part, w.values, ProofRandomness::random(), pool),
                    Catch::Contains("part 2 of 2") && Catch::Contains("the whole key"));
}

TEST_CASE("prove: fixed-base H tables give the same proof, and only for their key", "[prover][groth16]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(0x9702);
  ThreadPool pool(2);
  const Groth16Zkey zkey = read_zkey(multiplier_path("multiplier.zkey"), pool);
  const Witness w = read_wtns(multiplier_path("multiplier.wtns"));
  const VerificationKey vk = read_vkey_json(multiplier_path("vk.json"));
  const ProofRandomness rs{Fr::random(rng), Fr::random(rng)};
  const Proof plain = prove(zkey, w.values, rs, pool);
  // No copies, some, and one per window.
  for (std::size_t budget : {std::size_t(0), 4 * zkey.h.size() * sizeof(G1Affine), std::size_t(1) << 30}) {
    const auto tables = make_h_tables(zkey, budget, pool);
    ProveOptions with;
    with.h_tables = &tables;
    const Proof p = prove(zkey, w.values, rs, pool, with);
    INFO("budget " << budget << ": " << tables.layout().shifts << " copies");
    CHECK(p.a == plain.a);
    CHECK(p.b == plain.b);
    CHECK(p.c == plain.c);
    CHECK(verify(vk, public_signals(zkey, w.values), p));
  }
  Groth16Zkey other = zkey;
  other.h[1] = (other.h[1].to_jacobian() + G1Jacobian::generator()).to_affine();
  const auto wrong = make_h_tables(other, std::size_t(1) << 30, pool);
  ProveOptions with_wrong;
  with_wrong.h_tables = &wrong;
  CHECK_THROWS_WITH(prove(zkey, w.values, rs, pool, with_wrong), Catch::Contains("other H points"));
}
