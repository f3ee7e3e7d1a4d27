// What the device backends of a run counted (kernel cycles, additions,
// butterflies, adder utilization) and the card time projected from them, as
// JSON: the bench's per-measurement "device" entry and what `zkacc msm` and
// `zkacc ntt` print.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

#include <nlohmann/json.hpp>

#include "zkacc/runtime/backend.hpp"

namespace zkacc::bench {

// One entry per device backend (null when none): runs, cycles, msm_cycles,
// additions, conflicts, ntt_cycles, butterflies (each divided by `jobs`, the
// number of jobs the backends ran), clock_mhz, adder_utilization (additions
// ÷ MSM cycles, write-back included) and projected_kernel_ms (cycles ÷ clock:
// a projection, not a measurement).
nlohmann::ordered_json device_counters_json(std::span<const std::shared_ptr<runtime::Backend>> backends,
                                            std::size_t jobs = 1);

}  // namespace zkacc::bench
