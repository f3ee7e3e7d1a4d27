// `zkacc compile model.onnx -o out/`: the circuit of an ONNX model
// (out/circuit.r1cs, circom's format) and the quantization it was built with
// (out/settings.json), which `zkacc witness` needs to make witnesses for it.
#include <iostream>

#include "commands.hpp"
#include "model_options.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/zkml/onnx_import.hpp"
#include "zkacc/zkml/quantize.hpp"

namespace zkacc::cli {

Action add_compile_command(CLI::App& app) {
  struct Args {
    std::string model, out = ".";
    ModelOptions opts;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("compile", "Circuit (.r1cs) and quantization settings of an ONNX model");
  cmd->add_option("model", args->model, "The model (.onnx)")->required();
  cmd->add_option("-o,--out", args->out, "Output directory: circuit.r1cs, settings.json")->capture_default_str();
  add_model_options(cmd, args->opts);
  return [args] {
    const zkml::Graph graph = zkml::import_onnx(args->model);
    zkml::Settings settings = resolve_settings(graph, args->model, args->opts, nullptr, "");
    const zkml::ModelCircuit circuit(zkml::quantize(graph, settings, args->opts.settings.empty() ? "settings" : prover::display_name(args->opts.settings)));
    settings.circuit = circuit.summary();
    make_output_dir(args->out);
    prover::write_r1cs(out_path(args->out, "circuit.r1cs"), circuit.r1cs());
    zkml::write_settings(out_path(args->out, "settings.json"), settings);
    for (const auto& note : graph.notes) std::cout << "note: " << note << "\n";
    print_circuit_summary(std::cout, circuit.summary());
    std::cout << "wrote " << out_path(args->out, "circuit.r1cs") << " and " << out_path(args->out, "settings.json") << "\n";
    return 0;
  };
}

}  // namespace zkacc::cli
