// `zkacc prove circuit.zkey witness.wtns proof.json public.json`: a Groth16
// proof from a snarkjs proving key and witness, in snarkjs's argument order
// and file formats (the same as `snarkjs groth16 prove` and rapidsnark).
//
// The proof is verified before anything is written (--no-verify skips that);
// on any error neither output file is created.
//
// With --mpi (under mpirun) every rank loads the witness and its part of the
// key and runs the same prover in lockstep; the MSMs are split across the
// ranks, the blinding is drawn on rank 0, and only rank 0 writes the outputs
// (docs/mpi.md).
#include <cstdio>
#include <cstring>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "backend_options.hpp"
#include "commands.hpp"
#include "mpi_options.hpp"
#include "mpi_prove.hpp"
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
  bool timings = false, json = false, no_verify = false;
  std::size_t threads = 0;
  BackendFlags backend;
  MpiFlags mpi;
};

// --timings: a table; with --json one JSON object on stdout instead,
// {"phases": [{"name": ..., "ms": ...}, ...], "total_ms": ...}, for scripts.
void print_timings(const prover::PhaseTimings& t, bool json) {
  if (json) {
    nlohmann::ordered_json j;
    j["phases"] = nlohmann::ordered_json::array();
    for (const auto& p : t.phases()) j["phases"].push_back({{"name", p.name}, {"ms", p.ms}});
    j["total_ms"] = t.total_ms();
    std::cout << j.dump() << "\n";
    return;
  }
  std::cout << "phase                          ms\n";
  for (const auto& p : t.phases())
    std::cout << std::left << std::setw(28) << p.name << std::right << std::setw(10) << std::fixed
              << std::setprecision(1) << p.ms << "\n";
  std::cout << std::left << std::setw(28) << "total" << std::right << std::setw(10) << t.total_ms() << "\n";
}

struct Inputs {
  prover::Witness witness;
  prover::Groth16Zkey zkey;
};

// With a part (under --mpi), only that share of the key's points is read.
Inputs load_inputs(const ProveArgs& args, ThreadPool& pool, prover::PhaseTimings& t, prover::ZkeyPart part = {}) {
  Inputs in;
  in.witness = t.time("load witness", [&] { return prover::read_wtns(args.wtns); });
  if (!args.r1cs.empty()) {
    t.time("check witness (r1cs)", [&] {
      prover::check_witness(prover::read_r1cs(args.r1cs), in.witness.to_field(), prover::display_name(args.wtns));
    });
  }
  in.zkey = t.time("load zkey", [&] { return prover::read_zkey(args.zkey, pool, part); });
  if (in.witness.size() != in.zkey.n_vars)
    throw Error(prover::display_name(args.wtns) + ": has " + std::to_string(in.witness.size()) + " values, " +
                prover::display_name(args.zkey) + " expects " + std::to_string(in.zkey.n_vars));
  return in;
}

void write_outputs(const ProveArgs& args, const prover::Proof& proof, const std::vector<Fr>& pub) {
  // Both contents are built first, so an error leaves neither file.
  const std::string proof_json = prover::proof_to_json(proof), public_json = prover::public_to_json(pub);
  prover::write_file_atomically(args.proof, proof_json);
  try {
    prover::write_file_atomically(args.pub, public_json);
  } catch (...) {
    std::remove(args.proof.c_str());
    throw;
  }
}

int run(const ProveArgs& args) {
  ThreadPool pool(args.threads);
  prover::PhaseTimings t;
  const Inputs in = load_inputs(args, pool, t);
  const prover::Witness& witness = in.witness;
  const prover::Groth16Zkey& zkey = in.zkey;
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
  t.time("write proof", [&] { write_outputs(args, proof, pub); });
  if (args.timings) {
    print_timings(t, args.json);
    if (!args.json) print_device_report(std::cout, set);
  }
  return 0;
}

// Every rank proves in lockstep; the exchanges carry each rank's errors, so
// each step below is agreed by all ranks before the next.
int run_mpi(const ProveArgs& args, runtime::MpiSession& session) {
  const int rank = session.rank();
  // Each rank reads and holds only its share of the key's points: the
  // ranges its MSMs run (MpiEngine::Points::rank_share).
  const prover::ZkeyPart part{static_cast<std::uint32_t>(rank), static_cast<std::uint32_t>(session.size())};
  ThreadPool pool(args.threads);
  prover::PhaseTimings t;
  Inputs in;
  const auto fingerprints = runtime::agree(session, "loading the inputs", sizeof(std::uint64_t), [&] {
    in = load_inputs(args, pool, t, part);
    return input_fingerprint(in.zkey, in.witness);
  });
  check_same_inputs(fingerprints, prover::display_name(args.zkey), prover::display_name(args.wtns));
  BackendSet set;
  const LockstepProof lp = prove_in_lockstep(session, in.zkey, in.witness, args.backend, pool, !args.no_verify, t, set);
  const prover::Proof& proof = lp.proof;
  const std::vector<Fr>& pub = lp.pub;
  runtime::agree(session, "writing the proof", [&] {
    if (rank == 0) t.time("write proof", [&] { write_outputs(args, proof, pub); });
  });
  if (args.timings && rank == 0) {
    print_timings(t, args.json);
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
  cmd->add_option("zkey", args->zkey, "Proving key (.zkey, snarkjs Groth16)")->required();
  cmd->add_option("witness", args->wtns, "Witness (.wtns)")->required();
  cmd->add_option("proof", args->proof, "Output: proof.json")->required();
  cmd->add_option("public", args->pub, "Output: public.json")->required();
  cmd->add_flag("--timings", args->timings, "Print the time of each phase");
  cmd->add_flag("--json", args->json, "With --timings: the phases as one JSON object on stdout")->needs("--timings");
  cmd->add_option("--threads", args->threads, "Worker threads (default: ZKACC_THREADS or all cores)");
  cmd->add_flag("--no-verify", args->no_verify, "Do not verify the proof before writing it");
  cmd->add_option("--r1cs", args->r1cs, "Check the witness against this circuit first (names the first failing constraint)");
  add_backend_options(*cmd, args->backend);
  add_mpi_options(*cmd, args->mpi);
  return [args] {
    if (!args->mpi.enabled) return run(*args);
    return run_with_mpi(args->mpi, [&](runtime::MpiSession& session) { return run_mpi(*args, session); });
  };
}

}  // namespace zkacc::cli
