// Products of two activations: attention's QKᵀ and A·V, gating, HardSwish.
//
//   Mul(x1, x2)        y = x1·x2, numpy broadcasting       Mul layer
//   MatMul(x1, x2)     y = x1 @ x2, numpy's matmul rules:  MatMul layer
//                      1-D operands get a dimension of 1 (then lose it),
//                      batch dimensions broadcast
//   Gemm(A, B, C)      y = alpha·A'·B' + beta·C with B an activation, A' and
//                      B' transposed by transA/transB: a MatMul layer, a
//                      Scale for alpha ≠ 1, an Add for C
//   Pow(x, p)          p a scalar constant 1, 2 or 3: x, x·x, x·(x·x)
//                      (Mul layers; LayerNorm's variance and GELU's tanh
//                      form use them)
//
// Integer semantics (quantize.hpp): acc = x1_q·x2_q (Mul) or
// Σ_k x1_q·x2_q (MatMul) at frac = frac1 + frac2, rescaled to the output's
// calibrated scale. Gadget (gadgets.hpp, rescale_product): every product
// is one constraint a·b = p, except the last of each output, which the
// rescale's own constraint absorbs; per output, K − 1 + s + B + 2
// constraints (Mul: s + B + 2, the price of a rescale). Broadcast operands
// are Select layers (no constraints). The float reference is the formula.
#include "../importer.hpp"

