// The Poseidon gadget: its honest assignment satisfies the constraints and
// puts prover::poseidon_hash of the inputs on the output wire; changing any
// wire it adds (each S-box wire, the output) breaks a constraint; inputs may
// be combinations of several wires and constants; the constraint count is
// the one the header states; the constraints extend a circom circuit.
#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <vector>

#include "support/test_rng.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/prover/poseidon.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/zkml/field_r1cs.hpp"
#include "zkacc/zkml/poseidon_gadget.hpp"
#include "zkacc/zkml/r1cs_builder.hpp"

using namespace zkacc;
using namespace zkacc::zkml;

namespace {

using Rng = std::mt19937_64;

Fr random_nonzero(Rng& rng) {
  for (;;) {
    const Fr f = Fr::random(rng);
    if (!f.is_zero()) return f;
  }
}

// 3·(8t + R_P − 1) + 1: the header's count for inputs that are not constants.
std::size_t expected_constraints(std::size_t n_inputs) {
  const auto& p = prover::poseidon_params(static_cast<int>(n_inputs) + 1);
  return 3 * (static_cast<std::size_t>(p.full_rounds) * (n_inputs + 1) + static_cast<std::size_t>(p.partial_rounds) - 1) + 1;
}

// A witness of n_wires values with wire 0 = 1 and `free` random wires after it.
std::vector<Fr> random_witness(std::uint32_t n_wires, std::uint32_t free, Rng& rng) {
  std::vector<Fr> w(n_wires);
  w[0] = Fr::one();
  for (std::uint32_t i = 1; i <= free; ++i) w[i] = Fr::random(rng);
  return w;
}

// Every wire the gadget added, moved by +1 and by a random nonzero amount:
// each change must break a constraint.
void expect_every_change_rejected(const FieldR1cs& cs, const PoseidonGadget& g, const std::vector<Fr>& w, Rng& rng) {
  std::vector<std::uint32_t> wires;
  for (std::uint32_t i = 0; i < g.n_aux; ++i) wires.push_back(g.first_aux + i);
  wires.push_back(g.output);
  std::size_t accepted = 0;
  for (std::uint32_t i : wires)
    for (const Fr& delta : {Fr::one(), random_nonzero(rng)}) {
      std::vector<Fr> t = w;
      t[i] += delta;
      if (cs.first_unsatisfied(t) < 0) {
        UNSCOPED_INFO("a change of wire " << i << " is accepted");
        ++accepted;
      }
    }
  CHECK(accepted == 0);
}

}  // namespace

TEST_CASE("poseidon gadget: honest witness, output = poseidon_hash, every change rejected", "[zkml][poseidon]") {
  SEED_INFO();
  Rng rng = test::make_rng(0x9051);
  for (std::size_t n : {1, 2, 5, 16}) {
    INFO(n << " inputs");
    const auto k = static_cast<std::uint32_t>(n);
    FieldR1cs cs(1 + k);  // wires 1..n: the inputs
    std::vector<FieldLc> inputs;
    for (std::uint32_t i = 1; i <= k; ++i) inputs.push_back(FieldLc::wire(i));
    const PoseidonGadget g = poseidon_gadget(cs, inputs);
    CHECK(cs.n_constraints() == expected_constraints(n));
    CHECK(g.n_aux == 3 * g.sboxes.size());
    CHECK(cs.n_wires() == 1 + k + g.n_aux + 1);

    for (std::size_t trial = 0; trial < test::scaled(2); ++trial) {
      std::vector<Fr> w = random_witness(cs.n_wires(), k, rng);
      assign_poseidon(g, w);
      CHECK(cs.first_unsatisfied(w) == -1);
      CHECK(w[g.output] == prover::poseidon_hash(std::span<const Fr>(w).subspan(1, n)));
      if (trial == 0) expect_every_change_rejected(cs, g, w, rng);
    }
  }
}

TEST_CASE("poseidon gadget: inputs as combinations of several wires and constants", "[zkml][poseidon]") {
  SEED_INFO();
  Rng rng = test::make_rng(0x9052);
  for (std::size_t n : {2, 5}) {
    INFO(n << " inputs");
    // Three free wires; input i = a_i·w1 + b_i·w2 + c_i·w3 + d_i, and the
    // last input is w1 − w2 + 7 (coefficients ±1 and a small constant).
    constexpr std::uint32_t kFree = 3;
    FieldR1cs cs(1 + kFree);
    std::vector<FieldLc> inputs;
    std::vector<std::array<Fr, 4>> coeffs;
    for (std::size_t i = 0; i + 1 < n; ++i) {
      coeffs.push_back({random_nonzero(rng), random_nonzero(rng), random_nonzero(rng), Fr::random(rng)});
      const auto& a = coeffs.back();
      inputs.push_back(FieldLc::wire(1, a[0]).add(2, a[1]).add(3, a[2]).add_constant(a[3]));
    }
    coeffs.push_back({Fr::one(), -Fr::one(), Fr::zero(), Fr::from_u64(7)});
    inputs.push_back(FieldLc::wire(1).add(2, -Fr::one()).add_constant(Fr::from_u64(7)));
    const PoseidonGadget g = poseidon_gadget(cs, inputs);
    CHECK(cs.n_constraints() == expected_constraints(n));

    std::vector<Fr> w = random_witness(cs.n_wires(), kFree, rng);
    assign_poseidon(g, w);
    CHECK(cs.first_unsatisfied(w) == -1);
    std::vector<Fr> values;
    for (const auto& a : coeffs) values.push_back(a[0] * w[1] + a[1] * w[2] + a[2] * w[3] + a[3]);
    CHECK(w[g.output] == prover::poseidon_hash(values));
    expect_every_change_rejected(cs, g, w, rng);
    // The free wires are inputs, not outputs of the gadget: changing one
    // gives another hash, which the stale output no longer satisfies.
    std::vector<Fr> t = w;
    t[2] += Fr::one();
    CHECK(cs.first_unsatisfied(t) >= 0);
  }
}

