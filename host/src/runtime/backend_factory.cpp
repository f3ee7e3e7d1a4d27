#include "zkacc/runtime/backend_factory.hpp"

#include <sstream>

#include "zkacc/drivers/kernel_spec.hpp"
#include "zkacc/runtime/cpu_backend.hpp"
#include "zkacc/runtime/device_backend.hpp"
#ifdef ZKACC_HAVE_SIM
#include "zkacc/drivers/sim_device.hpp"
#endif
#ifdef ZKACC_HAVE_XRT
#include "zkacc/drivers/xrt_device.hpp"
#endif

namespace zkacc::runtime {

std::vector<std::string> available_backends() {
  std::vector<std::string> names{"cpu"};
#ifdef ZKACC_HAVE_SIM
  names.push_back("sim");
  names.push_back("sim-rtl");
#endif
#ifdef ZKACC_HAVE_XRT
  names.push_back("xrt");
#endif
  return names;
}

std::shared_ptr<Backend> make_backend(const std::string& name, ThreadPool& pool, const BackendConfig& config) {
  DeviceBackendOptions options;
  options.clock_mhz = config.clock_mhz;
  options.msm.window_bits = config.msm_window_bits;
  if (config.timeout.count() > 0) options.msm.timeout = options.ntt_timeout = config.timeout;
  if (name == "cpu") return std::make_shared<CpuBackend>(pool);
  if (name == "sim" || name == "sim-rtl") {
#ifdef ZKACC_HAVE_SIM
    // "sim": the MSM kernel's point adder is its simulation model (some 10^5
    // kernel cycles per second); "sim-rtl": every module RTL (some 3·10^3).
    // Either is far below a CPU core's MSM rate, which sets its share of a
    // split job.
    const bool rtl = name == "sim-rtl";
    options.throughput_hint = rtl ? 0.001 : 0.03;
    options.msm.host_addition_cost = 0.0;  // a simulated cycle costs more than any host work
    drivers::SimDeviceOptions sim;
    sim.rtl_adder = rtl;
    return std::make_shared<DeviceBackend>(
        name,
        config.msm ? std::make_unique<drivers::SimDevice>(drivers::msm_kernel_spec(), sim) : nullptr,
        config.ntt ? std::make_unique<drivers::SimDevice>(drivers::ntt_kernel_spec(), sim) : nullptr, options);
#else
    throw Error("backend '" + name + "' is not in this build: it needs Verilator at configure time (apt-get install verilator)");
#endif
  }
  if (name == "xrt") {
#ifdef ZKACC_HAVE_XRT
    options.throughput_hint = 10.0;
    // Card memory for the MSM kernel's read streams (points or x and y,
    // digits), each on a bank of its own (hw/vitis/link_*.cfg): a U55C HBM
    // pseudo-channel gives 14.4 GB/s at the pins, a U250 DDR4 bank 19.2; at
    // an assumed 85 % and 300 MHz the smaller is 0.64 beats a cycle a
    // stream. With it the planner keeps runs of one window a lane (a point a
    // cycle) for a kernel whose streams keep up (split points, scalars:
    // docs/bench.md, item 9).
    options.msm.bank_beats_per_cycle = 14.4e9 * 0.85 / 64 / 300e6;
    return std::make_shared<DeviceBackend>(
        "xrt:" + std::to_string(config.device_index),
        config.msm ? std::make_unique<drivers::XrtDevice>(config.device_index, config.xclbin, drivers::msm_kernel_spec())
                   : nullptr,
        config.ntt ? std::make_unique<drivers::XrtDevice>(config.device_index, config.xclbin, drivers::ntt_kernel_spec())
                   : nullptr,
        options);
#else
    throw Error("backend 'xrt' is not in this build: it needs libxrt at configure time (apt-get install libxrt-dev)");
#endif
  }
  std::string known;
  for (const auto& n : available_backends()) known += (known.empty() ? "" : ", ") + n;
  throw Error("unknown backend '" + name + "' (this build has: " + known + ")");
}

std::vector<std::shared_ptr<Backend>> make_backends(const std::string& names, ThreadPool& pool,
                                                    const BackendConfig& config) {
  std::vector<std::shared_ptr<Backend>> backends;
  std::stringstream ss(names);
  std::string name;
  while (std::getline(ss, name, ','))
    if (!name.empty()) backends.push_back(make_backend(name, pool, config));
  if (backends.empty()) throw Error("no backend named in '" + names + "'");
  return backends;
}

std::vector<drivers::DeviceListing> list_devices() {
  std::vector<drivers::DeviceListing> out;
#ifdef ZKACC_HAVE_SIM
  out.push_back(drivers::list_sim_devices());
#else
  out.push_back({"sim", {}, "not in this build (needs Verilator at configure time)"});
#endif
#ifdef ZKACC_HAVE_XRT
  out.push_back(drivers::list_xrt_devices());
#else
  out.push_back({"xrt", {}, "not in this build (needs libxrt-dev at configure time)"});
#endif
  return out;
}

}  // namespace zkacc::runtime
