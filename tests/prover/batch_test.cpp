// prover::BatchLayout: copies of one circuit as one circuit. The wire
// layout keeps circom's (outputs of every copy, then inputs of every copy,
// then each copy's private wires), the joined witness satisfies the batch
// and a Groth16 proof of it verifies against the public signals in that
// order, and only in that order.
#include <catch2/catch.hpp>

#include "prover/fixtures.hpp"
#include "support/test_rng.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/prover/batch.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/setup.hpp"

using namespace zkacc;
using namespace zkacc::prover;

namespace {

// out = in³: wires [1, out, in, in²]; one public output, one public input.
R1cs cube() {
  R1cs r;
  r.n_wires = 4;
  r.n_pub_out = 1;
  r.n_pub_in = 1;
  r.n_labels = 4;
  const R1csTerm in{2, Fr::one()}, sq{3, Fr::one()}, out{1, Fr::one()};
  r.add_constraint(std::span(&in, 1), std::span(&in, 1), std::span(&sq, 1));
  r.add_constraint(std::span(&sq, 1), std::span(&in, 1), std::span(&out, 1));
  r.n_constraints = 2;
  return r;
}

Witness cube_witness(std::uint64_t x) {
  Witness w;
  for (std::uint64_t v : {std::uint64_t(1), x * x * x, x, x * x}) w.values.push_back(Fr::from_u64(v).to_canonical());
  return w;
}

}  // namespace

TEST_CASE("batch: copies keep circom's wire layout and satisfy the joined witness", "[prover][batch]") {
  const R1cs one = cube();
  const BatchLayout layout(one, 3);
  CHECK(layout.n_wires() == 1 + 3 * 3);
  // outputs of copies 0, 1, 2; inputs of copies 0, 1, 2; then the private wires copy by copy
  CHECK(layout.wire(0, 0) == 0);
  CHECK(layout.wire(1, 0) == 0);
  CHECK(layout.wire(0, 1) == 1);
  CHECK(layout.wire(2, 1) == 3);
  CHECK(layout.wire(0, 2) == 4);
  CHECK(layout.wire(2, 2) == 6);
  CHECK(layout.wire(0, 3) == 7);
  CHECK(layout.wire(2, 3) == 9);
  const R1cs r = layout.r1cs(one);
  CHECK(r.n_constraints == 6);
  CHECK(r.n_pub_out == 3);
  CHECK(r.n_pub_in == 3);
  const std::vector<Witness> ws{cube_witness(2), cube_witness(3), cube_witness(5)};
  const Witness w = layout.witness(ws);
  std::vector<Fr> f = w.to_field();
  REQUIRE_NOTHROW(check_witness(r, f, "batch"));
  CHECK(f[1] == Fr::from_u64(8));
  CHECK(f[3] == Fr::from_u64(125));
  CHECK(f[5] == Fr::from_u64(3));
  // Every wire but the constant is constrained in its own copy.
  for (std::size_t i = 1; i < f.size(); ++i) {
    std::vector<Fr> bad = f;
    bad[i] += Fr::one();
    CHECK_THROWS_AS(check_witness(r, bad, "batch"), Error);
  }
}

TEST_CASE("batch: one Groth16 proof covers every copy, public signals in batch order", "[prover][batch]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(0xba7c);
  ThreadPool pool(2);
  const R1cs one = cube();
  const BatchLayout layout(one, 2);
  const R1cs r = layout.r1cs(one);
  const Groth16Zkey key = groth16_setup(r, Ptau(zkacc::test::prover_data_path("pot4.ptau")), Fr::random(rng), pool);
  const std::vector<Witness> ws{cube_witness(2), cube_witness(3)};
  const Witness w = layout.witness(ws);
  const Proof p = prove(key, w.values, {Fr::random(rng), Fr::random(rng)}, pool);
  const VerificationKey vk = VerificationKey::from_zkey(key);
  const std::vector<Fr> pub = public_signals(key, w.values);
  REQUIRE(pub == std::vector<Fr>{Fr::from_u64(8), Fr::from_u64(27), Fr::from_u64(2), Fr::from_u64(3)});
  CHECK(verify(vk, pub, p));
  // The instances swapped, or one claim changed: rejected.
  const std::vector<Fr> swapped{Fr::from_u64(27), Fr::from_u64(8), Fr::from_u64(3), Fr::from_u64(2)};
  const std::vector<Fr> changed{Fr::from_u64(8), Fr::from_u64(28), Fr::from_u64(2), Fr::from_u64(3)};
  CHECK_FALSE(verify(vk, swapped, p));
  CHECK_FALSE(verify(vk, changed, p));
}

TEST_CASE("batch: an empty batch, or one beyond 2^32 wires, is an error", "[prover][batch][bad-input]") {
  const R1cs one = cube();
  CHECK_THROWS_WITH(BatchLayout(one, 0), Catch::Contains("at least one instance"));
  CHECK_THROWS_WITH(BatchLayout(one, 1u << 31), Catch::Contains("more than 2^32 wires"));
  const BatchLayout two(one, 2);
  const std::vector<Witness> only_one{cube_witness(2)};
  CHECK_THROWS_AS(two.witness(only_one), Error);
}
