#include "zkacc/zkml/graph.hpp"

#include "zkacc/common/error.hpp"

namespace zkacc::zkml {

std::int64_t shape_size(const Shape& shape) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) {
    if (d < 0) throw Error("negative dimension in shape " + shape_str(shape));
    if (d != 0 && n > kMaxTensorElements / d)
      throw Error("shape " + shape_str(shape) + " has more than the " + std::to_string(kMaxTensorElements) +
                  " elements zkacc allows in one tensor");
    n *= d;
  }
  return n;
}

std::string shape_str(const Shape& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

const char* layer_kind_name(LayerKind kind) {
  switch (kind) {
    case LayerKind::Dense: return "Dense";
    case LayerKind::Conv: return "Conv";
    case LayerKind::Add: return "Add";
    case LayerKind::Scale: return "Scale";
    case LayerKind::Relu: return "Relu";
    case LayerKind::MaxPool: return "MaxPool";
    case LayerKind::AvgPool: return "AvgPool";
    case LayerKind::Reshape: return "Reshape";
    case LayerKind::Sigmoid: return "Sigmoid";
    case LayerKind::Tanh: return "Tanh";
    case LayerKind::Erf: return "Erf";
    case LayerKind::Gelu: return "Gelu";
    case LayerKind::GeluTanh: return "GeluTanh";
    case LayerKind::Exp: return "Exp";
    case LayerKind::Select: return "Select";
    case LayerKind::Mul: return "Mul";
    case LayerKind::MatMul: return "MatMul";
    case LayerKind::Clip: return "Clip";
    case LayerKind::LeakyRelu: return "LeakyRelu";
    case LayerKind::Max: return "Max";
    case LayerKind::Min: return "Min";
    case LayerKind::ReduceSum: return "ReduceSum";
    case LayerKind::ReduceMean: return "ReduceMean";
    case LayerKind::ReduceMax: return "ReduceMax";
    case LayerKind::Softmax: return "Softmax";
    case LayerKind::Embedding: return "Embedding";
    case LayerKind::LayerNorm: return "LayerNorm";
    case LayerKind::Sqrt: return "Sqrt";
    case LayerKind::Div: return "Div";
    case LayerKind::Reciprocal: return "Reciprocal";
    case LayerKind::BatchNorm: return "BatchNorm";
    case LayerKind::Pad: return "Pad";
  }
  return "?";
}

}  // namespace zkacc::zkml
