// g1_xyzz_madd (hw/rtl/msm): XYZZ bucket + affine point against the C++
// reference G1Jacobian::add_mixed, compared as affine points. A doubling is
// two passes: the first returns the point with out_dbl_o, the second (in_dbl_i)
// returns twice the point whatever the bucket inputs hold. And the adder's
// two stand-ins (sim/models) against the RTL, cycle for cycle: the simulation
// model (the kernels' *_cpp_adder builds) bit for bit whenever a result is
// valid, the RTL bridge (the all-RTL kernels: the RTL model behind a DPI
// shell) on every output in every cycle, resets included.
#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "Vg1_xyzz_madd.h"
#include "Vg1_xyzz_madd_model.h"
#include "Vg1_xyzz_madd_rtl_bridge.h"
#include "harness/clocked_model.hpp"
#include "harness/wide_port.hpp"
#include "support/test_rng.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/field/bigint.hpp"

namespace {

using zkacc::Fq;
using zkacc::Fr;
using zkacc::G1Affine;
using zkacc::G1Jacobian;
using zkacc::sim::ClockedModel;
using zkacc::sim::pack256;
using zkacc::sim::unpack256;

constexpr unsigned kAdderLatency = 161;  // documented in g1_xyzz_madd.sv
constexpr unsigned kTagBits = 16;
constexpr unsigned kBridgeTagBits = 12;  // -GTagWidth of Vg1_xyzz_madd_rtl_bridge (a kernel's)

// A bucket in XYZZ coordinates: (X, Y, ZZ, ZZZ) = (x·z², y·z³, z², z³); the
// point at infinity has ZZ = ZZZ = 0.
struct Xyzz {
  Fq x, y, zz, zzz;
};

Xyzz to_xyzz(const G1Affine& p, const Fq& z) {
  if (p.is_infinity()) return {Fq::one(), Fq::one(), Fq::zero(), Fq::zero()};
  const Fq z2 = z.square(), z3 = z2 * z;
  return {p.x * z2, p.y * z3, z2, z3};
}

// x = X/ZZ, y = Y/ZZZ; infinity when ZZ = 0.
G1Affine to_affine(const Xyzz& b) {
  if (b.zz.is_zero()) return G1Affine::infinity();
  return {b.x * b.zz.inverse(), b.y * b.zzz.inverse()};
}

std::string hex(const Fq& v) { return "0x" + zkacc::bigint::to_hex(v.montgomery_repr()); }
std::string describe(const Xyzz& b) {
  return "(" + hex(b.x) + ", " + hex(b.y) + ", " + hex(b.zz) + ", " + hex(b.zzz) + ")";
}
std::string describe(const G1Affine& p) { return "(" + hex(p.x) + ", " + hex(p.y) + ")"; }

struct Op {
  const char* kind;
  Xyzz bucket;
  G1Affine point;
  G1Affine expected;
  bool dbl_pass = false;    // in_dbl_i
  bool expect_dbl = false;  // out_dbl_o
};

G1Affine random_point(std::mt19937_64& rng) {
  return G1Jacobian::generator().mul_vartime(Fr::random(rng).to_canonical()).to_affine();
}

Fq random_nonzero(std::mt19937_64& rng) {
  for (;;) {
    const Fq z = Fq::random(rng);
    if (!z.is_zero()) return z;
  }
}

Op make_op(const char* kind, const G1Affine& b, const Fq& z, const G1Affine& p) {
  const Xyzz bucket = to_xyzz(b, z);
  return {kind, bucket, p, b.to_jacobian().add_mixed(p).to_affine()};
}

// First pass of bucket = point: the point comes back, flagged for doubling.
Op make_first_pass(const G1Affine& a, const Fq& z) { return {"doubling, first pass", to_xyzz(a, z), a, a, false, true}; }

// Doubling pass: 2a; the bucket inputs (here another point, or infinity) are
// ignored.
Op make_doubling_pass(const G1Affine& a, const Xyzz& junk) {
  return {"doubling pass", junk, a, a.to_jacobian().add_mixed(a).to_affine(), true, false};
}

// Edge cases first (each also repeated with fresh points), then random sums.
std::vector<Op> make_ops(std::size_t n, std::mt19937_64& rng) {
  std::vector<Op> ops;
  const G1Affine inf = G1Affine::infinity();
  for (int rep = 0; rep < 8; ++rep) {
    const G1Affine a = rep == 0 ? G1Affine::generator() : random_point(rng);
    const G1Affine b = random_point(rng);
    const Fq z = rep == 0 ? Fq::one() : random_nonzero(rng);
    ops.push_back(make_first_pass(a, z));
    ops.push_back(make_doubling_pass(a, to_xyzz(b, random_nonzero(rng))));
    ops.push_back(make_doubling_pass(a, to_xyzz(inf, z)));
    ops.push_back(make_doubling_pass(-a, to_xyzz(a, z)));
    ops.push_back(make_op("P + (-P)", a, z, -a));
    ops.push_back(make_op("bucket at infinity", inf, z, b));
    ops.push_back(make_op("point at infinity", a, z, inf));
    ops.push_back(make_op("both at infinity", inf, z, inf));
    ops.push_back(make_op("distinct points", a, z, b));
  }
  for (std::size_t i = 0; i < n; ++i) {
    const G1Affine a = random_point(rng);
    // Mostly distinct points; a few doublings (both passes) and negations
    // mixed into the stream.
    const unsigned roll = static_cast<unsigned>(rng() % 64);
    if (roll == 0) {
      ops.push_back(make_first_pass(a, random_nonzero(rng)));
    } else if (roll == 1) {
      ops.push_back(make_doubling_pass(a, to_xyzz(random_point(rng), random_nonzero(rng))));
    } else {
      const G1Affine p = roll == 2 ? -a : random_point(rng);
      ops.push_back(make_op(roll == 2 ? "P + (-P)" : "distinct points", a, random_nonzero(rng), p));
    }
  }
  return ops;
}

template <class Model>
void present(Model& io, const Op& op, std::size_t index, unsigned tag_bits = kTagBits) {
  io.in_tag_i = static_cast<SData>(index & ((1u << tag_bits) - 1));
  io.in_dbl_i = op.dbl_pass;
  pack256(io.bucket_x_i, op.bucket.x.montgomery_repr());
  pack256(io.bucket_y_i, op.bucket.y.montgomery_repr());
  pack256(io.bucket_zz_i, op.bucket.zz.montgomery_repr());
  pack256(io.bucket_zzz_i, op.bucket.zzz.montgomery_repr());
  pack256(io.point_x_i, op.point.x.montgomery_repr());
  pack256(io.point_y_i, op.point.y.montgomery_repr());
}

template <class Model>
Xyzz read_sum(Model& io) {
  auto f = [](const VlWide<8>& w) { return Fq::from_montgomery_unchecked(unpack256(w)); };
  return {f(io.sum_x_o), f(io.sum_y_o), f(io.sum_zz_o), f(io.sum_zzz_o)};
}

// Streams `ops` with random bubbles and stalls (an input offered during a
// stall is held until taken, as the interface requires); checks every result,
// its tag and that it leaves exactly kAdderLatency advancing cycles after its
// input was taken.
void stream(ClockedModel<Vg1_xyzz_madd>& m, const std::vector<Op>& ops, double bubble_p, double stall_p,
            std::mt19937_64& rng) {
  SEED_INFO();
  std::bernoulli_distribution bubble(bubble_p), stall(stall_p);
  std::vector<std::uint64_t> taken_at(ops.size());
  std::uint64_t advanced = 0;
  std::size_t next_in = 0, next_out = 0;
  bool offered = false;  // an input is on the ports and must stay until taken
  const std::uint64_t failures_before = m.assertion_failures();
  for (std::size_t c = 0; c < 4 * ops.size() + 1000 && next_out < ops.size(); ++c) {
    if (!offered && next_in < ops.size() && !bubble(rng)) {
      present(m.io(), ops[next_in], next_in);
      offered = true;
    }
    const bool stalled = stall(rng);
    m->in_valid_i = offered;
    m->stall_i = stalled;
    m.tick();
    if (stalled) continue;
    ++advanced;
    if (offered) {
      taken_at[next_in++] = advanced - 1;
      offered = false;
    }
    if (m->out_valid_o) {
      const Op& op = ops[next_out];
      INFO("result " << next_out << " (" << op.kind << "): bucket " << describe(op.bucket) << " + point "
                     << describe(op.point) << " (Montgomery form)");
      REQUIRE(next_out < next_in);
      REQUIRE(m->out_tag_o == (next_out & ((1u << kTagBits) - 1)));
      REQUIRE(advanced - taken_at[next_out] == kAdderLatency);
      REQUIRE(bool(m->out_dbl_o) == op.expect_dbl);
      const Xyzz sum = read_sum(m.io());
      INFO("got " << describe(sum));
      // A valid XYZZ point: ZZ³ = ZZZ², both zero exactly at infinity.
      REQUIRE(sum.zz.square() * sum.zz == sum.zzz.square());
      REQUIRE(sum.zz.is_zero() == sum.zzz.is_zero());
      const G1Affine got = to_affine(sum);
      INFO("affine " << describe(got) << ", expected " << describe(op.expected));
      REQUIRE(got == op.expected);
      ++next_out;
    }
  }
  REQUIRE(next_out == ops.size());
  REQUIRE(m.assertion_failures() == failures_before);
}

}  // namespace

