#include "zkacc/zkml/qeval.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "window.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/zkml/ops/division.hpp"
#include "zkacc/zkml/ops/piecewise_linear.hpp"

namespace zkacc::zkml {

namespace {

using detail::RowMatrix;
constexpr __int128 kAccLimit = __int128(1) << 62;

std::string position(const Shape& shape, std::int64_t flat) {
  std::vector<std::int64_t> idx(shape.size());
  for (std::size_t d = shape.size(); d-- > 0;) {
    idx[d] = flat % shape[d];
    flat /= shape[d];
  }
  return shape_str(idx);
}

std::string int128_str(__int128 v) {
  if (v == 0) return "0";
  const bool neg = v < 0;
  unsigned __int128 u = neg ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  std::string s;
  while (u) {
    s += static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  }
  if (neg) s += '-';
  return {s.rbegin(), s.rend()};
}

class Evaluator {
 public:
  Evaluator(const QuantizedModel& m) : m_(m) {}

  [[noreturn]] void out_of_range(const QLayer& l, std::int64_t flat, __int128 v, const QTensor& t) const {
    const double lo = std::ldexp(-1.0, t.bits - 1), hi = std::ldexp(1.0, t.bits - 1) - 1;
    throw Error("layer '" + l.name + "' (" + l.onnx_ops + "): value " + int128_str(v) + " at " + position(t.shape, flat) +
                " is outside its " + std::to_string(t.bits) + "-bit range [" + int128_str(__int128(lo)) + ", " +
                int128_str(__int128(hi)) + "] (" + std::to_string(std::ldexp(double(v), -t.frac)) +
                " at scale 2^" + std::to_string(-t.frac) +
                "): this input goes beyond the calibrated range; compile with more --headroom-bits or calibrate with "
                "an input like it");
  }
  std::int64_t checked_acc(const QLayer& l, std::int64_t flat, __int128 v) const {
    if (v >= kAccLimit || v <= -kAccLimit)
      throw Error("layer '" + l.name + "' (" + l.onnx_ops + "): accumulator " + int128_str(v) + " at output " +
                  std::to_string(flat) + " exceeds 62 bits; use fewer weight or activation bits");
    return static_cast<std::int64_t>(v);
  }
  // y = rescale(acc), Relu if fused, range-checked before the Relu.
  void finish(const QLayer& l, const std::vector<std::int64_t>& acc, std::vector<std::int64_t>& y) const {
    const QTensor& t = m_.tensor(l.output);
    const __int128 lo = -(__int128(1) << (t.bits - 1)), hi = (__int128(1) << (t.bits - 1)) - 1;
    y.resize(acc.size());
    for (std::size_t i = 0; i < acc.size(); ++i) {
      const __int128 q = rescale_value(acc[i], l.shift);
      if (q < lo || q > hi) out_of_range(l, static_cast<std::int64_t>(i), q, t);
      y[i] = static_cast<std::int64_t>(l.relu && q < 0 ? 0 : q);
    }
  }

  void dense(const QLayer& l, const std::vector<std::int64_t>& x, std::vector<std::int64_t>& acc) const {
    const std::int64_t n = l.weight_shape[0], k = l.weight_shape[1], rows = static_cast<std::int64_t>(x.size()) / k;
    acc.resize(static_cast<std::size_t>(rows * n));
    if (!l.wide) {  // the bound proves no 64-bit product or sum overflows
      Eigen::Map<const RowMatrix<std::int64_t>> xm(x.data(), rows, k), wm(l.weight.data(), n, k);
      Eigen::Map<RowMatrix<std::int64_t>> am(acc.data(), rows, n);
      am.noalias() = xm * wm.transpose();
      am.rowwise() += Eigen::Map<const Eigen::Matrix<std::int64_t, 1, Eigen::Dynamic>>(l.bias.data(), n);
      return;
    }
    for (std::int64_t r = 0; r < rows; ++r)
      for (std::int64_t o = 0; o < n; ++o) {
        __int128 s = l.bias[static_cast<std::size_t>(o)];
        for (std::int64_t j = 0; j < k; ++j) s += __int128(l.weight[static_cast<std::size_t>(o * k + j)]) * x[static_cast<std::size_t>(r * k + j)];
        acc[static_cast<std::size_t>(r * n + o)] = checked_acc(l, r * n + o, s);
      }
  }

