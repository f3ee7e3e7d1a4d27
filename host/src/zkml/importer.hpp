// The ONNX importer's state and the helpers every op's import uses: node
// labels for messages, checked attributes, inputs as constants or
// activations, and new tensors and layers. Op families in ops/ register
// their import functions in the op registry (onnx_import.cpp) and see only
// this interface. Internal to libzkacc_zkml.
#pragma once

#include <onnx/onnx_pb.h>  // defines ONNX_API, then includes onnx-ml.pb.h

#include <cmath>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/zkml/graph.hpp"

namespace zkacc::zkml::detail {

// A constant known at import time (initializer, Constant node, folded DequantizeLinear).
struct Const {
  Shape shape;
  std::vector<double> v;
};

struct Value {
  enum Kind { kConst, kAct, kQuantized } kind = kConst;
  Const c;          // kConst
  int tensor = -1;  // kAct; kQuantized: the activation a QuantizeLinear read
};


class Importer {
 public:
  Importer(const onnx::ModelProto& model, std::string file) : model_(model), file_(std::move(file)) {}

  Graph run();

  using Node = onnx::NodeProto;

  [[noreturn]] void fail(const std::string& msg) const { throw Error(file_ + ": " + msg); }
  std::string node_label(const Node& n) const {
    std::string name = n.name().empty() ? (n.output_size() ? "output " + n.output(0) : std::string("?")) : n.name();
    return "node '" + name + "' (" + n.op_type() + ")";
  }
  [[noreturn]] void fail_node(const Node& n, const std::string& msg) const { fail(node_label(n) + ": " + msg); }
  std::string layer_name(const Node& n) const { return n.name().empty() ? n.output(0) : n.name(); }

  Const read_tensor(const onnx::TensorProto& t, const std::string& what) const;
  Shape read_input_shape(const onnx::ValueInfoProto& vi) const;

  // Attributes, checked against the op's list.
  std::map<std::string, const onnx::AttributeProto*> attrs(const Node& n, std::initializer_list<const char*> allowed) const;
  std::int64_t attr_int(const Node& n, const std::map<std::string, const onnx::AttributeProto*>& a, const char* key,
                        std::int64_t dflt) const;
  float attr_float(const Node& n, const std::map<std::string, const onnx::AttributeProto*>& a, const char* key,
                   float dflt) const;
  std::vector<std::int64_t> attr_ints(const Node& n, const std::map<std::string, const onnx::AttributeProto*>& a,
                                      const char* key) const;

  const Value& input(const Node& n, int i) const;
  bool has_input(const Node& n, int i) const { return i < n.input_size() && !n.input(i).empty(); }
  int act_input(const Node& n, int i) const;  // tensor id; throws unless an activation
  const Const& const_input(const Node& n, int i, const char* what) const;
  void only_first_output(const Node& n) const;

  int new_tensor(const std::string& name, Shape shape) {
    // Every activation, the graph input's and each op's output, is held to
    // the tensor limit here, before any later stage allocates it.
    std::int64_t size = 0;
    try {
      size = shape_size(shape);
    } catch (const Error& e) {
      fail("tensor '" + name + "': " + e.what());
    }
    // An empty tensor (a zero dimension, e.g. a Slice that keeps nothing)
    // has nothing to prove, and later layers would divide by its size.
    if (size == 0) fail("tensor '" + name + "' has no elements (shape " + shape_str(shape) + ")");
    g_.tensors.push_back({name, std::move(shape)});
    return static_cast<int>(g_.tensors.size()) - 1;
  }
  void set_act(const std::string& name, int tensor) {
    Value v;
    v.kind = Value::kAct;
    v.tensor = tensor;
    values_[name] = v;
  }
  void set_const(const std::string& name, Const c) {
    Value v;
    v.kind = Value::kConst;
    v.c = std::move(c);
    values_[name] = std::move(v);
  }
  // A layer for node n, writing a new tensor named after its output `out`.
  void add_layer(Layer layer, const Node& n, Shape out_shape, int out = 0) {
    layer.name = layer_name(n);
    if (out) {  // appended stepwise: GCC 12 warns falsely (-Wrestrict) on ":" + std::to_string(out)
      layer.name += ':';
      layer.name += std::to_string(out);
    }
    layer.node = node_label(n);
    layer.output = new_tensor(n.output(out), std::move(out_shape));
    set_act(n.output(out), layer.output);
    g_.layers.push_back(std::move(layer));
  }
  // A helper layer inside node n (a broadcast, a transpose), its tensor
  // named after the node's first output and `suffix`; returns the tensor.
  int add_inner_layer(Layer layer, const Node& n, const std::string& suffix, Shape out_shape) {
    layer.name = layer_name(n) + ":" + suffix;
    layer.node = node_label(n);
    layer.output = new_tensor(n.output(0) + ":" + suffix, std::move(out_shape));
    g_.layers.push_back(std::move(layer));
    return g_.layers.back().output;
  }
  const Shape& shape_of(int tensor) const { return g_.tensors[static_cast<std::size_t>(tensor)].shape; }

