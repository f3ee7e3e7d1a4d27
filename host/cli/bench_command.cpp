// `zkacc bench`: the partner bench suite. Sweeps ops (msm, ntt) × backends ×
// sizes, checks every result, and writes
//   bench.json  machine, build, every measurement (wall time, and for device
//               backends cycles, utilization and the projected card time)
//   bench.md    the same as Markdown tables, with the kernels' resource table
//   bench.png   time against size per backend and op (gnuplot), when gnuplot
//               is installed
// With --baseline old.json it compares each (op, backend, size) with the old
// run and flags slowdowns beyond --tolerance (exit code 5 with
// --fail-on-regression). Wall times of a simulated kernel measure the
// Verilator model, not a card: the card's figure is the projection, labelled.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <thread>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "backend_options.hpp"
#include "bench_reports.hpp"
#include "commands.hpp"
#include "msm_instance.hpp"
#include "timing.hpp"
#include "zkacc/build_info.hpp"

namespace zkacc::cli {
namespace {

using json = nlohmann::ordered_json;

struct BenchArgs {
  std::vector<std::string> ops{"msm", "ntt"};
  std::vector<std::string> backends;  // default: every backend of the build except xrt
  std::vector<unsigned> msm_logs{10, 12, 14, 16, 18};
  std::vector<unsigned> ntt_logs{10, 12, 14, 16, 18, 20};
  unsigned sim_max_log_msm = 12, sim_max_log_ntt = 14;
  std::size_t repeat = 3;
  std::size_t threads = 0;
  std::string out = "bench-results";
  std::string baseline;
  double tolerance = 0.15;
  bool fail_on_regression = false;
  std::string resources;  // CSV of the kernels' synthesis results
  BackendFlags flags;
  ScalingArgs scaling;
  CostArgs cost;
};

// One line, redrawn: [#####.....] 12/30 msm sim 2^12
class ProgressBar {
 public:
  explicit ProgressBar(std::size_t total) : total_(total), tty_(isatty(fileno(stderr))) {}
  void show(std::size_t done, const std::string& what) {
    const int width = 30, filled = static_cast<int>(width * done / std::max<std::size_t>(total_, 1));
    std::ostringstream line;
    line << "[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done << "/" << total_
         << " " << what;
    if (tty_)
      std::cerr << "\r" << std::left << std::setw(78) << line.str() << std::flush;
    else
      std::cerr << line.str() << "\n";
  }
  void finish() {
    if (tty_) std::cerr << "\n";
  }

