// The MSM's split by scalar size (scalar_split.hpp) and the batched point sum
// (point_sum.hpp): witness-shaped scalars (0, ±1, small signed values, a few
// full-size ones) against the naive MSM and against the unsplit bucket
// method, on G1 and G2, one and two threads.
#include <catch2/catch.hpp>

#include <vector>

#include "support/random_points.hpp"
#include "support/test_rng.hpp"
#include "zkacc/msm/pippenger.hpp"
#include "zkacc/msm/point_sum.hpp"
#include "zkacc/msm/scalar_split.hpp"

using namespace zkacc;

namespace {

using test::r_minus;

// Like a quantized network's witness: half zeros, ±1, signed values of up to
// `small_bits` bits, a share of full-size field elements, and points at
// infinity (key points of signals a matrix does not use).
std::vector<BigInt<4>> witness_scalars(std::size_t n, unsigned small_bits, unsigned large_per_64,
                                       std::mt19937_64& rng) {
  std::vector<BigInt<4>> ks(n);
  for (auto& k : ks) {
    const unsigned roll = rng() % 64;
    const std::uint64_t mask = small_bits >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << small_bits) - 1;
    const std::uint64_t small = (rng() & mask) | 2;
    if (roll < large_per_64) k = Fr::random(rng).to_canonical();
    else if (roll < 32) k = {};
    else if (roll < 44) k = bigint::from_u64<4>(1);
    else if (roll < 48) k = r_minus(1);
    else if (roll < 56) k = bigint::from_u64<4>(small);
    else k = r_minus(small);
  }
  return ks;
}

template <class Config>
JacobianPoint<Config> msm_with(std::span<const AffinePoint<Config>> pts, std::span<const BigInt<4>> ks,
                               std::size_t threads, bool split) {
  ThreadPool pool(threads);
  MsmOptions o;
  o.split_by_size = split;
  return msm_unchecked<Config>(pts, ks, pool, o);
}

}  // namespace

TEST_CASE("Scalars are classed by their signed size", "[msm][split]") {
  using msm_detail::ScalarSize;
  const auto size_of = [](const BigInt<4>& k) { return msm_detail::scalar_size(msm_detail::signed_scalar(k)); };
  CHECK(size_of({}) == ScalarSize::Zero);
  CHECK(size_of(bigint::from_u64<4>(1)) == ScalarSize::One);
  CHECK(size_of(r_minus(1)) == ScalarSize::One);
  CHECK(msm_detail::signed_scalar(r_minus(1)).negative);
  CHECK(size_of(bigint::from_u64<4>(2)) == ScalarSize::Small);
  CHECK(size_of(r_minus(~std::uint64_t(0))) == ScalarSize::Small);
  CHECK(msm_detail::signed_scalar(r_minus(~std::uint64_t(0))).magnitude == bigint::from_u64<4>(~std::uint64_t(0)));
  CHECK(size_of({0, 1, 0, 0}) == ScalarSize::Large);  // 2^64
  // (r − 1)/2 is its own smaller representative; (r + 1)/2 = r − (r − 1)/2.
  BigInt<4> half = Fr::kModulus;
  bigint::shr1(half);
  CHECK_FALSE(msm_detail::signed_scalar(half).negative);
  BigInt<4> above;
  bigint::add(above, half, bigint::from_u64<4>(1));
  CHECK(msm_detail::signed_scalar(above).negative);
  CHECK(msm_detail::signed_scalar(above).magnitude == half);
}

TEST_CASE("The split gathers each class, and leaves dense scalars whole", "[msm][split]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(70);
  ThreadPool pool(2);
  auto pts = test::random_points<Bn254G1Config>(3000, rng);
  std::vector<BigInt<4>> ks(pts.size());
  for (std::size_t i = 0; i < ks.size(); ++i) ks[i] = Fr::random(rng).to_canonical();
  // 1/16 or fewer non-large scalars: nothing split.
  for (std::size_t i = 0; i < ks.size() / 16; ++i) ks[16 * i] = bigint::from_u64<4>(1);
  CHECK_FALSE(msm_detail::split_by_scalar_size<Bn254G1Config, BigInt<4>>(pts, ks, pool).has_value());
  // A witness-like mix, with a point at infinity that has a large scalar.
  ks = witness_scalars(pts.size(), 9, 4, rng);
  ks[5] = Fr::random(rng).to_canonical();
  pts[5] = G1Affine::infinity();
  ks[6] = r_minus(300);
  ks[7] = bigint::from_u64<4>(511);
  const auto split = msm_detail::split_by_scalar_size<Bn254G1Config, BigInt<4>>(pts, ks, pool);
  REQUIRE(split.has_value());
  std::size_t ones = 0, small = 0, large = 0;
  for (std::size_t i = 0; i < ks.size(); ++i) {
    if (pts[i].is_infinity()) continue;
    const auto s = msm_detail::scalar_size(msm_detail::signed_scalar(ks[i]));
    ones += s == msm_detail::ScalarSize::One;
    small += s == msm_detail::ScalarSize::Small;
    large += s == msm_detail::ScalarSize::Large;
  }
  CHECK(split->ones.size() == ones);
  CHECK(split->small_points.size() == small);
  CHECK(split->small_scalars.size() == small);
  CHECK(split->large_points.size() == large);
  CHECK(split->small_bits == 9);
  // In input order, negated where the scalar stood for r − |k|.
  const auto at = std::find(split->small_scalars.begin(), split->small_scalars.end(), bigint::from_u64<4>(300));
  REQUIRE(at != split->small_scalars.end());
  CHECK(split->small_points[std::size_t(at - split->small_scalars.begin())] == -pts[6]);
}

