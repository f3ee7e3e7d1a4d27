// The visibility encodings (zkml/commitment.hpp) and model circuits built
// with them: packing by hand, the Poseidon chain link by link, the
// commitment gadget against the native chain with every wire it adds
// tampered, and a model under every input × output visibility: the witness
// satisfies the circuit, its public wires are exposed_values() of the run's
// values, and settings.json keeps the choice.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/test_rng.hpp"
#include "test_util.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/prover/poseidon.hpp"
#include "zkacc/zkml/commitment.hpp"
#include "zkacc/zkml/r1cs_builder.hpp"

using namespace zkacc;
using namespace zkacc::zkml;

namespace {

using Rng = std::mt19937_64;

Fr pow2(int e) {
  Fr p = Fr::one();
  for (int i = 0; i < e; ++i) p = p + p;
  return p;
}

// n values in [−2^(bits−1), 2^(bits−1)): any int64 for 64 bits.
std::vector<std::int64_t> random_values(std::size_t n, int bits, Rng& rng) {
  std::vector<std::int64_t> v(n);
  for (auto& x : v) {
    const std::uint64_t r = rng();
    // The low `bits` bits, sign-extended (two's complement, no overflow).
    x = bits == 64 ? static_cast<std::int64_t>(r)
                   : static_cast<std::int64_t>(r << (64 - bits)) >> (64 - bits);
  }
  return v;
}

}  // namespace

TEST_CASE("packing: floor(253 / B) values to an element, offset by 2^(B-1), least significant first", "[zkml][commitment]") {
  CHECK(values_per_element(8) == 31);
  CHECK(values_per_element(12) == 21);
  CHECK(values_per_element(1) == 253);
  CHECK(values_per_element(64) == 3);
  CHECK(packed_elements(784, 8) == 26);
  CHECK(packed_elements(31, 8) == 1);
  CHECK(packed_elements(32, 8) == 2);
  CHECK_THROWS_AS(values_per_element(0), Error);
  CHECK_THROWS_AS(values_per_element(65), Error);

  // (−128 + 128) + (127 + 128)·2^8 + (0 + 128)·2^16, then a second element.
  const std::vector<std::int64_t> v{-128, 127, 0};
  const std::vector<Fr> one = pack_values(v, 8);
  REQUIRE(one.size() == 1);
  CHECK(one[0] == Fr::from_u64(255 * 256 + 128 * 65536));
  std::vector<std::int64_t> w(32, -128);
  w[31] = 5;
  const std::vector<Fr> two = pack_values(w, 8);
  REQUIRE(two.size() == 2);
  CHECK(two[0].is_zero());
  CHECK(two[1] == Fr::from_u64(133));
  // The widest element stays below 2^253 < r: all values at the top.
  const std::vector<Fr> top = pack_values(std::vector<std::int64_t>(253, 0), 1);
  CHECK(top[0] + Fr::one() == pow2(253));

  CHECK_THROWS_AS(pack_values(std::vector<std::int64_t>{128}, 8), Error);
  CHECK_THROWS_AS(pack_values(std::vector<std::int64_t>{-129}, 8), Error);
}

TEST_CASE("packing: the circuit's combinations equal the native packing", "[zkml][commitment]") {
  SEED_INFO();
  auto rng = test::make_rng(0xc0a1);
  for (int bits : {1, 5, 8, 12, 31, 64}) {
    INFO(bits << " bits");
    const std::vector<std::int64_t> v = random_values(100, bits, rng);
    std::vector<std::uint32_t> wires(v.size());
    std::vector<Fr> w{Fr::one()};
    for (std::size_t i = 0; i < v.size(); ++i) {
      wires[i] = static_cast<std::uint32_t>(w.size());
      w.push_back(int_to_fr(v[i]));
    }
    const std::vector<Fr> native = pack_values(v, bits);
    const std::vector<FieldLc> lcs = packed_combinations(wires, bits);
    REQUIRE(lcs.size() == native.size());
    for (std::size_t j = 0; j < lcs.size(); ++j) CHECK(lcs[j].evaluate(w) == native[j]);
  }
}

TEST_CASE("commitment: the Poseidon chain, 16 elements then 15 more a link", "[zkml][commitment]") {
  SEED_INFO();
  auto rng = test::make_rng(0xc0a2);
  std::vector<Fr> e(40);
  for (auto& x : e) x = Fr::random(rng);
  auto span = [&](std::size_t lo, std::size_t hi) { return std::vector<Fr>(e.begin() + lo, e.begin() + hi); };
  auto with = [](Fr h, std::vector<Fr> rest) {
    rest.insert(rest.begin(), h);
    return rest;
  };
  CHECK(poseidon_chain(span(0, 1)) == prover::poseidon_hash(span(0, 1)));
  CHECK(poseidon_chain(span(0, 16)) == prover::poseidon_hash(span(0, 16)));
  const Fr h16 = prover::poseidon_hash(span(0, 16));
  CHECK(poseidon_chain(span(0, 17)) == prover::poseidon_hash(with(h16, span(16, 17))));
  CHECK(poseidon_chain(span(0, 31)) == prover::poseidon_hash(with(h16, span(16, 31))));
  const Fr h31 = prover::poseidon_hash(with(h16, span(16, 31)));
  CHECK(poseidon_chain(span(0, 32)) == prover::poseidon_hash(with(h31, span(31, 32))));
  CHECK(poseidon_chain(span(0, 40)) == prover::poseidon_hash(with(h31, span(31, 40))));
  CHECK_THROWS_AS(poseidon_chain(std::span<const Fr>()), Error);
}

