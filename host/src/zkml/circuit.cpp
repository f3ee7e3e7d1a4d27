#include "zkacc/zkml/circuit.hpp"

#include <algorithm>
#include <bit>

#include "window.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/zkml/commitment.hpp"

namespace zkacc::zkml {

namespace {

Int pow2(int k) { return Int(1) << k; }

std::uint32_t checked_u32(std::int64_t n, const char* what) {
  if (n < 0 || n >= (std::int64_t(1) << 31)) throw Error(std::string("the model's ") + what + " is too large for a circuit");
  return static_cast<std::uint32_t>(n);
}

// The accumulator's multiplier and divisor for a rescale by `shift`.
std::pair<Int, std::int64_t> scale_of(int shift) {
  if (shift <= 0) return {pow2(-shift), 1};
  return {1, std::int64_t(1) << shift};
}

}  // namespace

ModelCircuit::ModelCircuit(QuantizedModel model) : model_(std::move(model)) {
  const QTensor& in = model_.tensor(model_.input);
  const QTensor& out = model_.tensor(model_.output);
  n_out_ = checked_u32(shape_size(out.shape), "output");
  n_in_ = checked_u32(shape_size(in.shape), "input");
  wires_.resize(model_.tensors.size());
  // Public wires first (circom's order: outputs, then inputs), as many as
  // the visibility needs; then the values of a side that is not public.
  const Exposure& ex = model_.exposure;
  n_pub_out_ = checked_u32(public_count(ex.output, n_out_, out.bits), "public output");
  n_pub_in_ = checked_u32(public_count(ex.input, n_in_, in.bits), "public input");
  const std::uint32_t pub_out_first = cs_.add_wires(n_pub_out_);
  const std::uint32_t pub_in_first = cs_.add_wires(n_pub_in_);
  out_first_ = ex.output == Visibility::public_values ? pub_out_first : cs_.add_wires(n_out_);
  in_first_ = ex.input == Visibility::public_values ? pub_in_first : cs_.add_wires(n_in_);
  const std::uint32_t out_first = out_first_, in_first = in_first_;
  auto& in_wires = wires_[static_cast<std::size_t>(model_.input)];
  for (std::uint32_t i = 0; i < n_in_; ++i) {
    in_wires.push_back(in_first + i);
    // A non-negative input needs one bit less: [0, 2^(bits-1)).
    Lc v = Lc::wire(in_first + i);
    if (!in.nonneg) v.add_constant(pow2(in.bits - 1));
    input_checks_.push_back(range_check(cs_, v, in.nonneg ? in.bits - 1 : in.bits));
  }
  summary_.layers.push_back({"input", "range check", cs_.n_constraints(), n_in_, 0});

  layers_.resize(model_.layers.size());
  producer_.assign(model_.tensors.size(), -1);
  for (std::size_t i = 0; i < model_.layers.size(); ++i) {
    const QLayer& l = model_.layers[i];
    const std::size_t before = cs_.n_constraints();
    std::uint64_t macs = 0;
    std::uint64_t outputs = static_cast<std::uint64_t>(shape_size(model_.tensor(l.output).shape));
    if (l.kind == LayerKind::Dense) macs = outputs * static_cast<std::uint64_t>(l.weight_shape[1]);
    if (l.kind == LayerKind::Conv)  // the kernel's own taps: a grouped or dilated kernel was spread with zeros
      macs = outputs * static_cast<std::uint64_t>(l.dims.empty() ? l.weight_shape[1] * l.weight_shape[2] * l.weight_shape[3]
                                                                  : l.dims[0]);
    if (l.kind == LayerKind::MatMul) macs = outputs * static_cast<std::uint64_t>(l.dims[2]);
    if (l.kind == LayerKind::Mul) macs = outputs;
    if (fuses_with_next_max_pool(i)) {
      const QLayer& pool = model_.layers[i + 1];
      build_fused_max_pool(l, pool, layers_[i]);
      layers_[i + 1].fused_into_previous = true;
      outputs = static_cast<std::uint64_t>(shape_size(model_.tensor(pool.output).shape));
      summary_.layers.push_back({l.name + "+" + pool.name, l.onnx_ops + "+MaxPool (fused)", cs_.n_constraints() - before, outputs, macs});
      ++i;
      continue;
    }
    build_layer(l, layers_[i]);
    producer_[static_cast<std::size_t>(l.output)] = static_cast<int>(i);
    summary_.layers.push_back({l.name, l.onnx_ops, cs_.n_constraints() - before, outputs, macs});
  }

  // The output wires are the last layer's values.
  std::size_t before = cs_.n_constraints();
  const auto& last = wires_[static_cast<std::size_t>(model_.output)];
  for (std::uint32_t i = 0; i < n_out_; ++i) cs_.constrain_equal(Lc::wire(out_first + i), Lc::wire(last[i]));
  // Packing needs every output value in its B-bit range (commitment.hpp);
  // a value whose rescale decomposed it has that bound already.
  if (ex.output != Visibility::public_values)
    for (std::uint32_t i = 0; i < n_out_; ++i)
      if (const auto b = value_bits(model_.output, i); !b || b->width > out.bits)
        output_checks_.push_back({i, range_check(cs_, Lc::wire(out_first + i).add_constant(pow2(out.bits - 1)), out.bits)});
  summary_.layers.push_back({"output", ex.output == Visibility::public_values ? "public outputs" : "output values",
                             cs_.n_constraints() - before, n_out_, 0});

  // The packed elements and commitments, with field coefficients.
  field_ = FieldR1cs(cs_.n_wires());
  auto expose = [&](Visibility v, std::uint32_t first, std::uint32_t n, int bits, std::uint32_t pub_first,
                    Exposed& e, const char* name) {
    if (v == Visibility::public_values) return;
    before = field_.n_constraints();
    std::vector<std::uint32_t> wires(n);
    for (std::uint32_t i = 0; i < n; ++i) wires[i] = first + i;
    e.packed = packed_combinations(wires, bits);
    if (v == Visibility::packed) {
      for (std::size_t j = 0; j < e.packed.size(); ++j)
        field_.constrain_equal(FieldLc::wire(pub_first + static_cast<std::uint32_t>(j)), e.packed[j]);
    } else {
      e.commitment = commitment_gadget(field_, e.packed);
      field_.constrain_equal(FieldLc::wire(pub_first), FieldLc::wire(e.commitment->output));
    }
    summary_.layers.push_back({name, v == Visibility::packed ? "packed" : "Poseidon commitment",
                               field_.n_constraints() - before, v == Visibility::packed ? e.packed.size() : 1, 0});
  };
  expose(ex.output, out_first, n_out_, out.bits, pub_out_first, exposed_out_, "output exposure");
  expose(ex.input, in_first, n_in_, in.bits, pub_in_first, exposed_in_, "input exposure");
  summary_.constraints = cs_.n_constraints() + field_.n_constraints();
  summary_.wires = field_.n_wires();
  summary_.public_outputs = n_pub_out_;
  summary_.public_inputs = n_pub_in_;
}

std::uint64_t ModelCircuit::public_count(Visibility v, std::uint64_t n_values, int bits) {
  switch (v) {
    case Visibility::public_values: return n_values;
    case Visibility::packed: return packed_elements(n_values, bits);
    case Visibility::hashed: return 1;
  }
  return n_values;
}

prover::R1cs ModelCircuit::r1cs() const {
  prover::R1cs r = cs_.to_r1cs(n_pub_out_, n_pub_in_);
  field_.append_to(r);
  return r;
}

std::vector<Lc> ModelCircuit::accumulators(const QLayer& l) const {
  const QTensor& xt = model_.tensor(l.inputs[0]);
  const QTensor& yt = model_.tensor(l.output);
  const std::vector<std::uint32_t>& x = wires_[static_cast<std::size_t>(l.inputs[0])];
  const std::int64_t n_y = shape_size(yt.shape);
  const Int mul = scale_of(l.shift).first;
  std::vector<Lc> accs;
  accs.reserve(static_cast<std::size_t>(n_y));
  switch (l.kind) {
    case LayerKind::Dense: {
      const std::int64_t n = l.weight_shape[0], k = l.weight_shape[1], rows = n_y / n;
      for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t o = 0; o < n; ++o) {
          Lc acc = Lc::constant(l.bias[static_cast<std::size_t>(o)] * mul);
          for (std::int64_t j = 0; j < k; ++j)
            acc.add(x[static_cast<std::size_t>(r * k + j)], l.weight[static_cast<std::size_t>(o * k + j)] * mul);
          accs.push_back(std::move(acc));
        }
      break;
    }
    case LayerKind::Conv: {
      const detail::WindowGeometry geo(xt.shape, yt.shape, l.window);
      const std::int64_t kh = l.window.kh, kw = l.window.kw;
      for (std::int64_t o = 0; o < l.weight_shape[0]; ++o)
        for (std::int64_t oy = 0; oy < geo.oh; ++oy)
          for (std::int64_t ox = 0; ox < geo.ow; ++ox) {
            Lc acc = Lc::constant(l.bias[static_cast<std::size_t>(o)] * mul);
            for (std::int64_t c = 0; c < geo.c; ++c)
              geo.for_each(oy, ox, [&](std::int64_t iy, std::int64_t ix, int ky, int kx) {
                acc.add(x[static_cast<std::size_t>((c * geo.h + iy) * geo.w + ix)],
                        l.weight[static_cast<std::size_t>(((o * geo.c + c) * kh + ky) * kw + kx)] * mul);
              });
            accs.push_back(std::move(acc));
          }
      break;
    }
    case LayerKind::Add:
      for (std::int64_t e = 0; e < n_y; ++e) {
        Lc acc = Lc::constant((l.bias.empty() ? 0 : l.bias[static_cast<std::size_t>(e)]) * mul);
        for (std::size_t k = 0; k < l.inputs.size(); ++k)
          acc.add(wires_[static_cast<std::size_t>(l.inputs[k])][static_cast<std::size_t>(e)],
                  pow2(l.input_shift[k]) * mul * (l.input_sign.empty() ? 1 : l.input_sign[k]));
        accs.push_back(std::move(acc));
      }
      break;
    case LayerKind::Scale:
      for (std::int64_t e = 0; e < n_y; ++e) {
        const auto i = static_cast<std::size_t>(e);
        Lc acc = Lc::constant(Int(l.bias[i]) * mul);
        acc.add(x[i], Int(l.weight[i]) * mul);
        accs.push_back(std::move(acc));
      }
      break;
    case LayerKind::ReduceSum:
    case LayerKind::ReduceMean: {
      const std::size_t group = l.select.size() / static_cast<std::size_t>(n_y);
      for (std::int64_t e = 0; e < n_y; ++e) {
        Lc acc;
        for (std::size_t j = 0; j < group; ++j) acc.add(x[static_cast<std::size_t>(l.select[static_cast<std::size_t>(e) * group + j])], mul);
        accs.push_back(std::move(acc));
      }
      break;
    }
    default:
      throw Error("internal: layer '" + l.name + "' has no accumulator");
  }
  return accs;
}

