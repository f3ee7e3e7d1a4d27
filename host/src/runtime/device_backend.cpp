#include "zkacc/runtime/device_backend.hpp"

namespace zkacc::runtime {

DeviceBackend::DeviceBackend(std::string name, std::unique_ptr<drivers::Device> msm_device,
                             std::unique_ptr<drivers::Device> ntt_device, DeviceBackendOptions options)
    : name_(std::move(name)),
      options_(options),
      pool_(options.host_threads),
      msm_device_(std::move(msm_device)),
      ntt_device_(std::move(ntt_device)) {
  // The planner weighs host work against kernel cycles at the backend's clock.
  DeviceMsmOptions msm = options_.msm;
  msm.clock_mhz = options_.clock_mhz;
  if (msm_device_) msm_ = std::make_unique<DeviceMsm>(*msm_device_, pool_, msm);
  if (ntt_device_) ntt_ = std::make_unique<DeviceNtt>(*ntt_device_, pool_, options_.ntt_timeout);
}

DeviceBackend::~DeviceBackend() = default;

G1Jacobian DeviceBackend::msm_g1(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars) {
  if (!msm_) throw drivers::DeviceError(name_ + ": no MSM kernel on this device");
  return msm_->run(points, scalars);
}

G1Jacobian DeviceBackend::msm_g1_of_key(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars,
                                        std::uint64_t key) {
  if (!msm_) throw drivers::DeviceError(name_ + ": no MSM kernel on this device");
  return msm_->run(points, scalars, key);
}

void DeviceBackend::ntt(std::span<Fr> values, NttDirection direction) {
  if (!ntt_) throw drivers::DeviceError(name_ + ": no NTT kernel on this device");
  ntt_->run(values, direction);
}

DeviceCounters DeviceBackend::counters() const {
  DeviceCounters c;
  for (const DeviceCounters* d : {msm_ ? &msm_->counters() : nullptr, ntt_ ? &ntt_->counters() : nullptr}) {
    if (!d) continue;
    c.runs += d->runs;
    c.cycles += d->cycles;
    c.msm_cycles += d->msm_cycles;
    c.ntt_cycles += d->ntt_cycles;
    c.additions += d->additions;
    c.butterflies += d->butterflies;
    c.conflicts += d->conflicts;
    c.point_uploads += d->point_uploads;
    c.point_bytes += d->point_bytes;
    c.small_scalars += d->small_scalars;
  }
  return c;
}

}  // namespace zkacc::runtime
