// The bench library's pieces that bench.json's numbers rest on: the scalar
// distributions and the known-answer MSM built from them, the spread of
// timings, the schema version a baseline must have, the xclbin header a
// card's provenance is read from, the baseline comparison and the 2^24
// projection's rows: the runtime's model with each card build, clock and host.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "zkacc/bench/baseline.hpp"
#include "zkacc/bench/card_identity.hpp"
#include "zkacc/bench/card_projection_report.hpp"
#include "zkacc/bench/cost_report.hpp"
#include "zkacc/bench/msm_instance.hpp"
#include "zkacc/bench/scalar_distribution.hpp"
#include "zkacc/bench/schema_version.hpp"
#include "zkacc/bench/spread.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/runtime/card_projection.hpp"
#include "zkacc/runtime/scheduler.hpp"

using namespace zkacc;
using namespace zkacc::bench;
using json = nlohmann::ordered_json;

TEST_CASE("bench: distribution names round-trip and unknown ones are refused", "[bench]") {
  for (ScalarDistribution d : all_distributions()) CHECK(parse_distribution(distribution_name(d)) == d);
  CHECK_THROWS_WITH(parse_distribution("gaussian"), Catch::Contains("'gaussian'") && Catch::Contains("sparse-witness"));
}

TEST_CASE("bench: the scalar distributions draw what they promise", "[bench]") {
  std::mt19937_64 a(7), b(7);
  for (int i = 0; i < 16; ++i) CHECK(draw_scalar(ScalarDistribution::uniform, a) == Fr::random(b));

  std::mt19937_64 rng(11);
  const int n = 20000;
  int zeros = 0, ones = 0, wide = 0;
  for (int i = 0; i < n; ++i) {
    const Fr x = draw_scalar(ScalarDistribution::sparse_witness, rng);
    if (x == Fr::zero())
      ++zeros;
    else if (x == Fr::one())
      ++ones;
    else if (bigint::bit_length(x.to_canonical()) > 128)
      ++wide;
  }
  // Binomial: three standard deviations are under 1.1 % of n here.
  CHECK(std::abs(double(zeros) / n - kSparseZeroPercent / 100.0) < 0.02);
  CHECK(std::abs(double(ones) / n - kSparseOnePercent / 100.0) < 0.02);
  CHECK(zeros + ones + wide == n);  // the rest is full width

  // One bit, 2^200: a single nonzero digit whatever the window width.
  const BigInt<4> k = one_bucket_scalar().to_canonical();
  CHECK(bigint::bit_length(k) == kOneBucketBit + 1);
  CHECK(k[kOneBucketBit / 64] == std::uint64_t(1) << (kOneBucketBit % 64));
  for (int i = 0; i < 8; ++i) CHECK(draw_scalar(ScalarDistribution::one_bucket, rng) == one_bucket_scalar());
}

TEST_CASE("bench: the known-answer MSM holds for every distribution", "[bench]") {
  ThreadPool pool(2);
  runtime::Scheduler cpu({}, pool);
  for (ScalarDistribution d : all_distributions()) {
    INFO(distribution_name(d));
    const auto m = MsmInstance<Bn254G1Config>::random(100, 5, d);
    const G1Jacobian r = cpu.msm_g1(m.points, m.canonical_scalars());
    CHECK(m.is_result(r));
    CHECK_FALSE(m.is_result(r + G1Jacobian::generator()));
  }
}

TEST_CASE("bench: spread of timings", "[bench]") {
  const Spread odd = spread_of({3.0, 1.0, 2.0});
  CHECK(odd.min == 1.0);
  CHECK(odd.median == 2.0);
  CHECK(odd.max == 3.0);
  CHECK(spread_of({4.0, 1.0, 2.0, 3.0}).median == 2.5);
  CHECK_THROWS_AS(spread_of({}), Error);
}

TEST_CASE("bench: a baseline must be of this schema version", "[bench]") {
  CHECK_NOTHROW(require_schema_version(json{{"schema_version", kBenchSchemaVersion}}, "a.json"));
  CHECK_THROWS_WITH(require_schema_version(json{{"measurements", json::array()}}, "old.json"),
                    Catch::Contains("old.json: no schema_version"));
  CHECK_THROWS_WITH(require_schema_version(json{{"schema_version", kBenchSchemaVersion + 1}}, "new.json"),
                    Catch::Contains("new.json: schema_version " + std::to_string(kBenchSchemaVersion + 1)));
  CHECK_THROWS_AS(require_schema_version(json{{"schema_version", "1"}}, "s.json"), Error);
}

namespace {

std::filesystem::path temp_file(const std::string& name, const std::string& bytes) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

}  // namespace

