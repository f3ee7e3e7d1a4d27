// The steps the zkml commands share (zkacc compile, witness, prove-model):
// settings made for a model file and checked against it, one inference
// turned into a witness, and the output as people and files read it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
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

}  // namespace zkacc::zkml
