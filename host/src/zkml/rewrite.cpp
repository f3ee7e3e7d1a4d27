#include "zkacc/zkml/rewrite.hpp"

#include <algorithm>
#include <cmath>

#include "zkacc/common/error.hpp"

namespace zkacc::zkml {

namespace {

class Rewriter {
 public:
  explicit Rewriter(Graph& g)
      : g_(g), readers_(g.tensors.size(), 0), producer_(g.tensors.size(), -1), reader_(g.tensors.size(), -1) {
    for (std::size_t i = 0; i < g_.layers.size(); ++i) {
      for (int t : g_.layers[i].inputs) {
        ++readers_[static_cast<std::size_t>(t)];
        reader_[static_cast<std::size_t>(t)] = static_cast<int>(i);
      }
      producer_[static_cast<std::size_t>(g_.layers[i].output)] = static_cast<int>(i);
    }
    ++readers_[static_cast<std::size_t>(g_.output)];  // the graph output is read by the verifier
  }

  void run() {
    for (Layer& l : g_.layers)
      if (l.kind == LayerKind::Erf || l.kind == LayerKind::Tanh) fuse_gelu(l);
    for (Layer& l : g_.layers)
      if (l.kind == LayerKind::Div) fuse_layer_norm(l);
    for (std::size_t i = 0; i < g_.layers.size(); ++i) {
      Layer& l = g_.layers[i];
      switch (l.kind) {
        case LayerKind::Add:
          if (l.inputs.size() == 1) fold_bias(l);
          break;
        case LayerKind::BatchNorm:
          fold_batchnorm(l);
          break;
        case LayerKind::Relu:
          fold_relu(l);
          break;
        case LayerKind::Conv:
        case LayerKind::AvgPool:
          fold_pad_into(l);
          break;
        default:
          break;
      }
    }
    std::erase_if(g_.layers, [](const Layer& l) { return l.output < 0; });
    for (Layer& l : g_.layers) {
      if (l.kind == LayerKind::BatchNorm) to_scale(l);
      if (l.kind == LayerKind::Pad)
        fail(l, "zkacc folds a constant-zero Pad into the Conv or AveragePool that alone reads its output, and this "
                "one is read by something else (a MaxPool pads with -inf, not zero)");
    }
  }

 private:
  [[noreturn]] void fail(const Layer& l, const std::string& msg) const { throw Error(g_.source + ": " + l.node + ": " + msg); }

  // The layer that writes tensor `t`, when `reader` is its only reader and
  // the tensor is not the graph output (a fusion then changes no other value).
  Layer* sole_producer(int t, std::initializer_list<LayerKind> kinds) {
    const int p = producer_[static_cast<std::size_t>(t)];
    if (p < 0 || readers_[static_cast<std::size_t>(t)] != 1) return nullptr;
    Layer& l = g_.layers[static_cast<std::size_t>(p)];
    if (l.output < 0 || std::find(kinds.begin(), kinds.end(), l.kind) == kinds.end()) return nullptr;
    return &l;
  }

  // The layer that alone reads tensor `t` (which is not the graph output), if of `kind`.
  Layer* sole_reader(int t, LayerKind kind) {
    if (readers_[static_cast<std::size_t>(t)] != 1) return nullptr;
    Layer& l = g_.layers[static_cast<std::size_t>(reader_[static_cast<std::size_t>(t)])];
    return l.output >= 0 && l.kind == kind ? &l : nullptr;
  }
  static bool all_near(const std::vector<double>& v, double want) {
    return !v.empty() && std::all_of(v.begin(), v.end(), [want](double x) { return std::abs(x - want) <= 1e-6 * std::abs(want); });
  }
  static bool all_zero(const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [](double x) { return x == 0; });
  }
  // A Scale by `factor` with no offset, or nullptr.
  Layer* scale_by(Layer* l, double factor) {
    return l && l->kind == LayerKind::Scale && all_near(l->weight.data, factor) && all_zero(l->bias.data) ? l : nullptr;
  }
  // The input of Mul layer m other than `t` when m multiplies t by it.
  static int other_factor(const Layer* m, int t) {
    if (!m || m->inputs.size() != 2) return -1;
    return m->inputs[0] == t ? m->inputs[1] : m->inputs[1] == t ? m->inputs[0] : -1;
  }