  void conv(const QLayer& l, const std::vector<std::int64_t>& x, std::vector<std::int64_t>& acc) const {
    const detail::WindowGeometry geo(m_.tensor(l.inputs[0]).shape, m_.tensor(l.output).shape, l.window);
    const RowMatrix<std::int64_t> cols = detail::im2col(x.data(), geo);
    const std::int64_t mo = l.weight_shape[0], kk = cols.rows(), pix = geo.oh * geo.ow;
    acc.resize(static_cast<std::size_t>(mo * pix));
    if (!l.wide) {
      Eigen::Map<const RowMatrix<std::int64_t>> wm(l.weight.data(), mo, kk);
      Eigen::Map<RowMatrix<std::int64_t>> am(acc.data(), mo, pix);
      am.noalias() = wm * cols;
      am.colwise() += Eigen::Map<const Eigen::Matrix<std::int64_t, Eigen::Dynamic, 1>>(l.bias.data(), mo);
      return;
    }
    for (std::int64_t o = 0; o < mo; ++o)
      for (std::int64_t p = 0; p < pix; ++p) {
        __int128 s = l.bias[static_cast<std::size_t>(o)];
        for (std::int64_t j = 0; j < kk; ++j) s += __int128(l.weight[static_cast<std::size_t>(o * kk + j)]) * cols(j, p);
        acc[static_cast<std::size_t>(o * pix + p)] = checked_acc(l, o * pix + p, s);
      }
  }

  // Per batch, acc = x1 [M, K] · x2 [K, N].
  void matmul(const QLayer& l, const std::vector<std::int64_t>& x1, const std::vector<std::int64_t>& x2,
              std::vector<std::int64_t>& acc) const {
    const std::int64_t batch = l.dims[0], m = l.dims[1], k = l.dims[2], n = l.dims[3];
    acc.resize(static_cast<std::size_t>(batch * m * n));
    for (std::int64_t b = 0; b < batch; ++b) {
      const std::int64_t* a = x1.data() + b * m * k;
      const std::int64_t* c = x2.data() + b * k * n;
      std::int64_t* out = acc.data() + b * m * n;
      if (!l.wide) {
        Eigen::Map<const RowMatrix<std::int64_t>> am(a, m, k), cm(c, k, n);
        Eigen::Map<RowMatrix<std::int64_t>>(out, m, n).noalias() = am * cm;
        continue;
      }
      for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = 0; j < n; ++j) {
          __int128 s = 0;
          for (std::int64_t t = 0; t < k; ++t) s += __int128(a[i * k + t]) * c[t * n + j];
          out[i * n + j] = checked_acc(l, (b * m + i) * n + j, s);
        }
    }
  }

