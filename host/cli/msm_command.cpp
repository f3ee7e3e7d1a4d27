// `zkacc msm`: a seeded random MSM on the CPU engine, timed and checked.
//
// The points are P_i = (s + i·t)·G for random s, t, so their discrete logs
// are known and the result has an independent check that shares nothing with
// the bucket method:  Σ k_i·P_i = (Σ k_i·(s + i·t))·G.
#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

#include "commands.hpp"
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
};

template <class Config>
int run_msm(const MsmArgs& a) {
  using J = JacobianPoint<Config>;
  using A = AffinePoint<Config>;
  ThreadPool pool(a.threads);
  std::mt19937_64 rng(a.seed);
  const Fr s = Fr::random(rng), t = Fr::random(rng);
  const J step = J::generator() * t;
  std::vector<J> jac(a.size);
  J cur = J::generator() * s;
  for (auto& p : jac) {
    p = cur;
    cur += step;
  }
  std::vector<A> points(a.size);
  batch_to_affine(std::span<const J>(jac), std::span<A>(points));
  jac = {};
  std::vector<Fr> scalars(a.size);
  Fr expected_log = Fr::zero(), log = s;
  for (std::size_t i = 0; i < a.size; ++i) {
    scalars[i] = Fr::random(rng);
    expected_log += scalars[i] * log;
    log += t;
  }
  MsmOptions opt;
  opt.window_bits = a.window;
  J result;
  auto ms = time_runs(a.repeat, [&] { result = msm(std::span<const A>(points), std::span<const Fr>(scalars), pool, opt); });
  const bool ok = result == J::generator() * expected_log;
  const double med = median(ms);
  const unsigned window = a.window ? a.window : default_window_bits(a.size);
  if (a.json) {
    nlohmann::ordered_json j = {{"op", "msm"},          {"curve", a.curve},  {"size", a.size},
                        {"backend", "cpu"},     {"threads", pool.size()}, {"window_bits", window},
                        {"repeat", a.repeat},   {"median_ms", med},  {"min_ms", *std::min_element(ms.begin(), ms.end())},
                        {"ok", ok}};
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "msm " << a.curve << " n=" << a.size << " backend=cpu threads=" << pool.size() << " window=" << window
              << ": median " << med << " ms over " << a.repeat << " runs (" << (a.size / med / 1000.0)
              << " Mpoints/s); check against the known discrete logs: " << (ok ? "ok" : "FAILED") << "\n";
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
  return [args] { return args->curve == "g1" ? run_msm<Bn254G1Config>(*args) : run_msm<Bn254G2Config>(*args); };
}

}  // namespace zkacc::cli