TEMPLATE_TEST_CASE("MSM of witness-shaped scalars equals the naive sum", "[msm][split]", Bn254G1Config,
                   Bn254G2Config) {
  using Config = TestType;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(71);
  for (std::size_t n : {16u, 17u, 40u, 300u, 1200u}) {
    for (unsigned small_bits : {2u, 9u, 40u, 64u}) {
      auto pts = test::random_points<Config>(n, rng);
      auto ks = witness_scalars(n, small_bits, 3, rng);
      if (n > 20) pts[11] = AffinePoint<Config>::infinity();
      if (n > 20) pts[12] = pts[13];   // a repeated point with scalar ±1 doubles in the sum
      if (n > 20) pts[14] = -pts[15];  // and P with −P cancels
      if (n > 20) ks[12] = ks[13] = ks[14] = ks[15] = bigint::from_u64<4>(1);
      INFO("n = " << n << ", small bits = " << small_bits);
      const auto expected = test::naive_msm<Config>(pts, ks);
      CHECK(msm_with<Config>(pts, ks, 1, true) == expected);
      CHECK(msm_with<Config>(pts, ks, 2, true) == expected);
    }
  }
}

TEMPLATE_TEST_CASE("Split and unsplit MSMs agree at larger sizes", "[msm][split]", Bn254G1Config, Bn254G2Config) {
  using Config = TestType;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(72);
  const std::size_t n = std::is_same_v<Config, Bn254G1Config> ? 1u << 14 : 1u << 11;
  auto pts = test::random_points<Config>(n, rng);
  for (unsigned large_per_64 : {0u, 1u, 8u, 30u}) {
    auto ks = witness_scalars(n, 9, large_per_64, rng);
    INFO("large scalars per 64: " << large_per_64);
    const auto unsplit = msm_with<Config>(pts, ks, 2, false);
    CHECK(msm_with<Config>(pts, ks, 2, true) == unsplit);
    CHECK(msm_with<Config>(pts, ks, 1, true) == unsplit);
  }
  // Only ±1, as a circuit of bits: everything in the point sum.
  std::vector<BigInt<4>> bits(n);
  for (auto& k : bits) k = rng() % 2 ? bigint::from_u64<4>(1) : BigInt<4>{};
  CHECK(msm_with<Config>(pts, bits, 2, true) == msm_with<Config>(pts, bits, 2, false));
}

TEMPLATE_TEST_CASE("The batched point sum equals the sum one by one", "[msm][split]", Bn254G1Config,
                   Bn254G2Config) {
  using Config = TestType;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(73);
  for (std::size_t n : {0u, 1u, 255u, 256u, 257u, 2000u, 9000u}) {
    auto pts = test::random_points<Config>(n, rng);
    // Repeats (doublings inside a bucket), negations (cancellations) and infinity.
    for (std::size_t i = 3; i + 600 < n; i += 97) {
      pts[i] = pts[i + 300];
      pts[i + 1] = -pts[i + 600];
      pts[i + 2] = AffinePoint<Config>::infinity();
    }
    JacobianPoint<Config> expected = JacobianPoint<Config>::infinity();
    for (const auto& p : pts) expected += p.to_jacobian();
    for (std::size_t threads : {1u, 2u}) {
      ThreadPool pool(threads);
      INFO("n = " << n << ", threads = " << threads);
      CHECK(point_sum<Config>(pts, pool) == expected);
    }
  }
}

TEST_CASE("Digits over fewer windows reject a scalar that does not fit them", "[msm][split]") {
  ThreadPool pool(1);
  // One 10-bit window holds signed digits up to 2^9: 512 fits, 513 would
  // carry out of it, and 1024 has a bit above it.
  for (std::uint64_t k : {1u, 511u, 512u}) {
    const std::vector<BigInt<4>> fits = {bigint::from_u64<4>(k)};
    const SignedDigits d(std::span<const BigInt<4>>(fits), 10, pool, 9);
    CHECK(d.windows() == 1);
    CHECK(d.window(0)[0] == static_cast<std::int16_t>(k));
  }
  for (std::uint64_t k : {513u, 1024u}) {
    const std::vector<BigInt<4>> too_big = {bigint::from_u64<4>(k)};
    CHECK_THROWS_WITH(SignedDigits(std::span<const BigInt<4>>(too_big), 10, pool, 9),
                      Catch::Contains("does not fit the window decomposition"));
  }
}