namespace zkacc::zkml::detail {

namespace {

using Node = onnx::NodeProto;

int operand_of(Importer& im, const Node& n, int i, const char* op) {
  if (im.input(n, i).kind == Value::kConst)
    im.fail_node(n, std::string("input ") + std::to_string(i) + " is a constant with an activation on the other side in a " + op +
                        " zkacc treats as a product of activations; put the constant second (MatMul) or use Mul with a constant");
  return im.act_input(n, i);
}

}  // namespace

void import_mul_of_activations(Importer& im, const Node& n) { add_broadcast_binary(im, n, LayerKind::Mul); }

namespace {

// x1 @ x2 for activations of shapes a and b (numpy matmul), writing output
// `n.output(0)` or, for Gemm, an inner tensor; returns the layer's tensor.
int matmul(Importer& im, const Node& n, int x1, int x2, bool inner) {
  Shape a = im.shape_of(x1), b = im.shape_of(x2);
  if (a.empty() || b.empty()) im.fail_node(n, "a scalar operand; MatMul takes tensors of rank 1 or more");
  const bool a_vec = a.size() == 1, b_vec = b.size() == 1;
  if (a_vec) a.insert(a.begin(), 1);
  if (b_vec) b.push_back(1);
  const std::int64_t m = a[a.size() - 2], k = a.back(), kb = b[b.size() - 2], nn = b.back();
  if (k != kb)
    im.fail_node(n, "inputs of shapes " + shape_str(im.shape_of(x1)) + " and " + shape_str(im.shape_of(x2)) +
                        " do not match: " + std::to_string(k) + " columns against " + std::to_string(kb) + " rows");
  Shape batch;
  if (!broadcast_shapes(Shape(a.begin(), a.end() - 2), Shape(b.begin(), b.end() - 2), batch))
    im.fail_node(n, "the batch dimensions of " + shape_str(im.shape_of(x1)) + " and " + shape_str(im.shape_of(x2)) +
                        " do not broadcast");
  Shape full_a = batch, full_b = batch, out = batch;
  full_a.insert(full_a.end(), {m, k});
  full_b.insert(full_b.end(), {k, nn});
  // The layer reads flat [batch, M, K] and [batch, K, N]: only operands
  // whose values repeat along the batch need a broadcast.
  Layer l;
  l.kind = LayerKind::MatMul;
  l.onnx_ops = n.op_type();
  l.inputs = {expand_activation(im, n, x1, full_a, "a", a), expand_activation(im, n, x2, full_b, "b", b)};
  l.dims = {shape_size(batch), m, k, nn};
  if (!a_vec) out.push_back(m);
  if (!b_vec) out.push_back(nn);
  if (out.empty()) out.push_back(1);  // vector · vector: ONNX gives a scalar; zkacc keeps one value as [1]
  if (inner) return im.add_inner_layer(std::move(l), n, "matmul", out);
  im.add_layer(std::move(l), n, out);
  return im.g_.layers.back().output;
}

}  // namespace

void import_matmul_of_activations(Importer& im, const Node& n) {
  matmul(im, n, operand_of(im, n, 0, "MatMul"), im.act_input(n, 1), false);
}

void import_gemm_of_activations(Importer& im, const Node& n) {
  const auto a = im.attrs(n, {"alpha", "beta", "transA", "transB"});
  const float alpha = im.attr_float(n, a, "alpha", 1.0f), beta = im.attr_float(n, a, "beta", 1.0f);
  int x1 = operand_of(im, n, 0, "Gemm"), x2 = im.act_input(n, 1);
  for (int t : {x1, x2})
    if (im.shape_of(t).size() != 2) im.fail_node(n, "input of shape " + shape_str(im.shape_of(t)) + "; Gemm takes 2-D inputs");
  if (im.attr_int(n, a, "transA", 0) != 0) x1 = transpose_activation(im, n, x1, {1, 0}, "transA");
  if (im.attr_int(n, a, "transB", 0) != 0) x2 = transpose_activation(im, n, x2, {1, 0}, "transB");
  const bool scaled = alpha != 1.0f, biased = im.has_input(n, 2) && beta != 0.0f;
  int y = matmul(im, n, x1, x2, scaled || biased);
  const Shape out = im.shape_of(y);
  const auto size = static_cast<std::size_t>(shape_size(out));
  if (scaled) {
    Layer s;
    s.kind = LayerKind::Scale;
    s.onnx_ops = "Gemm";
    s.inputs = {y};
    s.weight = {out, std::vector<double>(size, alpha)};
    s.bias = {out, std::vector<double>(size, 0.0)};
    if (!biased) {
      im.add_layer(std::move(s), n, out);
      return;
    }
    y = im.add_inner_layer(std::move(s), n, "alpha", out);
  }
  if (biased) {
    const Const& c = im.const_input(n, 2, "C");
    Layer add;
    add.kind = LayerKind::Add;
    add.onnx_ops = "Gemm";
    add.inputs = {y};
    add.bias.shape = out;
    if (!broadcast_to(c, out, add.bias.data))
      im.fail_node(n, "C of shape " + shape_str(c.shape) + " does not broadcast to " + shape_str(out));
    for (double& v : add.bias.data) v *= beta;
    im.add_layer(std::move(add), n, out);
  }
}

void import_pow(Importer& im, const Node& n) {
  im.attrs(n, {});
  im.only_first_output(n);
  const int x = im.act_input(n, 0);
  const Const& p = im.const_input(n, 1, "exponent");
  if (p.v.size() != 1 || (p.v[0] != 1 && p.v[0] != 2 && p.v[0] != 3))
    im.fail_node(n, "exponent of shape " + shape_str(p.shape) + (p.v.size() == 1 ? " = " + std::to_string(p.v[0]) : std::string()) +
                        "; zkacc supports a scalar exponent 1, 2 or 3");
  if (p.v[0] == 1) return im.set_act(n.output(0), x);
  Layer sq;
  sq.kind = LayerKind::Mul;
  sq.onnx_ops = "Pow";
  sq.inputs = {x, x};
  if (p.v[0] == 2) return im.add_layer(std::move(sq), n, im.shape_of(x));
  Layer cube = sq;
  cube.inputs = {x, im.add_inner_layer(std::move(sq), n, "square", im.shape_of(x))};
  im.add_layer(std::move(cube), n, im.shape_of(x));
}

}  // namespace zkacc::zkml::detail
