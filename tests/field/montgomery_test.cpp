// BN254 Fq and Fr against GMP: every operation on edge cases and on 10,000
// seeded random operands, plus conversions and rejection of bad input.
#include <catch2/catch.hpp>

#include <vector>

#include "support/gmp_oracle.hpp"
#include "support/test_rng.hpp"
#include "zkacc/field/bn254.hpp"

using namespace zkacc;
using zkacc::test::from_mpz;
using zkacc::test::to_mpz;

namespace {

constexpr std::size_t kRandomOperands = 10000;

// Edge cases: 0, 1, 2, p-1, p-2, (p-1)/2, (p+1)/2, and values around 2^253
// and 2^254 - the top of the range, where the final conditional subtraction
// of add and of the Montgomery product is exercised.
template <class F>
std::vector<mpz_class> edge_values() {
  const mpz_class p = zkacc::test::modulus_mpz<F>();
  std::vector<mpz_class> v = {0, 1, 2, 3, p - 1, p - 2, (p - 1) / 2, (p + 1) / 2, p - 3};
  mpz_class two253 = mpz_class(1) << 253;
  v.push_back(two253 - 1);
  v.push_back(two253);
  v.push_back(two253 + 1);
  mpz_class R = (mpz_class(1) << 256) % p;
  v.push_back(R);          // canonical R: its Montgomery form is R^2
  v.push_back(p - R);
  v.push_back(mpz_class(1) << 64);
  v.push_back((mpz_class(1) << 192) - 1);
  return v;
}

template <class F>
std::vector<mpz_class> operands(std::uint64_t salt) {
  auto v = edge_values<F>();
  auto rng = zkacc::test::make_rng(salt);
  const std::size_t n = zkacc::test::scaled(kRandomOperands);
  for (std::size_t i = 0; i < n; ++i) v.push_back(to_mpz(F::random(rng)));
  return v;
}

template <class F>
F from_mpz_field(const mpz_class& v) {
  return F::from_canonical(from_mpz(v));
}

}  // namespace

TEMPLATE_TEST_CASE("field constants are derived correctly", "[field]", Fq, Fr) {
  using F = TestType;
  const mpz_class p = zkacc::test::modulus_mpz<F>();
  CHECK(mpz_probab_prime_p(p.get_mpz_t(), 30) > 0);
  const mpz_class R = (mpz_class(1) << 256) % p;
  CHECK(to_mpz(F::kR) == R);
  CHECK(to_mpz(F::kR2) == (R * R) % p);
  CHECK(to_mpz(F::kR3) == (R * R * R) % p);
  // -p^-1 mod 2^64
  mpz_class two64 = mpz_class(1) << 64;
  mpz_class check = (mpz_class(F::kInv) * p + 1) % two64;
  CHECK(check == 0);
  CHECK(F::kBits == mpz_sizeinbase(p.get_mpz_t(), 2));
  CHECK(F::one().to_canonical() == bigint::from_u64<4>(1));
  CHECK(F::zero().is_zero());
}

TEMPLATE_TEST_CASE("add, sub, neg, double, half match GMP", "[field]", Fq, Fr) {
  using F = TestType;
  SEED_INFO();
  const mpz_class p = zkacc::test::modulus_mpz<F>();
  auto xs = operands<F>(1);
  auto ys = operands<F>(2);
  std::size_t failures = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    // Pair every edge value with every edge value, then random with random.
    const mpz_class& a = xs[i];
    const mpz_class& b = ys[(i * 7) % ys.size()];
    F fa = from_mpz_field<F>(a), fb = from_mpz_field<F>(b);
    mpz_class sum = (a + b) % p;
    mpz_class diff = ((a - b) % p + p) % p;
    mpz_class neg = (p - a) % p;
    mpz_class half = (a * ((p + 1) / 2)) % p;
    bool ok = to_mpz(fa + fb) == sum && to_mpz(fa - fb) == diff && to_mpz(-fa) == neg &&
              to_mpz(fa.dbl()) == (2 * a) % p && to_mpz(fa.half()) == half;
    if (!ok && failures++ < 5) FAIL_CHECK("a=" << a.get_str() << " b=" << b.get_str());
  }
  CHECK(failures == 0);
  // All edge-value pairs.
  auto edges = edge_values<F>();
  for (auto& a : edges)
    for (auto& b : edges) {
      F fa = from_mpz_field<F>(a), fb = from_mpz_field<F>(b);
      INFO("a=" << a.get_str() << " b=" << b.get_str());
      CHECK(to_mpz(fa + fb) == (a + b) % p);
      CHECK(to_mpz(fa - fb) == ((a - b) % p + p) % p);
    }
}

