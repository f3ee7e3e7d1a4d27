// The host half of an NTT on the NTT kernel (zkacc_ntt_kernel).
//
// Sizes up to the kernel's on-chip limit 2^L go to the card in one run:
// twiddles (ω^0 … ω^(n/2−1), ω^−1 for an inverse), data in natural order,
// result in natural order; the host scales an inverse by 1/n. Larger sizes,
// up to 2^(2L), use the four-step decomposition n = n1·n2 that the host
// coordinates: with j = j1·n2 + j2 and k = k1 + n1·k2,
//   X[k1 + n1·k2] = Σ_j2 ω_n2^(j2·k2) · ω_n^(j2·k1) · Σ_j1 ω_n1^(j1·k1) · x[j1·n2 + j2]
// so the card runs a batch of n2 transforms of size n1 (the columns,
// transposed by the host into rows), the host multiplies by ω_n^(j2·k1) and
// transposes, and the card runs a batch of n1 transforms of size n2.
#pragma once

#include <chrono>
#include <map>
#include <span>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/drivers/device.hpp"
#include "zkacc/runtime/backend.hpp"

namespace zkacc::runtime {

class DeviceNtt {
 public:
  DeviceNtt(drivers::Device& device, ThreadPool& pool, std::chrono::milliseconds timeout = std::chrono::minutes(10));

  // In place, natural order; the inverse is scaled by 1/n.
  void run(std::span<Fr> values, NttDirection direction);

  unsigned log_max_size() const { return log_max_; }
  unsigned butterfly_latency() const { return butterfly_latency_; }
  const DeviceCounters& counters() const { return counters_; }

 private:
  // `batch` transforms of size 2^log_n, consecutive in `values`, on the card.
  void run_batch(std::span<Fr> values, unsigned log_n, NttDirection direction);

  drivers::Device& device_;
  ThreadPool& pool_;
  std::chrono::milliseconds timeout_;
  unsigned log_max_ = 0, butterfly_latency_ = 0;
  DeviceCounters counters_;
  // Device buffers are kept and grown, so repeated transforms do not allocate.
  drivers::BufferId twiddles_{}, input_{}, output_{};
};

}  // namespace zkacc::runtime
