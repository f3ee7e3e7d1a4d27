// MSM against the naive Σ[k_i]P_i on small inputs with every edge case, and
// against itself with a different window size (and batch) up to 2^14 points,
// on G1 and G2.
#include <catch2/catch.hpp>

#include <vector>

#include "support/ifma_skip.hpp"
#include "support/random_points.hpp"
#include "support/test_rng.hpp"
#include "zkacc/msm/pippenger.hpp"

using namespace zkacc;

namespace {

template <class Config>
struct Inputs {
  std::vector<AffinePoint<Config>> points;
  std::vector<BigInt<4>> scalars;
};

using test::random_points;

template <class Config>
JacobianPoint<Config> naive(const Inputs<Config>& in) {
  return test::naive_msm<Config>(in.points, in.scalars);
}

using test::r_minus;

// Edge cases mixed into random inputs: zero scalars, r-1, 1, points at
// infinity, the same point repeated, P together with -P, and digits at the
// window boundary (2^(c-1), which recodes with a carry).
template <class Config>
Inputs<Config> edge_inputs(std::size_t n, std::mt19937_64& rng) {
  Inputs<Config> in;
  in.points = random_points<Config>(n, rng);
  for (std::size_t i = 0; i < n; ++i) in.scalars.push_back(Fr::random(rng).to_canonical());
  for (std::size_t i = 0; i < n; ++i) {
    switch (i % 11) {
      case 1: in.scalars[i] = {}; break;
      case 2: in.scalars[i] = r_minus(1); break;
      case 3: in.points[i] = AffinePoint<Config>::infinity(); break;
      case 4: if (i > 0) in.points[i] = in.points[i - 1]; break;       // repeated point
      case 5:  // P and -P with equal scalars
        if (i > 0) {
          in.points[i] = -in.points[i - 1];
          in.scalars[i] = in.scalars[i - 1];
        }
        break;
      case 6: in.scalars[i] = bigint::from_u64<4>(1); break;
      case 7: in.scalars[i] = {0x8000ull | (0x4000ull << 15), 0, 0, 0}; break;
      default: break;
    }
  }
  return in;
}

}  // namespace

TEMPLATE_TEST_CASE("MSM equals the naive sum on small inputs with edge cases", "[msm]", Bn254G1Config, Bn254G2Config) {
  using Config = TestType;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(60);
  ThreadPool pool(2);
  for (std::size_t n : {0, 1, 2, 3, 15, 16, 17, 33, 100, 257}) {
    auto in = edge_inputs<Config>(n, rng);
    const auto expected = naive(in);
    for (unsigned c : {0u, 2u, 3u, 7u, 15u}) {
      INFO("n=" << n << " c=" << c);
      MsmOptions opt;
      opt.window_bits = c;
      opt.batch = 4;  // tiny batches: conflicts and deferrals on every path
      CHECK(msm(std::span<const AffinePoint<Config>>(in.points), std::span<const BigInt<4>>(in.scalars), pool, opt) ==
            expected);
    }
  }
}

TEST_CASE("MSM with every point in one bucket and with cancelling pairs", "[msm]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(61);
  ThreadPool pool(2);
  const std::size_t n = 600;
  auto pts = random_points<Bn254G1Config>(n, rng);
  // All scalars equal: every point lands in the same bucket of every window.
  Fr k = Fr::random(rng);
  std::vector<BigInt<4>> same(n, k.to_canonical());
  G1Jacobian sum = G1Jacobian::infinity();
  for (auto& p : pts) sum = sum.add_mixed(p);
  CHECK(msm(std::span<const G1Affine>(pts), std::span<const BigInt<4>>(same), pool) == sum * k);
  // The same point n times: doublings inside the buckets.
  std::vector<G1Affine> rep(n, pts[0]);
  CHECK(msm(std::span<const G1Affine>(rep), std::span<const BigInt<4>>(same), pool) ==
        pts[0].to_jacobian() * (k * Fr::from_u64(n)));
  // P and -P alternating with equal scalars: the sum is zero.
  for (std::size_t i = 1; i < n; i += 2) rep[i] = -rep[i - 1];
  CHECK(msm(std::span<const G1Affine>(rep), std::span<const BigInt<4>>(same), pool).is_infinity());
}

