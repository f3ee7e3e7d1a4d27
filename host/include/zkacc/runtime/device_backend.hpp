// DeviceBackend: the MSM and NTT kernels of one card (xrt) or of their
// Verilator models (sim) as a Backend. G1 MSMs and NTTs run on the kernels;
// the host halves (DeviceMsm, DeviceNtt) run on the backend's own thread pool
// so a CPU backend can share the job at the same time.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "zkacc/drivers/device.hpp"
#include "zkacc/runtime/backend.hpp"
#include "zkacc/runtime/device_msm.hpp"
#include "zkacc/runtime/device_ntt.hpp"

namespace zkacc::runtime {

struct DeviceBackendOptions {
  double clock_mhz = 300.0;        // for projected card time: cycles / clock
  double throughput_hint = 1.0;    // share of a split job relative to the CPU
  // Threads for the host halves (bucket reduction and checks, the small
  // scalars' sums); 0: the machine's (ZKACC_THREADS, else every hardware
  // thread), what the card projection assumes (CardParams::host_threads).
  std::size_t host_threads = 0;
  DeviceMsmOptions msm;            // msm.timeout: wall time one MSM kernel run may take
  std::chrono::milliseconds ntt_timeout{600'000};  // wall time one NTT kernel run may take
};

class DeviceBackend final : public Backend {
 public:
  DeviceBackend(std::string name, std::unique_ptr<drivers::Device> msm_device,
                std::unique_ptr<drivers::Device> ntt_device, DeviceBackendOptions options = {});
  ~DeviceBackend() override;

  std::string name() const override { return name_; }
  bool is_device() const override { return true; }
  double throughput_hint() const override { return options_.throughput_hint; }
  G1Jacobian msm_g1(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars) override;
  G1Jacobian msm_g1_of_key(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars,
                           std::uint64_t key) override;
  void ntt(std::span<Fr> values, NttDirection direction) override;
  DeviceCounters counters() const override;
  std::optional<double> clock_mhz() const override { return options_.clock_mhz; }

  const DeviceMsm* msm() const { return msm_.get(); }
  const DeviceNtt* ntt_engine() const { return ntt_.get(); }
  // The kernels' devices (null when not opened), e.g. for a test to reach a
  // SimDevice's fault injection.
  drivers::Device* msm_device() { return msm_device_.get(); }
  drivers::Device* ntt_device() { return ntt_device_.get(); }

 private:
  std::string name_;
  DeviceBackendOptions options_;
  ThreadPool pool_;
  std::unique_ptr<drivers::Device> msm_device_, ntt_device_;
  std::unique_ptr<DeviceMsm> msm_;
  std::unique_ptr<DeviceNtt> ntt_;
};

}  // namespace zkacc::runtime
