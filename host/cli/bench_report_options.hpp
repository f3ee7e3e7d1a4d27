// The options of the bench suite's two reports beyond the sweep, chosen by
// `zkacc bench --ops scaling,cost` (zkacc/bench/scaling_report.hpp,
// zkacc/bench/cost_report.hpp): --scaling-* and --cost-* with the prices.
#pragma once

#include <CLI/CLI.hpp>

#include "zkacc/bench/cost_report.hpp"
#include "zkacc/bench/scaling_report.hpp"

namespace zkacc::cli {

void add_scaling_options(CLI::App& cmd, bench::ScalingOptions& options);
void add_cost_options(CLI::App& cmd, bench::CostOptions& options);

}  // namespace zkacc::cli
