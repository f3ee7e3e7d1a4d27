#include "zkacc/zkml/ops/smooth_activation.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "../importer.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/zkml/quantize.hpp"

namespace zkacc::zkml {

namespace {

Int pow2(int k) { return Int(1) << k; }

// The extra bits of S above 2m that the search tries: S = 2m + extra keeps
// the rounding of C (≤ ½·t² ≤ ½·2^2m) below 2^-(extra+1) output steps.
constexpr int kPolyExtraMin = 2, kPolyExtraMax = 6;
// Segment bits tried: 2^k − k − 1 monomial constraints grow fast, and seven
// bits (128 segments) already cost more than the rescales the issue allows.
constexpr int kMaxSegmentBits = 7;

// G(v) for v ≥ 0, the function of |x| the table holds.
double inner_float(SmoothFn fn, double v) { return smooth_keeps_scale(fn) ? v - smooth_float(fn, v) : smooth_float(fn, v); }
// G(∞): 1 for Sigmoid, Tanh, Erf; 0 for GELU and e^−v.
double inner_limit(SmoothFn fn) { return smooth_keeps_scale(fn) || fn == SmoothFn::ExpNeg ? 0.0 : 1.0; }

// Least squares of `v` over the points `t` by A + B·t + C·t² with integer
// coefficients: C from the quadratic fit (rounded), B refitted with C fixed
// (rounded), then A centres the residual (minimax for the constant).
void fit_segment(const std::vector<double>& t, const std::vector<double>& v, double span, Int& a, Int& b, Int& c) {
  const std::size_t n = t.size();
  // In u = t / span ∈ [0, 1] the normal equations are well conditioned.
  double s[5] = {0, 0, 0, 0, 0}, r[3] = {0, 0, 0};
  for (std::size_t i = 0; i < n; ++i) {
    const double u = t[i] / span;
    double p = 1;
    for (int k = 0; k < 5; ++k, p *= u) s[k] += p;
    r[0] += v[i];
    r[1] += v[i] * u;
    r[2] += v[i] * u * u;
  }
  double gamma = 0;
  if (n >= 3) {
    // Solve the 3×3 system [s0 s1 s2; s1 s2 s3; s2 s3 s4]·(α, β, γ) = r by Cramer's rule.
    auto det3 = [](double a11, double a12, double a13, double a21, double a22, double a23, double a31, double a32,
                   double a33) {
      return a11 * (a22 * a33 - a23 * a32) - a12 * (a21 * a33 - a23 * a31) + a13 * (a21 * a32 - a22 * a31);
    };
    const double d = det3(s[0], s[1], s[2], s[1], s[2], s[3], s[2], s[3], s[4]);
    if (d != 0) gamma = det3(s[0], s[1], r[0], s[1], s[2], r[1], s[2], s[3], r[2]) / d;
  }
  c = static_cast<Int>(std::llround(gamma / (span * span)));
  // B with C fixed: a line through the residual v − C·t².
  double st = 0, stt = 0, sv = 0, stv = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double res = v[i] - double(c) * t[i] * t[i];
    st += t[i];
    stt += t[i] * t[i];
    sv += res;
    stv += res * t[i];
  }
  const double den = double(n) * stt - st * st;
  const double beta = den != 0 ? (double(n) * stv - st * sv) / den : 0.0;
  b = static_cast<Int>(std::llround(beta));
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (std::size_t i = 0; i < n; ++i) {
    const double res = v[i] - double(c) * t[i] * t[i] - double(b) * t[i];
    lo = std::min(lo, res);
    hi = std::max(hi, res);
  }
  a = static_cast<Int>(std::llround((lo + hi) / 2));
}

// Fits every segment of `t` (window, k, S set). Returns false if a
// polynomial's rescaled value can leave the output range.
bool fit_table(SmoothTable& tb) {
  const int m = tb.m();
  const std::int64_t seg_len = std::int64_t(1) << m;
  const std::int64_t segs = std::int64_t(1) << tb.segment_bits;
  const double scale = std::ldexp(1.0, tb.out_frac + tb.poly_shift);
  // All integer points 0 … 2^m, or 4,097 of them spread evenly.
  std::vector<double> ts;
  const std::int64_t n_pts = std::min<std::int64_t>(seg_len, 4096);
  for (std::int64_t i = 0; i <= n_pts; ++i) ts.push_back(double((i * seg_len) / n_pts));
  std::vector<double> vs(ts.size());
  tb.a.assign(static_cast<std::size_t>(segs), 0);
  tb.b = tb.c = tb.a;
  const Int lo = -pow2(tb.out_bits - 1), hi = pow2(tb.out_bits - 1);
  for (std::int64_t j = 0; j < segs; ++j) {
    for (std::size_t i = 0; i < ts.size(); ++i)
      vs[i] = inner_float(tb.fn, std::ldexp(double(j * seg_len) + ts[i], -tb.in_frac)) * scale;
    const auto js = static_cast<std::size_t>(j);
    Int& a = tb.a[js];
    Int& b = tb.b[js];
    Int& c = tb.c[js];
    fit_segment(ts, vs, double(seg_len), a, b, c);
    for (std::int64_t t = 0; t <= seg_len; ++t) {
      const Int q = rescale_value(a + b * t + c * t * t, tb.poly_shift);
      if (q < lo || q >= hi) return false;
    }
  }
  return true;
}

// y from the sign, the input and the table's value (the header's rules).
Int combine(SmoothFn fn, bool s, Int x, Int inner, Int one) {
  if (fn == SmoothFn::Sigmoid) return s ? inner : one - inner;
  if (fn == SmoothFn::ExpNeg) return inner;
  if (smooth_keeps_scale(fn)) return (s ? x : 0) - inner;
  return s ? inner : -inner;
}

double worst_error(const SmoothTable& tb, const std::vector<double>& exact) {
  double worst = 0;
  const std::int64_t half = std::int64_t(1) << (tb.in_bits - 1);
  const std::int64_t out_half = std::int64_t(1) << (tb.out_bits - 1);
  for (std::int64_t x = -half; x < half; ++x) {
    const std::int64_t y = smooth_eval(tb, x);
    if (y < -out_half || y >= out_half) return std::numeric_limits<double>::infinity();  // leaves the output's range
    worst = std::max(worst, std::abs(std::ldexp(double(y), -tb.out_frac) - exact[static_cast<std::size_t>(x + half)]));
  }
  return worst;
}

int constraints_per_value(const SmoothTable& tb) {
  const int k = tb.segment_bits;
  const int h = tb.in_bits - 1 - tb.window_bits;  // bits above the window
  int n = k + (tb.m() >= 1 ? 1 : 0) + (tb.has_window() ? 2 * h : 0) + 1 + ((1 << k) - k - 1);
  n += (tb.m() >= 1 ? 1 : 0) + (k > 0 ? 2 : 0);  // t², B·t and C·t² as products
  return n + tb.poly_shift + tb.out_bits + 2;
}

}  // namespace

