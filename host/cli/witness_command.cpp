// `zkacc witness model.onnx settings.json input.json -o out/`: the witness of
// one inference (out/witness.wtns, snarkjs's format) for the circuit
// `zkacc compile` made with these settings, and the model's output
// (out/output.json). The witness is checked against the circuit first.
#include <iostream>

#include "commands.hpp"
#include "model_options.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/zkml/onnx_import.hpp"
#include "zkacc/zkml/quantize.hpp"

namespace zkacc::cli {

Action add_witness_command(CLI::App& app) {
  struct Args {
    std::string model, settings, input, out = ".";
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("witness", "Witness (.wtns) and output of one inference of a compiled model");
  cmd->add_option("model", args->model, "The model (.onnx)")->required();
  cmd->add_option("settings", args->settings, "settings.json from zkacc compile")->required();
  cmd->add_option("input", args->input, "The input (JSON: {\"input\": [...]})")->required();
  cmd->add_option("-o,--out", args->out, "Output directory: witness.wtns, output.json")->capture_default_str();
  return [args] {
    const zkml::Graph graph = zkml::import_onnx(args->model);
    const std::string sname = prover::display_name(args->settings);
    const zkml::Settings settings = zkml::read_settings(args->settings);
    zkml::check_settings_model(settings, sname, args->model);
    const zkml::ModelCircuit circuit(zkml::quantize(graph, settings, sname));
    zkml::check_settings_circuit(settings, sname, circuit.summary());
    const std::vector<double> input =
        zkml::read_input_json(args->input, graph.tensors[static_cast<std::size_t>(graph.input)].shape);
    const zkml::Inference inf = zkml::infer(circuit, input, prover::display_name(args->input));
    make_output_dir(args->out);
    prover::write_wtns(out_path(args->out, "witness.wtns"), inf.witness);
    prover::write_file_atomically(out_path(args->out, "output.json"), zkml::inference_to_json(circuit, inf));
    print_output(std::cout, inf, graph.dropped_head);
    std::cout << "wrote " << out_path(args->out, "witness.wtns") << " (" << inf.witness.size() << " values) and "
              << out_path(args->out, "output.json") << "\n";
    return 0;
  };
}

}  // namespace zkacc::cli