  void op_gemm(const Node& n);
  void op_matmul(const Node& n);
  void op_add(const Node& n);
  void op_relu(const Node& n);
  void op_conv(const Node& n);
  void op_pool(const Node& n, bool max);
  void op_max_pool(const Node& n) { op_pool(n, true); }
  void op_avg_pool(const Node& n) { op_pool(n, false); }
  void op_global_avg_pool(const Node& n);
  void op_flatten(const Node& n);
  void op_reshape(const Node& n);
  void op_batchnorm(const Node& n);
  void op_quantize(const Node& n);
  void op_dequantize(const Node& n);
  void op_constant(const Node& n);
  void op_pad(const Node& n);
  void op_identity(const Node& n);
  void op_dropout(const Node& n);
  // A window's strides, pads and auto_pad (1-D ones as 2-D over [N, C, 1, L]);
  // dilations must be 1 unless the caller spread the kernel (`dilated`).
  Window2d read_window(const Node& n, const std::map<std::string, const onnx::AttributeProto*>& a,
                       const Shape& in, int kh, int kw, bool one_d, bool dilated) const;

  const onnx::ModelProto& model_;
  std::string file_;
  Graph g_;
  std::unordered_map<std::string, Value> values_;
  // value name -> number of node inputs reading it (+1 if graph output);
  // only to refuse nodes whose second outputs are used. Fusions are decided
  // on tensor ids by the rewrite passes (rewrite.hpp), never on names.
  std::unordered_map<std::string, int> consumers_;
  std::string output_name_;
};

// numpy broadcasting of a constant to `out`: the constant's value at every
// output position, row-major; false if the shapes do not broadcast.
bool broadcast_to(const Const& c, const Shape& out, std::vector<double>& result);

// Helpers of ops that take axes (ops/structure.cpp): an axis in
// [−rank, rank) made non-negative; integer entries of a constant (refusing
// fractions and huge values); axes from input i (opset 13+, ReduceMean and
// ReduceMax from 18) or the "axes" attribute (earlier).
std::int64_t normalize_axis(Importer& im, const onnx::NodeProto& n, std::int64_t axis, std::size_t rank,
                            const char* what = "axis");
std::vector<std::int64_t> ints_of(Importer& im, const onnx::NodeProto& n, const Const& c, const char* what);
std::vector<std::int64_t> axes_of(Importer& im, const onnx::NodeProto& n,
                                  const std::map<std::string, const onnx::AttributeProto*>& a, int i);

// Positions of `shape` grouped in rows over the `reduced` axes: row after
// row (row-major over the other axes), the reduced axes varying fastest
// within a row (ops/reduce.cpp; Reduce*, Softmax, LayerNormalization).
std::vector<std::int64_t> row_positions(const Shape& shape, const std::vector<bool>& reduced);

// numpy broadcasting of two shapes; false if they do not broadcast.
bool broadcast_shapes(const Shape& a, const Shape& b, Shape& out);
// Activation `tensor`, seen as shape `view` (its own when empty; same
// size), broadcast to `out` (numpy rules, checked by the caller): the tensor
// itself when no value repeats (the row-major order is the same), else a
// Select layer inside node n (ops/structure.cpp).
int expand_activation(Importer& im, const onnx::NodeProto& n, int tensor, const Shape& out, const std::string& suffix,
                      const Shape& view = {});
// A layer of `kind` on node n's two activations broadcast to a common shape
// (numpy rules; a repeated operand is a Select layer): Mul, Div.
void add_broadcast_binary(Importer& im, const onnx::NodeProto& n, LayerKind kind);
// A layer of `kind` on node n's one activation, the same shape, no attributes
// (Sigmoid, Tanh, Erf, Sqrt, Reciprocal).
void add_unary(Importer& im, const onnx::NodeProto& n, LayerKind kind);

// Activation `tensor` with its axes permuted (a Select layer inside node n).
int transpose_activation(Importer& im, const onnx::NodeProto& n, int tensor, const std::vector<std::int64_t>& perm,
                         const std::string& suffix);

// Products of two activations (ops/product.cpp).
void import_mul_of_activations(Importer& im, const onnx::NodeProto& n);
void import_matmul_of_activations(Importer& im, const onnx::NodeProto& n);
void import_gemm_of_activations(Importer& im, const onnx::NodeProto& n);
void import_pow(Importer& im, const onnx::NodeProto& n);
void import_softmax(Importer& im, const onnx::NodeProto& n);     // ops/softmax.cpp
void import_log_softmax(Importer& im, const onnx::NodeProto& n); // ops/softmax.cpp
void import_layer_norm(Importer& im, const onnx::NodeProto& n);  // ops/layer_norm.cpp
void import_embedding(Importer& im, const onnx::NodeProto& n);   // ops/embedding.cpp: Gather by input indices
void import_div_of_activations(Importer& im, const onnx::NodeProto& n);  // ops/division.cpp

// The op registry: one import function per ONNX op type.
using OpImport = std::function<void(Importer&, const onnx::NodeProto&)>;
using OpRegistry = std::unordered_map<std::string, OpImport>;

// Op families (ops/*.cpp) add their ops here.
void register_structure_ops(OpRegistry& registry);
void register_arithmetic_ops(OpRegistry& registry);
void register_piecewise_linear_ops(OpRegistry& registry);
void register_reduce_ops(OpRegistry& registry);
void register_smooth_activation_ops(OpRegistry& registry);
void register_division_ops(OpRegistry& registry);
// Add ('+'), Sub, Mul, Div of two constants, folded with numpy broadcasting (ops/structure.cpp).
void fold_constant_binary(Importer& im, const onnx::NodeProto& n, char op);

}  // namespace zkacc::zkml::detail
