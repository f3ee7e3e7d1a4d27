// The Groth16 proof every rank of an MPI job makes in lockstep (docs/mpi.md),
// shared by `zkacc prove --mpi` and `zkacc prove-model --mpi`: the ranks
// check that they read the same witness and key, take rank 0's blinding,
// and split every MSM; every rank verifies the proof it assembled.
#pragma once

#include <string>

#include "backend_options.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"
#include "zkacc/runtime/mpi_engine.hpp"

namespace zkacc::cli {

struct LockstepProof {
  prover::Proof proof;
  std::vector<Fr> pub;
};

// What every rank must have read alike: the witness and the key's header
// (its δ differs between any two keys of a circuit), FNV-1a over their
// bytes, as the payload of the exchange that loads them.
std::vector<std::uint8_t> input_fingerprint(const prover::Groth16Zkey& zkey, const prover::Witness& witness);
// Throws an MpiJobError naming the first rank whose fingerprint differs
// from rank 0's (`zkey_name`, `witness_name`: the files it read).
void check_same_inputs(const std::vector<std::vector<std::uint8_t>>& fingerprints, const std::string& zkey_name,
                       const std::string& witness_name);

// `zkey` is this rank's part (read_zkey with ZkeyPart{rank, ranks}), its
// inputs already checked alike. `set` receives the rank's local backends
// (for the device report).
LockstepProof prove_in_lockstep(runtime::MpiSession& session, const prover::Groth16Zkey& zkey,
                                const prover::Witness& witness, const BackendFlags& backend, ThreadPool& pool,
                                bool verify, prover::PhaseTimings& t, BackendSet& set);

}  // namespace zkacc::cli