bool ModelCircuit::fuses_with_next_max_pool(std::size_t i) const {
  if (i + 1 >= model_.layers.size()) return false;
  const QLayer& l = model_.layers[i];
  const QLayer& next = model_.layers[i + 1];
  if (l.kind != LayerKind::Conv || next.kind != LayerKind::MaxPool || next.inputs[0] != l.output || l.output == model_.output)
    return false;
  for (const QLayer& other : model_.layers)
    for (int t : other.inputs)
      if (t == l.output && &other != &next) return false;  // the Conv's output is read elsewhere too
  return true;
}

// Conv [+ Relu] then MaxPool: rescale and Relu are monotone, so
// max(relu(rescale(acc))) = relu(rescale(max(acc))). The comparisons run on
// the accumulators (no constraint for the Conv itself) and only the window's
// maximum is rescaled: one rescale per pooled output instead of one per
// Conv output, at the price of wider comparisons.
void ModelCircuit::build_fused_max_pool(const QLayer& conv, const QLayer& pool, LayerGadgets& g) {
  const QTensor& yt = model_.tensor(conv.output);
  const std::vector<Lc> accs = accumulators(conv);
  const auto [mul, div] = scale_of(conv.shift);
  // Accumulators the rescale accepts lie in an interval of div·2^B values.
  const int diff_bits = std::countr_zero(static_cast<std::uint64_t>(div)) + yt.bits + 1;
  const detail::WindowGeometry geo(yt.shape, model_.tensor(pool.output).shape, pool.window);
  std::vector<std::uint32_t>& y = wires_[static_cast<std::size_t>(pool.output)];
  for (std::int64_t c = 0; c < geo.c; ++c)
    for (std::int64_t oy = 0; oy < geo.oh; ++oy)
      for (std::int64_t ox = 0; ox < geo.ow; ++ox) {
        g.max_begin.push_back(static_cast<std::uint32_t>(g.maxes.size()));
        const Lc* first = nullptr;
        Lc cur;
        geo.for_each(oy, ox, [&](std::int64_t iy, std::int64_t ix, int, int) {
          const Lc& a = accs[static_cast<std::size_t>((c * geo.h + iy) * geo.w + ix)];
          if (!first) {
            first = &a;
            cur = a;
            return;
          }
          g.maxes.push_back(max2(cs_, cur, a, diff_bits));
          cur = Lc::wire(g.maxes.back().out);
        });
        g.rescales.push_back(rescale(cs_, cur, div, yt.bits, conv.relu));
        y.push_back(g.rescales.back().out);
      }
  g.max_begin.push_back(static_cast<std::uint32_t>(g.maxes.size()));
  g.fused_max_pool = true;
}

