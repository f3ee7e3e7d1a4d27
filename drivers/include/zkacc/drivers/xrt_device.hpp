// XrtDevice: one zkacc kernel on a Xilinx Alveo card through XRT (libxrt,
// Debian's libxrt-dev): xrt::device opens the card, load_xclbin programs it,
// xrt::kernel/xrt::run start the kernel with the argument indices of
// kernel.xml, xrt::bo holds the buffers in the bank each argument is linked to.
//
// Every XRT failure (no card, no XILINX_XRT, a missing or foreign xclbin, a
// kernel name the xclbin lacks) becomes a DeviceError naming the device
// index, the file and XRT's own message; nothing aborts.
#pragma once

#include <memory>
#include <string>

#include "zkacc/drivers/device.hpp"

namespace zkacc::drivers {

class XrtDevice final : public Device {
 public:
  XrtDevice(unsigned device_index, const std::string& xclbin_path, const KernelSpec& kernel);
  ~XrtDevice() override;

  std::string name() const override;
  const KernelSpec& kernel() const override { return spec_; }
  BufferId allocate(std::uint64_t bytes, std::size_t arg) override;
  void write(const BufferId& buffer, std::span<const std::byte> data, std::uint64_t offset = 0) override;
  void read(const BufferId& buffer, std::span<std::byte> data, std::uint64_t offset = 0) override;
  void set_arg(std::size_t arg, std::uint32_t value) override;
  void set_arg(std::size_t arg, const BufferId& buffer) override;
  void start() override;
  RunState wait(std::chrono::milliseconds timeout) override;
  std::uint32_t read_status(std::size_t index) override;

 private:
  struct Impl;  // keeps XRT's headers out of every user of the device layer
  std::unique_ptr<Impl> impl_;
  const KernelSpec& spec_;
  unsigned index_;
  std::string xclbin_;
};

// The cards XRT sees (empty, with the reason, when there is no card or XRT
// cannot start).
DeviceListing list_xrt_devices();

// The XRT release this device layer was compiled against (xrt/version.h,
// e.g. "2.13.0"): what a bench run's provenance records of the host's XRT.
// The library loaded at run time is the same package on a Debian install;
// a card's shell and firmware versions are the card's (xbutil examine).
std::string xrt_release();

}  // namespace zkacc::drivers
