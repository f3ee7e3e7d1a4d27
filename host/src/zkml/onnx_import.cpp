#include "zkacc/zkml/onnx_import.hpp"

#include "importer.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "zkacc/common/error.hpp"
#include "zkacc/zkml/rewrite.hpp"

namespace zkacc::zkml {

const char* supported_onnx_ops() {
  return "Gemm, MatMul (of two activations too), Add, Sub, Mul, Div, Sum, Mean (numpy broadcasting), Reciprocal, Sqrt, "
         "Neg, Pow (2, 3), Relu, Sigmoid, Tanh, Erf, Gelu, Softmax, LayerNormalization (and its decomposed form), Clip, LeakyRelu, PRelu, HardSigmoid, HardSwish, "
         "Max, Min, ReduceSum, ReduceMean, ReduceMax, Conv, MaxPool, AveragePool, GlobalAveragePool, Pad (constant "
         "zero, before Conv/AveragePool), Flatten, Reshape, Identity, Dropout, Transpose, Concat, Split, Slice, "
         "Gather (constant indices), Expand, Squeeze, Unsqueeze, Shape, Cast, ConstantOfShape, "
         "BatchNormalization, Constant, QuantizeLinear, DequantizeLinear";
}

namespace detail {

std::string display_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Const Importer::read_tensor(const onnx::TensorProto& t, const std::string& what) const {
  if (t.data_location() == onnx::TensorProto_DataLocation_EXTERNAL)
    fail(what + " keeps its data in an external file, which zkacc does not read");
  Const c;
  for (auto d : t.dims()) {
    if (d < 0) fail(what + " has a negative dimension");
    c.shape.push_back(d);
  }
  std::int64_t n = 0;
  try {
    n = shape_size(c.shape);
  } catch (const Error& e) {
    fail(what + ": " + e.what());
  }
  const int type = t.data_type();
  const std::string& raw = t.raw_data();
  auto from_raw = [&](std::size_t width, auto decode) {
    if (raw.size() != static_cast<std::size_t>(n) * width)
      fail(what + " has " + std::to_string(raw.size()) + " bytes of data, its shape " + shape_str(c.shape) + " needs " +
           std::to_string(n * static_cast<std::int64_t>(width)));
    c.v.reserve(static_cast<std::size_t>(n));  // only once the data is known to be there
    for (std::int64_t i = 0; i < n; ++i) c.v.push_back(decode(raw.data() + i * width));
  };
  auto check_count = [&](std::int64_t have) {
    if (have != n)
      fail(what + " has " + std::to_string(have) + " values, its shape " + shape_str(c.shape) + " needs " +
           std::to_string(n));
    c.v.reserve(static_cast<std::size_t>(n));
  };
  switch (type) {
    case onnx::TensorProto_DataType_FLOAT:
      if (t.has_raw_data()) {
        from_raw(4, [](const char* p) { float f; std::memcpy(&f, p, 4); return double(f); });
      } else {
        check_count(t.float_data_size());
        for (float f : t.float_data()) c.v.push_back(f);
      }
      break;
    case onnx::TensorProto_DataType_DOUBLE:
      if (t.has_raw_data()) {
        from_raw(8, [](const char* p) { double f; std::memcpy(&f, p, 8); return f; });
      } else {
        check_count(t.double_data_size());
        for (double f : t.double_data()) c.v.push_back(f);
      }
      break;
    case onnx::TensorProto_DataType_INT64:
      if (t.has_raw_data()) {
        from_raw(8, [](const char* p) { std::int64_t x; std::memcpy(&x, p, 8); return double(x); });
      } else {
        check_count(t.int64_data_size());
        for (auto x : t.int64_data()) c.v.push_back(double(x));
      }
      break;
    case onnx::TensorProto_DataType_INT32:
    case onnx::TensorProto_DataType_INT8:
    case onnx::TensorProto_DataType_UINT8:
    case onnx::TensorProto_DataType_BOOL: {  // bool: one byte, 0 or 1 (a Where's condition)
      const std::size_t width = type == onnx::TensorProto_DataType_INT32 ? 4 : 1;
      if (t.has_raw_data()) {
        from_raw(width, [type](const char* p) {
          if (type == onnx::TensorProto_DataType_INT32) { std::int32_t x; std::memcpy(&x, p, 4); return double(x); }
          if (type == onnx::TensorProto_DataType_INT8) return double(static_cast<std::int8_t>(*p));
          if (type == onnx::TensorProto_DataType_BOOL) return double(*p != 0);
          return double(static_cast<std::uint8_t>(*p));
        });
      } else {
        check_count(t.int32_data_size());
        for (auto x : t.int32_data()) c.v.push_back(double(x));
      }
      break;
    }
    default:
      fail(what + " has data type " + std::to_string(type) +
           "; zkacc reads float, double, int64, int32, int8, uint8 and bool tensors");
  }
  for (double x : c.v)
    if (!std::isfinite(x)) fail(what + " holds a value that is not finite (NaN or infinity)");
  return c;
}

Shape Importer::read_input_shape(const onnx::ValueInfoProto& vi) const {
  const std::string what = "graph input '" + vi.name() + "'";
  if (!vi.type().has_tensor_type()) fail(what + " is not a tensor");
  const auto& tt = vi.type().tensor_type();
  if (tt.elem_type() != onnx::TensorProto_DataType_FLOAT && tt.elem_type() != onnx::TensorProto_DataType_INT64 &&
      tt.elem_type() != onnx::TensorProto_DataType_INT32)
    fail(what + " has element type " + std::to_string(tt.elem_type()) +
         "; zkacc reads float inputs, and int64/int32 token ids for an embedding");
  if (!tt.has_shape()) fail(what + " has no shape");
  Shape s;
  for (int i = 0; i < tt.shape().dim_size(); ++i) {
    const auto& d = tt.shape().dim(i);
    if (d.has_dim_value() && d.dim_value() > 0) {
      s.push_back(d.dim_value());
    } else if (i == 0) {
      s.push_back(1);  // a symbolic batch dimension: one inference is proved at a time
    } else {
      fail(what + " has a symbolic or zero dimension " + std::to_string(i) + " (only the batch dimension may be symbolic)");
    }
  }
  if (s.empty()) fail(what + " is a scalar");
  return s;  // held to the tensor limit by new_tensor()
}

std::map<std::string, const onnx::AttributeProto*> Importer::attrs(const Node& n,
                                                                   std::initializer_list<const char*> allowed) const {
  std::map<std::string, const onnx::AttributeProto*> out;
  for (const auto& a : n.attribute()) {
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* k) { return a.name() == k; })) {
      std::string list;
      for (const char* k : allowed) list += (list.empty() ? "" : ", ") + std::string(k);
      fail_node(n, "attribute '" + a.name() + "' is not supported (supported: " + (list.empty() ? "none" : list) + ")");
    }
    out[a.name()] = &a;
  }
  return out;
}

