// NttDomain against independent models: the O(n²) DFT sum for n ≤ 2^10,
// Horner evaluation of the polynomial at random domain points for larger n,
// and schoolbook polynomial multiplication; plus round trips, coset
// identities, every input/output order, several tunings and thread counts,
// and rejection of bad sizes.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/ntt_tuning.hpp"
#include "support/test_rng.hpp"
#include "zkacc/ntt/ntt_domain.hpp"

using namespace zkacc;

namespace {

using Vec = std::vector<Fr>;

constexpr Order kOrders[] = {Order::Natural, Order::BitReversed};
constexpr NttDirection kDirections[] = {NttDirection::Forward, NttDirection::Inverse};

// Tunings that move work between the whole-array passes and the block phase,
// so that small sizes (where the DFT is affordable) exercise both, with every
// fusion depth and with uneven stage counts.
std::vector<NttTuning> tunings() {
  std::vector<NttTuning> t;
  t.push_back(NttTuning{});
  t.push_back(NttTuning{.block_log = 0, .outer_fuse = 1, .inner_fuse = 1, .parallel_min_log = 0});
  t.push_back(NttTuning{.block_log = 3, .outer_fuse = 2, .inner_fuse = 2, .parallel_min_log = 0});
  t.push_back(NttTuning{.block_log = 5, .outer_fuse = 4, .inner_fuse = 3, .parallel_min_log = 0});
  t.push_back(NttTuning{.block_log = 7, .outer_fuse = 3, .inner_fuse = 4, .parallel_min_log = 0});
  return t;
}

using test::describe;
using test::random_vec;

std::size_t log2_exact(std::size_t n) { return static_cast<std::size_t>(std::countr_zero(n)); }

// values in natural order → stored in `order`, and back (an involution).
Vec reorder(const Vec& v, Order order) {
  if (order == Order::Natural) return v;
  Vec r(v.size());
  const std::size_t k = log2_exact(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) r[reverse_bits(static_cast<std::uint32_t>(i), k)] = v[i];
  return r;
}

// Σ_j x_j · root^(i·j), and for the inverse n^-1 · Σ_j x_j · root^(-i·j).
Vec dft(const Vec& x, NttDirection direction) {
  const std::size_t n = x.size();
  Fr w = Fr::root_of_unity(log2_exact(n));
  if (direction == NttDirection::Inverse) w = w.inverse();
  Vec pw(n);
  pw[0] = Fr::one();
  for (std::size_t i = 1; i < n; ++i) pw[i] = pw[i - 1] * w;
  Vec out(n);
  for (std::size_t i = 0; i < n; ++i) {
    Fr acc;
    for (std::size_t j = 0; j < n; ++j) acc += x[j] * pw[(i * j) % n];
    out[i] = acc;
  }
  if (direction == NttDirection::Inverse) {
    const Fr n_inv = Fr::from_u64(n).inverse();
    for (auto& v : out) v *= n_inv;
  }
  return out;
}

// Σ_j c_j · z^j by Horner's rule.
Fr horner(const Vec& c, const Fr& z) {
  Fr acc;
  for (std::size_t j = c.size(); j-- > 0;) acc = acc * z + c[j];
  return acc;
}

Vec transformed(const NttDomain& d, Vec v, NttDirection dir, Order in, Order out, ThreadPool& pool) {
  d.transform(v, dir, in, out, pool);
  return v;
}

}  // namespace

TEST_CASE("forward and inverse NTT equal the DFT sum for n <= 2^10, every order and tuning", "[ntt]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(1);
  ThreadPool pool(2);
  for (std::size_t k = 0; k <= 10; ++k) {
    const std::size_t n = std::size_t(1) << k;
    const Vec x = random_vec(n, rng);
    for (NttDirection dir : kDirections) {
      const Vec expected = dft(x, dir);
      for (const NttTuning& tuning : tunings()) {
        const NttDomain d(n, tuning);
        for (Order in : kOrders)
          for (Order out : kOrders) {
            INFO("n=" << n << " inverse=" << (dir == NttDirection::Inverse) << " in=" << int(in)
                      << " out=" << int(out) << " " << describe(tuning));
            CHECK(transformed(d, reorder(x, in), dir, in, out, pool) == reorder(expected, out));
          }
      }
    }
  }
}

