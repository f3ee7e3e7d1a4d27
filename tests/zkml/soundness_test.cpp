// Soundness audit of the ZKML circuits: can a prover satisfy the R1CS with
// anything but the honest witness?
//
//  1. Per-wire audit: for valid witnesses of every gadget (many inputs,
//     the edges of each range, exact rounding ties) and of the compiled
//     models, every wire but the constant (public outputs and inputs
//     included) is moved by +1, −1, a random small integer and a random
//     field element; each change must break a constraint. Gadgets are also
//     checked with the library's own integer evaluator (first_unsatisfied).
//  2. Exhaustive check of small gadget instances: every assignment of their
//     wires, over Fr, for every input in and around the valid range: the
//     honest witness is the only one, and inputs outside the range have
//     none. This catches changes of several wires at once.
//  3. Named attacks known from other ZKML circuits: an unconstrained
//     remainder in rescale, a bit decomposition wide enough to wrap the
//     field, weights supplied as private inputs — each with a positive
//     control, a deliberately weakened circuit built here that the attack
//     does fool — and a forged neuron propagated consistently to the
//     outputs, an accumulator outside the range wrapped into it through the
//     rescale's offset.
//
// ZKACC_SOUNDNESS_REPORT=1 prints the counts (instances, wires, perturbations,
// rejections, candidates) of each part.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <string>
#include <vector>

#include "support/test_rng.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/field/bigint.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/zkml/circuit.hpp"
#include "zkacc/zkml/gadgets.hpp"
#include "zkacc/zkml/ops/piecewise_linear.hpp"
#include "zkacc/zkml/ops/smooth_activation.hpp"
#include "zkacc/zkml/pipeline.hpp"
#include "zkacc/zkml/qeval.hpp"
#include "zkacc/zkml/quantize.hpp"
#include "zkacc/zkml/r1cs_builder.hpp"
#include "zkml/test_util.hpp"

using namespace zkacc;
using namespace zkacc::zkml;
using zkacc::test::IncidenceChecker;

