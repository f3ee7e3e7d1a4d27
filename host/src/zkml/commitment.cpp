#include "zkacc/zkml/commitment.hpp"

#include <string>

#include "zkacc/common/error.hpp"
#include "zkacc/prover/poseidon.hpp"
#include "zkacc/zkml/r1cs_builder.hpp"

namespace zkacc::zkml {
namespace {

// 2^253 < r: the widest packed element that cannot wrap.
constexpr int kPackBits = 253;

Fr pow2_fr(int e) {
  Fr p = Fr::one();
  for (int i = 0; i < e; ++i) p = p + p;
  return p;
}

// The links of the chain: [0, 16), then 15 more at a time (the previous
// link's output takes the first slot).
template <class F>
void for_each_link(std::size_t m, F&& f) {
  const std::size_t first = std::min<std::size_t>(m, prover::kPoseidonMaxInputs);
  f(0, first, false);
  for (std::size_t at = first; at < m;) {
    const std::size_t take = std::min<std::size_t>(m - at, prover::kPoseidonMaxInputs - 1);
    f(at, at + take, true);
    at += take;
  }
}

}  // namespace

std::size_t values_per_element(int bits) {
  if (bits < 1 || bits > 64) throw Error("packing: " + std::to_string(bits) + "-bit values are not supported (1 to 64)");
  return static_cast<std::size_t>(kPackBits / bits);
}

std::size_t packed_elements(std::size_t n_values, int bits) {
  const std::size_t k = values_per_element(bits);
  return (n_values + k - 1) / k;
}

std::vector<Fr> pack_values(std::span<const std::int64_t> values, int bits) {
  const std::size_t k = values_per_element(bits);
  const Int half = Int(1) << (bits - 1);
  const Fr base = pow2_fr(bits);
  std::vector<Fr> out(packed_elements(values.size(), bits), Fr::zero());
  for (std::size_t j = 0; j < out.size(); ++j) {
    Fr weight = Fr::one();
    for (std::size_t i = j * k; i < std::min(values.size(), (j + 1) * k); ++i) {
      const Int v = values[i];
      if (v < -half || v >= half)
        throw Error("packing: value " + std::to_string(values[i]) + " (index " + std::to_string(i) + ") is outside the " +
                    std::to_string(bits) + "-bit range");
      out[j] = out[j] + int_to_fr(v + half) * weight;
      weight = weight * base;
    }
  }
  return out;
}

Fr poseidon_chain(std::span<const Fr> elements) {
  if (elements.empty()) throw Error("commitment: nothing to commit to");
  Fr h = Fr::zero();
  for_each_link(elements.size(), [&](std::size_t lo, std::size_t hi, bool chained) {
    std::vector<Fr> in;
    if (chained) in.push_back(h);
    in.insert(in.end(), elements.begin() + static_cast<std::ptrdiff_t>(lo), elements.begin() + static_cast<std::ptrdiff_t>(hi));
    h = prover::poseidon_hash(in);
  });
  return h;
}

std::vector<Fr> exposed_values(Visibility v, std::span<const std::int64_t> values, int bits) {
  switch (v) {
    case Visibility::public_values: {
      std::vector<Fr> out;
      out.reserve(values.size());
      for (std::int64_t x : values) out.push_back(int_to_fr(x));
      return out;
    }
    case Visibility::packed: return pack_values(values, bits);
    case Visibility::hashed: {
      const std::vector<Fr> packed = pack_values(values, bits);
      return {poseidon_chain(packed)};
    }
  }
  throw Error("exposed_values: unknown visibility");
}

std::vector<FieldLc> packed_combinations(std::span<const std::uint32_t> wires, int bits) {
  const std::size_t k = values_per_element(bits);
  const Fr half = pow2_fr(bits - 1), base = pow2_fr(bits);
  std::vector<FieldLc> out(packed_elements(wires.size(), bits));
  for (std::size_t j = 0; j < out.size(); ++j) {
    Fr weight = Fr::one();
    for (std::size_t i = j * k; i < std::min(wires.size(), (j + 1) * k); ++i) {
      out[j].add(wires[i], weight);
      out[j].add_constant(half * weight);
      weight = weight * base;
    }
  }
  return out;
}

CommitmentGadget commitment_gadget(FieldR1cs& cs, std::span<const FieldLc> elements) {
  if (elements.empty()) throw Error("commitment: nothing to commit to");
  CommitmentGadget g;
  for_each_link(elements.size(), [&](std::size_t lo, std::size_t hi, bool chained) {
    std::vector<FieldLc> in;
    if (chained) in.push_back(FieldLc::wire(g.links.back().output));
    in.insert(in.end(), elements.begin() + static_cast<std::ptrdiff_t>(lo), elements.begin() + static_cast<std::ptrdiff_t>(hi));
    g.links.push_back(poseidon_gadget(cs, in));
  });
  g.output = g.links.back().output;
  return g;
}

void assign_commitment(const CommitmentGadget& g, std::span<Fr> w) {
  for (const PoseidonGadget& link : g.links) assign_poseidon(link, w);
}

}  // namespace zkacc::zkml
