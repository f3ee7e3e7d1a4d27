// Backend: where an MSM or an NTT runs. The CPU engines, the Verilator model
// of a kernel (sim) and an Alveo card (xrt) all sit behind this one
// interface; the Scheduler splits jobs across backends and the prover calls
// only the Scheduler.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/field/bn254.hpp"
#include "zkacc/ntt/ntt_domain.hpp"

namespace zkacc::runtime {

// What a device did, accumulated over its runs. A CPU backend leaves it zero.
struct DeviceCounters {
  std::uint64_t runs = 0;
  std::uint64_t cycles = 0;           // kernel clock cycles from start to done, summed
  std::uint64_t msm_cycles = 0;       // the part of `cycles` spent in MSM runs
  std::uint64_t additions = 0;        // MSM point additions issued by the kernel
  std::uint64_t butterflies = 0;      // NTT butterflies issued by the kernel
  std::uint64_t ntt_cycles = 0;
  std::uint64_t conflicts = 0;        // MSM pairs parked because their bucket was busy
  std::uint64_t point_uploads = 0;    // MSMs whose points were written to the card (not resident)
  std::uint64_t point_bytes = 0;      // bytes of points written to the card
  std::uint64_t small_scalars = 0;    // MSM scalars summed on the host (msm_small_scalars.hpp)
};

// values[i] *= base^i, in chunks on the pool: the coset scaling the host
// does between two NTTs that run on a device.
void multiply_by_powers(std::span<Fr> values, const Fr& base, ThreadPool& pool);

class Backend {
 public:
  virtual ~Backend() = default;

  virtual std::string name() const = 0;
  virtual bool is_device() const { return false; }

  // Relative speed, used to size each backend's share of a split job.
  virtual double throughput_hint() const { return 1.0; }

  // Σ scalars[i]·points[i]; trusted input (points on the curve, scalars < r).
  virtual G1Jacobian msm_g1(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars) = 0;
  // The same over a proving key's points, named by the key's identity
  // (prover::KeyIdentity; 0: none): a device keeps them in card memory from
  // one MSM to the next (DeviceMsm). By default, msm_g1.
  virtual G1Jacobian msm_g1_of_key(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars,
                                   std::uint64_t key) {
    (void)key;
    return msm_g1(points, scalars);
  }

  // In place, natural order in and out; the inverse is scaled by 1/n.
  virtual void ntt(std::span<Fr> values, NttDirection direction) = 0;

  virtual DeviceCounters counters() const { return {}; }

  // The clock the projected card time is computed with (devices only).
  virtual std::optional<double> clock_mhz() const { return std::nullopt; }
};

}  // namespace zkacc::runtime
