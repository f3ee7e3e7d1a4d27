// Backends by name, as the CLI's --backend names them: "cpu", "sim" (the
// Verilator models of the MSM and NTT kernels, the MSM kernel's point adder
// as its C++ simulation model), "sim-rtl" (the same, every module RTL) and
// "xrt" (a card, with --xclbin and --device). A name this build lacks is an Error saying how to
// get it.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/drivers/device.hpp"
#include "zkacc/runtime/backend.hpp"

namespace zkacc::runtime {

struct BackendConfig {
  std::string xclbin;               // xrt: the xclbin holding zkacc_msm_kernel and zkacc_ntt_kernel
  unsigned device_index = 0;        // xrt: card index
  double clock_mhz = 300.0;         // clock for projected card time
  bool msm = true, ntt = true;      // which kernels to open
  unsigned msm_window_bits = 0;     // 0: the device cost model picks
  std::chrono::milliseconds timeout{0};  // wall time one kernel run may take; 0: the device default (10 min)
};

std::shared_ptr<Backend> make_backend(const std::string& name, ThreadPool& pool, const BackendConfig& config = {});

// "cpu,sim" → two backends.
std::vector<std::shared_ptr<Backend>> make_backends(const std::string& names, ThreadPool& pool,
                                                    const BackendConfig& config = {});

// The backends this build can make ("cpu", "sim", "sim-rtl", "xrt").
std::vector<std::string> available_backends();

// What each driver sees, for `zkacc info`.
std::vector<drivers::DeviceListing> list_devices();

}  // namespace zkacc::runtime