TEST_CASE("sizes 1 and 2", "[ntt]") {
  ThreadPool pool(1);
  auto rng = zkacc::test::make_rng(2);
  const Fr a = Fr::random(rng), b = Fr::random(rng);
  {
    const NttDomain d(1);
    CHECK(d.log_size() == 0);
    CHECK(d.root() == Fr::one());
    for (NttDirection dir : kDirections) CHECK(transformed(d, {a}, dir, Order::Natural, Order::Natural, pool) == Vec{a});
    Vec v{a};
    d.coset_forward(v, pool);
    CHECK(v == Vec{a});
    d.coset_inverse(v, pool);
    CHECK(v == Vec{a});
  }
  {
    const NttDomain d(2);
    CHECK(d.root() == -Fr::one());
    CHECK(transformed(d, {a, b}, NttDirection::Forward, Order::Natural, Order::Natural, pool) == Vec{a + b, a - b});
    const Fr half = Fr::from_u64(2).inverse();
    CHECK(transformed(d, {a, b}, NttDirection::Inverse, Order::Natural, Order::Natural, pool) ==
          Vec{(a + b) * half, (a - b) * half});
    // Coset g·{1, -1}: (a + b·g, a - b·g).
    const Fr g = Fr::from_u64(7);
    Vec v{a, b};
    d.coset_forward(v, g, pool);
    CHECK(v == Vec{a + b * g, a - b * g});
  }
}

TEST_CASE("the domain uses snarkjs's roots of unity", "[ntt]") {
  // root_of_unity(k) generates the order-2^k subgroup, and the domain's
  // forward transform evaluates at its powers: X_1 = p(ω).
  ThreadPool pool(1);
  for (std::size_t k : {1u, 5u, 12u}) {
    const NttDomain d = NttDomain::from_log_size(k);
    const Fr w = Fr::root_of_unity(k);
    CHECK(d.root() == w);
    CHECK(d.root_inverse() * w == Fr::one());
    CHECK(d.size_inverse() * Fr::from_u64(d.size()) == Fr::one());
    CHECK(d.element(0) == Fr::one());
    CHECK(d.element(1) == w);
    CHECK(d.element(d.size() - 1) * w == Fr::one());
    Vec x(d.size());
    x[1] = Fr::one();  // p(X) = X
    d.forward(x, pool);
    CHECK(x[1] == w);
  }
}

TEST_CASE("inverse(forward(x)) = x for n up to 2^16, every order", "[ntt]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(3);
  ThreadPool pool(2);
  for (std::size_t k = 0; k <= 16; ++k) {
    const NttDomain d = NttDomain::from_log_size(k);
    const Vec x = random_vec(d.size(), rng);
    for (Order mid : kOrders)
      for (Order end : kOrders) {
        INFO("k=" << k << " mid=" << int(mid) << " end=" << int(end));
        Vec v = reorder(x, end);
        d.forward(v, pool, end, mid);
        d.inverse(v, pool, mid, end);
        CHECK(v == reorder(x, end));
        d.inverse(v, pool, end, mid);
        d.forward(v, pool, mid, end);
        CHECK(v == reorder(x, end));
      }
  }
}

TEST_CASE("forward NTT evaluates the polynomial at ω^i for n from 2^11 to 2^17 (Horner)", "[ntt]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(4);
  ThreadPool pool(2);
  const std::size_t points = zkacc::test::scaled(4);
  for (std::size_t k = 11; k <= 17; ++k) {
    const NttDomain d = NttDomain::from_log_size(k);
    const Vec x = random_vec(d.size(), rng);
    for (Order in : kOrders)
      for (Order out : kOrders) {
        INFO("k=" << k << " in=" << int(in) << " out=" << int(out));
        const Vec evals = reorder(transformed(d, reorder(x, in), NttDirection::Forward, in, out, pool), out);
        const Vec coeffs = reorder(transformed(d, reorder(evals, in), NttDirection::Inverse, in, out, pool), out);
        CHECK(coeffs == x);
        for (std::size_t t = 0; t < points; ++t) {
          const std::size_t i = rng() % d.size();
          INFO("i=" << i);
          CHECK(evals[i] == horner(x, d.element(i)));
        }
      }
  }
}

TEST_CASE("coset transforms evaluate on shift·H and invert exactly", "[ntt]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(5);
  ThreadPool pool(2);
  for (std::size_t k : {3u, 10u, 13u}) {
    const NttDomain d = NttDomain::from_log_size(k);
    const Vec x = random_vec(d.size(), rng);
    // The default generator 5, snarkjs's Groth16 shift (a primitive 2n-th
    // root of unity, so shift·H are the odd powers of ω_2n), and a random one.
    const Fr shifts[] = {NttDomain::default_coset_shift(), Fr::root_of_unity(k + 1), Fr::random(rng)};
    for (const Fr& g : shifts) {
      // Coset forward = forward of the coefficients scaled by g^j.
      Vec scaled = x;
      Fr gj = Fr::one();
      for (auto& c : scaled) {
        c *= gj;
        gj *= g;
      }
      Vec expected = scaled;
      d.forward(expected, pool);
      for (Order in : kOrders)
        for (Order out : kOrders) {
          INFO("k=" << k << " in=" << int(in) << " out=" << int(out));
          Vec v = reorder(x, in);
          d.coset_forward(v, g, pool, in, out);
          CHECK(v == reorder(expected, out));
          // Coset inverse undoes it, into either order.
          for (Order back : kOrders) {
            Vec w = v;
            d.coset_inverse(w, g, pool, out, back);
            CHECK(w == reorder(x, back));
          }
        }
      const std::size_t i = rng() % d.size();
      CHECK(expected[i] == horner(x, g * d.element(i)));
    }
  }
  // The default-shift overloads use 5.
  const NttDomain d(16);
  const Vec x = random_vec(16, rng);
  Vec a = x, b = x;
  d.coset_forward(a, pool);
  d.coset_forward(b, Fr::from_u64(5), pool);
  CHECK(a == b);
  d.coset_inverse(a, pool);
  CHECK(a == x);
}

