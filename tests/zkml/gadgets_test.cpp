// Soundness of the circuit gadgets: a valid witness satisfies the R1CS (over
// Fr, checked by the prover's check_witness), and changing any single value
// of it — an output, a sign bit, a remainder bit — or forging a known attack
// (a remainder out of range, a non-boolean bit, a decomposition wide enough
// to wrap the field) is rejected. Negative values and values at the limits
// of each range are covered.
#include <catch2/catch.hpp>

#include <functional>

#include "support/test_rng.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/zkml/gadgets.hpp"
#include "zkacc/zkml/quantize.hpp"
#include "zkacc/zkml/r1cs_builder.hpp"

using namespace zkacc;
using namespace zkacc::zkml;

namespace {

// A circuit with `inputs` free wires (1..inputs) and whatever the test adds.
struct Harness {
  R1csBuilder cs;
  std::uint32_t first_input;
  explicit Harness(std::uint32_t inputs) : first_input(cs.add_wires(inputs)) {}

  std::vector<Fr> field(const std::vector<std::int64_t>& w) const {
    std::vector<Fr> f;
    for (auto v : w) f.push_back(int_to_fr(v));
    return f;
  }
  bool satisfied(const std::vector<Fr>& w) const {
    try {
      prover::check_witness(cs.to_r1cs(0, 0), w, "witness");
      return true;
    } catch (const Error&) {
      return false;
    }
  }
  // Every wire but the constant, moved by +1 and by -1 (in Fr): each change
  // must break some constraint.
  void expect_every_change_rejected(const std::vector<Fr>& w) const {
    const prover::R1cs r = cs.to_r1cs(0, 0);
    for (std::uint32_t i = 1; i < w.size(); ++i)
      for (const Fr& delta : {Fr::one(), -Fr::one()}) {
        std::vector<Fr> t = w;
        t[i] += delta;
        INFO("wire " << i);
        CHECK_THROWS_AS(prover::check_witness(r, t, "tampered"), Error);
      }
  }
};

Int floor_div(Int a, Int d) {
  Int q = a / d;
  if (a % d != 0 && (a < 0)) --q;
  return q;
}

}  // namespace

TEST_CASE("range check: accepts 0 .. 2^b - 1, rejects everything else", "[zkml][gadgets]") {
  for (int width : {1, 5, 8, 16}) {
    INFO("width " << width);
    Harness h(1);
    const Bits bits = range_check(h.cs, Lc::wire(h.first_input), width);
    CHECK(h.cs.n_constraints() == static_cast<std::size_t>(width) + 1);  // b booleans + 1 sum: b + 1
    for (Int v : {Int(0), Int(1), (Int(1) << width) - 1}) {
      std::vector<std::int64_t> w(h.cs.n_wires(), 0);
      w[0] = 1;
      w[h.first_input] = static_cast<std::int64_t>(v);
      assign_bits(bits, v, w);
      const auto f = h.field(w);
      CHECK(h.satisfied(f));
      h.expect_every_change_rejected(f);
    }
    for (Int v : {Int(-1), Int(1) << width}) {
      std::vector<std::int64_t> w(h.cs.n_wires(), 0);
      CHECK_THROWS_AS(assign_bits(bits, v, w), Error);
    }
    // No assignment of booleans proves 2^b or -1: all bits set gives 2^b - 1.
    std::vector<std::int64_t> w(h.cs.n_wires(), 0);
    w[0] = 1;
    for (int i = 0; i < width; ++i) w[bits.first + static_cast<std::uint32_t>(i)] = 1;
    for (std::int64_t v : {std::int64_t(1) << width, std::int64_t(-1)}) {
      w[h.first_input] = v;
      CHECK_FALSE(h.satisfied(h.field(w)));
    }
    // A "bit" of 2 (non-boolean) that would make the sum reach 2^b is rejected.
    auto f = h.field(w);
    f[h.first_input] = int_to_fr((Int(1) << width) - 1 + (Int(1) << (width - 1)));
    f[bits.first + static_cast<std::uint32_t>(width - 1)] = Fr::from_u64(2);
    CHECK_FALSE(h.satisfied(f));
    // A field element that is "-1" as bits over Fr: (r - 1) has no b-bit decomposition.
    f = h.field(w);
    f[h.first_input] = -Fr::one();
    CHECK_FALSE(h.satisfied(f));
  }
}

TEST_CASE("range check: decompositions too wide to be sound are refused", "[zkml][gadgets]") {
  // With 254 booleans, Σ 2^i·b_i can exceed r and wrap: a "range check" of -1
  // would then pass as r - 1. The builder refuses more than 126 bits, the
  // widest whose coefficients 2^i are exact 128-bit integers.
  Harness h(1);
  CHECK_THROWS_WITH(range_check(h.cs, Lc::wire(1), 254), Catch::Contains("cannot wrap the field"));
  CHECK_THROWS_WITH(range_check(h.cs, Lc::wire(1), kMaxDecompositionBits + 1), Catch::Contains("cannot wrap the field"));
  // The widest allowed decomposition has the right coefficients: a value
  // with its top and bottom bits set is proved, one more than the maximum is not.
  const Bits bits = range_check(h.cs, Lc::wire(1), kMaxDecompositionBits);
  const Int top = Int(1) << (kMaxDecompositionBits - 1);
  std::vector<std::int64_t> w(h.cs.n_wires(), 0);
  w[0] = 1;
  assign_bits(bits, top + 3, w);
  std::vector<Fr> f = h.field(w);
  f[1] = int_to_fr(top + 3);  // the input does not fit an int64 wire
  CHECK(h.satisfied(f));
  f[1] = int_to_fr(top + 4);
  CHECK_FALSE(h.satisfied(f));
  CHECK_THROWS_AS(assign_bits(bits, 2 * top, w), Error);
}

