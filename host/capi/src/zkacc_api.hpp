// What zkacc.h's two implementation files share (zkacc_api.cpp: keys,
// proofs, MSM, NTT; model_api.cpp: the model pipeline): the proving-key
// handle and the backends a call proves on.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "proof_outputs.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/msm/fixed_base_tables.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"
#include "zkacc/runtime/backend.hpp"
#include "zkacc/runtime/scheduler.hpp"

// A key read and checked once; calls only read it.
struct zkacc_proving_key {
  zkacc::prover::Groth16Zkey zkey;
  // Fixed-base tables of zkey.h (zkacc_proving_key_precompute), if made.
  std::optional<zkacc::FixedBaseTables<zkacc::Bn254G1Config>> h_tables;
};

namespace zkacc::capi {

// The backends a call names ("cpu", "sim", "xrt" or a list), with their
// Scheduler (checks and CPU fallback) and a thread pool of the call's own.
struct Backends {
  ThreadPool pool;
  std::vector<std::shared_ptr<runtime::Backend>> list;
  std::unique_ptr<runtime::Scheduler> scheduler;

  // msm, ntt: the kernels the call uses (a card opens only those).
  Backends(const char* names, const char* xclbin, bool msm, bool ntt);
};

// Proves on the named backends: each MSM and NTT of the proof through the
// runtime, or with "cpu" alone on the CPU's own engine (fused coset NTTs),
// as `zkacc prove` does. Made before the witness is read, so an unknown
// backend is reported first.
class BackendProver {
 public:
  BackendProver(const char* backends, const char* xclbin);
  ProofTexts prove(const prover::Groth16Zkey& zkey, const prover::Witness& witness,
                   const prover::ProveOptions& options = {});

 private:
  Backends backends_;
  std::unique_ptr<runtime::RuntimeEngine> engine_;  // none for "cpu" alone
};

}  // namespace zkacc::capi
