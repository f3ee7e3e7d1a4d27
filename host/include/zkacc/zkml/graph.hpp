// The network as the ZKML front end sees it: a short list of layer kinds in
// topological order over activation tensors with ids, float weights, every
// shape known.
//
// The importer (onnx_import.hpp) maps each ONNX op onto one layer, or onto
// none where the op relabels values (Flatten, Reshape, Identity, Dropout, a
// Q→DQ pair, zero Pads, a final Softmax whose argmax is the logits'). The
// rewrite passes (rewrite.hpp) then fold what costs nothing in a circuit:
// BatchNormalization, bias Adds and Relus into the layer before them, Pads
// into the Conv or pooling after them. What is left is what the circuit
// must prove.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zkacc::zkml {

using Shape = std::vector<std::int64_t>;

// The most elements one tensor (weights or activations) may have: 2^24.
// A model at that size would already need far more than the 2^28
// constraints the largest snarkjs powers of tau cover (each activation costs
// tens of constraints), so the limit rejects a malformed or hostile shape
// before anything is allocated, never a model that could be proved.
inline constexpr std::int64_t kMaxTensorElements = std::int64_t(1) << 24;

// Number of elements; throws zkacc::Error for a negative dimension or more
// than kMaxTensorElements.
std::int64_t shape_size(const Shape& shape);
std::string shape_str(const Shape& shape);  // "[1, 4, 26, 26]"

// A float constant (weights, biases); row-major.
struct FloatTensor {
  Shape shape;
  std::vector<double> data;
};

enum class LayerKind {
  Dense,    // y[m, n] = Σ_k x[m, k]·W[n, k] + b[n]; x is [M, K] (leading dims folded into M)
  Conv,     // 2-D convolution, NCHW, group 1: W [M, C, kh, kw], b [M]
  Add,      // y = x1 ± x2 (same shape; input_sign), or y = x1 + constant (broadcast to the output shape)
  Scale,    // y = x·weight + bias, both constants broadcast to the output shape (Mul, Div, Sub, Neg, BatchNormalization)
  Relu,     // y = max(x, 0), when it could not be fused into the layer before it
  MaxPool,  // 2-D, NCHW; padded positions never win
  AvgPool,  // 2-D, NCHW; GlobalAveragePool is a window over the whole map
  Reshape,  // Flatten / Reshape: the same values, another shape
  Sigmoid,  // y = 1 / (1 + e^-x), elementwise (ops/smooth_activation.hpp)
  Tanh,     // y = tanh(x), elementwise (ops/smooth_activation.hpp)
  Erf,      // y = erf(x), elementwise (ops/smooth_activation.hpp)
  Gelu,     // y = x·Φ(x) (ops/smooth_activation.hpp)
  GeluTanh, // y = x/2·(1 + tanh(√(2/π)(x + 0.044715x³))) (ops/smooth_activation.hpp)
  Exp,      // y = e^x up to the calibrated range: e^M·e^−|x − M| (ops/smooth_activation.hpp)
  Select,   // y[e] = (the inputs, concatenated flat, then weight)[select[e]]: Transpose, Slice, Gather with
            // constant indices, Expand, Split, Concat (ops/structure.cpp); inputs at other scales are rescaled;
            // weight: constants joined with the activations (a class token), one wire each
  Mul,      // y = x1·x2, two activations of the same shape (ops/product.cpp)
  MatMul,   // y[b, m, n] = Σ_k x1[b, m, k]·x2[b, k, n], two activations; dims = {batch, M, K, N} (ops/product.cpp)
  Clip,     // y = min(max(x, lo), hi) (ops/piecewise_linear.cpp)
  LeakyRelu,  // y = x if x ≥ 0, else x·weight (per position: LeakyRelu, PRelu) (ops/piecewise_linear.cpp)
  Max,      // y = the largest of the inputs, elementwise, same shapes (ops/piecewise_linear.cpp)
  Min,      // y = the smallest of the inputs
  ReduceSum,   // y[e] = Σ x[select[e·n + j]], n = select.size() / outputs (ops/reduce.cpp)
  ReduceMean,  // y[e] = (Σ x[select[e·n + j]]) / n
  ReduceMax,   // y[e] = max x[select[e·n + j]]
  Softmax,  // per row (select: the rows' positions, n each), exp(x − max) / Σ (ops/softmax.hpp)
  Div,        // y = x1 / x2, two activations of the same shape, x2 ≥ one step (ops/division.hpp)
  Reciprocal, // y = 1 / x, x ≥ one step (ops/division.hpp)
  Sqrt,       // y = √x, x ≥ 0 (ops/division.hpp)
  Embedding,  // y[i, :] = weight[x[i], :], x the integer graph input (token ids), weight [V, D] (ops/embedding.cpp)
  LayerNorm,  // per row (select, dims {rows, n}): (x − μ)/√(σ² + epsilon)·weight + bias, weight and bias
              // per position (ops/layer_norm.hpp)
  // Only between import and the rewrite passes, which fold them or fail:
  BatchNorm,  // y = x·weight[c] + bias[c] along axis 1 (ONNX BatchNormalization, inference form)
  Pad,        // constant zero padding of H and W (window.pad_*), NCHW

};
const char* layer_kind_name(LayerKind kind);

