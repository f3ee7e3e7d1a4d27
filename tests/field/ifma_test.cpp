// IfmaX8 (8-lane AVX-512 IFMA arithmetic) against the scalar field: products,
// sums and differences on edge values (every pair) and seeded random ones,
// the conversions in and out of its R = 2^260 domain, and the CPU check
// against the kernel's own report. The IFMA cases are skipped, with a
// message, on a CPU without IFMA.
#include <catch2/catch.hpp>

#include <array>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/ifma_skip.hpp"
#include "support/test_rng.hpp"
#include "zkacc/field/bn254.hpp"
#include "zkacc/field/ifma_x8.hpp"

using namespace zkacc;


namespace {

constexpr std::size_t kRandomVectors = 2000;  // of eight elements each

template <class F>
using Repr = typename F::Repr;

template <class F>
Repr<F> sub_repr(const Repr<F>& a, std::uint64_t v) {
  Repr<F> r{};
  bigint::sub(r, a, bigint::from_u64<4>(v));
  return r;
}

Repr<Fr> pow2_minus(std::size_t k, std::uint64_t v) {
  Repr<Fr> r{};
  r[k / 64] = std::uint64_t(1) << (k % 64);
  bigint::sub(r, r, bigint::from_u64<4>(v));
  return r;
}

// Stored values (the Montgomery form ā, which is what the IFMA code sees)
// at the edges of the field and of both limb layouts: 0, 1, 2, p-1, p-2,
// p-3, (p±1)/2, around 2^253 (the top of p's range), and 2^k - 1, 2^k for
// the 52-bit limb boundaries k = 52, 104, 156, 208 and the 64-bit ones.
template <class F>
std::vector<F> edge_values() {
  std::vector<Repr<F>> r = {bigint::from_u64<4>(0), bigint::from_u64<4>(1), bigint::from_u64<4>(2),
                            sub_repr<F>(F::kModulus, 1), sub_repr<F>(F::kModulus, 2), sub_repr<F>(F::kModulus, 3),
                            F::kHalfModulusMinus1};
  Repr<F> half_plus = F::kHalfModulusMinus1;
  bigint::add(half_plus, half_plus, bigint::from_u64<4>(1));
  r.push_back(half_plus);
  for (std::size_t k : {52, 64, 104, 128, 156, 192, 208, 253}) {
    r.push_back(pow2_minus(k, 1));
    r.push_back(pow2_minus(k, 0));
  }
  Repr<F> above = pow2_minus(253, 0);
  bigint::add(above, above, bigint::from_u64<4>(1));
  r.push_back(above);  // 2^253 + 1
  r.push_back(F::kR);  // the stored one
  Repr<F> p_minus_r{};
  bigint::sub(p_minus_r, F::kModulus, F::kR);
  r.push_back(p_minus_r);  // the stored -1
  std::vector<F> v;
  for (const auto& x : r) v.push_back(F::from_montgomery(x));  // throws if an edge were >= p
  return v;
}

// Pairs (a, b): every edge with every edge, then random with random.
template <class F>
void operand_pairs(std::uint64_t salt, std::vector<F>& as, std::vector<F>& bs) {
  const auto edges = edge_values<F>();
  for (const F& a : edges)
    for (const F& b : edges) {
      as.push_back(a);
      bs.push_back(b);
    }
  auto rng = zkacc::test::make_rng(salt);
  const std::size_t n = zkacc::test::scaled(kRandomVectors) * 8;
  for (std::size_t i = 0; i < n; ++i) {
    as.push_back(F::random(rng));
    bs.push_back(F::random(rng));
  }
  while (as.size() % 8 != 0) {  // whole vectors
    as.push_back(F::one());
    bs.push_back(-F::one());
  }
}

std::string hex(const Repr<Fr>& r) { return bigint::to_hex(r); }

}  // namespace

TEST_CASE("cpu_has_avx512ifma agrees with the kernel's CPU flags", "[field][ifma]") {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  std::set<std::string> flags;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    for (std::string w; words >> w;) flags.insert(w);
    break;
  }
  if (flags.empty()) {
    WARN("SKIPPED: no /proc/cpuinfo flags to compare with");
    return;
  }
  const bool listed = flags.count("avx512f") && flags.count("avx512dq") && flags.count("avx512bw") &&
                      flags.count("avx512vl") && flags.count("avx512ifma");
  CHECK(cpu_has_avx512ifma() == listed);
}