  QuantizedRun run(std::span<const std::int64_t> input) const {
    QuantizedRun r;
    r.values.resize(m_.tensors.size());
    r.acc.resize(m_.layers.size());
    const QTensor& in = m_.tensor(m_.input);
    if (static_cast<std::int64_t>(input.size()) != shape_size(in.shape))
      throw Error("the input has " + std::to_string(input.size()) + " values, the model expects " + shape_str(in.shape));
    const std::int64_t lim = std::int64_t(1) << (in.bits - 1);
    for (std::size_t i = 0; i < input.size(); ++i)
      if (input[i] < (in.nonneg ? 0 : -lim) || input[i] >= lim)
        throw Error("input value " + std::to_string(input[i]) + " at index " + std::to_string(i) + " is outside the " +
                    std::to_string(in.bits) + "-bit input range");
    r.values[static_cast<std::size_t>(m_.input)].assign(input.begin(), input.end());

    for (std::size_t li = 0; li < m_.layers.size(); ++li) {
      const QLayer& l = m_.layers[li];
      const std::vector<std::int64_t>& x = r.values[static_cast<std::size_t>(l.inputs[0])];
      std::vector<std::int64_t>& y = r.values[static_cast<std::size_t>(l.output)];
      std::vector<std::int64_t>& acc = r.acc[li];
      const QTensor& yt = m_.tensor(l.output);
      switch (l.kind) {
        case LayerKind::Dense:
          dense(l, x, acc);
          finish(l, acc, y);
          break;
        case LayerKind::Conv:
          conv(l, x, acc);
          finish(l, acc, y);
          break;
        case LayerKind::Add: {
          acc.resize(x.size());
          for (std::size_t i = 0; i < x.size(); ++i) {
            __int128 s = l.bias.empty() ? 0 : l.bias[i];
            for (std::size_t k = 0; k < l.inputs.size(); ++k)
              s += __int128(r.values[static_cast<std::size_t>(l.inputs[k])][i]) * (__int128(1) << l.input_shift[k]) *
                   (l.input_sign.empty() ? 1 : l.input_sign[k]);
            acc[i] = checked_acc(l, static_cast<std::int64_t>(i), s);
          }
          finish(l, acc, y);
          break;
        }
        case LayerKind::Mul: {
          const auto& x2 = r.values[static_cast<std::size_t>(l.inputs[1])];
          acc.resize(x.size());
          for (std::size_t i = 0; i < x.size(); ++i) acc[i] = checked_acc(l, static_cast<std::int64_t>(i), __int128(x[i]) * x2[i]);
          finish(l, acc, y);
          break;
        }
        case LayerKind::MatMul:
          matmul(l, x, r.values[static_cast<std::size_t>(l.inputs[1])], acc);
          finish(l, acc, y);
          break;
        case LayerKind::ReduceSum:
        case LayerKind::ReduceMean:
        case LayerKind::ReduceMax: {
          y.resize(static_cast<std::size_t>(shape_size(yt.shape)));
          const std::size_t group = l.select.size() / y.size();
          if (l.kind != LayerKind::ReduceMax) acc.resize(y.size());
          for (std::size_t e = 0; e < y.size(); ++e) {
            __int128 sum = 0;
            std::int64_t best = std::numeric_limits<std::int64_t>::min();
            for (std::size_t j = 0; j < group; ++j) {
              const std::int64_t v = x[static_cast<std::size_t>(l.select[e * group + j])];
              sum += v;
              best = std::max(best, v);
            }
            if (l.kind == LayerKind::ReduceMax) y[e] = best;
            else acc[e] = checked_acc(l, static_cast<std::int64_t>(e), sum);
            if (l.kind == LayerKind::ReduceMean) y[e] = static_cast<std::int64_t>(round_div(sum, static_cast<std::int64_t>(group)));
          }
          if (l.kind == LayerKind::ReduceSum) finish(l, acc, y);
          break;
        }
        case LayerKind::Softmax: {
          y.resize(x.size());
          const auto n = static_cast<std::size_t>(l.dims[1]);
          std::vector<std::int64_t> row(n), out(n);
          for (std::size_t r = 0; r < l.select.size(); r += n) {
            for (std::size_t j = 0; j < n; ++j) row[j] = x[static_cast<std::size_t>(l.select[r + j])];
            softmax_row_eval(l.softmax, row, out);
            for (std::size_t j = 0; j < n; ++j) {
              const auto p = static_cast<std::size_t>(l.select[r + j]);
              if (out[j] >= (std::int64_t(1) << (yt.bits - 1))) out_of_range(l, static_cast<std::int64_t>(p), out[j], yt);
              y[p] = out[j];
            }
          }
          break;
        }
        case LayerKind::Exp:
          acc.resize(x.size());
          for (std::size_t i = 0; i < x.size(); ++i) {
            if (x[i] > l.lo)
              throw Error("layer '" + l.name + "' (" + l.onnx_ops + "): input " + std::to_string(std::ldexp(double(x[i]), -m_.tensor(l.inputs[0]).frac)) +
                          " at " + position(m_.tensor(l.inputs[0]).shape, static_cast<std::int64_t>(i)) +
                          " is above the calibrated range of e^x (up to " + std::to_string(std::ldexp(double(l.lo), -m_.tensor(l.inputs[0]).frac)) +
                          "); compile with more --headroom-bits or calibrate with an input like it");
            acc[i] = checked_acc(l, static_cast<std::int64_t>(i), __int128(smooth_eval(l.smooth, x[i] - l.lo)) * l.weight[0]);
          }
          finish(l, acc, y);
          break;
        case LayerKind::Div:
        case LayerKind::Reciprocal:
        case LayerKind::Sqrt:
          y.resize(x.size());
          for (std::size_t i = 0; i < x.size(); ++i) {
            Int v = 0;
            std::optional<std::string> bad;
            if (l.kind == LayerKind::Sqrt) {
              bad = sqrt_eval(Int(x[i]) << l.shift, v);
            } else {
              const Int num = l.kind == LayerKind::Div ? Int(x[i]) << l.input_shift[0] : Int(1) << l.input_shift[0];
              const Int den = Int(l.kind == LayerKind::Div ? r.values[static_cast<std::size_t>(l.inputs[1])][i] : x[i])
                              << l.input_shift[1];
              bad = division_eval(num, den, v);
            }
            if (bad)
              throw Error("layer '" + l.name + "' (" + l.onnx_ops + "): at " + position(yt.shape, static_cast<std::int64_t>(i)) +
                          ", " + *bad + " (" + (l.kind == LayerKind::Sqrt ? "Sqrt needs x ≥ 0" : "zkacc divides by positive values only") + ")");
            if (v < -(Int(1) << (yt.bits - 1)) || v >= (Int(1) << (yt.bits - 1))) out_of_range(l, static_cast<std::int64_t>(i), v, yt);
            y[i] = static_cast<std::int64_t>(v);
          }
          break;
        case LayerKind::Embedding: {
          const std::int64_t v = l.dims[0], d = l.dims[1];
          y.resize(x.size() * static_cast<std::size_t>(d));
          for (std::size_t i = 0; i < x.size(); ++i) {
            if (x[i] < 0 || x[i] >= v)
              throw Error("layer '" + l.name + "' (" + l.onnx_ops + "): id " + std::to_string(x[i]) + " at position " +
                          std::to_string(i) + " is not a row of the " + std::to_string(v) + "-row table");
            std::copy_n(l.weight.begin() + x[i] * d, d, y.begin() + static_cast<std::ptrdiff_t>(i) * d);
          }
          break;
        }
        case LayerKind::LayerNorm: {
          y.resize(x.size());
          const auto n = static_cast<std::size_t>(l.dims[1]);
          std::vector<std::int64_t> row(n), g(n), b(n), out(n);
          const std::int64_t lim = std::int64_t(1) << (yt.bits - 1);
          for (std::size_t r = 0; r < l.select.size(); r += n) {
            for (std::size_t j = 0; j < n; ++j) {
              const auto p = static_cast<std::size_t>(l.select[r + j]);
              row[j] = x[p];
              g[j] = l.weight[p];
              b[j] = l.bias[p];
            }
            layer_norm_row_eval(l.layer_norm, row, g, b, out);
            for (std::size_t j = 0; j < n; ++j) {
              const auto p = static_cast<std::size_t>(l.select[r + j]);
              if (out[j] < -lim || out[j] >= lim) out_of_range(l, static_cast<std::int64_t>(p), out[j], yt);
              y[p] = out[j];
            }
          }
          break;
        }
        case LayerKind::Clip:
          y.resize(x.size());
          for (std::size_t i = 0; i < x.size(); ++i) y[i] = clip_eval(x[i], l.lo, l.hi);
          break;
        case LayerKind::LeakyRelu:
          y.resize(x.size());
          acc.resize(x.size());
          for (std::size_t i = 0; i < x.size(); ++i) {
            acc[i] = checked_acc(l, static_cast<std::int64_t>(i), __int128(x[i]) * l.weight[i]);
            y[i] = leaky_relu_eval(x[i], l.weight[i], l.shift, yt.bits);
          }
          break;
        case LayerKind::Max:
        case LayerKind::Min:
          y.resize(x.size());
          for (std::size_t i = 0; i < x.size(); ++i) {
            std::int64_t v = 0;
            for (std::size_t k = 0; k < l.inputs.size(); ++k) {
              const std::int64_t o = r.values[static_cast<std::size_t>(l.inputs[k])][i] * (std::int64_t(1) << l.input_shift[k]);
              v = k == 0 ? o : l.kind == LayerKind::Max ? std::max(v, o) : std::min(v, o);
            }
            y[i] = v;
          }
          break;
        case LayerKind::Scale:
          acc.resize(x.size());
          for (std::size_t i = 0; i < x.size(); ++i)
            acc[i] = checked_acc(l, static_cast<std::int64_t>(i), __int128(x[i]) * l.weight[i] + l.bias[i]);
          finish(l, acc, y);
          break;
        case LayerKind::Relu:
          y.resize(x.size());
          for (std::size_t i = 0; i < x.size(); ++i) y[i] = std::max<std::int64_t>(x[i], 0);
          break;
        case LayerKind::MaxPool:
        case LayerKind::AvgPool: {
          const detail::WindowGeometry geo(m_.tensor(l.inputs[0]).shape, yt.shape, l.window);
          y.resize(static_cast<std::size_t>(shape_size(yt.shape)));
          if (l.kind == LayerKind::AvgPool) acc.resize(y.size());
          for (std::int64_t c = 0; c < geo.c; ++c)
            for (std::int64_t oy = 0; oy < geo.oh; ++oy)
              for (std::int64_t ox = 0; ox < geo.ow; ++ox) {
                const std::size_t o = static_cast<std::size_t>((c * geo.oh + oy) * geo.ow + ox);
                std::int64_t best = std::numeric_limits<std::int64_t>::min(), sum = 0;
                geo.for_each(oy, ox, [&](std::int64_t iy, std::int64_t ix, int, int) {
                  const std::int64_t v = x[static_cast<std::size_t>((c * geo.h + iy) * geo.w + ix)];
                  best = std::max(best, v);
                  sum += v;
                });
                if (l.kind == LayerKind::MaxPool) {
                  y[o] = best;
                } else {
                  acc[o] = sum;
                  const std::int64_t d = l.window.count_include_pad ? l.window.kh * l.window.kw : geo.valid_count(oy, ox);
                  y[o] = static_cast<std::int64_t>(round_div(sum, d));
                }
              }
          break;
        }
        case LayerKind::Reshape:
          y = x;
          break;
        case LayerKind::Select: {
          // Each output is one input value, rescaled when its input is finer,
          // or one of the constants (already at the output's scale).
          std::vector<std::size_t> begin{0};
          for (int t : l.inputs) begin.push_back(begin.back() + r.values[static_cast<std::size_t>(t)].size());
          y.resize(l.select.size());
          for (std::size_t e = 0; e < y.size(); ++e) {
            const auto pos = static_cast<std::size_t>(l.select[e]);
            if (pos >= begin.back()) {
              y[e] = l.weight[pos - begin.back()];
              continue;
            }
            const std::size_t k = static_cast<std::size_t>(std::upper_bound(begin.begin(), begin.end(), pos) - begin.begin()) - 1;
            const std::int64_t v = r.values[static_cast<std::size_t>(l.inputs[k])][pos - begin[k]];
            y[e] = static_cast<std::int64_t>(rescale_value(v, l.input_shift[k]));
          }
          break;
        }
        case LayerKind::Sigmoid:
        case LayerKind::Tanh:
        case LayerKind::Erf:
        case LayerKind::Gelu:
        case LayerKind::GeluTanh:
          y.resize(x.size());
          for (std::size_t i = 0; i < x.size(); ++i) y[i] = smooth_eval(l.smooth, x[i]);
          break;
        case LayerKind::BatchNorm:
        case LayerKind::Pad:
          throw Error("internal: layer '" + l.name + "' was not folded");
      }
    }
    return r;
  }

 private:
  const QuantizedModel& m_;
};

}  // namespace

QuantizedRun evaluate_quantized(const QuantizedModel& model, std::span<const std::int64_t> input) {
  return Evaluator(model).run(input);
}

std::vector<double> dequantized_output(const QuantizedModel& model, const QuantizedRun& run) {
  const QTensor& t = model.tensor(model.output);
  const auto& v = run.values[static_cast<std::size_t>(model.output)];
  std::vector<double> out(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out[i] = std::ldexp(double(v[i]), -t.frac);
  return out;
}

}  // namespace zkacc::zkml
