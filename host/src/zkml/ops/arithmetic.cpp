// Elementwise arithmetic with constants, and Sub of two activations:
//
//   Mul(x, c), Mul(c, x)   y = x·c            Scale layer: m = c, offset 0
//   Div(x, c)              y = x / c          Scale layer: m = 1/c (c ≠ 0)
//   Neg(x)                 y = −x             Scale layer: m = −1
//   Sub(c, x)              y = c − x          Scale layer: m = −1, offset c
//   Sub(x, c)              y = x − c          Add of the constant −c (folds into a bias)
//   Sub(x1, x2)            y = x1 − x2        Add layer with signs (+1, −1), numpy broadcasting
//   Mul(x1, x2)            y = x1·x2          Mul layer (ops/product.cpp)
//   Div(x1, x2)            y = x1 / x2        Div layer (ops/division.hpp; fused into a LayerNorm where it is one)
//
// Constants broadcast to the activation's shape as numpy does. A Scale
// value is acc = x_q·m_q + c_q, rescaled to the output's scale: s + B + 2
// constraints, the same as any rescale (quantize.hpp); the factor and offset
// are coefficients of that constraint, not wires.
//
// The float reference is the formula; the integer semantics are the Scale
// and Add layers' (quantize.hpp).
#include "../importer.hpp"

namespace zkacc::zkml::detail {

namespace {

using Node = onnx::NodeProto;

// A Scale layer y = x·m + c with the constants broadcast to x's shape.
void add_scale(Importer& im, const Node& n, int x, const Const* m, double m_scalar, const Const* c, double c_sign) {
  const Shape xs = im.shape_of(x);
  Layer l;
  l.kind = LayerKind::Scale;
  l.onnx_ops = n.op_type();
  l.inputs = {x};
  l.weight.shape = l.bias.shape = xs;
  const auto size = static_cast<std::size_t>(shape_size(xs));
  l.weight.data.assign(size, m_scalar);
  l.bias.data.assign(size, 0.0);
  std::vector<double> full;
  if (m) {
    if (!broadcast_to(*m, xs, full))
      im.fail_node(n, "constant of shape " + shape_str(m->shape) + " does not broadcast to the input " + shape_str(xs));
    for (std::size_t i = 0; i < size; ++i) l.weight.data[i] = m_scalar == 0 ? full[i] : m_scalar / full[i];
  }
  if (c) {
    if (!broadcast_to(*c, xs, full))
      im.fail_node(n, "constant of shape " + shape_str(c->shape) + " does not broadcast to the input " + shape_str(xs));
    for (std::size_t i = 0; i < size; ++i) l.bias.data[i] = c_sign * full[i];
  }
  for (double v : l.weight.data)
    if (!std::isfinite(v)) im.fail_node(n, "divides by zero");
  im.add_layer(std::move(l), n, xs);
}

bool is_const(Importer& im, const Node& n, int i) { return im.input(n, i).kind == Value::kConst; }

void op_mul(Importer& im, const Node& n) {
  im.attrs(n, {});
  im.only_first_output(n);
  if (is_const(im, n, 0) && is_const(im, n, 1)) return fold_constant_binary(im, n, '*');
  if (!is_const(im, n, 0) && !is_const(im, n, 1)) return import_mul_of_activations(im, n);  // ops/product.cpp
  const int ci = is_const(im, n, 0) ? 0 : 1;
  add_scale(im, n, im.act_input(n, 1 - ci), &im.const_input(n, ci, "factor"), 0.0, nullptr, 0);
}

void op_div(Importer& im, const Node& n) {
  im.attrs(n, {});
  im.only_first_output(n);
  if (is_const(im, n, 0) && is_const(im, n, 1)) return fold_constant_binary(im, n, '/');
  if (!is_const(im, n, 1)) return import_div_of_activations(im, n);  // ops/division.cpp
  add_scale(im, n, im.act_input(n, 0), &im.const_input(n, 1, "divisor"), 1.0, nullptr, 0);
}

void op_neg(Importer& im, const Node& n) {
  im.attrs(n, {});
  im.only_first_output(n);
  add_scale(im, n, im.act_input(n, 0), nullptr, -1.0, nullptr, 0);
}

void op_sub(Importer& im, const Node& n) {
  im.attrs(n, {});
  im.only_first_output(n);
  const bool c0 = is_const(im, n, 0), c1 = is_const(im, n, 1);
  if (c0 && c1) return fold_constant_binary(im, n, '-');
  if (c0) return add_scale(im, n, im.act_input(n, 1), nullptr, -1.0, &im.const_input(n, 0, "minuend"), 1.0);
  const int x = im.act_input(n, 0);
  const Shape xs = im.shape_of(x);
  Layer l;
  l.kind = LayerKind::Add;
  l.onnx_ops = "Sub";
  if (c1) {  // x − c: an Add of −c, which the rewrite passes may fold into a bias
    std::vector<double> full;
    const Const& c = im.const_input(n, 1, "subtrahend");
    if (!broadcast_to(c, xs, full))
      im.fail_node(n, "constant of shape " + shape_str(c.shape) + " does not broadcast to the input " + shape_str(xs));
    for (double& v : full) v = -v;
    l.inputs = {x};
    l.bias.shape = xs;
    l.bias.data = std::move(full);
  } else {
    const int y = im.act_input(n, 1);
    Shape out;
    if (!broadcast_shapes(xs, im.shape_of(y), out))
      im.fail_node(n, "inputs of shapes " + shape_str(xs) + " and " + shape_str(im.shape_of(y)) + " do not broadcast");
    l.inputs = {expand_activation(im, n, x, out, "a"), expand_activation(im, n, y, out, "b")};
    l.input_sign = {1, -1};
    return im.add_layer(std::move(l), n, out);
  }
  im.add_layer(std::move(l), n, xs);
}

}  // namespace

void register_arithmetic_ops(OpRegistry& r) {
  r["Mul"] = op_mul;
  r["Div"] = op_div;
  r["Neg"] = op_neg;
  r["Sub"] = op_sub;
  r["Pow"] = import_pow;  // ops/product.cpp
}

}  // namespace zkacc::zkml::detail
