#include "zkacc/zkml/float_eval.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "window.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/zkml/ops/smooth_activation.hpp"

namespace zkacc::zkml {

FloatRun evaluate_float(const Graph& g, std::span<const double> input, bool keep_pre_activation) {
  using detail::RowMatrix;
  const Shape& in_shape = g.tensors[static_cast<std::size_t>(g.input)].shape;
  if (static_cast<std::int64_t>(input.size()) != shape_size(in_shape))
    throw Error(g.source + ": the input has " + std::to_string(input.size()) + " values, the model expects " +
                shape_str(in_shape));
  FloatRun run;
  run.values.resize(g.tensors.size());
  run.pre_activation_max_abs.assign(g.layers.size(), 0.0);
  if (keep_pre_activation) run.pre_activation_abs.resize(g.layers.size());
  run.values[static_cast<std::size_t>(g.input)].assign(input.begin(), input.end());

  for (std::size_t li = 0; li < g.layers.size(); ++li) {
    const Layer& l = g.layers[li];
    const std::vector<double>& x = run.values[static_cast<std::size_t>(l.inputs[0])];
    const Shape& xs = g.tensors[static_cast<std::size_t>(l.inputs[0])].shape;
    const Shape& ys = g.tensors[static_cast<std::size_t>(l.output)].shape;
    std::vector<double> y(static_cast<std::size_t>(shape_size(ys)));
    switch (l.kind) {
      case LayerKind::Dense: {
        const std::int64_t n = l.weight.shape[0], k = l.weight.shape[1], m = shape_size(xs) / k;
        Eigen::Map<const RowMatrix<double>> xm(x.data(), m, k), wm(l.weight.data.data(), n, k);
        Eigen::Map<RowMatrix<double>> ym(y.data(), m, n);
        ym.noalias() = xm * wm.transpose();
        for (std::int64_t r = 0; r < m; ++r)
          for (std::int64_t c = 0; c < n; ++c) ym(r, c) += l.bias.data[static_cast<std::size_t>(c)];
        break;
      }
      case LayerKind::Conv: {
        const detail::WindowGeometry geo(xs, ys, l.window);
        const RowMatrix<double> cols = detail::im2col(x.data(), geo);
        const std::int64_t mo = l.weight.shape[0];
        Eigen::Map<const RowMatrix<double>> wm(l.weight.data.data(), mo, cols.rows());
        Eigen::Map<RowMatrix<double>> ym(y.data(), mo, geo.oh * geo.ow);
        ym.noalias() = wm * cols;
        for (std::int64_t c = 0; c < mo; ++c) ym.row(c).array() += l.bias.data[static_cast<std::size_t>(c)];
        break;
      }
      case LayerKind::Add:
        for (std::size_t i = 0; i < y.size(); ++i) {
          double v = l.bias.data.empty() ? 0.0 : l.bias.data[i];
          for (std::size_t k = 0; k < l.inputs.size(); ++k)
            v += (l.input_sign.empty() ? 1.0 : l.input_sign[k]) * run.values[static_cast<std::size_t>(l.inputs[k])][i];
          y[i] = v;
        }
        break;
      case LayerKind::Mul: {
        const auto& x2 = run.values[static_cast<std::size_t>(l.inputs[1])];
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = x[i] * x2[i];
        break;
      }
      case LayerKind::MatMul: {
        const std::int64_t m = l.dims[1], k = l.dims[2], n = l.dims[3];
        const auto& x2 = run.values[static_cast<std::size_t>(l.inputs[1])];
        for (std::int64_t b = 0; b < l.dims[0]; ++b) {
          Eigen::Map<const RowMatrix<double>> am(x.data() + b * m * k, m, k), bm(x2.data() + b * k * n, k, n);
          Eigen::Map<RowMatrix<double>> ym(y.data() + b * m * n, m, n);
          ym.noalias() = am * bm;
        }
        break;
      }
      case LayerKind::Clip:
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = std::min(std::max(x[i], l.lo), l.hi);
        break;
      case LayerKind::LeakyRelu:
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = x[i] >= 0 ? x[i] : x[i] * l.weight.data[i];
        break;
      case LayerKind::Max:
      case LayerKind::Min:
        for (std::size_t i = 0; i < y.size(); ++i) {
          double v = x[i];
          for (int t : l.inputs) {
            const double o = run.values[static_cast<std::size_t>(t)][i];
            v = l.kind == LayerKind::Max ? std::max(v, o) : std::min(v, o);
          }
          y[i] = v;
        }
        break;
      case LayerKind::Softmax: {
        const std::size_t n = static_cast<std::size_t>(l.dims[1]);
        for (std::size_t r = 0; r < l.select.size(); r += n) {
          double m = -std::numeric_limits<double>::infinity(), sum = 0;
          for (std::size_t j = 0; j < n; ++j) m = std::max(m, x[static_cast<std::size_t>(l.select[r + j])]);
          for (std::size_t j = 0; j < n; ++j) sum += std::exp(x[static_cast<std::size_t>(l.select[r + j])] - m);
          for (std::size_t j = 0; j < n; ++j) {
            const auto p = static_cast<std::size_t>(l.select[r + j]);
            y[p] = std::exp(x[p] - m) / sum;
          }
        }
        break;
      }
      case LayerKind::Exp:
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = std::exp(x[i]);
        break;
      case LayerKind::Div:
      case LayerKind::Reciprocal:
      case LayerKind::Sqrt:
        for (std::size_t i = 0; i < y.size(); ++i) {
          y[i] = l.kind == LayerKind::Sqrt ? std::sqrt(x[i])
                 : l.kind == LayerKind::Reciprocal ? 1.0 / x[i]
                                                   : x[i] / run.values[static_cast<std::size_t>(l.inputs[1])][i];
          if (!std::isfinite(y[i]))
            throw Error(g.source + ": " + l.node + ": " + (l.kind == LayerKind::Sqrt ? "the square root of " : "a division by ") +
                        (l.kind == LayerKind::Div ? std::to_string(run.values[static_cast<std::size_t>(l.inputs[1])][i]) : std::to_string(x[i])) +
                        " at position " + std::to_string(i));
        }
        break;
      case LayerKind::Embedding: {
        const std::int64_t v = l.dims[0], d = l.dims[1];
        for (std::size_t i = 0; i < x.size(); ++i) {
          if (x[i] != std::floor(x[i]) || x[i] < 0 || x[i] >= double(v))
            throw Error(g.source + ": " + l.node + ": index " + std::to_string(x[i]) + " at position " + std::to_string(i) +
                        " is not a row of the " + std::to_string(v) + "-row table");
          for (std::int64_t j = 0; j < d; ++j) y[i * static_cast<std::size_t>(d) + static_cast<std::size_t>(j)] =
              l.weight.data[static_cast<std::size_t>(static_cast<std::int64_t>(x[i]) * d + j)];
        }
        break;
      }
      case LayerKind::LayerNorm: {
        const auto n = static_cast<std::size_t>(l.dims[1]);
        for (std::size_t r = 0; r < l.select.size(); r += n) {
          double mean = 0, var = 0;
          for (std::size_t j = 0; j < n; ++j) mean += x[static_cast<std::size_t>(l.select[r + j])];
          mean /= double(n);
          for (std::size_t j = 0; j < n; ++j) var += std::pow(x[static_cast<std::size_t>(l.select[r + j])] - mean, 2);
          const double root = std::sqrt(var / double(n) + l.epsilon);
          for (std::size_t j = 0; j < n; ++j) {
            const auto p = static_cast<std::size_t>(l.select[r + j]);
            y[p] = (x[p] - mean) / root * l.weight.data[p] + l.bias.data[p];
          }
        }
        break;
      }
      case LayerKind::ReduceSum:
      case LayerKind::ReduceMean:
      case LayerKind::ReduceMax: {
        const std::size_t group = l.select.size() / y.size();
        for (std::size_t e = 0; e < y.size(); ++e) {
          double v = l.kind == LayerKind::ReduceMax ? -std::numeric_limits<double>::infinity() : 0.0;
          for (std::size_t j = 0; j < group; ++j) {
            const double o = x[static_cast<std::size_t>(l.select[e * group + j])];
            v = l.kind == LayerKind::ReduceMax ? std::max(v, o) : v + o;
          }
          y[e] = l.kind == LayerKind::ReduceMean ? v / static_cast<double>(group) : v;
        }
        break;
      }
      case LayerKind::Scale:
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = x[i] * l.weight.data[i] + l.bias.data[i];
        break;
      case LayerKind::Relu:
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = std::max(x[i], 0.0);
        break;
      case LayerKind::MaxPool:
      case LayerKind::AvgPool: {
        const detail::WindowGeometry geo(xs, ys, l.window);
        for (std::int64_t c = 0; c < geo.c; ++c)
          for (std::int64_t oy = 0; oy < geo.oh; ++oy)
            for (std::int64_t ox = 0; ox < geo.ow; ++ox) {
              double acc = l.kind == LayerKind::MaxPool ? -std::numeric_limits<double>::infinity() : 0.0;
              geo.for_each(oy, ox, [&](std::int64_t iy, std::int64_t ix, int, int) {
                const double v = x[static_cast<std::size_t>((c * geo.h + iy) * geo.w + ix)];
                acc = l.kind == LayerKind::MaxPool ? std::max(acc, v) : acc + v;
              });
              if (l.kind == LayerKind::AvgPool)
                acc /= double(l.window.count_include_pad ? l.window.kh * l.window.kw : geo.valid_count(oy, ox));
              y[static_cast<std::size_t>((c * geo.oh + oy) * geo.ow + ox)] = acc;
            }
        break;
      }
      case LayerKind::Reshape:
        y = x;
        break;
      case LayerKind::Select: {
        // The inputs' values, concatenated (one input: its own), then the constants.
        std::vector<double> joined;
        const std::vector<double>* src = &x;
        if (l.inputs.size() > 1 || !l.weight.data.empty()) {
          for (int t : l.inputs) {
            const auto& v = run.values[static_cast<std::size_t>(t)];
            joined.insert(joined.end(), v.begin(), v.end());
          }
          joined.insert(joined.end(), l.weight.data.begin(), l.weight.data.end());
          src = &joined;
        }
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = (*src)[static_cast<std::size_t>(l.select[i])];
        break;
      }
      case LayerKind::Sigmoid:
      case LayerKind::Tanh:
      case LayerKind::Erf:
      case LayerKind::Gelu:
      case LayerKind::GeluTanh: {
        SmoothFn fn{};
        smooth_fn_of(l.kind, fn);
        for (std::size_t i = 0; i < y.size(); ++i) y[i] = smooth_float(fn, x[i]);
        break;
      }
      case LayerKind::BatchNorm:
      case LayerKind::Pad:
        throw Error(g.source + ": internal: " + l.node + " was not folded");
    }
    double m = 0;
    for (double v : y) m = std::max(m, std::abs(v));
    run.pre_activation_max_abs[li] = m;
    if (keep_pre_activation)
      for (double v : y) run.pre_activation_abs[li].push_back(static_cast<float>(std::abs(v)));
    if (l.relu)
      for (double& v : y) v = std::max(v, 0.0);
    run.values[static_cast<std::size_t>(l.output)] = std::move(y);
  }
  return run;
}

}  // namespace zkacc::zkml
