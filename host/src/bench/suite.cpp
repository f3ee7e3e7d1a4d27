#include "zkacc/bench/suite.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "zkacc/bench/baseline.hpp"
#include "zkacc/bench/bench_report_writers.hpp"
#include "zkacc/bench/card_identity.hpp"
#include "zkacc/bench/card_projection_report.hpp"
#include "zkacc/bench/device_counters.hpp"
#include "zkacc/bench/kernel_resources.hpp"
#include "zkacc/bench/machine.hpp"
#include "zkacc/bench/msm_instance.hpp"
#include "zkacc/bench/provenance.hpp"
#include "zkacc/bench/schema_version.hpp"
#include "zkacc/bench/spread.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/ntt/ntt_domain.hpp"
#include "zkacc/runtime/host_addition_timing.hpp"
#include "zkacc/runtime/scheduler.hpp"

namespace zkacc::bench {

using json = nlohmann::ordered_json;

namespace {

// The clock the target is stated at besides the default one: the
// projection gives both, so a card that closes timing lower is covered.
constexpr double kLowerClockMhz = 250.0;

struct PlannedMeasurement {
  std::string op, backend;
  unsigned log_n;
  ScalarDistribution distribution;
};

// The backends of one measurement, and the scheduler over them.
struct Backends {
  std::vector<std::shared_ptr<runtime::Backend>> list;
  std::unique_ptr<runtime::Scheduler> scheduler;
};

Backends open_backends(const std::string& backend, const runtime::BackendConfig& device, bool msm, ThreadPool& pool) {
  runtime::BackendConfig config = device;
  config.msm = msm;
  config.ntt = !msm;
  Backends b;
  b.list = runtime::make_backends(backend, pool, config);
  b.scheduler = std::make_unique<runtime::Scheduler>(b.list, pool);
  return b;
}

template <class Fn>
std::vector<double> time_runs_ms(std::size_t repeat, Fn&& fn) {
  std::vector<double> ms;
  for (std::size_t i = 0; i < repeat; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return ms;
}

// The measurement's common fields: times, their spread, the throughput at
// the median, and for devices the counters with the throughput the
// projected kernel time gives.
json measurement_json(const PlannedMeasurement& p, std::size_t n, const std::vector<double>& ms, bool ok,
                      const Backends& backends) {
  const Spread s = spread_of(ms);
  json j = {{"op", p.op},
            {"backend", p.backend},
            {"distribution", distribution_name(p.distribution)},
            {"log_size", p.log_n},
            {"size", n},
            {"repeat", ms.size()},
            {"median_ms", s.median},
            {"min_ms", s.min},
            {"max_ms", s.max},
            {"runs_ms", ms},
            {"throughput_per_s", s.median > 0 ? double(n) / (s.median / 1e3) : 0.0},
            {"throughput_unit", p.op == "msm" ? "points/s" : "elements/s"},
            {"ok", ok}};
  json device = device_counters_json(backends.list, ms.size());
  if (device.is_array())
    for (auto& d : device) {
      const double projected_ms = d["projected_kernel_ms"].get<double>();
      d["projected_throughput_per_s"] = projected_ms > 0 ? json(double(n) / (projected_ms / 1e3)) : json(nullptr);
    }
  j["device"] = device;
  return j;
}

// Kernel parameters of the measurement's device backends, merged into
// `kernels` (keyed by backend name): a kernel seen once is kept.
void record_kernels(json& kernels, const Backends& backends) {
  for (const auto& b : backends.list) {
    const json params = kernel_parameters(*b);
    if (params.is_null()) continue;
    json& entry = kernels[b->name()];
    if (entry.is_null()) entry = {{"msm", nullptr}, {"ntt", nullptr}};
    for (const char* kernel : {"msm", "ntt"})
      if (!params[kernel].is_null()) entry[kernel] = params[kernel];
  }
}

json measure_msm(const PlannedMeasurement& p, const SuiteOptions& o, ThreadPool& pool, json& kernels) {
  const std::size_t n = std::size_t(1) << p.log_n;
  const auto instance = MsmInstance<Bn254G1Config>::random(n, 1000 + p.log_n, p.distribution);
  const auto scalars = instance.canonical_scalars();
  Backends backends = open_backends(p.backend, o.device, /*msm=*/true, pool);
  const bool device = std::any_of(backends.list.begin(), backends.list.end(), [](const auto& b) { return b->is_device(); });
  G1Jacobian result;
  bool ok = true;
  const auto ms = time_runs_ms(device ? 1 : o.repeat, [&] {
    result = backends.scheduler->msm_g1(instance.points, scalars);
    ok = ok && instance.is_result(result);
  });
  record_kernels(kernels, backends);
  return measurement_json(p, n, ms, ok, backends);
}

json measure_ntt(const PlannedMeasurement& p, const SuiteOptions& o, ThreadPool& pool, json& kernels) {
  const std::size_t n = std::size_t(1) << p.log_n;
  std::mt19937_64 rng(2000 + p.log_n);
  std::vector<Fr> input(n);
  for (auto& x : input) x = Fr::random(rng);
  Backends backends = open_backends(p.backend, o.device, /*msm=*/false, pool);
  const bool device = std::any_of(backends.list.begin(), backends.list.end(), [](const auto& b) { return b->is_device(); });
  // The CPU NTT is the reference for every backend (itself checked by the tests).
  std::vector<Fr> reference = input;
  NttDomain(n).transform(reference, NttDirection::Forward, Order::Natural, Order::Natural, pool);
  std::vector<Fr> values;
  bool ok = true;
  std::vector<double> ms;
  for (std::size_t r = 0; r < (device ? 1 : o.repeat); ++r) {
    values = input;
    ms.push_back(time_runs_ms(1, [&] { backends.scheduler->ntt(values, NttDirection::Forward); })[0]);
    ok = ok && values == reference;
  }
  record_kernels(kernels, backends);
  return measurement_json(p, n, ms, ok, backends);
}

std::vector<PlannedMeasurement> plan_sweep(const SuiteOptions& o, const std::vector<std::string>& sweep_ops) {
  std::vector<PlannedMeasurement> plan;
  for (const auto& op : sweep_ops)
    for (const auto& backend : o.backends)
      for (unsigned log_n : op == "msm" ? o.msm_logs : o.ntt_logs) {
        const unsigned sim_max = op == "msm" ? o.sim_max_log_msm : o.sim_max_log_ntt;
        if (backend.starts_with("sim") && log_n > sim_max) continue;
        if (op == "msm")
          for (ScalarDistribution d : o.distributions) plan.push_back({op, backend, log_n, d});
        else
          plan.push_back({op, backend, log_n, ScalarDistribution::uniform});  // an NTT's time does not depend on its values
      }
  return plan;
}

}  // namespace

SuiteResult run_suite(SuiteOptions o, ThreadPool& pool, const SuiteProgress& progress, std::ostream& log) {
  if (o.backends.empty())
    for (const auto& b : runtime::available_backends())
      if (b != "xrt" && b != "sim-rtl") o.backends.push_back(b);  // no card; the all-RTL model only when asked
  for (const auto& op : o.ops)
    if (op != "msm" && op != "ntt" && op != "scaling" && op != "cost")
      throw Error("bench: unknown op '" + op + "' (msm, ntt, scaling, cost)");
  const auto wants = [&](const char* op) { return std::find(o.ops.begin(), o.ops.end(), op) != o.ops.end(); };
  if (wants("msm") && o.distributions.empty()) throw Error("bench: no scalar distribution for the MSM");
  std::vector<std::string> sweep_ops;
  for (const auto& op : o.ops)
    if (op == "msm" || op == "ntt") sweep_ops.push_back(op);
  const std::vector<PlannedMeasurement> plan = plan_sweep(o, sweep_ops);
  // Read the baseline first: a wrong file should stop the bench before it
  // spends its time measuring.
  const json baseline = o.baseline.empty() ? json() : read_baseline(o.baseline);

  SuiteResult result;
  json& report = result.report;
  report["schema_version"] = kBenchSchemaVersion;
  report["date"] = utc_timestamp();
  report["machine"] = {{"cpu", cpu_model_name()}, {"threads", pool.size()},
                       {"hardware_threads", std::thread::hardware_concurrency()}};
  report["build"] = build_provenance();
  report["clock_mhz"] = o.device.clock_mhz;
  report["measurements"] = json::array();
  json kernels = json::object();
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const PlannedMeasurement& p = plan[i];
    std::string what = p.op + " " + p.backend + " 2^" + std::to_string(p.log_n);
    if (p.op == "msm") what.append(" ").append(distribution_name(p.distribution));
    progress(i, plan.size(), what);
    json m = p.op == "msm" ? measure_msm(p, o, pool, kernels) : measure_ntt(p, o, pool, kernels);
    result.all_ok = result.all_ok && m["ok"].get<bool>();
    report["measurements"].push_back(std::move(m));
  }
  if (!plan.empty()) progress(plan.size(), plan.size(), "done");
  result.measurements = plan.size();