bool smooth_fn_of(LayerKind kind, SmoothFn& fn) {
  switch (kind) {
    case LayerKind::Sigmoid: fn = SmoothFn::Sigmoid; return true;
    case LayerKind::Tanh: fn = SmoothFn::Tanh; return true;
    case LayerKind::Erf: fn = SmoothFn::Erf; return true;
    case LayerKind::Gelu: fn = SmoothFn::Gelu; return true;
    case LayerKind::GeluTanh: fn = SmoothFn::GeluTanh; return true;
    default: return false;
  }
}

const char* smooth_fn_name(SmoothFn fn) {
  switch (fn) {
    case SmoothFn::Sigmoid: return "Sigmoid";
    case SmoothFn::Tanh: return "Tanh";
    case SmoothFn::Erf: return "Erf";
    case SmoothFn::Gelu: return "Gelu";
    case SmoothFn::GeluTanh: return "Gelu (tanh approximation)";
    case SmoothFn::ExpNeg: return "Exp";
  }
  return "?";
}

double smooth_float(SmoothFn fn, double x) {
  switch (fn) {
    case SmoothFn::Sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case SmoothFn::Tanh: return std::tanh(x);
    case SmoothFn::Erf: return std::erf(x);
    case SmoothFn::Gelu: return 0.5 * x * std::erfc(-x / std::sqrt(2.0));  // x·Φ(x), erfc keeps the left tail exact
    case SmoothFn::GeluTanh: return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
    case SmoothFn::ExpNeg: return std::exp(-std::abs(x));
  }
  return 0;
}

