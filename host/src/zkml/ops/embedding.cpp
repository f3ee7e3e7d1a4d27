// Embedding lookups (ops/embedding.hpp): the ONNX Gather with a constant
// table and input-dependent indices, its float reference (float_eval.cpp),
// integer semantics (qeval.cpp) and gadget.
#include "zkacc/zkml/ops/embedding.hpp"

#include "../importer.hpp"
#include "zkacc/common/error.hpp"

namespace zkacc::zkml {

EmbeddingGadget embedding(R1csBuilder& cs, std::uint32_t id, std::span<const std::int64_t> table, std::int64_t v, std::int64_t d) {
  EmbeddingGadget g;
  g.one_hot = cs.add_wires(static_cast<std::uint32_t>(v));
  Lc ones, index;
  for (std::int64_t k = 0; k < v; ++k) {
    const std::uint32_t b = g.one_hot + static_cast<std::uint32_t>(k);
    cs.constrain_boolean(b);
    ones.add(b, 1);
    index.add(b, k);
  }
  cs.constrain_equal(ones, Lc::constant(1));
  cs.constrain_equal(index, Lc::wire(id));
  g.out = cs.add_wires(static_cast<std::uint32_t>(d));
  for (std::int64_t j = 0; j < d; ++j) {
    Lc row;
    for (std::int64_t k = 0; k < v; ++k) row.add(g.one_hot + static_cast<std::uint32_t>(k), table[static_cast<std::size_t>(k * d + j)]);
    cs.constrain_equal(Lc::wire(g.out + static_cast<std::uint32_t>(j)), row);
  }
  return g;
}

void assign_embedding(const EmbeddingGadget& g, std::int64_t id, std::span<const std::int64_t> table, std::int64_t v,
                      std::int64_t d, std::span<std::int64_t> w) {
  if (id < 0 || id >= v) throw Error("internal: an embedding index outside its table");
  for (std::int64_t k = 0; k < v; ++k) w[g.one_hot + static_cast<std::uint32_t>(k)] = k == id ? 1 : 0;
  for (std::int64_t j = 0; j < d; ++j) w[g.out + static_cast<std::uint32_t>(j)] = table[static_cast<std::size_t>(id * d + j)];
}

}  // namespace zkacc::zkml

namespace zkacc::zkml::detail {

// Gather(data, indices; axis = 0) with data a constant [V, D] table and the
// indices the model's integer input: an Embedding layer, output
// indices.shape + [D]. Indices computed inside the graph are refused: only
// the input's range check makes them integers.
void import_embedding(Importer& im, const onnx::NodeProto& n) {
  const auto a = im.attrs(n, {"axis"});
  im.only_first_output(n);
  const int ids = im.act_input(n, 1);
  if (ids != im.g_.input || !im.g_.input_integer)
    im.fail_node(n, "indices computed inside the graph are not supported (zkacc looks up an embedding by the model's "
                    "int64/int32 input, or by constant indices)");
  if (im.input(n, 0).kind != Value::kConst)
    im.fail_node(n, "gathers from an activation by input indices; zkacc supports a constant table (an embedding)");
  const Const& table = im.const_input(n, 0, "table");
  if (table.shape.size() != 2 || normalize_axis(im, n, im.attr_int(n, a, "axis", 0), 2) != 0)
    im.fail_node(n, "table of shape " + shape_str(table.shape) + "; zkacc supports a [V, D] table gathered along axis 0");
  if (table.shape[0] > (std::int64_t(1) << 20))
    im.fail_node(n, "a table of " + std::to_string(table.shape[0]) + " rows (zkacc takes up to 2^20)");
  Layer l;
  l.kind = LayerKind::Embedding;
  l.onnx_ops = "Gather";
  l.inputs = {ids};
  l.weight.shape = table.shape;
  l.weight.data = table.v;
  l.dims = table.shape;
  Shape out = im.shape_of(ids);
  out.push_back(table.shape[1]);
  im.add_layer(std::move(l), n, out);
}

}  // namespace zkacc::zkml::detail