TEST_CASE("poseidon gadget: constant inputs are hashed at build time", "[zkml][poseidon]") {
  // All inputs constant: every S-box is a constant, only the output
  // constraint remains. A constant first input: the first round's S-box of
  // s_1 is a constant too (three constraints fewer); from the mixing on,
  // every cell reads the wire.
  FieldR1cs all_const(1);
  const std::vector<FieldLc> consts = {FieldLc::constant(Fr::from_u64(1)), FieldLc::constant(Fr::from_u64(2))};
  const PoseidonGadget g = poseidon_gadget(all_const, consts);
  CHECK(all_const.n_constraints() == 1);
  CHECK(g.n_aux == 0);
  std::vector<Fr> w(all_const.n_wires());
  w[0] = Fr::one();
  assign_poseidon(g, w);
  CHECK(all_const.first_unsatisfied(w) == -1);
  CHECK(w[g.output] == prover::poseidon_hash(std::vector<Fr>{Fr::from_u64(1), Fr::from_u64(2)}));

  FieldR1cs mixed(2);
  const std::vector<FieldLc> one_wire = {FieldLc::constant(Fr::from_u64(1)), FieldLc::wire(1)};
  const PoseidonGadget h = poseidon_gadget(mixed, one_wire);
  CHECK(mixed.n_constraints() == expected_constraints(2) - 3);
  std::vector<Fr> v(mixed.n_wires());
  v[0] = Fr::one();
  v[1] = Fr::from_u64(2);
  assign_poseidon(h, v);
  CHECK(mixed.first_unsatisfied(v) == -1);
  CHECK(v[h.output] == w[g.output]);
}

TEST_CASE("poseidon gadget: extends a circom circuit, which the prover's checker accepts", "[zkml][poseidon]") {
  SEED_INFO();
  Rng rng = test::make_rng(0x9053);
  // A circuit of two public inputs and one constraint of its own (x·y = z).
  R1csBuilder b;
  const std::uint32_t x = b.add_wires(3);
  b.constrain(Lc::wire(x), Lc::wire(x + 1), Lc::wire(x + 2));
  prover::R1cs r = b.to_r1cs(0, 2);
  const std::size_t own_constraints = r.n_constraints;

  FieldR1cs cs(r.n_wires);
  const std::vector<FieldLc> inputs = {FieldLc::wire(x), FieldLc::wire(x + 1), FieldLc::wire(x + 2)};
  const PoseidonGadget g = poseidon_gadget(cs, inputs);
  cs.append_to(r);
  CHECK(r.n_wires == cs.n_wires());
  CHECK(r.n_constraints == own_constraints + cs.n_constraints());
  CHECK(r.wire_to_label.size() == r.n_wires);
  CHECK(r.n_labels == r.n_wires);

  std::vector<Fr> w(r.n_wires);
  w[0] = Fr::one();
  w[x] = Fr::random(rng);
  w[x + 1] = Fr::random(rng);
  w[x + 2] = w[x] * w[x + 1];
  assign_poseidon(g, w);
  CHECK_NOTHROW(prover::check_witness(r, w, "witness"));
  w[g.output] += Fr::one();
  CHECK_THROWS_AS(prover::check_witness(r, w, "tampered"), Error);

  // Appending again, or to another circuit, would reuse wire numbers.
  CHECK_THROWS_WITH(cs.append_to(r), Catch::Contains("extend a circuit of"));
}

TEST_CASE("poseidon gadget: bad input", "[zkml][poseidon][bad_input]") {
  FieldR1cs cs(20);
  CHECK_THROWS_WITH(poseidon_gadget(cs, {}), Catch::Contains("0 inputs"));
  std::vector<FieldLc> seventeen;
  for (std::uint32_t i = 1; i <= 17; ++i) seventeen.push_back(FieldLc::wire(i));
  CHECK_THROWS_WITH(poseidon_gadget(cs, seventeen), Catch::Contains("17 inputs"));
  // An input reading a wire past the circuit's end, even one the gadget's
  // first S-box would have taken.
  for (std::uint32_t wire : {20u, 21u, 1000u}) {
    const std::vector<FieldLc> future = {FieldLc::wire(1), FieldLc::wire(wire)};
    CHECK_THROWS_WITH(poseidon_gadget(cs, future), Catch::Contains("input 1 reads wire " + std::to_string(wire)));
  }
  CHECK(cs.n_wires() == 20);
  CHECK(cs.n_constraints() == 0);
}