TEST_CASE("polynomial product via NTT equals the schoolbook product", "[ntt]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(6);
  ThreadPool pool(2);
  for (std::size_t k : {1u, 4u, 9u, 11u}) {
    const NttDomain d = NttDomain::from_log_size(k);
    const std::size_t n = d.size();
    // deg a + deg b < n: na + nb - 1 ≤ n.
    const std::size_t na = n / 2 + (n > 1 ? 1 : 0), nb = n - na + 1;
    const Vec a = random_vec(na, rng), b = random_vec(nb, rng);
    Vec expected(n);
    for (std::size_t i = 0; i < na; ++i)
      for (std::size_t j = 0; j < nb; ++j) expected[i + j] += a[i] * b[j];
    Vec fa = a, fb = b;
    fa.resize(n);
    fb.resize(n);
    SECTION("on H, bit-reversed evaluations in between, k=" + std::to_string(k)) {
      d.forward(fa, pool, Order::Natural, Order::BitReversed);
      d.forward(fb, pool, Order::Natural, Order::BitReversed);
      for (std::size_t i = 0; i < n; ++i) fa[i] *= fb[i];
      d.inverse(fa, pool, Order::BitReversed, Order::Natural);
      CHECK(fa == expected);
    }
    SECTION("on the coset 5·H, k=" + std::to_string(k)) {
      d.coset_forward(fa, pool);
      d.coset_forward(fb, pool);
      for (std::size_t i = 0; i < n; ++i) fa[i] *= fb[i];
      d.coset_inverse(fa, pool);
      CHECK(fa == expected);
    }
  }
}

TEST_CASE("multithreaded transforms equal single-threaded ones", "[ntt]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(7);
  ThreadPool one(1), two(2), three(3);
  for (std::size_t k : {11u, 12u, 15u, 17u}) {
    const NttDomain d = NttDomain::from_log_size(k);
    const Vec x = random_vec(d.size(), rng);
    const Fr g = Fr::random(rng);
    for (NttDirection dir : kDirections)
      for (Order in : kOrders)
        for (Order out : kOrders) {
          INFO("k=" << k << " inverse=" << (dir == NttDirection::Inverse) << " in=" << int(in)
                    << " out=" << int(out));
          const Vec ref = transformed(d, x, dir, in, out, one);
          CHECK(transformed(d, x, dir, in, out, two) == ref);
          CHECK(transformed(d, x, dir, in, out, three) == ref);
        }
    Vec a = x, b = x;
    d.coset_forward(a, g, one, Order::BitReversed, Order::Natural);
    d.coset_forward(b, g, three, Order::BitReversed, Order::Natural);
    CHECK(a == b);
  }
}

TEST_CASE("bad sizes, spans and shifts are rejected with a clear error", "[ntt]") {
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(NttDomain(0), Contains("not a power of two"));
  CHECK_THROWS_WITH(NttDomain(3), Contains("not a power of two"));
  CHECK_THROWS_WITH(NttDomain(1000), Contains("size 1000 is not a power of two"));
  CHECK_THROWS_WITH(NttDomain((std::size_t(1) << 20) + 1), Contains("not a power of two"));
  CHECK_THROWS_WITH(NttDomain(std::size_t(1) << 29), Contains("2^29 exceeds 2^28"));
  CHECK_THROWS_WITH(NttDomain::from_log_size(29), Contains("2^29 exceeds 2^28"));
  CHECK_THROWS_AS(NttDomain(8, NttTuning{.outer_fuse = 0}), Error);
  CHECK_THROWS_AS(NttDomain(8, NttTuning{.inner_fuse = 5}), Error);

  ThreadPool pool(1);
  const NttDomain d(8);
  Vec short_v(7), long_v(16), ok(8);
  CHECK_THROWS_WITH(d.forward(short_v, pool), Contains("input has 7 elements, the domain has 8"));
  CHECK_THROWS_WITH(d.inverse(long_v, pool), Contains("input has 16 elements"));
  CHECK_THROWS_AS(d.coset_forward(short_v, pool), Error);
  CHECK_THROWS_AS(d.coset_inverse(long_v, pool), Error);
  CHECK_THROWS_AS(d.bit_reverse(short_v, pool), Error);
  CHECK_THROWS_WITH(d.coset_forward(ok, Fr::zero(), pool), Contains("shift must be non-zero"));
  CHECK_THROWS_WITH(d.coset_inverse(ok, Fr::zero(), pool), Contains("shift must be non-zero"));
}
