// The committed models end to end, short of Groth16: ONNX import, settings,
// circuit, witness. Every witness satisfies its R1CS (over Fr), its output is
// the quantized model's, and tampering with any wire of a valid witness —
// every wire for the MLP, a sample for the CNN, plus chosen public outputs,
// inputs, sign bits and remainders — is rejected.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "support/test_rng.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/prover/binfile.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/zkml/circuit.hpp"
#include "zkacc/zkml/float_eval.hpp"
#include "zkacc/zkml/input_json.hpp"
#include "zkacc/zkml/onnx_import.hpp"
#include "zkacc/zkml/pipeline.hpp"
#include "zkml/test_util.hpp"

using namespace zkacc;
using namespace zkacc::zkml;
using zkacc::test::compile;
using zkacc::test::Compiled;
using zkacc::test::IncidenceChecker;
using zkacc::test::load_sample;
using zkacc::test::model_path;
using zkacc::test::Sample;

TEST_CASE("import: the committed MLP and CNN", "[zkml][import]") {
  const Graph mlp = import_onnx(model_path("mlp.onnx"));
  REQUIRE(mlp.layers.size() == 2);
  CHECK(mlp.layers[0].kind == LayerKind::Dense);
  CHECK(mlp.layers[0].relu);
  CHECK(mlp.layers[0].onnx_ops == "Gemm+Relu");
  CHECK(mlp.layers[0].weight.shape == Shape{32, 784});
  CHECK(mlp.layers[1].weight.shape == Shape{10, 32});
  CHECK(mlp.tensors[static_cast<std::size_t>(mlp.input)].shape == Shape{1, 784});
  CHECK(mlp.tensors[static_cast<std::size_t>(mlp.output)].shape == Shape{1, 10});

  const Graph cnn = import_onnx(model_path("cnn.onnx"));
  std::vector<std::string> kinds;
  for (const auto& l : cnn.layers) kinds.push_back(std::string(layer_kind_name(l.kind)) + (l.relu ? "+Relu" : ""));
  CHECK(kinds == std::vector<std::string>{"Conv+Relu", "MaxPool", "Conv+Relu", "AvgPool", "Reshape", "Dense"});
  CHECK(cnn.tensors[static_cast<std::size_t>(cnn.layers[0].output)].shape == Shape{1, 4, 26, 26});
  CHECK(cnn.tensors[static_cast<std::size_t>(cnn.layers[1].output)].shape == Shape{1, 4, 13, 13});
  CHECK(cnn.tensors[static_cast<std::size_t>(cnn.layers[2].output)].shape == Shape{1, 8, 11, 11});
  CHECK(cnn.tensors[static_cast<std::size_t>(cnn.layers[3].output)].shape == Shape{1, 8, 5, 5});
  CHECK(cnn.tensors[static_cast<std::size_t>(cnn.layers[4].output)].shape == Shape{1, 200});
}

TEST_CASE("float evaluator reproduces torch's logits of the samples", "[zkml][import]") {
  for (const char* model : {"mlp", "cnn"}) {
    const Graph g = import_onnx(model_path(std::string(model) + ".onnx"));
    for (int k = 0; k < 3; ++k) {
      INFO(model << " sample " << k);
      const Sample s = load_sample(model, k, g.tensors[static_cast<std::size_t>(g.input)].shape);
      const FloatRun run = evaluate_float(g, s.input);
      const auto& out = run.values[static_cast<std::size_t>(g.output)];
      REQUIRE(out.size() == s.float_logits.size());
      for (std::size_t i = 0; i < out.size(); ++i) CHECK(out[i] == Approx(s.float_logits[i]).margin(1e-4));
    }
  }
}

TEST_CASE("MLP: witnesses satisfy the circuit and classify like the float model", "[zkml][model]") {
  const Compiled m = compile("mlp");
  const prover::R1cs r1cs = m.circuit.r1cs();
  CHECK(r1cs.n_pub_out == 10);
  CHECK(r1cs.n_pub_in == 784);
  // Linear layers cost no constraint before their rescale: fc1 is s + B + 2 per neuron.
  const auto& fc1 = m.circuit.summary().layers[1];
  const QLayer& q1 = m.circuit.model().layers[0];
  CHECK(fc1.constraints == 32u * static_cast<std::uint64_t>(q1.shift + 12 + 2));
  for (int k = 0; k < 3; ++k) {
    INFO("sample " << k);
    const Sample s = load_sample("mlp", k, {1, 784});
    const Inference inf = infer(m.circuit, s.input, "sample");
    CHECK_NOTHROW(prover::check_witness(r1cs, inf.witness.to_field(), "witness"));
    const auto fl_argmax = std::max_element(s.float_logits.begin(), s.float_logits.end()) - s.float_logits.begin();
    CHECK(static_cast<long>(inf.argmax) == fl_argmax);
    CHECK(static_cast<int>(inf.argmax) == s.label);
    for (std::size_t i = 0; i < 10; ++i) CHECK(std::abs(inf.output[i] - s.float_logits[i]) < 0.5);
    // The public signals are the quantized outputs, then the quantized input.
    for (std::size_t i = 0; i < 10; ++i) CHECK(inf.witness[1 + i] == int_to_fr(inf.quantized[i]));
  }
}

