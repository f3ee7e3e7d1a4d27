#include "zkacc/zkml/pipeline.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "zkacc/common/error.hpp"
#include "zkacc/prover/binfile.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/zkml/float_eval.hpp"
#include "zkacc/zkml/input_json.hpp"
#include "zkacc/zkml/onnx_import.hpp"
#include "zkacc/zkml/sha256.hpp"

namespace zkacc::zkml {

Settings calibrate(const Graph& graph, const std::string& model_path, const std::vector<double>& calibration_input,
                   const std::string& calibration_name, const QuantConfig& config) {
  Settings s = choose_settings(graph, measure_calibration(graph, {calibration_input}, CalibrationStatistic{}), config,
                               calibration_name);
  s.model_file = prover::display_name(model_path);
  s.model_sha256 = sha256_file_hex(model_path);
  return s;
}

Settings calibrate(const Graph& graph, const std::string& model_path, const std::vector<std::vector<double>>& inputs,
                   const std::string& calibration_name, const QuantConfig& config, const CalibrationStatistic& statistic) {
  const std::string name = calibration_name + " (" + std::to_string(inputs.size()) + " input" +
                           (inputs.size() == 1 ? "" : "s") + ", " + statistic.name() + ")";
  Settings s = choose_settings(graph, measure_calibration(graph, inputs, statistic), config, name);
  s.model_file = prover::display_name(model_path);
  s.model_sha256 = sha256_file_hex(model_path);
  return s;
}

void check_settings_model(const Settings& s, const std::string& settings_name, const std::string& model_path) {
  const std::string sha = sha256_file_hex(model_path);
  if (s.model_sha256 != sha)
    throw Error(settings_name + ": was made for " + (s.model_file.empty() ? "another model" : s.model_file) +
                " (sha256 " + s.model_sha256.substr(0, 16) + "...), not for " + prover::display_name(model_path) +
                " (sha256 " + sha.substr(0, 16) + "...)");
}

void check_settings_circuit(const Settings& s, const std::string& settings_name, const CircuitSummary& c) {
  if (s.circuit.constraints == 0) return;  // settings written before compiling
  if (s.circuit.constraints != c.constraints || s.circuit.wires != c.wires)
    throw Error(settings_name + ": records a circuit of " + std::to_string(s.circuit.constraints) + " constraints and " +
                std::to_string(s.circuit.wires) + " wires, this zkacc builds " + std::to_string(c.constraints) + " and " +
                std::to_string(c.wires) + " from it (compiled by another version?)");
}

namespace {

// Scales calibrated on request.calibration, or on `fallback`.
Settings calibrated_settings(const Graph& g, const std::string& model_path, const SettingsRequest& r,
                             const std::vector<double>* fallback, const std::string& fallback_name) {
  const Shape& in_shape = g.tensors[static_cast<std::size_t>(g.input)].shape;
  const CalibrationStatistic statistic = CalibrationStatistic::parse(r.statistic);
  if (!r.calibration.empty()) {
    const std::vector<std::vector<double>> cal = read_calibration_set(r.calibration, in_shape);
    if (cal.size() == 1 && statistic.percentile >= 100)
      return calibrate(g, model_path, cal[0], prover::display_name(r.calibration), r.config);
    return calibrate(g, model_path, cal, prover::display_name(r.calibration), r.config, statistic);
  }
  if (fallback) return calibrate(g, model_path, *fallback, fallback_name, r.config);
  throw Error(prover::display_name(model_path) +
              ": no quantization settings: needs a settings file or an input to calibrate the fixed-point scales on");
}

// The requested visibilities. A change makes another circuit, so the
// circuit a settings file recorded no longer applies.
Settings with_visibility(Settings s, const SettingsRequest& r) {
  Exposure ex = s.exposure;
  if (!r.input_visibility.empty()) ex.input = parse_visibility(r.input_visibility, "input visibility");
  if (!r.output_visibility.empty()) ex.output = parse_visibility(r.output_visibility, "output visibility");
  if (!(ex == s.exposure)) {
    s.exposure = ex;
    s.circuit = {};
  }
  return s;
}

}  // namespace

Settings resolve_settings(const Graph& graph, const std::string& model_path, const SettingsRequest& request,
                          const std::vector<double>* fallback, const std::string& fallback_name) {
  if (!request.settings.empty()) {
    Settings s = read_settings(request.settings);
    check_settings_model(s, prover::display_name(request.settings), model_path);
    return with_visibility(std::move(s), request);
  }
  return with_visibility(calibrated_settings(graph, model_path, request, fallback, fallback_name), request);
}

std::unique_ptr<ModelCircuit> compile_circuit(const Graph& graph, Settings& settings, const SettingsRequest& request) {
  const std::string name = request.settings.empty() ? "settings" : prover::display_name(request.settings);
  auto circuit = std::make_unique<ModelCircuit>(quantize(graph, settings, name));
  settings.circuit = circuit->summary();
  return circuit;
}

CompiledModel compile_model(const std::string& model_path, const SettingsRequest& request) {
  CompiledModel m;
  m.graph = import_onnx(model_path);
  m.settings = resolve_settings(m.graph, model_path, request);
  m.circuit = compile_circuit(m.graph, m.settings, request);
  return m;
}

Inference infer(const ModelCircuit& circuit, const std::vector<double>& input, const std::string& input_name) {
  const QuantizedModel& m = circuit.model();
  Inference inf;
  const std::vector<std::int64_t> xq = quantize_input(m, input, input_name);
  try {
    inf.run = evaluate_quantized(m, xq);
  } catch (const Error& e) {
    throw Error(input_name + ": " + e.what());
  }
  inf.quantized = inf.run.values[static_cast<std::size_t>(m.output)];
  inf.output = dequantized_output(m, inf.run);
  inf.frac = m.tensor(m.output).frac;
  inf.argmax = static_cast<std::size_t>(std::max_element(inf.quantized.begin(), inf.quantized.end()) - inf.quantized.begin());
  inf.witness = circuit.witness(inf.run);
  return inf;
}

namespace {

nlohmann::ordered_json instance_json(const ModelCircuit& circuit, const Inference& inf) {
  nlohmann::ordered_json j;
  j["output"] = inf.output;
  j["output_quantized"] = inf.quantized;
  j["frac"] = inf.frac;
  j["argmax"] = inf.argmax;
  // The op the proof stops before ("Softmax", "LogSoftmax"), or null: the
  // ONNX output is that op applied to "output".
  j["dropped_head"] = circuit.model().dropped_head.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(circuit.model().dropped_head);
  // What public.json holds for each side (settings.hpp Visibility), and for
  // a side that is not public its public values as decimal strings: what a
  // dApp recomputes from the values (zkml/commitment.hpp).
  const Exposure& ex = circuit.model().exposure;
  j["visibility"] = {{"output", visibility_name(ex.output)}, {"input", visibility_name(ex.input)}};
  auto exposed = [&](Visibility v, std::size_t first, std::size_t n, const char* key) {
    if (v == Visibility::public_values) return;
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (std::size_t i = first; i < first + n; ++i) a.push_back(inf.witness[i].to_decimal());
    if (v == Visibility::hashed) j[std::string(key) + "_commitment"] = a[0];
    else j[std::string(key) + "_packed"] = std::move(a);
  };
  exposed(ex.output, 1, circuit.n_public_outputs(), "output");
  exposed(ex.input, 1 + circuit.n_public_outputs(), circuit.n_public_inputs(), "input");
  return j;
}

// public.json's order in words.
std::string public_note(const Exposure& ex, bool batch) {
  auto side = [](Visibility v, const char* what) -> std::string {
    switch (v) {
      case Visibility::public_values:
        return std::string(what == std::string("output") ? "output_quantized" : "the quantized input") +
               " (negative values as r - |v|)";
      case Visibility::packed: return std::string(what) + "_packed";
      case Visibility::hashed: return std::string(what) + "_commitment";
    }
    return "";
  };
  const std::string each = batch ? "every instance's " : "";
  return "public.json lists " + each + side(ex.output, "output") + ", then " + each + side(ex.input, "input");
}

}  // namespace

std::string inference_to_json(const ModelCircuit& circuit, const Inference& inf) {
  nlohmann::ordered_json j = instance_json(circuit, inf);
  j["note"] = public_note(circuit.model().exposure, false);
  return j.dump(1) + "\n";
}

std::string batch_to_json(const ModelCircuit& circuit, std::span<const Inference> infs) {
  nlohmann::ordered_json j;
  j["instances"] = nlohmann::ordered_json::array();
  for (const Inference& inf : infs) j["instances"].push_back(instance_json(circuit, inf));
  j["note"] = public_note(circuit.model().exposure, true) + ", instances in order";
  return j.dump(1) + "\n";
}

std::string verification_key_json(const prover::VerificationKey& vk, const Exposure& exposure) {
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(prover::vkey_to_json(vk));
  j["zkacc_public_signals"] = {
      {"output", visibility_name(exposure.output)},
      {"input", visibility_name(exposure.input)},
      {"order", "outputs, then inputs; per side: the values (public), packed elements (packed) or one "
                "Poseidon commitment (hashed), docs/zkml.md \"Public inputs\""}};
  return j.dump(1);
}

SetEvaluation evaluate_set(const Graph& graph, const QuantizedModel& model, std::span<const std::vector<double>> inputs,
                           ThreadPool& pool, const std::string& set_name) {
  const std::size_t n = inputs.size();
  SetEvaluation e;
  e.quantized.resize(n);
  e.float_out.resize(n);
  e.argmax.resize(n);
  e.float_argmax.resize(n);
  auto argmax = [](const std::vector<double>& v) {
    return static_cast<std::size_t>(std::max_element(v.begin(), v.end()) - v.begin());
  };
  pool.run(n, [&](std::size_t i) {
    const std::string name = set_name + ": input " + std::to_string(i);
    const QuantizedRun run = evaluate_quantized(model, quantize_input(model, inputs[i], name));
    e.quantized[i] = dequantized_output(model, run);
    e.float_out[i] = evaluate_float(graph, inputs[i]).values[static_cast<std::size_t>(graph.output)];
    // The first largest integer output, as Inference::argmax: ties in the
    // dequantized values are ties in the integers.
    e.argmax[i] = argmax(e.quantized[i]);
    e.float_argmax[i] = argmax(e.float_out[i]);
  });
  for (std::size_t i = 0; i < n; ++i) {
    e.agree += e.argmax[i] == e.float_argmax[i];
    for (std::size_t k = 0; k < e.quantized[i].size(); ++k)
      e.max_abs_error = std::max(e.max_abs_error, std::abs(e.quantized[i][k] - e.float_out[i][k]));
  }
  return e;
}

std::string set_evaluation_to_json(const SetEvaluation& e, const QuantizedModel& model) {
  nlohmann::ordered_json j;
  j["inputs"] = e.argmax.size();
  j["argmax_agreement"] = e.agree;
  j["max_abs_error"] = e.max_abs_error;
  j["dropped_head"] = model.dropped_head.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(model.dropped_head);
  j["outputs"] = e.quantized;
  j["float_outputs"] = e.float_out;
  j["argmax"] = e.argmax;
  j["float_argmax"] = e.float_argmax;
  j["note"] = "outputs: the quantized model (the circuit's outputs, dequantized); float_outputs: zkacc's float evaluator";
  return j.dump() + "\n";
}

}  // namespace zkacc::zkml
