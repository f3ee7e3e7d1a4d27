// mod_add, mod_sub and mont_mul (hw/rtl/arith) against the C++ reference
// MontgomeryField limb kernels, on Montgomery-form values.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Vmod_add_fq.h"
#include "Vmod_sub_fq.h"
#include "Vmont_mul_fq.h"
#include "Vmont_mul_fq_k.h"
#include "Vmont_mul_fr.h"
#include "harness/clocked_model.hpp"
#include "harness/wide_port.hpp"
#include "stream_check.hpp"
#include "support/test_rng.hpp"
#include "zkacc/field/bigint.hpp"
#include "zkacc/field/bn254.hpp"

namespace {

using zkacc::BigInt;
using zkacc::Fq;
using zkacc::Fr;
using zkacc::sim::ClockedModel;
using zkacc::sim::pack256;
using zkacc::sim::unpack256;
using zkacc::test::run_stream;
using zkacc::test::StreamTiming;
using Repr = BigInt<4>;

// Latencies documented in the cores' headers.
constexpr unsigned kModAddLatency = 3;
constexpr unsigned kMontMulLatency = 27;
constexpr unsigned kMontMulKaratsubaLatency = 35;  // Karatsuba = 1, the point adder's multiplier
constexpr unsigned kTagBits = 16;

struct Vector {
  Repr a, b, expected;
};

std::string hex(const Repr& v) { return "0x" + zkacc::bigint::to_hex(v); }

template <class Field>
Repr sub_one(const Repr& v) {
  Repr r{};
  zkacc::bigint::sub(r, v, zkacc::bigint::from_u64<4>(1));
  return r;
}

// Edge operands (Montgomery representations): 0, 1, 2, p − 1, p − 2, R mod p
// (the field's one), −1·R mod p, a value with every limb full below p, and
// the Karatsuba split's extremes.
template <class Field>
std::vector<Repr> edge_values() {
  const Repr p = Field::kModulus;
  const Repr pm1 = sub_one<Field>(p);
  return {Repr{}, zkacc::bigint::from_u64<4>(1), zkacc::bigint::from_u64<4>(2), pm1, sub_one<Field>(pm1),
          Field::kR, (-Field::one()).montgomery_repr(), Repr{~0ull, ~0ull, ~0ull, p[3] >> 1},
          // Karatsuba halves at their maximum: 2^127 − 1 (low half all ones)
          // and 2^253 − 1 (both halves all ones; below p, which exceeds 2^253).
          Repr{~0ull, ~0ull >> 1, 0, 0}, Repr{~0ull, ~0ull, ~0ull, ~0ull >> 35}};
}

// All edge pairs, then `n` random pairs of reduced values.
template <class Field, class Op>
std::vector<Vector> make_vectors(std::size_t n, std::mt19937_64& rng, Op op) {
  std::vector<Vector> v;
  const auto edges = edge_values<Field>();
  for (const auto& a : edges)
    for (const auto& b : edges) v.push_back({a, b, {}});
  for (std::size_t i = 0; i < n; ++i)
    v.push_back({Field::random(rng).montgomery_repr(), Field::random(rng).montgomery_repr(), {}});
  for (auto& x : v) op(x.expected, x.a, x.b);
  return v;
}

template <class Model>
void stream_binary(ClockedModel<Model>& m, const std::vector<Vector>& v, unsigned latency, StreamTiming timing,
                   std::mt19937_64& rng, const char* what) {
  run_stream(
      m, v.size(), latency, timing, rng, kTagBits,
      [&](std::size_t i) {
        pack256(m->a_i, v[i].a);
        pack256(m->b_i, v[i].b);
      },
      [&](std::size_t i) -> std::string {
        const Repr got = unpack256(m->c_o);
        if (got == v[i].expected) return {};
        std::ostringstream s;
        s << what << " vector " << i << ": a = " << hex(v[i].a) << ", b = " << hex(v[i].b) << ": got " << hex(got)
          << ", expected " << hex(v[i].expected) << " (ZKACC_TEST_SEED=" << zkacc::test::test_seed() << ")";
        return s.str();
      });
}

// Back to back, with bubbles, with bubbles and stalls: the same vectors each time.
template <class Model>
void check_core(const std::vector<Vector>& v, unsigned latency, std::mt19937_64& rng, const char* what) {
  ClockedModel<Model> m;
  m.reset();
  SECTION("back to back") { stream_binary(m, v, latency, {0.0, 0.0}, rng, what); }
  SECTION("random bubbles") { stream_binary(m, v, latency, {0.3, 0.0}, rng, what); }
  SECTION("random bubbles and stalls") { stream_binary(m, v, latency, {0.2, 0.2}, rng, what); }
}

// An unreduced operand (a = p) is flagged by the core's input assertion.
template <class Model, class Field>
void check_unreduced_flagged() {
  ClockedModel<Model> m;
  m.reset();
  m->en_i = 1;
  m->valid_i = 1;
  m->tag_i = 0;
  pack256(m->a_i, Field::kModulus);
  pack256(m->b_i, Field::kR);
  REQUIRE(m.assertion_failures() == 0);
  m.tick();
  CHECK(m.assertion_failures() > 0);
  // A reduced operand on the next beat raises no further flag.
  const auto after_bad = m.assertion_failures();
  pack256(m->a_i, Field::kR);
  m.tick();
  m->valid_i = 0;
  for (int i = 0; i < 40; ++i) m.tick();
  CHECK(m.assertion_failures() == after_bad);
}

}  // namespace

