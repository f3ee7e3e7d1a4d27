// The bench suite's two reports beyond the MSM/NTT sweep, each chosen by
// `zkacc bench --ops ...`:
//
//   scaling  MSM and prove time under `mpirun -np 1, 2, 3` (zkacc's own
//            binary with --mpi), the speedup and parallel efficiency of each
//            rank count: scaling.json, scaling.md, scaling.png
//   cost     for each committed model: the proof-overhead ratio (proof time ÷
//            plain inference time), CPU-seconds per proof, projected
//            card-seconds per proof and dollars per million proofs at stated
//            prices: cost.json, cost.md, cost.png (overhead against model size)
//
// Each writes its files into the bench's output directory, prints a summary,
// and returns its JSON for bench.json. ok is false when any result failed
// its check (an MSM that differs, a proof that does not verify).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/runtime/card_projection.hpp"

namespace zkacc::cli {

struct ReportResult {
  nlohmann::ordered_json json;
  bool ok = true;
};

struct ScalingArgs {
  std::vector<unsigned> ranks{1, 2, 3};  // 1 is always measured: the baseline of speedup
  unsigned msm_log = 18;                 // MSM size measured per rank count
  std::string model = "cnn";             // the committed model (models/<model>.onnx) whose proof is timed
  std::size_t repeat = 3;                // jobs per measurement; the median is reported
  std::size_t threads_per_rank = 1;      // k ranks use k·threads cores: beyond the machine's, oversubscribed
  std::string mpirun = "mpirun";
  double timeout_s = 600;                // longest one job (mpirun, or the key's setup) may run
};

struct CostArgs {
  std::vector<std::string> models{"mlp", "cnn"};
  std::string models_dir;        // holds M.onnx and inputs/M_sample0.json; default: the source tree's models/
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
  runtime::CardParams card;
  // Many inferences per proof (prove-model --batch): for each model, the
  // cost per inference of one proof of N inferences, for each N here
  // (empty: not measured).
  std::vector<std::size_t> batch;
};

// Shared by the bench's reports: the CPU's model name (/proc/cpuinfo), the
// time now as ISO 8601 UTC, and v with a fixed number of decimals.
std::string cpu_model_name();
std::string utc_timestamp();
std::string format_fixed(double v, int digits);
// Plots: whether gnuplot is on PATH, and gnuplot run on a script with its
// stderr in `log`: "" when it succeeded, else a note naming the log.
bool have_gnuplot();
std::string run_gnuplot(const std::filesystem::path& script, const std::filesystem::path& log);

void add_scaling_options(CLI::App& cmd, ScalingArgs& args);
void add_cost_options(CLI::App& cmd, CostArgs& args);

ReportResult run_scaling_report(const ScalingArgs& args, ThreadPool& pool, const std::filesystem::path& dir);
ReportResult run_cost_report(const CostArgs& args, ThreadPool& pool, const std::filesystem::path& dir);

}  // namespace zkacc::cli
