#include "backend_options.hpp"

#include <algorithm>
#include <iomanip>

#include "zkacc/bench/device_counters.hpp"

namespace zkacc::cli {

void add_backend_options(CLI::App& cmd, BackendFlags& flags) {
  std::string names;
  for (const auto& n : runtime::available_backends()) names += (names.empty() ? "" : ", ") + n;
  cmd.add_option("--backend,-b", flags.backend,
                 "Where MSM and NTT run: cpu, sim, xrt, or a comma-separated list that splits each MSM (this build: " +
                     names + ")");
  cmd.add_option("--xclbin", flags.xclbin, "xrt: the xclbin with zkacc_msm_kernel and zkacc_ntt_kernel");
  cmd.add_option("--device", flags.device, "xrt: card index (default 0; under --mpi, the rank's index on its host)");
  cmd.add_option("--clock-mhz", flags.clock_mhz, "Kernel clock for the projected card time")
      ->check(CLI::Range(1.0, 2000.0));
  cmd.add_option("--weights", flags.weights, "Share of each backend in a split MSM (default: their speed hints)")
      ->delimiter(',');
  cmd.add_option("--device-window", flags.device_window,
                 "MSM window width on a device (default: chosen from the size and the kernel's buckets)")
      ->check(CLI::Range(2, 15));
}

BackendSet make_backend_set(const BackendFlags& flags, ThreadPool& pool, bool msm, bool ntt) {
  BackendSet set;
  runtime::BackendConfig config = flags.config();
  config.msm = msm;
  config.ntt = ntt;
  set.backends = runtime::make_backends(flags.backend, pool, config);
  set.scheduler = std::make_unique<runtime::Scheduler>(set.backends, pool);
  if (!flags.weights.empty()) set.scheduler->set_weights(flags.weights);
  return set;
}

nlohmann::ordered_json device_report(const BackendSet& set, std::size_t jobs) {
  return bench::device_counters_json(set.backends, jobs);
}

void print_device_report(std::ostream& out, const BackendSet& set, std::size_t jobs) {
  const nlohmann::ordered_json report = device_report(set, jobs);
  if (report.is_null()) return;
  for (const auto& j : report) {
    out << "  " << j["backend"].get<std::string>() << ": " << j["runs"].get<std::uint64_t>() << " kernel runs per job, "
        << j["cycles"].get<std::uint64_t>() << " simulated cycles";
    if (j["additions"].get<std::uint64_t>())
      out << ", " << j["additions"].get<std::uint64_t>() << " point additions (" << std::fixed << std::setprecision(1)
          << 100.0 * j["adder_utilization"].get<double>() << "% of the MSM runs' cycles, bucket write-back included), "
          << j["conflicts"].get<std::uint64_t>() << " bucket conflicts";
    if (j["butterflies"].get<std::uint64_t>()) out << ", " << j["butterflies"].get<std::uint64_t>() << " butterflies";
    out << "\n  projection (not a measurement): kernel time " << std::fixed << std::setprecision(3)
        << j["projected_kernel_ms"].get<double>() << " ms at " << std::setprecision(0)
        << j["clock_mhz"].get<double>() << " MHz, one kernel instance, transfers and host work excluded\n";
  }
}

}  // namespace zkacc::cli