struct Window2d {
  int kh = 1, kw = 1;                   // kernel
  int sh = 1, sw = 1;                   // strides
  int pad_t = 0, pad_l = 0, pad_b = 0, pad_r = 0;
  bool count_include_pad = false;       // AveragePool: divide by the full window instead of the valid part
};

struct Layer {
  LayerKind kind = LayerKind::Dense;
  std::string name;       // ONNX node name(s), for messages and settings ("fc1", "conv1+bn1")
  std::string onnx_ops;   // the ONNX ops this layer stands for ("Conv+BatchNormalization+Relu")
  std::vector<int> inputs;  // activation tensor ids: one, or two for Add of two tensors
  int output = -1;          // tensor id
  FloatTensor weight;       // Dense [N, K], Conv [M, C, kh, kw], BatchNorm [C] (the multiplier),
                            // Scale and LeakyRelu: the factor per output position; Select: its constants
  FloatTensor bias;         // Dense [N], Conv [M], BatchNorm [C], Add: the constant, broadcast to the output shape (empty: none)
  Window2d window;          // Conv, MaxPool, AvgPool; Pad: the pads
  bool relu = false;        // a Relu fused into this layer (Dense, Conv, Add)
  std::vector<std::int64_t> select;  // Select: per output value, its position in the inputs' concatenation;
                                     // Reduce*: per output, the positions of its n inputs
  std::vector<int> input_sign;        // Add: +1 or −1 per input (empty: all +1)
  Shape dims;               // MatMul: {batch, M, K, N}; Softmax, LayerNorm: {rows, n}; grouped or dilated Conv: {taps per output}
  double epsilon = 0;       // LayerNorm
  double lo = 0, hi = 0;    // Clip: the bounds (±infinity when absent)
  std::string node;         // the first ONNX node's label, "node 'bn1' (BatchNormalization)", for messages
};

struct TensorInfo {
  std::string name;  // the ONNX value name
  Shape shape;
};

struct Graph {
  std::string source;               // file name, for messages
  std::vector<TensorInfo> tensors;  // activations only
  std::vector<Layer> layers;        // topological order
  int input = -1, output = -1;      // tensor ids
  std::string dropped_head;         // "Softmax" or "LogSoftmax": the ONNX graph ended in it and the circuit proves
                                    // the logits before it (inner Softmaxes are layers); empty: none
  bool input_integer = false;       // the ONNX input is int32/int64 (token ids): frac 0, integers only
  std::vector<std::string> notes;   // what the importer folded or dropped, for the user
};

}  // namespace zkacc::zkml
