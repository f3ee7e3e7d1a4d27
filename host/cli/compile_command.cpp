// `zkacc compile model.onnx -o out/`: the circuit of an ONNX model
// (out/circuit.r1cs, circom's format) and the quantization it was built with
// (out/settings.json), which `zkacc witness` needs to make witnesses for it.
#include <iostream>

#include "commands.hpp"
#include "model_options.hpp"
#include "zkacc/prover/r1cs.hpp"

namespace zkacc::cli {

Action add_compile_command(CLI::App& app) {
  struct Args {
    std::string model, out = ".";
    zkml::SettingsRequest opts;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("compile", "Circuit (.r1cs) and quantization settings of an ONNX model");
  cmd->add_option("model", args->model, "The model (.onnx)")->required();
  cmd->add_option("-o,--out", args->out, "Output directory: circuit.r1cs, settings.json")->capture_default_str();
  add_model_options(cmd, args->opts);
  return [args] {
    // No input of its own to calibrate on: one of the two is needed.
    if (args->opts.settings.empty() && args->opts.calibration.empty())
      throw Error("needs --calibration input.json (an input to choose the fixed-point scales from) or --settings "
                  "settings.json");
    const zkml::CompiledModel compiled = zkml::compile_model(args->model, args->opts);
    make_output_dir(args->out);
    prover::write_r1cs(out_path(args->out, "circuit.r1cs"), compiled.circuit->r1cs());
    zkml::write_settings(out_path(args->out, "settings.json"), compiled.settings);
    for (const auto& note : compiled.graph.notes) std::cout << "note: " << note << "\n";
    print_circuit_summary(std::cout, compiled.settings.circuit);
    std::cout << "wrote " << out_path(args->out, "circuit.r1cs") << " and " << out_path(args->out, "settings.json") << "\n";
    return 0;
  };
}

}  // namespace zkacc::cli
