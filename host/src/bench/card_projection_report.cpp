#include "zkacc/bench/card_projection_report.hpp"

#include <algorithm>
#include <string>

#include "zkacc/runtime/card_projection.hpp"

namespace zkacc::bench {

using json = nlohmann::ordered_json;

namespace {

constexpr std::size_t kProjectedPoints = std::size_t(1) << 24;
// The host that drives a card reduces the buckets on this many threads
// (docs/bench.md, item 7).
constexpr unsigned kCardHostThreads = 8;

struct CardBuild {
  const char* name;
  unsigned adders, bucket_bits, digit_bits;
  double utilization;            // 0: CardParams' default (one lane, measured at 2^14 points)
  double reference_run_buckets;  // where `utilization` was measured (0: the default's)
  const char* utilization_source;
};

// docs/bench.md, items 3 and 4: the card builds and the adder utilization
// measured on the Verilator model of each.
constexpr CardBuild kBuilds[] = {
    {"one adder (Lanes=1, BucketBits=16, DigitBits=16)", 1, 16, 16, 0, 0,
     "measured on the one-lane sim build, 2^14 random points, c = 8"},
    {"two adders (Lanes=2, BucketBits=16, DigitBits=16)", 2, 16, 16, 0, 0,
     "measured on the one-lane sim build, 2^14 random points, c = 8"},
    {"three adders (Lanes=3, BucketBits=18, DigitBits=18)", 3, 18, 18, 0.990, 3.0 * 65536,
     "measured on the three-lane build (2^16 buckets a lane), 2^15 random points, c = 17"},
};

}  // namespace

json projection_json(const runtime::MsmProjection& p) {
  return {{"points", p.points},
          {"window_bits", p.window_bits},
          {"windows", p.windows},
          {"runs", p.runs},
          {"additions", p.additions},
          {"utilization", p.utilization},
          {"kernel_s", p.kernel_s},
          {"launch_s", p.launch_s},
          {"first_rows_s", p.first_rows_s},
          {"transfer_exposed_s", p.transfer_exposed_s},
          {"card_s", p.card_s},
          {"host_cpu_s", p.host_cpu_s},
          {"latency_s", p.latency_s}};
}

json card_projection_report(const std::vector<double>& clocks_mhz, double host_addition_ns) {
  const runtime::CardParams shipped;
  // The check as the runtime ships it, and off (docs/bench.md's table).
  std::vector<bool> checks{shipped.subset_check};
  if (shipped.subset_check) checks.push_back(false);
  json rows = json::array();
  for (const CardBuild& b : kBuilds)
    for (double mhz : clocks_mhz)
      for (bool check : checks) {
        runtime::CardParams p;
        p.adders = b.adders;
        p.bucket_bits = b.bucket_bits;
        p.digit_bits = b.digit_bits;
        if (b.utilization > 0) p.adder_utilization = b.utilization;
        if (b.reference_run_buckets > 0) p.reference_run_buckets = b.reference_run_buckets;
        p.clock_mhz = mhz;
        p.subset_check = check;
        p.host_threads = kCardHostThreads;
        p.host_addition_ns = host_addition_ns;
        json row = {{"build", b.name},
                    {"adders", p.adders},
                    {"bucket_bits", p.bucket_bits},
                    {"digit_bits", p.digit_bits},
                    {"clock_mhz", p.clock_mhz},
                    {"adder_utilization", p.adder_utilization},
                    {"utilization_source", b.utilization_source},
                    {"subset_check", check},
                    {"subset_check_shipped", check == shipped.subset_check}};
        const json projection = projection_json(runtime::project_g1_msm(kProjectedPoints, p));
        row.update(projection);
        rows.push_back(std::move(row));
      }
  return {{"what",
           "projected time of one BN254 G1 MSM of 2^24 uniformly random scalars on one card running "
           "zkacc_msm_kernel (runtime/card_projection): a model, not a measurement"},
          {"points", kProjectedPoints},
          {"scalars", "uniform"},
          {"host_addition_ns", host_addition_ns},
          {"host_addition_source", "measured now: XYZZ mixed addition on one core of this machine"},
          {"host_threads", kCardHostThreads},
          {"points_on_card", "assumed resident (loaded once per proving key)"},
          {"rows", rows}};
}

}  // namespace zkacc::bench