TEST_CASE("bench: the xclbin header gives the UUID and the platform", "[bench]") {
  // XRT's struct axlf: the platform's VBNV at 352, the xclbin UUID at 416.
  std::string bytes(496, '\0');
  bytes.replace(0, 8, std::string("xclbin2\0", 8));
  const std::string platform = "xilinx_u250_gen3x16_xdma_4_1_202210_1";
  bytes.replace(352, platform.size(), platform);
  for (int i = 0; i < 16; ++i) bytes[416 + i] = char(0x10 * (i % 16) + i);
  const auto good = temp_file("zkacc_bench_test_good.xclbin", bytes);
  const XclbinHeader h = read_xclbin_header(good.string());
  CHECK(h.platform == platform);
  CHECK(h.uuid == "00112233-4455-6677-8899-aabbccddeeff");

  std::string foreign = bytes;
  foreign[0] = 'X';
  const auto bad = temp_file("zkacc_bench_test_foreign.xclbin", foreign);
  CHECK_THROWS_WITH(read_xclbin_header(bad.string()), Catch::Contains("not an xclbin"));
  const auto short_file = temp_file("zkacc_bench_test_short.xclbin", bytes.substr(0, 400));
  CHECK_THROWS_WITH(read_xclbin_header(short_file.string()), Catch::Contains("shorter than an xclbin header"));
  CHECK_THROWS_WITH(read_xclbin_header("/nonexistent/zkacc.xclbin"), Catch::Contains("cannot open"));
  std::filesystem::remove(good);
  std::filesystem::remove(bad);
  std::filesystem::remove(short_file);
}

TEST_CASE("bench: the baseline comparison matches op, backend, size and distribution", "[bench]") {
  const auto m = [](const char* dist, double ms) {
    return json{{"op", "msm"}, {"backend", "cpu"}, {"distribution", dist}, {"log_size", 6}, {"size", 64}, {"median_ms", ms}};
  };
  const json now = json::array({m("uniform", 12.0), m("one-bucket", 10.0), m("sparse-witness", 5.0)});
  const json old = {{"measurements", json::array({m("uniform", 10.0), m("one-bucket", 10.0)})}};
  const BaselineComparison c = compare_with_baseline(now, old, 0.15);
  REQUIRE(c.rows.size() == 2);  // sparse-witness has no old measurement
  CHECK(c.regressions == 1);
  CHECK(c.rows[0]["ratio"].get<double>() == Approx(1.2));
  CHECK(c.rows[0]["regression"].get<bool>());
  CHECK_FALSE(c.rows[1]["regression"].get<bool>());
  CHECK(compare_with_baseline(now, old, 0.25).regressions == 0);
}

TEST_CASE("bench: the 2^24 projection follows the clock and the host's addition time", "[bench]") {
  const json slow_host = card_projection_report({300.0, 250.0}, 400.0);
  const json fast_host = card_projection_report({300.0, 250.0}, 200.0);
  const auto& rows = fast_host["rows"];
  const std::size_t checks = runtime::CardParams{}.subset_check ? 2 : 1;
  REQUIRE(rows.size() == 3 * 2 * checks);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO(rows[i]["build"].get<std::string>() << " at " << rows[i]["clock_mhz"].get<double>() << " MHz");
    CHECK(rows[i]["points"] == std::size_t(1) << 24);
    CHECK(rows[i]["latency_s"].get<double>() >= rows[i]["kernel_s"].get<double>());
    // Each row is the runtime's projection with the row's card, clock,
    // check and the report's host: the parameters reach the model.
    for (const json* report : {&fast_host, &slow_host}) {
      const json& row = (*report)["rows"][i];
      runtime::CardParams p;
      p.adders = row["adders"].get<unsigned>();
      p.bucket_bits = row["bucket_bits"].get<unsigned>();
      p.digit_bits = row["digit_bits"].get<unsigned>();
      p.clock_mhz = row["clock_mhz"].get<double>();
      p.adder_utilization = row["adder_utilization"].get<double>();
      if (p.adders == 3) p.reference_run_buckets = 3 * 65536;  // where the three-lane figure was measured
      p.subset_check = row["subset_check"].get<bool>();
      p.host_threads = (*report)["host_threads"].get<unsigned>();
      p.host_addition_ns = (*report)["host_addition_ns"].get<double>();
      const runtime::MsmProjection want = runtime::project_g1_msm(std::size_t(1) << 24, p);
      CHECK(row["window_bits"] == want.window_bits);
      CHECK(row["runs"] == want.runs);
      CHECK(row["latency_s"].get<double>() == Approx(want.latency_s));
      CHECK(row["host_cpu_s"].get<double>() == Approx(want.host_cpu_s));
    }
    // A slower host costs more host CPU-seconds.
    CHECK(slow_host["rows"][i]["host_cpu_s"].get<double>() > rows[i]["host_cpu_s"].get<double>());
  }
  // The same build and check at 250 MHz: slower, but by at most 300/250 (card
  // memory, fixed in bytes a second, gives more beats a cycle at a lower clock).
  std::size_t pairs = 0;
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows.size(); ++j)
      if (rows[i]["build"] == rows[j]["build"] && rows[i]["subset_check"] == rows[j]["subset_check"] &&
          rows[i]["clock_mhz"] == 300.0 && rows[j]["clock_mhz"] == 250.0) {
        ++pairs;
        const double fast = rows[i]["kernel_s"].get<double>(), slow = rows[j]["kernel_s"].get<double>();
        CHECK(slow > fast);
        CHECK(slow <= fast * 300.0 / 250.0 * (1 + 1e-9));
      }
  CHECK(pairs == 3 * checks);
}

TEST_CASE("bench: the cost report's card defaults are the projection's", "[bench]") {
  const CostCardOptions options;
  const runtime::CardParams params;
  CHECK(options.clock_mhz == params.clock_mhz);
  CHECK(options.adders == params.adders);
  CHECK(options.bucket_bits == params.bucket_bits);
  CHECK(options.digit_bits == params.digit_bits);
}
