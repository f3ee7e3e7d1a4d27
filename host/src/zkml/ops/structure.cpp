// The ops that move values without computing new ones: Shape, Gather,
// Concat, Split, Slice, Transpose, Expand, Squeeze, Unsqueeze, Cast,
// ConstantOfShape, Equal/Less/Greater and Where with a constant condition,
// and Add/Sub/Mul/Div of constants (fold_constant_binary).
//
// On constants (weights, and the Shape → Gather → Concat → Reshape
// subgraphs that exports with dynamic shapes emit) each is evaluated at
// import time: shapes here are static, so a Shape is a constant. On an
// activation each is a Select layer (graph.hpp): every output value is one
// input value, so the circuit reuses the input's wires and pays nothing,
// unless Concat joins tensors at different scales (quantize.hpp rescales
// them to the finest common scale).
//
// Float reference and integer semantics are the same index map; ONNX's
// semantics (opsets 13–18) for each op are in its comment.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "../importer.hpp"

namespace zkacc::zkml::detail {

namespace {

using Node = onnx::NodeProto;

// Row-major strides of a shape.
std::vector<std::int64_t> strides(const Shape& s) {
  std::vector<std::int64_t> st(s.size(), 1);
  for (std::size_t d = s.size(); d-- > 1;) st[d - 1] = st[d] * s[d];
  return st;
}

// f(multi-index) for every position of `shape`, in row-major order.
template <class F>
void for_each_index(const Shape& shape, F&& f) {
  const std::int64_t n = shape_size(shape);
  std::vector<std::int64_t> idx(shape.size(), 0);
  for (std::int64_t flat = 0; flat < n; ++flat) {
    f(idx);
    for (std::size_t d = shape.size(); d-- > 0;) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
}

// The positions a numpy broadcast of `in` to `out` reads (`in` padded with
// leading 1s to the rank of `out`).
std::vector<std::int64_t> broadcast_map(const Shape& in, const Shape& out) {
  const auto st = strides(in);
  std::vector<std::int64_t> sel;
  for_each_index(out, [&](const std::vector<std::int64_t>& o) {
    std::int64_t src = 0;
    for (std::size_t d = 0; d < out.size(); ++d) src += (in[d] == 1 ? 0 : o[d]) * st[d];
    sel.push_back(src);
  });
  return sel;
}

// The positions a transpose of `in` by `perm` reads; `out` is its shape.
std::vector<std::int64_t> transpose_map(const Shape& in, const std::vector<std::int64_t>& perm, Shape& out) {
  out.resize(in.size());
  for (std::size_t d = 0; d < in.size(); ++d) out[d] = in[static_cast<std::size_t>(perm[d])];
  const auto st = strides(in);
  std::vector<std::int64_t> sel;
  for_each_index(out, [&](const std::vector<std::int64_t>& o) {
    std::int64_t src = 0;
    for (std::size_t d = 0; d < in.size(); ++d) src += o[d] * st[static_cast<std::size_t>(perm[d])];
    sel.push_back(src);
  });
  return sel;
}

// The input i as a shape and, for an activation, its tensor (-1 for a constant).
struct Operand {
  Shape shape;
  int tensor = -1;
  const Const* c = nullptr;
};
Operand operand(Importer& im, const Node& n, int i) {
  const Value& v = im.input(n, i);
  if (v.kind == Value::kQuantized)
    im.fail_node(n, "reads the QuantizeLinear output '" + n.input(i) + "'; only a DequantizeLinear may read it");
  if (v.kind == Value::kConst) return {v.c.shape, -1, &v.c};
  return {im.shape_of(v.tensor), v.tensor, nullptr};
}

// Output `out` of node n: the values of the inputs (concatenated flat) at
// `select`. Constants are folded; activations become a Select layer.
void emit(Importer& im, const Node& n, const std::vector<Operand>& ins, Shape out_shape, std::vector<std::int64_t> select,
          int out = 0) {
  const bool all_const = std::all_of(ins.begin(), ins.end(), [](const Operand& o) { return o.tensor < 0; });
  if (all_const) {
    Const c;
    c.shape = std::move(out_shape);
    std::vector<double> flat;
    for (const Operand& o : ins) flat.insert(flat.end(), o.c->v.begin(), o.c->v.end());
    c.v.reserve(select.size());
    for (std::int64_t i : select) c.v.push_back(flat[static_cast<std::size_t>(i)]);
    im.set_const(n.output(out), std::move(c));
    return;
  }
  // The identity (a Squeeze, a full Slice): the same tensor under another name.
  if (ins.size() == 1 && out_shape == ins[0].shape) {
    bool same = true;
    for (std::size_t e = 0; e < select.size() && same; ++e) same = select[e] == static_cast<std::int64_t>(e);
    if (same) {
      im.set_act(n.output(out), ins[0].tensor);
      return;
    }
  }
  // Activations first, then the constants (a class token joined with the
  // patches): positions are renumbered into that order.
  Layer l;
  l.kind = LayerKind::Select;
  l.onnx_ops = n.op_type();
  std::vector<std::int64_t> begin, moved;  // each operand's first position in the ONNX order and in ours
  std::int64_t onnx_pos = 0, act_pos = 0, const_pos = 0;
  for (const Operand& o : ins)
    if (o.tensor >= 0) const_pos += shape_size(o.shape);
  for (const Operand& o : ins) {
    const std::int64_t size = shape_size(o.shape);
    begin.push_back(onnx_pos);
    onnx_pos += size;
    std::int64_t& pos = o.tensor >= 0 ? act_pos : const_pos;
    moved.push_back(pos);
    pos += size;
    if (o.tensor >= 0) l.inputs.push_back(o.tensor);
    else l.weight.data.insert(l.weight.data.end(), o.c->v.begin(), o.c->v.end());
  }
  if (!l.weight.data.empty()) {
    l.weight.shape = {static_cast<std::int64_t>(l.weight.data.size())};
    for (std::int64_t& e : select) {
      const auto k = static_cast<std::size_t>(std::upper_bound(begin.begin(), begin.end(), e) - begin.begin()) - 1;
      e = moved[k] + (e - begin[k]);
    }
  }
  l.select = std::move(select);
  im.add_layer(std::move(l), n, std::move(out_shape), out);
}

std::vector<std::int64_t> iota(std::int64_t n) {
  std::vector<std::int64_t> v(static_cast<std::size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

// A reshape: the same values in another shape (Squeeze, Unsqueeze).
void emit_reshape(Importer& im, const Node& n, const Operand& x, Shape out) {
  if (x.tensor < 0) {
    Const c = *x.c;
    c.shape = std::move(out);
    im.set_const(n.output(0), std::move(c));
    return;
  }
  Layer l;
  l.kind = LayerKind::Reshape;
  l.onnx_ops = n.op_type();
  l.inputs = {x.tensor};
  im.add_layer(std::move(l), n, std::move(out));
}


// Shape(data) [start, end]: the input's static shape as int64 (opset 15 slices it).
void op_shape(Importer& im, const Node& n) {
  const auto a = im.attrs(n, {"start", "end"});
  im.only_first_output(n);
  const Operand x = operand(im, n, 0);
  const auto r = static_cast<std::int64_t>(x.shape.size());
  auto clampi = [&](std::int64_t v) { return std::clamp(v < 0 ? v + r : v, std::int64_t(0), r); };
  const std::int64_t start = clampi(im.attr_int(n, a, "start", 0)), end = clampi(im.attr_int(n, a, "end", r));
  Const c;
  for (std::int64_t d = start; d < end; ++d) c.v.push_back(double(x.shape[static_cast<std::size_t>(d)]));
  c.shape = {static_cast<std::int64_t>(c.v.size())};
  im.set_const(n.output(0), std::move(c));
}

// Gather(data, indices, axis): out[pre, idx..., post] = data[pre, indices[idx...], post].
// Indices must be constants (an embedding lookup by an input-dependent index
// is not supported yet); negative ones count from the end.
void op_gather(Importer& im, const Node& n) {
  const auto a = im.attrs(n, {"axis"});
  im.only_first_output(n);
  const Operand x = operand(im, n, 0);
  if (im.input(n, 1).kind != Value::kConst) return import_embedding(im, n);  // ops/embedding.cpp
  const Const& ic = im.const_input(n, 1, "indices");
  if (x.shape.empty()) im.fail_node(n, "data is a scalar");
  const auto axis = static_cast<std::size_t>(normalize_axis(im, n, im.attr_int(n, a, "axis", 0), x.shape.size()));
  const std::int64_t dim = x.shape[axis];
  std::vector<std::int64_t> idx = ints_of(im, n, ic, "indices");
  for (std::int64_t& i : idx) {
    if (i < -dim || i >= dim) im.fail_node(n, "index " + std::to_string(i) + " is out of range for axis size " + std::to_string(dim));
    if (i < 0) i += dim;
  }
  Shape out(x.shape.begin(), x.shape.begin() + static_cast<std::ptrdiff_t>(axis));
  out.insert(out.end(), ic.shape.begin(), ic.shape.end());
  out.insert(out.end(), x.shape.begin() + static_cast<std::ptrdiff_t>(axis) + 1, x.shape.end());
  const auto st = strides(x.shape);
  const std::size_t q = ic.shape.size();
  const auto ist = strides(ic.shape);
  std::vector<std::int64_t> sel;
  for_each_index(out, [&](const std::vector<std::int64_t>& o) {
    std::int64_t flat_i = 0;
    for (std::size_t k = 0; k < q; ++k) flat_i += o[axis + k] * ist[k];
    std::int64_t src = idx[static_cast<std::size_t>(flat_i)] * st[axis];
    for (std::size_t d = 0; d < axis; ++d) src += o[d] * st[d];
    for (std::size_t d = axis + 1; d < x.shape.size(); ++d) src += o[d + q - 1] * st[d];
    sel.push_back(src);
  });
  emit(im, n, {x}, out, std::move(sel));
}

// Concat(inputs..., axis): joined along axis; other dimensions must agree.
void op_concat(Importer& im, const Node& n) {
  const auto a = im.attrs(n, {"axis"});
  im.only_first_output(n);
  std::vector<Operand> ins;
  for (int i = 0; i < n.input_size(); ++i) ins.push_back(operand(im, n, i));
  if (ins.empty()) im.fail_node(n, "has no inputs");
  const Shape& s0 = ins[0].shape;
  if (s0.empty()) im.fail_node(n, "input 0 is a scalar");
  const auto axis = static_cast<std::size_t>(normalize_axis(im, n, im.attr_int(n, a, "axis", 0), s0.size()));
  Shape out = s0;
  out[axis] = 0;
  std::vector<std::int64_t> offset;  // of each input in the concatenation of all
  std::int64_t total = 0;
  for (std::size_t k = 0; k < ins.size(); ++k) {
    const Shape& s = ins[k].shape;
    bool ok = s.size() == s0.size();
    for (std::size_t d = 0; ok && d < s.size(); ++d) ok = d == axis || s[d] == s0[d];
    if (!ok)
      im.fail_node(n, "input " + std::to_string(k) + " has shape " + shape_str(s) + ", which does not match input 0 " +
                          shape_str(s0) + " outside axis " + std::to_string(axis));
    out[axis] += s[axis];
    offset.push_back(total);
    total += shape_size(s);
  }
  std::vector<std::int64_t> sel;
  for_each_index(out, [&](const std::vector<std::int64_t>& o) {
    std::int64_t pos = o[axis];
    std::size_t k = 0;
    while (pos >= ins[k].shape[axis]) pos -= ins[k++].shape[axis];
    const auto st = strides(ins[k].shape);
    std::int64_t src = offset[k];
    for (std::size_t d = 0; d < o.size(); ++d) src += (d == axis ? pos : o[d]) * st[d];
    sel.push_back(src);
  });
  emit(im, n, ins, out, std::move(sel));
}

// Values [start, start + step·k) along each axis: the index map of Slice and Split.
std::vector<std::int64_t> slice_map(const Shape& in, const Shape& out, const std::vector<std::int64_t>& start,
                                    const std::vector<std::int64_t>& step) {
  const auto st = strides(in);
  std::vector<std::int64_t> sel;
  for_each_index(out, [&](const std::vector<std::int64_t>& o) {
    std::int64_t src = 0;
    for (std::size_t d = 0; d < o.size(); ++d) src += (start[d] + o[d] * step[d]) * st[d];
    sel.push_back(src);
  });
  return sel;
}

// Slice(data, starts, ends, axes, steps) (opset 10+), ends clamped as ONNX does.
void op_slice(Importer& im, const Node& n) {
  im.attrs(n, {});
  im.only_first_output(n);
  const Operand x = operand(im, n, 0);
  const auto starts = ints_of(im, n, im.const_input(n, 1, "starts"), "starts");
  const auto ends = ints_of(im, n, im.const_input(n, 2, "ends"), "ends");
  std::vector<std::int64_t> axes, steps;
  if (im.has_input(n, 3)) axes = ints_of(im, n, im.const_input(n, 3, "axes"), "axes");
  else axes = iota(static_cast<std::int64_t>(starts.size()));
  if (im.has_input(n, 4)) steps = ints_of(im, n, im.const_input(n, 4, "steps"), "steps");
  else steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    im.fail_node(n, "starts, ends, axes and steps have different lengths");
  const std::size_t r = x.shape.size();
  std::vector<std::int64_t> start(r, 0), step(r, 1);
  Shape out = x.shape;
  std::vector<bool> seen(r, false);
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const auto d = static_cast<std::size_t>(normalize_axis(im, n, axes[i], r, "axes entry"));
    if (seen[d]) im.fail_node(n, "axis " + std::to_string(d) + " is sliced twice");
    seen[d] = true;
    const std::int64_t dim = x.shape[d], s = steps[i];
    if (s == 0 || s > kMaxTensorElements || s < -kMaxTensorElements)
      im.fail_node(n, "a step of " + std::to_string(s) + " (zkacc takes steps from -2^24 to 2^24 but 0)");
    auto clamp = [&](std::int64_t v, std::int64_t lo, std::int64_t hi) {
      if (v < 0) v += dim;
      return std::clamp(v, lo, hi);
    };
    std::int64_t b, e;
    if (s > 0) {
      b = clamp(starts[i], 0, dim);
      e = clamp(ends[i], 0, dim);
    } else {
      b = clamp(starts[i], -1, dim - 1);
      e = clamp(ends[i], -1, dim - 1);
    }
    const std::int64_t len = s > 0 ? std::max<std::int64_t>(0, (e - b + s - 1) / s) : std::max<std::int64_t>(0, (b - e - s - 1) / -s);
    start[d] = b;
    step[d] = s;
    out[d] = len;
  }
  emit(im, n, {x}, out, slice_map(x.shape, out, start, step));
}

// Split(input, split, axis) [num_outputs, opset 18]: consecutive parts along axis.
void op_split(Importer& im, const Node& n) {
  const auto a = im.attrs(n, {"axis", "split", "num_outputs"});
  const Operand x = operand(im, n, 0);
  if (x.shape.empty()) im.fail_node(n, "input is a scalar");
  const auto axis = static_cast<std::size_t>(normalize_axis(im, n, im.attr_int(n, a, "axis", 0), x.shape.size()));
  std::vector<std::int64_t> parts = im.has_input(n, 1) ? ints_of(im, n, im.const_input(n, 1, "split"), "split")
                                                        : im.attr_ints(n, a, "split");
  const auto outs = static_cast<std::int64_t>(n.output_size());
  if (outs < 1) im.fail_node(n, "has no outputs");
  const std::int64_t dim = x.shape[axis];
  if (parts.empty()) {  // equal parts, the last one smaller if need be
    const std::int64_t each = (dim + outs - 1) / outs;
    for (std::int64_t k = 0; k < outs; ++k) parts.push_back(std::min(each, dim - k * each));
  }
  if (static_cast<std::int64_t>(parts.size()) != outs ||
      std::any_of(parts.begin(), parts.end(), [dim](std::int64_t p) { return p < 0 || p > dim; }) ||
      std::accumulate(parts.begin(), parts.end(), std::int64_t(0)) != dim)
    im.fail_node(n, "split sizes do not add up to the axis size " + std::to_string(dim) + " over " + std::to_string(outs) + " outputs");
  std::int64_t at = 0;
  for (int k = 0; k < n.output_size(); ++k) {
    Shape out = x.shape;
    out[axis] = parts[static_cast<std::size_t>(k)];
    std::vector<std::int64_t> start(x.shape.size(), 0), step(x.shape.size(), 1);
    start[axis] = at;
    at += parts[static_cast<std::size_t>(k)];
    if (!n.output(k).empty()) emit(im, n, {x}, out, slice_map(x.shape, out, start, step), k);
  }
}

// Transpose(perm): out[i_perm[0], ...] = in[i_0, ...]; default perm reverses the axes.
void op_transpose(Importer& im, const Node& n) {
  const auto a = im.attrs(n, {"perm"});
  im.only_first_output(n);
  const Operand x = operand(im, n, 0);
  const std::size_t r = x.shape.size();
  std::vector<std::int64_t> perm = im.attr_ints(n, a, "perm");
  if (perm.empty())
    for (std::size_t d = r; d-- > 0;) perm.push_back(static_cast<std::int64_t>(d));
  std::vector<std::int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  if (sorted != iota(static_cast<std::int64_t>(r))) im.fail_node(n, "perm is not a permutation of the " + std::to_string(r) + " axes");
  Shape out;
  std::vector<std::int64_t> sel = transpose_map(x.shape, perm, out);
  emit(im, n, {x}, out, std::move(sel));
}

// Expand(input, shape): numpy broadcasting of the input against `shape`.
void op_expand(Importer& im, const Node& n) {
  im.attrs(n, {});
  im.only_first_output(n);
  const Operand x = operand(im, n, 0);
  const Shape want = ints_of(im, n, im.const_input(n, 1, "shape"), "shape");
  const std::size_t r = std::max(want.size(), x.shape.size());
  Shape in(r, 1), out(r, 1);
  std::copy(x.shape.begin(), x.shape.end(), in.begin() + static_cast<std::ptrdiff_t>(r - x.shape.size()));
  std::copy(want.begin(), want.end(), out.begin() + static_cast<std::ptrdiff_t>(r - want.size()));
  for (std::size_t d = 0; d < r; ++d) {
    if (in[d] != out[d] && in[d] != 1 && out[d] != 1)
      im.fail_node(n, "input " + shape_str(x.shape) + " does not broadcast to " + shape_str(want));
    out[d] = std::max(in[d], out[d]);
    if (out[d] < 0) im.fail_node(n, "a negative dimension in shape");
  }
  try {
    (void)shape_size(out);
  } catch (const Error& e) {
    im.fail_node(n, e.what());
  }
  emit(im, n, {x}, out, broadcast_map(in, out));
}

// Unsqueeze(data, axes): insert dimensions of size 1 at `axes` of the output.
void op_unsqueeze(Importer& im, const Node& n) {
  const auto a = im.attrs(n, {"axes"});
  im.only_first_output(n);
  const Operand x = operand(im, n, 0);
  const std::vector<std::int64_t> axes = axes_of(im, n, a, 1);
  const std::size_t r = x.shape.size() + axes.size();
  std::vector<bool> one(r, false);
  for (std::int64_t ax : axes) {
    const auto d = static_cast<std::size_t>(normalize_axis(im, n, ax, r, "axes entry"));
    if (one[d]) im.fail_node(n, "axis " + std::to_string(d) + " appears twice");
    one[d] = true;
  }
  Shape out;
  std::size_t k = 0;
  for (std::size_t d = 0; d < r; ++d) out.push_back(one[d] ? 1 : x.shape[k++]);
  emit_reshape(im, n, x, out);
}

// Squeeze(data, axes): drop dimensions of size 1 (all of them without axes).
void op_squeeze(Importer& im, const Node& n) {
  const auto a = im.attrs(n, {"axes"});
  im.only_first_output(n);
  const Operand x = operand(im, n, 0);
  std::vector<bool> drop(x.shape.size(), false);
  const std::vector<std::int64_t> axes = axes_of(im, n, a, 1);
  if (axes.empty())
    for (std::size_t d = 0; d < x.shape.size(); ++d) drop[d] = x.shape[d] == 1;
  for (std::int64_t ax : axes) {
    const auto d = static_cast<std::size_t>(normalize_axis(im, n, ax, x.shape.size(), "axes entry"));
    if (x.shape[d] != 1) im.fail_node(n, "axis " + std::to_string(d) + " has size " + std::to_string(x.shape[d]) + ", not 1");
    drop[d] = true;
  }
  Shape out;
  for (std::size_t d = 0; d < x.shape.size(); ++d)
    if (!drop[d]) out.push_back(x.shape[d]);
  emit_reshape(im, n, x, out);
}

// Cast(input, to): of a constant, to the type (integers truncate toward
// zero, bool is ≠ 0); of an activation, to float or double only (the identity).
void op_cast(Importer& im, const Node& n) {
  const auto a = im.attrs(n, {"to", "saturate"});
  im.only_first_output(n);
  const std::int64_t to = im.attr_int(n, a, "to", 0);
  const bool to_float = to == onnx::TensorProto_DataType_FLOAT || to == onnx::TensorProto_DataType_DOUBLE ||
                        to == onnx::TensorProto_DataType_FLOAT16;
  const bool to_int = to == onnx::TensorProto_DataType_INT64 || to == onnx::TensorProto_DataType_INT32 ||
                      to == onnx::TensorProto_DataType_INT8 || to == onnx::TensorProto_DataType_UINT8 ||
                      to == onnx::TensorProto_DataType_INT16;
  const bool to_bool = to == onnx::TensorProto_DataType_BOOL;
  if (!to_float && !to_int && !to_bool) im.fail_node(n, "cast to type " + std::to_string(to) + " is not supported");
  const Operand x = operand(im, n, 0);
  if (x.tensor >= 0) {
    if (!to_float) im.fail_node(n, "casting an activation to an integer type is not supported (zkacc supports float)");
    im.set_act(n.output(0), x.tensor);
    return;
  }
  Const c = *x.c;
  for (double& v : c.v) v = to_bool ? double(v != 0) : to_int ? std::trunc(v) : v;
  im.set_const(n.output(0), std::move(c));
}

// ConstantOfShape(shape) [value]: a constant filled with value (default 0).
void op_constant_of_shape(Importer& im, const Node& n) {
  const auto a = im.attrs(n, {"value"});
  im.only_first_output(n);
  Const c;
  c.shape = ints_of(im, n, im.const_input(n, 0, "shape"), "shape");
  std::int64_t size = 0;
  try {
    size = shape_size(c.shape);
  } catch (const Error& e) {
    im.fail_node(n, e.what());
  }
  double value = 0;
  if (auto it = a.find("value"); it != a.end()) {
    const Const v = im.read_tensor(it->second->t(), im.node_label(n) + " value");
    if (v.v.size() != 1) im.fail_node(n, "value must hold one element");
    value = v.v[0];
  }
  c.v.assign(static_cast<std::size_t>(size), value);
  im.set_const(n.output(0), std::move(c));
}

// Add, Sub, Mul, Div of two constants (shape arithmetic), numpy broadcasting;
// Div of integer constants truncates as ONNX's integer division does when
// both are whole numbers.
void fold_binary(Importer& im, const Node& n, char op) {
  const Const& x = im.const_input(n, 0, "input A");
  const Const& y = im.const_input(n, 1, "input B");
  const std::size_t r = std::max(x.shape.size(), y.shape.size());
  Shape out(r, 1);
  for (std::size_t d = 0; d < r; ++d) {
    const std::int64_t dx = d + x.shape.size() >= r ? x.shape[d + x.shape.size() - r] : 1;
    const std::int64_t dy = d + y.shape.size() >= r ? y.shape[d + y.shape.size() - r] : 1;
    if (dx != dy && dx != 1 && dy != 1)
      im.fail_node(n, "inputs of shapes " + shape_str(x.shape) + " and " + shape_str(y.shape) + " do not broadcast");
    out[d] = std::max(dx, dy);
  }
  std::vector<double> bx, by;
  if (!broadcast_to(x, out, bx) || !broadcast_to(y, out, by)) im.fail_node(n, "inputs do not broadcast");
  Const c;
  c.shape = out;
  for (std::size_t i = 0; i < bx.size(); ++i) {
    const double u = bx[i], v = by[i];
    switch (op) {
      case '+': c.v.push_back(u + v); break;
      case '-': c.v.push_back(u - v); break;
      case '*': c.v.push_back(u * v); break;
      case '=': c.v.push_back(u == v ? 1 : 0); break;
      case '<': c.v.push_back(u < v ? 1 : 0); break;
      case '>': c.v.push_back(u > v ? 1 : 0); break;
      default:
        if (v == 0) im.fail_node(n, "divides by zero");
        c.v.push_back(u == std::floor(u) && v == std::floor(v) ? std::trunc(u / v) : u / v);
    }
  }
  im.set_const(n.output(0), std::move(c));
}

// Equal, Less, Greater of two constants (the shape arithmetic of an exported
// expand(B, -1, -1)), folded to 0/1. A comparison of activations would be a
// data-dependent branch: refused.
void op_compare(Importer& im, const Node& n) {
  im.attrs(n, {});
  im.only_first_output(n);
  if (im.input(n, 0).kind != Value::kConst || im.input(n, 1).kind != Value::kConst)
    im.fail_node(n, "compares an activation; zkacc folds comparisons of constants (shape arithmetic) only");
  fold_binary(im, n, n.op_type() == "Equal" ? '=' : n.op_type() == "Less" ? '<' : '>');
}

// Where(condition, X, Y) with a constant condition: each output is X's or
// Y's value at its (broadcast) position, a Select (constants folded, or
// joined as constants). A condition computed from activations is refused.
void op_where(Importer& im, const Node& n) {
  im.attrs(n, {});
  im.only_first_output(n);
  if (im.input(n, 0).kind != Value::kConst) im.fail_node(n, "has a condition computed from activations; zkacc takes constant conditions only");
  const Const& cond = im.const_input(n, 0, "condition");
  const Operand x = operand(im, n, 1), y = operand(im, n, 2);
  Shape xy, out;
  if (!broadcast_shapes(x.shape, y.shape, xy) || !broadcast_shapes(cond.shape, xy, out))
    im.fail_node(n, "condition " + shape_str(cond.shape) + ", X " + shape_str(x.shape) + " and Y " + shape_str(y.shape) +
                        " do not broadcast");
  auto padded = [&](const Shape& s) {
    Shape p(out.size(), 1);
    std::copy(s.begin(), s.end(), p.begin() + static_cast<std::ptrdiff_t>(out.size() - s.size()));
    return p;
  };
  const auto mc = broadcast_map(padded(cond.shape), out), mx = broadcast_map(padded(x.shape), out),
             my = broadcast_map(padded(y.shape), out);
  std::vector<std::int64_t> sel(mc.size());
  const std::int64_t x_size = shape_size(x.shape);
  for (std::size_t e = 0; e < sel.size(); ++e)
    sel[e] = cond.v[static_cast<std::size_t>(mc[e])] != 0 ? mx[e] : x_size + my[e];
  emit(im, n, {x, y}, out, std::move(sel));
}

}  // namespace

std::int64_t normalize_axis(Importer& im, const Node& n, std::int64_t axis, std::size_t rank, const char* what) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r)
    im.fail_node(n, std::string(what) + " " + std::to_string(axis) + " is out of range for rank " + std::to_string(r));
  return axis < 0 ? axis + r : axis;
}

// Integer entries of a constant (axes, indices, shapes, starts...), refusing fractions and huge values.
std::vector<std::int64_t> ints_of(Importer& im, const Node& n, const Const& c, const char* what) {
  std::vector<std::int64_t> out;
  for (double v : c.v) {
    if (v != std::floor(v) || std::abs(v) > 9.2e18) im.fail_node(n, std::string(what) + " must be integers");
    out.push_back(static_cast<std::int64_t>(v));
  }
  return out;
}

// Axes from the input `i` (opset 13+) or the attribute (earlier).
std::vector<std::int64_t> axes_of(Importer& im, const Node& n, const std::map<std::string, const onnx::AttributeProto*>& a,
                                  int i) {
  if (im.has_input(n, i)) return ints_of(im, n, im.const_input(n, i, "axes"), "axes");
  return im.attr_ints(n, a, "axes");
}

void fold_constant_binary(Importer& im, const onnx::NodeProto& n, char op) { fold_binary(im, n, op); }

bool broadcast_shapes(const Shape& a, const Shape& b, Shape& out) {
  const std::size_t r = std::max(a.size(), b.size());
  out.assign(r, 1);
  for (std::size_t d = 0; d < r; ++d) {
    const std::int64_t x = d + a.size() >= r ? a[d + a.size() - r] : 1;
    const std::int64_t y = d + b.size() >= r ? b[d + b.size() - r] : 1;
    if (x != y && x != 1 && y != 1) return false;
    out[d] = x == 1 ? y : x;
  }
  return true;
}

int expand_activation(Importer& im, const onnx::NodeProto& n, int tensor, const Shape& out, const std::string& suffix,
                      const Shape& view) {
  const Shape xs = view.empty() ? im.shape_of(tensor) : view;
  if (shape_size(xs) == shape_size(out)) return tensor;  // only dimensions of 1 added: the same flat order
  Shape in(out.size(), 1);
  std::copy(xs.begin(), xs.end(), in.begin() + static_cast<std::ptrdiff_t>(out.size() - xs.size()));
  Layer l;
  l.kind = LayerKind::Select;
  l.onnx_ops = n.op_type();
  l.inputs = {tensor};
  l.select = broadcast_map(in, out);
  return im.add_inner_layer(std::move(l), n, suffix, out);
}

void add_broadcast_binary(Importer& im, const onnx::NodeProto& n, LayerKind kind) {
  const int a = im.act_input(n, 0), b = im.act_input(n, 1);
  Shape out;
  if (!broadcast_shapes(im.shape_of(a), im.shape_of(b), out))
    im.fail_node(n, "inputs of shapes " + shape_str(im.shape_of(a)) + " and " + shape_str(im.shape_of(b)) + " do not broadcast");
  Layer l;
  l.kind = kind;
  l.onnx_ops = n.op_type();
  l.inputs = {expand_activation(im, n, a, out, "a"), expand_activation(im, n, b, out, "b")};
  im.add_layer(std::move(l), n, out);
}

void add_unary(Importer& im, const onnx::NodeProto& n, LayerKind kind) {
  im.attrs(n, {});
  im.only_first_output(n);
  const int x = im.act_input(n, 0);
  Layer l;
  l.kind = kind;
  l.onnx_ops = n.op_type();
  l.inputs = {x};
  im.add_layer(std::move(l), n, im.shape_of(x));
}

int transpose_activation(Importer& im, const onnx::NodeProto& n, int tensor, const std::vector<std::int64_t>& perm,
                         const std::string& suffix) {
  Layer l;
  l.kind = LayerKind::Select;
  l.onnx_ops = n.op_type();
  l.inputs = {tensor};
  Shape out;
  l.select = transpose_map(im.shape_of(tensor), perm, out);
  return im.add_inner_layer(std::move(l), n, suffix, out);
}

void register_structure_ops(OpRegistry& r) {
  r["Shape"] = op_shape;
  r["Gather"] = op_gather;
  r["Concat"] = op_concat;
  r["Split"] = op_split;
  r["Slice"] = op_slice;
  r["Transpose"] = op_transpose;
  r["Expand"] = op_expand;
  r["Unsqueeze"] = op_unsqueeze;
  r["Squeeze"] = op_squeeze;
  r["Cast"] = op_cast;
  r["ConstantOfShape"] = op_constant_of_shape;
  r["Equal"] = op_compare;
  r["Less"] = op_compare;
  r["Greater"] = op_compare;
  r["Where"] = op_where;
}

}  // namespace zkacc::zkml::detail