#ifdef ZKACC_HAVE_IFMA_X8

TEMPLATE_TEST_CASE("IfmaX8 products, sums and differences equal the scalar field's", "[field][ifma]", Fq, Fr) {
  using F = TestType;
  using V = IfmaX8<F>;
  ZKACC_SKIP_WITHOUT_IFMA();
  SEED_INFO();
  std::vector<F> as, bs;
  operand_pairs<F>(11, as, bs);
  std::size_t failures = 0;
  for (std::size_t i = 0; i < as.size(); i += 8) {
    std::array<F, 8> mul{}, add{}, sub{}, mul_r256{};
    const V a = V::load(&as[i]), b = V::load(&bs[i]);
    (a * b).store(mul.data());
    (a + b).store(add.data());
    (a - b).store(sub.data());
    // The R = 2^256 product on the stored forms, no conversion.
    V::mul_r256(V::load_repr(&as[i]), V::load_repr(&bs[i])).store_repr(mul_r256.data());
    for (std::size_t l = 0; l < 8; ++l) {
      const F& x = as[i + l];
      const F& y = bs[i + l];
      const bool ok = mul[l] == x * y && add[l] == x + y && sub[l] == x - y && mul_r256[l] == x * y;
      if (!ok && ++failures <= 5) {
        INFO("a = " << x.to_decimal() << ", b = " << y.to_decimal());
        CHECK(mul[l] == x * y);
        CHECK(mul_r256[l] == x * y);
        CHECK(add[l] == x + y);
        CHECK(sub[l] == x - y);
      }
      // Canonical: the stored form is below p (== compares limbs).
      if (bigint::compare(mul[l].montgomery_repr(), F::kModulus) >= 0 ||
          bigint::compare(mul_r256[l].montgomery_repr(), F::kModulus) >= 0 ||
          bigint::compare(add[l].montgomery_repr(), F::kModulus) >= 0 ||
          bigint::compare(sub[l].montgomery_repr(), F::kModulus) >= 0)
        ++failures;
    }
  }
  CHECK(failures == 0);
}

TEMPLATE_TEST_CASE("IfmaX8 conversions round-trip and hold a·2^260 mod p", "[field][ifma]", Fq, Fr) {
  using F = TestType;
  using V = IfmaX8<F>;
  ZKACC_SKIP_WITHOUT_IFMA();
  SEED_INFO();
  std::vector<F> xs = edge_values<F>();
  auto rng = zkacc::test::make_rng(12);
  for (std::size_t i = 0; i < zkacc::test::scaled(kRandomVectors) * 8; ++i) xs.push_back(F::random(rng));
  while (xs.size() % 8 != 0) xs.push_back(F::zero());
  // In the IFMA domain a is held as a·2^260 = (a·2^256)·16: the stored form
  // of 16a.
  const F sixteen = F::from_u64(16);
  std::size_t failures = 0;
  for (std::size_t i = 0; i < xs.size(); i += 8) {
    std::array<F, 8> back{}, raw{}, repr_back{};
    const V v = V::load(&xs[i]);
    v.store(back.data());
    v.store_repr(raw.data());
    V::load_repr(&xs[i]).store_repr(repr_back.data());
    for (std::size_t l = 0; l < 8; ++l) {
      const F& x = xs[i + l];
      if (back[l] == x && repr_back[l] == x && raw[l] == x * sixteen) continue;
      if (++failures <= 5) {
        INFO("stored form 0x" << bigint::to_hex(x.montgomery_repr()));
        CHECK(back[l] == x);
        CHECK(repr_back[l] == x);
        CHECK(raw[l] == x * sixteen);
      }
    }
  }
  CHECK(failures == 0);
  // broadcast puts one element, converted, in every lane.
  for (const F& a : edge_values<F>()) {
    std::array<F, 8> lanes{};
    V::broadcast(a).store(lanes.data());
    for (const F& l : lanes) CHECK(l == a);
  }
  // The conversion constant itself: 2^264 mod p.
  F c = F::one();
  for (int i = 0; i < 264; ++i) c = c.dbl();
  CHECK(hex(V::kToIfma) == hex(c.to_canonical()));
}

#endif
