#include "zkacc/bench/device_counters.hpp"

#include <algorithm>

namespace zkacc::bench {

nlohmann::ordered_json device_counters_json(std::span<const std::shared_ptr<runtime::Backend>> backends,
                                            std::size_t jobs) {
  jobs = std::max<std::size_t>(jobs, 1);
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& b : backends) {
    if (!b->is_device()) continue;
    runtime::DeviceCounters c = b->counters();
    for (std::uint64_t* v : {&c.runs, &c.cycles, &c.msm_cycles, &c.additions, &c.conflicts, &c.ntt_cycles, &c.butterflies,
                             &c.point_uploads, &c.point_bytes, &c.small_scalars})
      *v /= jobs;
    const double mhz = b->clock_mhz().value_or(0);
    nlohmann::ordered_json j = {{"backend", b->name()},     {"runs", c.runs},
                                {"cycles", c.cycles},       {"msm_cycles", c.msm_cycles},
                                {"additions", c.additions}, {"conflicts", c.conflicts},
                                {"ntt_cycles", c.ntt_cycles}, {"butterflies", c.butterflies},
                                {"point_uploads", c.point_uploads}, {"point_bytes", c.point_bytes},
                                {"small_scalars", c.small_scalars}, {"clock_mhz", mhz}};
    j["adder_utilization"] = c.msm_cycles ? double(c.additions) / double(c.msm_cycles) : 0.0;
    j["projected_kernel_ms"] = mhz > 0 ? double(c.cycles) / (mhz * 1e3) : 0.0;
    out.push_back(j);
  }
  return out.empty() ? nlohmann::ordered_json() : out;
}

}  // namespace zkacc::bench
