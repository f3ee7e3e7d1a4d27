// `zkacc msm`: a seeded random MSM on the chosen backends, timed and checked.
//
// The points are P_i = (s + i·t)·G for random s, t, so their discrete logs
// are known and the result has an independent check that shares nothing with
// the bucket method:  Σ k_i·P_i = (Σ k_i·(s + i·t))·G.
#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

#include "backend_options.hpp"
#include "commands.hpp"
#include "msm_instance.hpp"
#include "timing.hpp"
#include "zkacc/msm/pippenger.hpp"

namespace zkacc::cli {
namespace {

struct MsmArgs {
  std::size_t size = 1 << 16;
  std::string curve = "g1";
  std::size_t threads = 0;
  std::size_t repeat = 3;
  unsigned window = 0;
  std::uint64_t seed = 1;
  bool json = false;
  BackendFlags backend;
};

template <class Config>
int run_msm(const MsmArgs& a) {
  using J = JacobianPoint<Config>;
  using A = AffinePoint<Config>;
  ThreadPool pool(a.threads);
  const auto instance = MsmInstance<Config>::random(a.size, a.seed);
  const std::vector<A>& points = instance.points;
  const std::vector<Fr>& scalars = instance.scalars;
  MsmOptions opt;
  opt.window_bits = a.window;
  J result;
  std::vector<double> ms;
  BackendSet set;
  if constexpr (std::is_same_v<Config, Bn254G1Config>) {
    set = make_backend_set(a.backend, pool, /*msm=*/true, /*ntt=*/false);
    const std::vector<BigInt<4>> canonical = instance.canonical_scalars();
    if (a.backend.backend == "cpu") {
      ms = time_runs(a.repeat, [&] { result = msm(std::span<const A>(points), std::span<const Fr>(scalars), pool, opt); });
    } else {
      ms = time_runs(a.repeat, [&] { result = set.scheduler->msm_g1(points, canonical); });
    }
  } else {
    if (a.backend.backend != "cpu") throw Error("msm: G2 runs on the CPU only (the MSM kernel is G1)");
    ms = time_runs(a.repeat, [&] { result = msm(std::span<const A>(points), std::span<const Fr>(scalars), pool, opt); });
  }
  const bool ok = instance.is_result(result);
  const double med = median(ms);
  const unsigned window = a.window ? a.window : default_window_bits(a.size);
  if (a.json) {
    nlohmann::ordered_json j = {{"op", "msm"},          {"curve", a.curve},  {"size", a.size},
                        {"backend", a.backend.backend}, {"threads", pool.size()}, {"window_bits", window},
                        {"repeat", a.repeat},   {"median_ms", med},  {"min_ms", *std::min_element(ms.begin(), ms.end())},
                        {"ok", ok}};
    j["device"] = device_report(set, a.repeat);
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "msm " << a.curve << " n=" << a.size << " backend=" << a.backend.backend << " threads=" << pool.size()
              << " window=" << (a.backend.uses_device() ? std::string("device") : std::to_string(window))
              << ": median " << med << " ms over " << a.repeat << " runs (" << (a.size / med / 1000.0)
              << " Mpoints/s); check against the known discrete logs: " << (ok ? "ok" : "FAILED") << "\n";
    print_device_report(std::cout, set, a.repeat);
  }
  return ok ? 0 : 3;
}

}  // namespace

Action add_msm_command(CLI::App& app) {
  auto args = std::make_shared<MsmArgs>();
  auto* cmd = app.add_subcommand("msm", "Time a random multi-scalar multiplication and check its result");
  cmd->add_option("--size,-n", args->size, "Number of points")->check(CLI::Range(std::size_t(1), std::size_t(1) << 26));
  cmd->add_option("--curve", args->curve, "g1 or g2")->check(CLI::IsMember({"g1", "g2"}));
  cmd->add_option("--threads,-t", args->threads, "Worker threads (default: ZKACC_THREADS or all cores)");
  cmd->add_option("--repeat,-r", args->repeat, "Timed runs")->check(CLI::Range(1, 1000));
  cmd->add_option("--window", args->window, "Window bits (default: chosen from the size)")->check(CLI::Range(2, 15));
  cmd->add_option("--seed", args->seed, "Seed of the random inputs");
  cmd->add_flag("--json", args->json, "Print one JSON object");
  add_backend_options(*cmd, args->backend);
  return [args, cmd] {
    // A simulated kernel is slow: one run unless more are asked for.
    if (args->backend.uses_device() && cmd->count("--repeat") == 0) args->repeat = 1;
    return args->curve == "g1" ? run_msm<Bn254G1Config>(*args) : run_msm<Bn254G2Config>(*args); };
}

}  // namespace zkacc::cli