 private:
  std::size_t total_;
  bool tty_;
};

json measure_msm(const std::string& backend, unsigned log_n, const BenchArgs& a, ThreadPool& pool) {
  const std::size_t n = std::size_t(1) << log_n;
  const auto instance = MsmInstance<Bn254G1Config>::random(n, 1000 + log_n);
  const auto scalars = instance.canonical_scalars();
  BackendFlags flags = a.flags;
  flags.backend = backend;
  BackendSet set = make_backend_set(flags, pool, /*msm=*/true, /*ntt=*/false);
  const std::size_t repeat = flags.uses_device() ? 1 : a.repeat;
  G1Jacobian result;
  const auto ms = time_runs(repeat, [&] { result = set.scheduler->msm_g1(instance.points, scalars); });
  json j = {{"op", "msm"}, {"backend", backend}, {"log_size", log_n}, {"size", n}, {"repeat", repeat},
            {"median_ms", median(ms)}, {"min_ms", *std::min_element(ms.begin(), ms.end())},
            {"ok", instance.is_result(result)}};
  j["device"] = device_report(set, repeat);
  return j;
}

json measure_ntt(const std::string& backend, unsigned log_n, const BenchArgs& a, ThreadPool& pool) {
  const std::size_t n = std::size_t(1) << log_n;
  std::mt19937_64 rng(2000 + log_n);
  std::vector<Fr> input(n);
  for (auto& x : input) x = Fr::random(rng);
  BackendFlags flags = a.flags;
  flags.backend = backend;
  BackendSet set = make_backend_set(flags, pool, /*msm=*/false, /*ntt=*/true);
  const std::size_t repeat = flags.uses_device() ? 1 : a.repeat;
  std::vector<Fr> values;
  std::vector<double> ms;
  for (std::size_t r = 0; r < repeat; ++r) {
    values = input;
    ms.push_back(time_runs(1, [&] { set.scheduler->ntt(values, NttDirection::Forward); })[0]);
  }
  // The CPU NTT is the reference for every backend (itself checked by the tests).
  std::vector<Fr> reference = input;
  NttDomain(n).transform(reference, NttDirection::Forward, Order::Natural, Order::Natural, pool);
  json j = {{"op", "ntt"}, {"backend", backend}, {"log_size", log_n}, {"size", n}, {"repeat", repeat},
            {"median_ms", median(ms)}, {"min_ms", *std::min_element(ms.begin(), ms.end())},
            {"ok", values == reference}};
  j["device"] = device_report(set, repeat);
  return j;
}

json read_resources(const std::string& path) {
  json rows = json::array();
  std::ifstream in(path);
  if (!in) return rows;
  std::string line, header;
  std::getline(in, header);
  std::vector<std::string> names;
  std::stringstream hs(header);
  for (std::string f; std::getline(hs, f, ',');) names.push_back(f);
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream ls(line);
    json row;
    std::size_t k = 0;
    for (std::string f; std::getline(ls, f, ',') && k < names.size(); ++k) row[names[k]] = f;
    rows.push_back(row);
  }
  return rows;
}

void write_markdown(const std::filesystem::path& path, const json& report) {
  std::ofstream md(path);
  md << "# zkacc bench\n\n"
     << "Machine: " << report["machine"]["cpu"].get<std::string>() << ", " << report["machine"]["threads"]
     << " threads. Build: zkacc " << report["build"]["version"].get<std::string>() << " ("
     << report["build"]["type"].get<std::string>() << ", " << report["build"]["compiler"].get<std::string>()
     << "). " << report["date"].get<std::string>() << ".\n\n"
     << "Wall times are measured on this machine; for `sim` they time the Verilator model. The projected card "
        "time is cycles from the model ÷ the clock: a projection, not a measurement.\n\n"
     << "| op | backend | n | wall ms (median) | check | cycles | utilization | projected card ms |\n"
     << "|---|---|---:|---:|---|---:|---:|---:|\n";
  for (const auto& m : report["measurements"]) {
    md << "| " << m["op"].get<std::string>() << " | " << m["backend"].get<std::string>() << " | 2^"
       << m["log_size"] << " | " << format_fixed(m["median_ms"].get<double>(), 2) << " | " << (m["ok"].get<bool>() ? "ok" : "FAILED")
       << " | ";
    if (m["device"].is_array() && !m["device"].empty()) {
      const auto& d = m["device"][0];
      md << d["cycles"] << " | "
         << (m["op"] == "msm" ? format_fixed(100.0 * d["adder_utilization"].get<double>(), 1) + "%" : std::string("–"))
         << " | " << format_fixed(d["projected_kernel_ms"].get<double>(), 3) << " |\n";
    } else {
      md << "– | – | – |\n";
    }
  }
  if (report.contains("regressions")) {
    md << "\n## Against the baseline\n\n| op | backend | n | old ms | new ms | ratio | flag |\n|---|---|---:|---:|---:|---:|---|\n";
    for (const auto& r : report["comparison"])
      md << "| " << r["op"].get<std::string>() << " | " << r["backend"].get<std::string>() << " | 2^" << r["log_size"]
         << " | " << format_fixed(r["old_ms"].get<double>(), 2) << " | " << format_fixed(r["new_ms"].get<double>(), 2) << " | "
         << format_fixed(r["ratio"].get<double>(), 3) << " | " << (r["regression"].get<bool>() ? "REGRESSION" : "") << " |\n";
  }
  if (!report["resources"].empty()) {
    md << "\n## Kernel resources (yosys synth_xilinx -family xcup)\n\n";
    const auto& first = report["resources"][0];
    md << "|";
    for (auto it = first.begin(); it != first.end(); ++it) md << " " << it.key() << " |";
    md << "\n|";
    for (auto it = first.begin(); it != first.end(); ++it) md << "---|";
    md << "\n";
    for (const auto& row : report["resources"]) {
      md << "|";
      for (auto it = row.begin(); it != row.end(); ++it) md << " " << it.value().get<std::string>() << " |";
      md << "\n";
    }
  }
}

// bench.png: log-log time against size, one panel per op, one line per backend.
std::string write_plot(const std::filesystem::path& dir, const json& report, const std::vector<std::string>& ops) {
  if (!have_gnuplot()) return "gnuplot not found: no plot";
  std::map<std::pair<std::string, std::string>, std::vector<std::pair<double, double>>> series;
  for (const auto& m : report["measurements"])
    series[{m["op"].get<std::string>(), m["backend"].get<std::string>()}].push_back(
        {double(m["size"].get<std::size_t>()), m["median_ms"].get<double>()});
  std::ofstream gp(dir / "bench.gp");
  gp << "set terminal pngcairo size " << 560 * ops.size() << ",420\nset output '" << (dir / "bench.png").string()
     << "'\nset logscale xy 2\nset grid\nset key left top\nset multiplot layout 1," << ops.size() << "\n";
  for (const auto& op : ops) {
    gp << "set title '" << op << " (wall time; sim = Verilator model)'\nset xlabel 'size'\nset ylabel 'ms'\nplot ";
    bool first = true;
    for (const auto& [key, pts] : series)
      if (key.first == op) gp << (first ? "" : ", ") << "'-' with linespoints title '" << key.second << "'", first = false;
    if (first) gp << "1/0 notitle";
    gp << "\n";
    for (const auto& [key, pts] : series) {
      if (key.first != op) continue;
      for (const auto& [x, y] : pts) gp << x << " " << y << "\n";
      gp << "e\n";
    }
  }
  gp << "unset multiplot\n";
  gp.close();
  return run_gnuplot(dir / "bench.gp", dir / "gnuplot.log");
}

int run_bench(BenchArgs a) {
  ThreadPool pool(a.threads);
  if (a.backends.empty())
    for (const auto& b : runtime::available_backends())
      if (b != "xrt" && b != "sim-rtl") a.backends.push_back(b);  // no card; the all-RTL model only when asked
  for (const auto& op : a.ops)
    if (op != "msm" && op != "ntt" && op != "scaling" && op != "cost")
      throw Error("bench: unknown op '" + op + "' (msm, ntt, scaling, cost)");
  const auto wants = [&](const char* op) { return std::find(a.ops.begin(), a.ops.end(), op) != a.ops.end(); };
  std::vector<std::string> sweep_ops;
  for (const auto& op : a.ops)
    if (op == "msm" || op == "ntt") sweep_ops.push_back(op);
  struct Point {
    std::string op, backend;
    unsigned log_n;
  };
  std::vector<Point> plan;
  for (const auto& op : sweep_ops)
    for (const auto& backend : a.backends)
      for (unsigned log_n : op == "msm" ? a.msm_logs : a.ntt_logs) {
        const unsigned sim_max = op == "msm" ? a.sim_max_log_msm : a.sim_max_log_ntt;
        if (backend.starts_with("sim") && log_n > sim_max) continue;
        plan.push_back({op, backend, log_n});
      }

  json report;
  report["date"] = utc_timestamp();
  report["machine"] = {{"cpu", cpu_model_name()}, {"threads", pool.size()},
                       {"hardware_threads", std::thread::hardware_concurrency()}};
  report["build"] = {{"version", build_info::kVersion}, {"type", build_info::kBuildType},
                     {"compiler", build_info::kCompiler}, {"native", build_info::kNative},
                     {"backends", build_info::kBackends}};
  report["clock_mhz"] = a.flags.clock_mhz;
  report["measurements"] = json::array();
  ProgressBar bar(plan.size());
  bool all_ok = true;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const Point& p = plan[i];
    bar.show(i, p.op + " " + p.backend + " 2^" + std::to_string(p.log_n));
    json m = p.op == "msm" ? measure_msm(p.backend, p.log_n, a, pool) : measure_ntt(p.backend, p.log_n, a, pool);
    all_ok = all_ok && m["ok"].get<bool>();
    report["measurements"].push_back(m);
  }
  if (!plan.empty()) {
    bar.show(plan.size(), "done");
    bar.finish();
  }
  report["resources"] = read_resources(a.resources);

