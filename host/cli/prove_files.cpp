#include "prove_files.hpp"

#include <cstdio>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "zkacc/prover/binfile.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/snarkjs_json.hpp"

namespace zkacc::cli {

void add_prove_file_options(CLI::App& cmd, ProveFiles& files) {
  cmd.add_option("zkey", files.zkey, "Proving key (.zkey, snarkjs Groth16)")->required();
  cmd.add_option("witness", files.wtns, "Witness (.wtns)")->required();
  cmd.add_option("proof", files.proof, "Output: proof.json")->required();
  cmd.add_option("public", files.pub, "Output: public.json")->required();
  cmd.add_flag("--timings", files.timings, "Print the time of each phase");
  cmd.add_flag("--json", files.json, "With --timings: the phases as one JSON object on stdout")->needs("--timings");
  cmd.add_option("--threads", files.threads, "Worker threads (default: ZKACC_THREADS or all cores)");
  cmd.add_flag("--no-verify", files.no_verify, "Do not verify the proof before writing it");
  cmd.add_option("--r1cs", files.r1cs, "Check the witness against this circuit first (names the first failing constraint)");
}

std::vector<std::string> prove_file_arguments(const ProveFiles& files) {
  std::vector<std::string> a = {files.zkey, files.wtns, files.proof, files.pub};
  if (files.timings) a.emplace_back("--timings");
  if (files.json) a.emplace_back("--json");
  if (files.no_verify) a.emplace_back("--no-verify");
  if (files.threads != 0) a.insert(a.end(), {"--threads", std::to_string(files.threads)});
  if (!files.r1cs.empty()) a.insert(a.end(), {"--r1cs", files.r1cs});
  return a;
}

void print_timings(const prover::PhaseTimings& t, bool json, std::size_t threads) {
  // Busy: the phase's CPU time over what its threads could have spent.
  const auto busy = [&](const prover::PhaseTimings::Phase& p) {
    return p.ms > 0 ? 100.0 * p.cpu_ms / (p.ms * double(threads)) : 0.0;
  };
  if (json) {
    nlohmann::ordered_json j;
    j["threads"] = threads;
    j["phases"] = nlohmann::ordered_json::array();
    for (const auto& p : t.phases()) j["phases"].push_back({{"name", p.name}, {"ms", p.ms}, {"cpu_ms", p.cpu_ms}});
    j["total_ms"] = t.total_ms();
    std::cout << j.dump() << "\n";
    return;
  }
  std::cout << "phase                          ms    busy %  (of " << threads << " threads)\n";
  double cpu = 0;
  for (const auto& p : t.phases()) {
    cpu += p.cpu_ms;
    std::cout << std::left << std::setw(28) << p.name << std::right << std::setw(10) << std::fixed
              << std::setprecision(1) << p.ms << std::setw(10) << std::setprecision(0) << busy(p) << "\n";
  }
  const double total = t.total_ms();
  std::cout << std::left << std::setw(28) << "total" << std::right << std::setw(10) << std::setprecision(1) << total
            << std::setw(10) << std::setprecision(0) << (total > 0 ? 100.0 * cpu / (total * double(threads)) : 0.0)
            << "\n";
}

ProveInputs load_prove_inputs(const ProveFiles& files, ThreadPool& pool, prover::PhaseTimings& t,
                              prover::ZkeyPart part) {
  ProveInputs in;
  in.witness = t.time("load witness", [&] { return prover::read_wtns(files.wtns); });
  if (!files.r1cs.empty()) {
    t.time("check witness (r1cs)", [&] {
      prover::check_witness(prover::read_r1cs(files.r1cs), in.witness.to_field(), prover::display_name(files.wtns));
    });
  }
  in.zkey = t.time("load zkey", [&] { return prover::read_zkey(files.zkey, pool, part); });
  if (in.witness.size() != in.zkey.n_vars)
    throw Error(prover::display_name(files.wtns) + ": has " + std::to_string(in.witness.size()) + " values, " +
                prover::display_name(files.zkey) + " expects " + std::to_string(in.zkey.n_vars));
  return in;
}

void write_proof_outputs(const ProveFiles& files, const prover::Proof& proof, const std::vector<Fr>& pub) {
  // Both contents are built first, so an error leaves neither file.
  const std::string proof_json = prover::proof_to_json(proof), public_json = prover::public_to_json(pub);
  prover::write_file_atomically(files.proof, proof_json);
  try {
    prover::write_file_atomically(files.pub, public_json);
  } catch (...) {
    std::remove(files.proof.c_str());
    throw;
  }
}

int prove_on_cpu(const ProveFiles& files) {
  ThreadPool pool(files.threads);
  prover::PhaseTimings t;
  const ProveInputs in = load_prove_inputs(files, pool, t);
  prover::ProveOptions options;
  options.verify = !files.no_verify;
  const prover::Proof proof =
      prover::prove(in.zkey, in.witness.values, prover::ProofRandomness::random(), pool, options, &t);
  const auto pub = prover::public_signals(in.zkey, in.witness.values);
  t.time("write proof", [&] { write_proof_outputs(files, proof, pub); });
  if (files.timings) print_timings(t, files.json, pool.size());
  return 0;
}

}  // namespace zkacc::cli