std::int64_t Importer::attr_int(const Node& n, const std::map<std::string, const onnx::AttributeProto*>& a,
                                const char* key, std::int64_t dflt) const {
  auto it = a.find(key);
  if (it == a.end()) return dflt;
  if (it->second->type() != onnx::AttributeProto_AttributeType_INT) fail_node(n, std::string("attribute ") + key + " is not an integer");
  return it->second->i();
}

float Importer::attr_float(const Node& n, const std::map<std::string, const onnx::AttributeProto*>& a, const char* key,
                           float dflt) const {
  auto it = a.find(key);
  if (it == a.end()) return dflt;
  if (it->second->type() != onnx::AttributeProto_AttributeType_FLOAT) fail_node(n, std::string("attribute ") + key + " is not a float");
  return it->second->f();
}

std::vector<std::int64_t> Importer::attr_ints(const Node& n, const std::map<std::string, const onnx::AttributeProto*>& a,
                                              const char* key) const {
  auto it = a.find(key);
  if (it == a.end()) return {};
  if (it->second->type() != onnx::AttributeProto_AttributeType_INTS) fail_node(n, std::string("attribute ") + key + " is not a list of integers");
  return {it->second->ints().begin(), it->second->ints().end()};
}

const Value& Importer::input(const Node& n, int i) const {
  if (!has_input(n, i)) fail_node(n, "input " + std::to_string(i) + " is missing");
  auto it = values_.find(n.input(i));
  if (it == values_.end())
    fail_node(n, "reads '" + n.input(i) +
                     "', which is neither an initializer, the graph input nor an earlier node's output "
                     "(missing initializer?)");
  return it->second;
}

int Importer::act_input(const Node& n, int i) const {
  const Value& v = input(n, i);
  if (v.kind == Value::kQuantized)
    fail_node(n, "reads the QuantizeLinear output '" + n.input(i) + "'; only a DequantizeLinear may read it");
  if (v.kind != Value::kAct) fail_node(n, "input '" + n.input(i) + "' is a constant; zkacc expects an activation there");
  return v.tensor;
}

const Const& Importer::const_input(const Node& n, int i, const char* what) const {
  const Value& v = input(n, i);
  if (v.kind != Value::kConst)
    fail_node(n, std::string(what) + " '" + n.input(i) +
                     "' is computed from the input; zkacc needs it to be a constant (an initializer), so that it "
                     "is part of the circuit rather than a free witness value");
  return v.c;
}

void Importer::only_first_output(const Node& n) const {
  if (n.output_size() < 1 || n.output(0).empty()) fail_node(n, "has no output");
  for (int i = 1; i < n.output_size(); ++i)
    if (!n.output(i).empty() && consumers_.count(n.output(i)))
      fail_node(n, "output " + std::to_string(i) + " ('" + n.output(i) + "') is used; zkacc supports only the first output");
}

// ---------------------------------------------------------------- ops

void Importer::op_gemm(const Node& n) {
  const auto a = attrs(n, {"alpha", "beta", "transA", "transB"});
  only_first_output(n);
  if (input(n, 1).kind == Value::kAct) return import_gemm_of_activations(*this, n);
  const float alpha = attr_float(n, a, "alpha", 1.0f), beta = attr_float(n, a, "beta", 1.0f);
  if (attr_int(n, a, "transA", 0) != 0) fail_node(n, "transA = 1 is not supported (zkacc supports transA = 0)");
  const bool trans_b = attr_int(n, a, "transB", 0) != 0;
  const int x = act_input(n, 0);
  const Shape& xs = g_.tensors[static_cast<std::size_t>(x)].shape;
  if (xs.size() != 2) fail_node(n, "input A has shape " + shape_str(xs) + "; Gemm needs a 2-D input");
  const Const& b = const_input(n, 1, "weight B");
  if (b.shape.size() != 2) fail_node(n, "weight B has shape " + shape_str(b.shape) + "; Gemm needs a 2-D weight");
  const std::int64_t k = xs[1], nn = trans_b ? b.shape[0] : b.shape[1];
  if ((trans_b ? b.shape[1] : b.shape[0]) != k)
    fail_node(n, "weight B has shape " + shape_str(b.shape) + (trans_b ? " (transposed)" : "") +
                     ", which does not match input A " + shape_str(xs));
  Layer l;
  l.kind = LayerKind::Dense;
  l.onnx_ops = "Gemm";
  l.inputs = {x};
  l.weight.shape = {nn, k};
  l.weight.data.resize(static_cast<std::size_t>(nn * k));
  for (std::int64_t o = 0; o < nn; ++o)
    for (std::int64_t j = 0; j < k; ++j)
      l.weight.data[static_cast<std::size_t>(o * k + j)] =
          alpha * b.v[static_cast<std::size_t>(trans_b ? o * k + j : j * nn + o)];
  l.bias.shape = {nn};
  l.bias.data.assign(static_cast<std::size_t>(nn), 0.0);
  if (has_input(n, 2)) {
    const Const& c = const_input(n, 2, "bias C");
    const std::int64_t cn = shape_size(c.shape);
    // C broadcasts to [M, N]; zkacc takes one bias per output column.
    const bool per_col = cn == nn && (c.shape.size() == 1 || (c.shape.size() == 2 && c.shape[0] == 1));
    if (!(per_col || cn == 1))
      fail_node(n, "bias C has shape " + shape_str(c.shape) + "; zkacc supports a bias of shape [N], [1, N] or a scalar (N = " +
                       std::to_string(nn) + ")");
    for (std::int64_t o = 0; o < nn; ++o) l.bias.data[static_cast<std::size_t>(o)] = beta * c.v[per_col ? o : 0];
  }
  add_layer(std::move(l), n, {xs[0], nn});
}

