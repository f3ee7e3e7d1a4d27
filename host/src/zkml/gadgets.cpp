#include "zkacc/zkml/gadgets.hpp"

#include <bit>
#include <cmath>

#include "zkacc/common/error.hpp"
#include "zkacc/zkml/quantize.hpp"

namespace zkacc::zkml {

namespace {

Int pow2(int k) { return Int(1) << k; }

void check_width(int width) {
  if (width < 1 || width > kMaxDecompositionBits)
    throw Error("internal: a bit decomposition of " + std::to_string(width) + " bits (allowed 1.." +
                std::to_string(kMaxDecompositionBits) + ", so that it cannot wrap the field)");
}

}  // namespace

Lc Bits::sum(int lo, int hi) const {
  Lc l;
  for (int i = lo; i < hi; ++i) l.add(first + static_cast<std::uint32_t>(i), pow2(i - lo));
  return l;
}

Bits alloc_bits(R1csBuilder& cs, int width) {
  check_width(width);
  Bits b{cs.add_wires(static_cast<std::uint32_t>(width)), width};
  for (int i = 0; i < width; ++i) cs.constrain_boolean(b.first + static_cast<std::uint32_t>(i));
  return b;
}

Bits range_check(R1csBuilder& cs, const Lc& value, int width) {
  const Bits b = alloc_bits(cs, width);
  cs.constrain_equal(value, b.sum());
  return b;
}

void assign_bits(const Bits& bits, Int value, std::span<std::int64_t> w) {
  check_width(bits.width);
  if (value < 0 || value >= pow2(bits.width))
    throw Error("internal: value outside the " + std::to_string(bits.width) + "-bit range of its decomposition");
  for (int i = 0; i < bits.width; ++i) w[bits.first + static_cast<std::uint32_t>(i)] = static_cast<std::int64_t>((value >> i) & 1);
}

namespace {

// The rescale of acc = lin (+ a·b when `product` holds them).
struct Product {
  const Lc& a;
  const Lc& b;
};

// lhs = rhs, or with a product a·b + lhs = rhs written as a·b = rhs − lhs.
void constrain_sum(R1csBuilder& cs, const Product* product, const Lc& lhs, const Lc& rhs) {
  if (!product) return cs.constrain_equal(lhs, rhs);
  Lc c = rhs;
  c -= lhs;
  cs.constrain(product->a, product->b, c);
}

Rescale build_rescale(R1csBuilder& cs, const Product* product, const Lc& acc, std::int64_t divisor, int out_bits, bool relu) {
  if (divisor < 1) throw Error("internal: rescale by " + std::to_string(divisor));
  // Every constant and coefficient below is under d·2^B (2^(s+B) for d = 2^s).
  // Checked before any is computed: past 2^126 the 128-bit coefficients d·2^i
  // would overflow, and the division relation would accept another quotient.
  check_width(out_bits);
  const auto ud = static_cast<std::uint64_t>(divisor);
  const int span = (std::has_single_bit(ud) ? std::countr_zero(ud) : static_cast<int>(std::bit_width(ud))) + out_bits;
  if (span > kMaxDecompositionBits)
    throw Error("internal: a rescale by " + std::to_string(divisor) + " to " + std::to_string(out_bits) + " bits spans " +
                std::to_string(span) + " bits (allowed up to " + std::to_string(kMaxDecompositionBits) +
                ", so that its coefficients are exact and it cannot wrap the field)");
  Rescale g;
  g.divisor = divisor;
  g.out_bits = out_bits;
  g.relu = relu;
  const int B = out_bits;
  Lc q_plus;  // out + 2^(B-1), as bits
  int top = 0;
  if (std::has_single_bit(static_cast<std::uint64_t>(divisor))) {
    const int s = std::countr_zero(static_cast<std::uint64_t>(divisor));
    g.shift = s;
    Lc u = acc;
    u.add_constant(divisor / 2 + (pow2(B - 1) << s));
    g.bits = alloc_bits(cs, s + B);
    constrain_sum(cs, product, u, g.bits.sum());
    q_plus = g.bits.sum(s, s + B);
    top = s + B - 1;
  } else {
    const int k = std::bit_width(static_cast<std::uint64_t>(divisor - 1));
    g.bits = alloc_bits(cs, B);
    g.rem = alloc_bits(cs, k);
    g.rem_gap = alloc_bits(cs, k);
    Lc lhs = acc;
    lhs.add_constant(divisor / 2 + Int(divisor) * pow2(B - 1));
    Lc rhs = g.rem.sum();
    for (const Term& t : g.bits.sum().terms) rhs.add(t.wire, t.coeff * divisor);
    constrain_sum(cs, product, lhs, rhs);
    Lc gap = Lc::constant(divisor - 1);
    gap -= g.rem.sum();
    cs.constrain_equal(gap, g.rem_gap.sum());
    q_plus = g.bits.sum();
    top = B - 1;
  }
  g.out = cs.add_wires(1);
  const int low = g.shift >= 0 ? g.shift : 0;
  if (relu) {
    // out = sign·magnitude: the top bit is 1 exactly when the quotient is ≥ 0,
    // and then the lower B - 1 bits are the quotient itself.
    cs.constrain(g.bits.sum(low, top), Lc::wire(g.bits.first + static_cast<std::uint32_t>(top)), Lc::wire(g.out));
  } else {
    Lc out = Lc::wire(g.out);
    out.add_constant(pow2(B - 1));
    cs.constrain_equal(out, q_plus);
  }
  return g;
}

}  // namespace

Rescale rescale(R1csBuilder& cs, const Lc& acc, std::int64_t divisor, int out_bits, bool relu) {
  return build_rescale(cs, nullptr, acc, divisor, out_bits, relu);
}

Rescale rescale_product(R1csBuilder& cs, const Lc& a, const Lc& b, const Lc& lin, std::int64_t divisor, int out_bits,
                        bool relu) {
  const Product p{a, b};
  return build_rescale(cs, &p, lin, divisor, out_bits, relu);
}

std::int64_t assign_rescale(const Rescale& g, Int acc, std::span<std::int64_t> w) {
  const int B = g.out_bits;
  const Int q = round_div(acc, g.divisor);
  if (q < -pow2(B - 1) || q >= pow2(B - 1))
    throw Error("internal: rescaled value outside its " + std::to_string(B) + "-bit range");
  if (g.shift >= 0) {
    assign_bits(g.bits, acc + g.divisor / 2 + (pow2(B - 1) << g.shift), w);
  } else {
    const Int r = acc + g.divisor / 2 - q * g.divisor;
    assign_bits(g.bits, q + pow2(B - 1), w);
    assign_bits(g.rem, r, w);
    assign_bits(g.rem_gap, g.divisor - 1 - r, w);
  }
  const std::int64_t out = static_cast<std::int64_t>(g.relu && q < 0 ? 0 : q);
  w[g.out] = out;
  return out;
}

Max2 max2(R1csBuilder& cs, const Lc& a, const Lc& b, int diff_bits, bool take_min) {
  check_width(diff_bits);  // before 2^(diff_bits-1) is computed
  Max2 g;
  g.diff_bits = diff_bits;
  g.take_min = take_min;
  Lc d = a;
  d -= b;
  Lc shifted = d;
  shifted.add_constant(pow2(diff_bits - 1));
  g.bits = range_check(cs, shifted, diff_bits);
  g.out = cs.add_wires(1);
  Lc c = take_min ? a : Lc::wire(g.out);  // max: out − b; min: a − out
  c -= take_min ? Lc::wire(g.out) : b;
  // The long side (a - b) goes in A, the single bit in B: setup then
  // multiplies G2 points only by the bit's coefficient 1.
  cs.constrain(d, Lc::wire(g.bits.first + static_cast<std::uint32_t>(diff_bits - 1)), c);
  return g;
}

std::int64_t assign_max2(const Max2& g, Int a, Int b, std::span<std::int64_t> w) {
  assign_bits(g.bits, a - b + pow2(g.diff_bits - 1), w);
  const std::int64_t out = static_cast<std::int64_t>((a >= b) != g.take_min ? a : b);
  w[g.out] = out;
  return out;
}

Int reciprocal_value(Int d, int k) {
  const Int num = pow2(k + 1) + d;
  return num / (2 * d);  // both positive: truncation is the floor
}

Reciprocal reciprocal(R1csBuilder& cs, const Lc& d, int k, int d_bits, int inv_bits) {
  if (k < 0 || k + 2 > 120) throw Error("internal: a reciprocal 2^" + std::to_string(k));
  Reciprocal g;
  g.k = k;
  g.out = cs.add_wires(1);
  g.inv_bits = range_check(cs, Lc::wire(g.out), inv_bits);
  g.rem = alloc_bits(cs, d_bits + 1);
  Lc gap = d;  // 2D − 1 − r
  for (Term& t : gap.terms) t.coeff *= 2;
  gap.add_constant(-1);
  gap -= g.rem.sum();
  g.rem_gap = range_check(cs, gap, d_bits + 1);
  // inv·(2D) = 2^(K+1) + D − r
  Lc two_d = d;
  for (Term& t : two_d.terms) t.coeff *= 2;
  Lc rhs = d;
  rhs.add_constant(pow2(k + 1));
  rhs -= g.rem.sum();
  cs.constrain(two_d, Lc::wire(g.out), rhs);
  return g;
}

std::int64_t assign_reciprocal(const Reciprocal& g, Int d, std::span<std::int64_t> w) {
  if (d < 1) throw Error("internal: a reciprocal of " + std::to_string(static_cast<long long>(d)));
  const Int inv = reciprocal_value(d, g.k);
  const Int r = pow2(g.k + 1) + d - inv * 2 * d;
  w[g.out] = static_cast<std::int64_t>(inv);
  assign_bits(g.inv_bits, inv, w);
  assign_bits(g.rem, r, w);
  assign_bits(g.rem_gap, 2 * d - 1 - r, w);
  return static_cast<std::int64_t>(inv);
}

Int isqrt_value(Int v) {
  if (v < 0) throw Error("internal: a square root of a negative value");
  Int s = static_cast<Int>(std::sqrt(static_cast<long double>(v)));
  while (s * s > v) --s;
  while ((s + 1) * (s + 1) <= v) ++s;
  return s;
}

Isqrt isqrt(R1csBuilder& cs, const Lc& v, int s_bits) {
  if (s_bits < 1 || 2 * s_bits > 120) throw Error("internal: a square root of " + std::to_string(s_bits) + " bits");
  Isqrt g;
  g.out = cs.add_wires(1);
  g.s_bits = range_check(cs, Lc::wire(g.out), s_bits);
  g.rem = alloc_bits(cs, s_bits + 1);
  Lc gap = Lc::wire(g.out, 2);  // 2s − r
  gap -= g.rem.sum();
  g.rem_gap = range_check(cs, gap, s_bits + 1);
  Lc c = v;  // s·s = v − r
  c -= g.rem.sum();
  cs.constrain(Lc::wire(g.out), Lc::wire(g.out), c);
  return g;
}

std::int64_t assign_isqrt(const Isqrt& g, Int v, std::span<std::int64_t> w) {
  const Int s = isqrt_value(v);
  w[g.out] = static_cast<std::int64_t>(s);
  assign_bits(g.s_bits, s, w);
  assign_bits(g.rem, v - s * s, w);
  assign_bits(g.rem_gap, 2 * s - (v - s * s), w);
  return static_cast<std::int64_t>(s);
}

Int divide_value(Int num, Int den) {
  const Int a = 2 * num + den, b = 2 * den;
  Int q = a / b;
  if (a % b != 0 && a < 0) --q;  // floor, not truncation
  return q;
}

Divide divide(R1csBuilder& cs, const Lc& num, const Lc& den, int d_bits, int out_bits) {
  check_width(out_bits);
  if (d_bits < 1 || d_bits + 2 > kMaxDecompositionBits) throw Error("internal: a division by " + std::to_string(d_bits) + " bits");
  Divide g;
  g.out = cs.add_wires(1);
  Lc shifted = Lc::wire(g.out);
  shifted.add_constant(pow2(out_bits - 1));
  g.q_bits = range_check(cs, shifted, out_bits);
  g.rem = alloc_bits(cs, d_bits + 1);
  Lc two_d = den;
  for (Term& t : two_d.terms) t.coeff *= 2;
  Lc gap = two_d;  // 2D − 1 − r
  gap.add_constant(-1);
  gap -= g.rem.sum();
  g.rem_gap = range_check(cs, gap, d_bits + 1);
  Lc rhs = num;  // q·(2D) = 2N + D − r
  for (Term& t : rhs.terms) t.coeff *= 2;
  rhs += den;
  rhs -= g.rem.sum();
  cs.constrain(two_d, Lc::wire(g.out), rhs);
  return g;
}

std::int64_t assign_divide(const Divide& g, Int num, Int den, std::span<std::int64_t> w) {
  if (den < 1) throw Error("internal: a division by " + std::to_string(static_cast<long long>(den)));
  const Int q = divide_value(num, den);
  const Int r = 2 * num + den - q * 2 * den;
  w[g.out] = static_cast<std::int64_t>(q);
  assign_bits(g.q_bits, q + pow2(g.q_bits.width - 1), w);
  assign_bits(g.rem, r, w);
  assign_bits(g.rem_gap, 2 * den - 1 - r, w);
  return static_cast<std::int64_t>(q);
}

}  // namespace zkacc::zkml
