// The steps the zkml commands (zkacc compile, witness, prove-model) and the
// C ABI's model functions (zkacc_model_*) share: settings chosen for a model
// file and checked against it, the model compiled to its circuit, one
// inference turned into a witness, and the output and verification key as
// people and files read them.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/zkml/calibration.hpp"
#include "zkacc/zkml/circuit.hpp"
#include "zkacc/zkml/graph.hpp"
#include "zkacc/zkml/qeval.hpp"
#include "zkacc/zkml/quantize.hpp"
#include "zkacc/zkml/settings.hpp"

namespace zkacc::zkml {

// Settings for `graph` (read from `model_path`) with scales calibrated on
// one input; records the model's file name and SHA-256.
Settings calibrate(const Graph& graph, const std::string& model_path, const std::vector<double>& calibration_input,
                   const std::string& calibration_name, const QuantConfig& config);
// The same over a calibration set (calibration.hpp), summarized by
// `statistic`; settings.json's "calibration" records the set's name, size
// and statistic.
Settings calibrate(const Graph& graph, const std::string& model_path, const std::vector<std::vector<double>>& inputs,
                   const std::string& calibration_name, const QuantConfig& config, const CalibrationStatistic& statistic);
// Throws unless the settings were made for this model file (same SHA-256).
void check_settings_model(const Settings& settings, const std::string& settings_name, const std::string& model_path);
// Throws if a rebuilt circuit differs in size from what compile recorded.
void check_settings_circuit(const Settings& settings, const std::string& settings_name, const CircuitSummary& rebuilt);

// How a model's quantization is chosen (the options of zkacc compile and
// prove-model, the arguments of zkacc_model_compile): a settings file made
// for the model, whose quantization is reused (the same circuit), or new
// settings with the fixed-point scales calibrated on inputs.
struct SettingsRequest {
  std::string settings;     // a settings.json made for this model file; empty: new settings
  std::string calibration;  // new settings: calibrated on this input JSON, JSON list of inputs or directory of inputs
  std::string statistic = "max";  // over the calibration inputs: max or a percentile such as p99.99 (calibration.hpp)
  QuantConfig config;             // the bits of new settings
  // "public", "packed" or "hashed" (settings.hpp Visibility); empty: the
  // settings' own (public for new settings).
  std::string input_visibility, output_visibility;
};

// The settings `request` asks for, for `graph` imported from `model_path`:
// the settings file, checked against the model file; else scales calibrated
// on request.calibration; else on `fallback`, one input named
// `fallback_name` (prove-model's own input). Then the requested
// visibilities: a change makes another circuit, so the circuit the settings
// recorded is dropped. Throws zkacc::Error if there is nothing to calibrate on.
Settings resolve_settings(const Graph& graph, const std::string& model_path, const SettingsRequest& request,
                          const std::vector<double>* fallback = nullptr, const std::string& fallback_name = {});

// The circuit of `graph` quantized with `settings` (resolved for `request`,
// whose settings file names them in messages); settings.circuit becomes the
// circuit's summary, as compile records it.
std::unique_ptr<ModelCircuit> compile_circuit(const Graph& graph, Settings& settings, const SettingsRequest& request);

// A model as `zkacc compile` makes it: imported, its settings resolved and
// its circuit built. Every member is only read afterwards, so one compiled
// model serves concurrent inferences.
struct CompiledModel {
  Graph graph;
  Settings settings;  // settings.json; its circuit is `circuit`'s summary
  std::unique_ptr<ModelCircuit> circuit;

  const Shape& input_shape() const { return graph.tensors[static_cast<std::size_t>(graph.input)].shape; }
};
CompiledModel compile_model(const std::string& model_path, const SettingsRequest& request);

struct Inference {
  QuantizedRun run;
  std::vector<std::int64_t> quantized;  // the output tensor, integers at scale 2^-frac
  std::vector<double> output;           // the same, dequantized
  int frac = 0;
  std::size_t argmax = 0;               // first index of the largest output
  prover::Witness witness;
};

// Quantizes the input, runs the quantized model, assigns the circuit's wires
// and checks them. Errors about the input name `input_name`.
Inference infer(const ModelCircuit& circuit, const std::vector<double>& input, const std::string& input_name);

// output.json: {"output": [...dequantized], "output_quantized": [...], "frac": f,
// "argmax": k, "dropped_head": "Softmax" | "LogSoftmax" | null, "public_outputs_note": ...}
std::string inference_to_json(const ModelCircuit& circuit, const Inference& inf);
// The quantized model against the float model on a set of inputs (what a
// user checks before proving: did quantization keep the model's answers?).
// Inputs are evaluated in parallel on `pool`; an input outside the
// calibrated range is an error naming `set_name` and the input's index.
struct SetEvaluation {
  std::vector<std::vector<double>> quantized;  // per input: the circuit's output, dequantized
  std::vector<std::vector<double>> float_out;  // per input: the float model's output (float_eval.hpp)
  std::vector<std::size_t> argmax, float_argmax;
  std::size_t agree = 0;       // inputs whose argmaxes agree
  double max_abs_error = 0;    // the largest |quantized − float| over every output of every input
};
SetEvaluation evaluate_set(const Graph& graph, const QuantizedModel& model, std::span<const std::vector<double>> inputs,
                           ThreadPool& pool, const std::string& set_name);
// {"inputs": n, "argmax_agreement": k, "max_abs_error": e, "dropped_head": ...,
//  "outputs": [[...]], "float_outputs": [[...]], "argmax": [...], "float_argmax": [...]}
std::string set_evaluation_to_json(const SetEvaluation& e, const QuantizedModel& model);

// output.json of a batch (prover/batch.hpp): {"instances": [one object as
// above per input, in order], "note": public.json's order}.
std::string batch_to_json(const ModelCircuit& circuit, std::span<const Inference> infs);

// verification_key.json of a model's key: snarkjs's verification key plus
// "zkacc_public_signals", what the public signals stand for under
// `exposure` (snarkjs and zkacc's verifiers ignore the extra key).
std::string verification_key_json(const prover::VerificationKey& vk, const Exposure& exposure);

}  // namespace zkacc::zkml
