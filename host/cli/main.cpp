// zkacc: command-line front end of the host library. Library errors are
// exceptions; this is the one place they become a message and an exit code.
#include <iostream>
#include <vector>

#include "commands.hpp"
#include "error_exit.hpp"
#include "zkacc/build_info.hpp"
#include "zkacc/common/error.hpp"

int main(int argc, char** argv) {
  namespace bi = zkacc::build_info;
  CLI::App app{"zkacc: accelerated zero-knowledge proving (BN254, Groth16)"};
  app.set_version_flag("--version", std::string("zkacc ") + bi::kVersion + " (" + bi::kBuildType + ", " +
                                        bi::kCompiler + (bi::kNative ? ", -march=native" : "") +
                                        "; backends: " + bi::kBackends + ")");
  app.footer(
      "Exit status: 0 success; 1 an error the message explains (bad input, a missing file, a refused option "
      "value); 2 an internal error (a bug: please report it); 3 bench: a result failed its check; 4 verify: "
      "the proof does not verify; 5 bench: a regression against --baseline with --fail-on-regression; 100-127 "
      "a malformed command line.");
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, zkacc::cli::Action>> commands;
  auto add = [&](zkacc::cli::Action (*make)(CLI::App&)) {
    std::size_t before = app.get_subcommands({}).size();
    zkacc::cli::Action action = make(app);
    commands.emplace_back(app.get_subcommands({})[before], std::move(action));
  };
  add(zkacc::cli::add_info_command);
  add(zkacc::cli::add_msm_command);
  add(zkacc::cli::add_ntt_command);
  add(zkacc::cli::add_pairing_command);
  add(zkacc::cli::add_prove_command);
  add(zkacc::cli::add_verify_command);
  add(zkacc::cli::add_export_vkey_command);
  add(zkacc::cli::add_export_solidity_command);
  add(zkacc::cli::add_export_calldata_command);
  add(zkacc::cli::add_setup_command);
  add(zkacc::cli::add_compile_command);
  add(zkacc::cli::add_witness_command);
  add(zkacc::cli::add_eval_command);
  add(zkacc::cli::add_prove_model_command);
  add(zkacc::cli::add_bench_command);

  CLI11_PARSE(app, argc, argv);
  return zkacc::cli::exit_status_of([&] {
    for (auto& [sub, action] : commands)
      if (sub->parsed()) return action();
    return 0;
  });
}
