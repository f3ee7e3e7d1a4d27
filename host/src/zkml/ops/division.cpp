// Div of two activations, Reciprocal and Sqrt (ops/division.hpp): the
// integer semantics and the ONNX imports. The float reference is the formula
// (float_eval.cpp); the gadgets are gadgets.hpp's divide and isqrt.
#include "zkacc/zkml/ops/division.hpp"

#include "../importer.hpp"
#include "zkacc/zkml/gadgets.hpp"

namespace zkacc::zkml {

DivisionScale division_scale(int f1, int f2, int g) {
  const int k = g + f2 - f1;  // x1/x2 at frac g: x1_q·2^(g + f2 − f1) / x2_q
  return k >= 0 ? DivisionScale{k, 0} : DivisionScale{0, -k};
}

std::optional<std::string> division_eval(Int num, Int den, Int& y) {
  if (den < 1) return "the divisor " + std::to_string(static_cast<long long>(den)) + " is not positive";
  y = divide_value(num, den);
  return std::nullopt;
}

std::optional<std::string> sqrt_eval(Int v, Int& y) {
  if (v < 0) return "the square root of a negative value";
  y = isqrt_value(v);
  return std::nullopt;
}

}  // namespace zkacc::zkml

namespace zkacc::zkml::detail {

using Node = onnx::NodeProto;

void import_div_of_activations(Importer& im, const Node& n) {
  if (im.input(n, 0).kind == Value::kConst) im.fail_node(n, "Div of a constant by an activation is not supported (Reciprocal is)");
  add_broadcast_binary(im, n, LayerKind::Div);
}

void register_division_ops(OpRegistry& r) {
  r["Sqrt"] = [](Importer& im, const Node& n) { add_unary(im, n, LayerKind::Sqrt); };
  r["Reciprocal"] = [](Importer& im, const Node& n) { add_unary(im, n, LayerKind::Reciprocal); };
}

}  // namespace zkacc::zkml::detail