TEST_CASE("rescale by 2^s: rounding, negative values, range limits, tampering", "[zkml][gadgets]") {
  for (const bool relu : {false, true}) {
    for (int s : {0, 1, 4, 7}) {
      const int B = 8;
      INFO("s = " << s << (relu ? " with relu" : ""));
      Harness h(1);
      const std::int64_t d = std::int64_t(1) << s;
      const Rescale g = rescale(h.cs, Lc::wire(h.first_input), d, B, relu);
      CHECK(h.cs.n_constraints() == static_cast<std::size_t>(s + B + 2));
      // The accumulators at the edges of the output range and around zero.
      const Int lo_acc = Int(-128) * d - d / 2, hi_acc = Int(127) * d + (d - 1) - d / 2;
      for (Int acc : {lo_acc, lo_acc + 1, Int(-d - 1), Int(-d / 2 - 1), Int(-d / 2), Int(-1), Int(0), Int(1),
                      Int(d / 2 - 1), Int(d / 2), Int(d), hi_acc - 1, hi_acc}) {
        INFO("acc = " << static_cast<long long>(acc));
        std::vector<std::int64_t> w(h.cs.n_wires(), 0);
        w[0] = 1;
        w[h.first_input] = static_cast<std::int64_t>(acc);
        const std::int64_t out = assign_rescale(g, acc, w);
        const Int q = floor_div(acc + d / 2, d);
        CHECK(out == (relu && q < 0 ? 0 : q));
        const auto f = h.field(w);
        REQUIRE(h.satisfied(f));
        h.expect_every_change_rejected(f);
        // Another rounding: out ± 1 with the remainder moved by ∓d. With the
        // remainder inside the same bit decomposition, the only way to write
        // it is with bits outside {0, 1}; try the nearest such forgery.
        if (!relu && s > 0) {
          auto t = f;
          t[g.out] += Fr::one();
          t[g.bits.first + static_cast<std::uint32_t>(s)] += Fr::one();  // quotient's lowest bit + 1
          CHECK_FALSE(h.satisfied(t));
        }
      }
      // One step outside either end cannot be assigned.
      for (Int acc : {lo_acc - 1, hi_acc + 1}) {
        std::vector<std::int64_t> w(h.cs.n_wires(), 0);
        w[0] = 1;
        CHECK_THROWS_AS(assign_rescale(g, acc, w), Error);
      }
    }
  }
}

TEST_CASE("rescale by d not a power of two: the remainder is bounded on both sides", "[zkml][gadgets]") {
  for (std::int64_t d : {3, 9, 25}) {
    const int B = 6;
    INFO("d = " << d);
    Harness h(1);
    const Rescale g = rescale(h.cs, Lc::wire(h.first_input), d, B, false);
    const Int lo_acc = Int(-32) * d - d / 2, hi_acc = Int(31) * d + (d - 1) - d / 2;
    for (Int acc : {lo_acc, Int(-d), Int(-1), Int(0), Int(d / 2), Int(d / 2 + 1), hi_acc}) {
      INFO("acc = " << static_cast<long long>(acc));
      std::vector<std::int64_t> w(h.cs.n_wires(), 0);
      w[0] = 1;
      w[h.first_input] = static_cast<std::int64_t>(acc);
      CHECK(assign_rescale(g, acc, w) == floor_div(acc + d / 2, d));
      const auto f = h.field(w);
      REQUIRE(h.satisfied(f));
      h.expect_every_change_rejected(f);

      // The unconstrained-remainder attack: quotient - 1, remainder + d. The
      // remainder's own bits can hold it (k bits reach 2^k - 1 ≥ d), but
      // d - 1 - remainder is then negative and has no bits: rejected.
      const Int q = floor_div(acc + d / 2, d), r = acc + d / 2 - q * d;
      if (q > -32 && r + d < (Int(1) << g.rem.width)) {
        std::vector<std::int64_t> t = w;
        t[g.out] = static_cast<std::int64_t>(q - 1);
        assign_bits(g.bits, q - 1 + 32, t);
        assign_bits(g.rem, r + d, t);
        auto tf = h.field(t);
        // Give d - 1 - r its best shot: the bits of (d - 1 - r) mod 2^k.
        const Int gap = d - 1 - (r + d);
        for (int i = 0; i < g.rem_gap.width; ++i)
          tf[g.rem_gap.first + static_cast<std::uint32_t>(i)] = int_to_fr((gap >> i) & 1);
        CHECK_FALSE(h.satisfied(tf));
      }
    }
  }
}

