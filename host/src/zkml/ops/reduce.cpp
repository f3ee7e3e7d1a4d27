// Reductions, opsets 13–18:
//
//   ReduceSum(x, axes; keepdims=1, noop_with_empty_axes=0)   ReduceSum layer
//   ReduceMean(x; axes, keepdims=1) (axes an input from 18)   ReduceMean layer
//   ReduceMax(x; axes, keepdims=1)  (axes an input from 18)   ReduceMax layer
//   Sum(x1, x2, ...)   elementwise, numpy broadcasting        Add layer of every input
//   Mean(x1, x2, ...)  Sum / count                            Add layer, then a Scale
//
// No axes reduce every axis (unless noop_with_empty_axes, which makes the op
// the identity). A reduction layer lists, per output, the positions of its
// n inputs (graph.hpp). Integer semantics (quantize.hpp): ReduceSum
// acc = Σ x_q, rescaled to the output's calibrated scale (s + B + 2);
// ReduceMean y = floor((Σ x_q + floor(n/2)) / n) at the input's scale, as
// AveragePool (B + 2k + 3, k the bits of n − 1; s + B + 2 when n = 2^s);
// ReduceMax the largest, (n − 1) comparisons. The float reference is the
// formula.
#include <algorithm>

#include "../importer.hpp"

namespace zkacc::zkml::detail {

namespace {

using Node = onnx::NodeProto;

void op_reduce(Importer& im, const Node& n, LayerKind kind) {
  // ReduceSum takes axes as an input from opset 13, ReduceMean/ReduceMax from 18.
  const auto a = im.attrs(n, {"axes", "keepdims", "noop_with_empty_axes"});
  im.only_first_output(n);
  const int x = im.act_input(n, 0);
  const Shape xs = im.shape_of(x);
  std::vector<std::int64_t> axes = axes_of(im, n, a, 1);
  const bool keep = im.attr_int(n, a, "keepdims", 1) != 0;
  if (axes.empty()) {
    if (im.attr_int(n, a, "noop_with_empty_axes", 0) != 0) return im.set_act(n.output(0), x);
    for (std::size_t d = 0; d < xs.size(); ++d) axes.push_back(static_cast<std::int64_t>(d));
  }
  std::vector<bool> reduced(xs.size(), false);
  for (std::int64_t ax : axes) {
    const auto d = static_cast<std::size_t>(normalize_axis(im, n, ax, xs.size(), "axis"));
    if (reduced[d]) im.fail_node(n, "axis " + std::to_string(ax) + " is listed twice");
    reduced[d] = true;
  }
  Shape out;
  for (std::size_t d = 0; d < xs.size(); ++d)
    if (!reduced[d] || keep) out.push_back(reduced[d] ? 1 : xs[d]);
  if (out.empty()) out.push_back(1);  // every axis without keepdims: ONNX gives a scalar; zkacc keeps one value as [1]
  Layer l;
  l.kind = kind;
  l.onnx_ops = n.op_type();
  l.inputs = {x};
  l.select = row_positions(xs, reduced);
  im.add_layer(std::move(l), n, out);
}

void op_sum_mean(Importer& im, const Node& n, bool mean) {
  im.attrs(n, {});
  im.only_first_output(n);
  if (n.input_size() < 1) im.fail_node(n, "has no inputs");
  std::vector<int> acts;
  for (int i = 0; i < n.input_size(); ++i) acts.push_back(im.act_input(n, i));
  Shape out = im.shape_of(acts[0]);
  for (int t : acts)
    if (!broadcast_shapes(Shape(out), im.shape_of(t), out))
      im.fail_node(n, "inputs of shapes " + shape_str(out) + " and " + shape_str(im.shape_of(t)) + " do not broadcast");
  if (acts.size() == 1 && im.shape_of(acts[0]) == out) return im.set_act(n.output(0), acts[0]);
  Layer add;
  add.kind = LayerKind::Add;
  add.onnx_ops = n.op_type();
  for (std::size_t k = 0; k < acts.size(); ++k) add.inputs.push_back(expand_activation(im, n, acts[k], out, std::to_string(k)));
  if (!mean) return im.add_layer(std::move(add), n, out);
  const int sum = im.add_inner_layer(std::move(add), n, "sum", out);
  const auto size = static_cast<std::size_t>(shape_size(out));
  Layer s;
  s.kind = LayerKind::Scale;
  s.onnx_ops = "Mean";
  s.inputs = {sum};
  s.weight = {out, std::vector<double>(size, 1.0 / static_cast<double>(acts.size()))};
  s.bias = {out, std::vector<double>(size, 0.0)};
  im.add_layer(std::move(s), n, out);
}

}  // namespace

std::vector<std::int64_t> row_positions(const Shape& xs, const std::vector<bool>& reduced) {
  // Rows in row-major order of the kept axes; the reduced axes vary fastest inside each row.
  std::int64_t n_out = 1, n_in = 1;
  for (std::size_t d = 0; d < xs.size(); ++d) (reduced[d] ? n_in : n_out) *= xs[d];
  std::vector<std::int64_t> stride(xs.size(), 1);
  for (std::size_t d = xs.size(); d-- > 1;) stride[d - 1] = stride[d] * xs[d];
  std::vector<std::int64_t> positions;
  positions.reserve(static_cast<std::size_t>(n_out * n_in));
  std::vector<std::int64_t> idx(xs.size(), 0);
  for (std::int64_t o = 0; o < n_out; ++o) {
    std::int64_t rest = o;
    for (std::size_t d = xs.size(); d-- > 0;)
      if (!reduced[d]) {
        idx[d] = rest % xs[d];
        rest /= xs[d];
      }
    for (std::int64_t j = 0; j < n_in; ++j) {
      std::int64_t r = j, pos = 0;
      for (std::size_t d = xs.size(); d-- > 0;) {
        if (reduced[d]) {
          idx[d] = r % xs[d];
          r /= xs[d];
        }
        pos += idx[d] * stride[d];
      }
      positions.push_back(pos);
    }
  }
  return positions;
}

void register_reduce_ops(OpRegistry& r) {
  r["ReduceSum"] = [](Importer& im, const Node& n) { op_reduce(im, n, LayerKind::ReduceSum); };
  r["ReduceMean"] = [](Importer& im, const Node& n) { op_reduce(im, n, LayerKind::ReduceMean); };
  r["ReduceMax"] = [](Importer& im, const Node& n) { op_reduce(im, n, LayerKind::ReduceMax); };
  r["Sum"] = [](Importer& im, const Node& n) { op_sum_mean(im, n, false); };
  r["Mean"] = [](Importer& im, const Node& n) { op_sum_mean(im, n, true); };
}

}  // namespace zkacc::zkml::detail
