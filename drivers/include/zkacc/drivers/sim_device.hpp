// SimDevice: one zkacc kernel as its Verilator model (sim/), driven exactly
// like the card: buffers live in a simulated card memory served to the
// kernel's AXI4 master ports by a cycle-accurate memory model, arguments and
// ap_start/ap_done go through the AXI4-Lite register map, and a run is the
// model clocked until the kernel raises its interrupt (GIE and IER are
// enabled by start()).
//
// start() clocks the model on a thread of its own, so the host can prepare
// the next job meanwhile, as it would with a card. wait()'s timeout is wall
// time; `max_cycles` bounds a run in kernel cycles as well.
#pragma once

#include <atomic>
#include <future>
#include <memory>

#include "zkacc/drivers/device.hpp"

namespace zkacc::sim {
class SimKernel;
class DeviceMemory;
}  // namespace zkacc::sim

namespace zkacc::drivers {

struct SimDeviceOptions {
  std::uint64_t memory_bytes = std::uint64_t(1) << 30;  // simulated card memory (touched pages only)
  std::uint64_t max_cycles = std::uint64_t(1) << 36;     // a run longer than this is a hang
};

class SimDevice final : public Device {
 public:
  explicit SimDevice(const KernelSpec& kernel, SimDeviceOptions options = {});
  ~SimDevice() override;

  std::string name() const override { return "sim:" + spec_.name; }
  const KernelSpec& kernel() const override { return spec_; }
  BufferId allocate(std::uint64_t bytes, std::size_t arg) override;
  void write(const BufferId& buffer, std::span<const std::byte> data, std::uint64_t offset = 0) override;
  void read(const BufferId& buffer, std::span<std::byte> data, std::uint64_t offset = 0) override;
  void set_arg(std::size_t arg, std::uint32_t value) override;
  void set_arg(std::size_t arg, const BufferId& buffer) override;
  void start() override;
  RunState wait(std::chrono::milliseconds timeout) override;
  std::uint32_t read_status(std::size_t index) override;

  // Register access for protocol tests (what the driver itself uses).
  std::uint32_t read_register(std::uint32_t offset);
  void write_register(std::uint32_t offset, std::uint32_t value);
  std::uint64_t model_cycles() const;                 // since the model was built
  std::uint64_t buffer_address(const BufferId& buffer) const;
  std::uint64_t assertion_failures() const;           // RTL assertions that fired

 private:
  void check_idle(const char* what) const;

  const KernelSpec& spec_;
  SimDeviceOptions options_;
  std::unique_ptr<sim::DeviceMemory> memory_;
  std::unique_ptr<sim::SimKernel> model_;
  std::vector<std::uint64_t> buffers_;  // device address per BufferId
  std::uint64_t next_free_ = 0;
  std::future<RunState> run_;
  std::atomic<bool> stop_{false};
};

// The kernel models this build has, with their configuration.
DeviceListing list_sim_devices();

}  // namespace zkacc::drivers
