// Small scalars summed on the host (msm_small_scalars.hpp): which scalars
// are small, the kernel's copy with them zeroed, and their sum against the
// CPU MSM.
#include <catch2/catch.hpp>

#include <vector>

#include "support/test_rng.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/msm/pippenger.hpp"
#include "zkacc/runtime/msm_small_scalars.hpp"

using namespace zkacc;
using namespace zkacc::runtime;

namespace {

BigInt<4> minus(std::uint64_t k) {  // r − k
  BigInt<4> v = Fr::kModulus;
  v[0] -= k;
  return v;
}

}  // namespace

TEST_CASE("msm small scalars: 0, ±1 and values below 2^bits, nothing else", "[runtime]") {
  CHECK(msm_small_scalar_value(BigInt<4>{}, 4) == 0);
  CHECK(msm_small_scalar_value(bigint::from_u64<4>(1), 4) == 1);
  CHECK(msm_small_scalar_value(bigint::from_u64<4>(15), 4) == 15);
  CHECK(msm_small_scalar_value(bigint::from_u64<4>(16), 4) == 0);
  CHECK(msm_small_scalar_value(minus(1), 4) == -1);
  CHECK(msm_small_scalar_value(minus(15), 4) == -15);
  CHECK(msm_small_scalar_value(minus(16), 4) == 0);
  CHECK(msm_small_scalar_value(minus(0), 4) == 0);  // r itself is not canonical: not small
  BigInt<4> high{};
  high[1] = 1;  // 2^64
  CHECK(msm_small_scalar_value(high, 4) == 0);
  CHECK(msm_small_scalar_value(bigint::from_u64<4>(40000), 16) == 40000);
  CHECK(msm_small_scalar_value(minus(40000), 16) == -40000);
  auto rng = test::make_rng(71);
  for (int k = 0; k < 100; ++k) CHECK(msm_small_scalar_value(Fr::random(rng).to_canonical(), 16) == 0);
}

TEST_CASE("msm small scalars: the affine pairwise sum, every case", "[runtime]") {
  // Random points with infinity among them, the same point twice (a
  // doubling), P and −P (a cancellation), odd and even counts, one and none.
  SEED_INFO();
  auto rng = test::make_rng(73);
  AffineSumScratch scratch;
  for (const std::size_t n : {std::size_t(0), std::size_t(1), std::size_t(2), std::size_t(7), std::size_t(64),
                              std::size_t(1001)}) {
    INFO("n = " << n);
    std::vector<G1Affine> points(n);
    for (auto& p : points) p = (G1Jacobian::generator() * Fr::random(rng)).to_affine();
    if (n >= 7) {
      points[1] = points[0];     // a doubling at the first level
      points[3] = -points[2];    // a cancellation
      points[4] = G1Affine::infinity();
      points[6] = points[5];
    }
    G1Jacobian expected = G1Jacobian::infinity();
    for (const auto& p : points) expected += p.to_jacobian();
    std::vector<G1Affine> work = points;
    CHECK(affine_sum(work, scratch).to_jacobian() == expected);
  }
  // Everything cancels: infinity.
  const G1Affine p = G1Affine::generator();
  std::vector<G1Affine> cancel{p, -p, p, -p};
  CHECK(affine_sum(cancel, scratch).is_infinity());
  // The same point many times: doublings at every level.
  std::vector<G1Affine> same(8, p);
  CHECK(affine_sum(same, scratch).to_jacobian() == G1Jacobian::generator() * Fr::from_u64(8));
}

TEST_CASE("msm small scalars: the host's sum equals the CPU MSM of the small ones", "[runtime]") {
  SEED_INFO();
  auto rng = test::make_rng(72);
  ThreadPool pool(2);
  for (const std::size_t n : {std::size_t(1), std::size_t(37), std::size_t(10000)}) {
    INFO("n = " << n);
    std::vector<G1Jacobian> jac(n);
    for (auto& p : jac) p = G1Jacobian::generator() * Fr::random(rng);
    std::vector<G1Affine> points(n);
    batch_to_affine(std::span<const G1Jacobian>(jac), std::span<G1Affine>(points));
    // A witness's mix: bits, −1, small values of both signs, full-width
    // values, and the same point twice with +1 and −1 (cancelling).
    std::vector<BigInt<4>> scalars(n), small_only(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t kind = rng() % 8;
      if (kind < 3) scalars[i] = bigint::from_u64<4>(rng() % 2);
      else if (kind == 3) scalars[i] = minus(1);
      else if (kind == 4) scalars[i] = bigint::from_u64<4>(rng() % 16);
      else if (kind == 5) scalars[i] = minus(1 + rng() % 15);
      else scalars[i] = Fr::random(rng).to_canonical();
      if (msm_small_scalar_value(scalars[i], 4) != 0) small_only[i] = scalars[i];
    }
    if (n > 2) {
      points[1] = points[0];
      scalars[0] = small_only[0] = bigint::from_u64<4>(1);
      scalars[1] = small_only[1] = minus(1);
    }
    const G1Jacobian expected = msm_unchecked<Bn254G1Config>(points, small_only, pool);
    CHECK(msm_small_scalar_sum(points, scalars, 4, pool) == expected);
    // The kernel's copy: the small ones zeroed, the others as they were;
    // with it the two shares add up to the whole MSM.
    std::vector<BigInt<4>> kernel(n);
    const std::size_t small = msm_zero_small_scalars(scalars, 4, kernel, 0, n);
    CHECK(small == msm_count_small_scalars(scalars, 4, pool));
    std::size_t nonzero_small = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const bool is_small = msm_small_scalar_value(scalars[i], 4) != 0;
      nonzero_small += is_small;
      CHECK(kernel[i] == (is_small ? BigInt<4>{} : scalars[i]));
    }
    CHECK(small == nonzero_small);
    CHECK(msm_unchecked<Bn254G1Config>(points, kernel, pool) + expected ==
          msm_unchecked<Bn254G1Config>(points, scalars, pool));
  }
  // bits = 0: nothing is small.
  std::vector<G1Affine> one{G1Affine::generator()};
  std::vector<BigInt<4>> s{bigint::from_u64<4>(1)}, out(1);
  CHECK(msm_small_scalar_sum(one, s, 0, pool) == G1Jacobian::infinity());
  CHECK(msm_zero_small_scalars(s, 0, out, 0, 1) == 0);
  CHECK(out[0] == s[0]);
  CHECK_THROWS_AS(msm_small_scalar_sum(one, s, 17, pool), Error);
}
