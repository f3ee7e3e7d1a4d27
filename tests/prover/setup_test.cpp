// zkacc setup against snarkjs: with δ = 1 (no contribution) the key must be
// the one `snarkjs groth16 setup` made from the same circuit and .ptau.
#include <catch2/catch.hpp>

#include "prover/fixtures.hpp"
#include "support/test_rng.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/setup.hpp"
#include "zkacc/prover/wtns.hpp"

using namespace zkacc;
using namespace zkacc::prover;
using zkacc::test::multiplier_path;

TEST_CASE("setup: with delta = 1 the key equals snarkjs groth16 setup's", "[prover][setup]") {
  ThreadPool pool(2);
  const R1cs r1cs = read_r1cs(multiplier_path("multiplier.r1cs"));
  const Ptau ptau(zkacc::test::prover_data_path("pot4.ptau"));
  const Groth16Zkey ours = groth16_setup(r1cs, ptau, Fr::one(), pool);
  const Groth16Zkey theirs = read_zkey(multiplier_path("multiplier_pot4_initial.zkey"), pool);
  CHECK(ours.n_vars == theirs.n_vars);
  CHECK(ours.n_public == theirs.n_public);
  CHECK(ours.domain_size == theirs.domain_size);
  CHECK(ours.alpha1 == theirs.alpha1);
  CHECK(ours.beta1 == theirs.beta1);
  CHECK(ours.beta2 == theirs.beta2);
  CHECK(ours.gamma2 == theirs.gamma2);
  CHECK(ours.delta1 == theirs.delta1);
  CHECK(ours.delta2 == theirs.delta2);
  CHECK(ours.ic == theirs.ic);
  CHECK(ours.a == theirs.a);
  CHECK(ours.b1 == theirs.b1);
  CHECK(ours.b2 == theirs.b2);
  CHECK(ours.c == theirs.c);
  CHECK(ours.h == theirs.h);
  REQUIRE(ours.coeffs.size() == theirs.coeffs.size());
  for (std::size_t i = 0; i < ours.coeffs.size(); ++i) {
    CHECK(ours.coeffs[i].matrix == theirs.coeffs[i].matrix);
    CHECK(ours.coeffs[i].constraint == theirs.coeffs[i].constraint);
    CHECK(ours.coeffs[i].signal == theirs.coeffs[i].signal);
    CHECK(ours.coeffs[i].stored == theirs.coeffs[i].stored);
  }
}

TEST_CASE("setup: a random contribution gives a key that proves and verifies", "[prover][setup]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(0x5e7);
  ThreadPool pool(2);
  const R1cs r1cs = read_r1cs(multiplier_path("multiplier.r1cs"));
  const Ptau ptau(zkacc::test::prover_data_path("pot4.ptau"));
  const Groth16Zkey key = groth16_setup(r1cs, ptau, Fr::random(rng), pool);
  zkacc::test::ScratchDir dir;
  write_zkey(dir.file("k.zkey"), key);
  const Groth16Zkey back = read_zkey(dir.file("k.zkey"), pool);
  const Witness w = read_wtns(multiplier_path("multiplier.wtns"));
  const Proof p = prove(back, w.values, {Fr::random(rng), Fr::random(rng)}, pool);
  CHECK(verify(VerificationKey::from_zkey(back), public_signals(back, w.values), p));
}

TEST_CASE("setup: a .ptau too small for the circuit is refused", "[prover][setup]") {
  ThreadPool pool(1);
  R1cs r1cs;
  r1cs.n_wires = 2;
  const std::vector<R1csTerm> one = {{1, Fr::one()}};
  for (int i = 0; i < 20; ++i) r1cs.add_constraint(one, one, one);
  const Ptau ptau(zkacc::test::prover_data_path("pot4.ptau"));
  CHECK_THROWS_WITH(groth16_setup(r1cs, ptau, Fr::one(), pool), Catch::Contains("pot4.ptau") && Catch::Contains("too few"));
}

TEST_CASE("setup: the largest circuit is 2^27 - 1 constraints and public inputs", "[prover][setup][limits]") {
  // The prover evaluates on a coset of twice the domain, and BN254's Fr has
  // roots of unity up to order 2^28: the domain stops at 2^27.
  R1cs r1cs;
  r1cs.n_wires = 3;
  r1cs.n_pub_out = 1;
  r1cs.n_constraints = (std::uint32_t(1) << 27) - 2;  // + 1 public = 2^27 - 1 rows
  CHECK(setup_domain_size(r1cs) == (std::uint32_t(1) << 27));
  r1cs.n_constraints += 1;
  CHECK_THROWS_WITH(setup_domain_size(r1cs), Catch::Contains("134217728 constraints and public inputs") &&
                                                 Catch::Contains("too large"));
}
