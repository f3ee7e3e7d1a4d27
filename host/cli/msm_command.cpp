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
#include "mpi_options.hpp"
#include "timing.hpp"
#include "zkacc/bench/msm_instance.hpp"
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
  MpiFlags mpi;
};

// The affine result as snarkjs writes points: decimal coordinates, an Fq2
// coordinate as [c0, c1]; infinity as zeros.
nlohmann::ordered_json point_json(const G1Affine& p) { return {p.x.to_decimal(), p.y.to_decimal()}; }
nlohmann::ordered_json point_json(const G2Affine& p) {
  return {{p.x.c0.to_decimal(), p.x.c1.to_decimal()}, {p.y.c0.to_decimal(), p.y.c1.to_decimal()}};
}

template <class Config>
int run_msm(const MsmArgs& a, runtime::MpiSession* session = nullptr) {
  using J = JacobianPoint<Config>;
  using A = AffinePoint<Config>;
  ThreadPool pool(a.threads);
  const auto instance = bench::MsmInstance<Config>::random(a.size, a.seed);
  const std::vector<A>& points = instance.points;
  const std::vector<Fr>& scalars = instance.scalars;
  MsmOptions opt;
  opt.window_bits = a.window;
  J result;
  std::vector<double> ms;
  BackendSet set;
  if (session) {
    // Each rank's range on its local engine (the CPU's, or the scheduler's
    // over --backend); the partial sums are exchanged and added.
    runtime::agree(*session, "opening the backends", [&] {
      if (a.window) throw Error("msm: --window does not apply with --mpi (each rank picks the window for its range)");
      if (!std::is_same_v<Config, Bn254G1Config> && a.backend.backend != "cpu")
        throw Error("msm: G2 runs on the CPU only (the MSM kernel is G1)");
      set = make_backend_set(a.backend.with_local_rank(session->local_rank()), pool, /*msm=*/true, /*ntt=*/false);
    });
    prover::CpuEngine cpu(pool);
    runtime::RuntimeEngine device(*set.scheduler);
    runtime::MpiEngine engine(*session, a.backend.uses_device() ? static_cast<prover::ProverEngine&>(device) : cpu,
                              mpi_test_faults_from_env());
    const std::vector<BigInt<4>> canonical = instance.canonical_scalars();
    ms = time_runs(a.repeat, [&] {
      if constexpr (std::is_same_v<Config, Bn254G1Config>) result = engine.msm_g1(points, canonical);
      else result = engine.msm_g2(points, canonical);
    });
  } else if constexpr (std::is_same_v<Config, Bn254G1Config>) {
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
  if (session && session->rank() != 0) return ok ? 0 : 3;
  const std::string ranks = session ? " ranks=" + std::to_string(session->size()) : std::string();
  if (a.json) {
    nlohmann::ordered_json j = {{"op", "msm"},          {"curve", a.curve},  {"size", a.size},
                        {"backend", a.backend.backend}, {"threads", pool.size()}, {"window_bits", session ? 0u : window},
                        {"repeat", a.repeat},   {"median_ms", med},  {"min_ms", *std::min_element(ms.begin(), ms.end())},
                        {"ok", ok}};
    if (session) j["mpi_ranks"] = session->size();
    j["result"] = point_json(result.to_affine());
    j["device"] = device_report(set, a.repeat);
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "msm " << a.curve << " n=" << a.size << " backend=" << a.backend.backend << " threads=" << pool.size() << ranks
              << " window=" << (a.backend.uses_device() ? std::string("device") : session ? std::string("per rank") : std::to_string(window))
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
  add_mpi_options(*cmd, args->mpi);
  return [args, cmd] {
    // A simulated kernel is slow: one run unless more are asked for.
    if (args->backend.uses_device() && cmd->count("--repeat") == 0) args->repeat = 1;
    if (!args->mpi.enabled)
      return args->curve == "g1" ? run_msm<Bn254G1Config>(*args) : run_msm<Bn254G2Config>(*args);
    return run_with_mpi(args->mpi, [&](runtime::MpiSession& session) {
      return args->curve == "g1" ? run_msm<Bn254G1Config>(*args, &session)
                                 : run_msm<Bn254G2Config>(*args, &session);
    });
  };
}

}  // namespace zkacc::cli
