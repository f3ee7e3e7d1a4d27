// FieldR1cs and FieldLc: combinations merge terms per wire and drop the
// ones that cancel; constraints are checked over Fr, refuse wires that do
// not exist yet, and extend only the circuit they were numbered after.
#include <catch2/catch.hpp>

#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/zkml/field_r1cs.hpp"

using namespace zkacc;
using namespace zkacc::zkml;
using Catch::Contains;

TEST_CASE("field lc: one term per wire, in wire order, cancelled terms dropped", "[zkml][field_r1cs]") {
  const Fr two = Fr::from_u64(2), three = Fr::from_u64(3);
  FieldLc a = FieldLc::wire(5, two);
  a.add(1, three).add_constant(Fr::one()).add(5, -two);
  REQUIRE(a.terms().size() == 2);  // wire 5 cancelled
  CHECK(a.terms()[0].wire == 0);
  CHECK(a.terms()[1].wire == 1);
  CHECK(a.constant_term() == Fr::one());
  CHECK_FALSE(a.is_constant());

  FieldLc b = FieldLc::wire(1, -three);
  b.add(7, Fr::one());
  FieldLc c = a;
  c += b;  // wire 1 cancels
  REQUIRE(c.terms().size() == 2);
  CHECK((c.terms()[0].wire == 0 && c.terms()[1].wire == 7));
  c.add_scaled(b, three);  // + 3·(−3·w1 + w7)
  const std::vector<Fr> w = {Fr::one(), Fr::from_u64(10), {}, {}, {}, {}, {}, Fr::from_u64(100)};
  CHECK(c.evaluate(w) == Fr::one() + Fr::from_u64(100) - Fr::from_u64(90) + Fr::from_u64(300));

  FieldLc d = b;
  d -= b;
  CHECK(d.terms().empty());
  CHECK(d.is_constant());
  CHECK(d.constant_term().is_zero());
  CHECK(FieldLc::constant(three).is_constant());
}

TEST_CASE("field r1cs: checks over Fr and extends the circuit it was numbered after", "[zkml][field_r1cs]") {
  FieldR1cs cs(3);  // wires 1, 2 exist
  const std::uint32_t p = cs.add_wires(1);
  CHECK(p == 3);
  CHECK(cs.first_wire() == 3);
  CHECK(cs.n_wires() == 4);
  // p = w1·w2 and p + 1 = w1 + 7·w2
  cs.constrain(FieldLc::wire(1), FieldLc::wire(2), FieldLc::wire(p));
  cs.constrain_equal(FieldLc::wire(p).add_constant(Fr::one()), FieldLc::wire(1).add(2, Fr::from_u64(7)));
  CHECK(cs.n_constraints() == 2);

  // w1 = 1, w2 = 0, p = 0 satisfies both; p = 1 breaks the first;
  // w1 = 7, w2 = 1, p = 7 the second (8 ≠ 14).
  std::vector<Fr> w = {Fr::one(), Fr::one(), Fr::zero(), Fr::zero()};
  CHECK(cs.first_unsatisfied(w) == -1);
  w[3] = Fr::one();
  CHECK(cs.first_unsatisfied(w) == 0);
  w = {Fr::one(), Fr::from_u64(7), Fr::one(), Fr::from_u64(7)};
  CHECK(cs.first_unsatisfied(w) == 1);
  CHECK_THROWS_AS(cs.first_unsatisfied(std::vector<Fr>(3, Fr::one())), Error);

  CHECK_THROWS_WITH(cs.constrain(FieldLc::wire(4), FieldLc::wire(1), FieldLc()), Contains("wire 4 before it exists"));
  CHECK_THROWS_AS(FieldR1cs(0), Error);

  prover::R1cs other;
  other.n_wires = 5;
  CHECK_THROWS_WITH(cs.append_to(other), Contains("circuit of 3 wires, not one of 5"));
  prover::R1cs base;
  base.n_wires = 3;
  base.n_labels = 3;  // no wire-to-label section
  cs.append_to(base);
  CHECK(base.n_wires == 4);
  CHECK(base.n_labels == 4);
  CHECK(base.wire_to_label.empty());
  CHECK(base.n_constraints == 2);
  w = {Fr::one(), Fr::one(), Fr::zero(), Fr::zero()};
  CHECK_NOTHROW(prover::check_witness(base, w, "witness"));
}