  // PyTorch's nn.GELU before opset 20, as the importer maps its nodes:
  //   Erf form   x → Scale 1/√2 → Erf → Add 1 → Mul x → Scale ½
  //   tanh form  x → Mul x → Mul x → Scale 0.044715 → Add x → Scale √(2/π) → Tanh → Add 1 → Mul x → Scale ½
  // Every intermediate tensor read only by the next layer: the chain
  // computes ½·x·(1 + erf(x/√2)) = x·Φ(x), or the tanh form, with the
  // file's float32 constants (each within 1e-6 relative of the exact one,
  // checked: 10^-6·|x| is far below a fixed-point step). One Gelu layer
  // replaces it; the anchor `e` is the Erf or Tanh.
  void fuse_gelu(Layer& e) {
    if (e.output < 0) return;
    const bool erf = e.kind == LayerKind::Erf;
    Layer* pre = scale_by(producer_of(e.inputs[0], 1), erf ? 1 / std::sqrt(2.0) : std::sqrt(2 / std::acos(-1.0)));
    if (!pre) return;
    int x = pre->inputs[0];
    std::vector<Layer*> chain{pre};
    if (!erf) {  // pre reads v = x + 0.044715·x·(x·x)
      Layer* v = producer_of(x, 1);
      if (!v || v->kind != LayerKind::Add || v->inputs.size() != 2 || !v->bias.data.empty() ||
          !(v->input_sign.empty() || (v->input_sign[0] == 1 && v->input_sign[1] == 1)))
        return;
      for (int side = 0; side < 2 && x == pre->inputs[0]; ++side) {
        Layer* k = scale_by(producer_of(v->inputs[static_cast<std::size_t>(side)], 1), 0.044715);
        Layer* cube = k ? producer_of(k->inputs[0], 1) : nullptr;
        if (!cube || cube->kind != LayerKind::Mul) continue;
        const int base = v->inputs[static_cast<std::size_t>(1 - side)];
        Layer* square = producer_of(other_factor(cube, base), 1);
        if (!square || square->kind != LayerKind::Mul || square->inputs[0] != base || square->inputs[1] != base) continue;
        chain.insert(chain.begin(), {square, cube, k, v});
        x = base;
      }
      if (x == pre->inputs[0]) return;
    }
    Layer* one = sole_reader(e.output, LayerKind::Add);
    if (!one || one->inputs.size() != 1 || !all_near(one->bias.data, 1.0)) return;
    Layer* times_x = sole_reader(one->output, LayerKind::Mul);
    if (other_factor(times_x, one->output) != x) return;
    Layer* half = scale_by(sole_reader(times_x->output, LayerKind::Scale), 0.5);
    if (!half) return;
    chain.insert(chain.end(), {&e, one, times_x});
    std::string ops;
    for (Layer* l : chain) {
      ops += l->onnx_ops + "+";
      l->output = -1;
    }
    g_.notes.push_back(chain.front()->node + " … " + half->node + ": GELU" + (erf ? "" : " (tanh form)") + " fused into one layer");
    half->kind = erf ? LayerKind::Gelu : LayerKind::GeluTanh;
    half->onnx_ops = "Gelu(" + ops + half->onnx_ops + ")";
    half->name = chain.front()->name + "+" + half->name;
    half->node = chain.front()->node;
    half->inputs = {x};
    half->weight = half->bias = {};
    producer_[static_cast<std::size_t>(half->output)] = static_cast<int>(half - g_.layers.data());
  }
  // The rows a ReduceMean layer averages, if `l` is one.
  static const std::vector<std::int64_t>* mean_rows(const Layer* l) {
    return l && l->kind == LayerKind::ReduceMean ? &l->select : nullptr;
  }
  // `t` as the per-row value of `rows` broadcast back to the rows'
  // positions: the tensor a Select reads when it repeats each row's value
  // over the row (checked position by position), else -1.
  int row_broadcast_source(int t, const std::vector<std::int64_t>& rows, std::size_t n) {
    Layer* sel = producer_of(t, 1);
    if (!sel || sel->kind != LayerKind::Select || sel->inputs.size() != 1 || !sel->weight.data.empty() ||
        sel->select.size() != rows.size())
      return -1;
    for (std::size_t k = 0; k < rows.size(); ++k)
      if (sel->select[static_cast<std::size_t>(rows[k])] != static_cast<std::int64_t>(k / n)) return -1;
    return sel->inputs[0];
  }

