// An embedding lookup: Gather(table, ids) with the table a constant [V, D]
// and the ids the model's integer input (int64/int32 token ids, frac 0).
// The importer's mapping is in host/src/zkml/ops/embedding.cpp.
//
// Integer semantics: y[i, :] = T_q[x_i, :], T_q the table at its own frac
// (the output's: every value fits the activation bits); an id outside
// [0, V) is an error when the witness is made.
// Gadget per id (V + 2 + D constraints): a one-hot vector b_0 … b_(V−1) of
// booleans with Σ b_k = 1 and Σ k·b_k = x_i, so exactly the bit at x_i is
// set (Σ k·b_k ≤ V − 1 cannot wrap the field); each output
// y_j = Σ_k T_q[k, j]·b_k, one linear constraint (the table's values are
// coefficients fixed by the verification key, not wires).
#pragma once

#include <cstdint>
#include <span>

#include "zkacc/zkml/r1cs_builder.hpp"

namespace zkacc::zkml {

struct EmbeddingGadget {
  std::uint32_t one_hot = 0;  // V consecutive boolean wires
  std::uint32_t out = 0;      // D consecutive output wires
};
// table: V·D integers, row-major.
EmbeddingGadget embedding(R1csBuilder& cs, std::uint32_t id, std::span<const std::int64_t> table, std::int64_t v, std::int64_t d);
void assign_embedding(const EmbeddingGadget& g, std::int64_t id, std::span<const std::int64_t> table, std::int64_t v,
                      std::int64_t d, std::span<std::int64_t> w);

}  // namespace zkacc::zkml
