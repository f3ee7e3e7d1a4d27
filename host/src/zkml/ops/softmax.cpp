// Softmax (ops/softmax.hpp): the ONNX op (opset 13: `axis`, default −1, one
// axis), its float reference, integer semantics and gadget.
#include "zkacc/zkml/ops/softmax.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

#include "../importer.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/zkml/quantize.hpp"

namespace zkacc::zkml {

SoftmaxParams make_softmax_params(int in_frac, int in_bits, int n, int out_frac, int out_bits) {
  SoftmaxParams p;
  p.n = n;
  p.out_bits = out_bits;
  // e^−|d| over d = x − m: one bit more than x.
  const int g = out_bits - 2;
  if (out_frac < g || out_frac > 60) throw Error("Softmax: output scale 2^-" + std::to_string(out_frac) + " is coarser than 1.0 needs");
  p.exp = make_smooth_table(SmoothFn::ExpNeg, in_frac, in_bits + 1, g, out_bits);
  const int log_n = static_cast<int>(std::bit_width(static_cast<std::uint64_t>(n - 1)));
  p.recip_k = g + out_frac + log_n + 2;
  p.shift = p.recip_k - out_frac;
  // Each e is at most 2^g + 1 (one step of table error); the maximum's at least 2^g − 1.
  const Int s_max = Int(n) * ((Int(1) << g) + 1), s_min = (Int(1) << g) - 1;
  auto bits_of = [](Int v) {
    int b = 0;
    while (v >> b) ++b;
    return b;
  };
  p.sum_bits = bits_of(s_max);
  p.inv_bits = bits_of(reciprocal_value(std::max<Int>(s_min, 1), p.recip_k));
  // e·inv < 2^(g+1)·2^(inv_bits) is rescaled by 2^shift: keep every width the gadgets take.
  if (p.recip_k + 2 > 120 || g + 1 + p.inv_bits > 120 || p.shift + out_bits > 120)
    throw Error("Softmax: a row of " + std::to_string(n) + " at " + std::to_string(out_bits) + " bits is too wide to prove");
  return p;
}

void softmax_row_eval(const SoftmaxParams& p, std::span<const std::int64_t> x, std::span<std::int64_t> y) {
  const std::int64_t m = *std::max_element(x.begin(), x.end());
  std::vector<std::int64_t> e(x.size());
  Int sum = 0;
  for (std::size_t j = 0; j < x.size(); ++j) sum += e[j] = smooth_eval(p.exp, x[j] - m);
  if (sum < 1) throw Error("internal: a Softmax row sums to " + std::to_string(static_cast<long long>(sum)));
  const Int inv = reciprocal_value(sum, p.recip_k);
  for (std::size_t j = 0; j < x.size(); ++j) y[j] = static_cast<std::int64_t>(rescale_value(Int(e[j]) * inv, p.shift));
}

SoftmaxRowGadget softmax_row(R1csBuilder& cs, std::span<const std::uint32_t> x, int x_bits, bool x_nonneg,
                             const SoftmaxParams& p) {
  SoftmaxRowGadget g;
  g.max_wire = x[0];
  for (std::size_t j = 1; j < x.size(); ++j) {
    g.maxes.push_back(max2(cs, Lc::wire(g.max_wire), Lc::wire(x[j]), x_bits + (x_nonneg ? 0 : 1)));
    g.max_wire = g.maxes.back().out;
  }
  Lc sum;
  for (std::uint32_t xj : x) {
    Lc d = Lc::wire(xj);
    d -= Lc::wire(g.max_wire);
    g.exps.push_back(smooth_activation(cs, d, p.exp, nullptr));
    sum.add(g.exps.back().out, 1);
  }
  g.recip = reciprocal(cs, sum, p.recip_k, p.sum_bits, p.inv_bits);
  for (const SmoothGadget& e : g.exps)
    g.outs.push_back(rescale_product(cs, Lc::wire(e.out), Lc::wire(g.recip.out), Lc{}, std::int64_t(1) << p.shift,
                                     p.out_bits, false));
  return g;
}

void assign_softmax_row(const SoftmaxRowGadget& g, const SoftmaxParams& p, std::span<const std::int64_t> x,
                        std::span<std::int64_t> y, std::span<std::int64_t> w) {
  Int m = x[0];
  for (std::size_t j = 1; j < x.size(); ++j) m = assign_max2(g.maxes[j - 1], m, x[j], w);
  Int sum = 0;
  std::vector<std::int64_t> e(x.size());
  for (std::size_t j = 0; j < x.size(); ++j) sum += e[j] = assign_smooth(g.exps[j], p.exp, x[j] - static_cast<std::int64_t>(m), w);
  const std::int64_t inv = assign_reciprocal(g.recip, sum, w);
  for (std::size_t j = 0; j < x.size(); ++j) y[j] = assign_rescale(g.outs[j], Int(e[j]) * inv, w);
}

}  // namespace zkacc::zkml

namespace zkacc::zkml::detail {

// Softmax(x; axis): a Softmax layer over rows along `axis`, unless it is the
// graph's last op, where it is dropped (the circuit outputs the logits).
void import_softmax(Importer& im, const onnx::NodeProto& n) {
  const auto a = im.attrs(n, {"axis"});
  im.only_first_output(n);
  const int x = im.act_input(n, 0);
  if (n.output(0) == im.output_name_) {
    im.g_.dropped_head = "Softmax";
    im.g_.notes.push_back(im.node_label(n) + " at the end is not proved: the output is the logits, whose argmax is the class");
    return im.set_act(n.output(0), x);
  }
  const Shape xs = im.shape_of(x);
  std::vector<bool> row(xs.size(), false);
  row[static_cast<std::size_t>(normalize_axis(im, n, im.attr_int(n, a, "axis", -1), xs.size()))] = true;
  Layer l;
  l.kind = LayerKind::Softmax;
  l.onnx_ops = "Softmax";
  l.inputs = {x};
  l.select = row_positions(xs, row);
  l.dims = {shape_size(xs) / xs[static_cast<std::size_t>(std::find(row.begin(), row.end(), true) - row.begin())],
            xs[static_cast<std::size_t>(std::find(row.begin(), row.end(), true) - row.begin())]};
  im.add_layer(std::move(l), n, xs);
}

// LogSoftmax(x; axis) as the graph's last op (PyTorch's F.log_softmax head):
// dropped like a final Softmax; the logits are proved and log_softmax of
// them is the ONNX output (same argmax). Inside the graph it would need a
// logarithm gadget, which zkacc does not have.
void import_log_softmax(Importer& im, const onnx::NodeProto& n) {
  im.attrs(n, {"axis"});
  im.only_first_output(n);
  const int x = im.act_input(n, 0);
  if (n.output(0) != im.output_name_)
    im.fail_node(n, "LogSoftmax is supported only as the graph's last op (dropped: the circuit proves the logits); "
                    "inside the graph it would need a logarithm");
  im.g_.dropped_head = "LogSoftmax";
  im.g_.notes.push_back(im.node_label(n) + " at the end is not proved: the output is the logits, whose argmax is the class");
  im.set_act(n.output(0), x);
}

}  // namespace zkacc::zkml::detail