TEST_CASE("rtl g1_xyzz_madd matches G1Jacobian::add_mixed", "[rtl][msm]") {
  auto rng = zkacc::test::make_rng(521);
  const auto ops = make_ops(zkacc::test::scaled(2000), rng);
  ClockedModel<Vg1_xyzz_madd> m;
  m.reset();
  SECTION("back to back") { stream(m, ops, 0.0, 0.0, rng); }
  SECTION("random bubbles and stalls") { stream(m, ops, 0.25, 0.2, rng); }
}

// Both adders fed the same inputs every cycle: random ops with bubbles (the
// ports then hold leftover or random data with in_valid_i low) and stalls.
// The outputs must agree every cycle: out_valid_o always, the tag, the
// doubling flag and all four coordinates whenever it is set.
TEST_CASE("sim model of g1_xyzz_madd equals the RTL cycle for cycle", "[rtl][msm]") {
  auto rng = zkacc::test::make_rng(523);
  const auto ops = make_ops(zkacc::test::scaled(1500), rng);
  ClockedModel<Vg1_xyzz_madd> rtl;
  ClockedModel<Vg1_xyzz_madd_model> model;
  rtl.reset();
  model.reset();
  const auto [bubble_p, stall_p] = GENERATE(std::pair{0.0, 0.0}, std::pair{0.3, 0.25});
  SEED_INFO();
  INFO("bubbles " << bubble_p << ", stalls " << stall_p);
  std::bernoulli_distribution bubble(bubble_p), stall(stall_p), junk(0.5);
  std::size_t next_in = 0, valid_outputs = 0;
  bool offered = false;
  for (std::size_t c = 0; c < 4 * ops.size() + 1000 && valid_outputs < ops.size(); ++c) {
    if (!offered && next_in < ops.size()) {
      if (!bubble(rng)) {
        present(rtl.io(), ops[next_in], next_in);
        present(model.io(), ops[next_in], next_in);
        offered = true;
      } else if (junk(rng)) {
        const Op& other = ops[rng() % ops.size()];
        const std::size_t tag = rng();
        present(rtl.io(), other, tag);
        present(model.io(), other, tag);
      }
    }
    const bool stalled = stall(rng);
    rtl->in_valid_i = model->in_valid_i = offered;
    rtl->stall_i = model->stall_i = stalled;
    rtl.tick();
    model.tick();
    if (!stalled && offered) {
      ++next_in;
      offered = false;
    }
    INFO("cycle " << c);
    REQUIRE(bool(model->out_valid_o) == bool(rtl->out_valid_o));
    if (rtl->out_valid_o) {
      ++valid_outputs;
      REQUIRE(model->out_tag_o == rtl->out_tag_o);
      REQUIRE(bool(model->out_dbl_o) == bool(rtl->out_dbl_o));
      const Xyzz a = read_sum(rtl.io()), b = read_sum(model.io());
      INFO("RTL " << describe(a) << ", model " << describe(b));
      REQUIRE(a.x == b.x);
      REQUIRE(a.y == b.y);
      REQUIRE(a.zz == b.zz);
      REQUIRE(a.zzz == b.zzz);
    }
  }
  REQUIRE(valid_outputs == ops.size());
  REQUIRE(rtl.assertion_failures() == 0);
  REQUIRE(model.assertion_failures() == 0);
}

