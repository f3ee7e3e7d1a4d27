// Sigmoid, Tanh, Erf and GELU (host/include/zkacc/zkml/ops/smooth_activation.hpp):
// the worst-case error the table states is the true one, recomputed here
// over every input integer against libm's exp, tanh and erf (GELU through
// erf, where the library uses erfc); it is within one output
// step at the widths zkacc uses; the gadget computes exactly the integer
// semantics for every input and costs what the table says. The soundness
// audit (tamper tests, exhaustive enumeration) is in soundness_test.cpp.
#include <catch2/catch.hpp>

#include <cmath>

#include "zkacc/common/error.hpp"
#include "zkacc/zkml/ops/smooth_activation.hpp"
#include "zkacc/zkml/r1cs_builder.hpp"

using namespace zkacc;
using namespace zkacc::zkml;

namespace {

struct Width {
  int in_frac, in_bits, out_frac, out_bits;
};

// The input scales calibration gives 12-bit pre-activations (ranges ±2 to
// ±128), a coarse integer input, a 16-bit input and a narrow 8-bit output.
const Width kWidths[] = {{10, 12, 10, 12}, {8, 12, 10, 12}, {5, 12, 10, 12}, {4, 12, 10, 12},
                         {0, 8, 10, 12},   {10, 16, 14, 16}, {4, 8, 6, 8}};

const SmoothFn kAll[] = {SmoothFn::Sigmoid, SmoothFn::Tanh, SmoothFn::Erf, SmoothFn::Gelu, SmoothFn::GeluTanh, SmoothFn::ExpNeg};

double reference(SmoothFn fn, double v) {
  switch (fn) {
    case SmoothFn::Sigmoid: return 1 / (1 + std::exp(-v));
    case SmoothFn::Tanh: return std::tanh(v);
    case SmoothFn::Erf: return std::erf(v);
    case SmoothFn::Gelu: return v * 0.5 * (1 + std::erf(v * M_SQRT1_2));
    case SmoothFn::GeluTanh: return 0.5 * v * (1 + std::tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)));
    case SmoothFn::ExpNeg: return std::exp(-std::fabs(v));
  }
  return 0;
}

// GELU keeps its input's scale; the others take the width's output scale.
SmoothTable table(SmoothFn fn, const Width& w) {
  return smooth_keeps_scale(fn) ? make_smooth_table(fn, w.in_frac, w.in_bits, w.in_frac, w.in_bits)
                                : make_smooth_table(fn, w.in_frac, w.in_bits, w.out_frac, w.out_bits);
}

double reference_error(const SmoothTable& t) {
  double worst = 0;
  const std::int64_t half = std::int64_t(1) << (t.in_bits - 1);
  for (std::int64_t x = -half; x < half; ++x) {
    const double exact = reference(t.fn, std::ldexp(double(x), -t.in_frac));
    worst = std::max(worst, std::abs(std::ldexp(double(smooth_eval(t, x)), -t.out_frac) - exact));
  }
  return worst;
}

}  // namespace

TEST_CASE("smooth activations: the stated worst-case error holds for every input, within one output step",
          "[zkml][ops][smooth]") {
  for (SmoothFn fn : kAll)
    for (const Width& w : kWidths) {
      const SmoothTable t = table(fn, w);
      INFO(smooth_fn_name(fn) << " in " << w.in_bits << " bits at 2^-" << w.in_frac << ": L = " << t.window_bits
                              << ", k = " << t.segment_bits << ", S = " << t.poly_shift << ", error " << t.max_error);
      CHECK(std::abs(reference_error(t) - t.max_error) <= 1e-12);  // libm's erf and erfc may differ in the last bits
      CHECK(t.max_error <= std::ldexp(1.0, -t.out_frac));
      // Sigmoid, Tanh, Erf stay in [-1, 1] (a step of slack); GELU between its minimum (−0.17) and max(x, 0).
      const std::int64_t half = std::int64_t(1) << (w.in_bits - 1), one = std::int64_t(1) << t.out_frac;
      for (std::int64_t x = -half; x < half; ++x) {
        const std::int64_t y = smooth_eval(t, x);
        if (smooth_keeps_scale(fn))
          CHECK((y >= -std::ldexp(0.17, t.out_frac) - 1 && y <= std::max<std::int64_t>(x, 0) + 1));
        else
          CHECK((y >= (fn == SmoothFn::Sigmoid ? -1 : -one - 1) && y <= one + 1));
      }
    }
}

