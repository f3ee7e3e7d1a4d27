// What `zkacc prove` and the lean `zkacc-prove` program share: the files and
// flags of a proof, reading the inputs, writing the outputs, the timing
// table, and the proof on the CPU. Only libzkacc's prover is needed here, so
// zkacc-prove links nothing else (see prove_main.cpp for why that matters).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"

namespace zkacc::cli {

struct ProveFiles {
  std::string zkey, wtns, proof, pub, r1cs;
  bool timings = false, json = false, no_verify = false;
  std::size_t threads = 0;
};

// The positional files and the flags every prover run takes.
void add_prove_file_options(CLI::App& cmd, ProveFiles& files);

// The same run as arguments for zkacc-prove (without the program name).
std::vector<std::string> prove_file_arguments(const ProveFiles& files);

// --timings: a table of wall time and how busy the threads were; with
// --json one JSON object on stdout instead, {"threads": T, "phases":
// [{"name": ..., "ms": ..., "cpu_ms": ...}, ...], "total_ms": ...}, for scripts.
void print_timings(const prover::PhaseTimings& t, bool json, std::size_t threads);

struct ProveInputs {
  prover::Witness witness;
  prover::Groth16Zkey zkey;
};

// With a part (under --mpi), only that share of the key's points is read.
ProveInputs load_prove_inputs(const ProveFiles& files, ThreadPool& pool, prover::PhaseTimings& t,
                              prover::ZkeyPart part = {});

// Both files or neither: an error while writing the second removes the first.
void write_proof_outputs(const ProveFiles& files, const prover::Proof& proof, const std::vector<Fr>& pub);

// Load, prove on the CPU engine, write, and print the timings if asked.
int prove_on_cpu(const ProveFiles& files);

}  // namespace zkacc::cli