void ModelCircuit::build_layer(const QLayer& l, LayerGadgets& g) {
  const QTensor& xt = model_.tensor(l.inputs[0]);
  const QTensor& yt = model_.tensor(l.output);
  const std::vector<std::uint32_t>& x = wires_[static_cast<std::size_t>(l.inputs[0])];
  std::vector<std::uint32_t>& y = wires_[static_cast<std::size_t>(l.output)];
  const std::int64_t n_y = shape_size(yt.shape);
  y.reserve(static_cast<std::size_t>(n_y));
  switch (l.kind) {
    case LayerKind::Dense:
    case LayerKind::Conv:
    case LayerKind::Add:
    case LayerKind::Scale:
    case LayerKind::ReduceSum: {
      const std::int64_t div = scale_of(l.shift).second;
      for (const Lc& acc : accumulators(l)) {
        g.rescales.push_back(rescale(cs_, acc, div, yt.bits, l.relu));
        y.push_back(g.rescales.back().out);
      }
      break;
    }
    case LayerKind::ReduceMean: {
      const auto group = static_cast<std::int64_t>(l.select.size()) / n_y;
      for (const Lc& acc : accumulators(l)) {
        g.rescales.push_back(rescale(cs_, acc, group, yt.bits, false));
        y.push_back(g.rescales.back().out);
      }
      break;
    }
    case LayerKind::Mul:
    case LayerKind::MatMul: {
      // acc = Σ_k a_k·b_k: products but the last on wires of their own; the
      // last one goes into the rescale's constraint.
      const auto [mul, div] = scale_of(l.shift);
      const std::vector<std::uint32_t>& x2 = wires_[static_cast<std::size_t>(l.inputs[1])];
      const std::int64_t batch = l.kind == LayerKind::Mul ? n_y : l.dims[0], m = l.kind == LayerKind::Mul ? 1 : l.dims[1];
      const std::int64_t k = l.kind == LayerKind::Mul ? 1 : l.dims[2], n = l.kind == LayerKind::Mul ? 1 : l.dims[3];
      for (std::int64_t b = 0; b < batch; ++b)
        for (std::int64_t i = 0; i < m; ++i)
          for (std::int64_t j = 0; j < n; ++j) {
            auto a_at = [&](std::int64_t t) { return x[static_cast<std::size_t>((b * m + i) * k + t)]; };
            auto b_at = [&](std::int64_t t) { return x2[static_cast<std::size_t>((b * k + t) * n + j)]; };
            Lc lin;
            for (std::int64_t t = 0; t + 1 < k; ++t) {
              const std::uint32_t p = cs_.add_wires(1);
              cs_.constrain(Lc::wire(a_at(t)), Lc::wire(b_at(t)), Lc::wire(p));
              g.products.push_back(p);
              lin.add(p, mul);
            }
            g.rescales.push_back(rescale_product(cs_, Lc::wire(a_at(k - 1), mul), Lc::wire(b_at(k - 1)), lin, div, yt.bits, l.relu));
            y.push_back(g.rescales.back().out);
          }
      break;
    }
    case LayerKind::ReduceMax: {
      const std::size_t group = l.select.size() / static_cast<std::size_t>(n_y);
      const int diff_bits = xt.bits + (xt.nonneg ? 0 : 1);
      for (std::int64_t e = 0; e < n_y; ++e) {
        g.max_begin.push_back(static_cast<std::uint32_t>(g.maxes.size()));
        std::uint32_t cur = x[static_cast<std::size_t>(l.select[static_cast<std::size_t>(e) * group])];
        for (std::size_t j = 1; j < group; ++j) {
          const std::uint32_t v = x[static_cast<std::size_t>(l.select[static_cast<std::size_t>(e) * group + j])];
          g.maxes.push_back(max2(cs_, Lc::wire(cur), Lc::wire(v), diff_bits));
          cur = g.maxes.back().out;
        }
        y.push_back(cur);
      }
      g.max_begin.push_back(static_cast<std::uint32_t>(g.maxes.size()));
      break;
    }
    case LayerKind::Max:
    case LayerKind::Min:
      // Inputs aligned to the output's scale lie in its B-bit range: differences in B + 1 bits.
      for (std::int64_t e = 0; e < n_y; ++e) {
        const auto i = static_cast<std::size_t>(e);
        auto aligned = [&](std::size_t k) { return Lc::wire(wires_[static_cast<std::size_t>(l.inputs[k])][i], pow2(l.input_shift[k])); };
        Lc cur = aligned(0);
        for (std::size_t k = 1; k < l.inputs.size(); ++k) {
          g.maxes.push_back(max2(cs_, cur, aligned(k), yt.bits + 1, l.kind == LayerKind::Min));
          cur = Lc::wire(g.maxes.back().out);
        }
        y.push_back(g.maxes.back().out);
      }
      break;
    case LayerKind::Softmax: {
      const auto n = static_cast<std::size_t>(l.dims[1]);
      y.assign(static_cast<std::size_t>(n_y), 0);
      std::vector<std::uint32_t> row(n);
      for (std::size_t r = 0; r < l.select.size(); r += n) {
        for (std::size_t j = 0; j < n; ++j) row[j] = x[static_cast<std::size_t>(l.select[r + j])];
        g.softmax_rows.push_back(softmax_row(cs_, row, xt.bits, xt.nonneg, l.softmax));
        for (std::size_t j = 0; j < n; ++j) y[static_cast<std::size_t>(l.select[r + j])] = g.softmax_rows.back().outs[j].out;
      }
      break;
    }
    case LayerKind::Exp: {
      const auto [mul, div] = scale_of(l.shift);
      for (std::int64_t e = 0; e < n_y; ++e) {
        Lc d = Lc::wire(x[static_cast<std::size_t>(e)]);  // d = x − M ≤ 0
        d.add_constant(-l.lo);
        g.smooths.push_back(smooth_activation(cs_, d, l.smooth, nullptr));
        // d's sign bit s is 1 for d ≥ 0: s·d = 0 leaves d = 0 the only non-negative d.
        const SmoothGadget& sg = g.smooths.back();
        cs_.constrain(Lc::wire(sg.x_bits.first + static_cast<std::uint32_t>(sg.x_bits.width - 1)), d, Lc{});
        g.rescales.push_back(rescale(cs_, Lc::wire(sg.out, Int(l.weight[0]) * mul), div, yt.bits, false));
        y.push_back(g.rescales.back().out);
      }
      break;
    }
    case LayerKind::Div:
    case LayerKind::Reciprocal: {
      // D < 2^(B_den − 1 + den_shift) when D ≥ 1.
      const int den_tensor = l.kind == LayerKind::Div ? l.inputs[1] : l.inputs[0];
      const int d_bits = model_.tensor(den_tensor).bits - 1 + l.input_shift[1];
      const std::vector<std::uint32_t>& den = wires_[static_cast<std::size_t>(den_tensor)];
      for (std::int64_t e = 0; e < n_y; ++e) {
        const auto i = static_cast<std::size_t>(e);
        const Lc num = l.kind == LayerKind::Div ? Lc::wire(x[i], pow2(l.input_shift[0])) : Lc::constant(pow2(l.input_shift[0]));
        g.divisions.push_back(divide(cs_, num, Lc::wire(den[i], pow2(l.input_shift[1])), d_bits, yt.bits));
        y.push_back(g.divisions.back().out);
      }
      break;
    }
    case LayerKind::Sqrt:
      for (std::int64_t e = 0; e < n_y; ++e) {
        g.roots.push_back(isqrt(cs_, Lc::wire(x[static_cast<std::size_t>(e)], pow2(l.shift)), yt.bits - 1));
        y.push_back(g.roots.back().out);
      }
      break;
    case LayerKind::Embedding:
      for (std::uint32_t id : x) {
        g.lookups.push_back(embedding(cs_, id, l.weight, l.dims[0], l.dims[1]));
        for (std::int64_t j = 0; j < l.dims[1]; ++j) y.push_back(g.lookups.back().out + static_cast<std::uint32_t>(j));
      }
      break;
    case LayerKind::LayerNorm: {
      const auto n = static_cast<std::size_t>(l.dims[1]);
      y.assign(static_cast<std::size_t>(n_y), 0);
      std::vector<std::uint32_t> row(n);
      std::vector<std::int64_t> gs(n), bs(n);
      for (std::size_t r = 0; r < l.select.size(); r += n) {
        for (std::size_t j = 0; j < n; ++j) {
          const auto p = static_cast<std::size_t>(l.select[r + j]);
          row[j] = x[p];
          gs[j] = l.weight[p];
          bs[j] = l.bias[p];
        }
        g.layer_norm_rows.push_back(layer_norm_row(cs_, row, gs, bs, l.layer_norm));
        for (std::size_t j = 0; j < n; ++j) y[static_cast<std::size_t>(l.select[r + j])] = g.layer_norm_rows.back().outs[j].out;
      }
      break;
    }
    case LayerKind::Clip:
      for (std::int64_t e = 0; e < n_y; ++e) {
        g.clips.push_back(clip(cs_, x[static_cast<std::size_t>(e)], xt.bits, l.lo, l.hi));
        y.push_back(g.clips.back().out);
      }
      break;
    case LayerKind::LeakyRelu:
      if (xt.nonneg) {  // x ≥ 0: the identity
        y = x;
        break;
      }
      for (std::int64_t e = 0; e < n_y; ++e) {
        const auto i = static_cast<std::size_t>(e);
        const std::optional<Bits> bits = value_bits(l.inputs[0], i);
        g.leaky.push_back(leaky_relu(cs_, x[i], xt.bits, bits ? &*bits : nullptr, l.weight[i], l.shift, yt.bits));
        y.push_back(g.leaky.back().out);
      }
      break;
    case LayerKind::Relu:
      if (xt.nonneg) {  // already ≥ 0: Relu is the identity
        y = x;
        break;
      }
      for (std::int64_t e = 0; e < n_y; ++e) {
        g.rescales.push_back(rescale(cs_, Lc::wire(x[static_cast<std::size_t>(e)]), 1, xt.bits, true));
        y.push_back(g.rescales.back().out);
      }
      break;
    case LayerKind::MaxPool: {
      const detail::WindowGeometry geo(xt.shape, yt.shape, l.window);
      const int diff_bits = xt.bits + (xt.nonneg ? 0 : 1);
      for (std::int64_t c = 0; c < geo.c; ++c)
        for (std::int64_t oy = 0; oy < geo.oh; ++oy)
          for (std::int64_t ox = 0; ox < geo.ow; ++ox) {
            g.max_begin.push_back(static_cast<std::uint32_t>(g.maxes.size()));
            std::int64_t cur = -1;
            geo.for_each(oy, ox, [&](std::int64_t iy, std::int64_t ix, int, int) {
              const std::uint32_t v = x[static_cast<std::size_t>((c * geo.h + iy) * geo.w + ix)];
              if (cur < 0) {
                cur = v;
                return;
              }
              g.maxes.push_back(max2(cs_, Lc::wire(static_cast<std::uint32_t>(cur)), Lc::wire(v), diff_bits));
              cur = g.maxes.back().out;
            });
            y.push_back(static_cast<std::uint32_t>(cur));
          }
      g.max_begin.push_back(static_cast<std::uint32_t>(g.maxes.size()));
      break;
    }
    case LayerKind::AvgPool: {
      const detail::WindowGeometry geo(xt.shape, yt.shape, l.window);
      for (std::int64_t c = 0; c < geo.c; ++c)
        for (std::int64_t oy = 0; oy < geo.oh; ++oy)
          for (std::int64_t ox = 0; ox < geo.ow; ++ox) {
            Lc sum;
            geo.for_each(oy, ox, [&](std::int64_t iy, std::int64_t ix, int, int) {
              sum.add(x[static_cast<std::size_t>((c * geo.h + iy) * geo.w + ix)], 1);
            });
            const std::int64_t d = l.window.count_include_pad ? l.window.kh * l.window.kw : geo.valid_count(oy, ox);
            g.rescales.push_back(rescale(cs_, sum, d, yt.bits, false));
            y.push_back(g.rescales.back().out);
          }
      break;
    }
    case LayerKind::Reshape:
      y = x;
      break;
    case LayerKind::Select:
      // A constant gets a wire fixed to its value, read by every output that takes it.
      g.select_constants = cs_.add_wires(checked_u32(static_cast<std::int64_t>(l.weight.size()), "constants"));
      for (std::size_t j = 0; j < l.weight.size(); ++j)
        cs_.constrain_equal(Lc::wire(g.select_constants + static_cast<std::uint32_t>(j)), Lc::constant(Int(l.weight[j])));
      for (std::size_t e = 0; e < l.select.size(); ++e) {
        const auto [k, i] = select_source(l, e);
        if (k == l.inputs.size()) {
          g.select_rescale.push_back(-1);
          y.push_back(g.select_constants + static_cast<std::uint32_t>(i));
          continue;
        }
        const std::uint32_t v = wires_[static_cast<std::size_t>(l.inputs[k])][i];
        if (l.input_shift[k] == 0) {
          g.select_rescale.push_back(-1);
          y.push_back(v);
          continue;
        }
        g.select_rescale.push_back(static_cast<std::int32_t>(g.rescales.size()));
        g.rescales.push_back(rescale(cs_, Lc::wire(v), std::int64_t(1) << l.input_shift[k], yt.bits, false));
        y.push_back(g.rescales.back().out);
      }
      break;
    case LayerKind::Sigmoid:
    case LayerKind::Tanh:
    case LayerKind::Erf:
    case LayerKind::Gelu:
    case LayerKind::GeluTanh:
      for (std::int64_t e = 0; e < n_y; ++e) {
        const auto i = static_cast<std::size_t>(e);
        const std::optional<Bits> bits = value_bits(l.inputs[0], i);
        g.smooths.push_back(smooth_activation(cs_, Lc::wire(x[i]), l.smooth, bits ? &*bits : nullptr));
        y.push_back(g.smooths.back().out);
      }
      break;
    case LayerKind::BatchNorm:
    case LayerKind::Pad:
      throw Error("internal: layer '" + l.name + "' was not folded");
  }
  if (static_cast<std::int64_t>(y.size()) != n_y) throw Error("internal: layer '" + l.name + "' produced the wrong number of wires");
}