TEST_CASE("smooth activations: at 12-bit activations a value costs under three rescales", "[zkml][ops][smooth]") {
  // A rescale to 12 bits with the shift calibration usually picks (s ≈ 10)
  // costs s + B + 2 = 24 constraints; the input's bits come from it.
  for (SmoothFn fn : kAll)
    for (int in_frac : {4, 5, 6, 7, 8, 9, 10}) {
      const SmoothTable t = table(fn, Width{in_frac, 12, 10, 12});
      INFO(smooth_fn_name(fn) << " at 2^-" << in_frac << ": " << t.constraints << " constraints");
      CHECK(t.constraints <= 3 * 24);
    }
}

TEST_CASE("smooth activations: the gadget computes the integer semantics for every input, at its stated cost",
          "[zkml][ops][smooth]") {
  for (SmoothFn fn : kAll)
    for (const Width& w : {Width{5, 12, 10, 12}, Width{9, 12, 10, 12}, Width{0, 8, 10, 12}, Width{4, 8, 6, 8}}) {
      const SmoothTable t = table(fn, w);
      for (bool own : {true, false}) {
        R1csBuilder cs;
        const std::uint32_t x = cs.add_wires(1);
        // Supplied bits: a range check stands for the producer's rescale.
        Lc shifted = Lc::wire(x);
        shifted.add_constant(Int(1) << (w.in_bits - 1));
        const Bits given = own ? Bits{} : range_check(cs, shifted, w.in_bits);
        const std::size_t mid = cs.n_constraints();
        const SmoothGadget g = smooth_activation(cs, Lc::wire(x), t, own ? nullptr : &given);
        CHECK(cs.n_constraints() - mid == static_cast<std::size_t>(t.constraints + (own ? w.in_bits + 1 : 0)));
        const std::int64_t half = std::int64_t(1) << (w.in_bits - 1);
        for (std::int64_t v = -half; v < half; ++v) {
          std::vector<std::int64_t> wires(cs.n_wires(), 0);
          wires[0] = 1;
          wires[x] = v;
          if (!own)
            for (int i = 0; i < w.in_bits; ++i)
              wires[given.first + static_cast<std::uint32_t>(i)] = ((v + half) >> i) & 1;
          INFO(smooth_fn_name(fn) << ", x = " << v);
          REQUIRE(assign_smooth(g, t, v, wires) == smooth_eval(t, v));
          REQUIRE(wires[g.out] == smooth_eval(t, v));
          REQUIRE(cs.first_unsatisfied(wires) == -1);
        }
      }
    }
}

TEST_CASE("smooth activations: widths the gadget does not take are errors", "[zkml][ops][smooth][bad-input]") {
  CHECK_THROWS_WITH(make_smooth_table(SmoothFn::Sigmoid, 8, 24, 10, 12), Catch::Contains("Sigmoid") && Catch::Contains("24 bits"));
  CHECK_THROWS_WITH(make_smooth_table(SmoothFn::Tanh, 8, 12, 11, 12), Catch::Contains("Tanh") && Catch::Contains("does not hold 1.0"));
  CHECK_THROWS_WITH(make_smooth_table(SmoothFn::Gelu, 8, 12, 10, 12), Catch::Contains("Gelu") && Catch::Contains("keeps the input's scale"));
}
