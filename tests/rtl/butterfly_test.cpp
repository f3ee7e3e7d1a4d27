// butterfly (hw/rtl/ntt) in both forms against Fr arithmetic.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Vbutterfly_ct.h"
#include "Vbutterfly_gs.h"
#include "harness/clocked_model.hpp"
#include "harness/wide_port.hpp"
#include "stream_check.hpp"
#include "support/test_rng.hpp"
#include "zkacc/field/bigint.hpp"
#include "zkacc/field/bn254.hpp"

namespace {

using zkacc::Fr;
using zkacc::sim::ClockedModel;
using zkacc::sim::pack256;
using zkacc::sim::unpack256;
using zkacc::test::run_stream;
using zkacc::test::StreamTiming;

constexpr unsigned kButterflyLatency = 30;  // documented in butterfly.sv
constexpr unsigned kTagBits = 16;

enum class Form { CooleyTukey, GentlemanSande };

struct Vector {
  Fr a, b, w, x, y;
};

std::string hex(const Fr& v) { return "0x" + zkacc::bigint::to_hex(v.montgomery_repr()); }

std::vector<Vector> make_vectors(Form form, std::size_t n, std::mt19937_64& rng) {
  const std::vector<Fr> edges = {Fr::zero(), Fr::one(), -Fr::one(), Fr::from_montgomery_unchecked({1, 0, 0, 0}),
                                 Fr::root_of_unity(28), Fr::root_of_unity(1)};
  std::vector<Vector> v;
  for (const auto& a : edges)
    for (const auto& b : edges)
      for (const auto& w : edges) v.push_back({a, b, w, {}, {}});
  for (std::size_t i = 0; i < n; ++i) v.push_back({Fr::random(rng), Fr::random(rng), Fr::random(rng), {}, {}});
  for (auto& t : v) {
    if (form == Form::CooleyTukey) {
      const Fr wb = t.w * t.b;
      t.x = t.a + wb;
      t.y = t.a - wb;
    } else {
      t.x = t.a + t.b;
      t.y = (t.a - t.b) * t.w;
    }
  }
  return v;
}

template <class Model>
void check_butterfly(Form form, std::uint64_t salt, const char* what) {
  auto rng = zkacc::test::make_rng(salt);
  const auto v = make_vectors(form, zkacc::test::scaled(10000), rng);
  ClockedModel<Model> m;
  m.reset();
  auto run = [&](StreamTiming timing) {
    run_stream(
        m, v.size(), kButterflyLatency, timing, rng, kTagBits,
        [&](std::size_t i) {
          pack256(m->a_i, v[i].a.montgomery_repr());
          pack256(m->b_i, v[i].b.montgomery_repr());
          pack256(m->w_i, v[i].w.montgomery_repr());
        },
        [&](std::size_t i) -> std::string {
          const Fr x = Fr::from_montgomery_unchecked(unpack256(m->x_o));
          const Fr y = Fr::from_montgomery_unchecked(unpack256(m->y_o));
          if (x == v[i].x && y == v[i].y) return {};
          std::ostringstream s;
          s << what << " vector " << i << ": a = " << hex(v[i].a) << ", b = " << hex(v[i].b) << ", w = " << hex(v[i].w)
            << ": got (" << hex(x) << ", " << hex(y) << "), expected (" << hex(v[i].x) << ", " << hex(v[i].y)
            << ") (Montgomery form; ZKACC_TEST_SEED=" << zkacc::test::test_seed() << ")";
          return s.str();
        });
  };
  SECTION("back to back") { run({0.0, 0.0}); }
  SECTION("random bubbles and stalls") { run({0.25, 0.15}); }
}

}  // namespace

TEST_CASE("rtl butterfly, Cooley-Tukey form, matches Fr", "[rtl][ntt]") {
  check_butterfly<Vbutterfly_ct>(Form::CooleyTukey, 511, "butterfly CT");
}

TEST_CASE("rtl butterfly, Gentleman-Sande form, matches Fr", "[rtl][ntt]") {
  check_butterfly<Vbutterfly_gs>(Form::GentlemanSande, 512, "butterfly GS");
}

TEST_CASE("rtl butterfly flags a twiddle that is not reduced", "[rtl][ntt]") {
  ClockedModel<Vbutterfly_ct> m;
  m.reset();
  m->en_i = 1;
  m->valid_i = 1;
  m->tag_i = 0;
  pack256(m->a_i, Fr::kR);
  pack256(m->b_i, Fr::kR);
  pack256(m->w_i, Fr::kModulus);
  m.tick();
  CHECK(m.assertion_failures() > 0);
}
