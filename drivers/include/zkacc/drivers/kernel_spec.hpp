// The register maps of zkacc's Vitis RTL kernels, written once here and used
// by both drivers: SimDevice writes the offsets over AXI4-Lite, XrtDevice
// passes the argument indices to xrt::run (the order of kernel.xml). The RTL
// tops in hw/rtl/kernel and docs/kernel_*.md hold the same maps; the
// register-protocol tests check that the three agree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zkacc::drivers {

// ap_ctrl_hs control registers, common to every kernel.
inline constexpr std::uint32_t kRegControl = 0x00;  // bit0 start, 1 done (clear on read), 2 idle, 3 ready
inline constexpr std::uint32_t kRegGlobalInterruptEnable = 0x04;
inline constexpr std::uint32_t kRegInterruptEnable = 0x08;
inline constexpr std::uint32_t kRegInterruptStatus = 0x0C;
inline constexpr std::uint32_t kControlStart = 1u << 0;
inline constexpr std::uint32_t kControlDone = 1u << 1;
inline constexpr std::uint32_t kControlIdle = 1u << 2;

enum class ArgKind { u32, buffer };  // a buffer is a 64-bit address in two registers

struct KernelArg {
  std::string name;
  std::uint32_t offset;
  ArgKind kind;
};

struct KernelStatus {
  std::string name;
  std::uint32_t offset;
};

struct KernelSpec {
  std::string name;
  std::vector<KernelArg> args;
  std::vector<KernelStatus> status;

  std::size_t arg_index(const std::string& arg_name) const;
  std::size_t status_index(const std::string& status_name) const;
};

// One 512-bit AXI beat: the unit of every kernel buffer.
inline constexpr std::size_t kBeatBytes = 64;

const KernelSpec& copy_kernel_spec();  // zkacc_copy_kernel: memory copy, bandwidth probe
const KernelSpec& msm_kernel_spec();   // zkacc_msm_kernel: bucket accumulation
const KernelSpec& ntt_kernel_spec();   // zkacc_ntt_kernel: on-chip radix-2 NTT
const KernelSpec& kernel_spec(const std::string& name);  // by name; throws on an unknown kernel

}  // namespace zkacc::drivers