TEST_CASE("sim model of g1_xyzz_madd flags a coordinate not below q", "[rtl][msm]") {
  auto rng = zkacc::test::make_rng(524);
  ClockedModel<Vg1_xyzz_madd_model> m;
  m.reset();
  present(m.io(), make_op("distinct points", random_point(rng), random_nonzero(rng), random_point(rng)), 0);
  pack256(m->bucket_zzz_i, Fq::kModulus);
  m->stall_i = 0;
  m->in_valid_i = 1;
  m.tick();
  CHECK(m.assertion_failures() > 0);
}

TEST_CASE("rtl g1_xyzz_madd flags bad input and protocol violations", "[rtl][msm]") {
  auto rng = zkacc::test::make_rng(522);
  ClockedModel<Vg1_xyzz_madd> m;
  m.reset();
  const G1Affine a = random_point(rng);
  Op op = make_op("distinct points", a, random_nonzero(rng), random_point(rng));

  SECTION("coordinate not below q") {
    present(m.io(), op, 0);
    pack256(m->point_y_i, Fq::kModulus);
    m->stall_i = 0;
    m->in_valid_i = 1;
    m.tick();
    CHECK(m.assertion_failures() > 0);
  }
  SECTION("valid dropped while stalled") {
    present(m.io(), op, 0);
    m->stall_i = 1;
    m->in_valid_i = 1;
    m.tick();
    CHECK(m.assertion_failures() == 0);
    m->in_valid_i = 0;
    m.tick();
    CHECK(m.assertion_failures() > 0);
  }
  SECTION("data changed while stalled") {
    present(m.io(), op, 0);
    m->stall_i = 1;
    m->in_valid_i = 1;
    m.tick();
    present(m.io(), op, 1);  // a different tag
    m.tick();
    CHECK(m.assertion_failures() > 0);
  }
}