SmoothTable make_smooth_table(SmoothFn fn, int in_frac, int in_bits, int out_frac, int out_bits) {
  const std::string what = std::string(smooth_fn_name(fn)) + ": ";
  if (in_bits < 2 || in_bits > kMaxSmoothInputBits)
    throw Error(what + "an input of " + std::to_string(in_bits) + " bits (zkacc approximates inputs of 2 to " +
                std::to_string(kMaxSmoothInputBits) + " bits)");
  if (smooth_keeps_scale(fn)) {
    if (out_frac != in_frac || out_bits != in_bits)
      throw Error(what + "the output keeps the input's scale and bits (" + std::to_string(in_frac) + ", " +
                  std::to_string(in_bits) + "), not (" + std::to_string(out_frac) + ", " + std::to_string(out_bits) + ")");
  } else if (out_frac < 0 || out_frac > out_bits - 2 || out_bits > 40) {
    throw Error(what + "output scale 2^-" + std::to_string(out_frac) + " in " + std::to_string(out_bits) +
                " bits does not hold 1.0 (frac must be 0 to bits - 2)");
  }
  if (in_frac < -62 || in_frac > 62) throw Error(what + "input scale out of range");
  SmoothTable tb;
  tb.fn = fn;
  tb.in_frac = in_frac;
  tb.in_bits = in_bits;
  tb.out_frac = out_frac;
  tb.out_bits = out_bits;
  // The window: from 2^L on, every input's G is within half an output step
  // of G(∞) (scanned from the top: GELU's G first rises, then decays).
  const std::int64_t half = std::int64_t(1) << (in_bits - 1);
  tb.window_bits = 0;
  for (std::int64_t a = half - 1; a >= 1; --a)
    if (std::abs(inner_float(fn, std::ldexp(double(a), -in_frac)) - inner_limit(fn)) * std::ldexp(1.0, out_frac) > 0.5) {
      tb.window_bits = std::bit_width(static_cast<std::uint64_t>(a));
      break;
    }
  tb.window_bits = std::min(tb.window_bits, in_bits - 1);
  std::vector<double> exact(static_cast<std::size_t>(2 * half));
  for (std::int64_t x = -half; x < half; ++x)
    exact[static_cast<std::size_t>(x + half)] = smooth_float(fn, std::ldexp(double(x), -in_frac));

  // Candidates by cost; the first whose exhaustive error is within one
  // output step wins, else the most accurate.
  std::vector<SmoothTable> cands;
  for (int k = 0; k <= std::min(tb.window_bits, kMaxSegmentBits); ++k)
    for (int extra = kPolyExtraMin; extra <= kPolyExtraMax; ++extra) {
      SmoothTable c = tb;
      c.segment_bits = k;
      c.poly_shift = 2 * c.m() + extra;
      // The fit rounds G·2^(g+S) to 64-bit integers; the rescale decomposes S + B_out bits.
      if (c.poly_shift + out_frac + 2 > 62 || c.poly_shift + out_bits > 120) continue;
      c.constraints = constraints_per_value(c);
      cands.push_back(std::move(c));
    }
  std::stable_sort(cands.begin(), cands.end(), [](const SmoothTable& x, const SmoothTable& y) { return x.constraints < y.constraints; });
  const double target = std::ldexp(1.0, -out_frac);
  SmoothTable best;
  best.max_error = std::numeric_limits<double>::infinity();
  for (SmoothTable& c : cands) {
    if (!fit_table(c)) continue;
    c.max_error = worst_error(c, exact);
    if (c.max_error <= target) return std::move(c);
    if (c.max_error < best.max_error) best = std::move(c);
  }
  if (!std::isfinite(best.max_error)) throw Error(what + "no polynomial table fits the output range");
  return best;
}