TEST_CASE("rtl mod_add matches Fq addition", "[rtl][arith]") {
  auto rng = zkacc::test::make_rng(501);
  const auto v = make_vectors<Fq>(zkacc::test::scaled(10000), rng, Fq::add_mod);
  check_core<Vmod_add_fq>(v, kModAddLatency, rng, "mod_add");
}

TEST_CASE("rtl mod_sub matches Fq subtraction", "[rtl][arith]") {
  auto rng = zkacc::test::make_rng(502);
  const auto v = make_vectors<Fq>(zkacc::test::scaled(10000), rng, Fq::sub_mod);
  check_core<Vmod_sub_fq>(v, kModAddLatency, rng, "mod_sub");
}

TEST_CASE("rtl mont_mul matches Fq::mont_mul", "[rtl][arith]") {
  auto rng = zkacc::test::make_rng(503);
  const auto v = make_vectors<Fq>(zkacc::test::scaled(10000), rng, Fq::mont_mul);
  check_core<Vmont_mul_fq>(v, kMontMulLatency, rng, "mont_mul Fq");
}

// One Karatsuba level: the edge operands make the half sums a0 + a1 carry
// (low half all ones) and the middle term z1 − z0 − z2 its extremes.
TEST_CASE("rtl mont_mul with Karatsuba matches Fq::mont_mul", "[rtl][arith]") {
  auto rng = zkacc::test::make_rng(505);
  const auto v = make_vectors<Fq>(zkacc::test::scaled(10000), rng, Fq::mont_mul);
  check_core<Vmont_mul_fq_k>(v, kMontMulKaratsubaLatency, rng, "mont_mul Fq (Karatsuba)");
}

TEST_CASE("rtl mont_mul matches Fr::mont_mul", "[rtl][arith]") {
  auto rng = zkacc::test::make_rng(504);
  const auto v = make_vectors<Fr>(zkacc::test::scaled(10000), rng, Fr::mont_mul);
  check_core<Vmont_mul_fr>(v, kMontMulLatency, rng, "mont_mul Fr");
}

TEST_CASE("rtl field cores flag an operand that is not reduced", "[rtl][arith]") {
  SECTION("mod_add") { check_unreduced_flagged<Vmod_add_fq, Fq>(); }
  SECTION("mod_sub") { check_unreduced_flagged<Vmod_sub_fq, Fq>(); }
  SECTION("mont_mul Fq") { check_unreduced_flagged<Vmont_mul_fq, Fq>(); }
  SECTION("mont_mul Fq (Karatsuba)") { check_unreduced_flagged<Vmont_mul_fq_k, Fq>(); }
  SECTION("mont_mul Fr") { check_unreduced_flagged<Vmont_mul_fr, Fr>(); }
}