TEMPLATE_TEST_CASE("mul and square match GMP", "[field]", Fq, Fr) {
  using F = TestType;
  SEED_INFO();
  const mpz_class p = zkacc::test::modulus_mpz<F>();
  auto xs = operands<F>(3);
  auto ys = operands<F>(4);
  std::size_t failures = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const mpz_class& a = xs[i];
    const mpz_class& b = ys[(i * 13) % ys.size()];
    F fa = from_mpz_field<F>(a), fb = from_mpz_field<F>(b);
    F prod = fa;
    prod *= fb;
    bool ok = to_mpz(fa * fb) == (a * b) % p && to_mpz(prod) == (a * b) % p && to_mpz(fa.square()) == (a * a) % p;
    if (!ok && failures++ < 5) FAIL_CHECK("a=" << a.get_str() << " b=" << b.get_str());
  }
  CHECK(failures == 0);
  auto edges = edge_values<F>();
  for (auto& a : edges) {
    F fa = from_mpz_field<F>(a);
    INFO("a=" << a.get_str());
    CHECK(to_mpz(fa.square()) == (a * a) % p);
    for (auto& b : edges) CHECK(to_mpz(fa * from_mpz_field<F>(b)) == (a * b) % p);
  }
}

// Both Montgomery products, whichever one this build and CPU use for
// operator*: the portable loop always, the BMI2/ADX kernel where it is
// compiled in and this CPU has it (a portable build runs either).
TEMPLATE_TEST_CASE("the portable and the BMI2/ADX products both match GMP", "[field]", Fq, Fr) {
  using F = TestType;
  SEED_INFO();
  const mpz_class p = zkacc::test::modulus_mpz<F>();
  const mpz_class r_inv = [&] {
    mpz_class r = (mpz_class(1) << 256) % p, inv;
    mpz_invert(inv.get_mpz_t(), r.get_mpz_t(), p.get_mpz_t());
    return inv;
  }();
  std::vector<mpz_class> xs = operands<F>(2);
  const std::vector<mpz_class> edges = edge_values<F>();
  xs.insert(xs.end(), edges.begin(), edges.end());
  std::size_t failures = 0, adx_checked = 0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    // Montgomery-form operands: the products work on the limbs directly.
    const mpz_class& a = xs[i];
    const mpz_class& b = xs[(i * 7 + 3) % xs.size()];
    const typename F::Repr ra = from_mpz(a), rb = from_mpz(b);
    const mpz_class expected = a * b % p * r_inv % p;
    typename F::Repr r{};
    F::mont_mul_portable(r, ra, rb);
    bool ok = to_mpz(r) == expected;
#ifdef ZKACC_HAVE_MONT_MUL_ADX
    if (zkacc::detail::use_mulx_adx()) {
      typename F::Repr s{};
      zkacc::detail::mont_mul_adx(s.data(), ra.data(), rb.data(), F::kModulus.data(), F::kInv);
      ok &= to_mpz(s) == expected;
      ++adx_checked;
    }
#endif
    if (!ok && failures++ < 5) FAIL_CHECK("a=" << a.get_str() << " b=" << b.get_str());
  }
  CHECK(failures == 0);
#if defined(ZKACC_HAVE_MONT_MUL_ADX) && ZKACC_MULX_ADX_MODE == 2
  CHECK(adx_checked == xs.size());  // a build that always uses the kernel checked it
#endif
}