TEST_CASE("commitment gadget: equals the native chain, and every wire it adds is constrained", "[zkml][commitment][soundness]") {
  SEED_INFO();
  auto rng = test::make_rng(0xc0a3);
  for (std::size_t m : {1, 16, 17, 32}) {
    INFO(m << " elements");
    // Elements on wires 1..m, each also read through a two-term combination.
    std::vector<Fr> w{Fr::one()};
    std::vector<FieldLc> elements;
    std::vector<Fr> values;
    for (std::size_t i = 0; i < m; ++i) {
      w.push_back(Fr::random(rng));
      FieldLc lc = FieldLc::wire(static_cast<std::uint32_t>(i + 1), Fr::from_u64(3));
      lc.add_constant(Fr::from_u64(7));
      values.push_back(w.back() * Fr::from_u64(3) + Fr::from_u64(7));
      elements.push_back(std::move(lc));
    }
    FieldR1cs cs(static_cast<std::uint32_t>(w.size()));
    const CommitmentGadget g = commitment_gadget(cs, elements);
    CHECK(g.links.size() == (m <= 16 ? 1 : 1 + (m - 16 + 14) / 15));
    w.resize(cs.n_wires(), Fr::zero());
    assign_commitment(g, w);
    REQUIRE(cs.first_unsatisfied(w) == -1);
    CHECK(w[g.output] == poseidon_chain(values));
    std::size_t rejected = 0, tried = 0;
    for (std::uint32_t i = static_cast<std::uint32_t>(m + 1); i < cs.n_wires(); ++i)
      for (const Fr& d : {Fr::one(), Fr::random(rng)}) {
        ++tried;
        w[i] += d;
        rejected += cs.first_unsatisfied(w) >= 0;
        w[i] -= d;
      }
    CHECK(tried > 0);
    CHECK(rejected == tried);
  }
}

TEST_CASE("model circuits under every visibility: public wires, witness, settings", "[zkml][commitment]") {
  const std::string onnx = test::zkml_data_path("matmul_add.onnx");
  const Graph g = import_onnx(onnx);
  const Shape shape = g.tensors[static_cast<std::size_t>(g.input)].shape;
  const std::vector<double> x = read_input_json(test::zkml_data_path("matmul_add.input.json"), shape);
  const Settings base = calibrate(g, onnx, x, "input", QuantConfig{});
  const ModelCircuit reference(quantize(g, base));
  for (Visibility in : {Visibility::public_values, Visibility::packed, Visibility::hashed})
    for (Visibility out : {Visibility::public_values, Visibility::packed, Visibility::hashed}) {
      INFO("input " << visibility_name(in) << ", output " << visibility_name(out));
      Settings s = base;
      s.exposure = {in, out};
      const ModelCircuit c(quantize(g, s));
      const QTensor& it = c.model().tensor(c.model().input);
      const QTensor& ot = c.model().tensor(c.model().output);
      CHECK(c.n_public_inputs() == ModelCircuit::public_count(in, c.n_inputs(), it.bits));
      CHECK(c.n_public_outputs() == ModelCircuit::public_count(out, c.n_outputs(), ot.bits));
      const prover::R1cs r = c.r1cs();
      CHECK(r.n_pub_out == c.n_public_outputs());
      CHECK(r.n_pub_in == c.n_public_inputs());
      CHECK(r.n_constraints == c.summary().constraints);
      CHECK(r.n_wires == c.summary().wires);
      if (in == Visibility::public_values && out == Visibility::public_values) {
        // Public/public is the circuit every settings file without a visibility made.
        const prover::R1cs r0 = reference.r1cs();
        CHECK(r.n_constraints == r0.n_constraints);
        CHECK(r.n_wires == r0.n_wires);
      }
      const Inference inf = infer(c, x, "input");
      const std::vector<Fr> w = inf.witness.to_field();
      REQUIRE_NOTHROW(prover::check_witness(r, w, "witness"));
      const auto& run_in = inf.run.values[static_cast<std::size_t>(c.model().input)];
      const std::vector<Fr> pub_out = exposed_values(out, inf.quantized, ot.bits);
      const std::vector<Fr> pub_in = exposed_values(in, run_in, it.bits);
      REQUIRE(pub_out.size() == c.n_public_outputs());
      REQUIRE(pub_in.size() == c.n_public_inputs());
      for (std::size_t i = 0; i < pub_out.size(); ++i) CHECK(w[1 + i] == pub_out[i]);
      for (std::size_t i = 0; i < pub_in.size(); ++i) CHECK(w[1 + pub_out.size() + i] == pub_in[i]);
      // settings.json keeps the choice.
      const Settings back = settings_from_json(settings_to_json(s), "settings.json");
      CHECK(back.exposure == s.exposure);
    }
  // A settings file from before visibility existed: both public.
  nlohmann::json old = nlohmann::json::parse(settings_to_json(base));
  REQUIRE(old.erase("visibility") == 1);
  CHECK(settings_from_json(old.dump(), "old.json").exposure == Exposure{});
  nlohmann::json bad = nlohmann::json::parse(settings_to_json(base));
  bad["visibility"]["input"] = "secret";
  CHECK_THROWS_WITH(settings_from_json(bad.dump(), "bad.json"),
                    Catch::Contains("bad.json: visibility.input: 'secret' is not a visibility"));
}