TEST_CASE("MLP: changing any one wire of a valid witness is rejected", "[zkml][model][soundness]") {
  const Compiled m = compile("mlp");
  const prover::R1cs r1cs = m.circuit.r1cs();
  const Sample s = load_sample("mlp", 1, {1, 784});
  std::vector<Fr> w = infer(m.circuit, s.input, "sample").witness.to_field();
  const IncidenceChecker check(r1cs);
  std::size_t tested = 0;
  for (std::uint32_t i = 1; i < w.size(); ++i) {
    REQUIRE(check.wire_used(i));  // no free wire anywhere
    INFO("wire " << i);
    CHECK(check.rejects(w, i, Fr::one()));
    CHECK(check.rejects(w, i, -Fr::one()));
    ++tested;
  }
  CHECK(tested == r1cs.n_wires - 1);

  // Named attacks, each as a whole witness checked by the prover's checker.
  auto rejected = [&](const std::function<void(std::vector<Fr>&)>& tamper) {
    std::vector<Fr> t = w;
    tamper(t);
    try {
      prover::check_witness(r1cs, t, "tampered");
      return false;
    } catch (const Error&) {
      return true;
    }
  };
  CHECK(rejected([](auto& t) { t[1 + 9] += Fr::one(); }));     // a public output (logit 9)
  CHECK(rejected([](auto& t) { t[1 + 10 + 400] += Fr::one(); }));  // a public input pixel
  const auto& g1 = m.circuit.layer_gadgets(0);  // fc1 + Relu
  for (std::size_t n = 0; n < 32; n += 7) {
    const Rescale& r = g1.rescales[n];
    const std::uint32_t sign = r.bits.first + static_cast<std::uint32_t>(r.bits.width - 1);
    CHECK(rejected([&](auto& t) { t[sign] = Fr::one() - t[sign]; }));                  // flip a ReLU's sign bit
    CHECK(rejected([&](auto& t) { t[r.bits.first] = Fr::one() - t[r.bits.first]; }));  // a remainder bit
    CHECK(rejected([&](auto& t) { t[r.out] += Fr::one(); }));                          // a neuron's output
  }
}

TEST_CASE("CNN: witnesses satisfy the circuit, sampled tampering is rejected", "[zkml][model][soundness]") {
  SEED_INFO();
  const Compiled m = compile("cnn");
  const prover::R1cs r1cs = m.circuit.r1cs();
  const Graph& g = m.graph;
  for (int k = 0; k < 3; ++k) {
    INFO("sample " << k);
    const Sample s = load_sample("cnn", k, g.tensors[static_cast<std::size_t>(g.input)].shape);
    const Inference inf = infer(m.circuit, s.input, "sample");
    CHECK_NOTHROW(prover::check_witness(r1cs, inf.witness.to_field(), "witness"));
    CHECK(static_cast<int>(inf.argmax) == s.label);
  }
  const Sample s = load_sample("cnn", 2, g.tensors[static_cast<std::size_t>(g.input)].shape);
  std::vector<Fr> w = infer(m.circuit, s.input, "sample").witness.to_field();
  const IncidenceChecker check(r1cs);
  auto rng = zkacc::test::make_rng(0xc22);
  std::uniform_int_distribution<std::uint32_t> pick(1, r1cs.n_wires - 1);
  for (int i = 0; i < 3000; ++i) {
    const std::uint32_t wire = pick(rng);
    INFO("wire " << wire);
    REQUIRE(check.wire_used(wire));
    CHECK(check.rejects(w, wire, Fr::one()));
  }
  // conv1+Relu and its max pool are one fused gadget: comparisons on the
  // accumulators, then one rescale with Relu per pooled value.
  const auto& pool = m.circuit.layer_gadgets(0);
  REQUIRE(pool.fused_max_pool);
  CHECK(m.circuit.layer_gadgets(1).fused_into_previous);
  REQUIRE(pool.maxes.size() == 676u * 3);
  REQUIRE(pool.rescales.size() == 676u);
  for (std::size_t i = 0; i < pool.rescales.size(); i += 11) {
    const Rescale& r = pool.rescales[i];
    CHECK(check.rejects(w, r.out, Fr::one()));
    CHECK(check.rejects(w, r.bits.first + static_cast<std::uint32_t>(r.bits.width - 1), Fr::one()));  // sign
  }
  for (std::size_t i = 0; i < pool.maxes.size(); i += 13) {
    const Max2& c = pool.maxes[i];
    CHECK(check.rejects(w, c.out, Fr::one()));
    CHECK(check.rejects(w, c.bits.first + static_cast<std::uint32_t>(c.diff_bits - 1), Fr::one()));
  }
}

TEST_CASE("model files: r1cs and wtns round-trip through the prover's readers", "[zkml][model]") {
  zkacc::test::TempDir dir;
  const Compiled m = compile("mlp");
  const prover::R1cs r1cs = m.circuit.r1cs();
  prover::write_r1cs(dir.file("m.r1cs"), r1cs);
  const prover::R1cs back = prover::read_r1cs(dir.file("m.r1cs"));
  CHECK(back.n_constraints == r1cs.n_constraints);
  CHECK(back.n_wires == r1cs.n_wires);
  CHECK(back.n_pub_out == 10);
  CHECK(back.n_pub_in == 784);
  CHECK(back.terms.size() == r1cs.terms.size());
  const Inference inf = infer(m.circuit, load_sample("mlp", 0, {1, 784}).input, "sample");
  prover::write_wtns(dir.file("m.wtns"), inf.witness);
  CHECK_NOTHROW(prover::check_witness(back, prover::read_wtns(dir.file("m.wtns")).to_field(), "m.wtns"));
  // settings.json round-trips too, and rebuilds the same circuit.
  Settings st = m.settings;
  st.circuit = m.circuit.summary();
  write_settings(dir.file("settings.json"), st);
  const Settings st2 = read_settings(dir.file("settings.json"));
  CHECK(settings_to_json(st2) == settings_to_json(st));
  const ModelCircuit again(quantize(m.graph, st2));
  CHECK(again.summary().constraints == m.circuit.summary().constraints);
  CHECK_NOTHROW(check_settings_circuit(st2, "settings.json", again.summary()));
}
