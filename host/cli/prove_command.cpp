// `zkacc prove circuit.zkey witness.wtns proof.json public.json`: a Groth16
// proof from a snarkjs proving key and witness, in snarkjs's argument order
// and file formats (the same as `snarkjs groth16 prove` and rapidsnark).
//
// The proof is verified before anything is written (--no-verify skips that);
// on any error neither output file is created.
#include <cstdio>
#include <iomanip>
#include <iostream>

#include "backend_options.hpp"
#include "commands.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/prover/binfile.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"

namespace zkacc::cli {
namespace {

struct ProveArgs {
  std::string zkey, wtns, proof, pub, r1cs;
  bool timings = false, no_verify = false;
  std::size_t threads = 0;
  BackendFlags backend;
};

void print_timings(const prover::PhaseTimings& t) {
  std::cout << "phase                          ms\n";
  for (const auto& p : t.phases())
    std::cout << std::left << std::setw(28) << p.name << std::right << std::setw(10) << std::fixed
              << std::setprecision(1) << p.ms << "\n";
  std::cout << std::left << std::setw(28) << "total" << std::right << std::setw(10) << t.total_ms() << "\n";
}

int run(const ProveArgs& args) {
  ThreadPool pool(args.threads);
  prover::PhaseTimings t;
  const prover::Witness witness = t.time("load witness", [&] { return prover::read_wtns(args.wtns); });
  if (!args.r1cs.empty()) {
    t.time("check witness (r1cs)", [&] {
      prover::check_witness(prover::read_r1cs(args.r1cs), witness.to_field(), prover::display_name(args.wtns));
    });
  }
  const prover::Groth16Zkey zkey = t.time("load zkey", [&] { return prover::read_zkey(args.zkey, pool); });
  if (witness.size() != zkey.n_vars)
    throw Error(prover::display_name(args.wtns) + ": has " + std::to_string(witness.size()) + " values, " +
                prover::display_name(args.zkey) + " expects " + std::to_string(zkey.n_vars));
  prover::ProveOptions options;
  options.verify = !args.no_verify;
  // MSMs and NTTs go through the runtime: --backend reaches proving. With
  // the CPU alone, the CPU engine (fused coset NTT) is used directly.
  BackendSet set = make_backend_set(args.backend, pool);
  runtime::RuntimeEngine engine(*set.scheduler);
  const prover::Proof proof =
      args.backend.uses_device()
          ? prover::prove(zkey, witness.values, prover::ProofRandomness::random(), engine, options, &t)
          : prover::prove(zkey, witness.values, prover::ProofRandomness::random(), pool, options, &t);
  const auto pub = prover::public_signals(zkey, witness.values);
  t.time("write proof", [&] {
    // Both contents are built first, so an error leaves neither file.
    const std::string proof_json = prover::proof_to_json(proof), public_json = prover::public_to_json(pub);
    prover::write_file_atomically(args.proof, proof_json);
    try {
      prover::write_file_atomically(args.pub, public_json);
    } catch (...) {
      std::remove(args.proof.c_str());
      throw;
    }
  });
  if (args.timings) {
    print_timings(t);
    print_device_report(std::cout, set);
  }
  return 0;
}

}  // namespace

Action add_prove_command(CLI::App& app) {
  auto args = std::make_shared<ProveArgs>();
  auto* cmd = app.add_subcommand("prove", "Groth16 proof from a snarkjs .zkey and a .wtns witness");
  cmd->add_option("zkey", args->zkey, "Proving key (.zkey, snarkjs Groth16)")->required();
  cmd->add_option("witness", args->wtns, "Witness (.wtns)")->required();
  cmd->add_option("proof", args->proof, "Output: proof.json")->required();
  cmd->add_option("public", args->pub, "Output: public.json")->required();
  cmd->add_flag("--timings", args->timings, "Print the time of each phase");
  cmd->add_option("--threads", args->threads, "Worker threads (default: ZKACC_THREADS or all cores)");
  cmd->add_flag("--no-verify", args->no_verify, "Do not verify the proof before writing it");
  cmd->add_option("--r1cs", args->r1cs, "Check the witness against this circuit first (names the first failing constraint)");
  add_backend_options(*cmd, args->backend);
  return [args] { return run(*args); };
}

}  // namespace zkacc::cli