TEMPLATE_TEST_CASE("MSM agrees across window sizes, batches and thread counts", "[msm]", Bn254G1Config, Bn254G2Config) {
  using Config = TestType;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(62);
  ThreadPool one(1), two(2);
  const std::size_t max_n = std::is_same_v<Config, Bn254G1Config> ? (1u << 14) : (1u << 11);
  for (std::size_t n = 1000; n <= max_n; n *= 4) {
    auto in = edge_inputs<Config>(n, rng);
    std::span<const AffinePoint<Config>> pts(in.points);
    std::span<const BigInt<4>> ks(in.scalars);
    INFO("n=" << n);
    const auto a = msm(pts, ks, two);
    MsmOptions other;
    other.window_bits = default_window_bits(n) - 3;
    other.batch = 64;
    CHECK(msm(pts, ks, one, other) == a);
    CHECK(!a.is_infinity());
  }
}

TEST_CASE("MSM with field-element scalars equals the integer form", "[msm]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(63);
  ThreadPool pool(2);
  auto pts = random_points<Bn254G1Config>(500, rng);
  std::vector<Fr> fs(500);
  std::vector<BigInt<4>> ks(500);
  for (std::size_t i = 0; i < 500; ++i) {
    fs[i] = Fr::random(rng);
    ks[i] = fs[i].to_canonical();
  }
  CHECK(msm(std::span<const G1Affine>(pts), std::span<const Fr>(fs), pool) ==
        msm(std::span<const G1Affine>(pts), std::span<const BigInt<4>>(ks), pool));
}

TEST_CASE("MSM rejects bad input with a clear error", "[msm]") {
  auto rng = zkacc::test::make_rng(64);
  ThreadPool pool(1);
  auto pts = random_points<Bn254G1Config>(20, rng);
  std::vector<BigInt<4>> ks(20, bigint::from_u64<4>(3));
  CHECK_THROWS_WITH(msm(std::span<const G1Affine>(pts), std::span<const BigInt<4>>(ks).first(19), pool),
                    Catch::Contains("20 points but 19 scalars"));
  ks[7] = Fr::kModulus;
  CHECK_THROWS_WITH(msm(std::span<const G1Affine>(pts), std::span<const BigInt<4>>(ks), pool),
                    Catch::Contains("scalar 7") && Catch::Contains("not below r"));
  ks[7] = bigint::from_u64<4>(3);
  pts[12].y += Fq::one();
  CHECK_THROWS_WITH(msm(std::span<const G1Affine>(pts), std::span<const BigInt<4>>(ks), pool),
                    Catch::Contains("point 12 is not on BN254 G1"));
  MsmOptions bad;
  bad.window_bits = 16;
  pts[12].y -= Fq::one();
  CHECK_THROWS_WITH(msm(std::span<const G1Affine>(pts), std::span<const BigInt<4>>(ks), pool, bad),
                    Catch::Contains("window size 16"));
}

TEST_CASE("IFMA and portable batched additions give the same MSM", "[msm][ifma]") {
  SEED_INFO();
  ZKACC_SKIP_WITHOUT_IFMA();
  auto rng = zkacc::test::make_rng(66);
  // Batches of 4, 13 and the default: groups of eight with and without
  // padding; the edge inputs bring doublings and cancellations into batches.
  for (std::size_t n : {16u, 100u, 1000u, 5000u}) {
    auto in = edge_inputs<Bn254G1Config>(n, rng);
    for (std::size_t batch : {4u, 13u, 0u}) {
      for (bool split : {false, true}) {
        ThreadPool pool(2);
        MsmOptions portable, ifma;
        portable.ifma = false;
        portable.batch = ifma.batch = batch;
        portable.split_by_size = ifma.split_by_size = split;
        INFO("n = " << n << ", batch = " << batch << ", split = " << split);
        const auto expected = msm_unchecked<Bn254G1Config>(in.points, in.scalars, pool, portable);
        CHECK(msm_unchecked<Bn254G1Config>(in.points, in.scalars, pool, ifma) == expected);
        if (n <= 100) CHECK(expected == naive(in));
      }
    }
  }
  // Every point in a few buckets: the queue, the overflow and doublings.
  std::vector<G1Affine> same(3000, random_points<Bn254G1Config>(1, rng)[0]);
  std::vector<BigInt<4>> ks(3000);
  for (std::size_t i = 0; i < ks.size(); ++i) ks[i] = bigint::from_u64<4>(1000 + i % 5);
  ThreadPool pool(1);
  MsmOptions portable;
  portable.ifma = false;
  CHECK(msm_unchecked<Bn254G1Config>(same, ks, pool) == msm_unchecked<Bn254G1Config>(same, ks, pool, portable));
}
