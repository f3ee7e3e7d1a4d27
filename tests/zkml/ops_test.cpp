// The ops beyond the committed models, on small ONNX files made by
// tests/zkml/data/make_test_models.py (numpy float outputs included):
// MatMul + Add, Add of two activations, GlobalAveragePool, Reshape,
// BatchNormalization folding, padded/strided Conv and pooling, a final
// Softmax, QDQ models; and the importer's errors for what is unsupported.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "zkacc/common/error.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/zkml/circuit.hpp"
#include "zkacc/zkml/float_eval.hpp"
#include "zkacc/zkml/input_json.hpp"
#include "zkacc/zkml/onnx_import.hpp"
#include "zkacc/zkml/pipeline.hpp"
#include "zkml/test_util.hpp"

using namespace zkacc;
using namespace zkacc::zkml;
using zkacc::test::zkml_data_path;

namespace {

std::vector<std::string> kinds(const Graph& g) {
  std::vector<std::string> k;
  for (const auto& l : g.layers) k.push_back(std::string(layer_kind_name(l.kind)) + (l.relu ? "+Relu" : ""));
  return k;
}

// Imports, checks the float evaluator against numpy, compiles with
// calibration on the input, proves the witness satisfies the circuit, that
// every single-wire change is rejected, and that the quantized output is
// close to the float one. Returns the graph.
// `float_margin`: how far zkacc's float evaluator may be from numpy's output
// (beyond rounding only where the model has Q/DQ on activations, which zkacc
// takes as the identity and numpy applies).
Graph check_model(const std::string& name, double tolerance, const std::string& dir = ZKACC_TEST_DATA_DIR,
                  double float_margin = 1e-5) {
  const std::string onnx = dir + "/" + name + ".onnx";
  Graph g = import_onnx(onnx);
  const std::string input_path = dir + "/" + name + ".input.json";
  const std::vector<double> x = read_input_json(input_path, g.tensors[static_cast<std::size_t>(g.input)].shape);
  const auto expected = nlohmann::json::parse(prover::read_text_file(input_path))["float_output"].get<std::vector<double>>();
  const FloatRun fr = evaluate_float(g, x);
  const auto& fl = fr.values[static_cast<std::size_t>(g.output)];
  REQUIRE(fl.size() == expected.size());
  for (std::size_t i = 0; i < fl.size(); ++i) CHECK(fl[i] == Approx(expected[i]).margin(float_margin));

  const Settings st = calibrate(g, onnx, x, name + ".input.json", QuantConfig{});
  const ModelCircuit circuit(quantize(g, st));
  const prover::R1cs r1cs = circuit.r1cs();
  const Inference inf = infer(circuit, x, "input");
  std::vector<Fr> w = inf.witness.to_field();
  REQUIRE_NOTHROW(prover::check_witness(r1cs, w, "witness"));
  for (std::size_t i = 0; i < fl.size(); ++i) {
    INFO("output " << i << ": quantized " << inf.output[i] << ", float " << fl[i]);
    CHECK(std::abs(inf.output[i] - fl[i]) <= tolerance);
  }
  // Every wire is constrained: moving any one by 1 breaks the witness. The
  // witness satisfies every constraint, so only the wire's own constraints
  // need evaluating (linear in the circuit, not quadratic).
  const zkacc::test::IncidenceChecker check(r1cs);
  std::size_t accepted = 0;
  for (std::uint32_t i = 1; i < w.size(); ++i)
    if (!check.rejects(w, i, Fr::one())) {
      INFO("wire " << i);
      CHECK(++accepted == 0);
    }
  return g;
}

std::string import_error(const std::string& file) {
  try {
    import_onnx(zkml_data_path(file));
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("ops: MatMul with Add bias, Relu", "[zkml][ops]") {
  const Graph g = check_model("matmul_add", 0.05);
  CHECK(kinds(g) == std::vector<std::string>{"Dense+Relu", "Dense"});
  CHECK(g.layers[0].onnx_ops == "MatMul+Add+Relu");
  CHECK(g.layers[1].onnx_ops == "MatMul+Add");  // Add(constant, x): the constant on the left folds too
}

TEST_CASE("ops: residual Add, GlobalAveragePool, Reshape, Softmax at the end", "[zkml][ops]") {
  const Graph g = check_model("residual", 0.05);
  CHECK(kinds(g) == std::vector<std::string>{"Conv+Relu", "Add", "AvgPool", "Reshape", "Dense"});
  CHECK(g.dropped_head == "Softmax");
  CHECK(g.layers[1].inputs.size() == 2);  // two activations
  CHECK(g.layers[2].onnx_ops == "GlobalAveragePool");
  CHECK(g.layers[2].window.kh == 6);  // 36 values: a divisor that is not a power of two
}

TEST_CASE("ops: BatchNormalization folded into Conv and Gemm, padded and strided windows", "[zkml][ops]") {
  const Graph g = check_model("batchnorm", 0.08);
  CHECK(kinds(g) == std::vector<std::string>{"Conv+Relu", "MaxPool", "AvgPool", "Reshape", "Dense"});
  CHECK(g.layers[0].onnx_ops == "Conv+BatchNormalization+Relu");
  CHECK(g.layers[4].onnx_ops == "Gemm+BatchNormalization");
  CHECK(g.layers[0].window.sh == 2);
  CHECK(g.layers[1].window.pad_t == 1);
  CHECK(g.layers[2].window.pad_b == 1);
}

TEST_CASE("ops: a QDQ model (int8 weights, Q/DQ on activations)", "[zkml][ops]") {
  const Graph g = check_model("qdq", 0.08);
  CHECK(kinds(g) == std::vector<std::string>{"Conv+Relu", "Reshape", "Dense"});
}

TEST_CASE("ops: the importer names the node, the op and what is supported", "[zkml][ops][bad-input]") {
  std::string e = import_error("bad_op.onnx");
  CHECK_THAT(e, Catch::Contains("bad_op.onnx") && Catch::Contains("node 'cos' (Cos)") &&
                    Catch::Contains("not supported") && Catch::Contains("Gemm, MatMul"));
  e = import_error("bad_group.onnx");
  CHECK_THAT(e, Catch::Contains("node 'conv' (Conv)") && Catch::Contains("group = 3") && Catch::Contains("[1, 2, 5, 5]"));
  e = import_error("bad_dilation.onnx");
  CHECK_THAT(e, Catch::Contains("node 'pool' (MaxPool)") && Catch::Contains("dilations other than 1"));
  e = import_error("bad_missing_init.onnx");
  CHECK_THAT(e, Catch::Contains("node 'fc' (Gemm)") && Catch::Contains("'w_missing'") && Catch::Contains("missing initializer"));
  e = import_error("bad_logsoftmax.onnx");
  CHECK_THAT(e, Catch::Contains("node 'logsoftmax' (LogSoftmax)") && Catch::Contains("only as the graph's last op"));
  // A tensor over the documented limit (kMaxTensorElements, 2^24) is refused
  // while importing, before anything of its size is allocated.
  e = import_error("bad_huge_input.onnx");
  CHECK_THAT(e, Catch::Contains("bad_huge_input.onnx") && Catch::Contains("[1, 33554432]") &&
                    Catch::Contains("16777216 elements"));
}

TEST_CASE("ops: Sigmoid and Tanh after Gemm", "[zkml][ops][smooth]") {
  const Graph g = check_model("sigmoid_tanh", 0.02);
  CHECK(kinds(g) == std::vector<std::string>{"Dense", "Sigmoid", "Dense", "Tanh"});
}

TEST_CASE("ops: zero Pads folded into Conv and AveragePool, Dropout and Identity", "[zkml][ops]") {
  const Graph g = check_model("pad_pool", 0.05);
  CHECK(kinds(g) == std::vector<std::string>{"Conv+Relu", "AvgPool", "Reshape", "Dense"});
  CHECK(g.layers[0].onnx_ops == "Pad+Conv+Relu");
  CHECK((g.layers[0].window.pad_t == 1 && g.layers[0].window.pad_r == 1));
  // The Pad's zeros are values of the tensor AveragePool averages.
  CHECK(g.layers[1].onnx_ops == "Pad+AveragePool");
  CHECK((g.layers[1].window.pad_b == 1 && g.layers[1].window.pad_t == 0 && g.layers[1].window.count_include_pad));
}

TEST_CASE("ops: Split, Concat at two scales, Transpose, Slice, Gather, Expand and a dynamic-shape Reshape (ConstantOfShape too)",
          "[zkml][ops][structure]") {
  const Graph g = check_model("structure", 0.1);
  // The shape subgraph (Shape, Gather, Unsqueeze, ConstantOfShape, Concat, Cast) is folded
  // into a constant; Unsqueeze/Squeeze are reshapes; the rest select wires.
  CHECK(kinds(g) == std::vector<std::string>{"Dense", "Dense", "Select", "Select", "Select", "Reshape", "Select",
                                             "Reshape", "Select", "Select", "Select", "Reshape", "Select", "Dense"});
  const QuantizedModel q = quantize(g, calibrate(g, zkml_data_path("structure.onnx"),
                                                 read_input_json(zkml_data_path("structure.input.json"), {1, 8}), "x",
                                                 QuantConfig{}));
  // fc_b's output is coarser than fc_a's: the Concat rescales a2 to it.
  const QLayer& concat = q.layers[4];  // after fc_a, fc_b and Split's two outputs
  REQUIRE(concat.kind == LayerKind::Select);
  CHECK(concat.input_shift[0] > 0);
  CHECK(concat.input_shift[1] == 0);
}

TEST_CASE("ops: structural ops on what zkacc cannot select are errors naming the node", "[zkml][ops][bad-input]") {
  CHECK_THAT(import_error("bad_gather_dynamic.onnx"),  // float indices: not the integer input
             Catch::Contains("node 'embed' (Gather)") && Catch::Contains("int64/int32 input"));
  CHECK_THAT(import_error("bad_div.onnx"), Catch::Contains("node 'div' (Div)") && Catch::Contains("Div of a constant by an activation"));
  // An empty tensor is refused at import, before anything divides by its size.
  CHECK_THAT(import_error("bad_empty.onnx"), Catch::Contains("bad_empty.onnx: tensor 'output' has no elements (shape [1, 0])"));
}

// Regression: a Q→DQ pair names the Gemm's output twice. The Relu reads one
// name and the Add the other; fusing the Relu into the Gemm would also feed
// the Add relu(g), and the circuit would prove relu(g) + relu(g).
TEST_CASE("ops: a Relu is not fused into a layer another reader sees under another name", "[zkml][ops][regression]") {
  // The Q/DQ grid is 1/32: numpy applies it, zkacc's float evaluator does not.
  const Graph g = check_model("qdq_alias", 0.08, ZKACC_TEST_DATA_DIR, 1.0 / 64);
  CHECK(kinds(g) == std::vector<std::string>{"Dense", "Relu", "Add", "Dense"});
  CHECK(g.layers[2].inputs.size() == 2);
  CHECK(g.layers[2].inputs[1] == g.layers[0].output);  // the Add reads the Gemm's output, not the Relu's
}

// Regression: BatchNormalization after a MatMul of rank 3 normalizes axis 1
// ([1, 3, 5] @ [5, 3]: the 3 rows), not the 3 features it used to be folded
// along. It is not folded: a Scale layer computes it along axis 1.
TEST_CASE("ops: BatchNormalization is folded only along ONNX's axis 1", "[zkml][ops][regression]") {
  const Graph g = check_model("bn_rank3", 0.03);
  CHECK(kinds(g) == std::vector<std::string>{"Dense", "Scale"});
  CHECK(g.layers[1].onnx_ops == "BatchNormalization");
}

TEST_CASE("ops: Mul, Div, Sub, Neg with constants, Sub of activations, BatchNormalization after a Relu",
          "[zkml][ops][arithmetic]") {
  const Graph g = check_model("arithmetic", 0.05);
  CHECK(kinds(g) == std::vector<std::string>{"Scale", "Scale", "Relu", "Scale", "Add", "Scale", "Scale", "Add",
                                             "Reshape", "Dense"});
  CHECK(g.layers[4].input_sign == std::vector<int>{1, -1});
}

// Attention without its Softmax: QKᵀ (a MatMul of two activations, the
// right one transposed), a Sigmoid in the Softmax's place, A·V, a gate
// multiplied in (Mul of two activations), a mean over the sequence.
TEST_CASE("ops: MatMul and Mul of two activations in an attention block, ReduceMean", "[zkml][ops][product]") {
  const Graph g = check_model("attention", 0.01);
  CHECK(kinds(g) == std::vector<std::string>{"Dense", "Dense", "Dense", "Select", "MatMul", "Scale", "Sigmoid", "MatMul",
                                             "Dense", "Sigmoid", "Mul", "ReduceMean", "Dense"});
  const Layer& qk = g.layers[4];
  CHECK(qk.dims == Shape{1, 4, 8, 4});
  // Cost per output: K − 1 products and one rescale, whose constraint takes the last product.
  const Settings st = calibrate(g, zkml_data_path("attention.onnx"), read_input_json(zkml_data_path("attention.input.json"), {1, 4, 8}),
                                "attention.input.json", QuantConfig{});
  const ModelCircuit circuit(quantize(g, st));
  const int shift = circuit.model().layers[4].shift, bits = circuit.model().tensor(qk.output).bits;
  CHECK(circuit.summary().layers[5].constraints == 16u * static_cast<std::uint64_t>(7 + shift + bits + 2));
  CHECK(circuit.summary().layers[11].constraints == 32u * static_cast<std::uint64_t>(circuit.model().layers[10].shift + bits + 2));
}

TEST_CASE("ops: Clip, LeakyRelu, PRelu, HardSigmoid, HardSwish, Max, Min, ReduceMax, ReduceSum", "[zkml][ops][piecewise]") {
  const Graph g = check_model("piecewise", 0.16);
  CHECK(kinds(g) == std::vector<std::string>{"Conv", "Clip", "Conv", "LeakyRelu", "LeakyRelu", "Scale", "Clip", "Scale",
                                             "Clip", "Mul", "ReduceMax", "Select", "Max", "Select", "Min", "Clip", "Add",
                                             "ReduceSum", "Reshape", "Dense"});
  CHECK(g.layers[1].lo == 0.0);
  CHECK(g.layers[1].hi == 6.0);
  CHECK(g.layers[15].onnx_ops == "Max");  // Max with a scalar constant is a Clip
  CHECK(g.layers[15].lo == Approx(-0.25));
  CHECK(std::isinf(g.layers[15].hi));
}

TEST_CASE("ops: Gemm of two activations, batched and vector MatMul, broadcast Mul, Sum, Mean, broadcast Sub",
          "[zkml][ops][product]") {
  const Graph g = check_model("products", 0.12);
  const auto k = kinds(g);
  CHECK(std::count(k.begin(), k.end(), "MatMul") == 3);  // batched, Gemm, vector (the two with weights are Dense)
  CHECK(std::count(k.begin(), k.end(), "Mul") == 1);
  for (const Layer& l : g.layers)
    if (l.name == "batched") CHECK(l.dims == Shape{2, 3, 4, 3});
    else if (l.name == "vec") CHECK(l.dims == Shape{1, 3, 4, 1});
    else if (l.name == "sum3") CHECK(l.inputs.size() == 3);
}

// GELU as PyTorch exports it before opset 20 (Div √2, Erf, Add 1, Mul x,
// Mul ½) is fused into one Gelu layer only when no other layer reads a
// tensor inside the chain: the second chain's Erf output is also added to
// the result, so its five ops stay separate layers (and still agree).
TEST_CASE("ops: GELU's Erf form fused where legal, Erf alone, Pow 3, the opset-20 Gelu op", "[zkml][ops][smooth]") {
  const Graph g = check_model("gelu_forms", 0.04 * 134);  // outputs reach ±134 through the cube
  CHECK(kinds(g) == std::vector<std::string>{"Dense", "Gelu", "Scale", "Erf", "Add", "Mul", "Scale", "Add", "Add", "Mul",
                                             "Mul", "Dense"});
  CHECK(g.layers[1].onnx_ops == "Gelu(Div+Erf+Add+Mul+Mul)");
  CHECK(g.layers[1].inputs == std::vector<int>{g.layers[0].output});
  const Graph op = check_model("gelu_op", 0.01);
  CHECK(kinds(op) == std::vector<std::string>{"Dense", "GeluTanh", "Dense", "Gelu", "Dense"});
}

// Softmax inside the graph: along the keys of an attention block, along
// axis 1 of its output; the last Softmax is still dropped (logits proved).
TEST_CASE("ops: Softmax along any axis inside the graph", "[zkml][ops][softmax]") {
  const Graph g = check_model("softmax_attention", 0.02);
  CHECK(g.dropped_head == "Softmax");
  const auto k = kinds(g);
  CHECK(std::count(k.begin(), k.end(), "Softmax") == 2);
  for (const Layer& l : g.layers) {
    if (l.name == "attn") CHECK(l.dims == Shape{5, 5});  // rows over (batch, query), n = 5 keys
    if (l.name == "over_seq") {
      CHECK(l.dims == Shape{8, 5});                     // axis 1 of [1, 5, 8]: 8 rows of 5
      CHECK(l.select[1] - l.select[0] == 8);            // a row steps along axis 1
    }
  }
}

// Constants joined with activations (a class token in front of the patch
// tokens, a second constant token behind them): one Select whose constants
// are wires fixed by one constraint each, at the Select's own scale.
TEST_CASE("ops: Concat of constants and an activation (a class token)", "[zkml][ops][structure]") {
  const Graph g = check_model("class_token", 0.03);
  const auto join = std::find_if(g.layers.begin(), g.layers.end(), [](const Layer& l) { return l.name == "join"; });
  REQUIRE(join != g.layers.end());
  CHECK(join->kind == LayerKind::Select);
  CHECK(join->inputs.size() == 1);         // the patch tokens
  CHECK(join->weight.data.size() == 8);    // the class token and the second token, 4 values each
  CHECK(join->select[0] == 16);            // output token 0 is the class token: after the 16 activation values
  CHECK(join->select[4] == 0);             // token 1 is the first patch
  CHECK(join->select[20] == 20);           // token 5 is the second constant
  const Graph again = import_onnx(zkml_data_path("class_token.onnx"));
  const std::vector<double> x = read_input_json(zkml_data_path("class_token.input.json"), {1, 2, 4, 4});
  const QuantizedModel q = quantize(again, calibrate(again, zkml_data_path("class_token.onnx"), x, "x", QuantConfig{}));
  const auto qj = std::find_if(q.layers.begin(), q.layers.end(), [](const QLayer& l) { return l.name == "join"; });
  const QTensor& out = q.tensor(qj->output);
  for (std::size_t j = 0; j < qj->weight.size(); ++j)  // each constant at the output's scale, within its bits
    CHECK(std::abs(double(qj->weight[j]) - std::ldexp(join->weight.data[j], out.frac)) <= 0.5);
  const ModelCircuit circuit(q);
  CHECK(circuit.layer_gadgets(static_cast<std::size_t>(qj - q.layers.begin())).select_constants > 0);
}

// Where with a constant condition (PyTorch writes one for expand(B, -1, -1)):
// a Select between two activations, and between an activation and a
// constant; a comparison of activations is refused.
TEST_CASE("ops: Equal of constants, Where with a constant condition", "[zkml][ops][structure]") {
  const Graph g = check_model("where_select", 0.03);
  CHECK(kinds(g) == std::vector<std::string>{"Dense", "Dense", "Select", "Select", "Dense"});
  const Layer& pick = g.layers[2];
  CHECK(pick.inputs.size() == 2);
  CHECK(pick.select == std::vector<std::int64_t>{0, 5, 2, 7});  // equal at 0 and 2: a; else b (after a's 4 values)
  const Layer& fill = g.layers[3];
  CHECK(fill.select == std::vector<std::int64_t>{0, 5, 2, 3});  // the mask's false position reads the constant
  CHECK(fill.weight.data.size() == 4);
  CHECK_THAT(import_error("bad_where_dynamic.onnx"),
             Catch::Contains("node 'positive' (Greater)") && Catch::Contains("compares an activation"));
}

// A final LogSoftmax (F.log_softmax) is dropped like a final Softmax: the
// logits are proved; onnxruntime's log-probabilities are compared after a
// LogSoftmax of them (differential test).
TEST_CASE("ops: a final LogSoftmax is dropped, the logits proved", "[zkml][ops][softmax]") {
  const Graph g = check_model("log_softmax_head", 0.02);
  CHECK(g.dropped_head == "LogSoftmax");
  CHECK(kinds(g) == std::vector<std::string>{"Dense+Relu", "Dense"});
}

// Depthwise (group = C), grouped and dilated 2-D convolutions and a 1-D
// convolution with stride, padding and dilation: each is a plain Conv layer
// with zeros in its kernel (and Reshapes around the 1-D one).
TEST_CASE("ops: depthwise, grouped, dilated and 1-D Conv", "[zkml][ops][conv]") {
  const Graph g = check_model("conv_variants", 0.05);
  CHECK(kinds(g) == std::vector<std::string>{"Conv", "Conv+Relu", "Conv", "Reshape", "Reshape", "Conv", "Reshape", "Reshape",
                                             "Dense"});
  CHECK(g.layers[0].onnx_ops == "Conv (grouped)");
  CHECK(g.layers[0].weight.shape == Shape{4, 4, 3, 3});  // depthwise: the kernel's cross-channel taps are zero
  CHECK(g.layers[2].weight.shape == Shape{4, 4, 5, 5});  // dilation 2 spreads a 3×3 kernel over 5×5
}

// A text model's front: int64 token ids looked up in an embedding table
// (Gather by the input), then position, LayerNorm and attention. An id is
// an integer at frac 0; ids computed inside the graph are refused.
TEST_CASE("ops: an embedding lookup by int64 token ids", "[zkml][ops][embedding]") {
  const Graph g = check_model("embedding", 0.02);
  CHECK(g.input_integer);
  CHECK(g.layers[0].kind == LayerKind::Embedding);
  CHECK(g.layers[0].dims == Shape{20, 8});
  CHECK(g.tensors[static_cast<std::size_t>(g.layers[0].output)].shape == Shape{1, 6, 8});
  const Settings st = calibrate(g, zkml_data_path("embedding.onnx"), read_input_json(zkml_data_path("embedding.input.json"), {1, 6}),
                                "embedding.input.json", QuantConfig{});
  CHECK(st.input_frac == 0);
  CHECK(st.input_bits >= 6);  // ids up to 19, non-negative: 5 bits of magnitude and the sign's
  const ModelCircuit circuit(quantize(g, st));
  CHECK(circuit.summary().layers[1].constraints == 6u * (20 + 2 + 8));  // per id: V booleans, two sums, D outputs
  // An id outside the table, and a fraction, are errors naming the input.
  CHECK_THROWS_WITH(infer(circuit, std::vector<double>{1, 2, 3, 4, 5, 20}, "ids.json"),
                    Catch::Contains("id 20") && Catch::Contains("20-row table"));
  CHECK_THROWS_WITH(infer(circuit, std::vector<double>{1, 2, 3, 4, 5, 2.5}, "ids.json"),
                    Catch::Contains("ids.json") && Catch::Contains("not an integer"));
  CHECK_THAT(import_error("bad_embed_computed.onnx"),
             Catch::Contains("node 'embed' (Gather)") && Catch::Contains("indices computed inside the graph"));
}

// Div of two activations (by a broadcast positive divisor), Reciprocal and
// Sqrt; a divisor that is not positive is an error when the witness is made.
TEST_CASE("ops: Div of activations, Reciprocal, Sqrt", "[zkml][ops][division]") {
  const Graph g = check_model("division", 0.05);
  const auto k = kinds(g);
  for (const char* kind : {"Div", "Reciprocal", "Sqrt"}) CHECK(std::count(k.begin(), k.end(), kind) == 1);
  const Graph neg = import_onnx(zkml_data_path("div_negative.onnx"));
  const std::vector<double> x{0.5, -0.25, 0.75, 1.0};
  const ModelCircuit circuit(quantize(neg, calibrate(neg, zkml_data_path("div_negative.onnx"), x, "x", QuantConfig{})));
  // Calibration itself runs the float model, which divides fine; the integer model refuses a divisor ≤ 0.
  CHECK_THROWS_WITH(infer(circuit, x, "x.json"), Catch::Contains("layer 'div'") && Catch::Contains("is not positive"));
}

// Exp up to the calibrated range: e^M·e^(x − M); an input above M is an
// error when the witness is made, never a wrong value.
TEST_CASE("ops: Exp, and inputs beyond its calibrated range", "[zkml][ops][smooth]") {
  const Graph g = check_model("exp_op", 0.05);
  CHECK(kinds(g) == std::vector<std::string>{"Dense", "Exp", "Dense"});
  const std::vector<double> x = read_input_json(zkml_data_path("exp_op.input.json"), {1, 8});
  const ModelCircuit circuit(quantize(g, calibrate(g, zkml_data_path("exp_op.onnx"), x, "exp_op.input.json", QuantConfig{})));
  // An input in the input's range whose pre-activation (the row of the
  // largest weights, all signs aligned) goes beyond the calibrated one.
  const FloatTensor& w = g.layers[0].weight;  // [6, 8]
  std::size_t row = 0;
  double best = -1;
  for (std::size_t j = 0; j < 6; ++j) {
    double sum = 0;
    for (std::size_t i = 0; i < 8; ++i) sum += std::abs(w.data[j * 8 + i]);
    if (sum > best) best = sum, row = j;
  }
  std::vector<double> big(8);
  for (std::size_t i = 0; i < 8; ++i) big[i] = w.data[row * 8 + i] >= 0 ? 0.99 : -0.99;
  CHECK_THROWS_WITH(infer(circuit, big, "big.json"), Catch::Contains("layer 'exp'") && Catch::Contains("calibrated range"));
}

// LayerNormalization over the last axis and the last two, then the
// decomposed form PyTorch exports before opset 17, fused into the same layer.
TEST_CASE("ops: LayerNormalization and its decomposed form", "[zkml][ops][layer-norm]") {
  const Graph g = check_model("layer_norm", 0.015);
  CHECK(kinds(g) == std::vector<std::string>{"Dense", "LayerNorm", "LayerNorm", "LayerNorm", "Reshape", "Dense"});
  CHECK(g.layers[1].dims == Shape{3, 6});
  CHECK(g.layers[2].dims == Shape{1, 18});
  CHECK(g.layers[2].epsilon == Approx(1e-3));
  CHECK(g.layers[3].onnx_ops == "LayerNorm(ReduceMean+Sub+Pow+ReduceMean+Add+Sqrt+Div+Mul+Add)");
  CHECK(g.layers[3].epsilon == Approx(1e-5));
}

TEST_CASE("ops: products and piecewise-linear ops refuse what does not fit", "[zkml][ops][bad-input]") {
  // Settings that give a LeakyRelu fewer bits than its scaled branch needs.
  const Graph g = import_onnx(zkml_data_path("piecewise.onnx"));
  Settings st = calibrate(g, zkml_data_path("piecewise.onnx"), read_input_json(zkml_data_path("piecewise.input.json"), {1, 2, 4, 4}),
                          "piecewise.input.json", QuantConfig{});
  for (LayerSettings& l : st.layers)
    if (l.name == "prelu") --l.bits;
  CHECK_THROWS_WITH(quantize(g, st, "edited.json"), Catch::Contains("edited.json") && Catch::Contains("('prelu')") &&
                                                        Catch::Contains("a LeakyRelu keeps its input's frac"));
}

TEST_CASE("ops: a zero Pad before MaxPool cannot fold", "[zkml][ops][bad-input]") {
  CHECK_THAT(import_error("bad_pad_maxpool.onnx"),
             Catch::Contains("node 'pad' (Pad)") && Catch::Contains("MaxPool pads with -inf"));
}

// Models as a new user writes them: torch.onnx.export with its defaults
// (tests/zkml/torch/export_torch_models.py). nn.AvgPool2d comes out as
// Constant + Pad (all zero) + AveragePool.
TEST_CASE("ops: a PyTorch CNN with nn.AvgPool2d, MLPs with nn.Tanh and nn.Sigmoid, and with nn.GELU", "[zkml][ops][torch]") {
  const std::string dir = std::string(ZKACC_TEST_DATA_DIR) + "/../torch";
  Graph cnn = check_model("avgpool_cnn", 0.05, dir);
  CHECK(kinds(cnn) == std::vector<std::string>{"Conv+Relu", "AvgPool", "Conv+Relu", "AvgPool", "Reshape", "Dense"});
  Graph mlp = check_model("tanh_sigmoid_mlp", 0.05, dir);
  CHECK(kinds(mlp) == std::vector<std::string>{"Reshape", "Dense", "Tanh", "Dense", "Sigmoid", "Dense"});
  // nn.GELU() and nn.GELU(approximate="tanh"): subgraphs at the default opset, each fused into one layer.
  Graph gelu = check_model("gelu_mlp", 0.07, dir);
  CHECK(kinds(gelu) == std::vector<std::string>{"Reshape", "Dense", "Gelu", "Dense", "GeluTanh", "Dense"});
}

// A vision transformer as torch.onnx.export writes it by default: patch
// Conv, position Add, LayerNorm (decomposed, fused), nn.MultiheadAttention
// (Gemm/MatMul of activations, Reshape/Transpose/Slice, Softmax inside),
// GELU (decomposed, fused), residual Adds, mean over the tokens.
TEST_CASE("ops: a PyTorch vision transformer with nn.MultiheadAttention, nn.LayerNorm and nn.GELU", "[zkml][ops][torch]") {
  const std::string dir = std::string(ZKACC_TEST_DATA_DIR) + "/../torch";
  const Graph vit = check_model("vit_tiny", 0.06, dir);
  const auto k = kinds(vit);
  CHECK(std::count(k.begin(), k.end(), "LayerNorm") == 3);
  CHECK(std::count(k.begin(), k.end(), "Softmax") == 1);
  CHECK(std::count(k.begin(), k.end(), "Gelu") == 1);
  CHECK(std::count(k.begin(), k.end(), "MatMul") == 2);  // QKᵀ and A·V
}

TEST_CASE("ops: malformed ONNX bytes and inputs are errors naming the file", "[zkml][ops][bad-input]") {
  CHECK_THROWS_WITH(import_onnx_bytes("", "x.onnx"), Catch::Contains("x.onnx") && Catch::Contains("empty"));
  CHECK_THROWS_WITH(import_onnx_bytes("this is not a protobuf \xff\xff\xff", "x.onnx"),
                    Catch::Contains("x.onnx: is not an ONNX model"));
  const std::string mlp = prover::read_text_file(zkacc::test::model_path("mlp.onnx"));
  CHECK_THROWS_WITH(import_onnx_bytes(mlp.substr(0, mlp.size() / 2), "cut.onnx"), Catch::Contains("cut.onnx"));
  CHECK_THROWS_WITH(import_onnx(zkml_data_path("no_such.onnx")), Catch::Contains("no_such.onnx: cannot open"));

  const Shape shape{1, 4};
  CHECK_THROWS_WITH(input_from_json("{\"input\": [[1, 2, 3]]}", "in.json", shape),
                    Catch::Contains("in.json: has 3 input values") && Catch::Contains("[1, 4]"));
  CHECK_THROWS_WITH(input_from_json("{\"input\": [1, 2, \"x\", 4]}", "in.json", shape),
                    Catch::Contains("in.json: input[2] is a string, not a number"));
  CHECK_THROWS_WITH(input_from_json("{\"input\": [1, 2, null, 4]}", "in.json", shape), Catch::Contains("input[2] is null"));
  CHECK_THROWS_WITH(input_from_json("{\"input\": [1, 2, 3, 4, 5]}", "in.json", shape), Catch::Contains("more input values"));
  CHECK_THROWS_WITH(input_from_json("{\"input\": [1, 2, 3, 4], \"input_shape\": [4]}", "in.json", shape),
                    Catch::Contains("\"input_shape\" is [4], the model's input is [1, 4]"));
  CHECK_THROWS_WITH(input_from_json("{\"pixels\": []}", "in.json", shape), Catch::Contains("no \"input\" list"));
  CHECK_THROWS_WITH(input_from_json("[1, 2", "in.json", shape), Catch::Contains("in.json: is not valid JSON"));
  CHECK(input_from_json("{\"input_data\": [[1, 2], [3, 4.5]]}", "in.json", shape) == std::vector<double>{1, 2, 3, 4.5});
}

TEST_CASE("ops: values beyond the fixed-point range are errors, never clipped", "[zkml][ops][bad-input]") {
  const std::string onnx = zkacc::test::model_path("mlp.onnx");
  const Graph g = import_onnx(onnx);
  std::vector<double> x(784, 0.5);
  const Settings st = calibrate(g, onnx, x, "half", QuantConfig{});
  const ModelCircuit circuit(quantize(g, st));
  // The input's range is [0, 127/64]: 2.0 is one step outside, -0.01 below a non-negative input.
  x[17] = 2.0;
  CHECK_THROWS_WITH(infer(circuit, x, "big.json"), Catch::Contains("big.json: input value 2 at index 17 is outside"));
  x[17] = -0.01;
  CHECK_THROWS_WITH(infer(circuit, x, "neg.json"), Catch::Contains("neg.json: input value -0.01 at index 17"));
  // An input in range that drives a layer past its calibrated range: an
  // overflow error naming the layer, never a clipped value.
  std::vector<double> bright(784, 1.9);
  const std::vector<double> dim(784, 0.01);
  Settings tight = calibrate(g, onnx, dim, "dim", QuantConfig{12, 10, 8, 0});
  tight.input_frac = 6;  // the input itself still fits; the layers were calibrated on a dim image
  const ModelCircuit small(quantize(g, tight));
  CHECK_THROWS_WITH(infer(small, bright, "bright.json"),
                    Catch::Contains("bright.json: layer '") && Catch::Contains("is outside its 12-bit range"));
}

TEST_CASE("ops: settings made for another model are refused", "[zkml][ops][bad-input]") {
  const Graph mlp = import_onnx(zkacc::test::model_path("mlp.onnx"));
  const Settings cnn_settings = read_settings(zkacc::test::model_path("reference/cnn.settings.json"));
  CHECK_THROWS_WITH(check_settings_model(cnn_settings, "cnn.settings.json", zkacc::test::model_path("mlp.onnx")),
                    Catch::Contains("cnn.settings.json: was made for cnn.onnx") && Catch::Contains("not for mlp.onnx"));
  CHECK_THROWS_WITH(quantize(mlp, cnn_settings, "cnn.settings.json"),
                    Catch::Contains("cnn.settings.json: has 6 layers, the model mlp.onnx has 2"));
  CHECK_THROWS_WITH(settings_from_json("{\"format\": \"zkacc-zkml-settings\", \"version\": 1}", "s.json"),
                    Catch::Contains("s.json: $.model is missing"));
  CHECK_THROWS_WITH(settings_from_json("{}", "s.json"), Catch::Contains("s.json: is not a zkacc settings file"));
}
