// Accuracy and cross-checks on real data: the first 100 Fashion-MNIST test
// images (the Debian package dataset-fashion-mnist), for both committed
// models with their committed settings (models/reference/<model>.settings.json):
//
//  * zkacc's witness outputs equal, integer for integer, those of the
//    independent numpy evaluator models/quantized_reference.py
//    (models/reference/<model>_test100.json);
//  * zkacc's float evaluator equals numpy's float logits;
//  * argmax agreement of the quantized with the float model ≥ 98 %, and the
//    largest logit error stays small.
//
// ZKACC_ACCURACY_IMAGES=1000 also measures agreement and error on that many
// images (the numbers in docs/zkml.md) and prints them.
#include <catch2/catch.hpp>

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/zkml/circuit.hpp"
#include "zkacc/zkml/float_eval.hpp"
#include "zkacc/zkml/input_json.hpp"
#include "zkacc/zkml/onnx_import.hpp"
#include "zkacc/zkml/pipeline.hpp"
#include "zkml/test_util.hpp"

using namespace zkacc;
using namespace zkacc::zkml;
using zkacc::test::model_path;

namespace {

constexpr const char* kDataDir = "/usr/share/datasets/fashion-mnist";

// An idx file (gzip): the big-endian header, then bytes.
std::vector<std::uint8_t> read_idx_gz(const std::string& path, std::vector<std::uint32_t>& dims) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f)
    FAIL(path << " is missing: install the Debian package dataset-fashion-mnist (scripts/setup.sh does)");
  std::vector<std::uint8_t> data;
  std::uint8_t buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) data.insert(data.end(), buf, buf + n);
  gzclose(f);
  REQUIRE(data.size() >= 4);
  const int ndim = data[3];
  dims.clear();
  for (int i = 0; i < ndim; ++i)
    dims.push_back(std::uint32_t(data[4 + 4 * i]) << 24 | std::uint32_t(data[5 + 4 * i]) << 16 |
                   std::uint32_t(data[6 + 4 * i]) << 8 | data[7 + 4 * i]);
  return {data.begin() + 4 + 4 * ndim, data.end()};
}

struct TestSet {
  std::vector<std::uint8_t> pixels, labels;
  std::vector<double> image(std::size_t k) const {
    std::vector<double> x(784);
    // pixel / 255 in float32, as the models were trained and exported
    for (std::size_t i = 0; i < 784; ++i) x[i] = double(float(pixels[k * 784 + i]) / 255.0f);
    return x;
  }
};

const TestSet& test_set() {
  static const TestSet t = [] {
    TestSet s;
    std::vector<std::uint32_t> d;
    s.pixels = read_idx_gz(std::string(kDataDir) + "/t10k-images-idx3-ubyte.gz", d);
    REQUIRE(d == std::vector<std::uint32_t>{10000, 28, 28});
    s.labels = read_idx_gz(std::string(kDataDir) + "/t10k-labels-idx1-ubyte.gz", d);
    return s;
  }();
  return t;
}

