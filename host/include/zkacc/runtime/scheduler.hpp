// Scheduler: the one entry point for MSM and NTT above the backends.
//
// An MSM is split by point ranges across the backends in proportion to their
// weights (default: each backend's throughput_hint) and the parts run at the
// same time, each device part on its own thread, the CPU part on the caller's
// pool. An NTT runs whole on the first backend listed. A device result is
// checked (the MSM kernel's host half checks its counters and every bucket;
// an NTT's outputs are checked by a random linear combination computed two
// ways, about 6n multiplications, which any wrong output fails with
// probability 1 − n/r). When a device fails — an error, a timeout, a failed
// check, a failed allocation — the scheduler warns and runs that part on the
// device again, up to device_retries times (a transient fault costs one more
// run, not a CPU recomputation), then warns and redoes it on the CPU, so the
// result is always right.
#pragma once

#include <iosfwd>
#include <memory>
#include <mutex>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/prover/engine.hpp"
#include "zkacc/runtime/backend.hpp"
#include "zkacc/runtime/cpu_backend.hpp"

namespace zkacc::runtime {

struct SchedulerOptions {
  bool check_ntt = true;
  std::ostream* warnings = nullptr;  // nullptr: std::cerr
  std::uint64_t check_seed = 0;      // 0: std::random_device
  unsigned device_retries = 1;       // runs of a failed device part on the device again before the CPU
};

// What happened to one part of the last job.
struct JobPart {
  std::string backend;
  std::size_t begin = 0, end = 0;  // point range (MSM) or 0..n (NTT)
  double seconds = 0;
  bool fell_back = false;          // redone on the CPU
  std::string error;               // the last device failure (why it was retried or fell back)
  unsigned attempts = 0;           // runs on the part's backend (1 + retries used; 0 for an empty part)
};

class Scheduler {
 public:
  // An empty list means the CPU alone.
  Scheduler(std::vector<std::shared_ptr<Backend>> backends, ThreadPool& pool, SchedulerOptions options = {});

  void set_weights(std::vector<double> weights);

  // points_key: the identity of the proving key the points belong to
  // (prover::KeyIdentity; 0: none), passed to each backend with its share
  // (Backend::msm_g1_of_key): a device keeps a key's shares on its card.
  G1Jacobian msm_g1(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars,
                    std::uint64_t points_key = 0);
  G2Jacobian msm_g2(std::span<const G2Affine> points, std::span<const BigInt<4>> scalars);  // CPU: no G2 kernel
  void ntt(std::span<Fr> values, NttDirection direction);
  void evaluations_to_coset(std::span<Fr> values, const Fr& shift);

  const std::vector<JobPart>& last_job() const { return last_job_; }
  const std::vector<std::shared_ptr<Backend>>& backends() const { return backends_; }
  CpuBackend& cpu() { return cpu_; }
  ThreadPool& pool() { return pool_; }

 private:
  // One "zkacc: warning: ..." line; device parts warn from their threads.
  void warn(const std::string& what);
  bool ntt_matches(std::span<const Fr> input, std::span<const Fr> output, NttDirection direction);

  ThreadPool& pool_;
  CpuBackend cpu_;
  std::vector<std::shared_ptr<Backend>> backends_;
  std::vector<double> weights_;
  SchedulerOptions options_;
  std::mt19937_64 rng_;
  std::vector<JobPart> last_job_;
  std::mutex warn_mutex_;
};

// The prover's engine on top of the scheduler: `--backend` reaches proving.
class RuntimeEngine final : public prover::ProverEngine {
 public:
  explicit RuntimeEngine(Scheduler& scheduler) : scheduler_(scheduler) {}
  G1Jacobian msm_g1(std::span<const G1Affine> p, std::span<const BigInt<4>> s) override { return scheduler_.msm_g1(p, s); }
  G1Jacobian msm_g1_of_key(std::span<const G1Affine> p, std::span<const BigInt<4>> s, std::uint64_t key) override {
    return scheduler_.msm_g1(p, s, key);
  }
  G2Jacobian msm_g2(std::span<const G2Affine> p, std::span<const BigInt<4>> s) override { return scheduler_.msm_g2(p, s); }
  void evaluations_to_coset(std::span<Fr> values, const Fr& shift) override {
    scheduler_.evaluations_to_coset(values, shift);
  }
  ThreadPool& pool() override { return scheduler_.pool(); }

 private:
  Scheduler& scheduler_;
};

}  // namespace zkacc::runtime