  std::size_t regressions = 0;
  if (!a.baseline.empty()) {
    std::ifstream in(a.baseline);
    if (!in) throw Error("bench: " + a.baseline + ": cannot open the baseline");
    json old;
    try {
      old = json::parse(in);
    } catch (const std::exception& e) {
      throw Error("bench: " + a.baseline + ": not JSON: " + e.what());
    }
    if (!old.contains("measurements") || !old["measurements"].is_array())
      throw Error("bench: " + a.baseline + ": no 'measurements' array (not a zkacc bench.json)");
    report["comparison"] = json::array();
    for (const auto& m : report["measurements"])
      for (const auto& o : old["measurements"])
        if (o.value("op", "") == m["op"] && o.value("backend", "") == m["backend"] && o.value("size", 0) == m["size"]) {
          const double ratio = m["median_ms"].get<double>() / std::max(o["median_ms"].get<double>(), 1e-9);
          const bool regression = ratio > 1.0 + a.tolerance;
          regressions += regression;
          report["comparison"].push_back({{"op", m["op"]}, {"backend", m["backend"]}, {"log_size", m["log_size"]},
                                          {"old_ms", o["median_ms"]}, {"new_ms", m["median_ms"]}, {"ratio", ratio},
                                          {"regression", regression}});
        }
    report["regressions"] = regressions;
    report["tolerance"] = a.tolerance;
  }

