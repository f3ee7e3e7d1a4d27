// Fixed-base tables (fixed_base_tables.hpp) against the plain MSM: every
// layout from no copies to one per window, random and witness-shaped
// scalars with edge cases, points at infinity, one and two threads.
#include <catch2/catch.hpp>

#include <vector>

#include "support/random_points.hpp"
#include "support/test_rng.hpp"
#include "zkacc/msm/fixed_base_tables.hpp"
#include "zkacc/msm/pippenger.hpp"

using namespace zkacc;

namespace {

using test::r_minus;

FixedBaseLayout layout(unsigned c, std::size_t shifts) {
  const std::size_t w = num_windows(c);
  return {c, w, shifts, (w + shifts - 1) / shifts};
}

std::vector<BigInt<4>> edge_scalars(std::size_t n, unsigned c, std::mt19937_64& rng) {
  std::vector<BigInt<4>> ks(n);
  for (std::size_t i = 0; i < n; ++i) {
    switch (i % 7) {
      case 1: ks[i] = {}; break;
      case 2: ks[i] = r_minus(1); break;
      case 3: ks[i] = bigint::from_u64<4>(1); break;
      case 4: ks[i] = bigint::from_u64<4>(std::uint64_t(1) << (c - 1)); break;  // a digit at the boundary
      case 5: ks[i] = r_minus(rng() % 300); break;
      default: ks[i] = Fr::random(rng).to_canonical(); break;
    }
  }
  return ks;
}

}  // namespace

TEMPLATE_TEST_CASE("Fixed-base tables give the plain MSM in every layout", "[msm][fixed_base]", Bn254G1Config,
                   Bn254G2Config) {
  using Config = TestType;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(80);
  const bool g1 = std::is_same_v<Config, Bn254G1Config>;
  for (std::size_t n : {1u, 17u, g1 ? 1500u : 300u}) {
    auto pts = test::random_points<Config>(n, rng);
    if (n > 10) pts[7] = AffinePoint<Config>::infinity();
    if (n > 10) pts[8] = pts[9];
    for (unsigned c : {8u, 11u, 15u}) {
      const std::size_t w = num_windows(c);
      for (std::size_t shifts : {std::size_t(1), std::size_t(2), w / 2, w - 1, w}) {
        ThreadPool build(2);
        const FixedBaseTables<Config> tables(pts, layout(c, shifts), build);
        REQUIRE(tables.bytes() == shifts * n * sizeof(AffinePoint<Config>));
        const auto ks = edge_scalars(n, c, rng);
        for (std::size_t threads : {1u, 2u}) {
          ThreadPool pool(threads);
          INFO("n = " << n << ", c = " << c << ", shifts = " << shifts << ", threads = " << threads);
          CHECK(tables.msm(ks, pool) == msm_unchecked<Config>(pts, ks, pool));
        }
      }
    }
  }
}

TEST_CASE("Fixed-base layouts follow the budget", "[msm][fixed_base]") {
  const std::size_t n = 1 << 16, point = sizeof(G1Affine);
  const FixedBaseLayout none = FixedBaseLayout::choose(n, point, 0, 2);
  CHECK(none.shifts == 1);
  CHECK(none.stride == none.windows);
  const FixedBaseLayout all = FixedBaseLayout::choose(n, point, std::size_t(1) << 40, 2);
  CHECK(all.shifts == all.windows);
  CHECK(all.stride == 1);
  // Half the windows' worth of copies at most, whatever the window chosen.
  const FixedBaseLayout half = FixedBaseLayout::choose(n, point, 9 * n * point, 2);
  CHECK(half.shifts <= 9);
  CHECK(half.shifts * half.stride >= half.windows);
  CHECK(half.window_bits >= 8);
}

TEST_CASE("Fixed-base tables reject bad layouts and scalar counts", "[msm][fixed_base]") {
  auto rng = zkacc::test::make_rng(81);
  ThreadPool pool(1);
  const auto pts = test::random_points<Bn254G1Config>(20, rng);
  CHECK_THROWS_WITH(FixedBaseTables<Bn254G1Config>(pts, layout(7, 2), pool), Catch::Contains("is inconsistent"));
  FixedBaseLayout short_stride = layout(10, 4);
  short_stride.stride -= 1;
  CHECK_THROWS_WITH(FixedBaseTables<Bn254G1Config>(pts, short_stride, pool), Catch::Contains("is inconsistent"));
  const FixedBaseTables<Bn254G1Config> tables(pts, layout(10, 4), pool);
  const std::vector<BigInt<4>> ks(19, bigint::from_u64<4>(5));
  CHECK_THROWS_WITH(tables.msm(ks, pool), Catch::Contains("19 scalars for fixed-base tables of 20 points"));
}
