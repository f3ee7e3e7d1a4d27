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
//
// A run that did not end with the kernel's done (a timeout, an error, an
// injected early done) leaves the model mid-run. The next start() resets it
// first, as a driver resets a hung kernel: ap_rst_n low for 16 cycles, then
// the arguments set since construction written again (reset clears them).
//
// Fault injection (tests only): inject_fault() makes the device misbehave
// the way a card can — a corrupted result word, a completion that never
// comes or comes too early, a failed allocation — so the runtime's
// detection, retry and CPU fallback can be tested against the real kernels.
#pragma once

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <random>

#include "zkacc/drivers/device.hpp"

namespace zkacc::sim {
class SimKernel;
class DeviceMemory;
}  // namespace zkacc::sim

namespace zkacc::drivers {

// TEST ONLY: a fault for SimDevice to inject. Eligible events are kernel
// runs (start()) for the first three kinds and allocate() calls for
// fail_allocation; the fault is injected on the (after+1)-th eligible event
// after inject_fault() and on the `count` − 1 following ones (kAlways: on
// every one from then on).
struct SimFault {
  enum class Kind {
    none,
    corrupt_result,   // after the run: bits flipped in one 8-byte word the kernel wrote during it
    never_done,       // the kernel's completion is never signalled: wait() times out
    early_done,       // completion signalled `early_cycles` after start, the kernel still running
    fail_allocation,  // allocate() throws DeviceError
  };
  static constexpr std::uint64_t kAlways = ~std::uint64_t(0);

  Kind kind = Kind::none;
  std::uint64_t after = 0;            // eligible events let through first
  std::uint64_t count = 1;            // events faulted, or kAlways
  std::uint64_t seed = 1;             // corrupt_result: which word and which bits
  // early_done: kernel cycles from start to the false done. The default
  // comes before the kernels' first data arrives (read latency 30): a done
  // later in a run leaves the NTT engine's simulation-only shadow checker
  // with stale slot states that it reports as assertion failures after the
  // reset (its run counter restarts at reset), though the kernel recovers.
  std::uint64_t early_cycles = 32;
};

struct SimDeviceOptions {
  std::uint64_t memory_bytes = std::uint64_t(1) << 30;  // simulated card memory (touched pages only)
  std::uint64_t max_cycles = std::uint64_t(1) << 36;     // a run longer than this is a hang
  // The MSM kernel's point adder as its RTL (every module RTL, some 3 k
  // cycles/s) rather than its simulation model (cycle- and bit-exact, some
  // 10^5 cycles/s; sim/models/g1_xyzz_madd_model.sv).
  bool rtl_adder = false;
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

  // TEST ONLY: replaces the injected fault (Kind::none: no fault) and
  // restarts its event count. faults_fired() counts the faults that took
  // effect since construction: a corrupted word, a hidden or early done, a
  // failed allocation (an early done the kernel beat by finishing first
  // does not count).
  void inject_fault(const SimFault& fault);
  std::uint64_t faults_fired() const { return faults_fired_; }

 private:
  void check_idle(const char* what) const;
  bool take_fault(SimFault::Kind kind);  // whether this eligible event is faulted
  void corrupt_written_word();           // run thread, after the kernel's done

  const KernelSpec& spec_;
  SimDeviceOptions options_;
  std::unique_ptr<sim::DeviceMemory> memory_;
  std::unique_ptr<sim::SimKernel> model_;
  std::vector<std::uint64_t> buffers_;  // device address per BufferId
  std::uint64_t next_free_ = 0;
  // Guards run_ and bound_ against a write() from another thread (an
  // upload beside the kernel) while start(), wait() or set_arg() change them.
  mutable std::mutex mutex_;
  std::future<RunState> run_;
  std::atomic<bool> stop_{false};
  std::map<std::uint32_t, std::uint32_t> args_;  // argument registers as set, replayed after a reset
  struct BoundRange {
    std::uint64_t address, bytes;
  };
  std::map<std::size_t, BoundRange> bound_;      // the buffer arguments' card memory, for writes during a run
  bool needs_reset_ = false;                     // the last run left the model mid-run
  bool run_faulted_ = false;                     // this run's done is hidden or early

  SimFault fault_;
  std::uint64_t fault_events_ = 0;  // eligible events since inject_fault()
  std::uint64_t faults_left_ = 0;
  std::mt19937_64 fault_rng_;
  std::atomic<std::uint64_t> faults_fired_{0};
};

// The kernel models this build has, with their configuration.
DeviceListing list_sim_devices();

}  // namespace zkacc::drivers