  const std::filesystem::path dir(a.out);
  std::filesystem::create_directories(dir);
  // The reports run after the sweep, each on its own files (bench_reports.hpp).
  if (wants("scaling")) {
    ReportResult r = run_scaling_report(a.scaling, pool, dir);
    all_ok = all_ok && r.ok;
    report["scaling"] = std::move(r.json);
  }
  if (wants("cost")) {
    ReportResult r = run_cost_report(a.cost, pool, dir);
    all_ok = all_ok && r.ok;
    report["cost"] = std::move(r.json);
  }
  std::ofstream(dir / "bench.json") << report.dump(2) << "\n";
  write_markdown(dir / "bench.md", report);
  const std::string plot_note = sweep_ops.empty() ? "no sweep: no bench.png" : write_plot(dir, report, sweep_ops);

  std::cout << "bench: " << plan.size() << " measurements, " << (all_ok ? "all checks ok" : "SOME CHECKS FAILED")
            << "\n  " << (dir / "bench.json").string() << "\n  " << (dir / "bench.md").string() << "\n  "
            << (plot_note.empty() ? (dir / "bench.png").string() : plot_note) << "\n";
  if (!a.baseline.empty())
    std::cout << "  against " << a.baseline << ": " << regressions << " regression(s) beyond " << 100 * a.tolerance
              << "%\n";
  if (!all_ok) return 3;
  if (regressions && a.fail_on_regression) return 5;
  return 0;
}

}  // namespace

std::string cpu_model_name() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

std::string utc_timestamp() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

std::string format_fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

bool have_gnuplot() { return std::system("command -v gnuplot >/dev/null 2>&1") == 0; }

std::string run_gnuplot(const std::filesystem::path& script, const std::filesystem::path& log) {
  const std::string cmd = "gnuplot '" + script.string() + "' 2>'" + log.string() + "'";
  if (std::system(cmd.c_str()) != 0) return "gnuplot failed (see " + log.filename().string() + ")";
  return "";
}

Action add_bench_command(CLI::App& app) {
  auto args = std::make_shared<BenchArgs>();
  args->resources = std::string(ZKACC_SOURCE_DIR) + "/hw/synth/resources.csv";
  auto* cmd = app.add_subcommand("bench", "Partner bench suite: MSM/NTT sizes x backends, JSON + Markdown + PNG");
  cmd->add_option("--ops", args->ops, "What to run: msm, ntt (the sweep), scaling (MPI ranks), cost (per model)")
      ->delimiter(',');
  cmd->add_option("--backends", args->backends, "Backends (default: cpu and sim when built)")->delimiter(',');
  cmd->add_option("--msm-logs", args->msm_logs, "MSM sizes as powers of two")->delimiter(',');
  cmd->add_option("--ntt-logs", args->ntt_logs, "NTT sizes as powers of two")->delimiter(',');
  cmd->add_option("--sim-max-log-msm", args->sim_max_log_msm, "Largest MSM given to the simulated kernel");
  cmd->add_option("--sim-max-log-ntt", args->sim_max_log_ntt, "Largest NTT given to the simulated kernel");
  cmd->add_option("--repeat", args->repeat, "Timed runs per CPU measurement (devices: 1)");
  cmd->add_option("--threads", args->threads, "Worker threads (default: ZKACC_THREADS or all cores)");
  cmd->add_option("--out,-o", args->out, "Output directory");
  cmd->add_option("--baseline", args->baseline, "A previous bench.json to compare with");
  cmd->add_option("--tolerance", args->tolerance, "Slowdown ratio above 1 flagged as a regression");
  cmd->add_flag("--fail-on-regression", args->fail_on_regression, "Exit with code 5 when a regression is flagged");
  cmd->add_option("--resources", args->resources, "CSV of the kernels' synthesis results");
  cmd->add_option("--xclbin", args->flags.xclbin, "xrt: the xclbin");
  cmd->add_option("--device", args->flags.device, "xrt: card index (default 0)");
  cmd->add_option("--clock-mhz", args->flags.clock_mhz, "Kernel clock for projected card times");
  add_scaling_options(*cmd, args->scaling);
  add_cost_options(*cmd, args->cost);
  return [args] { return run_bench(*args); };
}

}  // namespace zkacc::cli
