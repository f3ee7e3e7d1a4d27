// The projected time of a 2^24-point BN254 G1 MSM on one card, as bench.json
// carries it (runtime/card_projection: a model, not a measurement), for each
// card build of docs/bench.md (one, two and three point adders) at the
// clocks asked for, with the runtime's bucket-subset check as shipped and
// without it (docs/bench.md's table), and the host's XYZZ addition measured
// on this machine.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace zkacc::runtime {
struct MsmProjection;  // runtime/card_projection.hpp, a header the runtime keeps to itself
}  // namespace zkacc::runtime

namespace zkacc::bench {

// One projection as JSON: plan (window_bits, windows, runs), additions,
// utilization and the times in seconds (kernel_s, launch_s, first_rows_s,
// transfer_exposed_s, card_s, host_cpu_s, latency_s).
nlohmann::ordered_json projection_json(const runtime::MsmProjection& p);

// The "card_projection" object of bench.json: 2^24 points, every card build
// at every clock in `clocks_mhz`, with host_addition_ns as the host's XYZZ
// addition (measured by the caller).
nlohmann::ordered_json card_projection_report(const std::vector<double>& clocks_mhz, double host_addition_ns);

}  // namespace zkacc::bench