std::int64_t smooth_eval(const SmoothTable& tb, std::int64_t x) {
  const bool s = x >= 0;
  const std::int64_t a = s ? x : -x - 1;
  const Int one = pow2(tb.out_frac);
  Int inner = static_cast<Int>(inner_limit(tb.fn)) * one;
  if ((a >> tb.window_bits) == 0) {
    const int m = tb.m();
    const std::int64_t seg = a >> m;
    const Int t = (a & ((std::int64_t(1) << m) - 1)) + (s ? 0 : 1);
    const auto j = static_cast<std::size_t>(seg);
    inner = rescale_value(tb.a[j] + tb.b[j] * t + tb.c[j] * t * t, tb.poly_shift);
  }
  return static_cast<std::int64_t>(combine(tb.fn, s, x, inner, one));
}

SmoothGadget smooth_activation(R1csBuilder& cs, const Lc& x, const SmoothTable& tb, const Bits* x_bits) {
  const int B = tb.in_bits, k = tb.segment_bits, m = tb.m();
  SmoothGadget g;
  if (x_bits) {
    if (x_bits->width != B) throw Error("internal: smooth activation given " + std::to_string(x_bits->width) + " input bits");
    g.x_bits = *x_bits;
  } else {
    Lc u = x;
    u.add_constant(pow2(B - 1));
    g.x_bits = range_check(cs, u, B);
    g.own_bits = true;
  }
  auto bit = [&](int i) { return g.x_bits.first + static_cast<std::uint32_t>(i); };
  const std::uint32_t s = bit(B - 1);  // 1 exactly when x ≥ 0
  // s ? v : (2^n − 1) − v, for v the value of `n` bits: (2v − 2^n + 1)·s = out − 2^n + 1 + v.
  auto select_ones_complement = [&](const Lc& v, int n) {
    const std::uint32_t out = cs.add_wires(1);
    Lc lhs;
    for (const Term& tm : v.terms) lhs.add(tm.wire, 2 * tm.coeff);
    lhs.add_constant(1 - pow2(n));
    Lc rhs = Lc::wire(out);
    rhs.add_constant(1 - pow2(n));
    rhs += v;
    cs.constrain(lhs, Lc::wire(s), rhs);
    return out;
  };
  // a's bits from m up: a_i = s ? x_i : 1 − x_i = 1 − s − x_i + 2·s·x_i.
  // The first k are the segment's, the rest lie above the window.
  std::vector<Lc> abit;
  for (int i = m; i < B - 1; ++i) {
    const std::uint32_t xi = bit(i);
    const std::uint32_t p = cs.add_wires(1);
    cs.constrain(Lc::wire(xi), Lc::wire(s), Lc::wire(p));
    g.sx.push_back(p);
    Lc ai = Lc::constant(1);
    ai.add(s, -1).add(xi, -1).add(p, 2);
    abit.push_back(std::move(ai));
  }
  const std::vector<Lc> seg_bit(abit.begin(), abit.begin() + k);
  // t = (a's low m bits) + 1 − s ∈ [0, 2^m].
  Lc t = Lc::constant(1);
  t.add(s, -1);
  if (m >= 1) {
    g.t_sel = select_ones_complement(g.x_bits.sum(0, m), m);
    t.add(g.t_sel, 1);
  }
  // Inside the window exactly when a's bits above L are all zero:
  // z = Π (1 − a_i), a chain of products of booleans.
  Lc z;
  if (tb.has_window()) {
    auto not_bit = [&](std::size_t i) {
      Lc n = Lc::constant(1);
      n -= abit[i];
      return n;
    };
    z = not_bit(static_cast<std::size_t>(k));
    for (std::size_t i = static_cast<std::size_t>(k) + 1; i < abit.size(); ++i) {
      const std::uint32_t c = cs.add_wires(1);
      cs.constrain(not_bit(i), z, Lc::wire(c));
      g.window_chain.push_back(c);
      z = Lc::wire(c);
    }
  }
  // Multilinear monomials of the segment bits: mono[M] = Π_{i ∈ M} a_i.
  const std::size_t n_mono = std::size_t(1) << k;
  std::vector<Lc> mono(n_mono);
  mono[0] = Lc::constant(1);
  g.monomials.assign(n_mono, 0);
  for (std::size_t mask = 1; mask < n_mono; ++mask) {
    const int top = std::bit_width(mask) - 1;
    const std::size_t rest = mask & ~(std::size_t(1) << top);
    if (rest == 0) {
      mono[mask] = seg_bit[static_cast<std::size_t>(top)];
      continue;
    }
    const std::uint32_t w = cs.add_wires(1);
    cs.constrain(seg_bit[static_cast<std::size_t>(top)], mono[rest], Lc::wire(w));
    g.monomials[mask] = w;
    mono[mask] = Lc::wire(w);
  }
  // A coefficient as a function of the segment: the Möbius transform of the
  // table gives its multilinear extension, exact on boolean bits.
  auto coefficient = [&](const std::vector<Int>& table) {
    std::vector<Int> alpha(table.begin(), table.end());
    for (int i = 0; i < k; ++i)
      for (std::size_t mask = 0; mask < n_mono; ++mask)
        if (mask >> i & 1) alpha[mask] -= alpha[mask ^ (std::size_t(1) << i)];
    Lc lc;
    for (std::size_t mask = 0; mask < n_mono; ++mask)
      if (alpha[mask] != 0)
        for (const Term& tm : mono[mask].terms) lc.add(tm.wire, tm.coeff * alpha[mask]);
    return lc;
  };
  Lc poly = coefficient(tb.a);
  const Lc bc = coefficient(tb.b), cc = coefficient(tb.c);
  // t²: t ∈ {0, 1} when m = 0, so t² = t.
  Lc t2 = t;
  if (m >= 1) {
    g.t2 = cs.add_wires(1);
    cs.constrain(t, t, Lc::wire(g.t2));
    t2 = Lc::wire(g.t2);
  }
  auto product = [&](const Lc& coeff, const Lc& v, std::uint32_t& wire) {
    if (k == 0) {  // a constant coefficient: a linear term
      const Int c = coeff.terms.empty() ? 0 : coeff.terms[0].coeff;
      for (const Term& tm : v.terms) poly.add(tm.wire, tm.coeff * c);
      return;
    }
    wire = cs.add_wires(1);
    cs.constrain(coeff, v, Lc::wire(wire));
    poly.add(wire, 1);
  };
  product(bc, t, g.bt);
  product(cc, t2, g.ct);
  g.poly = rescale(cs, poly, std::int64_t(1) << tb.poly_shift, tb.out_bits, false);
  const Int one = pow2(tb.out_frac);
  const Int limit = static_cast<Int>(inner_limit(tb.fn)) * one;  // G(∞)·2^g
  Lc inner = Lc::wire(g.poly.out);
  if (tb.has_window()) {  // inner = z·(q − limit) + limit
    g.saturated = cs.add_wires(1);
    Lc q_minus = Lc::wire(g.poly.out);
    q_minus.add_constant(-limit);
    cs.constrain(q_minus, z, Lc::wire(g.saturated));
    inner = Lc::wire(g.saturated);
    inner.add_constant(limit);
  }
  g.out = cs.add_wires(1);
  Lc lhs, rhs = Lc::wire(g.out);
  rhs += inner;
  if (tb.fn == SmoothFn::ExpNeg) {  // even: y = inner
    cs.constrain_equal(Lc::wire(g.out), inner);
    return g;
  }
  if (smooth_keeps_scale(tb.fn)) {  // GELU: x·s = y + inner
    lhs = x;
  } else {
    for (const Term& tm : inner.terms) lhs.add(tm.wire, 2 * tm.coeff);
    if (tb.fn == SmoothFn::Sigmoid) {  // (2·inner − 1)·s = y − 1 + inner
      lhs.add_constant(-one);
      rhs.add_constant(-one);
    }  // Tanh, Erf: (2·inner)·s = y + inner
  }
  cs.constrain(lhs, Lc::wire(s), rhs);
  return g;
}

