// The host half of an MSM on the bucket-accumulator kernel (zkacc_msm_kernel).
//
// Host: picks the window width c, slices scalars into signed c-bit digits,
// uploads the points once and the digits of a group of windows per kernel
// run, reads back the bucket sums and reduces them (running sums, then the
// windows combined by doubling). Kernel: adds each (point, ±bucket) pair into
// its bucket. While the kernel runs one group, the host slices the next
// group's digits and reduces the previous group's buckets.
//
// Check: after each run, one window of the group is verified with a random
// subset of its buckets: Σ_{b∈S} B_b must equal Σ ±P_i over the pairs the
// host sent to buckets in S. It costs about n/2 point additions (the MSM is
// n·windows), and a wrong bucket in that window is caught with probability
// 1/2 per check. A mismatch is a DeviceError, so the scheduler falls back.
#pragma once

#include <cstdint>
#include <random>
#include <span>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/drivers/device.hpp"
#include "zkacc/runtime/backend.hpp"

namespace zkacc::runtime {

struct DeviceMsmOptions {
  unsigned window_bits = 0;     // 0: chosen by the cost model below
  bool check = true;            // the random bucket-subset check after each run
  // A host XYZZ addition (bucket reduction) in kernel-addition times: about
  // 60 for a card (~200 ns on one core against one addition per 3.3 ns).
  // A simulated kernel's cycle costs far more than host work, so the sim
  // backend sets 0 and minimizes kernel cycles.
  double host_addition_cost = 60.0;
  std::uint64_t check_seed = 0; // 0: from std::random_device
  std::chrono::milliseconds timeout{600'000};
};

// The kernel's layout, for tests and the documentation.
inline constexpr std::size_t kMsmDigitsPerBeat = 32;

// Window width for n points on a kernel with 2^bucket_bits buckets: the
// kernel's cycles (n additions per window, slowed by bucket conflicts when a
// run has few buckets for the adder's latency, plus the bucket write-back)
// against the host's reduction (about two XYZZ additions per bucket, each
// host_addition_cost kernel additions' worth of time).
unsigned device_window_bits(std::size_t n, unsigned bucket_bits, unsigned adder_latency, double host_addition_cost);

class DeviceMsm {
 public:
  DeviceMsm(drivers::Device& device, ThreadPool& pool, DeviceMsmOptions options = {});

  G1Jacobian run(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars);

  unsigned bucket_bits() const { return bucket_bits_; }
  unsigned adder_latency() const { return adder_latency_; }
  const DeviceCounters& counters() const { return counters_; }

 private:
  drivers::Device& device_;
  ThreadPool& pool_;
  DeviceMsmOptions options_;
  unsigned bucket_bits_ = 0, adder_latency_ = 0;
  DeviceCounters counters_;
  std::mt19937_64 check_rng_;
  std::size_t arg_points_, arg_digits_, arg_buckets_;
};

}  // namespace zkacc::runtime