// The bridge (TagWidth 12, the shell around a Vg1_xyzz_madd of its own) and
// the RTL fed the same inputs every cycle, as above, plus resets in the
// middle of the stream: rst_ni falling with the clock low (the harnesses'
// way) and with it high, held for a few cycles with the inputs still moving.
// Every output must agree after every evaluation, valid or not (stale data
// included: it is the same RTL), and out_valid_o must drop at the first
// rising edge with rst_ni low (the reset is synchronous), not before.
TEST_CASE("RTL bridge of g1_xyzz_madd equals the RTL on every output, resets included", "[rtl][msm]") {
  auto rng = zkacc::test::make_rng(525);
  const auto ops = make_ops(zkacc::test::scaled(1000), rng);
  ClockedModel<Vg1_xyzz_madd> rtl;
  ClockedModel<Vg1_xyzz_madd_rtl_bridge> bridge;
  rtl.reset();
  bridge.reset();
  const auto [bubble_p, stall_p] = GENERATE(std::pair{0.0, 0.0}, std::pair{0.3, 0.25});
  SEED_INFO();
  INFO("bubbles " << bubble_p << ", stalls " << stall_p);
  std::bernoulli_distribution bubble(bubble_p), stall(stall_p), junk(0.5);
  std::size_t c = 0, next_in = 0, valid_outputs = 0, resets = 0;
  auto same_outputs = [&](const char* when) {
    INFO("cycle " << c << ", " << when);
    REQUIRE(bool(bridge->out_valid_o) == bool(rtl->out_valid_o));
    REQUIRE(bridge->out_tag_o == rtl->out_tag_o);
    REQUIRE(bool(bridge->out_dbl_o) == bool(rtl->out_dbl_o));
    REQUIRE(unpack256(bridge->sum_x_o) == unpack256(rtl->sum_x_o));
    REQUIRE(unpack256(bridge->sum_y_o) == unpack256(rtl->sum_y_o));
    REQUIRE(unpack256(bridge->sum_zz_o) == unpack256(rtl->sum_zz_o));
    REQUIRE(unpack256(bridge->sum_zzz_o) == unpack256(rtl->sum_zzz_o));
  };
  auto eval_both = [&] {
    rtl.make_current();
    rtl->eval();
    bridge.make_current();
    bridge->eval();
  };
  bool offered = false;
  for (; c < 4 * ops.size() + 1000 && next_in < ops.size(); ++c) {
    if (!offered) {
      if (!bubble(rng)) {
        present(rtl.io(), ops[next_in], next_in, kBridgeTagBits);
        present(bridge.io(), ops[next_in], next_in, kBridgeTagBits);
        offered = true;
      } else if (junk(rng)) {
        const Op& other = ops[rng() % ops.size()];
        const std::size_t tag = rng();
        present(rtl.io(), other, tag, kBridgeTagBits);
        present(bridge.io(), other, tag, kBridgeTagBits);
      }
    }
    const bool stalled = stall(rng);
    rtl->in_valid_i = bridge->in_valid_i = offered;
    rtl->stall_i = bridge->stall_i = stalled;
    if (c % 600 == 300) {
      // rst_ni falls between edges, with the clock low (first) or high
      // (next), a full pipeline behind it; the next cycles clock the
      // pipeline in reset.
      const bool high = resets++ % 2 == 1;
      if (high) {
        rtl->clk_i = bridge->clk_i = 1;
        eval_both();
        same_outputs("clock high");
      }
      const bool valid_before = rtl->out_valid_o;
      rtl->rst_ni = bridge->rst_ni = 0;
      eval_both();
      same_outputs("rst_ni fallen");
      REQUIRE(bool(rtl->out_valid_o) == valid_before);  // no edge yet: nothing reset
      if (high) {
        rtl->clk_i = bridge->clk_i = 0;
        eval_both();
      }
      for (int i = 0; i < 3; ++i) {
        rtl.tick();
        bridge.tick();
        same_outputs("in reset");
        REQUIRE(!rtl->out_valid_o);
      }
      rtl->rst_ni = bridge->rst_ni = 1;
      eval_both();
      same_outputs("reset released");
      offered = false;  // dropped by the reset: the stream goes on with the next op
      ++next_in;
      continue;
    }
    rtl.tick();
    bridge.tick();
    if (!stalled && offered) {
      ++next_in;
      offered = false;
    }
    same_outputs("after the edge");
    if (rtl->out_valid_o) ++valid_outputs;
  }
  CHECK(next_in == ops.size());
  CHECK(resets >= 2);
  CHECK(valid_outputs > ops.size() / 3);
  CHECK(rtl.assertion_failures() == 0);
  CHECK(bridge.assertion_failures() == 0);
}

// The RTL adder's own assertions run in the bridge's inner model and count
// in the context of the model that holds the bridge.
TEST_CASE("RTL bridge of g1_xyzz_madd: the RTL's assertions fire through it", "[rtl][msm]") {
  auto rng = zkacc::test::make_rng(526);
  ClockedModel<Vg1_xyzz_madd_rtl_bridge> m;
  m.reset();
  const Op op = make_op("distinct points", random_point(rng), random_nonzero(rng), random_point(rng));
  present(m.io(), op, 0, kBridgeTagBits);
  m->stall_i = 0;
  m->in_valid_i = 1;
  m.tick();
  REQUIRE(m.assertion_failures() == 0);
  SECTION("coordinate not below q") {
    pack256(m->point_x_i, Fq::kModulus);
    m.tick();
    CHECK(m.assertion_failures() > 0);
  }
  SECTION("valid dropped while stalled") {
    m->stall_i = 1;
    m.tick();
    CHECK(m.assertion_failures() == 0);
    m->in_valid_i = 0;
    m.tick();
    CHECK(m.assertion_failures() > 0);
  }
}