void Importer::op_matmul(const Node& n) {
  attrs(n, {});
  only_first_output(n);
  if (input(n, 1).kind == Value::kAct) return import_matmul_of_activations(*this, n);
  if (input(n, 0).kind == Value::kConst)
    fail_node(n, "the constant is the left operand; zkacc supports activation × constant");
  const int x = act_input(n, 0);
  const Shape xs = g_.tensors[static_cast<std::size_t>(x)].shape;
  const Const& b = const_input(n, 1, "weight");
  if (b.shape.size() != 2) fail_node(n, "weight has shape " + shape_str(b.shape) + "; zkacc supports a 2-D weight");
  if (xs.empty() || xs.back() != b.shape[0])
    fail_node(n, "input " + shape_str(xs) + " and weight " + shape_str(b.shape) + " do not match");
  const std::int64_t k = b.shape[0], nn = b.shape[1];
  Layer l;
  l.kind = LayerKind::Dense;
  l.onnx_ops = "MatMul";
  l.inputs = {x};
  l.weight.shape = {nn, k};
  l.weight.data.resize(static_cast<std::size_t>(nn * k));
  for (std::int64_t o = 0; o < nn; ++o)
    for (std::int64_t j = 0; j < k; ++j)
      l.weight.data[static_cast<std::size_t>(o * k + j)] = b.v[static_cast<std::size_t>(j * nn + o)];
  l.bias.shape = {nn};
  l.bias.data.assign(static_cast<std::size_t>(nn), 0.0);
  Shape out = xs;
  out.back() = nn;
  if (out.size() == 1) fail_node(n, "a 1-D input is not supported (zkacc expects [batch, features])");
  add_layer(std::move(l), n, out);
}

// numpy broadcasting of a constant to `out`; the constant's values indexed by output position.
bool broadcast_to(const Const& c, const Shape& out, std::vector<double>& result) {
  if (c.shape.size() > out.size()) return false;
  const std::size_t off = out.size() - c.shape.size();
  for (std::size_t i = 0; i < c.shape.size(); ++i)
    if (c.shape[i] != 1 && c.shape[i] != out[off + i]) return false;
  const std::int64_t total = shape_size(out);
  result.resize(static_cast<std::size_t>(total));
  std::vector<std::int64_t> idx(out.size(), 0);
  for (std::int64_t flat = 0; flat < total; ++flat) {
    std::int64_t src = 0;
    for (std::size_t i = 0; i < c.shape.size(); ++i) src = src * c.shape[i] + (c.shape[i] == 1 ? 0 : idx[off + i]);
    result[static_cast<std::size_t>(flat)] = c.v[static_cast<std::size_t>(src)];
    for (std::size_t d = out.size(); d-- > 0;) {
      if (++idx[d] < out[d]) break;
      idx[d] = 0;
    }
  }
  return true;
}

void Importer::op_add(const Node& n) {
  attrs(n, {});
  only_first_output(n);
  const Value& va = input(n, 0);
  const Value& vb = input(n, 1);
  if (va.kind == Value::kConst && vb.kind == Value::kConst) return fold_constant_binary(*this, n, '+');
  if (va.kind == Value::kAct && vb.kind == Value::kAct) {
    const int a = act_input(n, 0), b = act_input(n, 1);
    Shape out;
    if (!broadcast_shapes(shape_of(a), shape_of(b), out))
      fail_node(n, "inputs of shapes " + shape_str(shape_of(a)) + " and " + shape_str(shape_of(b)) + " do not broadcast");
    Layer l;
    l.kind = LayerKind::Add;
    l.onnx_ops = "Add";
    l.inputs = {expand_activation(*this, n, a, out, "a"), expand_activation(*this, n, b, out, "b")};
    add_layer(std::move(l), n, out);
    return;
  }
  const int ci = va.kind == Value::kConst ? 0 : 1;
  const int xi = 1 - ci;
  const int x = act_input(n, xi);
  const Shape xs = g_.tensors[static_cast<std::size_t>(x)].shape;
  const Const& c = const_input(n, ci, "addend");
  std::vector<double> full;
  if (!broadcast_to(c, xs, full))
    fail_node(n, "constant of shape " + shape_str(c.shape) + " does not broadcast to the input " + shape_str(xs));
  // A bias after MatMul/Gemm/Conv is folded into that layer by the rewrite
  // passes when it is the same for every position of an output channel.
  Layer l;
  l.kind = LayerKind::Add;
  l.onnx_ops = "Add";
  l.inputs = {x};
  l.bias.shape = xs;
  l.bias.data = std::move(full);
  add_layer(std::move(l), n, xs);
}

void Importer::op_relu(const Node& n) {
  attrs(n, {});
  only_first_output(n);
  const int x = act_input(n, 0);
  Layer l;
  l.kind = LayerKind::Relu;
  l.onnx_ops = "Relu";
  l.inputs = {x};
  add_layer(std::move(l), n, shape_of(x));
}

