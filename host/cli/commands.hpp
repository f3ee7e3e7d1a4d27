// Subcommands of the `zkacc` program. Each registers itself on the CLI11 app
// and returns the action to run when it is chosen; actions return the exit code.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace zkacc::cli {

using Action = std::function<int()>;

Action add_info_command(CLI::App& app);
Action add_msm_command(CLI::App& app);
Action add_ntt_command(CLI::App& app);
Action add_pairing_command(CLI::App& app);
Action add_prove_command(CLI::App& app);
Action add_verify_command(CLI::App& app);
Action add_export_vkey_command(CLI::App& app);
Action add_export_solidity_command(CLI::App& app);
Action add_export_calldata_command(CLI::App& app);
Action add_setup_command(CLI::App& app);
// The ZKML front end: ONNX model -> circuit, witness, proof.
Action add_compile_command(CLI::App& app);
Action add_witness_command(CLI::App& app);
Action add_eval_command(CLI::App& app);
Action add_prove_model_command(CLI::App& app);
Action add_bench_command(CLI::App& app);

}  // namespace zkacc::cli