std::int64_t assign_smooth(const SmoothGadget& g, const SmoothTable& tb, std::int64_t x, std::span<std::int64_t> w) {
  const int B = tb.in_bits, L = tb.window_bits, k = tb.segment_bits, m = tb.m();
  if (g.own_bits) assign_bits(g.x_bits, Int(x) + pow2(B - 1), w);
  const bool s = x >= 0;
  const std::int64_t a = s ? x : -x - 1;
  const std::uint64_t u = static_cast<std::uint64_t>(x + (std::int64_t(1) << (B - 1)));
  for (std::size_t i = 0; i < g.sx.size(); ++i)
    w[g.sx[i]] = s ? static_cast<std::int64_t>((u >> (m + static_cast<int>(i))) & 1) : 0;
  const std::int64_t t = (a & ((std::int64_t(1) << m) - 1)) + (s ? 0 : 1);
  if (m >= 1) w[g.t_sel] = a & ((std::int64_t(1) << m) - 1);
  const bool inside = (a >> L) == 0;
  // The chain's partial products: 1 while every a_i so far is 0.
  bool all_zero = ((a >> L) & 1) == 0;
  for (std::size_t j = 0; j < g.window_chain.size(); ++j) {
    all_zero = all_zero && ((a >> (L + 1 + static_cast<int>(j))) & 1) == 0;
    w[g.window_chain[j]] = all_zero ? 1 : 0;
  }
  const std::int64_t seg = (a >> m) & ((std::int64_t(1) << k) - 1);
  for (std::size_t mask = 1; mask < g.monomials.size(); ++mask)
    if (g.monomials[mask]) w[g.monomials[mask]] = (static_cast<std::size_t>(seg) & mask) == mask ? 1 : 0;
  if (m >= 1) w[g.t2] = t * t;
  const auto j = static_cast<std::size_t>(seg);
  if (k > 0) {
    w[g.bt] = static_cast<std::int64_t>(tb.b[j] * t);
    w[g.ct] = static_cast<std::int64_t>(tb.c[j] * t * t);
  }
  const Int poly = tb.a[j] + tb.b[j] * t + tb.c[j] * t * t;
  const std::int64_t q = assign_rescale(g.poly, poly, w);
  const Int one = pow2(tb.out_frac);
  const Int limit = static_cast<Int>(inner_limit(tb.fn)) * one;
  if (tb.has_window()) w[g.saturated] = inside ? static_cast<std::int64_t>(q - limit) : 0;
  const Int inner = inside ? Int(q) : limit;
  const std::int64_t y = static_cast<std::int64_t>(combine(tb.fn, s, x, inner, one));
  w[g.out] = y;
  return y;
}

}  // namespace zkacc::zkml

