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

// Which point adder the MSM kernel's model simulates (sim/CMakeLists.txt):
// its simulation model (same ports and latency, arithmetic in C++; about a
// hundred times faster) or the RTL. Kernels without an adder ignore it.
enum class PointAdder { model, rtl };

// Throws std::invalid_argument for a kernel this build has no model of.
std::unique_ptr<SimKernel> make_kernel_model(const std::string& name, DeviceMemory& memory,
                                             PointAdder adder = PointAdder::model);

// The kernels make_kernel_model knows.
std::vector<std::string> kernel_model_names();

}  // namespace zkacc::sim