  // LayerNorm as PyTorch exports it before opset 17 (and as hand-written
  // graphs spell it), the importer's layers for
  //   m = ReduceMean(x); d = x − m; v = ReduceMean(d·d); q = d / Sqrt(v + ε) [· γ] [+ β]
  // with m and the root broadcast back over the rows by Selects. Legal when
  // both ReduceMeans average the same rows, each broadcast repeats a row's
  // value exactly over that row, and every tensor inside has only the next
  // op as reader (d: the square, twice, and the division): the chain is
  // then (x − μ)/√(σ² + ε)·γ + β row by row, which is the LayerNorm layer's
  // function exactly. The anchor is the Div.
  void fuse_layer_norm(Layer& div) {
    if (div.output < 0 || div.inputs.size() != 2) return;
    const int d = div.inputs[0];
    Layer* centre = producer_of(d, 3);  // read by the square (twice) and the division
    if (!centre || centre->kind != LayerKind::Add || centre->inputs.size() != 2 || !centre->bias.data.empty() ||
        centre->input_sign != std::vector<int>{1, -1})
      return;
    // The root's broadcast, the root, ε, the variance and the square.
    Layer* sel_root = producer_of(div.inputs[1], 1);
    if (!sel_root || sel_root->kind != LayerKind::Select) return;
    Layer* root = producer_of(sel_root->inputs[0], 1);
    if (!root || root->kind != LayerKind::Sqrt) return;
    Layer* plus_eps = producer_of(root->inputs[0], 1);
    if (!plus_eps || plus_eps->kind != LayerKind::Add || plus_eps->inputs.size() != 1 || plus_eps->bias.data.empty() ||
        !all_near(plus_eps->bias.data, plus_eps->bias.data[0]) || !(plus_eps->bias.data[0] >= 0))
      return;
    Layer* var = producer_of(plus_eps->inputs[0], 1);
    const std::vector<std::int64_t>* rows = mean_rows(var);
    if (!rows) return;
    Layer* square = producer_of(var->inputs[0], 1);
    if (!square || square->kind != LayerKind::Mul || square->inputs != std::vector<int>{d, d}) return;
    const int x = centre->inputs[0];
    Layer* sel_mean = producer_of(centre->inputs[1], 1);
    Layer* mean = sel_mean && sel_mean->kind == LayerKind::Select ? producer_of(sel_mean->inputs[0], 1) : nullptr;
    if (!mean_rows(mean) || mean->select != *rows || mean->inputs[0] != x) return;
    const std::size_t n = rows->size() / static_cast<std::size_t>(shape_size(g_.tensors[static_cast<std::size_t>(var->output)].shape));
    if (row_broadcast_source(centre->inputs[1], *rows, n) != mean->output ||
        row_broadcast_source(div.inputs[1], *rows, n) != root->output)
      return;
    // The optional scale and bias after it.
    const Shape& xs = g_.tensors[static_cast<std::size_t>(x)].shape;
    const auto size = static_cast<std::size_t>(shape_size(xs));
    Layer* last = &div;
    std::vector<double> gamma(size, 1.0), beta(size, 0.0);
    std::string ops = "ReduceMean+Sub+Pow+ReduceMean+Add+Sqrt+Div";
    if (Layer* sc = sole_reader(last->output, LayerKind::Scale); sc && all_zero(sc->bias.data)) {
      gamma = sc->weight.data;
      last->output = -1;
      last = sc;
      ops += "+Mul";
    }
    if (Layer* add = sole_reader(last->output, LayerKind::Add); add && add->inputs.size() == 1) {
      beta = add->bias.data;
      last->output = -1;
      last = add;
      ops += "+Add";
    }
    g_.notes.push_back(mean->node + " … " + last->node + ": LayerNorm fused into one layer");
    for (Layer* l : {mean, sel_mean, centre, square, var, plus_eps, root, sel_root, &div})
      if (l != last) l->output = -1;
    const double eps = plus_eps->bias.data[0];
    const std::string name = mean->name + "+" + last->name, node = mean->node;
    last->kind = LayerKind::LayerNorm;
    last->onnx_ops = "LayerNorm(" + ops + ")";
    last->name = name;
    last->node = node;
    last->inputs = {x};
    last->select = *rows;
    last->dims = {static_cast<std::int64_t>(rows->size() / n), static_cast<std::int64_t>(n)};
    last->epsilon = eps;
    last->weight = {xs, std::move(gamma)};
    last->bias = {xs, std::move(beta)};
    last->input_sign.clear();
    producer_[static_cast<std::size_t>(last->output)] = static_cast<int>(last - g_.layers.data());
  }

