#include "zkacc/drivers/xrt_device.hpp"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <vector>

#include <experimental/xrt_system.h>
#include <xrt/xrt_bo.h>
#include <xrt/xrt_device.h>
#include <xrt/version.h>
#include <xrt/xrt_kernel.h>

namespace zkacc::drivers {

struct XrtDevice::Impl {
  xrt::device device;
  xrt::uuid uuid;
  xrt::kernel kernel;
  xrt::run run;
  std::vector<xrt::bo> buffers;
  std::map<std::size_t, xrt::bo> sub_buffers;  // per argument: the sub-buffer it is set to, kept alive
};

namespace {

// XRT locates its plugin libraries through XILINX_XRT; say so rather than
// repeat its terse "XILINX_XRT not set".
std::string xrt_hint(const std::string& what) {
  if (std::getenv("XILINX_XRT") == nullptr)
    return what + " (set XILINX_XRT to the XRT install prefix, e.g. /opt/xilinx/xrt, or a directory whose lib/ "
                  "holds libxrt_core)";
  return what;
}

}  // namespace

XrtDevice::XrtDevice(unsigned device_index, const std::string& xclbin_path, const KernelSpec& kernel)
    : impl_(std::make_unique<Impl>()), spec_(kernel), index_(device_index), xclbin_(xclbin_path) {
  if (xclbin_path.empty())
    throw DeviceError("xrt: no xclbin given for kernel " + kernel.name + " (pass --xclbin; see docs/vitis.md)");
  if (!std::filesystem::is_regular_file(xclbin_path))
    throw DeviceError("xrt: " + xclbin_path + ": no such xclbin file");
  try {
    impl_->device = xrt::device(device_index);
  } catch (const std::exception& e) {
    throw DeviceError("xrt: cannot open device " + std::to_string(device_index) + ": " + xrt_hint(e.what()));
  }
  try {
    impl_->uuid = impl_->device.load_xclbin(xclbin_path);
  } catch (const std::exception& e) {
    throw DeviceError("xrt: device " + std::to_string(device_index) + ": cannot load " + xclbin_path + ": " + e.what());
  }
  try {
    // Exclusive access: XRT refuses read_register/write_register on a CU
    // opened shared, and DeviceMsm reads the config and lanes registers
    // before its first run ("To read and write from the AXI-Lite register
    // space corresponding to a CU, the CU must be opened in exclusive mode",
    // Vitis_Accel_Examples 2021.2, register_access_xrt). One process per
    // card, as `--mpi` with one card per local rank already assumes.
    impl_->kernel = xrt::kernel(impl_->device, impl_->uuid, kernel.name, xrt::kernel::cu_access_mode::exclusive);
    impl_->run = xrt::run(impl_->kernel);
  } catch (const std::exception& e) {
    throw DeviceError("xrt: " + xclbin_path + " has no usable kernel " + kernel.name + ": " + e.what());
  }
}

XrtDevice::~XrtDevice() = default;

std::string XrtDevice::name() const { return "xrt:" + std::to_string(index_) + ":" + spec_.name; }

BufferId XrtDevice::allocate(std::uint64_t bytes, std::size_t arg) {
  try {
    impl_->buffers.emplace_back(impl_->device, bytes, impl_->kernel.group_id(static_cast<int>(arg)));
  } catch (const std::exception& e) {
    throw DeviceError(name() + ": cannot allocate " + std::to_string(bytes) + " bytes for argument " +
                      spec_.args.at(arg).name + ": " + e.what());
  }
  return {static_cast<std::uint32_t>(impl_->buffers.size() - 1), bytes};
}

void XrtDevice::write(const BufferId& buffer, std::span<const std::byte> data, std::uint64_t offset) {
  if (offset + data.size() > buffer.bytes) throw DeviceError(name() + ": write past the end of a buffer");
  try {
    xrt::bo& bo = impl_->buffers.at(buffer.id);
    bo.write(data.data(), data.size(), buffer.offset + offset);
    bo.sync(XCL_BO_SYNC_BO_TO_DEVICE, data.size(), buffer.offset + offset);
  } catch (const std::exception& e) {
    throw DeviceError(name() + ": host-to-card copy failed: " + e.what());
  }
}

void XrtDevice::read(const BufferId& buffer, std::span<std::byte> data, std::uint64_t offset) {
  if (offset + data.size() > buffer.bytes) throw DeviceError(name() + ": read past the end of a buffer");
  try {
    xrt::bo& bo = impl_->buffers.at(buffer.id);
    bo.sync(XCL_BO_SYNC_BO_FROM_DEVICE, data.size(), buffer.offset + offset);
    bo.read(data.data(), data.size(), buffer.offset + offset);
  } catch (const std::exception& e) {
    throw DeviceError(name() + ": card-to-host copy failed: " + e.what());
  }
}

void XrtDevice::set_arg(std::size_t arg, std::uint32_t value) { impl_->run.set_arg(static_cast<int>(arg), value); }

void XrtDevice::set_arg(std::size_t arg, const BufferId& buffer) {
  const xrt::bo& whole = impl_->buffers.at(buffer.id);
  if (buffer.offset == 0 && buffer.bytes == whole.size()) {
    impl_->run.set_arg(static_cast<int>(arg), whole);
    impl_->sub_buffers.erase(arg);
    return;
  }
  try {
    xrt::bo& part = impl_->sub_buffers[arg] = xrt::bo(whole, buffer.bytes, buffer.offset);
    impl_->run.set_arg(static_cast<int>(arg), part);
  } catch (const std::exception& e) {
    throw DeviceError(name() + ": cannot make a sub-buffer of bytes " + std::to_string(buffer.offset) + ".." +
                      std::to_string(buffer.offset + buffer.bytes) + " for argument " + spec_.args.at(arg).name +
                      ": " + e.what());
  }
}

void XrtDevice::start() {
  try {
    impl_->run.start();
  } catch (const std::exception& e) {
    throw DeviceError(name() + ": start failed: " + e.what());
  }
}

RunState XrtDevice::wait(std::chrono::milliseconds timeout) {
  try {
    const ert_cmd_state state = impl_->run.wait(timeout);
    if (state == ERT_CMD_STATE_COMPLETED) return RunState::completed;
    if (state == ERT_CMD_STATE_TIMEOUT || state == ERT_CMD_STATE_RUNNING || state == ERT_CMD_STATE_NEW ||
        state == ERT_CMD_STATE_QUEUED) {
      // Abort the hung run so the scheduler's retry can start the kernel
      // again; if XRT cannot abort it, the retry fails and the CPU takes over.
      try {
        impl_->run.abort();
      } catch (const std::exception&) {
      }
      return RunState::timeout;
    }
    return RunState::error;
  } catch (const std::exception&) {
    return RunState::error;
  }
}

std::uint32_t XrtDevice::read_status(std::size_t index) {
  try {
    return impl_->kernel.read_register(spec_.status.at(index).offset);
  } catch (const std::exception& e) {
    throw DeviceError(name() + ": cannot read status register " + spec_.status.at(index).name + ": " + e.what());
  }
}

DeviceListing list_xrt_devices() {
  DeviceListing listing{"xrt", {}, ""};
  try {
    const std::size_t count = xrt::system::enumerate_devices();
    for (unsigned i = 0; i < count; ++i) {
      xrt::device d(i);
      listing.devices.push_back(std::to_string(i) + ": " + d.get_info<xrt::info::device::name>() + " (" +
                                d.get_info<xrt::info::device::bdf>() + ")");
    }
    if (count == 0) listing.note = "XRT found no card";
  } catch (const std::exception& e) {
    listing.note = "XRT cannot enumerate devices: " + xrt_hint(e.what());
  }
  return listing;
}

std::string xrt_release() { return ::xrt_build_version; }

}  // namespace zkacc::drivers