void ModelCircuit::assign_layer(const QLayer& l, const LayerGadgets& g, const QuantizedRun& run,
                                std::span<std::int64_t> w) const {
  const std::size_t li = static_cast<std::size_t>(&l - model_.layers.data());
  if (g.fused_into_previous) return;
  if (g.fused_max_pool) {
    const QLayer& pool = model_.layers[li + 1];
    const std::vector<std::int64_t>& acc = run.acc[li];
    const std::vector<std::int64_t>& y = run.values[static_cast<std::size_t>(pool.output)];
    const Int mul = scale_of(l.shift).first;
    const detail::WindowGeometry geo(model_.tensor(l.output).shape, model_.tensor(pool.output).shape, pool.window);
    std::size_t e = 0;
    for (std::int64_t c = 0; c < geo.c; ++c)
      for (std::int64_t oy = 0; oy < geo.oh; ++oy)
        for (std::int64_t ox = 0; ox < geo.ow; ++ox, ++e) {
          std::size_t k = g.max_begin[e];
          bool first = true;
          Int cur = 0;
          geo.for_each(oy, ox, [&](std::int64_t iy, std::int64_t ix, int, int) {
            const Int v = Int(acc[static_cast<std::size_t>((c * geo.h + iy) * geo.w + ix)]) * mul;
            if (first) {
              cur = v;
              first = false;
              return;
            }
            cur = assign_max2(g.maxes[k++], cur, v, w);
          });
          const std::int64_t out = assign_rescale(g.rescales[e], cur, w);
          if (out != y[e])
            throw Error("internal: layer '" + l.name + "' (fused with its max pool) output " + std::to_string(e) +
                        ": the circuit computes " + std::to_string(out) + ", the evaluator " + std::to_string(y[e]));
        }
    return;
  }
  const std::vector<std::int64_t>& x = run.values[static_cast<std::size_t>(l.inputs[0])];
  const std::vector<std::int64_t>& y = run.values[static_cast<std::size_t>(l.output)];
  auto expect = [&](std::size_t e, std::int64_t got) {
    if (got != y[e])
      throw Error("internal: layer '" + l.name + "' output " + std::to_string(e) + ": the circuit computes " +
                  std::to_string(got) + ", the evaluator " + std::to_string(y[e]));
  };
  switch (l.kind) {
    case LayerKind::Dense:
    case LayerKind::Conv:
    case LayerKind::Add:
    case LayerKind::Scale:
    case LayerKind::ReduceSum: {
      const Int mul = scale_of(l.shift).first;
      for (std::size_t e = 0; e < g.rescales.size(); ++e)
        expect(e, assign_rescale(g.rescales[e], Int(run.acc[li][e]) * mul, w));
      break;
    }
    case LayerKind::ReduceMean:
      for (std::size_t e = 0; e < g.rescales.size(); ++e) expect(e, assign_rescale(g.rescales[e], run.acc[li][e], w));
      break;
    case LayerKind::Mul:
    case LayerKind::MatMul: {
      const Int mul = scale_of(l.shift).first;
      const std::vector<std::int64_t>& x2 = run.values[static_cast<std::size_t>(l.inputs[1])];
      const std::int64_t m = l.kind == LayerKind::Mul ? 1 : l.dims[1], k = l.kind == LayerKind::Mul ? 1 : l.dims[2];
      const std::int64_t n = l.kind == LayerKind::Mul ? 1 : l.dims[3];
      std::size_t p = 0;
      for (std::size_t e = 0; e < g.rescales.size(); ++e) {
        const std::int64_t b = static_cast<std::int64_t>(e) / (m * n), i = static_cast<std::int64_t>(e) / n % m,
                           j = static_cast<std::int64_t>(e) % n;
        for (std::int64_t t = 0; t + 1 < k; ++t)
          w[g.products[p++]] = x[static_cast<std::size_t>((b * m + i) * k + t)] * x2[static_cast<std::size_t>((b * k + t) * n + j)];
        expect(e, assign_rescale(g.rescales[e], Int(run.acc[li][e]) * mul, w));
      }
      break;
    }
    case LayerKind::ReduceMax: {
      const std::size_t group = l.select.size() / y.size();
      for (std::size_t e = 0; e < y.size(); ++e) {
        std::size_t k = g.max_begin[e];
        Int cur = x[static_cast<std::size_t>(l.select[e * group])];
        for (std::size_t j = 1; j < group; ++j) cur = assign_max2(g.maxes[k++], cur, x[static_cast<std::size_t>(l.select[e * group + j])], w);
        expect(e, static_cast<std::int64_t>(cur));
      }
      break;
    }
    case LayerKind::Max:
    case LayerKind::Min: {
      std::size_t k = 0;
      for (std::size_t e = 0; e < y.size(); ++e) {
        auto aligned = [&](std::size_t t) { return Int(run.values[static_cast<std::size_t>(l.inputs[t])][e]) << l.input_shift[t]; };
        Int cur = aligned(0);
        for (std::size_t t = 1; t < l.inputs.size(); ++t) cur = assign_max2(g.maxes[k++], cur, aligned(t), w);
        expect(e, static_cast<std::int64_t>(cur));
      }
      break;
    }
    case LayerKind::Softmax: {
      const auto n = static_cast<std::size_t>(l.dims[1]);
      std::vector<std::int64_t> row(n), out(n);
      for (std::size_t r = 0; r < l.select.size(); r += n) {
        for (std::size_t j = 0; j < n; ++j) row[j] = x[static_cast<std::size_t>(l.select[r + j])];
        assign_softmax_row(g.softmax_rows[r / n], l.softmax, row, out, w);
        for (std::size_t j = 0; j < n; ++j) expect(static_cast<std::size_t>(l.select[r + j]), out[j]);
      }
      break;
    }
    case LayerKind::Exp: {
      const Int mul = scale_of(l.shift).first;
      for (std::size_t e = 0; e < g.smooths.size(); ++e) {
        const std::int64_t v = assign_smooth(g.smooths[e], l.smooth, x[e] - l.lo, w);
        expect(e, assign_rescale(g.rescales[e], Int(v) * l.weight[0] * mul, w));
      }
      break;
    }
    case LayerKind::Div:
    case LayerKind::Reciprocal:
      for (std::size_t e = 0; e < g.divisions.size(); ++e) {
        const Int num = l.kind == LayerKind::Div ? Int(x[e]) << l.input_shift[0] : Int(1) << l.input_shift[0];
        const Int den = Int(l.kind == LayerKind::Div ? run.values[static_cast<std::size_t>(l.inputs[1])][e] : x[e]) << l.input_shift[1];
        expect(e, assign_divide(g.divisions[e], num, den, w));
      }
      break;
    case LayerKind::Sqrt:
      for (std::size_t e = 0; e < g.roots.size(); ++e) expect(e, assign_isqrt(g.roots[e], Int(x[e]) << l.shift, w));
      break;
    case LayerKind::Embedding:
      for (std::size_t i = 0; i < g.lookups.size(); ++i) {
        assign_embedding(g.lookups[i], x[i], l.weight, l.dims[0], l.dims[1], w);
        for (std::int64_t j = 0; j < l.dims[1]; ++j) {
          const std::size_t e = i * static_cast<std::size_t>(l.dims[1]) + static_cast<std::size_t>(j);
          expect(e, w[g.lookups[i].out + static_cast<std::uint32_t>(j)]);
        }
      }
      break;
    case LayerKind::LayerNorm: {
      const auto n = static_cast<std::size_t>(l.dims[1]);
      std::vector<std::int64_t> row(n), gs(n), bs(n), out(n);
      for (std::size_t r = 0; r < l.select.size(); r += n) {
        for (std::size_t j = 0; j < n; ++j) {
          const auto p = static_cast<std::size_t>(l.select[r + j]);
          row[j] = x[p];
          gs[j] = l.weight[p];
          bs[j] = l.bias[p];
        }
        assign_layer_norm_row(g.layer_norm_rows[r / n], l.layer_norm, row, gs, bs, out, w);
        for (std::size_t j = 0; j < n; ++j) expect(static_cast<std::size_t>(l.select[r + j]), out[j]);
      }
      break;
    }
    case LayerKind::Clip:
      for (std::size_t e = 0; e < g.clips.size(); ++e) expect(e, assign_clip(g.clips[e], x[e], l.lo, l.hi, w));
      break;
    case LayerKind::LeakyRelu:
      for (std::size_t e = 0; e < g.leaky.size(); ++e)
        expect(e, assign_leaky_relu(g.leaky[e], x[e], model_.tensor(l.inputs[0]).bits, w));
      break;
    case LayerKind::Relu:
      for (std::size_t e = 0; e < g.rescales.size(); ++e) expect(e, assign_rescale(g.rescales[e], x[e], w));
      break;
    case LayerKind::AvgPool:
      for (std::size_t e = 0; e < g.rescales.size(); ++e) expect(e, assign_rescale(g.rescales[e], run.acc[li][e], w));
      break;
    case LayerKind::MaxPool: {
      const QTensor& xt = model_.tensor(l.inputs[0]);
      const detail::WindowGeometry geo(xt.shape, model_.tensor(l.output).shape, l.window);
      std::size_t e = 0;
      for (std::int64_t c = 0; c < geo.c; ++c)
        for (std::int64_t oy = 0; oy < geo.oh; ++oy)
          for (std::int64_t ox = 0; ox < geo.ow; ++ox, ++e) {
            std::size_t k = g.max_begin[e];
            bool first = true;
            Int cur = 0;
            geo.for_each(oy, ox, [&](std::int64_t iy, std::int64_t ix, int, int) {
              const Int v = x[static_cast<std::size_t>((c * geo.h + iy) * geo.w + ix)];
              if (first) {
                cur = v;
                first = false;
                return;
              }
              cur = assign_max2(g.maxes[k++], cur, v, w);
            });
            expect(e, static_cast<std::int64_t>(cur));
          }
      break;
    }
    case LayerKind::Sigmoid:
    case LayerKind::Tanh:
    case LayerKind::Erf:
    case LayerKind::Gelu:
    case LayerKind::GeluTanh:
      for (std::size_t e = 0; e < g.smooths.size(); ++e) expect(e, assign_smooth(g.smooths[e], l.smooth, x[e], w));
      break;
    case LayerKind::Select:
      for (std::size_t j = 0; j < l.weight.size(); ++j) w[g.select_constants + j] = l.weight[j];
      for (std::size_t e = 0; e < g.select_rescale.size(); ++e) {
        if (g.select_rescale[e] < 0) continue;
        const auto [k, i] = select_source(l, e);
        const std::int64_t v = run.values[static_cast<std::size_t>(l.inputs[k])][i];
        expect(e, assign_rescale(g.rescales[static_cast<std::size_t>(g.select_rescale[e])], v, w));
      }
      break;
    case LayerKind::Reshape:
    case LayerKind::BatchNorm:
    case LayerKind::Pad:
      break;
  }
}