// The ONNX ops (opsets 13–20), each elementwise with the input's shape:
//   Sigmoid, Tanh, Erf, Exp (opset 13)  the function
//   Gelu (opset 20; approximate "none" or "tanh")
// PyTorch's nn.GELU before opset 20 exports the Erf form
// (Div √2, Erf, Add 1, Mul x, Mul 0.5) or, approximate="tanh", the tanh
// form; the rewrite passes fuse both into one Gelu layer (rewrite.hpp).
namespace zkacc::zkml::detail {

namespace {

void op_gelu(Importer& im, const onnx::NodeProto& n) {
  const auto a = im.attrs(n, {"approximate"});
  const auto it = a.find("approximate");
  const std::string approx = it == a.end() ? "none" : it->second->s();
  if (approx != "none" && approx != "tanh")
    im.fail_node(n, "approximate = '" + approx + "' is not an ONNX value (\"none\" or \"tanh\")");
  im.only_first_output(n);
  const int x = im.act_input(n, 0);
  Layer l;
  l.kind = approx == "none" ? LayerKind::Gelu : LayerKind::GeluTanh;
  l.onnx_ops = "Gelu";
  l.inputs = {x};
  im.add_layer(std::move(l), n, im.shape_of(x));
}

}  // namespace

void register_smooth_activation_ops(OpRegistry& r) {
  for (const auto& [op, layer_kind] : {std::pair{"Sigmoid", LayerKind::Sigmoid}, std::pair{"Tanh", LayerKind::Tanh},
                                       std::pair{"Erf", LayerKind::Erf}, std::pair{"Exp", LayerKind::Exp}}) {
    const LayerKind kind = layer_kind;  // a copy: clang does not capture structured bindings
    r[op] = [kind](Importer& im, const onnx::NodeProto& n) { add_unary(im, n, kind); };
  }
  r["Gelu"] = op_gelu;
}

}  // namespace zkacc::zkml::detail
