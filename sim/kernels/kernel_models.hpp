// The Verilator models of zkacc's kernel tops, by kernel name, each bound to
// a simulated card memory through its AXI4 master ports and reset, ready for
// SimDevice to drive through the control registers.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace zkacc::sim {

class SimKernel;
class DeviceMemory;

// Throws std::invalid_argument for a kernel this build has no model of.
std::unique_ptr<SimKernel> make_kernel_model(const std::string& name, DeviceMemory& memory);

// The kernels make_kernel_model knows.
std::vector<std::string> kernel_model_names();

}  // namespace zkacc::sim
