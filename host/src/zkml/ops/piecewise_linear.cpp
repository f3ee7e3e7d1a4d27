// Piecewise-linear activations (ops/piecewise_linear.hpp has the integer
// semantics and the gadgets). The ONNX ops, opsets 13–18:
//
//   Clip(x, min, max)        y = min(max(x, min), max); min, max optional
//                            constants (inputs; attributes before opset 11).
//                            ReLU6 is Clip(0, 6).                         Clip layer
//   LeakyRelu(x; alpha=0.01) y = x ≥ 0 ? x : alpha·x                      LeakyRelu layer
//   PRelu(x, slope)          y = x ≥ 0 ? x : slope·x, slope a constant
//                            broadcast to x (unidirectionally)             LeakyRelu layer
//   HardSigmoid(x; alpha=0.2, beta=0.5)
//                            y = max(0, min(1, alpha·x + beta))            Scale, Clip(0, 1)
//   HardSwish(x)             y = x·HardSigmoid(x; 1/6, 1/2)                Scale, Clip(0, 1), Mul
//   Max(x1, x2, ...), Min    elementwise, numpy broadcasting               Max / Min layer;
//                            one activation with scalar constants: Clip
//
// The float reference is the formula (float_eval.cpp).
#include "zkacc/zkml/ops/piecewise_linear.hpp"

#include <algorithm>
#include <limits>

#include "../importer.hpp"
#include "zkacc/zkml/quantize.hpp"

namespace zkacc::zkml {

namespace {

Int pow2(int k) { return Int(1) << k; }

}  // namespace

std::int64_t clip_eval(std::int64_t x, std::int64_t lo_q, std::int64_t hi_q) { return std::min(std::max(x, lo_q), hi_q); }

std::int64_t leaky_relu_eval(std::int64_t x, std::int64_t slope_q, int slope_frac, int out_bits) {
  const Int z = rescale_value(Int(x) * slope_q, slope_frac);
  if (z < -pow2(out_bits - 1) || z >= pow2(out_bits - 1))
    throw Error("internal: a LeakyRelu's scaled branch leaves its " + std::to_string(out_bits) + "-bit range");
  return x >= 0 ? x : static_cast<std::int64_t>(z);
}

ClipGadget clip(R1csBuilder& cs, std::uint32_t x, int bits, std::int64_t lo_q, std::int64_t hi_q) {
  ClipGadget g;
  g.out = x;
  // x and a bound both lie in [−2^(B−1), 2^(B−1)): their difference in B + 1 bits.
  if (lo_q > -(std::int64_t(1) << (bits - 1))) {
    g.lower = max2(cs, Lc::wire(g.out), Lc::constant(lo_q), bits + 1);
    g.out = g.lower->out;
  }
  if (hi_q < (std::int64_t(1) << (bits - 1)) - 1) {
    g.upper = max2(cs, Lc::wire(g.out), Lc::constant(hi_q), bits + 1, true);
    g.out = g.upper->out;
  }
  return g;
}

std::int64_t assign_clip(const ClipGadget& g, std::int64_t x, std::int64_t lo_q, std::int64_t hi_q, std::span<std::int64_t> w) {
  std::int64_t v = x;
  if (g.lower) v = assign_max2(*g.lower, v, lo_q, w);
  if (g.upper) v = assign_max2(*g.upper, v, hi_q, w);
  return v;
}

LeakyReluGadget leaky_relu(R1csBuilder& cs, std::uint32_t x, int bits, const Bits* x_bits, std::int64_t slope_q,
                           int slope_frac, int out_bits) {
  LeakyReluGadget g;
  if (x_bits) {
    g.sign = x_bits->first + static_cast<std::uint32_t>(x_bits->width - 1);
  } else {
    Lc shifted = Lc::wire(x);
    shifted.add_constant(pow2(bits - 1));
    g.own_sign = range_check(cs, shifted, bits);
    g.sign = g.own_sign->first + static_cast<std::uint32_t>(bits - 1);
  }
  // x·a_q at frac f + w, rescaled by 2^w (a w ≤ 0 multiplies instead).
  g.factor = Int(slope_q) * (slope_frac < 0 ? pow2(-slope_frac) : 1);
  const std::int64_t divisor = slope_frac > 0 ? std::int64_t(1) << slope_frac : 1;
  g.scaled = rescale(cs, Lc::wire(x, g.factor), divisor, out_bits, false);
  g.out = cs.add_wires(1);
  // out − z = sign·(x − z)
  Lc diff = Lc::wire(x);
  diff -= Lc::wire(g.scaled.out);
  Lc c = Lc::wire(g.out);
  c -= Lc::wire(g.scaled.out);
  cs.constrain(diff, Lc::wire(g.sign), c);
  return g;
}

std::int64_t assign_leaky_relu(const LeakyReluGadget& g, std::int64_t x, int bits, std::span<std::int64_t> w) {
  if (g.own_sign) assign_bits(*g.own_sign, Int(x) + pow2(bits - 1), w);
  const std::int64_t z = assign_rescale(g.scaled, Int(x) * g.factor, w);
  const std::int64_t out = x >= 0 ? x : z;
  w[g.out] = out;
  return out;
}

}  // namespace zkacc::zkml

