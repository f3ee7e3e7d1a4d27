// One device layer for the accelerator kernels. A Device is one kernel on one
// card (or on its Verilator model): buffers in card memory, 32-bit and buffer
// arguments at the offsets of the kernel's register map, start, wait, and the
// kernel's read-only status registers. XrtDevice (libxrt, a real Alveo card)
// and SimDevice (the Verilator model of the same kernel top, driven through
// the same AXI4-Lite register map) implement it, so the runtime above does not
// know which one it talks to.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/drivers/kernel_spec.hpp"

namespace zkacc::drivers {

// A failed device operation (no card, bad xclbin, a kernel that never
// finishes, an AXI error). The runtime catches it and falls back to the CPU.
class DeviceError : public Error {
 public:
  explicit DeviceError(const std::string& what) : Error(what) {}
};

// A buffer in card memory, owned by the device that allocated it (freed with
// the device). `id` is an index into the device's table; `offset` is where
// this buffer starts in that allocation (0, or a sub_buffer's offset).
struct BufferId {
  std::uint32_t id = 0;
  std::uint64_t bytes = 0;
  std::uint64_t offset = 0;
};

// Bytes [offset, offset + bytes) of `buffer` as a buffer of its own: a
// kernel argument set to it gets the address of its first byte (on XRT a
// sub-buffer), reads and writes count their offsets from there. Throws when
// the range is not inside `buffer`.
BufferId sub_buffer(const BufferId& buffer, std::uint64_t offset, std::uint64_t bytes);

enum class RunState { completed, timeout, error };

class Device {
 public:
  virtual ~Device() = default;

  // "sim:zkacc_msm" or "xrt:0:zkacc_msm" (the card's index; bench.json's provenance names the card and its platform).
  virtual std::string name() const = 0;
  virtual const KernelSpec& kernel() const = 0;

  // A buffer of `bytes` in the memory bank the kernel's argument `arg`
  // (a buffer argument) is connected to.
  virtual BufferId allocate(std::uint64_t bytes, std::size_t arg) = 0;
  // write() may be called while the kernel runs, into bytes that none of the
  // run's buffer arguments covers (a card's DMA works beside its kernels):
  // the host uploads the next part of a job while the kernel takes this
  // one; it may come from another thread than the one that starts and
  // waits. SimDevice enforces the rule. read() and everything else wait for
  // wait().
  virtual void write(const BufferId& buffer, std::span<const std::byte> data, std::uint64_t offset = 0) = 0;
  virtual void read(const BufferId& buffer, std::span<std::byte> data, std::uint64_t offset = 0) = 0;

  virtual void set_arg(std::size_t arg, std::uint32_t value) = 0;
  virtual void set_arg(std::size_t arg, const BufferId& buffer) = 0;

  // start() returns at once; wait() blocks until the kernel raises ap_done,
  // the timeout passes or the device reports an error.
  virtual void start() = 0;
  virtual RunState wait(std::chrono::milliseconds timeout) = 0;

  // A read-only status register of the kernel (index into kernel().status).
  virtual std::uint32_t read_status(std::size_t index) = 0;
};

// Runs the kernel and throws DeviceError with the device's name when it does
// not complete.
void run_and_wait(Device& device, std::chrono::milliseconds timeout);

// A buffer kept across runs: reallocated, at least doubling, only when a run
// needs more than it holds. Buffers live as long as their device, so a host
// half that allocated per run would grow card memory with every job.
void ensure_buffer(Device& device, BufferId& buffer, std::uint64_t bytes, std::size_t arg);

// "an AXI read error, bad arguments": the names of the set bits of a
// kernel's error field, bit 0 first, for messages.
std::string describe_error_bits(std::uint32_t bits, std::initializer_list<const char*> names);

// Reads a 64-bit counter kept in two status registers named <name>_lo/_hi.
std::uint64_t read_status_u64(Device& device, const std::string& name);

// What a driver can see: one line per device or kernel model, for `zkacc info`.
struct DeviceListing {
  std::string driver;               // "sim" or "xrt"
  std::vector<std::string> devices; // human-readable descriptions
  std::string note;                 // why the list is empty, or what to do
};

}  // namespace zkacc::drivers