Window2d Importer::read_window(const Node& n, const std::map<std::string, const onnx::AttributeProto*>& a,
                               const Shape& in, int kh, int kw, bool one_d, bool dilated) const {
  // A 1-D op's attributes ([s], [begin, end], [d]) are those of a 2-D op over [N, C, 1, L].
  const std::size_t dims = one_d ? 1 : 2;
  auto as_2d = [&](std::vector<std::int64_t> v, std::int64_t fill) {
    if (one_d && !v.empty()) v.insert(v.begin(), fill);
    return v;
  };
  Window2d w;
  w.kh = kh;
  w.kw = kw;
  const auto strides = as_2d(attr_ints(n, a, "strides"), 1);
  if (!strides.empty()) {
    // Bounded like dimensions, so the window arithmetic stays in int.
    if (strides.size() != 2 || strides[0] < 1 || strides[1] < 1 || strides[0] > kMaxTensorElements ||
        strides[1] > kMaxTensorElements)
      fail_node(n, "strides must be " + std::to_string(dims) + " positive integers of at most " + std::to_string(kMaxTensorElements));
    w.sh = static_cast<int>(strides[0]);
    w.sw = static_cast<int>(strides[1]);
  }
  const auto dil = attr_ints(n, a, "dilations");
  if (!dilated && !dil.empty() && std::any_of(dil.begin(), dil.end(), [](std::int64_t d) { return d != 1; }))
    fail_node(n, "dilations other than 1 are not supported here (a Conv's are)");
  auto pads = attr_ints(n, a, "pads");
  if (one_d && pads.size() == 2) pads = {0, pads[0], 0, pads[1]};
  std::string auto_pad = "NOTSET";
  if (auto it = a.find("auto_pad"); it != a.end()) auto_pad = it->second->s();
  if (auto_pad == "NOTSET") {
    if (!pads.empty()) {
      if (pads.size() != 4 || std::any_of(pads.begin(), pads.end(), [](auto p) { return p < 0 || p > kMaxTensorElements; }))
        fail_node(n, "pads must be " + std::string(one_d ? "two" : "four") + " non-negative integers (begins, then ends) of at most " +
                         std::to_string(kMaxTensorElements));
      w.pad_t = static_cast<int>(pads[0]);
      w.pad_l = static_cast<int>(pads[1]);
      w.pad_b = static_cast<int>(pads[2]);
      w.pad_r = static_cast<int>(pads[3]);
    }
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    // Output size ceil(in / stride); the odd pad goes at the end (UPPER) or the start (LOWER).
    auto split = [&](std::int64_t size, int k, int s, int& lo, int& hi) {
      const std::int64_t out = (size + s - 1) / s;
      const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * s + k - size);
      lo = static_cast<int>(auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2);
      hi = static_cast<int>(total - lo);
    };
    split(in[2], w.kh, w.sh, w.pad_t, w.pad_b);
    split(in[3], w.kw, w.sw, w.pad_l, w.pad_r);
  } else if (auto_pad != "VALID") {
    fail_node(n, "auto_pad = " + auto_pad + " is not supported (NOTSET, VALID, SAME_UPPER, SAME_LOWER)");
  }
  if (w.pad_t >= w.kh || w.pad_b >= w.kh || w.pad_l >= w.kw || w.pad_r >= w.kw)
    fail_node(n, "padding at least as large as the kernel is not supported");
  if (in[2] + w.pad_t + w.pad_b < w.kh || in[3] + w.pad_l + w.pad_r < w.kw)
    fail_node(n, "the kernel is larger than the padded input " + shape_str(in));
  return w;
}

static Shape window_output(const Shape& in, std::int64_t channels, const Window2d& w) {
  return {in[0], channels, (in[2] + w.pad_t + w.pad_b - w.kh) / w.sh + 1, (in[3] + w.pad_l + w.pad_r - w.kw) / w.sw + 1};
}

