// Calibration over a data set (calibration.hpp, input_json.hpp): the set's
// formats and their errors, the statistics, and what happens to an input
// beyond the calibrated range (an error naming the layer, never a clip).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "zkacc/common/error.hpp"
#include "zkacc/zkml/calibration.hpp"
#include "zkacc/zkml/circuit.hpp"
#include "zkacc/zkml/input_json.hpp"
#include "zkacc/zkml/onnx_import.hpp"
#include "zkacc/zkml/pipeline.hpp"
#include "zkml/test_util.hpp"

using namespace zkacc;
using namespace zkacc::zkml;

namespace {

const std::string kTorchDir = std::string(ZKACC_TEST_DATA_DIR) + "/../torch";
const Shape kImage{1, 1, 28, 28};

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("calibration: a JSON list, one input and a directory of inputs", "[zkml][calibration]") {
  const auto set = read_calibration_set(kTorchDir + "/tanh_sigmoid_mlp.calibration.json", kImage);
  CHECK(set.size() == 16);
  for (const auto& x : set) CHECK(x.size() == 784);
  CHECK(read_calibration_set(kTorchDir + "/tanh_sigmoid_mlp.input.json", kImage).size() == 1);

  test::TempDir dir;
  write(dir.file("b.json"), "{\"input\": [1, 2, 3, 4]}");
  write(dir.file("a.json"), "{\"input\": [[5, 6], [7, 8]]}");
  write(dir.file("notes.txt"), "not an input");
  const auto from_dir = read_calibration_set(dir.file(""), Shape{1, 4});
  REQUIRE(from_dir.size() == 2);
  CHECK(from_dir[0] == std::vector<double>{5, 6, 7, 8});  // name order
  write(dir.file("list.json"), "[[1, 2, 3, 4], {\"input\": [0, 0, 0, 1]}, [[1, 1], [1, 1]]]");
  CHECK(read_calibration_set(dir.file("list.json"), Shape{1, 4}).size() == 3);
}

TEST_CASE("calibration: inputs that disagree with the model's shape name the file and the input",
          "[zkml][calibration][bad-input]") {
  test::TempDir dir;
  write(dir.file("cal.json"), "[[1, 2, 3, 4], [1, 2, 3], [1, 2, 3, 4]]");
  CHECK_THROWS_WITH(read_calibration_set(dir.file("cal.json"), Shape{1, 4}),
                    Catch::Contains("cal.json: input 1: has 3 input values") && Catch::Contains("[1, 4]"));
  write(dir.file("cal.json"), "[[1, 2, 3, 4], \"x\"]");
  CHECK_THROWS_WITH(read_calibration_set(dir.file("cal.json"), Shape{1, 4}), Catch::Contains("cal.json: input 1 is neither"));
  write(dir.file("cal.json"), "[]");
  CHECK_THROWS_WITH(read_calibration_set(dir.file("cal.json"), Shape{1, 4}), Catch::Contains("cal.json: the calibration list is empty"));
  std::filesystem::create_directory(dir.file("empty"));
  CHECK_THROWS_WITH(read_calibration_set(dir.file("empty"), Shape{1, 4}), Catch::Contains("holds no .json input"));
  CHECK_THROWS_WITH(CalibrationStatistic::parse("p20"), Catch::Contains("'p20' is not supported"));
  CHECK_THROWS_WITH(CalibrationStatistic::parse("mean"), Catch::Contains("'mean' is not supported"));
  CHECK(CalibrationStatistic::parse("p99.9").percentile == 99.9);
}

TEST_CASE("calibration: max over a set covers every input, a percentile covers less", "[zkml][calibration]") {
  const std::string onnx = kTorchDir + "/tanh_sigmoid_mlp.onnx";
  const Graph g = import_onnx(onnx);
  const auto set = read_calibration_set(kTorchDir + "/tanh_sigmoid_mlp.calibration.json", kImage);
  const CalibrationRange all = measure_calibration(g, set, CalibrationStatistic{});
  const CalibrationRange p90 = measure_calibration(g, set, CalibrationStatistic::parse("p90"));
  for (const auto& x : set) {
    const CalibrationRange one = measure_calibration(g, {x}, CalibrationStatistic{});
    for (std::size_t i = 0; i < g.layers.size(); ++i) CHECK(one.layer_max_abs[i] <= all.layer_max_abs[i]);
  }
  for (std::size_t i = 0; i < g.layers.size(); ++i) CHECK(p90.layer_max_abs[i] <= all.layer_max_abs[i]);
  CHECK(p90.input_max_abs == all.input_max_abs);  // the input always by max

  // Settings from the set prove every input of the set.
  const Settings st = calibrate(g, onnx, set, "set", QuantConfig{}, CalibrationStatistic{});
  CHECK_THAT(st.calibration, Catch::Contains("16 inputs, max"));
  const ModelCircuit circuit(quantize(g, st));
  for (const auto& x : set) CHECK_NOTHROW(infer(circuit, x, "x"));
  // With no headroom and the 50th percentile, some input of the set leaves
  // the range: an error naming the layer, never a clipped value.
  const Settings tight = calibrate(g, onnx, set, "set", QuantConfig{12, 10, 8, 0}, CalibrationStatistic::parse("p50"));
  const ModelCircuit small(quantize(g, tight));
  int refused = 0;
  for (const auto& x : set) {
    try {
      infer(small, x, "x.json");
    } catch (const Error& e) {
      CHECK_THAT(std::string(e.what()), Catch::Contains("x.json: layer '") && Catch::Contains("outside its 12-bit range"));
      ++refused;
    }
  }
  CHECK(refused > 0);
}