std::pair<std::size_t, std::size_t> ModelCircuit::select_source(const QLayer& l, std::size_t e) const {
  auto pos = static_cast<std::size_t>(l.select[e]);
  std::size_t k = 0;  // k = inputs.size(): the constants
  while (k < l.inputs.size() && pos >= wires_[static_cast<std::size_t>(l.inputs[k])].size())
    pos -= wires_[static_cast<std::size_t>(l.inputs[k++])].size();
  return {k, pos};
}

std::optional<Bits> ModelCircuit::value_bits(int tensor, std::size_t e) const {
  const int p = producer_[static_cast<std::size_t>(tensor)];
  if (p < 0) return std::nullopt;
  const QLayer& l = model_.layers[static_cast<std::size_t>(p)];
  const LayerGadgets& g = layers_[static_cast<std::size_t>(p)];
  const bool rescaled = l.kind == LayerKind::Dense || l.kind == LayerKind::Conv || l.kind == LayerKind::Add ||
                        l.kind == LayerKind::Scale || l.kind == LayerKind::AvgPool || l.kind == LayerKind::Mul ||
                        l.kind == LayerKind::MatMul || l.kind == LayerKind::ReduceSum || l.kind == LayerKind::ReduceMean;
  if (!rescaled || l.relu || g.fused_max_pool || e >= g.rescales.size()) return std::nullopt;
  // d = 2^s: the top B of its s + B bits are out + 2^(B−1); other d: the quotient's B bits are.
  const Rescale& r = g.rescales[e];
  return Bits{r.bits.first + static_cast<std::uint32_t>(r.shift > 0 ? r.shift : 0), r.out_bits};
}