// Conv, 1-D or 2-D, with groups and dilations. Both are rewritten into a
// plain 2-D convolution with the same function: a dilated kernel is the
// kernel spread out with zeros between its taps, a grouped one the full
// [M, C] kernel with zeros across groups (block diagonal). Zero weights cost
// nothing in the circuit (a coefficient 0 is no term). A 1-D Conv runs on
// its input viewed as [N, C, 1, L] (Reshape layers, no constraints).
void Importer::op_conv(const Node& n) {
  const auto a = attrs(n, {"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
  only_first_output(n);
  int x = act_input(n, 0);
  const Shape xs_in = shape_of(x);
  const bool one_d = xs_in.size() == 3;
  if (xs_in.size() != 4 && !one_d)
    fail_node(n, "input has shape " + shape_str(xs_in) + "; zkacc supports 1-D and 2-D convolutions (NCL, NCHW)");
  if (xs_in[0] != 1) fail_node(n, "batch size " + std::to_string(xs_in[0]) + " is not supported (zkacc proves one input at a time)");
  const Shape xs = one_d ? Shape{xs_in[0], xs_in[1], 1, xs_in[2]} : xs_in;
  Const w = const_input(n, 1, "weight");
  if (one_d && w.shape.size() == 3) w.shape.insert(w.shape.begin() + 2, 1);
  const std::int64_t group = attr_int(n, a, "group", 1);
  if (group < 1 || xs[1] % group != 0 || w.shape.size() != 4 || w.shape[0] % group != 0 || w.shape[1] * group != xs[1])
    fail_node(n, "weight has shape " + shape_str(const_input(n, 1, "weight").shape) + ", which does not match the input " +
                     shape_str(xs_in) + " with group = " + std::to_string(group) + " ([M, C / group, k...], M a multiple of group)");
  const auto ks = attr_ints(n, a, "kernel_shape");
  if (!ks.empty() && !(one_d ? ks.size() == 1 && ks[0] == w.shape[3] : ks.size() == 2 && ks[0] == w.shape[2] && ks[1] == w.shape[3]))
    fail_node(n, "kernel_shape does not match the weight " + shape_str(w.shape));
  std::vector<std::int64_t> dil = attr_ints(n, a, "dilations");
  if (one_d && dil.size() == 1) dil.insert(dil.begin(), 1);
  if (dil.empty()) dil = {1, 1};
  if (dil.size() != 2 || dil[0] < 1 || dil[1] < 1 || dil[0] > 1024 || dil[1] > 1024)
    fail_node(n, "dilations must be " + std::string(one_d ? "one" : "two") + " integers from 1 to 1024");
  const std::int64_t m = w.shape[0], cg = w.shape[1], kh = w.shape[2], kw = w.shape[3], c = xs[1];
  const std::int64_t ekh = (kh - 1) * dil[0] + 1, ekw = (kw - 1) * dil[1] + 1;  // the dilated kernel's extent
  if (ekh > xs[2] + kMaxTensorElements || ekw > xs[3] + kMaxTensorElements)
    fail_node(n, "the dilated kernel is larger than any padded input");
  Layer l;
  l.kind = LayerKind::Conv;
  l.onnx_ops = "Conv";
  l.window = read_window(n, a, xs, static_cast<int>(ekh), static_cast<int>(ekw), one_d, true);
  l.weight.shape = {m, c, ekh, ekw};
  try {
    l.weight.data.assign(static_cast<std::size_t>(shape_size(l.weight.shape)), 0.0);
  } catch (const Error& e) {
    fail_node(n, std::string("the kernel with its groups and dilations: ") + e.what());
  }
  const std::int64_t per_group = m / group;
  for (std::int64_t o = 0; o < m; ++o)
    for (std::int64_t j = 0; j < cg; ++j)
      for (std::int64_t ky = 0; ky < kh; ++ky)
        for (std::int64_t kx = 0; kx < kw; ++kx) {
          const std::int64_t ch = (o / per_group) * cg + j;  // the input channel tap j of group o / per_group reads
          l.weight.data[static_cast<std::size_t>(((o * c + ch) * ekh + ky * dil[0]) * ekw + kx * dil[1])] =
              w.v[static_cast<std::size_t>(((o * cg + j) * kh + ky) * kw + kx)];
        }
  l.bias.shape = {m};
  l.bias.data.assign(static_cast<std::size_t>(m), 0.0);
  if (has_input(n, 2)) {
    const Const& b = const_input(n, 2, "bias");
    if (b.shape != Shape{m}) fail_node(n, "bias has shape " + shape_str(b.shape) + ", expected [" + std::to_string(m) + "]");
    l.bias.data = b.v;
  }
  if (group > 1 || dil[0] > 1 || dil[1] > 1) {
    l.onnx_ops += group > 1 ? " (grouped)" : " (dilated)";
    l.dims = {cg * kh * kw};  // the taps per output, for the MAC count
  }
  const Shape out = window_output(xs, m, l.window);
  if (!one_d) {
    l.inputs = {x};
    return add_layer(std::move(l), n, out);
  }
  Layer view;  // [N, C, L] as [N, C, 1, L]
  view.kind = LayerKind::Reshape;
  view.onnx_ops = "Conv";
  view.inputs = {x};
  l.inputs = {add_inner_layer(std::move(view), n, "2d_in", xs)};
  const int y = add_inner_layer(std::move(l), n, "2d", out);
  Layer back;  // and back to [N, M, L']
  back.kind = LayerKind::Reshape;
  back.onnx_ops = "Conv";
  back.inputs = {y};
  add_layer(std::move(back), n, {out[0], out[1], out[3]});
}

void Importer::op_pool(const Node& n, bool max) {
  const auto a = max ? attrs(n, {"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"})
                     : attrs(n, {"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"});
  only_first_output(n);
  if (attr_int(n, a, "ceil_mode", 0) != 0) fail_node(n, "ceil_mode = 1 is not supported (zkacc supports ceil_mode = 0)");
  if (max && attr_int(n, a, "storage_order", 0) != 0) fail_node(n, "storage_order = 1 is not supported");
  const int x = act_input(n, 0);
  const Shape xs = g_.tensors[static_cast<std::size_t>(x)].shape;
  if (xs.size() != 4) fail_node(n, "input has shape " + shape_str(xs) + "; zkacc supports 2-D pooling on NCHW inputs");
  if (xs[0] != 1) fail_node(n, "batch size " + std::to_string(xs[0]) + " is not supported (zkacc proves one input at a time)");
  const auto ks = attr_ints(n, a, "kernel_shape");
  if (ks.size() != 2 || ks[0] < 1 || ks[1] < 1 || ks[0] > kMaxTensorElements ||
      ks[1] > kMaxTensorElements)
    fail_node(n, "kernel_shape must be two positive integers of at most " + std::to_string(kMaxTensorElements));
  Layer l;
  l.kind = max ? LayerKind::MaxPool : LayerKind::AvgPool;
  l.onnx_ops = max ? "MaxPool" : "AveragePool";
  l.inputs = {x};
  l.window = read_window(n, a, xs, static_cast<int>(ks[0]), static_cast<int>(ks[1]), false, false);
  l.window.count_include_pad = !max && attr_int(n, a, "count_include_pad", 0) != 0;
  const Shape out = window_output(xs, xs[1], l.window);
  add_layer(std::move(l), n, out);
}

void Importer::op_global_avg_pool(const Node& n) {
  attrs(n, {});
  only_first_output(n);
  const int x = act_input(n, 0);
  const Shape xs = g_.tensors[static_cast<std::size_t>(x)].shape;
  if (xs.size() != 4) fail_node(n, "input has shape " + shape_str(xs) + "; zkacc supports NCHW inputs");
  if (xs[0] != 1) fail_node(n, "batch size " + std::to_string(xs[0]) + " is not supported (zkacc proves one input at a time)");
  Layer l;
  l.kind = LayerKind::AvgPool;
  l.onnx_ops = "GlobalAveragePool";
  l.inputs = {x};
  l.window.kh = static_cast<int>(xs[2]);
  l.window.kw = static_cast<int>(xs[3]);
  add_layer(std::move(l), n, {xs[0], xs[1], 1, 1});
}

void Importer::op_flatten(const Node& n) {
  const auto a = attrs(n, {"axis"});
  only_first_output(n);
  const int x = act_input(n, 0);
  const Shape xs = g_.tensors[static_cast<std::size_t>(x)].shape;
  std::int64_t axis = attr_int(n, a, "axis", 1);
  if (axis < 0) axis += static_cast<std::int64_t>(xs.size());
  if (axis < 0 || axis > static_cast<std::int64_t>(xs.size())) fail_node(n, "axis is out of range for " + shape_str(xs));
  std::int64_t outer = 1, inner = 1;
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(xs.size()); ++i) (i < axis ? outer : inner) *= xs[i];
  Layer l;
  l.kind = LayerKind::Reshape;
  l.onnx_ops = "Flatten";
  l.inputs = {x};
  add_layer(std::move(l), n, {outer, inner});
}

void Importer::op_reshape(const Node& n) {
  const auto a = attrs(n, {"allowzero"});
  only_first_output(n);
  const Value& xv = input(n, 0);  // an activation, or a constant (folded)
  const int x = xv.kind == Value::kConst ? -1 : act_input(n, 0);
  const Shape xs = x < 0 ? xv.c.shape : g_.tensors[static_cast<std::size_t>(x)].shape;
  const Const& s = const_input(n, 1, "shape");
  if (s.shape.size() != 1) fail_node(n, "shape input must be 1-D");
  const bool allowzero = attr_int(n, a, "allowzero", 0) != 0;
  Shape out;
  int infer = -1;
  std::int64_t known = 1;
  for (std::size_t i = 0; i < s.v.size(); ++i) {
    // Entries are -1, 0 or a dimension; anything else (huge, fractional,
    // NaN) is refused before it is converted or multiplied.
    if (!(s.v[i] >= -1 && s.v[i] <= double(kMaxTensorElements)) || s.v[i] != std::floor(s.v[i]))
      fail_node(n, "shape entry " + std::to_string(i) + " is not an integer from -1 to " +
                       std::to_string(kMaxTensorElements));
    std::int64_t d = static_cast<std::int64_t>(s.v[i]);
    if (d == 0 && !allowzero) {
      if (i >= xs.size()) fail_node(n, "shape entry 0 at position " + std::to_string(i) + " has no input dimension to copy");
      d = xs[i];
    }
    if (d == -1) {
      if (infer >= 0) fail_node(n, "shape has more than one -1");
      infer = static_cast<int>(i);
      d = 1;
    } else if (d < 0) {
      fail_node(n, "shape has a negative entry");
    } else {
      if (d != 0 && known > kMaxTensorElements / d) fail_node(n, "shape " + shape_str(out) + "... is too large");
      known *= d;
    }
    out.push_back(d);
  }
  const std::int64_t total = shape_size(xs);
  if (infer >= 0) {
    if (known == 0 || total % known) fail_node(n, "cannot infer -1 reshaping " + shape_str(xs));
    out[static_cast<std::size_t>(infer)] = total / known;
  }
  if (shape_size(out) != total) fail_node(n, "cannot reshape " + shape_str(xs) + " to " + shape_str(out));
  if (x < 0) {
    Const c = xv.c;
    c.shape = out;
    set_const(n.output(0), std::move(c));
    return;
  }
  Layer l;
  l.kind = LayerKind::Reshape;
  l.onnx_ops = "Reshape";
  l.inputs = {x};
  add_layer(std::move(l), n, out);
}

void Importer::op_batchnorm(const Node& n) {
  const auto a = attrs(n, {"epsilon", "momentum", "training_mode", "spatial"});
  only_first_output(n);
  if (attr_int(n, a, "training_mode", 0) != 0) fail_node(n, "training_mode = 1 is not supported (export the model in eval mode)");
  if (attr_int(n, a, "spatial", 1) != 1) fail_node(n, "spatial = 0 is not supported");
  const double eps = attr_float(n, a, "epsilon", 1e-5f);
  const int x = act_input(n, 0);
  const Shape& xs = shape_of(x);
  if (xs.size() < 2) fail_node(n, "input has shape " + shape_str(xs) + "; BatchNormalization needs a channel axis 1");
  const std::int64_t ch = xs[1];  // ONNX normalizes axis 1, whatever the rank
  const Const* params[4];
  const char* names[4] = {"scale", "B", "mean", "var"};
  for (int i = 0; i < 4; ++i) {
    params[i] = &const_input(n, i + 1, names[i]);
    if (params[i]->shape != Shape{ch})
      fail_node(n, std::string(names[i]) + " has shape " + shape_str(params[i]->shape) + ", expected [" + std::to_string(ch) +
                       "] (axis 1 of the input " + shape_str(xs) + ")");
  }
  // y = (x - mean)·scale/√(var + ε) + B = x·k + (B - mean·k)
  Layer l;
  l.kind = LayerKind::BatchNorm;
  l.onnx_ops = "BatchNormalization";
  l.inputs = {x};
  l.weight.shape = l.bias.shape = {ch};
  for (std::int64_t c = 0; c < ch; ++c) {
    const double var = params[3]->v[static_cast<std::size_t>(c)];
    if (var + eps <= 0) fail_node(n, "variance + epsilon is not positive for channel " + std::to_string(c));
    const double k = params[0]->v[static_cast<std::size_t>(c)] / std::sqrt(var + eps);
    l.weight.data.push_back(k);
    l.bias.data.push_back(params[1]->v[static_cast<std::size_t>(c)] - params[2]->v[static_cast<std::size_t>(c)] * k);
  }
  add_layer(std::move(l), n, xs);
}

void Importer::op_quantize(const Node& n) {
  attrs(n, {"axis", "saturate"});
  only_first_output(n);
  const Value& v = input(n, 0);
  const Const& scale = const_input(n, 1, "scale");
  if (v.kind == Value::kConst)
    fail_node(n, "quantizes a constant; zkacc expects constants already quantized (DequantizeLinear of an int tensor)");
  if (shape_size(scale.shape) != 1) fail_node(n, "per-axis scales on an activation are not supported");
  Value q;
  q.kind = Value::kQuantized;
  q.tensor = act_input(n, 0);
  values_[n.output(0)] = q;
}

void Importer::op_dequantize(const Node& n) {
  const auto a = attrs(n, {"axis"});
  only_first_output(n);
  const Value& v = input(n, 0);
  const Const& scale = const_input(n, 1, "scale");
  const Const* zp = has_input(n, 2) ? &const_input(n, 2, "zero point") : nullptr;
  if (v.kind == Value::kQuantized) {
    // Q→DQ on an activation (fake quantization): the identity here. zkacc
    // requantizes every tensor with its own power-of-two scale.
    set_act(n.output(0), v.tensor);
    return;
  }
  if (v.kind != Value::kConst) fail_node(n, "reads an activation that no QuantizeLinear produced");
  // Weights and biases of a QDQ model: fold (x - zero_point)·scale into a float constant.
  const Const& x = v.c;
  Const out;
  out.shape = x.shape;
  out.v.resize(x.v.size());
  const std::int64_t ns = shape_size(scale.shape);
  std::int64_t axis = attr_int(n, a, "axis", 1);
  if (axis < 0) axis += static_cast<std::int64_t>(x.shape.size());
  std::int64_t inner = 1;
  if (ns > 1) {
    if (axis < 0 || axis >= static_cast<std::int64_t>(x.shape.size()) || x.shape[axis] != ns)
      fail_node(n, "per-axis scale of shape " + shape_str(scale.shape) + " does not match the tensor " + shape_str(x.shape));
    for (std::size_t i = static_cast<std::size_t>(axis) + 1; i < x.shape.size(); ++i) inner *= x.shape[i];
  }
  if (zp && shape_size(zp->shape) != ns) fail_node(n, "zero point and scale have different shapes");
  for (std::size_t i = 0; i < x.v.size(); ++i) {
    const std::size_t k = ns > 1 ? static_cast<std::size_t>((static_cast<std::int64_t>(i) / inner) % ns) : 0;
    out.v[i] = (x.v[i] - (zp ? zp->v[k] : 0.0)) * scale.v[k];
  }
  Value c;
  c.kind = Value::kConst;
  c.c = std::move(out);
  values_[n.output(0)] = std::move(c);
}

void Importer::op_constant(const Node& n) {
  const auto a = attrs(n, {"value"});
  only_first_output(n);
  auto it = a.find("value");
  if (it == a.end() || it->second->type() != onnx::AttributeProto_AttributeType_TENSOR)
    fail_node(n, "zkacc reads Constant nodes with a tensor 'value' attribute only");
  Value v;
  v.kind = Value::kConst;
  v.c = read_tensor(it->second->t(), node_label(n) + " value");
  values_[n.output(0)] = std::move(v);
}

// The same tensor under another name: Identity, and Dropout at inference.
void Importer::op_identity(const Node& n) {
  attrs(n, {});
  only_first_output(n);
  const Value& v = input(n, 0);
  values_[n.output(0)] = v;
}

void Importer::op_dropout(const Node& n) {
  attrs(n, {"seed", "ratio", "is_test"});
  only_first_output(n);  // the mask output must be unused
  // Opset 12+: training_mode is input 2 and must be false (absent means false).
  if (has_input(n, 2)) {
    const Const& t = const_input(n, 2, "training_mode");
    if (t.v.size() != 1 || t.v[0] != 0) fail_node(n, "training_mode = true is not supported (export the model in eval mode)");
  }
  const int x = act_input(n, 0);
  set_act(n.output(0), x);
}

// Pad, constant mode: pads [x1_begin, x2_begin, ..., x1_end, x2_end, ...]
// (an input from opset 11, an attribute before), value 0. All-zero pads are
// the identity; zero padding of H and W becomes a Pad layer that the
// rewrite passes fold into the Conv or AveragePool reading it.
void Importer::op_pad(const Node& n) {
  const auto a = attrs(n, {"mode", "pads", "value"});
  only_first_output(n);
  std::string mode = "constant";
  if (auto it = a.find("mode"); it != a.end()) mode = it->second->s();
  if (mode != "constant") fail_node(n, "mode = " + mode + " is not supported (zkacc supports mode = constant)");
  const int x = act_input(n, 0);
  const Shape xs = shape_of(x);
  std::vector<std::int64_t> pads = attr_ints(n, a, "pads");
  double value = attr_float(n, a, "value", 0.0f);
  if (has_input(n, 1)) {
    const Const& p = const_input(n, 1, "pads");
    pads.clear();
    for (double v : p.v) {
      if (v != std::floor(v) || std::abs(v) > double(kMaxTensorElements)) fail_node(n, "pads must be integers");
      pads.push_back(static_cast<std::int64_t>(v));
    }
  }
  if (has_input(n, 2)) {
    const Const& c = const_input(n, 2, "constant_value");
    if (c.v.size() != 1) fail_node(n, "constant_value must be a scalar");
    value = c.v[0];
  }
  if (has_input(n, 3)) fail_node(n, "the axes input is not supported (pads for every axis are)");
  if (pads.size() != 2 * xs.size())
    fail_node(n, "has " + std::to_string(pads.size()) + " pads for an input of rank " + std::to_string(xs.size()) +
                     " (expected " + std::to_string(2 * xs.size()) + ")");
  if (std::all_of(pads.begin(), pads.end(), [](std::int64_t p) { return p == 0; })) {
    set_act(n.output(0), x);  // nothing padded: the same tensor
    return;
  }
  if (value != 0) fail_node(n, "a pad value of " + std::to_string(value) + " is not supported (zkacc supports 0)");
  const std::size_t r = xs.size();
  if (std::any_of(pads.begin(), pads.end(), [](std::int64_t p) { return p < 0; }))
    fail_node(n, "negative pads (cropping) are not supported");
  if (r != 4 || pads[0] || pads[1] || pads[r] || pads[r + 1])
    fail_node(n, "zkacc supports zero padding of H and W of an NCHW tensor, folded into the Conv or AveragePool after it");
  Layer l;
  l.kind = LayerKind::Pad;
  l.onnx_ops = "Pad";
  l.inputs = {x};
  l.window.pad_t = static_cast<int>(pads[2]);
  l.window.pad_l = static_cast<int>(pads[3]);
  l.window.pad_b = static_cast<int>(pads[r + 2]);
  l.window.pad_r = static_cast<int>(pads[r + 3]);
  add_layer(std::move(l), n, {xs[0], xs[1], xs[2] + pads[2] + pads[r + 2], xs[3] + pads[3] + pads[r + 3]});
}

// The op registry. An op the table does not name is refused before
// anything is built from the model.
const OpRegistry& op_registry() {
  static const OpRegistry registry = [] {
    OpRegistry r;
    auto member = [&r](const char* op, void (Importer::*f)(const onnx::NodeProto&)) {
      r[op] = [f](Importer& im, const onnx::NodeProto& n) { (im.*f)(n); };
    };
    member("Gemm", &Importer::op_gemm);
    member("MatMul", &Importer::op_matmul);
    member("Add", &Importer::op_add);
    member("Relu", &Importer::op_relu);
    member("Conv", &Importer::op_conv);
    member("MaxPool", &Importer::op_max_pool);
    member("AveragePool", &Importer::op_avg_pool);
    member("GlobalAveragePool", &Importer::op_global_avg_pool);
    member("Pad", &Importer::op_pad);
    member("Flatten", &Importer::op_flatten);
    member("Reshape", &Importer::op_reshape);
    member("Identity", &Importer::op_identity);
    member("Dropout", &Importer::op_dropout);
    member("BatchNormalization", &Importer::op_batchnorm);
    r["Softmax"] = import_softmax;  // ops/softmax.cpp
    r["LogSoftmax"] = import_log_softmax;
    r["LayerNormalization"] = import_layer_norm;  // ops/layer_norm.cpp
    member("QuantizeLinear", &Importer::op_quantize);
    member("DequantizeLinear", &Importer::op_dequantize);
    member("Constant", &Importer::op_constant);
    register_structure_ops(r);
    register_arithmetic_ops(r);
    register_piecewise_linear_ops(r);
    register_reduce_ops(r);
    register_smooth_activation_ops(r);
    register_division_ops(r);
    return r;
  }();
  return registry;
}

Graph Importer::run() {
  g_.source = file_;
  const auto& graph = model_.graph();
  if (graph.node_size() == 0) fail("the graph has no nodes");
  if (graph.output_size() != 1) fail("the graph has " + std::to_string(graph.output_size()) + " outputs; zkacc supports one");
  output_name_ = graph.output(0).name();

  for (const auto& t : graph.initializer()) {
    Value v;
    v.kind = Value::kConst;
    v.c = read_tensor(t, "initializer '" + t.name() + "'");
    values_[t.name()] = std::move(v);
  }
  for (const auto& t : graph.sparse_initializer())
    fail("sparse initializer '" + t.values().name() + "' is not supported");
  // Older exporters list initializers among the inputs too: the real input
  // is the one that is not an initializer.
  const onnx::ValueInfoProto* in = nullptr;
  for (const auto& vi : graph.input()) {
    if (values_.count(vi.name())) continue;
    if (in) fail("the graph has more than one input ('" + in->name() + "', '" + vi.name() + "'); zkacc supports one");
    in = &vi;
  }
  if (!in) fail("the graph has no input");
  g_.input = new_tensor(in->name(), read_input_shape(*in));
  g_.input_integer = in->type().tensor_type().elem_type() != onnx::TensorProto_DataType_FLOAT;
  set_act(in->name(), g_.input);

  for (const auto& n : graph.node())
    for (const auto& i : n.input())
      if (!i.empty()) ++consumers_[i];
  ++consumers_[output_name_];

  for (const auto& n : graph.node()) {
    if (!n.domain().empty() && n.domain() != "ai.onnx")
      fail_node(n, "op domain '" + n.domain() + "' is not supported (zkacc supports the default ONNX domain)");
    const OpRegistry& ops = op_registry();
    const auto h = ops.find(n.op_type());
    if (h == ops.end()) fail_node(n, "op " + n.op_type() + " is not supported (zkacc supports " + supported_onnx_ops() + ")");
    h->second(*this, n);
  }

  auto it = values_.find(output_name_);
  if (it == values_.end()) fail("the graph output '" + output_name_ + "' is not produced by any node");
  if (it->second.kind != Value::kAct) fail("the graph output '" + output_name_ + "' is a constant or a quantized value");
  g_.output = it->second.tensor;
  if (g_.output == g_.input) fail("the graph output is its input: nothing to prove");
  // The declared output shape, when present, must match what the ops produce.
  const auto& ot = graph.output(0).type();
  if (ot.has_tensor_type() && ot.tensor_type().has_shape()) {
    const auto& dims = ot.tensor_type().shape().dim();
    const Shape& got = g_.tensors[static_cast<std::size_t>(g_.output)].shape;
    bool same = dims.size() == static_cast<int>(got.size());
    for (int i = 0; same && i < dims.size(); ++i)
      if (dims[i].has_dim_value() && dims[i].dim_value() != got[static_cast<std::size_t>(i)]) same = false;
    if (!same) fail("the graph declares its output with another shape than its ops produce (" + shape_str(got) + ")");
  }
  rewrite_graph(g_);
  return std::move(g_);
}

}  // namespace detail

Graph import_onnx_bytes(std::string_view bytes, const std::string& name) {
  onnx::ModelProto model;
  if (bytes.empty()) throw Error(name + ": the file is empty");
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    throw Error(name + ": is not an ONNX model (the protobuf does not parse)");
  if (!model.has_graph()) throw Error(name + ": is not an ONNX model (it has no graph)");
  for (const auto& op : model.opset_import())
    if ((op.domain().empty() || op.domain() == "ai.onnx") && op.version() < 7)
      throw Error(name + ": opset " + std::to_string(op.version()) + " is older than zkacc supports (7 or later)");
  return detail::Importer(model, name).run();
}

Graph import_onnx(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(detail::display_name(path) + ": cannot open the file");
  const std::string bytes{std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
  return import_onnx_bytes(bytes, detail::display_name(path));
}

}  // namespace zkacc::zkml
