#include "zkacc/drivers/sim_device.hpp"

#include <cstring>
#include <mutex>
#include <thread>

#include "harness/device_memory.hpp"
#include "harness/sim_kernel.hpp"
#include "kernels/kernel_models.hpp"

namespace zkacc::drivers {
namespace {

// Card addresses start away from zero so a buffer address of 0 (an argument
// never set) cannot alias a real buffer.
constexpr std::uint64_t kMemoryBase = 0x10'0000'0000ull;
constexpr std::uint64_t kBufferAlignment = 4096;

}  // namespace

SimDevice::SimDevice(const KernelSpec& kernel, SimDeviceOptions options)
    : spec_(kernel),
      options_(options),
      memory_(std::make_unique<sim::DeviceMemory>(kMemoryBase, options.memory_bytes)),
      model_(sim::make_kernel_model(kernel.name, *memory_,
                                    options.rtl_adder ? sim::PointAdder::rtl : sim::PointAdder::model)) {}

SimDevice::~SimDevice() {
  if (run_.valid()) {
    stop_ = true;
    run_.wait();
  }
}

void SimDevice::check_idle(const char* what) const {
  if (run_.valid()) throw DeviceError(name() + ": " + what + " while the kernel is running (call wait() first)");
}

BufferId SimDevice::allocate(std::uint64_t bytes, std::size_t arg) {
  if (arg >= spec_.args.size() || spec_.args[arg].kind != ArgKind::buffer)
    throw DeviceError(name() + ": argument " + std::to_string(arg) + " is not a buffer argument");
  if (take_fault(SimFault::Kind::fail_allocation)) {
    ++faults_fired_;
    throw DeviceError(name() + ": could not allocate " + std::to_string(bytes) + " bytes of card memory for argument '" +
                      spec_.args[arg].name + "' (injected fault)");
  }
  const std::uint64_t size = (std::max<std::uint64_t>(bytes, 1) + kBufferAlignment - 1) / kBufferAlignment * kBufferAlignment;
  if (next_free_ + size > options_.memory_bytes)
    throw DeviceError(name() + ": out of simulated card memory (" + std::to_string(bytes) + " bytes asked, " +
                      std::to_string(options_.memory_bytes - next_free_) + " free)");
  buffers_.push_back(kMemoryBase + next_free_);
  next_free_ += size;
  return {static_cast<std::uint32_t>(buffers_.size() - 1), bytes};
}

std::uint64_t SimDevice::buffer_address(const BufferId& buffer) const {
  if (buffer.id >= buffers_.size()) throw DeviceError(name() + ": unknown buffer");
  return buffers_[buffer.id] + buffer.offset;
}

void SimDevice::write(const BufferId& buffer, std::span<const std::byte> data, std::uint64_t offset) {
  const std::lock_guard lock(mutex_);
  if (offset + data.size() > buffer.bytes) throw DeviceError(name() + ": write past the end of a buffer");
  const std::uint64_t address = buffer_address(buffer) + offset;
  // While the kernel runs, only memory none of its buffer arguments covers
  // (the model's thread reads those; other bytes are the host's alone).
  if (run_.valid())
    for (const auto& [arg, range] : bound_)
      if (!data.empty() && address < range.address + range.bytes && range.address < address + data.size())
        throw DeviceError(name() + ": buffer write into the memory of argument '" + spec_.args[arg].name +
                          "' while the kernel is running (call wait() first)");
  std::memcpy(memory_->span(address, data.size()), data.data(), data.size());
}

void SimDevice::read(const BufferId& buffer, std::span<std::byte> data, std::uint64_t offset) {
  check_idle("buffer read");
  if (offset + data.size() > buffer.bytes) throw DeviceError(name() + ": read past the end of a buffer");
  std::memcpy(data.data(), memory_->span(buffer_address(buffer) + offset, data.size()), data.size());
}

void SimDevice::set_arg(std::size_t arg, std::uint32_t value) {
  check_idle("set_arg");
  if (arg >= spec_.args.size() || spec_.args[arg].kind != ArgKind::u32)
    throw DeviceError(name() + ": argument " + std::to_string(arg) + " is not a 32-bit argument");
  model_->write_reg(spec_.args[arg].offset, value);
  args_[spec_.args[arg].offset] = value;
}

void SimDevice::set_arg(std::size_t arg, const BufferId& buffer) {
  check_idle("set_arg");
  if (arg >= spec_.args.size() || spec_.args[arg].kind != ArgKind::buffer)
    throw DeviceError(name() + ": argument " + std::to_string(arg) + " is not a buffer argument");
  const std::uint64_t address = buffer_address(buffer);
  const std::uint32_t offset = spec_.args[arg].offset;
  {
    const std::lock_guard lock(mutex_);
    bound_[arg] = {address, buffer.bytes};
  }
  model_->write_reg(offset, static_cast<std::uint32_t>(address));
  model_->write_reg(offset + 4, static_cast<std::uint32_t>(address >> 32));
  args_[offset] = static_cast<std::uint32_t>(address);
  args_[offset + 4] = static_cast<std::uint32_t>(address >> 32);
}

std::uint32_t SimDevice::read_register(std::uint32_t offset) {
  check_idle("register read");
  return model_->read_reg(offset);
}

void SimDevice::write_register(std::uint32_t offset, std::uint32_t value) {
  check_idle("register write");
  model_->write_reg(offset, value);
}

std::uint64_t SimDevice::model_cycles() const { return model_->cycles(); }
std::uint64_t SimDevice::assertion_failures() const { return model_->assertion_failures(); }

void SimDevice::start() {
  check_idle("start");
  if (needs_reset_) {
    model_->reset();
    for (const auto& [offset, value] : args_) model_->write_reg(offset, value);
    needs_reset_ = false;
  }
  if ((model_->read_reg(kRegControl) & kControlIdle) == 0) throw DeviceError(name() + ": kernel is not idle");
  const bool never_done = take_fault(SimFault::Kind::never_done);
  const std::uint64_t early =
      take_fault(SimFault::Kind::early_done) ? std::max<std::uint64_t>(fault_.early_cycles, 1) : 0;
  const bool corrupt = take_fault(SimFault::Kind::corrupt_result);
  if (never_done) ++faults_fired_;
  run_faulted_ = never_done || early != 0;
  memory_->track_writes(corrupt);
  // Completion is seen on the interrupt line, as a card's driver sees it.
  model_->write_reg(kRegGlobalInterruptEnable, 1);
  model_->write_reg(kRegInterruptEnable, 1);
  model_->write_reg(kRegControl, kControlStart);
  stop_ = false;
  const std::lock_guard lock(mutex_);
  run_ = std::async(std::launch::async, [this, never_done, early, corrupt]() -> RunState {
    const std::uint64_t begin = model_->cycles();
    try {
      while (!model_->interrupt()) {
        if (stop_ || model_->cycles() - begin > options_.max_cycles) return RunState::timeout;
        const std::uint64_t elapsed = model_->cycles() - begin;
        if (early && elapsed >= early) {
          ++faults_fired_;
          return RunState::completed;  // a done the kernel never gave: it is still running
        }
        model_->tick(early ? std::min<std::uint64_t>(64, early - elapsed) : 64);
      }
      if (never_done) {
        // The kernel finished, but the host is never told.
        while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return RunState::timeout;
      }
      // Acknowledge: ap_done clears on read, the interrupt status toggles on write.
      const std::uint32_t control = model_->read_reg(kRegControl);
      model_->write_reg(kRegInterruptStatus, model_->read_reg(kRegInterruptStatus));
      if (!(control & kControlDone)) return RunState::error;
      if (corrupt) corrupt_written_word();
      return RunState::completed;
    } catch (const std::exception&) {
      return RunState::error;  // the memory model rejected an AXI access
    }
  });
}

RunState SimDevice::wait(std::chrono::milliseconds timeout) {
  if (!run_.valid()) throw DeviceError(name() + ": wait() without start()");
  const bool finished = run_.wait_for(timeout) == std::future_status::ready;
  if (!finished) {
    stop_ = true;
    run_.wait();
  }
  RunState state = RunState::timeout;
  {
    const std::lock_guard lock(mutex_);
    const RunState result = run_.get();
    if (finished) state = result;
    run_ = {};
  }
  if (state != RunState::completed || run_faulted_) needs_reset_ = true;
  return state;
}

void SimDevice::inject_fault(const SimFault& fault) {
  check_idle("inject_fault");
  fault_ = fault;
  fault_events_ = 0;
  faults_left_ = fault.kind == SimFault::Kind::none ? 0 : fault.count;
  fault_rng_.seed(fault.seed);
}

bool SimDevice::take_fault(SimFault::Kind kind) {
  if (fault_.kind != kind || faults_left_ == 0) return false;
  if (fault_events_++ < fault_.after) return false;
  if (faults_left_ != SimFault::kAlways) --faults_left_;
  return true;
}

// Any of the run's written words, any nonzero pattern of flipped bits: the
// kernel's output is hit where it really lies, not at a chosen easy spot.
// The AXI slaves record whole 8-byte words, so the ranges hold whole words.
void SimDevice::corrupt_written_word() {
  std::uint64_t words = 0;
  for (const auto& r : memory_->written()) words += r.bytes / 8;
  if (words == 0) return;  // the run wrote nothing
  std::uint64_t pick = fault_rng_() % words;
  for (const auto& r : memory_->written()) {
    if (pick >= r.bytes / 8) {
      pick -= r.bytes / 8;
      continue;
    }
    std::uint64_t mask = 0;
    while (mask == 0) mask = fault_rng_();
    std::uint8_t* word = memory_->span(r.addr + 8 * pick, 8);
    std::uint64_t value;
    std::memcpy(&value, word, 8);
    value ^= mask;
    std::memcpy(word, &value, 8);
    ++faults_fired_;
    return;
  }
}

std::uint32_t SimDevice::read_status(std::size_t index) {
  check_idle("status read");
  if (index >= spec_.status.size()) throw DeviceError(name() + ": no status register " + std::to_string(index));
  return model_->read_reg(spec_.status[index].offset);
}

DeviceListing list_sim_devices() {
  DeviceListing listing{"sim", {}, ""};
  for (const std::string& k : sim::kernel_model_names())
    listing.devices.push_back(k + (k.starts_with("zkacc_msm_kernel") ? " (Verilator model; point adder: C++ model, or RTL with backend sim-rtl)"
                                                                      : " (Verilator model)"));
  return listing;
}

}  // namespace zkacc::drivers
