// Group laws of BN254 G1 and G2, one template for both: associativity and
// commutativity on random points, identity, inverses, doubling, the group
// order, mixed addition, and scalar multiplication against double-and-add.
#include <catch2/catch.hpp>

#include <vector>

#include "support/test_rng.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/curve/xyzz.hpp"

using namespace zkacc;

namespace {

template <class Jacobian>
Jacobian random_point(std::mt19937_64& rng) {
  return Jacobian::generator().mul_vartime(Fr::random(rng).to_canonical());
}

// Independent reference: plain right-to-left double-and-add.
template <class Jacobian>
Jacobian double_and_add(const Jacobian& p, const BigInt<4>& k) {
  Jacobian acc = Jacobian::infinity(), base = p;
  for (std::size_t i = 0; i < 256; ++i) {
    if (bigint::bit(k, i)) acc = acc + base;
    base = base.dbl();
  }
  return acc;
}

}  // namespace

TEMPLATE_TEST_CASE("generators are on the curve and of order r", "[curve]", G1Jacobian, G2Jacobian) {
  using J = TestType;
  J g = J::generator();
  CHECK(g.is_on_curve());
  CHECK(g.to_affine().is_on_curve());
  CHECK(!g.is_infinity());
  CHECK(g.mul_vartime(kBn254Order).is_infinity());
  BigInt<4> r_minus_1{};
  bigint::sub(r_minus_1, kBn254Order, bigint::from_u64<4>(1));
  CHECK(g.mul_vartime(r_minus_1) == -g);
  CHECK(is_in_subgroup(g.to_affine()));
}

TEMPLATE_TEST_CASE("group laws hold on random points", "[curve]", G1Jacobian, G2Jacobian) {
  using J = TestType;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(30);
  const J o = J::infinity();
  for (int i = 0; i < 40; ++i) {
    J a = random_point<J>(rng), b = random_point<J>(rng), c = random_point<J>(rng);
    CHECK((a + b) + c == a + (b + c));
    CHECK(a + b == b + a);
    CHECK(a + o == a);
    CHECK(o + a == a);
    CHECK((a + (-a)).is_infinity());
    CHECK(a + a == a.dbl());
    CHECK((a + b).is_on_curve());
    CHECK(a.dbl().is_on_curve());
    // The same point with a different Z must compare equal and add the same.
    auto aff = a.to_affine();
    CHECK(aff.to_jacobian() == a);
    CHECK(b.add_mixed(aff) == a + b);
    CHECK(a.add_mixed(aff) == a.dbl());                 // doubling through mixed add
    CHECK(a.add_mixed(-aff).is_infinity());             // P + (-P)
    CHECK(o.add_mixed(aff) == a);                       // infinity + P
    CHECK(a.add_mixed(decltype(aff)::infinity()) == a); // P + infinity
    CHECK((a - b) + b == a);
  }
  CHECK(o.dbl().is_infinity());
  CHECK((o + o).is_infinity());
}

TEMPLATE_TEST_CASE("scalar multiplication matches double-and-add", "[curve]", G1Jacobian, G2Jacobian) {
  using J = TestType;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(31);
  J p = random_point<J>(rng);
  std::vector<BigInt<4>> scalars = {bigint::from_u64<4>(0), bigint::from_u64<4>(1), bigint::from_u64<4>(2),
                                    bigint::from_u64<4>(15), bigint::from_u64<4>(16), bigint::from_u64<4>(31)};
  // Around the small-multiplier path (one 64-bit limb, at most 8 set bits):
  // 8 and 9 set bits, the top bit of the limb, a full limb, one bit above it.
  for (std::uint64_t v : {0xffull, 0x1ffull, 0x8000000000000000ull, 0x8040201008040201ull, 0x8040201008040203ull,
                          ~0ull, 0x100ull, 0x3ull})
    scalars.push_back(bigint::from_u64<4>(v));
  scalars.push_back({0, 1, 0, 0});
  BigInt<4> r_minus_1{};
  bigint::sub(r_minus_1, kBn254Order, bigint::from_u64<4>(1));
  scalars.push_back(r_minus_1);
  scalars.push_back(kBn254Order);
  scalars.push_back({~0ull, ~0ull, ~0ull, ~0ull});  // 2^256 - 1, above r: still a valid integer multiplier
  for (int i = 0; i < 30; ++i) scalars.push_back(Fr::random(rng).to_canonical());
  for (const auto& k : scalars) {
    INFO("k=0x" << bigint::to_hex(k));
    CHECK(p.mul_vartime(k) == double_and_add(p, k));
  }
  // [a]([b]P) = [ab]P, with scalars as field elements.
  Fr a = Fr::random(rng), b = Fr::random(rng);
  CHECK((p * b) * a == p * (a * b));
  CHECK(J::infinity().mul_vartime(scalars.back()).is_infinity());
}