std::vector<std::int64_t> ModelCircuit::assign(const QuantizedRun& run) const {
  std::vector<std::int64_t> w(cs_.n_wires(), 0);
  w[0] = 1;
  const auto& out = run.values[static_cast<std::size_t>(model_.output)];
  const auto& in = run.values[static_cast<std::size_t>(model_.input)];
  if (out.size() != n_out_ || in.size() != n_in_) throw Error("internal: run does not fit the circuit");
  for (std::uint32_t i = 0; i < n_out_; ++i) w[out_first_ + i] = out[i];
  const QTensor& in_t = model_.tensor(model_.input);
  for (std::uint32_t i = 0; i < n_in_; ++i) {
    w[in_first_ + i] = in[i];
    assign_bits(input_checks_[i], Int(in[i]) + (in_t.nonneg ? 0 : pow2(in_t.bits - 1)), w);
  }
  for (std::size_t i = 0; i < model_.layers.size(); ++i) assign_layer(model_.layers[i], layers_[i], run, w);
  const QTensor& out_t = model_.tensor(model_.output);
  for (const auto& [i, bits] : output_checks_) assign_bits(bits, Int(out[i]) + pow2(out_t.bits - 1), w);
  const std::int64_t bad = cs_.first_unsatisfied(w);
  if (bad >= 0) throw Error("internal: the witness does not satisfy constraint " + std::to_string(bad));
  return w;
}

