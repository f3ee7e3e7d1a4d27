// `zkacc bench --ops cost`: what a proof of one inference costs, per
// committed model: the proof-overhead ratio (proof time ÷ plain inference
// time), CPU-seconds per proof, projected card-seconds per proof and dollars
// per million proofs at stated prices. Writes cost.json, cost.md and
// cost.png (overhead against model size) into the bench directory.
// Formulas and price sources: docs/cost.md.
#pragma once

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "zkacc/bench/report_result.hpp"
#include "zkacc/common/thread_pool.hpp"

namespace zkacc::bench {

// The projected card's parameters a user chooses (--cost-clock-mhz,
// --cost-adders, --cost-bucket-bits, --cost-digit-bits); the defaults are
// runtime::CardParams' (a test keeps them equal), every other parameter is
// CardParams' default.
struct CostCardOptions {
  double clock_mhz = 300.0;
  unsigned adders = 1;
  unsigned bucket_bits = 16;
  unsigned digit_bits = 16;
};

struct CostOptions {
  std::vector<std::string> models{"mlp", "cnn"};
  std::string models_dir;        // holds M.onnx and inputs/M_sample0.json (the source tree's models/)
  std::size_t repeat = 3;        // timed proofs per model (median)
  double inference_min_ms = 200; // plain inference timed over at least this long
  // Prices (defaults and their sources: docs/cost.md): one vCPU-hour (a
  // hardware thread) and one FPGA-card-hour.
  double cpu_hour_usd = 0.0425;
  double fpga_hour_usd = 1.65;
  // Adder utilization for the card projection: measured on the simulated
  // kernel with 2^sim_log random points when the build has it; 0: the
  // documented figure.
  unsigned sim_log = 11;
  CostCardOptions card;
  // Many inferences per proof (prove-model --batch): for each model, the
  // cost per inference of one proof of N inferences, for each N here
  // (empty: not measured).
  std::vector<std::size_t> batch;
};

// Progress lines go to `log`. Throws zkacc::Error before any work when a
// model or its input is missing, naming the file and the models there are.
ReportResult run_cost_report(const CostOptions& options, ThreadPool& pool, const std::filesystem::path& dir,
                             std::ostream& log);

}  // namespace zkacc::bench