std::size_t argmax(const std::vector<double>& v) {
  return static_cast<std::size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

struct Measure {
  std::size_t n = 0, agree = 0, correct_q = 0, correct_f = 0;
  double max_err = 0;
};

void check_model(const std::string& name) {
  const std::string onnx = model_path(name + ".onnx");
  const Graph g = import_onnx(onnx);
  const Settings st = read_settings(model_path("reference/" + name + ".settings.json"));
  check_settings_model(st, "reference settings", onnx);
  const ModelCircuit circuit(quantize(g, st));
  const auto ref = nlohmann::json::parse(prover::read_text_file(model_path("reference/" + name + "_test100.json")));
  const std::size_t n = ref["images"].get<std::size_t>();
  REQUIRE(n == 100);
  const TestSet& data = test_set();
  Measure m;
  for (std::size_t k = 0; k < n; ++k) {
    INFO(name << " test image " << k);
    const std::vector<double> x = data.image(k);
    const std::vector<double> fl = evaluate_float(g, x).values[static_cast<std::size_t>(g.output)];
    const Inference inf = infer(circuit, x, "image");  // witness made and checked against the circuit
    // The independent numpy evaluator, integer for integer.
    REQUIRE(inf.quantized == ref["quantized_outputs"][k].get<std::vector<std::int64_t>>());
    const auto ref_float = ref["float_logits"][k].get<std::vector<double>>();
    for (std::size_t i = 0; i < fl.size(); ++i) REQUIRE(fl[i] == Approx(ref_float[i]).margin(1e-9));
    CHECK(ref["labels"][k].get<int>() == data.labels[k]);
    ++m.n;
    m.agree += argmax(fl) == inf.argmax;
    m.correct_q += inf.argmax == data.labels[k];
    m.correct_f += argmax(fl) == data.labels[k];
    for (std::size_t i = 0; i < fl.size(); ++i) m.max_err = std::max(m.max_err, std::abs(fl[i] - inf.output[i]));
  }
  std::cerr << name << ": " << m.n << " test images: argmax agreement " << m.agree << "/" << m.n
            << ", max |quantized - float| logit " << m.max_err << ", accuracy quantized " << m.correct_q << ", float "
            << m.correct_f << "\n";
  CHECK(double(m.agree) >= 0.98 * double(m.n));
  CHECK(m.max_err < 0.5);

  // A larger run for the documentation, on request (float vs quantized only).
  if (const char* env = std::getenv("ZKACC_ACCURACY_IMAGES")) {
    const std::size_t big = std::min<std::size_t>(std::strtoul(env, nullptr, 10), 10000);
    Measure b;
    for (std::size_t k = 0; k < big; ++k) {
      const std::vector<double> x = data.image(k);
      const std::vector<double> fl = evaluate_float(g, x).values[static_cast<std::size_t>(g.output)];
      const QuantizedRun run = evaluate_quantized(circuit.model(), quantize_input(circuit.model(), x, "image"));
      const std::vector<double> q = dequantized_output(circuit.model(), run);
      ++b.n;
      b.agree += argmax(fl) == argmax(q);
      b.correct_q += argmax(q) == data.labels[k];
      b.correct_f += argmax(fl) == data.labels[k];
      for (std::size_t i = 0; i < fl.size(); ++i) b.max_err = std::max(b.max_err, std::abs(fl[i] - q[i]));
    }
    std::cerr << name << ": " << b.n << " test images: argmax agreement " << b.agree << "/" << b.n
              << ", max |quantized - float| logit " << b.max_err << ", accuracy quantized " << b.correct_q
              << ", float " << b.correct_f << "\n";
    CHECK(double(b.agree) >= 0.98 * double(b.n));
  }
}

}  // namespace

TEST_CASE("accuracy: MLP on Fashion-MNIST test images", "[zkml][accuracy]") { check_model("mlp"); }
TEST_CASE("accuracy: CNN on Fashion-MNIST test images", "[zkml][accuracy]") { check_model("cnn"); }

TEST_CASE("accuracy: the committed settings are what calibration on sample 0 chooses", "[zkml][accuracy]") {
  for (const char* name : {"mlp", "cnn"}) {
    INFO(name);
    const std::string onnx = model_path(std::string(name) + ".onnx");
    const Graph g = import_onnx(onnx);
    const Settings committed = read_settings(model_path("reference/" + std::string(name) + ".settings.json"));
    const std::vector<double> x = read_input_json(model_path("inputs/" + std::string(name) + "_sample0.json"),
                                                  g.tensors[static_cast<std::size_t>(g.input)].shape);
    Settings fresh = calibrate(g, onnx, x, committed.calibration, QuantConfig{});
    fresh.model_file = committed.model_file;
    fresh.circuit = ModelCircuit(quantize(g, fresh)).summary();
    CHECK(settings_to_json(fresh) == settings_to_json(committed));
  }
}

// The ResNet and the vision transformer are calibrated once on a calibration
// set of training images (models/inputs/<model>_calibration.json), never on
// the proved input; their committed settings are what that calibration
// chooses today (the agreement with onnxruntime is zkml_agreement_<model>).
TEST_CASE("accuracy: the committed ResNet and ViT settings are what their calibration sets choose",
          "[zkml][accuracy]") {
  for (const char* name : {"resnet", "vit"}) {
    INFO(name);
    const std::string onnx = model_path(std::string(name) + ".onnx");
    const Graph g = import_onnx(onnx);
    const Settings committed = read_settings(model_path("reference/" + std::string(name) + ".settings.json"));
    const auto set = read_calibration_set(model_path("inputs/" + std::string(name) + "_calibration.json"),
                                          g.tensors[static_cast<std::size_t>(g.input)].shape);
    REQUIRE(set.size() == 32);
    Settings fresh = calibrate(g, onnx, set, committed.calibration.substr(0, committed.calibration.find(" (")), QuantConfig{},
                               CalibrationStatistic{});
    fresh.model_file = committed.model_file;
    fresh.circuit = ModelCircuit(quantize(g, fresh)).summary();
    CHECK(settings_to_json(fresh) == settings_to_json(committed));
  }
}
