#include "mpi_prove.hpp"

#include <cstring>
#include <type_traits>

#include "mpi_options.hpp"

namespace zkacc::cli {
std::vector<std::uint8_t> input_fingerprint(const prover::Groth16Zkey& z, const prover::Witness& w) {
  std::uint64_t h = 14695981039346656037ull;
  auto mix = [&](const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ b[i]) * 1099511628211ull;
  };
  mix(w.values.data(), w.values.size() * sizeof(BigInt<4>));
  for (const std::uint32_t v : {z.n_vars, z.n_public, z.domain_size}) mix(&v, sizeof v);
  for (const G1Affine* p : {&z.alpha1, &z.beta1, &z.delta1}) mix(p, sizeof *p);
  for (const G2Affine* p : {&z.beta2, &z.gamma2, &z.delta2}) mix(p, sizeof *p);
  std::vector<std::uint8_t> bytes(sizeof h);
  std::memcpy(bytes.data(), &h, sizeof h);
  return bytes;
}

void check_same_inputs(const std::vector<std::vector<std::uint8_t>>& fingerprints, const std::string& zkey_name,
                       const std::string& witness_name) {
  for (std::size_t r = 1; r < fingerprints.size(); ++r)
    if (fingerprints[r] != fingerprints[0])
      throw runtime::MpiJobError("rank " + std::to_string(r) + ": its " + zkey_name + " or " + witness_name +
                                     " differs from rank 0's (every rank must read the same files)",
                                 static_cast<int>(r));
}

LockstepProof prove_in_lockstep(runtime::MpiSession& session, const prover::Groth16Zkey& zkey,
                                const prover::Witness& witness, const BackendFlags& backend, ThreadPool& pool,
                                bool verify, prover::PhaseTimings& t, BackendSet& set) {

  // The blinding (r, s) of rank 0, so every rank builds the same proof.
  prover::ProofRandomness randomness;
  static_assert(std::is_trivially_copyable_v<Fr>);
  const auto drawn = runtime::agree(session, "the proof's blinding", 2 * sizeof(Fr), [&] {
    std::vector<std::uint8_t> bytes(2 * sizeof(Fr));
    if (session.rank() == 0) {
      const prover::ProofRandomness rnd = prover::ProofRandomness::random();
      std::memcpy(bytes.data(), &rnd.r, sizeof(Fr));
      std::memcpy(bytes.data() + sizeof(Fr), &rnd.s, sizeof(Fr));
    }
    return bytes;
  });
  std::memcpy(&randomness.r, drawn[0].data(), sizeof(Fr));
  std::memcpy(&randomness.s, drawn[0].data() + sizeof(Fr), sizeof(Fr));

  runtime::agree(session, "opening the backends",
                 [&] { set = make_backend_set(backend.with_local_rank(session.local_rank()), pool); });
  prover::CpuEngine cpu(pool);
  runtime::RuntimeEngine device(*set.scheduler);
  runtime::MpiEngine engine(session, backend.uses_device() ? static_cast<prover::ProverEngine&>(device) : cpu,
                            mpi_test_faults_from_env(), runtime::MpiEngine::Points::rank_share);
  prover::ProveOptions options;
  options.verify = verify;
  LockstepProof out;
  // Errors of prove() itself (a proof that does not verify) are the same on
  // every rank; agreeing on them keeps the ranks in step.
  runtime::agree(session, "proving", [&] { out.proof = prover::prove(zkey, witness.values, randomness, engine, options, &t); });
  out.pub = prover::public_signals(zkey, witness.values);
  return out;
}

}  // namespace zkacc::cli