TEST_CASE("relu: the sign bit decides, and flipping it is rejected", "[zkml][gadgets]") {
  const int B = 10;
  Harness h(1);
  const Rescale g = rescale(h.cs, Lc::wire(h.first_input), 1, B, true);  // standalone Relu: d = 1
  const std::uint32_t sign = g.bits.first + static_cast<std::uint32_t>(B - 1);
  for (Int x : {Int(-512), Int(-511), Int(-1), Int(0), Int(1), Int(510), Int(511)}) {
    INFO("x = " << static_cast<long long>(x));
    std::vector<std::int64_t> w(h.cs.n_wires(), 0);
    w[0] = 1;
    w[h.first_input] = static_cast<std::int64_t>(x);
    CHECK(assign_rescale(g, x, w) == (x > 0 ? x : 0));
    CHECK(w[sign] == (x >= 0 ? 1 : 0));
    auto f = h.field(w);
    REQUIRE(h.satisfied(f));
    h.expect_every_change_rejected(f);
    // A negative input passed through as positive: sign flipped, output = x.
    auto t = f;
    t[sign] = Fr::one() - t[sign];
    t[g.out] = int_to_fr(x);
    CHECK_FALSE(h.satisfied(t));
    // A positive input zeroed: output 0 and sign 0.
    t = f;
    t[g.out] = Fr::zero();
    t[sign] = Fr::zero();
    if (x > 0) CHECK_FALSE(h.satisfied(t));
  }
  std::vector<std::int64_t> w(h.cs.n_wires(), 0);
  CHECK_THROWS_AS(assign_rescale(g, 512, w), Error);
  CHECK_THROWS_AS(assign_rescale(g, -513, w), Error);
}

TEST_CASE("max2: picks the larger, rejects the smaller or a flipped comparison", "[zkml][gadgets]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(0x3a11);
  const int W = 9;  // |a - b| < 256
  Harness h(2);
  const std::uint32_t a = h.first_input, b = h.first_input + 1;
  const Max2 g = max2(h.cs, Lc::wire(a), Lc::wire(b), W);
  CHECK(h.cs.n_constraints() == static_cast<std::size_t>(W + 2));
  std::vector<std::pair<Int, Int>> cases = {{0, 0}, {5, -3}, {-3, 5}, {-128, 127}, {127, -128}, {-100, -100}, {255, 0}, {0, 255}};
  std::uniform_int_distribution<int> dist(-127, 127);
  for (int i = 0; i < 20; ++i) cases.emplace_back(dist(rng), dist(rng));
  for (auto [va, vb] : cases) {
    INFO("a = " << static_cast<long long>(va) << ", b = " << static_cast<long long>(vb));
    std::vector<std::int64_t> w(h.cs.n_wires(), 0);
    w[0] = 1;
    w[a] = static_cast<std::int64_t>(va);
    w[b] = static_cast<std::int64_t>(vb);
    CHECK(assign_max2(g, va, vb, w) == std::max(va, vb));
    const auto f = h.field(w);
    REQUIRE(h.satisfied(f));
    // a and b are inputs here (another gadget's outputs in a model): only
    // the comparison's own wires are tampered with.
    const prover::R1cs r = h.cs.to_r1cs(0, 0);
    for (std::uint32_t i = b + 1; i < f.size(); ++i) {
      auto t = f;
      t[i] += Fr::one();
      CHECK_THROWS_AS(prover::check_witness(r, t, "t"), Error);
    }
    if (va != vb) {  // claiming the smaller one, with the comparison bit flipped to match
      auto t = f;
      t[g.out] = int_to_fr(std::min(va, vb));
      const std::uint32_t top = g.bits.first + static_cast<std::uint32_t>(W - 1);
      t[top] = Fr::one() - t[top];
      CHECK_FALSE(h.satisfied(t));
    }
  }
}

TEST_CASE("gadgets: coefficients are written positive where setup would pay for -1", "[zkml][gadgets]") {
  // constrain_equal moves negative terms to the other side: a linear
  // constraint has only positive coefficients, and its B side is the constant 1.
  Harness h(3);
  Lc lhs = Lc::wire(1, 5);
  lhs.add(2, -7).add_constant(-3);
  h.cs.constrain_equal(lhs, Lc::wire(3, -2));
  const prover::R1cs r = h.cs.to_r1cs(0, 0);
  for (int m = 0; m < 3; ++m)
    for (const auto& t : r.lc(0, m)) CHECK(bigint::compare(t.coeff.to_canonical(), Fr::kHalfModulusMinus1) < 0);
  // 5·x1 + 2·x3 = 7·x2 + 3 with x = (1, 1, 2): 5 + 4 = 7 + 3? no; (2, 1, 0): 10 = 7 + 3 yes.
  CHECK(h.satisfied({Fr::one(), Fr::from_u64(2), Fr::one(), Fr::zero()}));
  CHECK_FALSE(h.satisfied({Fr::one(), Fr::from_u64(1), Fr::one(), Fr::from_u64(2)}));
}
