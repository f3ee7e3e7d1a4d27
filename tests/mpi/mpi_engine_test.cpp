// MpiEngine under mpirun (every rank runs every test case, in the same
// order): split MSMs equal the single-process MSM for sizes that do not
// divide by the ranks and sizes below the rank count, a proof with pinned
// (r, s) is bit-for-bit the single-process proof, and an error on one rank
// reaches every rank as the same MpiJobError. The inputs come from fixed
// seeds, not the test seed, so every rank builds the same ones.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <optional>
#include <random>

#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"
#include "zkacc/runtime/mpi_engine.hpp"

using namespace zkacc;
using namespace zkacc::runtime;

namespace {

std::optional<MpiSession> g_session;  // the job's session, for the test cases

template <class J>
std::pair<std::vector<typename J::Affine>, std::vector<BigInt<4>>> instance(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<J> jac(n);
  for (auto& p : jac) p = J::generator() * Fr::random(rng);
  std::vector<typename J::Affine> points(n);
  batch_to_affine(std::span<const J>(jac), std::span<typename J::Affine>(points));
  std::vector<BigInt<4>> scalars;
  for (std::size_t i = 0; i < n; ++i) scalars.push_back(Fr::random(rng).to_canonical());
  return {points, scalars};
}

}  // namespace

TEST_CASE("rank ranges cover 0..n once, in order, sizes within one") {
  for (int size : {1, 2, 3, 7})
    for (std::size_t n : {0, 1, 2, 3, 10, 1001}) {
      std::size_t next = 0, lo = n, hi = 0;
      for (int r = 0; r < size; ++r) {
        const RankRange rr = rank_range(n, r, size);
        REQUIRE(rr.begin == next);
        REQUIRE(rr.end >= rr.begin);
        lo = std::min(lo, rr.end - rr.begin);
        hi = std::max(hi, rr.end - rr.begin);
        next = rr.end;
      }
      REQUIRE(next == n);
      REQUIRE(hi - lo <= 1);
    }
}

TEST_CASE("split MSMs equal one process's") {
  MpiSession& s = *g_session;
  ThreadPool pool(1);
  prover::CpuEngine cpu(pool);
  MpiEngine engine(s, cpu);
  for (std::size_t n : {0, 1, 2, 5, 100, 1001}) {
    INFO("n = " << n << ", ranks = " << s.size());
    const auto [p1, k1] = instance<G1Jacobian>(n, 11 + n);
    CHECK(engine.msm_g1(p1, k1) == cpu.msm_g1(p1, k1));
    const auto [p2, k2] = instance<G2Jacobian>(n % 40, 13 + n);
    CHECK(engine.msm_g2(p2, k2) == cpu.msm_g2(p2, k2));
  }
}

TEST_CASE("a proof with pinned blinding is the single-process proof") {
  MpiSession& s = *g_session;
  ThreadPool pool(1);
  const std::string dir = ZKACC_TEST_DATA_DIR "/prover/multiplier/";
  const prover::Groth16Zkey zkey = prover::read_zkey(dir + "multiplier.zkey", pool);
  const prover::Witness w = prover::read_wtns(dir + "multiplier.wtns");
  const prover::ProofRandomness rs{Fr::from_u64(1234567), Fr::from_u64(7654321)};
  prover::CpuEngine cpu(pool);
  MpiEngine engine(s, cpu);
  const prover::Proof single = prover::prove(zkey, w.values, rs, pool);
  const prover::Proof split = prover::prove(zkey, w.values, rs, engine);
  CHECK(split.a == single.a);
  CHECK(split.b == single.b);
  CHECK(split.c == single.c);
  const std::uint64_t before = s.exchanges();
  (void)prover::prove(zkey, w.values, rs, engine);
  CHECK(s.exchanges() - before == 8);  // 3 NTT statuses + 5 MSMs
}

TEST_CASE("a key read in parts, one per rank, proves the single-process proof") {
  MpiSession& s = *g_session;
  ThreadPool pool(1);
  const std::string path = ZKACC_TEST_DATA_DIR "/prover/multiplier/multiplier.zkey";
  const prover::Witness w = prover::read_wtns(ZKACC_TEST_DATA_DIR "/prover/multiplier/multiplier.wtns");
  const prover::ProofRandomness rs{Fr::from_u64(1234567), Fr::from_u64(7654321)};
  prover::CpuEngine cpu(pool);
  MpiEngine engine(s, cpu, {}, MpiEngine::Points::rank_share);
  REQUIRE(engine.key_part() == prover::ZkeyPart{static_cast<std::uint32_t>(s.rank()), static_cast<std::uint32_t>(s.size())});
  const prover::Groth16Zkey part = prover::read_zkey(path, pool, engine.key_part());
  const prover::Groth16Zkey whole = prover::read_zkey(path, pool);
  // This rank holds its range of the points and no more.
  const RankRange h = rank_range(whole.h.size(), s.rank(), s.size());
  CHECK(std::vector<G1Affine>(whole.h.begin() + h.begin, whole.h.begin() + h.end) == part.h);
  const prover::Proof single = prover::prove(whole, w.values, rs, pool);
  const prover::Proof split = prover::prove(part, w.values, rs, engine);
  CHECK(split.a == single.a);
  CHECK(split.b == single.b);
  CHECK(split.c == single.c);
  // The whole key with a rank-share engine would count points twice: refused.
  if (s.size() > 1) CHECK_THROWS_WITH(prover::prove(whole, w.values, rs, engine), Catch::Contains("the whole key"));
}

TEST_CASE("an error on one rank is the same MpiJobError on every rank") {
  MpiSession& s = *g_session;
  const int bad = s.size() - 1;
  try {
    agree(s, "a step that fails on the last rank", [&] {
      if (s.rank() == bad) throw Error("disk full");
    });
    FAIL("no error");
  } catch (const MpiJobError& e) {
    CHECK(e.failed_rank() == bad);
    CHECK(std::string(e.what()) == "rank " + std::to_string(bad) + ": disk full");
  }
  // Agreed at an inner exchange, passed through an outer one unchanged.
  try {
    agree(s, "outer", [&] {
      agree(s, "inner", [&] {
        if (s.rank() == bad) throw Error("inner failure");
      });
    });
    FAIL("no error");
  } catch (const MpiJobError& e) {
    CHECK(e.failed_rank() == bad);
    CHECK(std::string(e.what()) == "rank " + std::to_string(bad) + ": inner failure");
  }
  // Payloads come back in rank order.
  const auto all = agree(s, "payloads", 4, [&] {
    std::vector<std::uint8_t> v(4, static_cast<std::uint8_t>(s.rank() + 1));
    return v;
  });
  REQUIRE(all.size() == static_cast<std::size_t>(s.size()));
  for (int r = 0; r < s.size(); ++r) CHECK(all[r] == std::vector<std::uint8_t>(4, static_cast<std::uint8_t>(r + 1)));
}

int main(int argc, char* argv[]) {
  MpiOptions options;
  options.timeout = std::chrono::seconds(120);
  g_session.emplace(options);
  const int failed = Catch::Session().run(argc, argv);
  g_session.reset();
  return failed ? 1 : 0;
}