TEMPLATE_TEST_CASE("inverse, pow, legendre, sqrt match GMP", "[field]", Fq, Fr) {
  using F = TestType;
  SEED_INFO();
  const mpz_class p = zkacc::test::modulus_mpz<F>();
  auto xs = operands<F>(5);
  // Inversion and square roots cost ~100x a multiplication: a quarter of the operands.
  xs.resize(edge_values<F>().size() + zkacc::test::scaled(kRandomOperands / 4));
  std::size_t failures = 0;
  auto rng = zkacc::test::make_rng(6);
  for (const mpz_class& a : xs) {
    F fa = from_mpz_field<F>(a);
    bool ok = true;
    if (a != 0) {
      mpz_class inv;
      mpz_invert(inv.get_mpz_t(), a.get_mpz_t(), p.get_mpz_t());
      ok &= to_mpz(fa.inverse()) == inv;
      ok &= to_mpz(fa.inverse_vartime()) == inv;
    }
    ok &= fa.legendre() == mpz_legendre(a.get_mpz_t(), p.get_mpz_t());
    auto root = fa.sqrt();
    if (mpz_legendre(a.get_mpz_t(), p.get_mpz_t()) >= 0) {
      ok &= root.has_value() && root->square() == fa;
    } else {
      ok &= !root.has_value();
    }
    BigInt<4> e{rng(), rng(), rng(), rng()};
    mpz_class expected;
    mpz_powm(expected.get_mpz_t(), a.get_mpz_t(), to_mpz(e).get_mpz_t(), p.get_mpz_t());
    ok &= to_mpz(fa.pow(e)) == expected;
    if (!ok && failures++ < 5) FAIL_CHECK("a=" << a.get_str());
  }
  CHECK(failures == 0);
  CHECK_THROWS_WITH(F::zero().inverse(), Catch::Contains("inverse of zero"));
  CHECK_THROWS_WITH(F::zero().inverse_vartime(), Catch::Contains("inverse of zero"));
}

TEMPLATE_TEST_CASE("roots of unity have the order they claim", "[field]", Fq, Fr) {
  using F = TestType;
  for (std::size_t k = 0; k <= F::kTwoAdicity; ++k) {
    F w = F::root_of_unity(k);
    F x = w;
    for (std::size_t i = 0; i < k; ++i) x = x.square();
    INFO("k=" << k);
    CHECK(x.is_one());
    if (k > 0) {
      F y = w;
      for (std::size_t i = 0; i + 1 < k; ++i) y = y.square();
      CHECK(y == -F::one());  // order exactly 2^k
    }
  }
  CHECK_THROWS_WITH(F::root_of_unity(F::kTwoAdicity + 1), Catch::Contains("no 2^"));
}

TEST_CASE("Fr roots of unity are snarkjs's", "[field]") {
  // ffjavascript takes the smallest non-residue (5) to the power (r-1)/2^28.
  CHECK(Fr::kTwoAdicity == 28);
  CHECK(Fr::root_of_unity(28).to_decimal() ==
        "19103219067921713944291392827692070036145651957329286315305642004821462161904");
}

TEMPLATE_TEST_CASE("decimal, byte and Montgomery round trips", "[field]", Fq, Fr) {
  using F = TestType;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(7);
  for (std::size_t i = 0; i < 1000; ++i) {
    F a = i < 3 ? (i == 0 ? F::zero() : i == 1 ? F::one() : -F::one()) : F::random(rng);
    CHECK(F::from_decimal(a.to_decimal()) == a);
    CHECK(a.to_decimal() == to_mpz(a).get_str());
    auto le = a.to_bytes_le();
    auto be = a.to_bytes_be();
    CHECK(F::from_bytes_le(le) == a);
    CHECK(F::from_bytes_be(be) == a);
    for (std::size_t j = 0; j < 32; ++j) CHECK(le[j] == be[31 - j]);
    CHECK(F::from_montgomery_bytes_le(a.to_montgomery_bytes_le()) == a);
    // Montgomery bytes are a·R mod p.
    const mpz_class p = zkacc::test::modulus_mpz<F>();
    CHECK(to_mpz(a.montgomery_repr()) == (to_mpz(a) * ((mpz_class(1) << 256) % p)) % p);
  }
}

