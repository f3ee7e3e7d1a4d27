#include "kernels/kernel_models.hpp"

#include <stdexcept>

#include "harness/sim_kernel.hpp"

#include "Vzkacc_copy_kernel.h"
#if __has_include("Vzkacc_msm_kernel.h")
#include "Vzkacc_msm_kernel.h"
#include "Vzkacc_msm_kernel_cpp_adder.h"
#include "Vzkacc_msm_kernel_l2.h"
#include "Vzkacc_msm_kernel_l2_cpp_adder.h"
#define ZKACC_SIM_HAS_MSM 1
#endif
#if __has_include("Vzkacc_ntt_kernel.h")
#include "Vzkacc_ntt_kernel.h"
#define ZKACC_SIM_HAS_NTT 1
#endif

namespace zkacc::sim {
namespace {

#ifdef ZKACC_SIM_HAS_MSM
template <class Model>
std::unique_ptr<SimKernel> msm_kernel_model(DeviceMemory& memory) {
  auto k = std::make_unique<KernelHarness<Model>>(memory);
  k->add_port("points", ZKACC_AXI_MASTER_SIGNALS(k->model(), m_axi_points));
  k->add_port("digits", ZKACC_AXI_MASTER_SIGNALS(k->model(), m_axi_digits));
  k->add_port("buckets", ZKACC_AXI_MASTER_SIGNALS(k->model(), m_axi_buckets));
  k->add_port("points_y", ZKACC_AXI_MASTER_SIGNALS(k->model(), m_axi_points_y));
  k->reset();
  return k;
}
#endif

}  // namespace

std::vector<std::string> kernel_model_names() {
  std::vector<std::string> names{"zkacc_copy_kernel"};
#ifdef ZKACC_SIM_HAS_MSM
  names.push_back("zkacc_msm_kernel");
  names.push_back("zkacc_msm_kernel_l2");  // two lanes, 18-bit digits (sim/CMakeLists.txt)
#endif
#ifdef ZKACC_SIM_HAS_NTT
  names.push_back("zkacc_ntt_kernel");
#endif
  return names;
}

// Each model's m_axi ports, by the names of docs/kernel_*.md.
std::unique_ptr<SimKernel> make_kernel_model(const std::string& name, DeviceMemory& memory, PointAdder adder) {
  if (name == "zkacc_copy_kernel") {
    auto k = std::make_unique<KernelHarness<Vzkacc_copy_kernel>>(memory);
    k->add_port("src", ZKACC_AXI_MASTER_SIGNALS(k->model(), m_axi_src));
    k->add_port("dst", ZKACC_AXI_MASTER_SIGNALS(k->model(), m_axi_dst));
    k->reset();
    return k;
  }
#ifdef ZKACC_SIM_HAS_MSM
  const bool rtl = adder == PointAdder::rtl;
  if (name == "zkacc_msm_kernel")
    return rtl ? msm_kernel_model<Vzkacc_msm_kernel>(memory) : msm_kernel_model<Vzkacc_msm_kernel_cpp_adder>(memory);
  // The same kernel built with two lanes and 18-bit digits: one register map,
  // another configuration (the lanes register says which).
  if (name == "zkacc_msm_kernel_l2")
    return rtl ? msm_kernel_model<Vzkacc_msm_kernel_l2>(memory)
               : msm_kernel_model<Vzkacc_msm_kernel_l2_cpp_adder>(memory);
#endif
#ifdef ZKACC_SIM_HAS_NTT
  if (name == "zkacc_ntt_kernel") {
    auto k = std::make_unique<KernelHarness<Vzkacc_ntt_kernel>>(memory);
    k->add_port("in", ZKACC_AXI_MASTER_SIGNALS(k->model(), m_axi_in));
    k->add_port("out", ZKACC_AXI_MASTER_SIGNALS(k->model(), m_axi_out));
    k->reset();
    return k;
  }
#endif
  std::string known;
  for (const auto& n : kernel_model_names()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("no Verilator model of kernel '" + name + "' in this build (models: " + known + ")");
}

}  // namespace zkacc::sim
