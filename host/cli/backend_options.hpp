// The --backend, --xclbin, --device, --clock-mhz and --weights options that
// every command running MSMs or NTTs takes, and the report of what a device
// did (cycles, utilization, projected card time) that they print.
#pragma once

#include <algorithm>
#include <memory>
#include <ostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "zkacc/runtime/backend_factory.hpp"
#include "zkacc/runtime/scheduler.hpp"

namespace zkacc::cli {

struct BackendFlags {
  std::string backend = "cpu";  // comma-separated: cpu, sim, xrt
  std::string xclbin;
  // Card index; unset means card 0, or under --mpi the rank's local rank
  // (ranks sharing a host take one card each: with_local_rank).
  std::optional<unsigned> device;
  double clock_mhz = 300.0;
  std::vector<double> weights;  // one per backend; default: each backend's throughput hint
  unsigned device_window = 0;   // MSM window width on a device; 0: the cost model picks

  // Whether any named backend is a device (sim or xrt).
  bool uses_device() const {
    std::size_t start = 0;
    while (start <= backend.size()) {
      const std::size_t end = std::min(backend.find(',', start), backend.size());
      const std::string name = backend.substr(start, end - start);
      if (!name.empty() && name != "cpu") return true;
      start = end + 1;
    }
    return false;
  }
  // The flags for MPI rank `local_rank` on its host: without --device, the
  // card of that index, so N ranks on a host with N cards use one each.
  BackendFlags with_local_rank(int local_rank) const {
    BackendFlags f = *this;
    if (!f.device) f.device = static_cast<unsigned>(local_rank);
    return f;
  }
  runtime::BackendConfig config() const {
    runtime::BackendConfig c;
    c.xclbin = xclbin;
    c.device_index = device.value_or(0);
    c.clock_mhz = clock_mhz;
    c.msm_window_bits = device_window;
    return c;
  }
};

void add_backend_options(CLI::App& cmd, BackendFlags& flags);

// A scheduler over the named backends (owning them).
struct BackendSet {
  std::vector<std::shared_ptr<runtime::Backend>> backends;
  std::unique_ptr<runtime::Scheduler> scheduler;
};
BackendSet make_backend_set(const BackendFlags& flags, ThreadPool& pool, bool msm = true, bool ntt = true);

// Device counters of every device backend in the set as JSON (null when none):
// cycles, operations, utilization and the projected card time at the clock.
// Counters are divided by `jobs`, the number of jobs the set ran.
nlohmann::ordered_json device_report(const BackendSet& set, std::size_t jobs = 1);
// The same for people, one line per device, every projection labelled.
void print_device_report(std::ostream& out, const BackendSet& set, std::size_t jobs = 1);

}  // namespace zkacc::cli