TEMPLATE_TEST_CASE("batch conversion to affine", "[curve]", G1Jacobian, G2Jacobian) {
  using J = TestType;
  using A = typename J::Affine;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(32);
  std::vector<J> pts;
  for (int i = 0; i < 20; ++i) pts.push_back(i % 7 == 3 ? J::infinity() : random_point<J>(rng));
  std::vector<A> out(pts.size());
  batch_to_affine(std::span<const J>(pts), std::span<A>(out));
  for (std::size_t i = 0; i < pts.size(); ++i) {
    CHECK(out[i] == pts[i].to_affine());
    CHECK(out[i].is_on_curve());
    CHECK(out[i].is_infinity() == pts[i].is_infinity());
  }
}

TEST_CASE("G2 points off the subgroup are detected", "[curve]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(33);
  // A random point on the twist: pick x until x^3 + b' is a square. With
  // the twist's huge cofactor it is almost surely outside the order-r subgroup.
  int off_subgroup = 0;
  for (int i = 0; i < 5; ++i) {
    for (;;) {
      Fq2 x = Fq2::random(rng);
      auto y = (x.square() * x + Bn254G2Config::b()).sqrt();
      if (!y) continue;
      G2Affine q{x, *y};
      REQUIRE(q.is_on_curve());
      if (!is_in_subgroup(q)) ++off_subgroup;
      break;
    }
  }
  CHECK(off_subgroup == 5);
  G2Affine bad = G2Jacobian::generator().to_affine();
  bad.y += Fq2::one();
  CHECK(!bad.is_on_curve());
  CHECK(!is_in_subgroup(bad));
}

TEST_CASE("G1 endomorphism and GLV decomposition", "[curve]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(34);
  // φ(x, y) = (βx, y) equals [λ](x, y), and β, λ are cube roots of unity.
  const Fq beta = Bn254G1Config::endomorphism_beta();
  const Fr lambda = Fr::from_canonical(Bn254G1Config::kLambda);
  CHECK((beta.square() * beta).is_one());
  CHECK(!beta.is_one());
  CHECK((lambda.square() * lambda).is_one());
  for (int i = 0; i < 5; ++i) {
    G1Affine p = (G1Jacobian::generator() * Fr::random(rng)).to_affine();
    CHECK(G1Affine{p.x * beta, p.y}.to_jacobian() == p.to_jacobian() * lambda);
  }
  BigInt<4> two127{0, 1ull << 63, 0, 0};
  std::vector<BigInt<4>> ks = {{}, bigint::from_u64<4>(1), Fr::kHalfModulusMinus1};
  BigInt<4> rm1{};
  bigint::sub(rm1, Fr::kModulus, bigint::from_u64<4>(1));
  ks.push_back(rm1);
  for (int i = 0; i < 2000; ++i) ks.push_back(Fr::random(rng).to_canonical());
  for (const auto& k : ks) {
    const auto g = Bn254G1Config::glv_decompose(k);
    Fr k1 = Fr::from_canonical(g.k1), k2 = Fr::from_canonical(g.k2);
    if (g.neg1) k1 = -k1;
    if (g.neg2) k2 = -k2;
    INFO("k=0x" << bigint::to_hex(k));
    CHECK(k1 + k2 * lambda == Fr::from_canonical(k));
    CHECK(bigint::compare(g.k1, two127) < 0);
    CHECK(bigint::compare(g.k2, two127) < 0);
  }
}

TEMPLATE_TEST_CASE("XYZZ coordinates agree with Jacobian ones", "[curve]", Bn254G1Config, Bn254G2Config) {
  using Config = TestType;
  using J = JacobianPoint<Config>;
  using X = XyzzPoint<Config>;
  using A = AffinePoint<Config>;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(35);
  for (int i = 0; i < 20; ++i) {
    J a = random_point<J>(rng), b = random_point<J>(rng);
    A aa = a.to_affine(), ba = b.to_affine();
    X xa = X::from_affine(aa).add_mixed(ba);  // a + b in XYZZ with ZZ != 1
    CHECK(xa.to_jacobian() == a + b);
    CHECK(xa.to_affine() == (a + b).to_affine());
    CHECK((xa + X::from_affine(aa)).to_jacobian() == a + a + b);
    CHECK(xa.dbl().to_jacobian() == (a + b).dbl());
    CHECK((xa + xa).to_jacobian() == (a + b).dbl());                  // P + P through the general add
    CHECK(X::from_affine(aa).add_mixed(aa).to_jacobian() == a.dbl());  // doubling through mixed add
    CHECK(X::from_affine(aa).add_mixed(-aa).is_infinity());            // P + (-P)
    CHECK((xa + X::from_affine((-(a + b)).to_affine())).is_infinity());
    CHECK(X::infinity().add_mixed(aa).to_jacobian() == a);
    CHECK(xa.add_mixed(A::infinity()).to_jacobian() == a + b);
    CHECK((X::infinity() + xa).to_jacobian() == a + b);
  }
  CHECK(X::infinity().to_jacobian().is_infinity());
  CHECK(X::infinity().dbl().is_infinity());
}
