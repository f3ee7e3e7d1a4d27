// The partner bench suite (`zkacc bench`): ops (msm, ntt) × backends × sizes
// (× scalar distributions for the MSM), every result checked (the MSM
// against the points' known discrete logarithms, the NTT against the CPU
// NTT), and the reports beyond the sweep (scaling, cost). It writes into the
// output directory
//   bench.json  schema_version, machine, build, provenance, every
//               measurement (wall-time spread, throughput, device counters
//               and projected kernel time), the projected 2^24 MSM on a
//               card, the kernels' resource table, and the comparison with
//               a baseline (docs/bench_json.md)
//   bench.md    the same as Markdown tables
//   bench.png   time against size (gnuplot), when gnuplot is installed
// Wall times of a simulated kernel measure the Verilator model, not a card:
// the card's figure is the projection, labelled.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "zkacc/bench/cost_report.hpp"
#include "zkacc/bench/scalar_distribution.hpp"
#include "zkacc/bench/scaling_report.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/runtime/backend_factory.hpp"

namespace zkacc::bench {

struct SuiteOptions {
  std::vector<std::string> ops{"msm", "ntt"};  // msm, ntt (the sweep), scaling, cost
  std::vector<std::string> backends;           // empty: every backend of the build but xrt and sim-rtl
  std::vector<unsigned> msm_logs{10, 12, 14, 16, 18};
  std::vector<unsigned> ntt_logs{10, 12, 14, 16, 18, 20};
  std::vector<ScalarDistribution> distributions = all_distributions();  // the MSM's scalars
  unsigned sim_max_log_msm = 12, sim_max_log_ntt = 14;  // larger sizes skip the simulated kernels
  std::size_t repeat = 3;                      // timed runs per CPU measurement (devices: 1)
  std::filesystem::path out = "bench-results";
  std::string baseline;                        // a previous bench.json to compare with ("" : none)
  double tolerance = 0.15;                     // slowdown ratio above 1 flagged as a regression
  std::string resources;                       // CSV of the kernels' synthesis results
  runtime::BackendConfig device;               // xrt's xclbin and card, the clock of projections
  ScalingOptions scaling;
  CostOptions cost;
};

// Called before each measurement (done of total) and once at the end
// (done = total).
using SuiteProgress = std::function<void(std::size_t done, std::size_t total, const std::string& what)>;

struct SuiteResult {
  nlohmann::ordered_json report;          // bench.json as written
  std::size_t measurements = 0;
  bool all_ok = true;                     // every check of the sweep and the reports passed
  std::optional<std::size_t> regressions; // with a baseline: measurements slower beyond the tolerance
  std::filesystem::path json_path, markdown_path, plot_path;
  std::string plot_note;                  // why there is no bench.png ("" when there is)
  std::vector<std::string> report_summaries;  // of the scaling and cost reports, in the order they ran
};

// Throws zkacc::Error on an unknown op or backend, an unreadable baseline
// (or one of another schema_version), and what the reports throw. Progress
// lines of the reports go to `log`.
SuiteResult run_suite(SuiteOptions options, ThreadPool& pool, const SuiteProgress& progress, std::ostream& log);

}  // namespace zkacc::bench