  const bool on_card = std::find(o.backends.begin(), o.backends.end(), "xrt") != o.backends.end() && !sweep_ops.empty();
  report["provenance"] = {{"git", git_provenance()},
                          {"kernels", kernels},
                          {"card", on_card ? card_identity(o.device.device_index, o.device.xclbin) : json(nullptr)}};
  if (wants("msm")) {
    std::vector<double> clocks{o.device.clock_mhz};
    if (o.device.clock_mhz != kLowerClockMhz) clocks.push_back(kLowerClockMhz);
    report["card_projection"] = card_projection_report(clocks, runtime::host_xyzz_addition_ns());
  }
  report["resources"] = read_kernel_resources(o.resources);

  if (!baseline.is_null()) {
    BaselineComparison c = compare_with_baseline(report["measurements"], baseline, o.tolerance);
    report["comparison"] = std::move(c.rows);
    report["regressions"] = c.regressions;
    report["tolerance"] = o.tolerance;
    result.regressions = c.regressions;
  }

  std::filesystem::create_directories(o.out);
  // The reports run after the sweep, each on its own files.
  if (wants("scaling")) {
    ReportResult r = run_scaling_report(o.scaling, pool, o.out, log);
    result.all_ok = result.all_ok && r.ok;
    report["scaling"] = std::move(r.json);
    result.report_summaries.push_back(std::move(r.summary));
  }
  if (wants("cost")) {
    ReportResult r = run_cost_report(o.cost, pool, o.out, log);
    result.all_ok = result.all_ok && r.ok;
    report["cost"] = std::move(r.json);
    result.report_summaries.push_back(std::move(r.summary));
  }
  result.json_path = o.out / "bench.json";
  result.markdown_path = o.out / "bench.md";
  result.plot_path = o.out / "bench.png";
  {
    std::ofstream out(result.json_path);
    out << report.dump(2) << "\n";
    if (!out) throw Error("bench: " + result.json_path.string() + ": cannot write");
  }
  write_bench_markdown(result.markdown_path, report);
  result.plot_note = sweep_ops.empty() ? "no sweep: no bench.png" : write_bench_plot(o.out, report, sweep_ops);
  return result;
}

}  // namespace zkacc::bench