TEMPLATE_TEST_CASE("out-of-range and malformed input is rejected", "[field]", Fq, Fr) {
  using F = TestType;
  const mpz_class p = zkacc::test::modulus_mpz<F>();
  CHECK_THROWS_WITH(F::from_decimal(p.get_str()), Catch::Contains("not below the modulus"));
  CHECK_THROWS_WITH(F::from_decimal(mpz_class(p + 1).get_str()), Catch::Contains("not below the modulus"));
  CHECK_THROWS_WITH(F::from_decimal(mpz_class((mpz_class(1) << 256) + 1).get_str()), Catch::Contains("not a decimal integer"));
  for (const char* bad : {"", "-1", " 1", "1 ", "0x10", "12a", "+5", "1e5"})
    CHECK_THROWS_WITH(F::from_decimal(bad), Catch::Contains("not a decimal integer"));
  CHECK(F::from_decimal("007") == F::from_u64(7));  // leading zeros are still canonical digits

  std::array<std::uint8_t, 32> bytes{};
  auto p_limbs = F::kModulus;
  for (std::size_t i = 0; i < 32; ++i) bytes[i] = static_cast<std::uint8_t>(p_limbs[i / 8] >> (8 * (i % 8)));
  CHECK_THROWS_WITH(F::from_bytes_le(bytes), Catch::Contains("not below the modulus"));
  CHECK_THROWS_WITH(F::from_montgomery_bytes_le(bytes), Catch::Contains("not below the modulus"));
  std::array<std::uint8_t, 32> ff;
  ff.fill(0xff);
  CHECK_THROWS(F::from_bytes_be(ff));
  CHECK_THROWS(F::from_canonical(F::kModulus));
  // The reducing constructor says so in its name and does reduce.
  CHECK(F::from_integer_reduce(F::kModulus).is_zero());
}

TEMPLATE_TEST_CASE("batch inversion matches single inversions and keeps zeros", "[field]", Fq, Fr) {
  using F = TestType;
  SEED_INFO();
  auto rng = zkacc::test::make_rng(8);
  for (std::size_t n : {0, 1, 2, 17, 1000}) {
    std::vector<F> xs(n);
    for (std::size_t i = 0; i < n; ++i) xs[i] = (i % 5 == 3) ? F::zero() : F::random(rng);
    std::vector<F> ys = xs;
    batch_inverse(std::span<F>(ys));
    for (std::size_t i = 0; i < n; ++i) {
      if (xs[i].is_zero()) CHECK(ys[i].is_zero());
      else CHECK(ys[i] == xs[i].inverse());
    }
  }
}

// The optimized binary GCD under inverse_vartime must reach gcd 1 within its
// fixed rounds on every input (its fallback would hide a miss from the test
// above): checked on the raw integers, with shapes that stress the 64-bit
// approximations (a much shorter than m, long runs of equal top bits, powers
// of two, m − 2^k) besides random values.
TEMPLATE_TEST_CASE("The binary GCD inverse converges within its rounds", "[field]", Fq, Fr) {
  using F = TestType;
  SEED_INFO();
  const mpz_class p = zkacc::test::modulus_mpz<F>();
  std::vector<mpz_class> xs = {1, 2, 3, p - 1, p - 2, (p - 1) / 2, (p + 1) / 2};
  for (unsigned k = 1; k < 254; ++k) {
    const mpz_class two_k = mpz_class(1) << k;
    if (two_k < p) xs.push_back(two_k);
    if (two_k < p) xs.push_back(p - two_k);
    if (two_k - 1 < p) xs.push_back(two_k - 1);
    xs.push_back(p / two_k + 1);  // the top bits of p, shifted down
  }
  auto rng = zkacc::test::make_rng(7);
  for (std::size_t i = 0; i < zkacc::test::scaled(20000); ++i) {
    mpz_class x = to_mpz(F::random(rng).to_canonical());
    if (i % 4 == 1) x >>= (rng() % 250);  // short against m
    if (x != 0) xs.push_back(x);
  }
  const mpz_class factor = mpz_class(1) << field_detail::BinaryGcd::kFactorBits;
  std::size_t failures = 0;
  for (const mpz_class& x : xs) {
    BigInt<4> v;
    const bool converged = field_detail::binary_gcd_inverse(from_mpz(x), F::kModulus, F::kInv, v);
    mpz_class inv;
    mpz_invert(inv.get_mpz_t(), x.get_mpz_t(), p.get_mpz_t());
    const bool ok = converged && to_mpz(v) < p && (to_mpz(v) * factor) % p == inv;
    if (!ok && failures++ < 5) FAIL_CHECK("x=" << x.get_str() << " converged=" << converged);
  }
  CHECK(failures == 0);
}
