// `zkacc prove circuit.zkey witness.wtns proof.json public.json`: a Groth16
// proof from a snarkjs proving key and witness, in snarkjs's argument order
// and file formats (the same as `snarkjs groth16 prove` and rapidsnark).
//
// The proof is verified before anything is written (--no-verify skips that);
// on any error neither output file is created. On the CPU alone the lean
// zkacc-prove program (prove_main.cpp) runs in this process's place.
//
// With --mpi (under mpirun) every rank loads the witness and its part of the
// key and runs the same prover in lockstep; the MSMs are split across the
// ranks, the blinding is drawn on rank 0, and only rank 0 writes the outputs
// (docs/mpi.md).
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "backend_options.hpp"
#include "commands.hpp"
#include "mpi_options.hpp"
#include "mpi_prove.hpp"
#include "prove_files.hpp"
#include "zkacc/prover/binfile.hpp"
#include "zkacc/prover/groth16.hpp"

namespace zkacc::cli {
namespace {

struct ProveArgs {
  ProveFiles files;
  BackendFlags backend;
  MpiFlags mpi;
};

// zkacc-prove beside this program, if it is there: the path of
// /proc/self/exe with the last component replaced.
std::string lean_prover_path() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const std::filesystem::path lean = self.parent_path() / "zkacc-prove";
  return ::access(lean.c_str(), X_OK) == 0 ? lean.string() : std::string();
}

// Replaces this process with zkacc-prove on the same files (prove_main.cpp
// says why); returns only if that program is not there or cannot start, and
// the proof then runs here.
void exec_lean_prover(const ProveFiles& files) {
  const std::string path = lean_prover_path();
  if (path.empty()) return;
  std::vector<std::string> args = prove_file_arguments(files);
  args.insert(args.begin(), path);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();
  ::execv(path.c_str(), argv.data());
}

int run(const ProveArgs& args) {
  // With the CPU alone: the lean program, or the same proof here.
  if (!args.backend.uses_device()) {
    exec_lean_prover(args.files);
    return prove_on_cpu(args.files);
  }
  // MSMs and NTTs go through the runtime: --backend reaches proving.
  const ProveFiles& files = args.files;
  ThreadPool pool(files.threads);
  prover::PhaseTimings t;
  const ProveInputs in = load_prove_inputs(files, pool, t);
  prover::ProveOptions options;
  options.verify = !files.no_verify;
  BackendSet set = make_backend_set(args.backend, pool);
  runtime::RuntimeEngine engine(*set.scheduler);
  const prover::Proof proof =
      prover::prove(in.zkey, in.witness.values, prover::ProofRandomness::random(), engine, options, &t);
  const auto pub = prover::public_signals(in.zkey, in.witness.values);
  t.time("write proof", [&] { write_proof_outputs(files, proof, pub); });
  if (files.timings) {
    print_timings(t, files.json, pool.size());
    if (!files.json) print_device_report(std::cout, set);
  }
  return 0;
}

// Every rank proves in lockstep; the exchanges carry each rank's errors, so
// each step below is agreed by all ranks before the next.
int run_mpi(const ProveArgs& args, runtime::MpiSession& session) {
  const ProveFiles& files = args.files;
  const int rank = session.rank();
  // Each rank reads and holds only its share of the key's points: the
  // ranges its MSMs run (MpiEngine::Points::rank_share).
  const prover::ZkeyPart part{static_cast<std::uint32_t>(rank), static_cast<std::uint32_t>(session.size())};
  ThreadPool pool(files.threads);
  prover::PhaseTimings t;
  ProveInputs in;
  const auto fingerprints = runtime::agree(session, "loading the inputs", sizeof(std::uint64_t), [&] {
    in = load_prove_inputs(files, pool, t, part);
    return input_fingerprint(in.zkey, in.witness);
  });
  check_same_inputs(fingerprints, prover::display_name(files.zkey), prover::display_name(files.wtns));
  BackendSet set;
  const LockstepProof lp = prove_in_lockstep(session, in.zkey, in.witness, args.backend, pool, !files.no_verify, t, set);
  const prover::Proof& proof = lp.proof;
  const std::vector<Fr>& pub = lp.pub;
  runtime::agree(session, "writing the proof", [&] {
    if (rank == 0) t.time("write proof", [&] { write_proof_outputs(files, proof, pub); });
  });
  if (files.timings && rank == 0) {
    print_timings(t, files.json, pool.size());
    print_device_report(std::cout, set);
    std::cout << "mpi: " << session.size() << " ranks, " << session.exchanges() << " exchanges, rank 0 sent "
              << session.bytes_sent() << " bytes and received " << session.bytes_received() << "\n";
    const prover::Groth16Zkey& z = in.zkey;
    const std::size_t g1 = z.a.size() + z.b1.size() + z.c.size() + z.h.size();
    const std::size_t g1_whole = 2 * std::size_t(z.n_vars) + (z.n_vars - z.n_public - 1) + z.domain_size;
    std::cout << "mpi: the key's points rank 0 read (" << z.part.describe() << "): " << g1 << " of " << g1_whole
              << " G1 and " << z.b2.size() << " of " << z.n_vars << " G2\n";
  }
  return 0;
}

}  // namespace

Action add_prove_command(CLI::App& app) {
  auto args = std::make_shared<ProveArgs>();
  auto* cmd = app.add_subcommand("prove", "Groth16 proof from a snarkjs .zkey and a .wtns witness");
  add_prove_file_options(*cmd, args->files);
  add_backend_options(*cmd, args->backend);
  add_mpi_options(*cmd, args->mpi);
  return [args] {
    if (!args->mpi.enabled) return run(*args);
    return run_with_mpi(args->mpi, [&](runtime::MpiSession& session) { return run_mpi(*args, session); });
  };
}

}  // namespace zkacc::cli
