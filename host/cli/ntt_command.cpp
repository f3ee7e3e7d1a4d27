// `zkacc ntt`: times the NTT on the chosen backend on seeded random input and checks the result
// two ways: the opposite transform gives the input back, and at a few random
// indices i the result matches a Horner evaluation of the polynomial at
// g·ω^i (g = 1, or the coset shift 5).
#include <algorithm>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backend_options.hpp"
#include "commands.hpp"
#include "timing.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/ntt/ntt_domain.hpp"

namespace zkacc::cli {
namespace {

struct NttOptions {
  std::size_t size = 0;
  bool inverse = false;
  bool coset = false;
  std::size_t repeat = 5;
  std::size_t threads = 0;
  std::uint64_t seed = 1;
  bool json = false;
  BackendFlags backend;
};

// Random domain points checked by Horner's rule (n multiplications each).
constexpr std::size_t kCheckedPoints = 4;

// Σ_j c_j · z^j.
Fr horner(const std::vector<Fr>& c, const Fr& z) {
  Fr acc;
  for (std::size_t j = c.size(); j-- > 0;) acc = acc * z + c[j];
  return acc;
}

int run_ntt(const NttOptions& opt) {
  const NttDomain domain(opt.size);  // throws on a bad size
  if (opt.repeat == 0) throw Error("ntt: --repeat must be at least 1");
  ThreadPool pool(opt.threads);
  const NttDirection direction = opt.inverse ? NttDirection::Inverse : NttDirection::Forward;
  const Fr shift = opt.coset ? NttDomain::default_coset_shift() : Fr::one();

  std::mt19937_64 rng(opt.seed);
  std::vector<Fr> input(domain.size());
  for (auto& x : input) x = Fr::random(rng);

  BackendSet set = make_backend_set(opt.backend, pool, /*msm=*/false, /*ntt=*/true);
  const bool on_device = opt.backend.uses_device();
  // On a device the coset scaling (by shift^i, or shift^-i after an inverse)
  // is the host's part; the transform goes through the scheduler.
  auto apply = [&](std::vector<Fr>& v, NttDirection dir) {
    if (on_device) {
      if (opt.coset && dir == NttDirection::Forward) runtime::multiply_by_powers(v, shift, pool);
      set.scheduler->ntt(v, dir);
      if (opt.coset && dir == NttDirection::Inverse) runtime::multiply_by_powers(v, shift.inverse(), pool);
    } else if (!opt.coset)
      domain.transform(v, dir, Order::Natural, Order::Natural, pool);
    else if (dir == NttDirection::Forward)
      domain.coset_forward(v, shift, pool);
    else
      domain.coset_inverse(v, shift, pool);
  };

  std::vector<Fr> result;
  std::vector<double> ms;
  for (std::size_t r = 0; r < opt.repeat; ++r) {
    result = input;  // the copy stays outside the timed region
    ms.push_back(time_runs(1, [&] { apply(result, direction); })[0]);
  }
  std::sort(ms.begin(), ms.end());
  const double median = cli::median(ms);

  // Check 1: the opposite transform restores the input.
  std::vector<Fr> back = result;
  apply(back, opt.inverse ? NttDirection::Forward : NttDirection::Inverse);
  const bool round_trip_ok = back == input;
  // Check 2: coefficients c and evaluations e satisfy e_i = c(g·ω^i).
  const std::vector<Fr>& coeffs = opt.inverse ? result : input;
  const std::vector<Fr>& evals = opt.inverse ? input : result;
  bool eval_ok = true;
  for (std::size_t t = 0; t < kCheckedPoints; ++t) {
    const std::size_t i = t == 0 ? domain.size() - 1 : rng() % domain.size();
    eval_ok = eval_ok && evals[i] == horner(coeffs, shift * domain.element(i));
  }
  const bool ok = round_trip_ok && eval_ok;
  const double melem_per_s = median > 0 ? static_cast<double>(domain.size()) / median / 1e3 : 0;

  if (opt.json) {
    nlohmann::ordered_json j = {{"op", "ntt"},
                               {"size", domain.size()},
                               {"backend", opt.backend.backend},
                               {"threads", pool.size()},
                               {"direction", opt.inverse ? "inverse" : "forward"},
                               {"coset", opt.coset},
                               {"repeat", opt.repeat},
                               {"median_ms", median},
                               {"min_ms", ms.front()},
                               {"melem_per_s", melem_per_s},
                               {"ok", ok}};
    j["device"] = device_report(set, opt.repeat + 1);
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "ntt " << (opt.inverse ? "inverse" : "forward") << (opt.coset ? " on the coset 5·H" : "")
              << ", n = 2^" << domain.log_size() << " = " << domain.size() << ", " << opt.backend.backend << ", " << pool.size()
              << (pool.size() == 1 ? " thread" : " threads") << "\n"
              << std::fixed << std::setprecision(3) << "  median " << median << " ms, min " << ms.front()
              << " ms, max " << ms.back() << " ms over " << opt.repeat << " runs; " << std::setprecision(2)
              << melem_per_s << " M elements/s\n"
              << "  check: round trip " << (round_trip_ok ? "ok" : "FAILED") << ", evaluation at "
              << kCheckedPoints << " random points " << (eval_ok ? "ok" : "FAILED") << "\n";
    print_device_report(std::cout, set, opt.repeat + 1);
  }
  if (!ok) {
    std::cerr << "zkacc: error: ntt: the result failed its check\n";
    return 1;
  }
  return 0;
}

}  // namespace

Action add_ntt_command(CLI::App& app) {
  auto opt = std::make_shared<NttOptions>();
  auto* cmd = app.add_subcommand("ntt", "Time an NTT over BN254 Fr on random input and check the result");
  cmd->add_option("--size", opt->size, "Transform size n, a power of two up to 2^28")->required();
  cmd->add_flag("--inverse", opt->inverse, "Inverse transform (interpolation) instead of forward");
  cmd->add_flag("--coset", opt->coset, "Transform on the coset 5·H instead of H");
  cmd->add_option("--repeat", opt->repeat, "Timed runs; the median is reported")->capture_default_str();
  cmd->add_option("--threads", opt->threads, "Threads (0: ZKACC_THREADS or all cores)")->capture_default_str();
  cmd->add_option("--seed", opt->seed, "Seed of the random input")->capture_default_str();
  cmd->add_flag("--json", opt->json, "Print one JSON object instead of text");
  add_backend_options(*cmd, opt->backend);
  return [opt, cmd] {
    if (opt->backend.uses_device() && cmd->count("--repeat") == 0) opt->repeat = 1;
    return run_ntt(*opt);
  };
}

}  // namespace zkacc::cli
