// The scheduler with test backends: a split MSM adds up, a failing or lying
// device is caught, warned about and redone on the CPU, and the answer is
// still right.
#include <catch2/catch.hpp>

#include <sstream>

#include "support/test_rng.hpp"
#include "zkacc/drivers/device.hpp"
#include "zkacc/msm/pippenger.hpp"
#include "zkacc/runtime/scheduler.hpp"

using namespace zkacc;
using namespace zkacc::runtime;

namespace {

struct Instance {
  std::vector<G1Affine> points;
  std::vector<BigInt<4>> scalars;
};

Instance random_instance(std::size_t n, std::uint64_t salt) {
  auto rng = test::make_rng(salt);
  Instance m;
  std::vector<G1Jacobian> jac(n);
  for (auto& p : jac) p = G1Jacobian::generator() * Fr::random(rng);
  m.points.resize(n);
  batch_to_affine(std::span<const G1Jacobian>(jac), std::span<G1Affine>(m.points));
  for (std::size_t i = 0; i < n; ++i) m.scalars.push_back(Fr::random(rng).to_canonical());
  return m;
}

// A device-like backend that fails in a chosen way.
class FaultyBackend final : public Backend {
 public:
  enum class Fault { none, throws, wrong_ntt };
  FaultyBackend(ThreadPool& pool, Fault fault) : cpu_(pool), fault_(fault) {}
  std::string name() const override { return "faulty"; }
  bool is_device() const override { return true; }
  G1Jacobian msm_g1(std::span<const G1Affine> p, std::span<const BigInt<4>> s) override {
    ++msm_calls;
    if (fault_ == Fault::throws) throw drivers::DeviceError("faulty: kernel timed out");
    return cpu_.msm_g1(p, s);
  }
  void ntt(std::span<Fr> values, NttDirection d) override {
    if (fault_ == Fault::throws) throw drivers::DeviceError("faulty: kernel timed out");
    cpu_.ntt(values, d);
    if (fault_ == Fault::wrong_ntt) values[values.size() / 3] += Fr::one();
  }
  int msm_calls = 0;

 private:
  CpuBackend cpu_;
  Fault fault_;
};

}  // namespace

TEST_CASE("scheduler: an MSM split across backends equals the whole", "[runtime]") {
  SEED_INFO();
  ThreadPool pool(2);
  const Instance m = random_instance(1000, 1);
  const G1Jacobian expected = msm_unchecked<Bn254G1Config>(m.points, m.scalars, pool);
  auto a = std::make_shared<CpuBackend>(pool);
  auto b = std::make_shared<FaultyBackend>(pool, FaultyBackend::Fault::none);
  Scheduler s({a, b}, pool);
  for (std::vector<double> w : {std::vector<double>{1, 1}, {3, 1}, {0, 1}, {1, 0}}) {
    s.set_weights(w);
    CHECK(s.msm_g1(m.points, m.scalars) == expected);
    REQUIRE(s.last_job().size() == 2);
    CHECK(s.last_job()[0].end == s.last_job()[1].begin);
    CHECK(s.last_job()[1].end == 1000);
  }
  CHECK_THROWS_WITH(s.set_weights({1}), Catch::Contains("one weight per backend"));
  s.set_weights({0, 0});  // accepted here, rejected at use
  CHECK_THROWS_WITH(s.msm_g1(m.points, m.scalars), Catch::Contains("weight 0"));
}

TEST_CASE("scheduler: a failing device falls back to the CPU with a warning", "[runtime]") {
  ThreadPool pool(2);
  const Instance m = random_instance(300, 2);
  const G1Jacobian expected = msm_unchecked<Bn254G1Config>(m.points, m.scalars, pool);
  std::ostringstream warnings;
  auto bad = std::make_shared<FaultyBackend>(pool, FaultyBackend::Fault::throws);
  Scheduler s({std::make_shared<CpuBackend>(pool), bad}, pool, SchedulerOptions{true, &warnings, 7});
  CHECK(s.msm_g1(m.points, m.scalars) == expected);
  CHECK(bad->msm_calls == 2);  // tried, retried once, then the CPU
  CHECK(s.last_job()[1].attempts == 2);
  CHECK(s.last_job()[1].fell_back);
  CHECK_THAT(warnings.str(), Catch::Contains("faulty: kernel timed out") && Catch::Contains("redone on the CPU"));

  std::vector<Fr> values(1 << 8), expected_ntt;
  auto rng = test::make_rng(3);
  for (auto& v : values) v = Fr::random(rng);
  expected_ntt = values;
  NttDomain(values.size()).transform(expected_ntt, NttDirection::Forward, Order::Natural, Order::Natural, pool);
  Scheduler only_bad({bad}, pool, SchedulerOptions{true, &warnings, 7});
  only_bad.ntt(values, NttDirection::Forward);
  CHECK(values == expected_ntt);
  CHECK(only_bad.last_job()[0].fell_back);
}

TEST_CASE("scheduler: a wrong NTT result fails the random check and is redone", "[runtime]") {
  ThreadPool pool(2);
  auto rng = test::make_rng(4);
  for (NttDirection dir : {NttDirection::Forward, NttDirection::Inverse}) {
    std::vector<Fr> values(1 << 10);
    for (auto& v : values) v = Fr::random(rng);
    std::vector<Fr> expected = values;
    NttDomain(values.size()).transform(expected, dir, Order::Natural, Order::Natural, pool);
    std::ostringstream warnings;
    // One wrong element in 1024 is caught every time.
    auto liar = std::make_shared<FaultyBackend>(pool, FaultyBackend::Fault::wrong_ntt);
    Scheduler s({liar}, pool, SchedulerOptions{true, &warnings, 11});
    std::size_t caught = 0;
    for (int run = 0; run < 5; ++run) {
      std::vector<Fr> v = values;
      s.ntt(v, dir);
      caught += s.last_job()[0].fell_back;
      CHECK(v == expected);
    }
    CHECK_THAT(warnings.str(), Catch::Contains("random linear-combination check"));
    CHECK(caught == 5);
  }
}

TEST_CASE("scheduler: a correct device NTT passes the check, coset included", "[runtime]") {
  ThreadPool pool(2);
  auto rng = test::make_rng(5);
  std::vector<Fr> values(1 << 9);
  for (auto& v : values) v = Fr::random(rng);
  std::ostringstream warnings;
  Scheduler device({std::make_shared<FaultyBackend>(pool, FaultyBackend::Fault::none)}, pool,
                   SchedulerOptions{true, &warnings, 5});
  Scheduler cpu({}, pool);
  std::vector<Fr> a = values, b = values;
  const Fr shift = Fr::from_u64(5);
  device.evaluations_to_coset(a, shift);
  cpu.evaluations_to_coset(b, shift);
  CHECK(a == b);
  CHECK(warnings.str().empty());
}
