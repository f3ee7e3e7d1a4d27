// `zkacc eval model.onnx settings.json inputs -o eval.json`: the quantized
// model (what the circuit computes) against the float model on a set of
// inputs (a JSON list or a directory of input files), before anything is
// proved: how often their argmaxes agree and the largest output error.
// Inputs run in parallel (--threads).
#include <iomanip>
#include <iostream>

#include "commands.hpp"
#include "model_options.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/zkml/onnx_import.hpp"
#include "zkacc/zkml/quantize.hpp"

namespace zkacc::cli {

Action add_eval_command(CLI::App& app) {
  struct Args {
    std::string model, settings, inputs, out;
    std::size_t threads = 0;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("eval", "The quantized model against the float model on a set of inputs");
  cmd->add_option("model", args->model, "The model (.onnx)")->required();
  cmd->add_option("settings", args->settings, "settings.json from zkacc compile")->required();
  cmd->add_option("inputs", args->inputs, "A JSON list of inputs, one input JSON, or a directory of input files")->required();
  cmd->add_option("-o,--out", args->out, "Write every output, float and quantized, to this JSON file");
  cmd->add_option("--threads", args->threads, "Worker threads (default: ZKACC_THREADS or all cores)");
  return [args] {
    const zkml::Graph graph = zkml::import_onnx(args->model);
    const std::string sname = prover::display_name(args->settings);
    const zkml::Settings settings = zkml::read_settings(args->settings);
    zkml::check_settings_model(settings, sname, args->model);
    const zkml::QuantizedModel model = zkml::quantize(graph, settings, sname);
    const std::vector<std::vector<double>> inputs =
        zkml::read_calibration_set(args->inputs, graph.tensors[static_cast<std::size_t>(graph.input)].shape);
    ThreadPool pool(args->threads);
    const zkml::SetEvaluation e = zkml::evaluate_set(graph, model, inputs, pool, prover::display_name(args->inputs));
    if (!args->out.empty()) prover::write_file_atomically(args->out, zkml::set_evaluation_to_json(e, model));
    std::cout << inputs.size() << " inputs: argmax agreement " << e.agree << "/" << inputs.size() << " ("
              << std::fixed << std::setprecision(2) << 100.0 * double(e.agree) / double(inputs.size())
              << " %), max |quantized - float| " << std::setprecision(4) << e.max_abs_error << "\n";
    return 0;
  };
}

}  // namespace zkacc::cli
