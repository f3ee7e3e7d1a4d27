// `zkacc bench`: the partner bench suite (zkacc/bench/suite.hpp). This file
// only turns the command line into the suite's options, shows progress and
// prints what the suite wrote; the measuring, checking and reporting live
// in the bench library.
#include <iomanip>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "backend_options.hpp"
#include "bench_report_options.hpp"
#include "commands.hpp"
#include "zkacc/bench/suite.hpp"

namespace zkacc::cli {
namespace {

struct BenchArgs {
  bench::SuiteOptions suite;
  std::string out = "bench-results";
  std::vector<std::string> distributions;  // default: every one
  std::size_t threads = 0;
  bool fail_on_regression = false;
  BackendFlags flags;  // only --xclbin, --device and --clock-mhz
};

// One line, redrawn: [#####.....] 12/30 msm sim 2^12 uniform
class ProgressBar {
 public:
  ProgressBar() : tty_(isatty(fileno(stderr))) {}
  void show(std::size_t done, std::size_t total, const std::string& what) {
    const int width = 30, filled = static_cast<int>(width * done / std::max<std::size_t>(total, 1));
    std::ostringstream line;
    line << "[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done << "/" << total
         << " " << what;
    if (tty_)
      std::cerr << "\r" << std::left << std::setw(78) << line.str() << std::flush;
    else
      std::cerr << line.str() << "\n";
    if (done == total && tty_) std::cerr << "\n";
  }

 private:
  bool tty_;
};

int run_bench(BenchArgs a) {
  ThreadPool pool(a.threads);
  bench::SuiteOptions& o = a.suite;
  o.out = a.out;
  o.device = a.flags.config();
  if (!a.distributions.empty()) {
    o.distributions.clear();
    for (const auto& name : a.distributions) o.distributions.push_back(bench::parse_distribution(name));
  }
  ProgressBar bar;
  const bench::SuiteResult r =
      bench::run_suite(o, pool, [&](std::size_t done, std::size_t total, const std::string& what) {
        bar.show(done, total, what);
      }, std::cerr);

  for (const auto& summary : r.report_summaries) std::cout << summary;
  std::cout << "bench: " << r.measurements << " measurements, " << (r.all_ok ? "all checks ok" : "SOME CHECKS FAILED")
            << "\n  " << r.json_path.string() << "\n  " << r.markdown_path.string() << "\n  "
            << (r.plot_note.empty() ? r.plot_path.string() : r.plot_note) << "\n";
  if (r.regressions)
    std::cout << "  against " << o.baseline << ": " << *r.regressions << " regression(s) beyond "
              << 100 * o.tolerance << "%\n";
  if (!r.all_ok) return 3;
  if (r.regressions && *r.regressions && a.fail_on_regression) return 5;
  return 0;
}

}  // namespace

Action add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  bench::SuiteOptions& o = args->suite;
  o.resources = std::string(ZKACC_SOURCE_DIR) + "/hw/synth/resources.csv";
  auto* cmd = app.add_subcommand("bench", "Partner bench suite: MSM/NTT sizes x backends, JSON + Markdown + PNG");
  cmd->add_option("--ops", o.ops, "What to run: msm, ntt (the sweep), scaling (MPI ranks), cost (per model)")
      ->delimiter(',');
  cmd->add_option("--backends", o.backends, "Backends (default: cpu and sim when built)")->delimiter(',');
  cmd->add_option("--msm-logs", o.msm_logs, "MSM sizes as powers of two")->delimiter(',');
  cmd->add_option("--ntt-logs", o.ntt_logs, "NTT sizes as powers of two")->delimiter(',');
  cmd->add_option("--distributions", args->distributions,
                  "MSM scalars: uniform, sparse-witness, one-bucket (default: all three)")
      ->delimiter(',');
  cmd->add_option("--sim-max-log-msm", o.sim_max_log_msm, "Largest MSM given to the simulated kernel");
  cmd->add_option("--sim-max-log-ntt", o.sim_max_log_ntt, "Largest NTT given to the simulated kernel");
  cmd->add_option("--repeat", o.repeat, "Timed runs per CPU measurement (devices: 1)");
  cmd->add_option("--threads", args->threads, "Worker threads (default: ZKACC_THREADS or all cores)");
  cmd->add_option("--out,-o", args->out, "Output directory");
  cmd->add_option("--baseline", o.baseline, "A previous bench.json to compare with");
  cmd->add_option("--tolerance", o.tolerance, "Slowdown ratio above 1 flagged as a regression");
  cmd->add_flag("--fail-on-regression", args->fail_on_regression, "Exit with code 5 when a regression is flagged");
  cmd->add_option("--resources", o.resources, "CSV of the kernels' synthesis results");
  cmd->add_option("--xclbin", args->flags.xclbin, "xrt: the xclbin");
  cmd->add_option("--device", args->flags.device, "xrt: card index (default 0)");
  cmd->add_option("--clock-mhz", args->flags.clock_mhz, "Kernel clock for projected card times");
  o.scaling.models_dir = o.cost.models_dir = std::string(ZKACC_SOURCE_DIR) + "/models";
  add_scaling_options(*cmd, o.scaling);
  add_cost_options(*cmd, o.cost);
  return [args] { return run_bench(*args); };
}

}  // namespace zkacc::cli
