// `zkacc setup circuit.r1cs pot.ptau circuit.zkey`: a Groth16 proving key
// that snarkjs accepts, from a circuit and a prepared powers-of-tau file.
// One random phase-2 contribution, made and forgotten here: a key for
// tests and development, not the output of a ceremony (setup.hpp).
#include <iostream>

#include "commands.hpp"
#include "zkacc/prover/setup.hpp"

namespace zkacc::cli {

Action add_setup_command(CLI::App& app) {
  struct Args {
    std::string r1cs, ptau, zkey;
    std::size_t threads = 0;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "setup", "Groth16 key from a .r1cs and a prepared .ptau (one random contribution; not a ceremony)");
  cmd->add_option("r1cs", args->r1cs, "Circuit (.r1cs)")->required();
  cmd->add_option("ptau", args->ptau, "Powers of tau, prepared for phase 2 (.ptau)")->required();
  cmd->add_option("zkey", args->zkey, "Output: proving key (.zkey)")->required();
  cmd->add_option("--threads", args->threads, "Worker threads (default: ZKACC_THREADS or all cores)");
  return [args] {
    ThreadPool pool(args->threads);
    const prover::R1cs r1cs = prover::read_r1cs(args->r1cs);
    const prover::Ptau ptau(args->ptau);
    const prover::Groth16Zkey zkey = prover::groth16_setup(r1cs, ptau, prover::random_delta(), pool);
    prover::write_zkey(args->zkey, zkey);
    std::cout << "wrote " << args->zkey << ": " << zkey.n_vars << " variables, " << zkey.n_public
              << " public, domain " << zkey.domain_size << "\n";
    return 0;
  };
}

}  // namespace zkacc::cli