  // The producer of t when it has `readers` readers and is not the graph output.
  Layer* producer_of(int t, int readers) {
    if (t < 0 || t == g_.output || readers_[static_cast<std::size_t>(t)] != readers) return nullptr;
    const int p = producer_[static_cast<std::size_t>(t)];
    if (p < 0 || g_.layers[static_cast<std::size_t>(p)].output < 0) return nullptr;
    return &g_.layers[static_cast<std::size_t>(p)];
  }

  // `into` takes over `gone`'s output tensor; `gone` is dropped.
  void merge(Layer& into, Layer& gone, const std::string& op) {
    into.onnx_ops += "+" + op;
    into.name += "+" + gone.name;
    producer_[static_cast<std::size_t>(gone.output)] = static_cast<int>(&into - g_.layers.data());
    into.output = gone.output;
    gone.output = -1;
  }

  // Channel of flat position f of a Dense [..., N] or Conv [1, M, H, W] output.
  static std::int64_t channel_of(const Layer& p, const Shape& out, std::int64_t f) {
    const std::int64_t channels = p.bias.shape[0];
    const std::int64_t inner = p.kind == LayerKind::Dense ? 1 : out[2] * out[3];
    return (f / inner) % channels;
  }

  void fold_bias(Layer& add) {
    Layer* p = sole_producer(add.inputs[0], {LayerKind::Dense, LayerKind::Conv});
    if (!p || p->relu) return;
    const Shape& out = g_.tensors[static_cast<std::size_t>(add.output)].shape;
    const std::int64_t channels = p->bias.shape[0];
    std::vector<double> per(static_cast<std::size_t>(channels), 0.0);
    std::vector<bool> seen(static_cast<std::size_t>(channels), false);
    for (std::size_t f = 0; f < add.bias.data.size(); ++f) {
      const auto ch = static_cast<std::size_t>(channel_of(*p, out, static_cast<std::int64_t>(f)));
      if (!seen[ch]) {
        per[ch] = add.bias.data[f];
        seen[ch] = true;
      } else if (per[ch] != add.bias.data[f]) {
        return;  // varies within a channel: an Add layer of its own
      }
    }
    for (std::size_t ch = 0; ch < per.size(); ++ch) p->bias.data[ch] += per[ch];
    merge(*p, add, "Add");
  }

