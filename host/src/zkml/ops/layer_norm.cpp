// LayerNormalization (ops/layer_norm.hpp): the ONNX op, its float reference
// (float_eval.cpp), integer semantics and gadget. The decomposed form is
// fused into the same layer by the rewrite passes (rewrite.cpp).
#include "zkacc/zkml/ops/layer_norm.hpp"

#include <algorithm>
#include <cmath>

#include "../importer.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/zkml/quantize.hpp"

namespace zkacc::zkml {

namespace {

int bits_of(Int v) {
  int b = 0;
  while (v >> b) ++b;
  return b;
}

}  // namespace

LayerNormParams make_layer_norm_params(int in_frac, int in_bits, int n, double epsilon, int weight_frac, int out_frac,
                                       int out_bits) {
  LayerNormParams p;
  p.n = n;
  p.out_bits = out_bits;
  const auto fail = [&](const std::string& why) { return Error("LayerNormalization over " + std::to_string(n) + " values: " + why); };
  if (!(epsilon >= 0) || !std::isfinite(epsilon)) throw fail("epsilon must be a finite value ≥ 0");
  const double e = std::ldexp(epsilon * double(n) * double(n) * double(n), 2 * in_frac);
  if (e >= std::ldexp(1.0, 100)) throw fail("epsilon is too large for the input's scale");
  p.epsilon = std::max<Int>(1, static_cast<Int>(std::llround(e)));
  const Int c_max = Int(n) << in_bits;  // |n·x − T| < n·2^B
  const Int ss_max = Int(n) * c_max * c_max + p.epsilon;
  while (isqrt_value(p.epsilon << (2 * p.sqrt_scale)) < (Int(1) << (out_bits + 2))) ++p.sqrt_scale;
  if (bits_of(ss_max) + 2 * p.sqrt_scale > 118) throw fail("the variance would need more than 118 bits");
  p.s_bits = bits_of(isqrt_value(ss_max << (2 * p.sqrt_scale)));
  p.recip_k = p.s_bits + out_bits + 2;
  p.inv_bits = bits_of(reciprocal_value(isqrt_value(p.epsilon << (2 * p.sqrt_scale)), p.recip_k));
  p.acc_frac = weight_frac + p.recip_k - p.sqrt_scale;
  p.shift = p.acc_frac - out_frac;
  if (p.shift < 1) throw fail("the output scale 2^-" + std::to_string(out_frac) + " is finer than the normalization gives");
  if (p.shift + out_bits > 120 || p.recip_k + 2 > 120) throw fail("the rescale would need more than 120 bits");
  return p;
}

void layer_norm_row_eval(const LayerNormParams& p, std::span<const std::int64_t> x, std::span<const std::int64_t> g,
                         std::span<const std::int64_t> b, std::span<std::int64_t> y) {
  Int total = 0, ss = p.epsilon;
  for (std::int64_t v : x) total += v;
  for (std::int64_t v : x) {
    const Int c = Int(p.n) * v - total;
    ss += c * c;
  }
  const Int s = isqrt_value(ss << (2 * p.sqrt_scale));
  const Int inv = reciprocal_value(s, p.recip_k);
  for (std::size_t j = 0; j < x.size(); ++j) {
    const Int c = Int(p.n) * x[j] - total;
    y[j] = static_cast<std::int64_t>(rescale_value(Int(g[j]) * c * inv + b[j], p.shift));
  }
}

LayerNormRowGadget layer_norm_row(R1csBuilder& cs, std::span<const std::uint32_t> x, std::span<const std::int64_t> g,
                                  std::span<const std::int64_t> b, const LayerNormParams& p) {
  LayerNormRowGadget gd;
  gd.total = cs.add_wires(1);
  Lc sum;
  for (std::uint32_t xj : x) sum.add(xj, 1);
  cs.constrain_equal(Lc::wire(gd.total), sum);
  auto centred = [&](std::size_t j) {  // c_j = n·x_j − T
    Lc c = Lc::wire(x[j], p.n);
    c.add(gd.total, -1);
    return c;
  };
  const Int scale = Int(1) << (2 * p.sqrt_scale);
  Lc ss = Lc::constant(p.epsilon * scale);
  for (std::size_t j = 0; j < x.size(); ++j) {
    gd.squares.push_back(cs.add_wires(1));
    cs.constrain(centred(j), centred(j), Lc::wire(gd.squares.back()));
    ss.add(gd.squares.back(), scale);
  }
  gd.root = isqrt(cs, ss, p.s_bits);
  gd.recip = reciprocal(cs, Lc::wire(gd.root.out), p.recip_k, p.s_bits, p.inv_bits);
  for (std::size_t j = 0; j < x.size(); ++j) {
    Lc gc = centred(j);
    for (Term& t : gc.terms) t.coeff *= g[j];
    gd.outs.push_back(rescale_product(cs, gc, Lc::wire(gd.recip.out), Lc::constant(b[j]), Int(1) << p.shift, p.out_bits, false));
  }
  return gd;
}

void assign_layer_norm_row(const LayerNormRowGadget& gd, const LayerNormParams& p, std::span<const std::int64_t> x,
                           std::span<const std::int64_t> g, std::span<const std::int64_t> b, std::span<std::int64_t> y,
                           std::span<std::int64_t> w) {
  Int total = 0, ss = p.epsilon;
  for (std::int64_t v : x) total += v;
  w[gd.total] = static_cast<std::int64_t>(total);
  for (std::size_t j = 0; j < x.size(); ++j) {
    const Int c = Int(p.n) * x[j] - total;
    w[gd.squares[j]] = static_cast<std::int64_t>(c * c);
    ss += c * c;
  }
  const std::int64_t s = assign_isqrt(gd.root, ss << (2 * p.sqrt_scale), w);
  const std::int64_t inv = assign_reciprocal(gd.recip, s, w);
  for (std::size_t j = 0; j < x.size(); ++j) {
    const Int c = Int(p.n) * x[j] - total;
    y[j] = assign_rescale(gd.outs[j], Int(g[j]) * c * inv + b[j], w);
  }
}

}  // namespace zkacc::zkml

