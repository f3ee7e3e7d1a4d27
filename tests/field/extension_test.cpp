// The Fq2/Fq6/Fq12 tower: Fq2 multiplication against GMP, field axioms on
// random elements, Frobenius maps against exponentiation by q, and the sparse
// products of the Miller loop against full products.
#include <catch2/catch.hpp>

#include "support/gmp_oracle.hpp"
#include "support/test_rng.hpp"
#include "zkacc/field/fq12.hpp"

using namespace zkacc;
using zkacc::test::to_mpz;

TEST_CASE("Fq2 product and square match GMP complex arithmetic", "[field]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(20);
  const mpz_class q = zkacc::test::modulus_mpz<Fq>();
  auto mod = [&](const mpz_class& v) { return mpz_class(((v % q) + q) % q); };
  for (std::size_t i = 0; i < zkacc::test::scaled(2000); ++i) {
    Fq2 a = Fq2::random(rng), b = Fq2::random(rng);
    mpz_class a0 = to_mpz(a.c0), a1 = to_mpz(a.c1), b0 = to_mpz(b.c0), b1 = to_mpz(b.c1);
    Fq2 c = a * b;
    CHECK(to_mpz(c.c0) == mod(a0 * b0 - a1 * b1));  // u^2 = -1
    CHECK(to_mpz(c.c1) == mod(a0 * b1 + a1 * b0));
    Fq2 s = a.square();
    CHECK(to_mpz(s.c0) == mod(a0 * a0 - a1 * a1));
    CHECK(to_mpz(s.c1) == mod(2 * a0 * a1));
    Fq2 x = a.mul_by_xi();  // (a0 + a1 u)(9 + u)
    CHECK(to_mpz(x.c0) == mod(9 * a0 - a1));
    CHECK(to_mpz(x.c1) == mod(a0 + 9 * a1));
  }
}

TEMPLATE_TEST_CASE("extension fields satisfy the field axioms", "[field]", Fq2, Fq6, Fq12) {
  using F = TestType;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(21);
  for (int i = 0; i < 50; ++i) {
    F a = F::random(rng), b = F::random(rng), c = F::random(rng);
    CHECK((a * b) * c == a * (b * c));
    CHECK(a * b == b * a);
    CHECK(a * (b + c) == a * b + a * c);
    CHECK(a.square() == a * a);
    CHECK(a + (-a) == F::zero());
    CHECK(a * F::one() == a);
    CHECK(a * a.inverse() == F::one());
    CHECK(a - b + b == a);
  }
  CHECK_THROWS(F::zero().inverse());
}

TEMPLATE_TEST_CASE("Frobenius maps equal exponentiation by q", "[field]", Fq2, Fq6, Fq12) {
  using F = TestType;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(22);
  for (int i = 0; i < 3; ++i) {
    F a = F::random(rng);
    F aq = a;
    for (int k = 1; k <= 6; ++k) {
      aq = aq.pow(Fq::kModulus);
      INFO("k=" << k);
      CHECK(a.frobenius(k) == aq);
    }
  }
}

TEST_CASE("Fq2 square roots", "[field]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(23);
  int roots = 0, non_roots = 0;
  for (int i = 0; i < 200; ++i) {
    Fq2 a = Fq2::random(rng);
    auto r = a.square().sqrt();
    REQUIRE(r.has_value());
    CHECK(r->square() == a.square());
    auto s = a.sqrt();
    // Half of Fq2* are squares; a^((q^2-1)/2) = 1 exactly for them.
    if (s) {
      CHECK(s->square() == a);
      ++roots;
    } else {
      ++non_roots;
    }
  }
  CHECK(roots > 50);
  CHECK(non_roots > 50);
}

TEST_CASE("sparse products equal full products", "[field]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(24);
  for (int i = 0; i < 50; ++i) {
    Fq12 f = Fq12::random(rng);
    Fq2 d0 = Fq2::random(rng), d3 = Fq2::random(rng), d4 = Fq2::random(rng);
    Fq12 line{{d0, Fq2::zero(), Fq2::zero()}, {d3, d4, Fq2::zero()}};
    CHECK(f.mul_by_034(d0, d3, d4) == f * line);
    Fq6 g = Fq6::random(rng);
    CHECK(g.mul_by_01(d0, d3) == g * Fq6{d0, d3, Fq2::zero()});
    CHECK(g.mul_by_v() == g * Fq6{Fq2::zero(), Fq2::one(), Fq2::zero()});
  }
}
