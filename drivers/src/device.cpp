#include "zkacc/drivers/device.hpp"

#include <algorithm>

namespace zkacc::drivers {

void run_and_wait(Device& device, std::chrono::milliseconds timeout) {
  device.start();
  switch (device.wait(timeout)) {
    case RunState::completed:
      return;
    case RunState::timeout:
      throw DeviceError(device.name() + ": kernel timed out (did not finish within " + std::to_string(timeout.count()) +
                        " ms)");
    case RunState::error:
      throw DeviceError(device.name() + ": kernel run ended in an error state");
  }
}

BufferId sub_buffer(const BufferId& buffer, std::uint64_t offset, std::uint64_t bytes) {
  if (offset > buffer.bytes || bytes > buffer.bytes - offset)
    throw DeviceError("sub-buffer of bytes " + std::to_string(offset) + ".." + std::to_string(offset + bytes) +
                      " of a " + std::to_string(buffer.bytes) + "-byte buffer");
  return {buffer.id, bytes, buffer.offset + offset};
}

void ensure_buffer(Device& device, BufferId& buffer, std::uint64_t bytes, std::size_t arg) {
  if (buffer.bytes < bytes) buffer = device.allocate(std::max<std::uint64_t>(bytes, 2 * buffer.bytes), arg);
}

std::string describe_error_bits(std::uint32_t bits, std::initializer_list<const char*> names) {
  std::string out;
  unsigned bit = 0;
  for (const char* name : names) {
    if (bits >> bit++ & 1) out += (out.empty() ? "" : ", ") + std::string(name);
  }
  return out.empty() ? "unknown error bits" : out;
}

std::uint64_t read_status_u64(Device& device, const std::string& name) {
  const KernelSpec& spec = device.kernel();
  const std::uint64_t lo = device.read_status(spec.status_index(name + "_lo"));
  const std::uint64_t hi = device.read_status(spec.status_index(name + "_hi"));
  return lo | (hi << 32);
}

}  // namespace zkacc::drivers