  void fold_batchnorm(Layer& bn) {
    Layer* p = sole_producer(bn.inputs[0], {LayerKind::Dense, LayerKind::Conv});
    if (!p || p->relu) return;
    // ONNX normalizes axis 1: the output channels of a Conv, and of a Dense
    // only when its output is [M, N].
    const Shape& ps = g_.tensors[static_cast<std::size_t>(bn.inputs[0])].shape;
    if (p->kind == LayerKind::Dense && ps.size() != 2) return;
    const std::int64_t ch = p->bias.shape[0];
    if (static_cast<std::int64_t>(bn.weight.data.size()) != ch) return;
    const std::int64_t per = shape_size(p->weight.shape) / ch;  // weights per output channel
    for (std::int64_t c = 0; c < ch; ++c) {
      const double k = bn.weight.data[static_cast<std::size_t>(c)];
      for (std::int64_t j = 0; j < per; ++j) p->weight.data[static_cast<std::size_t>(c * per + j)] *= k;
      p->bias.data[static_cast<std::size_t>(c)] = p->bias.data[static_cast<std::size_t>(c)] * k + bn.bias.data[static_cast<std::size_t>(c)];
    }
    g_.notes.push_back(bn.node + " folded into the layer before it");
    merge(*p, bn, "BatchNormalization");
  }

  // A BatchNorm no layer could absorb: a Scale layer, its per-channel
  // factor and offset spread along axis 1 of the tensor.
  void to_scale(Layer& bn) {
    const Shape& s = g_.tensors[static_cast<std::size_t>(bn.output)].shape;
    const std::int64_t total = shape_size(s), ch = s[1], inner = total / (s[0] * ch);
    FloatTensor m{s, {}}, c{s, {}};
    for (std::int64_t f = 0; f < total; ++f) {
      const auto k = static_cast<std::size_t>((f / inner) % ch);
      m.data.push_back(bn.weight.data[k]);
      c.data.push_back(bn.bias.data[k]);
    }
    bn.kind = LayerKind::Scale;
    bn.weight = std::move(m);
    bn.bias = std::move(c);
    g_.notes.push_back(bn.node + " is not after a layer it can fold into: computed as a per-channel scale");
  }

  void fold_relu(Layer& relu) {
    Layer* p = sole_producer(relu.inputs[0], {LayerKind::Dense, LayerKind::Conv, LayerKind::Add, LayerKind::Scale,
                                              LayerKind::Mul, LayerKind::MatMul, LayerKind::ReduceSum});
    if (!p || p->relu) return;
    p->relu = true;
    merge(*p, relu, "Relu");
  }

  void fold_pad_into(Layer& l) {
    Layer* pad = sole_producer(l.inputs[0], {LayerKind::Pad});
    if (!pad) return;
    Window2d& w = l.window;
    const Window2d& z = pad->window;
    if (l.kind == LayerKind::AvgPool) {
      // The Pad's zeros are values the average counts; the pool's own
      // padding then must be counted too, or be absent.
      if (!w.count_include_pad && (w.pad_t || w.pad_l || w.pad_b || w.pad_r)) return;
      w.count_include_pad = true;
    }
    w.pad_t += z.pad_t;
    w.pad_l += z.pad_l;
    w.pad_b += z.pad_b;
    w.pad_r += z.pad_r;
    if (w.pad_t >= w.kh || w.pad_b >= w.kh || w.pad_l >= w.kw || w.pad_r >= w.kw)
      fail(l, "with the Pad before it, the padding is at least as large as the kernel, which is not supported");
    l.inputs[0] = pad->inputs[0];
    l.onnx_ops = "Pad+" + l.onnx_ops;
    l.name = pad->name + "+" + l.name;
    pad->output = -1;
  }

  Graph& g_;
  std::vector<int> readers_;    // tensor id -> layers reading it (+1 for the graph output)
  std::vector<int> producer_;   // tensor id -> layer index, -1 for the graph input
  std::vector<int> reader_;     // tensor id -> the last layer reading it, -1 for none
};

}  // namespace

void rewrite_graph(Graph& graph) { Rewriter(graph).run(); }

}  // namespace zkacc::zkml
