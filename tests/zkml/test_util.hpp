// Helpers of the zkml tests: scratch directories, the committed models and
// their samples, compiled circuits, and a constraint checker that looks only
// at the constraints a wire appears in.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/zkml/circuit.hpp"
#include "zkacc/zkml/graph.hpp"
#include "zkacc/zkml/input_json.hpp"
#include "zkacc/zkml/onnx_import.hpp"
#include "zkacc/zkml/pipeline.hpp"
#include "zkacc/zkml/quantize.hpp"
#include "zkacc/zkml/settings.hpp"

namespace zkacc::test {

inline std::string model_path(const std::string& file) { return std::string(ZKACC_MODELS_DIR) + "/" + file; }
inline std::string zkml_data_path(const std::string& file) { return std::string(ZKACC_TEST_DATA_DIR) + "/" + file; }

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("zkacc-zkml-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// One of the committed samples of a committed model (models/inputs/<model>_sample<k>.json).
struct Sample {
  std::vector<double> input;
  std::vector<double> float_logits;
  int label;
};

inline Sample load_sample(const std::string& model, int k, const zkml::Shape& shape) {
  const std::string path = model_path("inputs/" + model + "_sample" + std::to_string(k) + ".json");
  const auto j = nlohmann::json::parse(prover::read_text_file(path));
  return {zkml::read_input_json(path, shape), j["float_logits"].get<std::vector<double>>(), j["label"].get<int>()};
}

struct Compiled {
  zkml::Graph graph;
  zkml::Settings settings;
  zkml::ModelCircuit circuit;
};

// An ONNX file compiled with scales calibrated on one input (default config).
inline Compiled compile_calibrated(const std::string& onnx_path, const std::vector<double>& calibration,
                                   const std::string& calibration_name) {
  zkml::Graph g = zkml::import_onnx(onnx_path);
  zkml::Settings st = zkml::calibrate(g, onnx_path, calibration, calibration_name, zkml::QuantConfig{});
  zkml::ModelCircuit c(zkml::quantize(g, st));
  return {std::move(g), std::move(st), std::move(c)};
}

// A committed model ("mlp", "cnn") calibrated on its sample 0.
inline Compiled compile(const std::string& model) {
  const std::string onnx = model_path(model + ".onnx");
  const zkml::Graph g = zkml::import_onnx(onnx);
  const Sample s0 = load_sample(model, 0, g.tensors[static_cast<std::size_t>(g.input)].shape);
  return compile_calibrated(onnx, s0.input, "sample0");
}

// Checks only the constraints a wire appears in, so that tampering with each
// of thousands of wires stays fast. For a witness that satisfies every
// constraint, a change of one wire breaks the witness exactly when it breaks
// one of that wire's constraints.
class IncidenceChecker {
 public:
  explicit IncidenceChecker(const prover::R1cs& r) : r_(r), by_wire_(r.n_wires) {
    for (std::uint32_t i = 0; i < r.n_constraints; ++i)
      for (int m = 0; m < 3; ++m)
        for (const auto& t : r.lc(i, m))
          if (by_wire_[t.wire].empty() || by_wire_[t.wire].back() != i) by_wire_[t.wire].push_back(i);
  }
  bool holds(std::uint32_t c, const std::vector<Fr>& w) const {
    auto eval = [&](int m) {
      Fr s;
      for (const auto& t : r_.lc(c, m)) s += t.coeff * w[t.wire];
      return s;
    };
    return eval(0) * eval(1) == eval(2);
  }
  // Every constraint, without building an error message (for loops over many candidates).
  bool all_hold(const std::vector<Fr>& w) const {
    for (std::uint32_t c = 0; c < r_.n_constraints; ++c)
      if (!holds(c, w)) return false;
    return true;
  }
  // The constraints the witness breaks, in order.
  std::vector<std::uint32_t> broken(const std::vector<Fr>& w) const {
    std::vector<std::uint32_t> out;
    for (std::uint32_t c = 0; c < r_.n_constraints; ++c)
      if (!holds(c, w)) out.push_back(c);
    return out;
  }
  // True if changing wire i by delta breaks at least one constraint.
  bool rejects(std::vector<Fr>& w, std::uint32_t i, const Fr& delta) const {
    const Fr old = w[i];
    w[i] += delta;
    bool broken = false;
    for (std::uint32_t c : by_wire_[i])
      if (!holds(c, w)) {
        broken = true;
        break;
      }
    w[i] = old;
    return broken;
  }
  bool wire_used(std::uint32_t i) const { return !by_wire_[i].empty(); }
  const std::vector<std::uint32_t>& constraints_of(std::uint32_t wire) const { return by_wire_[wire]; }
  const prover::R1cs& r1cs() const { return r_; }

 private:
  const prover::R1cs& r_;
  std::vector<std::vector<std::uint32_t>> by_wire_;
};

}  // namespace zkacc::test