namespace {

using Rng = std::mt19937_64;

Int pow2(int k) { return Int(1) << k; }  // k ≤ 125 everywhere below
Int floor_div(Int a, Int d) {
  Int q = a / d;
  if (a % d != 0 && a < 0) --q;
  return q;
}
Fr fr_pow2(int k) {
  Fr p = Fr::one();
  for (int i = 0; i < k; ++i) p += p;
  return p;
}
std::vector<Fr> field(std::span<const std::int64_t> w) {
  std::vector<Fr> f;
  f.reserve(w.size());
  for (std::int64_t v : w) f.push_back(int_to_fr(v));
  return f;
}
Fr random_nonzero(Rng& rng) {
  for (;;) {
    const Fr f = Fr::random(rng);
    if (!f.is_zero()) return f;
  }
}
std::string str(Int v) { return std::to_string(static_cast<long long>(v)); }
bool report() { return std::getenv("ZKACC_SOUNDNESS_REPORT") != nullptr; }

bool is_boolean_constraint(const prover::R1cs& r, std::uint32_t c) {
  const auto a = r.lc(c, 0), b = r.lc(c, 1), o = r.lc(c, 2);
  return a.size() == 1 && b.size() == 1 && o.size() == 1 && a[0].wire == b[0].wire && a[0].wire == o[0].wire &&
         a[0].coeff.is_one() && b[0].coeff.is_one() && o[0].coeff.is_one();
}
// The constraint w·w = w of a boolean wire.
std::uint32_t boolean_constraint_of(const IncidenceChecker& check, std::uint32_t wire) {
  for (std::uint32_t c : check.constraints_of(wire))
    if (is_boolean_constraint(check.r1cs(), c)) return c;
  FAIL("wire " << wire << " has no boolean constraint");
  return 0;
}
// The one constraint of a bit that is not its booleanity (the sum it is part of).
std::uint32_t sum_constraint_of(const IncidenceChecker& check, std::uint32_t bit) {
  std::vector<std::uint32_t> others;
  for (std::uint32_t c : check.constraints_of(bit))
    if (!is_boolean_constraint(check.r1cs(), c)) others.push_back(c);
  REQUIRE(others.size() == 1);
  return others[0];
}
// Coefficient of `wire` in a linear constraint (Σ A)·1 = (Σ C): A minus C.
Fr linear_coefficient(const prover::R1cs& r, std::uint32_t c, std::uint32_t wire) {
  const auto b = r.lc(c, 1);
  REQUIRE((b.size() == 1 && b[0].wire == 0 && b[0].coeff.is_one()));
  Fr k;
  for (const auto& t : r.lc(c, 0))
    if (t.wire == wire) k += t.coeff;
  for (const auto& t : r.lc(c, 2))
    if (t.wire == wire) k -= t.coeff;
  return k;
}

// ---------------------------------------------------------------------------
// Part 1: the per-wire audit.

struct Audit {
  std::size_t instances = 0, wires = 0, perturbations = 0, rejections = 0;
  std::vector<std::string> escapes;  // the first few perturbations no constraint caught
  void rejected(bool r, const std::string& what) {
    ++perturbations;
    if (r)
      ++rejections;
    else if (escapes.size() < 8)
      escapes.push_back(what);
  }
};

void expect_all_rejected(const Audit& a, const std::string& what) {
  std::string e;
  for (const auto& s : a.escapes) e += "\n  " + s;
  INFO(what << ": accepted perturbations:" << e);
  CHECK(a.perturbations > 0);
  CHECK(a.rejections == a.perturbations);
  if (report())
    WARN(what << ": " << a.instances << " instances, " << a.wires << " wires, " << a.perturbations << " perturbations, "
              << a.rejections << " rejected");
}

// Moves each wire of [first, n) — or `sample` wires drawn at random if
// sample > 0 — by +1, −1, ±a random integer in [2, 2^20] and a random nonzero
// field element. `w` must satisfy every constraint (the caller checks it), so
// a change breaks the witness exactly when it breaks one of the wire's own
// constraints, which is all the checker evaluates.
void check_every_wire_is_constrained(const IncidenceChecker& check, std::vector<Fr> w, std::uint32_t first, Rng& rng,
                                     std::size_t sample, Audit& audit) {
  const auto n = static_cast<std::uint32_t>(w.size());
  std::vector<std::uint32_t> wires;
  if (sample == 0 || sample >= n - first) {
    for (std::uint32_t i = first; i < n; ++i) wires.push_back(i);
  } else {
    std::uniform_int_distribution<std::uint32_t> pick(first, n - 1);
    for (std::size_t k = 0; k < sample; ++k) wires.push_back(pick(rng));
  }
  std::uniform_int_distribution<std::uint64_t> small(2, std::uint64_t(1) << 20);
  for (std::uint32_t i : wires) {
    ++audit.wires;
    const Fr s = Fr::from_u64(small(rng));
    for (const Fr& delta : {Fr::one(), -Fr::one(), (rng() & 1) ? s : -s, random_nonzero(rng)})
      audit.rejected(check.rejects(w, i, delta), "wire " + std::to_string(i) + " + " + delta.to_decimal());
  }
}

// A gadget on `inputs` free wires (1..inputs), standing for the outputs of
// earlier gadgets or public inputs.
struct Gadget {
  R1csBuilder cs;
  std::uint32_t first_input;
  explicit Gadget(std::uint32_t inputs) : first_input(cs.add_wires(inputs)) {}
  std::vector<std::int64_t> blank() const {
    std::vector<std::int64_t> w(cs.n_wires(), 0);
    w[0] = 1;
    return w;
  }
};

// The per-wire audit of one valid gadget witness: every wire but the
// constant (the inputs too: a lone change of an input breaks the gadget's
// linear constraint), over Fr; for small instances also with the library's
// integer evaluator and integer deltas.
void audit_gadget(const Gadget& g, std::vector<std::int64_t> w, Rng& rng, Audit& audit) {
  REQUIRE(g.cs.first_unsatisfied(w) == -1);
  const prover::R1cs r = g.cs.to_r1cs(0, 0);
  const std::vector<Fr> f = field(w);
  REQUIRE_NOTHROW(prover::check_witness(r, f, "honest witness"));
  const IncidenceChecker check(r);
  check_every_wire_is_constrained(check, f, 1, rng, 0, audit);
  ++audit.instances;
  if (w.size() > 64) return;  // first_unsatisfied evaluates everything: keep it to small gadgets
  std::uniform_int_distribution<std::int64_t> small(2, std::int64_t(1) << 20);
  for (std::uint32_t i = 1; i < w.size(); ++i) {
    const std::int64_t s = small(rng);
    for (std::int64_t d : {std::int64_t(1), std::int64_t(-1), (rng() & 1) ? s : -s}) {
      w[i] += d;
      audit.rejected(g.cs.first_unsatisfied(w) != -1, "wire " + std::to_string(i) + " + " + std::to_string(d) + " (integer)");
      w[i] -= d;
    }
  }
}

// Accumulators a rescale by d to B bits accepts: [lo, hi] (hi − lo + 1 = d·2^B).
std::pair<Int, Int> rescale_range(std::int64_t d, int B) {
  return {-pow2(B - 1) * d - d / 2, (pow2(B - 1) - 1) * d + (d - 1) - d / 2};
}

// Edge accumulators (both ends, around zero, exact rounding ties) and random
// ones, inside the rescale's range and within int64.
std::vector<Int> rescale_inputs(std::int64_t d, int B, Rng& rng, int n_random) {
  auto [lo, hi] = rescale_range(d, B);
  const Int lim = pow2(62);
  lo = std::max(lo, -lim);
  hi = std::min(hi, lim);
  const Int h = d / 2;
  std::vector<Int> v = {lo, lo + 1, hi - 1, hi, 0, 1, -1, h, h - 1, -h, -h - 1, d - h, d - h - 1, -d - h, -d - h - 1, d, -d};
  std::uniform_int_distribution<std::int64_t> any(static_cast<std::int64_t>(lo), static_cast<std::int64_t>(hi));
  for (int i = 0; i < n_random; ++i) v.push_back(any(rng));
  std::vector<Int> out;
  for (Int a : v)
    if (a >= lo && a <= hi && std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  return out;
}

void audit_rescale(std::int64_t d, int B, bool relu, Rng& rng, Audit& audit, int n_random) {
  INFO("rescale by " << d << " to " << B << " bits" << (relu ? " + relu" : ""));
  Gadget g(1);
  const Rescale gr = rescale(g.cs, Lc::wire(g.first_input), d, B, relu);
  for (Int acc : rescale_inputs(d, B, rng, n_random)) {
    INFO("acc = " << str(acc));
    auto w = g.blank();
    w[g.first_input] = static_cast<std::int64_t>(acc);
    const Int q = floor_div(acc + d / 2, d);
    REQUIRE(assign_rescale(gr, acc, w) == (relu && q < 0 ? 0 : q));
    audit_gadget(g, w, rng, audit);
  }
}

void audit_compiled(const test::Compiled& m, const std::vector<std::vector<double>>& inputs, Rng& rng, std::size_t sample,
                    Audit& audit) {
  const prover::R1cs r1cs = m.circuit.r1cs();
  const IncidenceChecker check(r1cs);
  for (const auto& x : inputs) {
    const std::vector<Fr> w = infer(m.circuit, x, "input").witness.to_field();
    REQUIRE_NOTHROW(prover::check_witness(r1cs, w, "witness"));
    check_every_wire_is_constrained(check, w, 1, rng, sample, audit);
    ++audit.instances;
  }
}

// ---------------------------------------------------------------------------
// Part 2: exhaustive enumeration of the witnesses of a small circuit.
//
// With some wires fixed (the constant and the gadget's inputs), every
// assignment of the others that satisfies the R1CS over Fr is found:
//  * a wire with a constraint w·w = w is 0 or 1 (Fr is a field: w(w − 1) = 0
//    has no other root), so the booleans range over {0, 1}^n: enumerated;
//  * every other wire must then be forced: a constraint in which it is the
//    only unknown, entering linearly ((k0 + x0·u)(k1 + x1·u) = k2 + x2·u with
//    x0·x1 = 0) with a nonzero coefficient k0·x1 + x0·k1 − x2, fixes it to
//    one field element; this is propagated until nothing changes. A wire no
//    constraint forces makes the enumeration incomplete (reported, and a
//    test failure: such a wire would be a free choice of the prover).
// Every satisfying assignment is therefore among the 2^n candidates, each of
// which is checked against every constraint. The derived wires take any
// field value, so a wrap modulo r is among the candidates too.
struct Enumeration {
  std::size_t booleans = 0, candidates = 0, solutions = 0;
  std::vector<Fr> first_solution;
  std::int64_t undetermined = -1;
};

Enumeration enumerate_witnesses(const IncidenceChecker& check, const std::vector<Fr>& values, const std::vector<char>& fixed) {
  const prover::R1cs& r = check.r1cs();
  Enumeration e;
  std::vector<std::uint32_t> bools;
  std::vector<char> is_bool(r.n_wires, 0);
  for (std::uint32_t c = 0; c < r.n_constraints; ++c)
    if (is_boolean_constraint(r, c)) {
      const std::uint32_t w = r.lc(c, 0)[0].wire;
      if (!fixed[w] && !is_bool[w]) {
        is_bool[w] = 1;
        bools.push_back(w);
      }
    }
  e.booleans = bools.size();
  REQUIRE(bools.size() <= 16);
  for (std::uint64_t mask = 0; mask < (std::uint64_t(1) << bools.size()); ++mask) {
    std::vector<Fr> w = values;
    std::vector<char> known = fixed;
    for (std::size_t k = 0; k < bools.size(); ++k) {
      w[bools[k]] = (mask >> k) & 1 ? Fr::one() : Fr::zero();
      known[bools[k]] = 1;
    }
    for (bool progress = true; progress;) {
      progress = false;
      for (std::uint32_t c = 0; c < r.n_constraints; ++c) {
        std::int64_t u = -1;
        bool several = false;
        for (int m = 0; m < 3; ++m)
          for (const auto& t : r.lc(c, m))
            if (!known[t.wire]) {
              if (u < 0) u = t.wire;
              else if (u != t.wire) several = true;
            }
        if (u < 0 || several) continue;
        Fr k[3], x[3];  // A = k0 + x0·u, B = k1 + x1·u, C = k2 + x2·u
        for (int m = 0; m < 3; ++m)
          for (const auto& t : r.lc(c, m)) {
            if (static_cast<std::int64_t>(t.wire) == u)
              x[m] += t.coeff;
            else
              k[m] += t.coeff * w[t.wire];
          }
        if (!(x[0] * x[1]).is_zero()) continue;  // quadratic in u
        const Fr coeff = k[0] * x[1] + x[0] * k[1] - x[2];
        if (coeff.is_zero()) continue;
        const Fr rhs = k[2] - k[0] * k[1];
        w[static_cast<std::size_t>(u)] = coeff.is_one() ? rhs : coeff == -Fr::one() ? -rhs : rhs * coeff.inverse_vartime();
        known[static_cast<std::size_t>(u)] = 1;
        progress = true;
      }
    }
    for (std::uint32_t i = 0; i < r.n_wires; ++i)
      if (!known[i]) {
        e.undetermined = i;
        return e;
      }
    ++e.candidates;
    if (check.all_hold(w) && e.solutions++ == 0) e.first_solution = w;
  }
  return e;
}

struct ExhaustiveStats {
  std::size_t instances = 0, inputs = 0, candidates = 0, valid_inputs = 0, solutions = 0;
};

// Enumerates the witnesses of `cs` with wires 0..n_inputs fixed to `inputs`
// and checks there is exactly one, equal to `honest`, or none when honest is empty.
void expect_unique(const R1csBuilder& cs, const std::vector<Fr>& inputs, const std::vector<Fr>& honest, ExhaustiveStats& st) {
  const prover::R1cs r = cs.to_r1cs(0, 0);
  const IncidenceChecker check(r);
  std::vector<Fr> values(r.n_wires, Fr::zero());
  std::vector<char> fixed(r.n_wires, 0);
  values[0] = Fr::one();
  fixed[0] = 1;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    values[1 + i] = inputs[i];
    fixed[1 + i] = 1;
  }
  const Enumeration e = enumerate_witnesses(check, values, fixed);
  INFO(e.booleans << " booleans, " << e.candidates << " candidates");
  REQUIRE(e.undetermined == -1);
  CHECK(e.candidates == (std::size_t(1) << e.booleans));
  if (honest.empty()) {
    CHECK(e.solutions == 0);
  } else {
    REQUIRE(check.all_hold(honest));
    CHECK(e.solutions == 1);
    CHECK(e.first_solution == honest);
    ++st.valid_inputs;
  }
  ++st.inputs;
  st.candidates += e.candidates;
  st.solutions += e.solutions;
}

void report_exhaustive(const ExhaustiveStats& st, const std::string& what) {
  if (report())
    WARN(what << ": " << st.instances << " gadget instances, " << st.inputs << " inputs (" << st.valid_inputs << " valid), "
              << st.candidates << " candidate witnesses, " << st.solutions << " satisfying");
}

// Small integers around a range plus random field elements (almost surely
// far outside any range: they must have no witness).
std::vector<Fr> around(Int lo, Int hi, int margin, Rng& rng, int n_random) {
  std::vector<Fr> v;
  for (Int x = lo - margin; x <= hi + margin; ++x) v.push_back(int_to_fr(x));
  for (int i = 0; i < n_random; ++i) v.push_back(Fr::random(rng));
  return v;
}
// The integer a field element stands for, if it is a small one (|v| < 2^62).
bool small_int(const Fr& f, Int& out) {
  for (int sign : {1, -1}) {
    const auto c = (sign > 0 ? f : -f).to_canonical();
    if (c[1] == 0 && c[2] == 0 && c[3] == 0 && c[0] < (std::uint64_t(1) << 62)) {
      out = sign * Int(c[0]);
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// Part 3: weakened gadgets for the positive controls.

// The rescale as circuits without a remainder check write it: the quotient's
// B bits, the relation acc + ⌊d/2⌋ + d·2^(B−1) = d·Σ 2^i·q_i + rem, and
// out = Σ 2^i·q_i − 2^(B−1). rem_bits = 0: rem is a free wire; otherwise it
// is range checked to rem_bits bits (rem ≥ 0) but not below d.
struct WeakRescale {
  Bits q, rem_bits;
  std::uint32_t rem = 0, out = 0;
};
WeakRescale weak_rescale(R1csBuilder& cs, const Lc& acc, std::int64_t d, int B, int rem_bits) {
  WeakRescale g;
  g.q = alloc_bits(cs, B);
  g.rem = cs.add_wires(1);
  if (rem_bits > 0) g.rem_bits = range_check(cs, Lc::wire(g.rem), rem_bits);
  Lc lhs = acc;
  lhs.add_constant(d / 2 + Int(d) * pow2(B - 1));
  Lc rhs = Lc::wire(g.rem);
  for (const Term& t : g.q.sum().terms) rhs.add(t.wire, t.coeff * d);
  cs.constrain_equal(lhs, rhs);
  g.out = cs.add_wires(1);
  Lc out = Lc::wire(g.out);
  out.add_constant(pow2(B - 1));
  cs.constrain_equal(out, g.q.sum());
  return g;
}

void set_bits(std::vector<Fr>& w, const Bits& b, Int v) {
  for (int i = 0; i < b.width; ++i) w[b.first + static_cast<std::uint32_t>(i)] = (v >> i) & 1 ? Fr::one() : Fr::zero();
}

}  // namespace

// ===========================================================================
// 1. Per-wire audit
// ===========================================================================

TEST_CASE("audit: every wire of range checks is constrained", "[zkml][soundness][audit]") {
  SEED_INFO();
  auto rng = test::make_rng(0x50a1);
  Audit audit;
  for (int width : {1, 2, 4, 8, 16, 32, 62, kMaxDecompositionBits}) {
    INFO("width " << width);
    Gadget g(1);
    const Bits bits = range_check(g.cs, Lc::wire(g.first_input), width);
    const Int top = std::min(pow2(width) - 1, pow2(62));
    std::vector<Int> values = {0, 1, top, top / 2, top / 2 + 1};
    std::uniform_int_distribution<std::int64_t> any(0, static_cast<std::int64_t>(top));
    for (int i = 0; i < 6; ++i) values.push_back(any(rng));
    for (Int v : values) {
      auto w = g.blank();
      w[g.first_input] = static_cast<std::int64_t>(v);
      assign_bits(bits, v, w);
      audit_gadget(g, w, rng, audit);
    }
  }
  expect_all_rejected(audit, "range checks");
}

TEST_CASE("audit: every wire of rescales by 2^s, with and without Relu, is constrained", "[zkml][soundness][audit]") {
  SEED_INFO();
  auto rng = test::make_rng(0x50a2);
  Audit audit;
  for (bool relu : {false, true}) {
    for (int s : {0, 1, 2, 5, 8, 10})
      for (int B : {2, 4, 8, 12}) audit_rescale(std::int64_t(1) << s, B, relu, rng, audit, 8);
    // The widest the library allows: s + B = kMaxDecompositionBits.
    for (int s : {10, 60}) audit_rescale(std::int64_t(1) << s, kMaxDecompositionBits - s, relu, rng, audit, 3);
  }
  expect_all_rejected(audit, "rescales by 2^s");
}

TEST_CASE("audit: every wire of rescales by d not a power of two, with and without Relu, is constrained",
          "[zkml][soundness][audit]") {
  SEED_INFO();
  auto rng = test::make_rng(0x50a3);
  Audit audit;
  for (bool relu : {false, true}) {
    for (std::int64_t d : {3, 5, 6, 7, 9, 10, 25, 36, 100, 1000})
      for (int B : {2, 4, 8, 12}) audit_rescale(d, B, relu, rng, audit, 6);
    // The widest the library allows: bit_width(d) + B = kMaxDecompositionBits.
    for (std::int64_t d : {std::int64_t(3), std::int64_t(1000), (std::int64_t(1) << 40) + 1}) {
      const int B = kMaxDecompositionBits - std::bit_width(static_cast<std::uint64_t>(d));
      audit_rescale(d, B, relu, rng, audit, 3);
    }
  }
  expect_all_rejected(audit, "rescales by other d");
}

TEST_CASE("audit: every wire of max2 is constrained", "[zkml][soundness][audit]") {
  SEED_INFO();
  auto rng = test::make_rng(0x50a4);
  Audit audit;
  for (int W : {2, 4, 9, 14, 20, 62, kMaxDecompositionBits}) {
    INFO("diff_bits " << W);
    Gadget g(2);
    const std::uint32_t a = g.first_input, b = a + 1;
    const Max2 m = max2(g.cs, Lc::wire(a), Lc::wire(b), W);
    const Int far = std::min(pow2(W - 1) - 1, pow2(61));  // largest |a − b| allowed (within int64)
    std::vector<std::pair<Int, Int>> pairs;
    for (Int base : {Int(0), Int(-5), Int(1000), -pow2(40)})
      for (Int diff : {Int(0), Int(1), Int(-1), far, -far, far / 2, -far / 2}) pairs.emplace_back(base + diff, base);
    std::uniform_int_distribution<std::int64_t> any(-static_cast<std::int64_t>(far), static_cast<std::int64_t>(far));
    for (int i = 0; i < 10; ++i) {
      const Int x = any(rng);
      pairs.emplace_back(x, x - any(rng) / 2 + (rng() & 1));
    }
    for (auto [va, vb] : pairs) {
      if (va - vb >= pow2(std::min(W - 1, 100)) || vb - va >= pow2(std::min(W - 1, 100))) continue;
      INFO("a = " << str(va) << ", b = " << str(vb));
      auto w = g.blank();
      w[a] = static_cast<std::int64_t>(va);
      w[b] = static_cast<std::int64_t>(vb);
      REQUIRE(assign_max2(m, va, vb, w) == std::max(va, vb));
      audit_gadget(g, w, rng, audit);
    }
  }
  expect_all_rejected(audit, "max2");
}

TEST_CASE("audit: every wire of the MLP's circuit is constrained, for two inputs", "[zkml][soundness][audit][model]") {
  SEED_INFO();
  auto rng = test::make_rng(0x50a5);
  const test::Compiled m = test::compile("mlp");
  Audit audit;
  audit_compiled(m, {test::load_sample("mlp", 0, {1, 784}).input, test::load_sample("mlp", 2, {1, 784}).input}, rng, 0, audit);
  CHECK(audit.wires == 2 * (m.circuit.builder().n_wires() - 1));
  expect_all_rejected(audit, "MLP, every wire");
}

TEST_CASE("audit: every wire of the MLP's circuit with a packed or hashed input and output is constrained",
          "[zkml][soundness][audit][model][commitment]") {
  SEED_INFO();
  auto rng = test::make_rng(0x50a8);
  const test::Compiled m = test::compile("mlp");
  for (Exposure ex : {Exposure{Visibility::hashed, Visibility::hashed}, Exposure{Visibility::packed, Visibility::packed}}) {
    INFO("input " << visibility_name(ex.input) << ", output " << visibility_name(ex.output));
    Settings s = m.settings;
    s.exposure = ex;
    const test::Compiled c{m.graph, s, ModelCircuit(quantize(m.graph, s))};
    Audit audit;
    audit_compiled(c, {test::load_sample("mlp", 1, {1, 784}).input}, rng, 0, audit);
    CHECK(audit.wires == c.circuit.field_constraints().n_wires() - 1);
    expect_all_rejected(audit, std::string("MLP, input and output ") + visibility_name(ex.input));
  }
}

TEST_CASE("audit: sampled wires of the CNN's circuit are constrained, for two inputs", "[zkml][soundness][audit][model]") {
  SEED_INFO();
  auto rng = test::make_rng(0x50a6);
  const test::Compiled m = test::compile("cnn");
  const Shape shape = m.graph.tensors[static_cast<std::size_t>(m.graph.input)].shape;
  Audit audit;
  audit_compiled(m, {test::load_sample("cnn", 0, shape).input, test::load_sample("cnn", 1, shape).input}, rng, 2000, audit);
  CHECK(audit.wires == 4000);
  expect_all_rejected(audit, "CNN, 2 x 2,000 sampled wires");
}

TEST_CASE("audit: every wire of the op-test models is constrained", "[zkml][soundness][audit][model]") {
  SEED_INFO();
  auto rng = test::make_rng(0x50a7);
  Audit audit;
  for (const char* name : {"matmul_add", "residual", "batchnorm", "qdq", "sigmoid_tanh", "pad_pool", "qdq_alias", "structure",
                           "arithmetic", "bn_rank3", "attention", "piecewise", "products", "gelu_forms",
                           "gelu_op", "softmax_attention", "layer_norm", "conv_variants", "embedding", "class_token", "where_select",
                           "division", "exp_op"}) {
    INFO(name);
    const std::string onnx = test::zkml_data_path(std::string(name) + ".onnx");
    const Graph g = import_onnx(onnx);
    const std::vector<double> x = read_input_json(test::zkml_data_path(std::string(name) + ".input.json"),
                                                  g.tensors[static_cast<std::size_t>(g.input)].shape);
    const test::Compiled m = test::compile_calibrated(onnx, x, "input");
    audit_compiled(m, {x}, rng, 0, audit);
  }
  expect_all_rejected(audit, "op-test models, every wire");
}

// ===========================================================================
// 2. Exhaustive check of small instances
// ===========================================================================

TEST_CASE("exhaustive: a small range check has exactly one witness per value in range, none outside",
          "[zkml][soundness][exhaustive]") {
  SEED_INFO();
  auto rng = test::make_rng(0x50b1);
  ExhaustiveStats st;
  for (int width : {1, 3, 4, 6}) {
    Gadget g(1);
    const Bits bits = range_check(g.cs, Lc::wire(1), width);
    ++st.instances;
    for (const Fr& v : around(0, pow2(width) - 1, 4, rng, 4)) {
      Int x = -1;
      std::vector<Fr> honest;
      if (small_int(v, x) && x >= 0 && x < pow2(width)) {
        auto w = g.blank();
        w[1] = static_cast<std::int64_t>(x);
        assign_bits(bits, x, w);
        honest = field(w);
      }
      INFO("width " << width << ", value " << v.to_decimal());
      expect_unique(g.cs, {v}, honest, st);
    }
  }
  report_exhaustive(st, "range checks");
}

TEST_CASE("exhaustive: small rescales have exactly one witness per accumulator in range, none outside",
          "[zkml][soundness][exhaustive]") {
  SEED_INFO();
  auto rng = test::make_rng(0x50b2);
  ExhaustiveStats st;
  struct Config {
    std::int64_t d;
    int B;
  };
  // 2^2 to 4 bits, 2^3 to 4, 2^1 to 5, a standalone Relu (d = 1) of 6 bits;
  // 3 to 4 bits (k = 2), 5, 6, 7 to 3 bits (k = 3): at most 9 booleans.
  for (const Config c : {Config{4, 4}, Config{8, 4}, Config{2, 5}, Config{1, 6}, Config{3, 4}, Config{5, 3}, Config{6, 3},
                         Config{7, 3}})
    for (bool relu : {false, true}) {
      Gadget g(1);
      const Rescale gr = rescale(g.cs, Lc::wire(1), c.d, c.B, relu);
      ++st.instances;
      const auto [lo, hi] = rescale_range(c.d, c.B);
      for (const Fr& acc : around(lo, hi, 3, rng, 3)) {
        INFO("d = " << c.d << ", B = " << c.B << (relu ? " + relu" : "") << ", acc = " << acc.to_decimal());
        Int a = 0;
        std::vector<Fr> honest;
        if (small_int(acc, a) && a >= lo && a <= hi) {
          auto w = g.blank();
          w[1] = static_cast<std::int64_t>(a);
          const Int q = floor_div(a + c.d / 2, c.d);
          CHECK(assign_rescale(gr, a, w) == (relu && q < 0 ? 0 : q));
          honest = field(w);
        }
        expect_unique(g.cs, {acc}, honest, st);
      }
    }
  report_exhaustive(st, "rescales");
}

TEST_CASE("exhaustive: small max2, chained max2 and max-then-rescale have exactly one witness",
          "[zkml][soundness][exhaustive]") {
  SEED_INFO();
  auto rng = test::make_rng(0x50b3);
  ExhaustiveStats st;
  SECTION("max2") {
    for (int W : {2, 3, 4, 5}) {
      Gadget g(2);
      const Max2 m = max2(g.cs, Lc::wire(1), Lc::wire(2), W);
      ++st.instances;
      const Int lim = pow2(W - 1) + 2;
      std::vector<std::pair<Fr, Fr>> pairs;
      for (Int a = -lim; a <= lim; ++a)
        for (Int b = -lim; b <= lim; ++b) pairs.emplace_back(int_to_fr(a), int_to_fr(b));
      for (int i = 0; i < 4; ++i) pairs.emplace_back(Fr::random(rng), int_to_fr(0));
      for (int i = 0; i < 4; ++i) pairs.emplace_back(int_to_fr(1), Fr::random(rng));
      for (const auto& [fa, fb] : pairs) {
        INFO("W = " << W << ", a = " << fa.to_decimal() << ", b = " << fb.to_decimal());
        Int a = 0, b = 0;
        std::vector<Fr> honest;
        // The range check admits a − b ∈ [−2^(W−1), 2^(W−1)); out is max(a, b) on all of it.
        if (small_int(fa, a) && small_int(fb, b) && a - b < pow2(W - 1) && b - a <= pow2(W - 1)) {
          auto w = g.blank();
          w[1] = static_cast<std::int64_t>(a);
          w[2] = static_cast<std::int64_t>(b);
          CHECK(assign_max2(m, a, b, w) == std::max(a, b));
          honest = field(w);
        }
        expect_unique(g.cs, {fa, fb}, honest, st);
      }
    }
    report_exhaustive(st, "max2");
  }
  SECTION("max of three (a max pool window), W = 3") {
    const int W = 3;
    Gadget g(3);
    const Max2 m1 = max2(g.cs, Lc::wire(1), Lc::wire(2), W);
    const Max2 m2 = max2(g.cs, Lc::wire(m1.out), Lc::wire(3), W);
    ++st.instances;
    for (Int a = -3; a <= 3; ++a)
      for (Int b = -3; b <= 3; ++b)
        for (Int c = -3; c <= 3; ++c) {
          INFO("a, b, c = " << str(a) << ", " << str(b) << ", " << str(c));
          std::vector<Fr> honest;
          const Int ab = std::max(a, b);
          if (a - b < 4 && b - a <= 4 && ab - c < 4 && c - ab <= 4) {
            auto w = g.blank();
            w[1] = static_cast<std::int64_t>(a);
            w[2] = static_cast<std::int64_t>(b);
            w[3] = static_cast<std::int64_t>(c);
            assign_max2(m1, a, b, w);
            CHECK(assign_max2(m2, ab, c, w) == std::max(ab, c));
            honest = field(w);
          }
          expect_unique(g.cs, {int_to_fr(a), int_to_fr(b), int_to_fr(c)}, honest, st);
        }
    report_exhaustive(st, "max of three");
  }
  SECTION("fused Conv+Relu+MaxPool: max2 of accumulators, then rescale by 2 to 2 bits with Relu") {
    const std::int64_t d = 2;
    const int B = 2, W = 1 + B + 1;  // W = s + B + 1, as the circuit builds it
    Gadget g(2);
    const Max2 m = max2(g.cs, Lc::wire(1), Lc::wire(2), W);
    const Rescale gr = rescale(g.cs, Lc::wire(m.out), d, B, true);
    ++st.instances;
    const auto [lo, hi] = rescale_range(d, B);
    for (Int a = lo - 2; a <= hi + 2; ++a)
      for (Int b = lo - 2; b <= hi + 2; ++b) {
        INFO("a = " << str(a) << ", b = " << str(b));
        std::vector<Fr> honest;
        const Int mx = std::max(a, b);
        if (a - b < pow2(W - 1) && b - a <= pow2(W - 1) && mx >= lo && mx <= hi) {
          auto w = g.blank();
          w[1] = static_cast<std::int64_t>(a);
          w[2] = static_cast<std::int64_t>(b);
          assign_max2(m, a, b, w);
          const Int q = floor_div(mx + d / 2, d);
          CHECK(assign_rescale(gr, mx, w) == std::max(q, Int(0)));
          honest = field(w);
        }
        expect_unique(g.cs, {int_to_fr(a), int_to_fr(b)}, honest, st);
      }
    report_exhaustive(st, "max then rescale");
  }
}

// The gadgets of products and piecewise-linear ops (ops/product.cpp,
// ops/piecewise_linear.hpp), on every input of small widths and a few
// random field elements: exactly the honest witness, none outside the range.
TEST_CASE("exhaustive: small min2, product rescales, reciprocals, divisions, square roots, Clip and LeakyRelu have exactly one witness",
          "[zkml][soundness][exhaustive]") {
  ExhaustiveStats st;
  SECTION("min2") {
    for (int W : {2, 3, 4}) {
      Gadget g(2);
      const Max2 m = max2(g.cs, Lc::wire(1), Lc::wire(2), W, true);
      ++st.instances;
      const Int lim = pow2(W - 1) + 2;
      for (Int a = -lim; a <= lim; ++a)
        for (Int b = -lim; b <= lim; ++b) {
          INFO("W = " << W << ", a = " << str(a) << ", b = " << str(b));
          std::vector<Fr> honest;
          if (a - b < pow2(W - 1) && b - a <= pow2(W - 1)) {
            auto w = g.blank();
            w[1] = static_cast<std::int64_t>(a);
            w[2] = static_cast<std::int64_t>(b);
            CHECK(assign_max2(m, a, b, w) == std::min(a, b));
            honest = field(w);
          }
          expect_unique(g.cs, {int_to_fr(a), int_to_fr(b)}, honest, st);
        }
    }
    report_exhaustive(st, "min2");
  }
  SECTION("rescale of a·b + c (Mul), of a·b + p with p = c·d (a MatMul of K = 2)") {
    for (bool matmul : {false, true})
      for (bool relu : {false, true}) {
        const std::int64_t d = 2;
        const int B = 3;
        Gadget g(4);
        Lc lin = Lc::wire(3);
        std::uint32_t p = 0;
        if (matmul) {
          p = g.cs.add_wires(1);
          g.cs.constrain(Lc::wire(3), Lc::wire(4), Lc::wire(p));
          lin = Lc::wire(p);
        }
        const Rescale gr = rescale_product(g.cs, Lc::wire(1), Lc::wire(2), lin, d, B, relu);
        ++st.instances;
        const auto [lo, hi] = rescale_range(d, B);
        for (Int a = -3; a <= 3; ++a)
          for (Int b = -3; b <= 3; ++b)
            for (Int c = -2; c <= 2; ++c) {
              const Int e = matmul ? 2 : 0;  // the fourth input: c's partner in the product
              const Int acc = a * b + (matmul ? c * e : c);
              INFO((matmul ? "a·b + c·2" : "a·b + c") << (relu ? " + relu" : "") << ", a, b, c = " << str(a) << ", " << str(b)
                                                       << ", " << str(c));
              std::vector<Fr> honest;
              if (acc >= lo && acc <= hi) {
                auto w = g.blank();
                w[1] = static_cast<std::int64_t>(a);
                w[2] = static_cast<std::int64_t>(b);
                w[3] = static_cast<std::int64_t>(c);
                w[4] = static_cast<std::int64_t>(e);
                if (matmul) w[p] = static_cast<std::int64_t>(c * e);
                const Int q = floor_div(acc + d / 2, d);
                CHECK(assign_rescale(gr, acc, w) == (relu && q < 0 ? 0 : q));
                honest = field(w);
              }
              expect_unique(g.cs, {int_to_fr(a), int_to_fr(b), int_to_fr(c), int_to_fr(e)}, honest, st);
            }
      }
    report_exhaustive(st, "product rescales");
  }
  SECTION("reciprocal round(2^K / D) of a divisor below 2^3, K = 3 and 4") {
    for (int k : {3, 4}) {
      Gadget g(1);
      const int d_bits = 3, inv_bits = k + 1;
      const Reciprocal r = reciprocal(g.cs, Lc::wire(1), k, d_bits, inv_bits);
      ++st.instances;
      for (Int d = -3; d <= 9; ++d) {
        INFO("K = " << k << ", D = " << str(d));
        // Any D ≥ 1 whose remainder r = (2^(K+1) + D) mod 2D and gap 2D − 1 − r
        // fit their d_bits + 1 bits is accepted, and then inv is exact.
        std::vector<Fr> honest;
        const Int rem = d >= 1 ? (2 * pow2(k) + d) % (2 * d) : -1;
        if (d >= 1 && rem < pow2(d_bits + 1) && 2 * d - 1 - rem < pow2(d_bits + 1) &&
            floor_div(2 * pow2(k) + d, 2 * d) < pow2(inv_bits)) {
          auto w = g.blank();
          w[1] = static_cast<std::int64_t>(d);
          CHECK(assign_reciprocal(r, d, w) == floor_div(2 * pow2(k) + d, 2 * d));
          honest = field(w);
        }
        expect_unique(g.cs, {int_to_fr(d)}, honest, st);
      }
    }
    report_exhaustive(st, "reciprocal");
  }
  SECTION("rounded division N / D, D below 2^3, q in 3 bits") {
    Gadget g(2);
    const Divide dv = divide(g.cs, Lc::wire(1), Lc::wire(2), 3, 3);
    ++st.instances;
    for (Int n = -10; n <= 10; ++n)
      for (Int d = -2; d <= 9; ++d) {
        INFO("N = " << str(n) << ", D = " << str(d));
        // Any D ≥ 1 whose remainder and gap fit d_bits + 1 = 4 bits, with q in [−4, 4).
        std::vector<Fr> honest;
        if (d >= 1) {
          const Int q = floor_div(2 * n + d, 2 * d), r = 2 * n + d - 2 * d * q;
          if (r < 16 && 2 * d - 1 - r < 16 && q >= -4 && q < 4) {
            auto w = g.blank();
            w[1] = static_cast<std::int64_t>(n);
            w[2] = static_cast<std::int64_t>(d);
            CHECK(assign_divide(dv, n, d, w) == q);
            honest = field(w);
          }
        }
        expect_unique(g.cs, {int_to_fr(n), int_to_fr(d)}, honest, st);
      }
    report_exhaustive(st, "division");
  }
  SECTION("floor square root of values below 2^6, s in 3 bits") {
    Gadget g(1);
    const Isqrt r = isqrt(g.cs, Lc::wire(1), 3);
    ++st.instances;
    for (Int v = -4; v <= 80; ++v) {
      INFO("v = " << str(v));
      std::vector<Fr> honest;
      if (v >= 0 && v < 64) {  // s < 2^3, r ≤ 2s < 2^4
        auto w = g.blank();
        w[1] = static_cast<std::int64_t>(v);
        const std::int64_t s = assign_isqrt(r, v, w);
        CHECK((Int(s) * s <= v && Int(s + 1) * (s + 1) > v));
        honest = field(w);
      }
      expect_unique(g.cs, {int_to_fr(v)}, honest, st);
    }
    report_exhaustive(st, "isqrt");
  }
  SECTION("Clip of a 3-bit value: both bounds, one, none") {
    const int B = 3;
    struct Bounds {
      std::int64_t lo, hi;
    };
    for (const Bounds bd : {Bounds{-2, 1}, Bounds{0, 3}, Bounds{-4, 2}, Bounds{-4, 3}, Bounds{2, 2}}) {
      Gadget g(1);
      const ClipGadget c = clip(g.cs, 1, B, bd.lo, bd.hi);
      ++st.instances;
      CHECK(c.lower.has_value() == (bd.lo > -4));
      CHECK(c.upper.has_value() == (bd.hi < 3));
      if (!c.lower && !c.upper) {  // no bound binds: no constraint, the input's own wire
        CHECK(c.out == 1u);
        continue;
      }
      for (Int x = -12; x <= 12; ++x) {
        INFO("clip to [" << bd.lo << ", " << bd.hi << "], x = " << str(x));
        // Clip relies on its producer for x's range: each comparison it makes
        // holds exactly while the difference fits its B + 1 bits.
        std::vector<Fr> honest;
        const Int m = c.lower ? std::max<Int>(x, bd.lo) : x;
        const bool fits = (!c.lower || (x - bd.lo >= -8 && x - bd.lo < 8)) && (!c.upper || (m - bd.hi >= -8 && m - bd.hi < 8));
        if (fits) {
          auto w = g.blank();
          w[1] = static_cast<std::int64_t>(x);
          // The bounds that bind, applied; for x in its B-bit range that is clip_eval.
          const std::int64_t got = assign_clip(c, static_cast<std::int64_t>(x), bd.lo, bd.hi, w);
          CHECK(got == static_cast<std::int64_t>(c.upper ? std::min<Int>(m, bd.hi) : m));
          if (x >= -4 && x <= 3) CHECK(got == clip_eval(static_cast<std::int64_t>(x), bd.lo, bd.hi));
          CHECK(w[c.out] == got);
          honest = field(w);
        }
        expect_unique(g.cs, {int_to_fr(x)}, honest, st);
      }
    }
    report_exhaustive(st, "clip");
  }
  SECTION("LeakyRelu of a 3-bit value, slopes at 2 fractional bits, own sign bits and a producer's") {
    const int B = 3, frac = 2;
    for (std::int64_t slope : {1, -2, 3, 6})
      for (bool producer : {false, true}) {
        const int out_bits = B + ((slope < 0 || slope > 4) ? 2 : 0);
        Gadget g(1);
        std::optional<Bits> x_bits;
        if (producer) x_bits = range_check(g.cs, [] { Lc v = Lc::wire(1); v.add_constant(4); return v; }(), B);
        const LeakyReluGadget lr = leaky_relu(g.cs, 1, B, x_bits ? &*x_bits : nullptr, slope, frac, out_bits);
        ++st.instances;
        for (Int x = -6; x <= 6; ++x) {
          INFO("slope " << slope << "/4" << (producer ? ", producer's bits" : "") << ", x = " << str(x));
          std::vector<Fr> honest;
          if (x >= -4 && x <= 3) {
            auto w = g.blank();
            w[1] = static_cast<std::int64_t>(x);
            if (x_bits) assign_bits(*x_bits, x + 4, w);
            const std::int64_t want = leaky_relu_eval(static_cast<std::int64_t>(x), slope, frac, out_bits);
            CHECK(assign_leaky_relu(lr, static_cast<std::int64_t>(x), B, w) == want);
            CHECK(want == (x >= 0 ? x : floor_div(x * slope + 2, 4)));
            honest = field(w);
          }
          expect_unique(g.cs, {int_to_fr(x)}, honest, st);
        }
      }
    report_exhaustive(st, "leaky relu");
  }
}

// Sigmoid and Tanh: every wire of the piecewise-quadratic gadget, for inputs
// on both sides of zero, at and beyond the window's edge and at the range's
// ends; every input of an 8-bit instance.
TEST_CASE("audit: every wire of the Sigmoid, Tanh, Erf and GELU gadgets is constrained", "[zkml][soundness][audit][smooth]") {
  SEED_INFO();
  auto rng = test::make_rng(0x5160);
  Audit audit;
  struct Config {
    int in_frac, in_bits, out_frac, out_bits;
  };
  for (SmoothFn fn : {SmoothFn::Sigmoid, SmoothFn::Tanh, SmoothFn::Erf, SmoothFn::Gelu, SmoothFn::GeluTanh})
    for (const Config c : {Config{5, 12, 10, 12}, Config{9, 12, 10, 12}, Config{3, 8, 6, 8}}) {
      const bool keeps = smooth_keeps_scale(fn);  // GELU: the output at the input's scale
      const SmoothTable t = make_smooth_table(fn, c.in_frac, c.in_bits, keeps ? c.in_frac : c.out_frac, keeps ? c.in_bits : c.out_bits);
      Gadget g(1);
      const SmoothGadget sg = smooth_activation(g.cs, Lc::wire(1), t, nullptr);
      const std::int64_t half = std::int64_t(1) << (c.in_bits - 1), edge = std::int64_t(1) << t.window_bits;
      std::vector<std::int64_t> xs;
      if (c.in_bits <= 8) {
        for (std::int64_t x = -half; x < half; ++x) xs.push_back(x);
      } else {
        for (std::int64_t x : {-half, -half + 1, -edge - 1, -edge, -edge + 1, std::int64_t(-1), std::int64_t(0),
                               std::int64_t(1), edge - 1, edge, edge + 1, half - 2, half - 1})
          if (x >= -half && x < half) xs.push_back(x);
        std::uniform_int_distribution<std::int64_t> any(-half, half - 1);
        for (int i = 0; i < 24; ++i) xs.push_back(any(rng));
      }
      for (std::int64_t x : xs) {
        auto w = g.blank();
        w[1] = x;
        assign_smooth(sg, t, x, w);
        audit_gadget(g, w, rng, audit);
      }
    }
  expect_all_rejected(audit, "Sigmoid/Tanh/Erf/GELU");
}

// Small instances (4-bit inputs): for every input in range exactly one
// witness, the honest one; for inputs outside none.
TEST_CASE("exhaustive: small Sigmoid, Tanh, Erf and GELU gadgets have exactly one witness per input in range, none outside",
          "[zkml][soundness][exhaustive][smooth]") {
  SEED_INFO();
  auto rng = test::make_rng(0x5161);
  ExhaustiveStats st;
  struct Config {
    SmoothFn fn;
    int in_frac, in_bits, out_frac, out_bits;
  };
  for (const Config c : {Config{SmoothFn::Sigmoid, 1, 4, 2, 4}, Config{SmoothFn::Tanh, 2, 4, 2, 4},
                         Config{SmoothFn::Sigmoid, 2, 4, 2, 4}, Config{SmoothFn::Tanh, 0, 3, 2, 4},
                         Config{SmoothFn::Erf, 2, 4, 2, 4}, Config{SmoothFn::Gelu, 2, 4, 2, 4},
                         Config{SmoothFn::GeluTanh, 1, 4, 1, 4}}) {
    const SmoothTable t = make_smooth_table(c.fn, c.in_frac, c.in_bits, c.out_frac, c.out_bits);
    INFO(smooth_fn_name(c.fn) << ": L = " << t.window_bits << ", k = " << t.segment_bits << ", S = " << t.poly_shift);
    REQUIRE(c.in_bits + t.poly_shift + c.out_bits <= 16);  // the booleans the enumeration can cover
    Gadget g(1);
    const SmoothGadget sg = smooth_activation(g.cs, Lc::wire(1), t, nullptr);
    ++st.instances;
    const Int half = pow2(c.in_bits - 1);
    for (const Fr& x : around(-half, half - 1, 3, rng, 3)) {
      INFO("x = " << x.to_decimal());
      Int v = 0;
      std::vector<Fr> honest;
      if (small_int(x, v) && v >= -half && v < half) {
        auto w = g.blank();
        w[1] = static_cast<std::int64_t>(v);
        CHECK(assign_smooth(sg, t, w[1], w) == smooth_eval(t, w[1]));
        honest = field(w);
      }
      expect_unique(g.cs, {x}, honest, st);
    }
  }
  report_exhaustive(st, "Sigmoid/Tanh/Erf/GELU");
}

// ===========================================================================
// 3. Named attacks
// ===========================================================================

// (a) An unconstrained remainder: the attacker keeps the linear relation
// acc + ⌊d/2⌋ = q·d + r (shifted by d·2^(B−1)) but answers q − 1 with
// r + d, or q + 1 with r − d.
TEST_CASE("attack: rescale remainder moved by ±d with the quotient moved by ∓1", "[zkml][soundness][attack]") {
  SEED_INFO();
  auto rng = test::make_rng(0x50c1);

  SECTION("positive control: without the remainder's range check the attack passes") {
    std::size_t accepted = 0;
    for (std::int64_t d : {3, 4, 36, 1024}) {
      const int B = 8;
      Gadget g(1);
      const WeakRescale weak = weak_rescale(g.cs, Lc::wire(1), d, B, 0);
      const prover::R1cs r = g.cs.to_r1cs(0, 0);
      const IncidenceChecker check(r);
      for (Int acc : {Int(0), Int(-1), Int(d) * 5 + 1, -Int(d) * 7 - 1}) {
        const Int q = floor_div(acc + d / 2, d), rem = acc + d / 2 - q * d;
        for (int delta : {0, -1, 1}) {
          INFO("d = " << d << ", acc = " << str(acc) << ", quotient moved by " << delta);
          std::vector<Fr> w(r.n_wires, Fr::zero());
          w[0] = Fr::one();
          w[1] = int_to_fr(acc);
          set_bits(w, weak.q, q + delta + pow2(B - 1));
          w[weak.rem] = int_to_fr(rem - delta * Int(d));
          w[weak.out] = int_to_fr(q + delta);
          CHECK(check.all_hold(w));
          if (delta != 0) ++accepted;
        }
      }
    }
    CHECK(accepted == 32);
    // The subtler bug: the remainder range checked to k = bit_width(d − 1)
    // bits (r ≥ 0) but not below d. The enumeration of part 2 finds the second
    // witness whenever r + d < 2^k.
    for (std::int64_t d : {3, 5, 6}) {
      const int B = 3, k = std::bit_width(static_cast<std::uint64_t>(d - 1));
      Gadget g(1);
      weak_rescale(g.cs, Lc::wire(1), d, B, k);
      const prover::R1cs r = g.cs.to_r1cs(0, 0);
      const IncidenceChecker check(r);
      const auto [lo, hi] = rescale_range(d, B);
      std::size_t doubled = 0;
      for (Int acc = lo; acc <= hi; ++acc) {
        const Int q = floor_div(acc + d / 2, d), rem = acc + d / 2 - q * d;
        std::vector<Fr> values(r.n_wires, Fr::zero());
        std::vector<char> fixed(r.n_wires, 0);
        values[0] = Fr::one();
        values[1] = int_to_fr(acc);
        fixed[0] = fixed[1] = 1;
        const Enumeration e = enumerate_witnesses(check, values, fixed);
        REQUIRE(e.undetermined == -1);
        const bool second = rem + d < pow2(k) && q - 1 >= -pow2(B - 1);
        INFO("d = " << d << ", acc = " << str(acc));
        CHECK(e.solutions == (second ? 2u : 1u));
        doubled += second;
      }
      CHECK(doubled > 0);
    }
  }

  SECTION("zkacc's rescale rejects every completion of the attack") {
    std::size_t attacks = 0, candidates = 0;
    for (std::int64_t d : {2, 4, 16, 1024, 3, 5, 6, 7, 36, 100, 1000})
      for (int B : {4, 8, 12})
        for (bool relu : {false, true}) {
          Gadget g(1);
          const Rescale gr = rescale(g.cs, Lc::wire(1), d, B, relu);
          const prover::R1cs r = g.cs.to_r1cs(0, 0);
          const IncidenceChecker check(r);
          const bool p2 = gr.shift >= 0;
          const int s = p2 ? gr.shift : 0;
          for (Int acc : rescale_inputs(d, B, rng, 4)) {
            const Int q = floor_div(acc + d / 2, d), rem = acc + d / 2 - q * d;
            for (int delta : {-1, 1}) {
              const Int q2 = q + delta, rem2 = rem - delta * Int(d);
              if (q2 < -pow2(B - 1) || q2 >= pow2(B - 1)) continue;  // the quotient's bits cannot even hold it
              INFO("d = " << d << ", B = " << B << (relu ? " + relu" : "") << ", acc = " << str(acc) << ", q " << str(q)
                          << " -> " << str(q2) << ", r " << str(rem) << " -> " << str(rem2));
              ++attacks;
              auto hw = g.blank();
              hw[1] = static_cast<std::int64_t>(acc);
              assign_rescale(gr, acc, hw);
              std::vector<Fr> w = field(hw);
              w[gr.out] = int_to_fr(relu && q2 < 0 ? 0 : q2);
              // The quotient's bits hold q2; the attacker is free in the remainder's bits.
              const Bits qbits{gr.bits.first + static_cast<std::uint32_t>(s), B};
              set_bits(w, qbits, q2 + pow2(B - 1));
              std::vector<std::uint32_t> free_bits;
              for (int i = 0; i < s; ++i) free_bits.push_back(gr.bits.first + static_cast<std::uint32_t>(i));
              for (const Bits& b : {gr.rem, gr.rem_gap})
                for (int i = 0; i < b.width; ++i) free_bits.push_back(b.first + static_cast<std::uint32_t>(i));
              // Every assignment of those bits when there are few, else the
              // attacker's best: the bits of r' and of d − 1 − r' modulo 2^k.
              std::size_t accepted = 0;
              if (free_bits.size() <= 8) {
                for (std::uint64_t mask = 0; mask < (std::uint64_t(1) << free_bits.size()); ++mask) {
                  for (std::size_t i = 0; i < free_bits.size(); ++i) w[free_bits[i]] = (mask >> i) & 1 ? Fr::one() : Fr::zero();
                  accepted += check.all_hold(w);
                  ++candidates;
                }
              } else {
                const Int m = p2 ? pow2(s) : pow2(gr.rem.width);
                const Int low = ((rem2 % m) + m) % m, gap = (((d - 1 - rem2) % m) + m) % m;
                if (p2) set_bits(w, Bits{gr.bits.first, s}, low);
                else {
                  set_bits(w, gr.rem, low);
                  set_bits(w, gr.rem_gap, gap);
                }
                accepted += check.all_hold(w);
                ++candidates;
              }
              CHECK(accepted == 0);
              // The minimal forgery: r' in one non-boolean "bit" (and d − 1 − r'
              // in the gap's): every sum holds, and what breaks is exactly
              // the booleanity of those bits — the remainder's range check.
              for (std::uint32_t b : free_bits) w[b] = Fr::zero();
              std::vector<std::uint32_t> expected;
              if (p2) {
                w[gr.bits.first] = int_to_fr(rem2);
                expected = {boolean_constraint_of(check, gr.bits.first)};
              } else {
                w[gr.rem.first] = int_to_fr(rem2);
                w[gr.rem_gap.first] = int_to_fr(d - 1 - rem2);
                expected = {boolean_constraint_of(check, gr.rem.first), boolean_constraint_of(check, gr.rem_gap.first)};
                std::sort(expected.begin(), expected.end());
              }
              CHECK(check.broken(w) == expected);
            }
          }
        }
    CHECK(attacks > 500);
    if (report()) WARN("remainder attack: " << attacks << " attacked rescales, " << candidates << " completions, all rejected");
  }
}

// (b) A bit decomposition wide enough to wrap the field: with 254 booleans
// Σ 2^i·b_i reaches past r, so x and x + r (the same field element) both
// decompose, and −1 = r − 1 passes a "range check".
TEST_CASE("attack: a bit decomposition wide enough for x and x + r to both decompose", "[zkml][soundness][attack]") {
  SEED_INFO();
  auto rng = test::make_rng(0x50c2);
  const BigInt<4> r = Fr::kModulus;
  auto bits_of = [](const BigInt<4>& v, std::vector<Fr>& w, std::uint32_t first, int width) {
    for (int i = 0; i < width; ++i) w[first + static_cast<std::uint32_t>(i)] = bigint::bit(v, static_cast<std::size_t>(i)) ? Fr::one() : Fr::zero();
  };
  auto plus_r = [&](std::uint64_t x) {
    BigInt<4> s;
    REQUIRE(bigint::add(s, bigint::from_u64<4>(x), r) == 0);
    return s;
  };

  SECTION("zkacc refuses decompositions wider than kMaxDecompositionBits, in every gadget") {
    // Σ 2^i·b_i < 2^kMax < r, and every coefficient and offset the gadgets
    // write (2^(width−1), d·2^(B−1)) fits the builder's 128-bit integers.
    CHECK(kMaxDecompositionBits <= 126);
    CHECK(bigint::bit_length(r) == 254);
    const std::int64_t big_d = (std::int64_t(1) << 40) + 1;  // bit width 41, not a power of two
    for (int width : {kMaxDecompositionBits + 1, 128, 200, 201, 254, 255}) {
      INFO("width " << width);
      R1csBuilder cs;
      const std::uint32_t x = cs.add_wires(2);
      CHECK_THROWS_WITH(alloc_bits(cs, width), Catch::Contains("cannot wrap the field"));
      CHECK_THROWS_WITH(range_check(cs, Lc::wire(x), width), Catch::Contains("cannot wrap the field"));
      CHECK_THROWS_WITH(max2(cs, Lc::wire(x), Lc::wire(x + 1), width), Catch::Contains("cannot wrap the field"));
      CHECK_THROWS_WITH(rescale(cs, Lc::wire(x), 1024, width - 10, false), Catch::Contains("cannot wrap the field"));  // s + B
      CHECK_THROWS_WITH(rescale(cs, Lc::wire(x), 1000, width - 10, true), Catch::Contains("cannot wrap the field"));  // bit_width(d) + B
      CHECK_THROWS_WITH(rescale(cs, Lc::wire(x), big_d, width - 41, false), Catch::Contains("cannot wrap the field"));
      CHECK_THROWS_WITH(rescale(cs, Lc::wire(x), 1, width, true), Catch::Contains("cannot wrap the field"));
    }
    // Each B below is allowed on its own; the division's coefficients d·2^i
    // are what overflows. With d = 2^40 + 1 and B = 100 they wrapped modulo
    // 2^128 (2^i·d became 2^i for i ≥ 88), and for acc = 0 the quotient
    // ⌊(2^99 + ⌊d/2⌋)/d⌋ written in the low bits passed: output 2^59 − 2^99
    // instead of 0. The rescale is refused instead.
    {
      R1csBuilder cs;
      CHECK_THROWS_WITH(rescale(cs, Lc::wire(cs.add_wires(1)), big_d, 100, false), Catch::Contains("cannot wrap the field"));
    }
    R1csBuilder cs;
    const std::uint32_t x = cs.add_wires(2);
    CHECK_NOTHROW(rescale(cs, Lc::wire(x), big_d, kMaxDecompositionBits - 41, false));
    CHECK_NOTHROW(range_check(cs, Lc::wire(x), kMaxDecompositionBits));
    CHECK_NOTHROW(max2(cs, Lc::wire(x), Lc::wire(x + 1), kMaxDecompositionBits));
    CHECK_NOTHROW(rescale(cs, Lc::wire(x), 1024, kMaxDecompositionBits - 10, false));
    CHECK_NOTHROW(rescale(cs, Lc::wire(x), 1000, kMaxDecompositionBits - 10, true));
  }

  SECTION("the widest allowed decomposition: exact powers of two, and x + r has no bits") {
    const int W = kMaxDecompositionBits;
    R1csBuilder cs;
    const std::uint32_t x = cs.add_wires(1);
    const Bits b = range_check(cs, Lc::wire(x), W);
    const prover::R1cs r1cs = cs.to_r1cs(0, 0);
    const IncidenceChecker check(r1cs);
    // Every bit weighs exactly 2^i in Fr (a coefficient computed past 128 bits would not).
    const std::uint32_t sum = sum_constraint_of(check, b.first);
    int exact = 0;
    for (int i = 0; i < W; ++i) exact += linear_coefficient(r1cs, sum, b.first + static_cast<std::uint32_t>(i)) == -fr_pow2(i);
    CHECK(exact == W);
    CHECK(linear_coefficient(r1cs, sum, x) == Fr::one());
    // So the sum is an integer in [0, 2^W − 1], below r: distinct bit vectors
    // give distinct field elements, and x + r (≥ r > 2^W − 1) has none.
    BigInt<4> max_sum{};
    for (int i = 0; i < W; ++i) max_sum[static_cast<std::size_t>(i / 64)] |= std::uint64_t(1) << (i % 64);
    CHECK(bigint::compare(max_sum, r) < 0);
    for (std::uint64_t v : {std::uint64_t(0), std::uint64_t(1), std::uint64_t(5), ~std::uint64_t(0)})
      CHECK(bigint::bit_length(plus_r(v)) > static_cast<std::size_t>(W));

    auto accepted = [&](const Fr& value, const BigInt<4>& bits) {
      std::vector<Fr> w(r1cs.n_wires, Fr::zero());
      w[0] = Fr::one();
      w[x] = value;
      bits_of(bits, w, b.first, W);
      return check.all_hold(w);
    };
    std::size_t forgeries = 0;
    for (std::uint64_t v : {std::uint64_t(0), std::uint64_t(1), std::uint64_t(5), std::uint64_t(1) << 63}) {
      INFO("x = " << v);
      CHECK(accepted(Fr::from_u64(v), bigint::from_u64<4>(v)));  // the honest bits
      CHECK_FALSE(accepted(Fr::from_u64(v), plus_r(v)));         // x + r, truncated to W bits
      ++forgeries;
      for (int k = 0; k < 16; ++k) {  // other bit vectors: the honest one with one or two bits flipped
        BigInt<4> flipped = bigint::from_u64<4>(v);
        const auto i = static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(W));
        const auto j = (i + 1 + static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(W - 1))) % static_cast<std::size_t>(W);
        flipped[i / 64] ^= std::uint64_t(1) << (i % 64);
        if (k % 2) flipped[j / 64] ^= std::uint64_t(1) << (j % 64);
        CHECK_FALSE(accepted(Fr::from_u64(v), flipped));
        ++forgeries;
      }
    }
    CHECK(accepted(fr_pow2(W) - Fr::one(), max_sum));  // the largest value, 2^W − 1
    // −1 = r − 1: its own bits truncated, all ones, and (2^127 − 1) − 2^127,
    // what bits 0..127 would sum to if 2^127 were computed in signed 128-bit
    // arithmetic (it wraps to −2^127).
    BigInt<4> low128{~std::uint64_t(0), ~std::uint64_t(0), 0, 0};
    BigInt<4> r_minus_1 = r;
    r_minus_1[0] -= 1;
    for (const BigInt<4>& forged : {r_minus_1, max_sum, low128}) {
      CHECK_FALSE(accepted(-Fr::one(), forged));
      ++forgeries;
    }
    if (report()) WARN("field wrap, " << W << "-bit decomposition: " << forgeries << " forged decompositions, all rejected");
  }

  SECTION("positive control: a hand-built 254-bit decomposition accepts x and x + r") {
    // The same gadget without the library's guard: 254 booleans and
    // Σ 2^i·b_i = x, with Fr coefficients (2^i does not fit 128 bits).
    prover::R1cs weak;
    weak.n_wires = 2 + 254;
    const std::uint32_t x = 1, first = 2;
    std::vector<prover::R1csTerm> sum;
    for (std::uint32_t i = 0; i < 254; ++i) {
      const prover::R1csTerm t{first + i, Fr::one()};
      weak.add_constraint(std::span(&t, 1), std::span(&t, 1), std::span(&t, 1));
      sum.push_back({first + i, fr_pow2(static_cast<int>(i))});
    }
    const prover::R1csTerm one{0, Fr::one()}, xt{x, Fr::one()};
    weak.add_constraint(sum, std::span(&one, 1), std::span(&xt, 1));
    auto accepted = [&](const Fr& value, const BigInt<4>& bits) {
      std::vector<Fr> w(weak.n_wires, Fr::zero());
      w[0] = Fr::one();
      w[x] = value;
      bits_of(bits, w, first, 254);
      try {
        prover::check_witness(weak, w, "w");
        return true;
      } catch (const Error&) {
        return false;
      }
    };
    for (std::uint64_t v : {std::uint64_t(0), std::uint64_t(5), std::uint64_t(1) << 63}) {
      INFO("x = " << v);
      const BigInt<4> a = bigint::from_u64<4>(v), b = plus_r(v);
      REQUIRE(bigint::bit_length(b) <= 254);
      CHECK(accepted(Fr::from_u64(v), a));
      CHECK(accepted(Fr::from_u64(v), b));  // a second bit vector for the same x
      CHECK(a != b);
    }
    BigInt<4> r_minus_1 = r;
    r_minus_1[0] -= 1;
    CHECK(accepted(-Fr::one(), r_minus_1));  // −1 "is in [0, 2^254)"
    // And the library will not build it.
    R1csBuilder cs;
    CHECK_THROWS_WITH(range_check(cs, Lc::wire(cs.add_wires(1)), 254), Catch::Contains("cannot wrap the field"));
  }
}

// (c) Weights as free private inputs: a prover who chooses the weights
// chooses the output.
TEST_CASE("attack: weights as free private inputs", "[zkml][soundness][attack]") {
  SECTION("positive control: a neuron whose weight is a private wire lets the prover pick the output") {
    // y = rescale(w·x, 4): wire 1 the public output, 2 the public input, 3 the weight.
    R1csBuilder cs;
    cs.add_wires(4);
    cs.constrain(Lc::wire(3), Lc::wire(2), Lc::wire(4));  // acc = w·x
    const Rescale g = rescale(cs, Lc::wire(4), 4, 8, false);
    cs.constrain_equal(Lc::wire(1), Lc::wire(g.out));
    const prover::R1cs r = cs.to_r1cs(1, 1);
    std::vector<std::int64_t> outs;
    for (std::int64_t weight : {3, 5, -7}) {
      std::vector<std::int64_t> w(cs.n_wires(), 0);
      w[0] = 1;
      w[2] = 10;
      w[3] = weight;
      w[4] = weight * 10;
      w[1] = assign_rescale(g, weight * 10, w);
      CHECK_NOTHROW(prover::check_witness(r, field(w), "w"));
      outs.push_back(w[1]);
    }
    CHECK(outs == std::vector<std::int64_t>{8, 13, -17});  // one public input, three accepted outputs
  }

  SECTION("zkacc: the weight is a coefficient, and the output is a function of the input") {
    // The same neuron with the weight 3 as a constant: for x = 10 the
    // enumeration of part 2 (the public output y is derived, not fixed) finds
    // exactly one witness, y = 8.
    Gadget g(2);  // wire 1: y, wire 2: x
    const Rescale gr = rescale(g.cs, Lc::wire(2, 3), 4, 8, false);
    g.cs.constrain_equal(Lc::wire(1), Lc::wire(gr.out));
    const prover::R1cs r = g.cs.to_r1cs(1, 1);
    CHECK(r.n_prv_in == 0);
    const IncidenceChecker check(r);
    std::vector<Fr> values(r.n_wires, Fr::zero());
    std::vector<char> fixed(r.n_wires, 0);
    values[0] = Fr::one();
    values[2] = Fr::from_u64(10);
    fixed[0] = fixed[2] = 1;
    const Enumeration e = enumerate_witnesses(check, values, fixed);
    REQUIRE(e.undetermined == -1);
    REQUIRE(e.solutions == 1);
    CHECK(e.first_solution[1] == Fr::from_u64(8));
  }

  SECTION("the compiled models: no private input, every private wire is a gadget's") {
    for (const char* model : {"mlp", "cnn"}) {
      INFO(model);
      const test::Compiled m = test::compile(model);
      const prover::R1cs r = m.circuit.r1cs();
      CHECK(r.n_prv_in == 0);
      CHECK(r.n_pub_out == m.circuit.n_outputs());
      CHECK(r.n_pub_in == m.circuit.n_inputs());
      // Each wire after the public ones is a boolean or a gadget's output
      // (a rescale's or max2's `out`, defined by its constraint): there is
      // no other kind of wire a weight could hide in.
      std::vector<char> kind(r.n_wires, 0);
      for (std::uint32_t c = 0; c < r.n_constraints; ++c)
        if (is_boolean_constraint(r, c)) kind[r.lc(c, 0)[0].wire] |= 1;
      for (std::size_t l = 0; l < m.circuit.model().layers.size(); ++l) {
        const auto& lg = m.circuit.layer_gadgets(l);
        for (const Rescale& g : lg.rescales) kind[g.out] |= 2;
        for (const Max2& g : lg.maxes) kind[g.out] |= 2;
      }
      std::size_t bools = 0, outs = 0, other = 0;
      for (std::uint32_t i = 1 + r.n_public(); i < r.n_wires; ++i) {
        bools += kind[i] == 1;
        outs += kind[i] == 2;
        other += kind[i] != 1 && kind[i] != 2;
      }
      CHECK(other == 0);
      CHECK(bools + outs == r.n_wires - 1 - r.n_public());
      CHECK(bools > 0);
      CHECK(outs > 0);
    }
  }

  SECTION("the MLP: a weight is a coefficient of the R1CS, and another weight is another circuit") {
    const test::Compiled m = test::compile("mlp");
    const QuantizedModel& qa = m.circuit.model();
    const prover::R1cs ra = m.circuit.r1cs();
    const IncidenceChecker check_a(ra);
    const test::Sample s = test::load_sample("mlp", 0, {1, 784});
    const Inference inf = infer(m.circuit, s.input, "sample");
    const std::vector<Fr> wa = inf.witness.to_field();
    const std::vector<std::int64_t>& x = inf.run.values[static_cast<std::size_t>(qa.input)];
    const std::uint32_t in0 = 1 + m.circuit.n_outputs();

    // fc1: the largest pixel, and a neuron whose weight on it is nonzero.
    const QLayer& fc1 = qa.layers[0];
    REQUIRE(fc1.shift > 0);  // the accumulator enters unscaled: its coefficients are the weights
    const std::size_t j = static_cast<std::size_t>(std::max_element(x.begin(), x.end()) - x.begin());
    REQUIRE(x[j] > 0);
    std::size_t o = 0;
    while (fc1.weight[o * 784 + j] == 0) ++o;
    const std::int64_t weight = fc1.weight[o * 784 + j];
    const std::uint32_t c = sum_constraint_of(check_a, m.circuit.layer_gadgets(0).rescales[o].bits.first);
    CHECK(linear_coefficient(ra, c, in0 + static_cast<std::uint32_t>(j)) == int_to_fr(weight));

    // Model A' = A with that weight + 1: the same wires, one constraint differs, at that coefficient.
    QuantizedModel qb = qa;
    qb.layers[0].weight[o * 784 + j] += 1;
    const ModelCircuit mb(qb);
    const prover::R1cs rb = mb.r1cs();
    REQUIRE(rb.n_wires == ra.n_wires);
    REQUIRE(rb.n_constraints == ra.n_constraints);
    std::vector<std::uint32_t> differ;
    for (std::uint32_t k = 0; k < ra.n_constraints; ++k) {
      bool same = true;
      for (int mm = 0; mm < 3 && same; ++mm) {
        const auto ta = ra.lc(k, mm), tb = rb.lc(k, mm);
        same = ta.size() == tb.size() &&
               std::equal(ta.begin(), ta.end(), tb.begin(), [](const auto& p, const auto& q) { return p.wire == q.wire && p.coeff == q.coeff; });
      }
      if (!same) differ.push_back(k);
    }
    CHECK(differ == std::vector<std::uint32_t>{c});
    CHECK(linear_coefficient(rb, c, in0 + static_cast<std::uint32_t>(j)) == int_to_fr(weight + 1));
    // A's witness does not satisfy A', and breaks exactly that constraint.
    CHECK_THROWS_AS(prover::check_witness(rb, wa, "A's witness"), Error);
    const IncidenceChecker check_b(rb);
    CHECK(check_b.broken(wa) == std::vector<std::uint32_t>{c});

    // fc2: a weight change that moves logit 0 by at least one step. A's
    // witness fails A', A''s witness fails A, and their outputs differ.
    const QLayer& fc2 = qa.layers[1];
    REQUIRE(fc2.shift > 0);
    const std::vector<std::int64_t>& h = inf.run.values[static_cast<std::size_t>(fc2.inputs[0])];
    const std::size_t hj = static_cast<std::size_t>(std::max_element(h.begin(), h.end()) - h.begin());
    REQUIRE(h[hj] > 0);
    const std::int64_t step = (std::int64_t(1) << fc2.shift) / h[hj] + 1;  // step·h ≥ 2^shift
    QuantizedModel qc = qa;
    qc.layers[1].weight[hj] += step;
    const ModelCircuit mc(qc);
    const QuantizedRun run_c = evaluate_quantized(qc, x);
    const std::vector<Fr> wc = field(mc.assign(run_c));
    CHECK_NOTHROW(prover::check_witness(mc.r1cs(), wc, "A' witness"));
    CHECK(wc[1] != wa[1]);  // logit 0 differs
    for (std::uint32_t i = 2; i <= m.circuit.n_outputs(); ++i) CHECK(wc[i] == wa[i]);
    CHECK_THROWS_AS(prover::check_witness(mc.r1cs(), wa, "A's witness"), Error);
    CHECK_THROWS_AS(prover::check_witness(ra, wc, "A' witness"), Error);
  }

  SECTION("the CNN: changing one Conv weight changes the circuit, and A's witness fails it") {
    const test::Compiled m = test::compile("cnn");
    QuantizedModel qb = m.circuit.model();
    const Shape shape = m.graph.tensors[static_cast<std::size_t>(m.graph.input)].shape;
    const std::vector<Fr> wa = infer(m.circuit, test::load_sample("cnn", 0, shape).input, "sample").witness.to_field();
    qb.layers[0].weight[4] += 1;  // conv1, channel 0, the centre of its 3×3 kernel
    const ModelCircuit mb(qb);
    const prover::R1cs ra = m.circuit.r1cs(), rb = mb.r1cs();
    REQUIRE(rb.n_wires == ra.n_wires);
    REQUIRE(rb.n_constraints == ra.n_constraints);
    std::size_t differ = 0;
    for (std::size_t t = 0; t < ra.terms.size() && t < rb.terms.size(); ++t)
      differ += ra.terms[t].wire != rb.terms[t].wire || ra.terms[t].coeff != rb.terms[t].coeff;
    CHECK((differ > 0 || ra.terms.size() != rb.terms.size()));
    CHECK_THROWS_AS(prover::check_witness(rb, wa, "A's witness"), Error);
  }
}

// (d) A forged neuron propagated consistently: the attacker changes one
// hidden value of the MLP and recomputes, honestly, every gadget after it
// and the public outputs. All constraints but one hold: the one tying that
// neuron's rescale to its weights and inputs.
TEST_CASE("attack: a forged hidden neuron propagated consistently to the MLP's outputs", "[zkml][soundness][attack]") {
  const test::Compiled m = test::compile("mlp");
  const QuantizedModel& q = m.circuit.model();
  const prover::R1cs r = m.circuit.r1cs();
  const IncidenceChecker check(r);
  const QLayer &fc1 = q.layers[0], &fc2 = q.layers[1];
  REQUIRE((fc1.shift > 0 && fc2.shift > 0));
  const std::int64_t d1 = std::int64_t(1) << fc1.shift;
  std::size_t forged = 0;
  for (int k = 0; k < 3; ++k) {
    const Inference inf = infer(m.circuit, test::load_sample("mlp", k, {1, 784}).input, "sample");
    const std::vector<std::int64_t> honest = m.circuit.assign(inf.run);
    for (std::size_t n = 0; n < 32; n += 5)
      for (std::int64_t steps : {1, 40, -1}) {
        INFO("sample " << k << ", neuron " << n << ", its accumulator moved by " << steps << "·2^" << fc1.shift);
        std::vector<std::int64_t> w = honest;
        const Rescale& g1 = m.circuit.layer_gadgets(0).rescales[n];
        // The neuron's gadget, filled consistently for another accumulator.
        const Int acc1 = Int(inf.run.acc[0][n]) + Int(steps) * d1;
        const auto [lo, hi] = rescale_range(d1, g1.out_bits);
        if (acc1 < lo || acc1 > hi) continue;
        assign_rescale(g1, acc1, w);
        if (w[g1.out] == honest[g1.out]) continue;  // Relu hides the change: nothing forged
        // fc2 and the public outputs recomputed from the forged hidden layer.
        bool changed = false;
        for (std::size_t o = 0; o < 10; ++o) {
          Int acc2 = fc2.bias[o];
          for (std::size_t j = 0; j < 32; ++j)
            acc2 += Int(fc2.weight[o * 32 + j]) * w[m.circuit.layer_gadgets(0).rescales[j].out];
          const std::int64_t y = assign_rescale(m.circuit.layer_gadgets(1).rescales[o], acc2, w);
          w[1 + o] = y;
          changed |= y != honest[1 + o];
        }
        ++forged;
        const std::vector<std::uint32_t> broken = check.broken(field(w));
        CHECK(broken == std::vector<std::uint32_t>{sum_constraint_of(check, g1.bits.first)});
        if (steps == 40) CHECK(changed);  // a large forgery does move the logits
      }
    // The recomputation reproduces the honest witness when nothing is forged.
    std::vector<std::int64_t> w = honest;
    for (std::size_t o = 0; o < 10; ++o) {
      Int acc2 = fc2.bias[o];
      for (std::size_t j = 0; j < 32; ++j) acc2 += Int(fc2.weight[o * 32 + j]) * w[m.circuit.layer_gadgets(0).rescales[j].out];
      CHECK(acc2 == inf.run.acc[1][o]);
    }
  }
  CHECK(forged > 20);
  if (report()) WARN("forged hidden neurons propagated to the outputs: " << forged << ", each breaking exactly its own constraint");
}

// (d) An accumulator just outside the rescale's range, wrapped into it: the
// attacker writes the bits of u mod 2^(s+B) (a negative u becomes a large
// positive output, a too large one a negative output). Part 2 shows no
// witness exists for small widths; here, at the models' widths, the best
// completion breaks exactly the decomposition's sum.
TEST_CASE("attack: an accumulator outside the rescale's range wrapped into it through the offset",
          "[zkml][soundness][attack]") {
  std::size_t attacks = 0;
  for (std::int64_t d : {std::int64_t(1) << 6, std::int64_t(1) << 10, std::int64_t(1), std::int64_t(36), std::int64_t(9)})
    for (int B : {8, 12})
      for (bool relu : {false, true}) {
        Gadget g(1);
        const Rescale gr = rescale(g.cs, Lc::wire(1), d, B, relu);
        const prover::R1cs r = g.cs.to_r1cs(0, 0);
        const IncidenceChecker check(r);
        const auto [lo, hi] = rescale_range(d, B);
        for (Int acc : {lo - 1, lo - d, lo - 2 * hi, hi + 1, hi + d, hi + 2 * hi}) {
          INFO("d = " << d << ", B = " << B << (relu ? " + relu" : "") << ", acc = " << str(acc));
          std::vector<Fr> w(r.n_wires, Fr::zero());
          w[0] = Fr::one();
          w[1] = int_to_fr(acc);
          // The in-range accumulator the wrapped bits stand for.
          const Int span = Int(d) * pow2(B);
          const Int wrapped = ((acc - lo) % span + span) % span + lo;
          REQUIRE(wrapped != acc);
          std::vector<std::int64_t> iw(r.n_wires, 0);
          iw[0] = 1;
          const std::int64_t out = assign_rescale(gr, wrapped, iw);
          for (std::uint32_t i = 2; i < r.n_wires; ++i) w[i] = int_to_fr(iw[i]);
          CHECK(w[gr.out] == int_to_fr(out));
          ++attacks;
          // Broken: exactly the one constraint that reads the accumulator
          // (the decomposition's sum for d = 2^s, the division relation otherwise).
          REQUIRE(check.constraints_of(1).size() == 1);
          CHECK(check.broken(w) == check.constraints_of(1));
        }
      }
  CHECK(attacks == 5 * 2 * 2 * 6);
}

TEST_CASE("attack: packed input values traded between neighbours (v_i + 2^B, v_(i+1) - 1) keep the packed element",
          "[zkml][soundness][attack][commitment]") {
  // The packed element Σ (v_i + 2^(B−1))·2^(B·i) does not change when one
  // value gains 2^B and the next loses 1: without the values' range checks
  // the prover could claim another input under the same public element (or
  // commitment). The input's range checks must reject it: B boolean bits sum
  // to less than 2^B, far below r, so no choice of bits fits v_i + 2^B.
  SEED_INFO();
  const test::Compiled m = test::compile("mlp");
  Settings s = m.settings;
  s.exposure = {Visibility::packed, Visibility::public_values};
  const ModelCircuit c(quantize(m.graph, s));
  const prover::R1cs r = c.r1cs();
  const IncidenceChecker check(r);
  const int B = c.model().tensor(c.model().input).bits;
  const std::vector<Fr> honest = infer(c, test::load_sample("mlp", 0, {1, 784}).input, "input").witness.to_field();
  REQUIRE(check.all_hold(honest));
  std::size_t attacks = 0;
  for (std::uint32_t i : {0u, 200u, 400u, 782u}) {
    INFO("input values " << i << " and " << i + 1);
    std::vector<Fr> w = honest;
    w[c.input_value_wire(i)] += fr_pow2(B);
    w[c.input_value_wire(i + 1)] -= Fr::one();
    // The same packed elements: the public wires still match.
    for (const FieldLc& e : c.exposed_input().packed) CHECK(e.evaluate(w) == e.evaluate(honest));
    ++attacks;
    const std::vector<std::uint32_t> broken = check.broken(w);
    CHECK_FALSE(broken.empty());
    // Broken are exactly range-check sums (and layer constraints reading the
    // changed pixels): every one of them involves a changed value wire.
    for (std::uint32_t b : broken) {
      const auto& of_i = check.constraints_of(c.input_value_wire(i));
      const auto& of_next = check.constraints_of(c.input_value_wire(i + 1));
      CHECK((std::find(of_i.begin(), of_i.end(), b) != of_i.end() || std::find(of_next.begin(), of_next.end(), b) != of_next.end()));
    }
  }
  CHECK(attacks == 4);
}