namespace zkacc::zkml::detail {

// LayerNormalization(X, Scale, B; axis = −1, epsilon = 1e-5, stash_type = 1):
// rows over the axes from `axis` on; Scale and B broadcast to them.
void import_layer_norm(Importer& im, const onnx::NodeProto& n) {
  const auto a = im.attrs(n, {"axis", "epsilon", "stash_type"});
  im.only_first_output(n);  // Mean and InvStdDev (training outputs) must not be read
  const int x = im.act_input(n, 0);
  const Shape xs = im.shape_of(x);
  const auto axis = static_cast<std::size_t>(normalize_axis(im, n, im.attr_int(n, a, "axis", -1), xs.size()));
  std::vector<bool> row(xs.size(), false);
  for (std::size_t d = axis; d < xs.size(); ++d) row[d] = true;
  Layer l;
  l.kind = LayerKind::LayerNorm;
  l.onnx_ops = "LayerNormalization";
  l.inputs = {x};
  l.select = row_positions(xs, row);
  const std::int64_t len = shape_size(Shape(xs.begin() + static_cast<std::ptrdiff_t>(axis), xs.end()));
  l.dims = {shape_size(xs) / len, len};
  l.epsilon = im.attr_float(n, a, "epsilon", 1e-5f);
  l.weight.shape = l.bias.shape = xs;
  const Const& gamma = im.const_input(n, 1, "Scale");
  if (!broadcast_to(gamma, xs, l.weight.data))
    im.fail_node(n, "Scale of shape " + shape_str(gamma.shape) + " does not broadcast to the input " + shape_str(xs));
  if (im.has_input(n, 2)) {
    const Const& beta = im.const_input(n, 2, "B");
    if (!broadcast_to(beta, xs, l.bias.data))
      im.fail_node(n, "B of shape " + shape_str(beta.shape) + " does not broadcast to the input " + shape_str(xs));
  } else {
    l.bias.data.assign(static_cast<std::size_t>(shape_size(xs)), 0.0);
  }
  im.add_layer(std::move(l), n, xs);
}

}  // namespace zkacc::zkml::detail
