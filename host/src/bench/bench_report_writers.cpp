#include "zkacc/bench/bench_report_writers.hpp"

#include <fstream>
#include <map>
#include <tuple>

#include "zkacc/bench/format.hpp"
#include "zkacc/bench/gnuplot.hpp"

namespace zkacc::bench {

using json = nlohmann::ordered_json;

namespace {

void write_measurements(std::ostream& md, const json& report) {
  md << "| op | backend | n | scalars | wall ms (median) | min – max ms | throughput | check | cycles | utilization "
        "| projected card ms |\n"
     << "|---|---|---:|---|---:|---:|---:|---|---:|---:|---:|\n";
  for (const auto& m : report["measurements"]) {
    md << "| " << m["op"].get<std::string>() << " | " << m["backend"].get<std::string>() << " | 2^" << m["log_size"]
       << " | " << m["distribution"].get<std::string>() << " | " << format_fixed(m["median_ms"].get<double>(), 2)
       << " | " << format_fixed(m["min_ms"].get<double>(), 2) << " – " << format_fixed(m["max_ms"].get<double>(), 2)
       << " | " << sig3(m["throughput_per_s"].get<double>()) << " " << m["throughput_unit"].get<std::string>() << " | "
       << (m["ok"].get<bool>() ? "ok" : "FAILED") << " | ";
    if (m["device"].is_array() && !m["device"].empty()) {
      const auto& d = m["device"][0];
      md << d["cycles"] << " | "
         << (m["op"] == "msm" ? format_fixed(100.0 * d["adder_utilization"].get<double>(), 1) + "%" : std::string("–"))
         << " | " << format_fixed(d["projected_kernel_ms"].get<double>(), 3) << " |\n";
    } else {
      md << "– | – | – |\n";
    }
  }
}

void write_projection(std::ostream& md, const json& p) {
  md << "\n## Projected 2^24-point G1 MSM on one card (a model, not a measurement)\n\n"
     << "Uniformly random scalars, points resident on the card, host XYZZ addition "
     << format_fixed(p["host_addition_ns"].get<double>(), 0) << " ns (measured on this machine), host work on "
     << p["host_threads"] << " threads.\n\n"
     << "| card build | clock MHz | subset check | c | runs | utilization | kernel s | card s | projected MSM s |\n"
     << "|---|---:|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& r : p["rows"])
    md << "| " << r["build"].get<std::string>() << " | " << format_fixed(r["clock_mhz"].get<double>(), 0) << " | "
       << (r["subset_check"].get<bool>() ? "on" : "off") << (r["subset_check_shipped"].get<bool>() ? " (shipped)" : "")
       << " | " << r["window_bits"] << " | " << r["runs"] << " | "
       << format_fixed(100.0 * r["utilization"].get<double>(), 1) << "% | " << format_fixed(r["kernel_s"].get<double>(), 4)
       << " | " << format_fixed(r["card_s"].get<double>(), 4) << " | " << format_fixed(r["latency_s"].get<double>(), 4)
       << " |\n";
}

void write_provenance(std::ostream& md, const json& report) {
  const json& p = report["provenance"];
  const json& build = report["build"];
  md << "\n## Provenance\n\n"
     << "- source: " << (p["git"]["commit"].is_null() ? std::string("unknown (not a git checkout)")
                                                       : p["git"]["commit"].get<std::string>())
     << (p["git"]["dirty"].is_boolean() && p["git"]["dirty"].get<bool>() ? " with uncommitted changes" : "") << "\n"
     << "- build: " << build["type"].get<std::string>() << ", " << build["compiler"].get<std::string>() << ", "
     << (build["native"].get<bool>() ? "-march=native" : "portable") << ", field product "
     << build["field_product"]["in_use"].get<std::string>() << " (built "
     << build["field_product"]["build"].get<std::string>() << ")\n";
  for (const auto& [backend, k] : p["kernels"].items()) {
    md << "- " << backend << " kernels:";
    if (k["msm"].is_object())
      md << " MSM Lanes " << k["msm"]["lanes"] << ", BucketBits " << k["msm"]["bucket_bits"] << ", DigitBits "
         << k["msm"]["digit_bits"] << ", adder latency " << k["msm"]["adder_latency"] << ";";
    if (k["ntt"].is_object())
      md << " NTT LogMaxN " << k["ntt"]["log_max_n"] << ", butterfly latency " << k["ntt"]["butterfly_latency"];
    md << "\n";
  }
  if (p["card"].is_object())
    md << "- card: " << p["card"]["card"].dump() << ", shell " << p["card"]["shell"].dump() << ", xclbin "
       << p["card"]["xclbin"].get<std::string>() << " (UUID " << p["card"]["xclbin_uuid"].get<std::string>() << ")\n";
}

}  // namespace

void write_bench_markdown(const std::filesystem::path& path, const json& report) {
  std::ofstream md(path);
  md << "# zkacc bench\n\n"
     << "Machine: " << report["machine"]["cpu"].get<std::string>() << ", " << report["machine"]["threads"]
     << " threads. Build: zkacc " << report["build"]["version"].get<std::string>() << " ("
     << report["build"]["type"].get<std::string>() << ", " << report["build"]["compiler"].get<std::string>()
     << "). " << report["date"].get<std::string>() << ". bench.json schema version " << report["schema_version"]
     << ".\n\n"
     << "Wall times are measured on this machine; for `sim` they time the Verilator model. The projected card "
        "time is cycles from the model ÷ the clock: a projection, not a measurement. Throughput is points (MSM) "
        "or elements (NTT) per second of median wall time.\n\n";
  write_measurements(md, report);
  if (report.contains("card_projection")) write_projection(md, report["card_projection"]);
  if (report.contains("regressions")) {
    md << "\n## Against the baseline\n\n| op | backend | scalars | n | old ms | new ms | ratio | flag |\n"
       << "|---|---|---|---:|---:|---:|---:|---|\n";
    for (const auto& r : report["comparison"])
      md << "| " << r["op"].get<std::string>() << " | " << r["backend"].get<std::string>() << " | "
         << r["distribution"].get<std::string>() << " | 2^" << r["log_size"] << " | "
         << format_fixed(r["old_ms"].get<double>(), 2) << " | " << format_fixed(r["new_ms"].get<double>(), 2) << " | "
         << format_fixed(r["ratio"].get<double>(), 3) << " | " << (r["regression"].get<bool>() ? "REGRESSION" : "")
         << " |\n";
  }
  write_provenance(md, report);
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

std::string write_bench_plot(const std::filesystem::path& dir, const json& report, const std::vector<std::string>& ops) {
  if (!have_gnuplot()) return "gnuplot not found: no plot";
  // One line per backend and, where the op has several, scalar distribution.
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::pair<double, double>>> series;
  for (const auto& m : report["measurements"])
    series[{m["op"].get<std::string>(), m["backend"].get<std::string>(), m["distribution"].get<std::string>()}]
        .push_back({double(m["size"].get<std::size_t>()), m["median_ms"].get<double>()});
  std::ofstream gp(dir / "bench.gp");
  gp << "set terminal pngcairo size " << 560 * ops.size() << ",420\nset output '" << (dir / "bench.png").string()
     << "'\nset logscale xy 2\nset grid\nset key left top\nset multiplot layout 1," << ops.size() << "\n";
  for (const auto& op : ops) {
    gp << "set title '" << op << " (wall time; sim = Verilator model)'\nset xlabel 'size'\nset ylabel 'ms'\nplot ";
    bool first = true;
    for (const auto& [key, pts] : series)
      if (std::get<0>(key) == op) {
        const std::string title = op == "msm" ? std::get<1>(key) + " " + std::get<2>(key) : std::get<1>(key);
        gp << (first ? "" : ", ") << "'-' with linespoints title '" << title << "'";
        first = false;
      }
    if (first) gp << "1/0 notitle";
    gp << "\n";
    for (const auto& [key, pts] : series) {
      if (std::get<0>(key) != op) continue;
      for (const auto& [x, y] : pts) gp << x << " " << y << "\n";
      gp << "e\n";
    }
  }
  gp << "unset multiplot\n";
  gp.close();
  return run_gnuplot(dir / "bench.gp", dir / "gnuplot.log");
}

}  // namespace zkacc::bench
