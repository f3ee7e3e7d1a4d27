#include "zkacc/zkml/quantize.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <sstream>
#include <tuple>

#include "zkacc/common/error.hpp"
#include "zkacc/zkml/ops/division.hpp"

namespace zkacc::zkml {

namespace {

constexpr double kTwo62 = 4611686018427387904.0;  // 2^62

// The most fractional bits f such that round(max_abs·2^f) ≤ 2^(bits-1) - 1.
int frac_for(double max_abs, int bits, int headroom) {
  const double lim = std::ldexp(1.0, bits - 1) - 1;
  double target = std::ldexp(max_abs, headroom);
  if (!(target > 0)) target = std::ldexp(1.0, headroom);  // nothing seen: scale as if the largest value were 1
  int f = static_cast<int>(std::floor(std::log2(lim / target)));
  while (f > -62 && std::round(std::ldexp(target, f)) > lim) --f;
  while (f < 62 && std::round(std::ldexp(target, f + 1)) <= lim) ++f;
  return std::clamp(f, -62, 62);
}

// A Select's output scale: the finest frac all its inputs share without
// losing bits (their smallest), and bits enough for every input rescaled to
// it (rounding x/2^s can reach 2^(bits-1-s): one bit more).
std::pair<int, int> select_scale(const Layer& l, const std::vector<std::pair<int, int>>& frac_bits) {
  int frac = frac_bits[static_cast<std::size_t>(l.inputs[0])].first;
  for (int t : l.inputs) frac = std::min(frac, frac_bits[static_cast<std::size_t>(t)].first);
  int bits = 0;
  for (int t : l.inputs) {
    const auto [f, b] = frac_bits[static_cast<std::size_t>(t)];
    bits = std::max(bits, f == frac ? b : b - (f - frac) + 1);
  }
  for (double c : l.weight.data)  // the constants at that scale, signed
    bits = std::max(bits, static_cast<int>(std::bit_width(static_cast<std::uint64_t>(
                              std::min(std::abs(std::round(std::ldexp(c, frac))), 0x1p62)))) + 1);
  return {frac, bits};
}

// Max, Min: the inputs aligned to the finest frac (an exact shift up) and
// bits enough for each shifted input.
std::pair<int, int> aligned_scale(const Layer& l, const std::vector<std::pair<int, int>>& frac_bits) {
  int frac = frac_bits[static_cast<std::size_t>(l.inputs[0])].first, bits = 0;
  for (int t : l.inputs) frac = std::max(frac, frac_bits[static_cast<std::size_t>(t)].first);
  for (int t : l.inputs) {
    const auto [f, b] = frac_bits[static_cast<std::size_t>(t)];
    bits = std::max(bits, b + frac - f);
  }
  return {frac, bits};
}

// Exp's M at the input's scale: ln(calibrated max·2^headroom), rounded up,
// within the input's range (a float for the weight frac's choice too).
double exp_limit(double cal_max, int headroom, int in_frac, int in_bits) {
  const double top = std::ldexp(1.0, in_bits - 1) - 1;
  if (!(cal_max > 0)) return top;
  const double m = std::ceil(std::ldexp(std::log(cal_max) + headroom * std::log(2.0), in_frac));
  return std::clamp(m, -top, top);
}

// LeakyRelu keeps its input's frac; the scaled branch x·α needs more bits
// when a slope is negative or larger than 1 (rounding cannot push a slope
// in [0, 1] past 1).
int leaky_relu_bits(int in_bits, const std::vector<double>& slopes) {
  double largest = 0, smallest = 0;
  for (double a : slopes) {
    largest = std::max(largest, std::abs(a));
    smallest = std::min(smallest, a);
  }
  if (largest <= 1 && smallest >= 0) return in_bits;
  return in_bits + 1 + (largest > 1 ? static_cast<int>(std::ceil(std::log2(largest))) : 0);
}

// A Clip bound at frac f, clamped to the B-bit range (beyond it the bound never binds).
std::int64_t clip_bound(double v, int frac, int bits) {
  const double lo = std::ldexp(-1.0, bits - 1), hi = std::ldexp(1.0, bits - 1) - 1;
  const double scaled = std::ldexp(v, frac);
  if (!(scaled > lo)) return static_cast<std::int64_t>(lo);  // also −infinity
  if (!(scaled < hi)) return static_cast<std::int64_t>(hi);
  return static_cast<std::int64_t>(std::round(scaled));
}

void check_bits(int bits, const char* what) {
  if (bits < 2 || bits > 40)
    throw Error(std::string(what) + " = " + std::to_string(bits) + " is outside 2..40");
}


}  // namespace

std::int64_t round_to_int(double x, const std::string& what) {
  if (!std::isfinite(x) || std::abs(x) >= kTwo62) throw Error(what + " does not fit 62 bits");
  return static_cast<std::int64_t>(std::round(x));  // std::round: ties away from zero
}

__int128 round_div(__int128 acc, std::int64_t d) {
  const __int128 a = acc + d / 2;
  __int128 q = a / d;
  if (a % d != 0 && a < 0) --q;  // floor, not truncation
  return q;
}

__int128 rescale_value(__int128 acc, int shift) {
  if (shift <= 0) return acc * (__int128(1) << -shift);
  return round_div(acc, std::int64_t(1) << shift);
}

Settings choose_settings(const Graph& g, const CalibrationRange& cal, const QuantConfig& config,
                         const std::string& calibration_name) {
  check_bits(config.activation_bits, "activation bits");
  check_bits(config.weight_bits, "weight bits");
  check_bits(config.input_bits, "input bits");
  if (config.headroom_bits < 0 || config.headroom_bits >= config.activation_bits - 1)
    throw Error("headroom bits = " + std::to_string(config.headroom_bits) + " must be between 0 and activation bits - 2");
  Settings s;
  s.config = config;
  s.calibration = calibration_name;
  const double in_max = cal.input_max_abs, in_min = cal.input_min;
  s.input_nonneg = in_min >= 0;
  s.input_bits = config.input_bits;
  s.input_frac = frac_for(in_max, config.input_bits, 0);
  if (g.input_integer) {  // token ids: integers at frac 0, bits for every row of the tables they index
    s.input_frac = 0;
    std::int64_t top = static_cast<std::int64_t>(in_max);
    for (const Layer& l : g.layers)
      if (l.kind == LayerKind::Embedding) top = std::max(top, l.dims[0] - 1);
    s.input_bits = std::max(config.input_bits, static_cast<int>(std::bit_width(static_cast<std::uint64_t>(top))) + 1);
  }
  std::vector<std::pair<int, int>> frac_bits(g.tensors.size());
  frac_bits[static_cast<std::size_t>(g.input)] = {s.input_frac, s.input_bits};
  for (std::size_t i = 0; i < g.layers.size(); ++i) {
    const Layer& l = g.layers[i];
    LayerSettings ls;
    ls.name = l.name;
    ls.kind = layer_kind_name(l.kind);
    ls.calibration_max_abs = cal.layer_max_abs[i];
    const auto [in_frac, in_bits] = frac_bits[static_cast<std::size_t>(l.inputs[0])];
    switch (l.kind) {
      case LayerKind::Dense:
      case LayerKind::Conv:
      case LayerKind::Scale: {
        double w_max = 0;
        for (double w : l.weight.data) w_max = std::max(w_max, std::abs(w));
        ls.weight_frac = w_max > 0 ? frac_for(w_max, config.weight_bits, 0) : 0;
        [[fallthrough]];
      }
      case LayerKind::Add:
      case LayerKind::Mul:
      case LayerKind::MatMul:
      case LayerKind::ReduceSum:
        ls.frac = frac_for(ls.calibration_max_abs, config.activation_bits, config.headroom_bits);
        ls.bits = config.activation_bits;
        break;
      case LayerKind::Div:
      case LayerKind::Reciprocal:
        ls.frac = frac_for(ls.calibration_max_abs, config.activation_bits, config.headroom_bits);
        ls.bits = config.activation_bits;
        break;
      case LayerKind::Exp:  // the output calibrated; e^M, M its largest input, at the weight frac
        ls.frac = frac_for(ls.calibration_max_abs, config.activation_bits, config.headroom_bits);
        ls.bits = config.activation_bits;
        ls.weight_frac = frac_for(std::exp(exp_limit(ls.calibration_max_abs, config.headroom_bits, in_frac, in_bits) *
                                           std::ldexp(1.0, -in_frac)),
                                  config.weight_bits, 0);
        break;
      case LayerKind::Sqrt:  // 2g ≥ f: the root of x·2^(2g − f) is at g
        ls.frac = std::max(frac_for(ls.calibration_max_abs, config.activation_bits, config.headroom_bits), (in_frac + 1) / 2);
        ls.bits = config.activation_bits;
        break;
      case LayerKind::Embedding: {  // the table's values, exactly known: the finest frac that holds them
        double t_max = 0;
        for (double v : l.weight.data) t_max = std::max(t_max, std::abs(v));
        ls.frac = frac_for(t_max, config.activation_bits, 0);
        ls.bits = config.activation_bits;
        break;
      }
      case LayerKind::LayerNorm: {  // G = γ·√n at the weight frac; the output calibrated
        double g_max = 0;
        for (double g : l.weight.data) g_max = std::max(g_max, std::abs(g) * std::sqrt(double(l.dims[1])));
        ls.weight_frac = g_max > 0 ? frac_for(g_max, config.weight_bits, 0) : 0;
        ls.frac = frac_for(ls.calibration_max_abs, config.activation_bits, config.headroom_bits);
        ls.bits = config.activation_bits;
        break;
      }
      case LayerKind::LeakyRelu: {
        double a_max = 0;
        for (double a : l.weight.data) a_max = std::max(a_max, std::abs(a));
        ls.weight_frac = a_max > 0 ? frac_for(a_max, config.weight_bits, 0) : 0;
        ls.frac = in_frac;
        ls.bits = leaky_relu_bits(in_bits, l.weight.data);
        break;
      }
      case LayerKind::Max:
      case LayerKind::Min:
        std::tie(ls.frac, ls.bits) = aligned_scale(l, frac_bits);
        break;
      case LayerKind::Select:
        std::tie(ls.frac, ls.bits) = select_scale(l, frac_bits);
        break;
      case LayerKind::Softmax:  // in [0, 1]: at least the fractional bits that hold 1.0, more for small probabilities
        ls.frac = std::max(config.activation_bits - 2,
                           frac_for(ls.calibration_max_abs, config.activation_bits, config.headroom_bits));
        ls.bits = config.activation_bits;
        break;
      case LayerKind::Sigmoid:
      case LayerKind::Tanh:
      case LayerKind::Erf:  // values in [-1, 1]: the most fractional bits that hold 1.0
        ls.frac = config.activation_bits - 2;
        ls.bits = config.activation_bits;
        break;
      default:  // Relu, pooling, Reshape: the input's scale and range
        ls.frac = in_frac;
        ls.bits = in_bits;
    }
    frac_bits[static_cast<std::size_t>(l.output)] = {ls.frac, ls.bits};
    s.layers.push_back(std::move(ls));
  }
  return s;
}

QuantizedModel quantize(const Graph& g, const Settings& s, const std::string& sname) {
  auto fail = [&](const std::string& msg) -> Error { return Error(sname + ": " + msg); };
  try {
    check_bits(s.config.weight_bits, "config.weight_bits");
    check_bits(s.input_bits, "input.bits");
  } catch (const Error& e) {
    throw fail(e.what());
  }
  if (s.layers.size() != g.layers.size())
    throw fail("has " + std::to_string(s.layers.size()) + " layers, the model " + g.source + " has " +
               std::to_string(g.layers.size()) + " (settings made for another model?)");
  QuantizedModel q;
  q.source = g.source;
  q.input = g.input;
  q.output = g.output;
  q.dropped_head = g.dropped_head;
  q.input_integer = g.input_integer;
  q.exposure = s.exposure;
  for (const TensorInfo& t : g.tensors) q.tensors.push_back({t.name, t.shape, 0, 0, false});
  QTensor& in = q.tensors[static_cast<std::size_t>(g.input)];
  in.frac = s.input_frac;
  in.bits = s.input_bits;
  in.nonneg = s.input_nonneg;

  for (std::size_t i = 0; i < g.layers.size(); ++i) {
    const Layer& l = g.layers[i];
    const LayerSettings& ls = s.layers[i];
    const std::string where = "layers[" + std::to_string(i) + "] ('" + ls.name + "')";
    if (ls.name != l.name || ls.kind != layer_kind_name(l.kind))
      throw fail(where + " is a " + ls.kind + " layer, the model's layer " + std::to_string(i) + " is '" + l.name +
                 "' (" + layer_kind_name(l.kind) + "): settings made for another model?");
    try {
      check_bits(ls.bits, "bits");
    } catch (const Error& e) {
      throw fail(where + ": " + e.what());
    }
    QLayer ql;
    ql.kind = l.kind;
    ql.name = l.name;
    ql.onnx_ops = l.onnx_ops;
    ql.inputs = l.inputs;
    ql.output = l.output;
    ql.window = l.window;
    ql.dims = l.dims;
    ql.relu = l.relu;
    const QTensor x = q.tensors[static_cast<std::size_t>(l.inputs[0])];
    QTensor& y = q.tensors[static_cast<std::size_t>(l.output)];
    y.frac = ls.frac;
    y.bits = ls.bits;
    auto max_in = [](const QTensor& t) { return std::ldexp(1.0, t.bits - 1); };
    switch (l.kind) {
      case LayerKind::Dense:
      case LayerKind::Conv: {
        ql.weight_frac = ls.weight_frac;
        ql.acc_frac = x.frac + ql.weight_frac;
        ql.weight_shape = l.weight.shape;
        const std::int64_t wlim = (std::int64_t(1) << (s.config.weight_bits - 1)) - 1;
        ql.weight.reserve(l.weight.data.size());
        for (double w : l.weight.data) {
          const std::int64_t wq = round_to_int(std::ldexp(w, ql.weight_frac), sname + ": " + where + ": a weight");
          if (wq > wlim || wq < -wlim)
            throw fail(where + ": weight_frac " + std::to_string(ql.weight_frac) + " turns weight " + std::to_string(w) +
                       " into " + std::to_string(wq) + ", outside the " + std::to_string(s.config.weight_bits) + "-bit weight range");
          ql.weight.push_back(wq);
        }
        for (double b : l.bias.data) ql.bias.push_back(round_to_int(std::ldexp(b, ql.acc_frac), sname + ": " + where + ": a bias"));
        const std::int64_t channels = l.weight.shape[0];
        const std::int64_t per = static_cast<std::int64_t>(ql.weight.size()) / channels;
        for (std::int64_t c = 0; c < channels; ++c) {
          double sum = 0;
          for (std::int64_t j = 0; j < per; ++j) sum += std::abs(double(ql.weight[static_cast<std::size_t>(c * per + j)]));
          ql.acc_bound = std::max(ql.acc_bound, sum * max_in(x) + std::abs(double(ql.bias[static_cast<std::size_t>(c)])));
        }
        break;
      }
      case LayerKind::Scale: {
        // acc = x·m_q + c_q at acc_frac = in_frac + weight_frac, per position.
        ql.weight_frac = ls.weight_frac;
        ql.acc_frac = x.frac + ql.weight_frac;
        ql.weight_shape = l.weight.shape;
        const std::int64_t wlim = (std::int64_t(1) << (s.config.weight_bits - 1)) - 1;
        for (std::size_t k = 0; k < l.weight.data.size(); ++k) {
          const std::int64_t mq = round_to_int(std::ldexp(l.weight.data[k], ql.weight_frac), sname + ": " + where + ": a factor");
          if (mq > wlim || mq < -wlim)
            throw fail(where + ": weight_frac " + std::to_string(ql.weight_frac) + " puts factor " + std::to_string(l.weight.data[k]) +
                       " outside the " + std::to_string(s.config.weight_bits) + "-bit weight range");
          ql.weight.push_back(mq);
          ql.bias.push_back(round_to_int(std::ldexp(l.bias.data[k], ql.acc_frac), sname + ": " + where + ": an offset"));
          ql.acc_bound = std::max(ql.acc_bound, std::abs(double(mq)) * max_in(x) + std::abs(double(ql.bias.back())));
        }
        break;
      }
      case LayerKind::Add: {
        ql.input_sign = l.input_sign;
        ql.acc_frac = x.frac;
        for (int t : l.inputs) ql.acc_frac = std::max(ql.acc_frac, q.tensors[static_cast<std::size_t>(t)].frac);
        double c_max = 0;
        for (double c : l.bias.data) {
          ql.bias.push_back(round_to_int(std::ldexp(c, ql.acc_frac), sname + ": " + where + ": the constant"));
          c_max = std::max(c_max, std::abs(double(ql.bias.back())));
        }
        ql.acc_bound = c_max;
        for (int t : l.inputs) {
          const QTensor& xt = q.tensors[static_cast<std::size_t>(t)];
          ql.input_shift.push_back(ql.acc_frac - xt.frac);
          if (ql.input_shift.back() > 60) throw fail(where + ": the inputs' scales are too far apart");
          ql.acc_bound += std::ldexp(max_in(xt), ql.input_shift.back());
        }
        break;
      }
      case LayerKind::Mul:
      case LayerKind::MatMul: {
        const QTensor& x2 = q.tensors[static_cast<std::size_t>(l.inputs[1])];
        ql.dims = l.dims;
        ql.acc_frac = x.frac + x2.frac;
        ql.acc_bound = (l.kind == LayerKind::MatMul ? double(l.dims[2]) : 1.0) * max_in(x) * max_in(x2);
        break;
      }
      case LayerKind::ReduceSum:
        ql.select = l.select;
        ql.acc_frac = x.frac;
        ql.acc_bound = double(l.select.size()) / double(shape_size(y.shape)) * max_in(x);
        break;
      case LayerKind::LeakyRelu: {
        if (ls.frac != x.frac || ls.bits != leaky_relu_bits(x.bits, l.weight.data))
          throw fail(where + ": a LeakyRelu keeps its input's frac (" + std::to_string(x.frac) + ") with " +
                     std::to_string(leaky_relu_bits(x.bits, l.weight.data)) + " bits, the settings say (" +
                     std::to_string(ls.frac) + ", " + std::to_string(ls.bits) + ")");
        ql.weight_frac = ls.weight_frac;
        ql.acc_frac = x.frac + ql.weight_frac;
        const std::int64_t wlim = (std::int64_t(1) << (s.config.weight_bits - 1)) - 1;
        for (double a : l.weight.data) {
          const std::int64_t aq = round_to_int(std::ldexp(a, ql.weight_frac), sname + ": " + where + ": a slope");
          if (aq > wlim || aq < -wlim)
            throw fail(where + ": weight_frac " + std::to_string(ql.weight_frac) + " puts slope " + std::to_string(a) +
                       " outside the " + std::to_string(s.config.weight_bits) + "-bit weight range");
          ql.weight.push_back(aq);
          ql.acc_bound = std::max(ql.acc_bound, std::abs(double(aq)) * max_in(x));
        }
        break;
      }
      case LayerKind::Max:
      case LayerKind::Min: {
        std::vector<std::pair<int, int>> fb(q.tensors.size());
        for (int t : l.inputs) fb[static_cast<std::size_t>(t)] = {q.tensors[static_cast<std::size_t>(t)].frac, q.tensors[static_cast<std::size_t>(t)].bits};
        const auto [frac, bits] = aligned_scale(l, fb);
        if (ls.frac != frac || ls.bits != bits)
          throw fail(where + ": a " + ls.kind + " layer takes its inputs' finest scale (" + std::to_string(frac) + ", " +
                     std::to_string(bits) + "), the settings say (" + std::to_string(ls.frac) + ", " + std::to_string(ls.bits) + ")");
        for (int t : l.inputs) ql.input_shift.push_back(frac - q.tensors[static_cast<std::size_t>(t)].frac);
        break;
      }
      case LayerKind::Clip:
        ql.lo = clip_bound(l.lo, x.frac, x.bits);
        ql.hi = clip_bound(l.hi, x.frac, x.bits);
        if (ls.frac != x.frac || ls.bits != x.bits)
          throw fail(where + ": a Clip layer keeps its input's frac and bits (" + std::to_string(x.frac) + ", " +
                     std::to_string(x.bits) + "), the settings say (" + std::to_string(ls.frac) + ", " + std::to_string(ls.bits) + ")");
        break;
      case LayerKind::Softmax: {
        ql.select = l.select;
        ql.dims = l.dims;
        try {
          ql.softmax = make_softmax_params(x.frac, x.bits, static_cast<int>(l.dims[1]), ls.frac, ls.bits);
        } catch (const Error& e) {
          throw fail(where + ": " + e.what());
        }
        break;
      }
      case LayerKind::Div:
      case LayerKind::Reciprocal: {
        const bool div = l.kind == LayerKind::Div;
        const QTensor& den = div ? q.tensors[static_cast<std::size_t>(l.inputs[1])] : x;
        const DivisionScale sc = division_scale(div ? x.frac : 0, den.frac, ls.frac);
        ql.input_shift = {sc.num_shift, sc.den_shift};
        if (sc.num_shift > 100 || sc.den_shift + den.bits > 100)
          throw fail(where + ": the scales of the numerator, divisor and output are too far apart");
        ql.acc_bound = std::ldexp(div ? max_in(x) : 1.0, sc.num_shift + 1) + std::ldexp(max_in(den), sc.den_shift);
        break;
      }
      case LayerKind::Exp: {
        // M_q: the largest input e^x may take, ln(calibrated max · 2^headroom) at the input's scale.
        ql.lo = static_cast<std::int64_t>(exp_limit(ls.calibration_max_abs, s.config.headroom_bits, x.frac, x.bits));
        const int g = s.config.activation_bits - 2;  // e^(x − M) ∈ (0, 1] at g bits
        try {
          ql.smooth = make_smooth_table(SmoothFn::ExpNeg, x.frac, x.bits + 1, g, s.config.activation_bits);
        } catch (const Error& e) {
          throw fail(where + ": " + e.what());
        }
        ql.weight_frac = ls.weight_frac;
        const std::int64_t wlim = (std::int64_t(1) << (s.config.weight_bits - 1)) - 1;
        const std::int64_t eq = round_to_int(std::ldexp(std::exp(std::ldexp(double(ql.lo), -x.frac)), ql.weight_frac),
                                             sname + ": " + where + ": e^M");
        if (eq > wlim || eq < 1) throw fail(where + ": weight_frac " + std::to_string(ql.weight_frac) + " does not hold e^M");
        ql.weight = {eq};
        ql.acc_frac = g + ql.weight_frac;
        ql.acc_bound = std::ldexp(double(eq), g + 1);
        break;
      }
      case LayerKind::Sqrt:
        ql.shift = 2 * ls.frac - x.frac;
        if (ql.shift < 0 || ql.shift + x.bits > 118) throw fail(where + ": a Sqrt output scale must satisfy 2·frac ≥ the input's");
        break;
      case LayerKind::Embedding: {
        const std::int64_t lim = (std::int64_t(1) << (ls.bits - 1)) - 1;
        for (double v : l.weight.data) {
          const std::int64_t q = round_to_int(std::ldexp(v, ls.frac), sname + ": " + where + ": a table value");
          if (q > lim || q < -lim)
            throw fail(where + ": frac " + std::to_string(ls.frac) + " puts table value " + std::to_string(v) + " outside " +
                       std::to_string(ls.bits) + " bits");
          ql.weight.push_back(q);
        }
        if (x.frac != 0) throw fail(where + ": an embedding's indices are integers: the input's frac must be 0");
        break;
      }
      case LayerKind::LayerNorm: {
        ql.select = l.select;
        ql.dims = l.dims;
        ql.weight_frac = ls.weight_frac;
        try {
          ql.layer_norm = make_layer_norm_params(x.frac, x.bits, static_cast<int>(l.dims[1]), l.epsilon, ls.weight_frac, ls.frac,
                                                 ls.bits);
        } catch (const Error& e) {
          throw fail(where + ": " + e.what());
        }
        const double root_n = std::sqrt(double(l.dims[1]));
        const std::int64_t wlim = (std::int64_t(1) << (s.config.weight_bits - 1)) - 1;
        double g_max = 0, b_max = 0;
        for (std::size_t k = 0; k < l.weight.data.size(); ++k) {
          const std::int64_t gq = round_to_int(std::ldexp(l.weight.data[k] * root_n, ql.weight_frac), sname + ": " + where + ": a scale");
          if (gq > wlim || gq < -wlim)
            throw fail(where + ": weight_frac " + std::to_string(ql.weight_frac) + " puts scale " + std::to_string(l.weight.data[k]) +
                       " (times √n) outside the " + std::to_string(s.config.weight_bits) + "-bit weight range");
          ql.weight.push_back(gq);
          ql.bias.push_back(round_to_int(std::ldexp(l.bias.data[k], ql.layer_norm.acc_frac), sname + ": " + where + ": a bias"));
          g_max = std::max(g_max, std::abs(double(gq)));
          b_max = std::max(b_max, std::abs(double(ql.bias.back())));
        }
        // |c·inv| ≤ 2^(K−t+1) + n·2^B (c² ≤ SS): the accumulator of each output.
        ql.acc_bound = g_max * (std::ldexp(1.0, ql.layer_norm.recip_k - ql.layer_norm.sqrt_scale + 1) +
                                std::ldexp(double(l.dims[1]), x.bits)) + b_max;
        break;
      }
      case LayerKind::ReduceMean:
      case LayerKind::ReduceMax:
        ql.select = l.select;
        ql.acc_bound = double(l.select.size()) / double(shape_size(y.shape)) * max_in(x);
        if (ls.frac != x.frac || ls.bits != x.bits)
          throw fail(where + ": a " + ls.kind + " layer keeps its input's frac and bits (" + std::to_string(x.frac) + ", " +
                     std::to_string(x.bits) + "), the settings say (" + std::to_string(ls.frac) + ", " + std::to_string(ls.bits) + ")");
        break;
      case LayerKind::Select: {
        std::vector<std::pair<int, int>> fb(q.tensors.size());
        for (int t : l.inputs) fb[static_cast<std::size_t>(t)] = {q.tensors[static_cast<std::size_t>(t)].frac, q.tensors[static_cast<std::size_t>(t)].bits};
        const auto [frac, bits] = select_scale(l, fb);
        if (ls.frac != frac || ls.bits != bits)
          throw fail(where + ": a Select layer takes its inputs' finest common scale (" + std::to_string(frac) + ", " +
                     std::to_string(bits) + "), the settings say (" + std::to_string(ls.frac) + ", " + std::to_string(ls.bits) + ")");
        ql.select = l.select;
        for (double c : l.weight.data) ql.weight.push_back(round_to_int(std::ldexp(c, frac), sname + ": " + where + ": a constant"));
        for (int t : l.inputs) {
          ql.input_shift.push_back(q.tensors[static_cast<std::size_t>(t)].frac - frac);
          if (ql.input_shift.back() > 60) throw fail(where + ": the inputs' scales are too far apart");
        }
        break;
      }
      case LayerKind::Sigmoid:
      case LayerKind::Tanh:
      case LayerKind::Erf:
      case LayerKind::Gelu:
      case LayerKind::GeluTanh:
        try {
          SmoothFn fn{};
          smooth_fn_of(l.kind, fn);
          ql.smooth = make_smooth_table(fn, x.frac, x.bits, ls.frac, ls.bits);
        } catch (const Error& e) {
          throw fail(where + ": " + e.what());
        }
        break;
      case LayerKind::AvgPool:
        ql.acc_bound = double(l.window.kh) * l.window.kw * max_in(x);
        [[fallthrough]];
      default:
        if (ls.frac != x.frac || ls.bits != x.bits)
          throw fail(where + ": a " + ls.kind + " layer keeps its input's frac and bits (" + std::to_string(x.frac) + ", " +
                     std::to_string(x.bits) + "), the settings say (" + std::to_string(ls.frac) + ", " + std::to_string(ls.bits) + ")");
    }
    if (rescales_accumulator(l.kind)) {
      ql.shift = ql.acc_frac - y.frac;
      if (ql.shift < -60 || ql.shift > 120) throw fail(where + ": the output scale is too far from the accumulator's");
      if (ql.shift < 0) ql.acc_bound = std::ldexp(ql.acc_bound, -ql.shift);
      // The rescale decomposes acc + ... into shift + bits bits, computed in 128-bit integers.
      if (std::max(ql.shift, 0) + y.bits > 120) throw fail(where + ": the rescale would need more than 120 bits");
    }
    if (ql.acc_bound >= std::ldexp(1.0, 120))
      throw fail(where + ": accumulators could reach 2^" + std::to_string(int(std::log2(ql.acc_bound))) +
                 ", too close to the field size; use fewer weight or activation bits");
    ql.wide = ql.acc_bound >= kTwo62;
    auto input_nonneg = [&](int t) { return q.tensors[static_cast<std::size_t>(t)].nonneg; };
    y.nonneg = l.relu || l.kind == LayerKind::Relu || (l.kind == LayerKind::Clip && ql.lo >= 0) ||
               ((l.kind == LayerKind::MaxPool || l.kind == LayerKind::AvgPool || l.kind == LayerKind::Reshape ||
                 l.kind == LayerKind::ReduceMean || l.kind == LayerKind::ReduceMax || l.kind == LayerKind::LeakyRelu) &&
                x.nonneg) ||
               (l.kind == LayerKind::Max && std::any_of(l.inputs.begin(), l.inputs.end(), input_nonneg)) ||
               (l.kind == LayerKind::Min && std::all_of(l.inputs.begin(), l.inputs.end(), input_nonneg)) ||
               l.kind == LayerKind::Sqrt || l.kind == LayerKind::Reciprocal ||
               (l.kind == LayerKind::Select && std::all_of(l.inputs.begin(), l.inputs.end(), input_nonneg) &&
                std::all_of(l.weight.data.begin(), l.weight.data.end(), [](double c) { return c >= 0; }));
    q.layers.push_back(std::move(ql));
  }
  return q;
}

std::vector<std::int64_t> quantize_input(const QuantizedModel& model, std::span<const double> input,
                                         const std::string& name) {
  const QTensor& t = model.tensor(model.input);
  if (static_cast<std::int64_t>(input.size()) != shape_size(t.shape))
    throw Error(name + ": has " + std::to_string(input.size()) + " input values, the model's input " + shape_str(t.shape) +
                " takes " + std::to_string(shape_size(t.shape)));
  const std::int64_t hi = (std::int64_t(1) << (t.bits - 1)) - 1, lo = t.nonneg ? 0 : -(std::int64_t(1) << (t.bits - 1));
  std::vector<std::int64_t> q(input.size());
  for (std::size_t i = 0; i < input.size(); ++i) {
    const double v = std::ldexp(input[i], t.frac);
    if (!std::isfinite(input[i]) || !(std::abs(v) < kTwo62) || std::round(v) > double(hi) || std::round(v) < double(lo)) {
      std::ostringstream msg;
      msg << name << ": input value " << input[i] << " at index " << i << " is outside the circuit's input range ["
          << std::ldexp(double(lo), -t.frac) << ", " << std::ldexp(double(hi), -t.frac) << "] (" << t.bits
          << "-bit fixed point, scale 2^" << -t.frac << "; calibrate with an input that covers it, or raise --input-bits)";
      throw Error(msg.str());
    }
    if (model.input_integer && v != std::round(v))
      throw Error(name + ": input value " + std::to_string(input[i]) + " at index " + std::to_string(i) +
                  " is not an integer (the model's input is int64/int32: token ids)");
    q[i] = static_cast<std::int64_t>(std::round(v));
  }
  return q;
}

}  // namespace zkacc::zkml