prover::Witness ModelCircuit::witness(const QuantizedRun& run) const {
  const std::vector<std::int64_t> ints = assign(run);
  std::vector<Fr> w(field_.n_wires(), Fr::zero());
  for (std::size_t i = 0; i < ints.size(); ++i) w[i] = int_to_fr(ints[i]);
  // The public wires of a side that is not public: its packed elements or
  // its commitment (the wires cs_ left at 0: no integer constraint reads them).
  auto fill = [&](Visibility v, const Exposed& e, std::uint32_t pub_first) {
    if (v == Visibility::packed)
      for (std::size_t j = 0; j < e.packed.size(); ++j) w[pub_first + j] = e.packed[j].evaluate(w);
    if (v == Visibility::hashed) {
      assign_commitment(*e.commitment, w);
      w[pub_first] = w[e.commitment->output];
    }
  };
  fill(model_.exposure.output, exposed_out_, 1);
  fill(model_.exposure.input, exposed_in_, 1 + n_pub_out_);
  const std::int64_t bad = field_.first_unsatisfied(w);
  if (bad >= 0) throw Error("internal: the witness does not satisfy field constraint " + std::to_string(bad));
  prover::Witness out;
  out.values.reserve(w.size());
  for (const Fr& v : w) out.values.push_back(v.to_canonical());
  return out;
}

prover::Witness ModelCircuit::to_witness(std::span<const std::int64_t> wires) {
  prover::Witness out;
  out.values.reserve(wires.size());
  for (std::int64_t v : wires) out.values.push_back(int_to_fr(v).to_canonical());
  return out;
}

}  // namespace zkacc::zkml