namespace zkacc::zkml::detail {

namespace {

using Node = onnx::NodeProto;
constexpr double kInf = std::numeric_limits<double>::infinity();

double scalar_of(Importer& im, const Node& n, int i, const char* what) {
  const Const& c = im.const_input(n, i, what);
  if (c.v.size() != 1) im.fail_node(n, std::string(what) + " has shape " + shape_str(c.shape) + "; ONNX requires a scalar");
  return c.v[0];
}

// A Clip layer on x, written as node n's output or (inner) a tensor inside it.
int add_clip(Importer& im, const Node& n, int x, double lo, double hi, const char* inner) {
  Layer l;
  l.kind = LayerKind::Clip;
  l.onnx_ops = n.op_type();
  l.inputs = {x};
  l.lo = lo;
  l.hi = hi;
  if (inner) return im.add_inner_layer(std::move(l), n, inner, im.shape_of(x));
  im.add_layer(std::move(l), n, im.shape_of(x));
  return im.g_.layers.back().output;
}

void op_clip(Importer& im, const Node& n) {
  const auto a = im.attrs(n, {"min", "max"});  // attributes: opset 6 models
  im.only_first_output(n);
  const int x = im.act_input(n, 0);
  double lo = a.count("min") ? im.attr_float(n, a, "min", 0) : -kInf;
  double hi = a.count("max") ? im.attr_float(n, a, "max", 0) : kInf;
  if (im.has_input(n, 1)) lo = scalar_of(im, n, 1, "min");
  if (im.has_input(n, 2)) hi = scalar_of(im, n, 2, "max");
  add_clip(im, n, x, lo, hi, nullptr);
}

// y = x ≥ 0 ? x : slope·x, slope per position.
void add_leaky_relu(Importer& im, const Node& n, int x, std::vector<double> slope) {
  Layer l;
  l.kind = LayerKind::LeakyRelu;
  l.onnx_ops = n.op_type();
  l.inputs = {x};
  l.weight = {im.shape_of(x), std::move(slope)};
  for (double v : l.weight.data)
    if (!std::isfinite(v)) im.fail_node(n, "a slope is not finite");
  im.add_layer(std::move(l), n, im.shape_of(x));
}

void op_leaky_relu(Importer& im, const Node& n) {
  const auto a = im.attrs(n, {"alpha"});
  im.only_first_output(n);
  const int x = im.act_input(n, 0);
  add_leaky_relu(im, n, x, std::vector<double>(static_cast<std::size_t>(shape_size(im.shape_of(x))), im.attr_float(n, a, "alpha", 0.01f)));
}

void op_prelu(Importer& im, const Node& n) {
  im.attrs(n, {});
  im.only_first_output(n);
  const int x = im.act_input(n, 0);
  const Const& slope = im.const_input(n, 1, "slope");
  std::vector<double> full;
  if (!broadcast_to(slope, im.shape_of(x), full))
    im.fail_node(n, "slope of shape " + shape_str(slope.shape) + " does not broadcast to the input " + shape_str(im.shape_of(x)));
  add_leaky_relu(im, n, x, std::move(full));
}

// alpha·x + beta, then Clip(0, 1): HardSigmoid's value, inside node n.
int hard_sigmoid(Importer& im, const Node& n, int x, double alpha, double beta, const char* out_inner) {
  const Shape xs = im.shape_of(x);
  const auto size = static_cast<std::size_t>(shape_size(xs));
  Layer s;
  s.kind = LayerKind::Scale;
  s.onnx_ops = n.op_type();
  s.inputs = {x};
  s.weight = {xs, std::vector<double>(size, alpha)};
  s.bias = {xs, std::vector<double>(size, beta)};
  const int lin = im.add_inner_layer(std::move(s), n, "linear", xs);
  return add_clip(im, n, lin, 0.0, 1.0, out_inner);
}

void op_hard_sigmoid(Importer& im, const Node& n) {
  const auto a = im.attrs(n, {"alpha", "beta"});
  im.only_first_output(n);
  hard_sigmoid(im, n, im.act_input(n, 0), im.attr_float(n, a, "alpha", 0.2f), im.attr_float(n, a, "beta", 0.5f), nullptr);
}

void op_hard_swish(Importer& im, const Node& n) {
  im.attrs(n, {});
  im.only_first_output(n);
  const int x = im.act_input(n, 0);
  const int gate = hard_sigmoid(im, n, x, 1.0 / 6.0, 0.5, "gate");
  Layer m;
  m.kind = LayerKind::Mul;
  m.onnx_ops = "HardSwish";
  m.inputs = {x, gate};
  im.add_layer(std::move(m), n, im.shape_of(x));
}

void op_max_min(Importer& im, const Node& n, bool take_max) {
  im.attrs(n, {});
  im.only_first_output(n);
  std::vector<int> acts;
  double bound = take_max ? -kInf : kInf;
  bool has_const = false;
  for (int i = 0; i < n.input_size(); ++i) {
    if (im.input(n, i).kind == Value::kConst) {
      const Const& c = im.const_input(n, i, "operand");
      if (c.v.size() != 1)
        im.fail_node(n, "a constant operand of shape " + shape_str(c.shape) + "; zkacc supports scalar constants here");
      bound = take_max ? std::max(bound, c.v[0]) : std::min(bound, c.v[0]);
      has_const = true;
    } else {
      acts.push_back(im.act_input(n, i));
    }
  }
  if (acts.empty()) im.fail_node(n, "has no activation input; zkacc folds constants only in shape arithmetic");
  if (has_const && acts.size() == 1) {  // max(x, c) = Clip(x, c, ∞)
    add_clip(im, n, acts[0], take_max ? bound : -kInf, take_max ? kInf : bound, nullptr);
    return;
  }
  if (has_const) im.fail_node(n, "mixes constants with several activations, which zkacc does not support");
  Shape out = im.shape_of(acts[0]);
  for (int t : acts)
    if (!broadcast_shapes(Shape(out), im.shape_of(t), out))
      im.fail_node(n, "inputs of shapes " + shape_str(out) + " and " + shape_str(im.shape_of(t)) + " do not broadcast");
  if (acts.size() == 1) return im.set_act(n.output(0), acts[0]);  // Max(x) = x
  Layer l;
  l.kind = take_max ? LayerKind::Max : LayerKind::Min;
  l.onnx_ops = n.op_type();
  for (std::size_t k = 0; k < acts.size(); ++k) l.inputs.push_back(expand_activation(im, n, acts[k], out, std::to_string(k)));
  im.add_layer(std::move(l), n, out);
}

}  // namespace

void register_piecewise_linear_ops(OpRegistry& r) {
  r["Clip"] = op_clip;
  r["LeakyRelu"] = op_leaky_relu;
  r["PRelu"] = op_prelu;
  r["HardSigmoid"] = op_hard_sigmoid;
  r["HardSwish"] = op_hard_swish;
  r["Max"] = [](Importer& im, const Node& n) { op_max_min(im, n, true); };
  r["Min"] = [](Importer& im, const Node& n) { op_max_min(im, n, false); };
}

}  // namespace zkacc::zkml::detail
