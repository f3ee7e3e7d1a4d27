#include "zkacc/prover/batch.hpp"

#include <string>

#include "zkacc/common/error.hpp"

namespace zkacc::prover {

BatchLayout::BatchLayout(const R1cs& one, std::uint32_t copies)
    : copies_(copies), wires_(one.n_wires), pub_out_(one.n_pub_out), pub_in_(one.n_pub_in) {
  if (copies == 0) throw Error("a batch needs at least one instance");
  if (one.n_wires == 0 || one.n_public() >= one.n_wires) throw Error("internal: a batch of a circuit without private wires");
  const std::uint64_t total = 1 + std::uint64_t(copies) * (one.n_wires - 1);
  const std::uint64_t constraints = std::uint64_t(copies) * one.n_constraints;
  if (total >= (std::uint64_t(1) << 32) || constraints >= (std::uint64_t(1) << 32))
    throw Error("a batch of " + std::to_string(copies) + " instances of a circuit of " + std::to_string(one.n_wires) +
                " wires and " + std::to_string(one.n_constraints) + " constraints has more than 2^32 wires or constraints");
}

std::uint32_t BatchLayout::n_wires() const { return 1 + copies_ * (wires_ - 1); }

std::uint32_t BatchLayout::wire(std::uint32_t copy, std::uint32_t w) const {
  if (w == 0) return 0;
  if (w <= pub_out_) return 1 + copy * pub_out_ + (w - 1);
  const std::uint32_t pub = pub_out_ + pub_in_;
  if (w <= pub) return 1 + copies_ * pub_out_ + copy * pub_in_ + (w - 1 - pub_out_);
  return 1 + copies_ * pub + copy * (wires_ - 1 - pub) + (w - 1 - pub);
}

R1cs BatchLayout::r1cs(const R1cs& one) const {
  R1cs r;
  r.n_wires = n_wires();
  r.n_pub_out = copies_ * pub_out_;
  r.n_pub_in = copies_ * pub_in_;
  r.n_prv_in = 0;  // a copy's private inputs are not contiguous in the batch: they count as its internal wires
  r.n_labels = r.n_wires;
  r.n_constraints = copies_ * one.n_constraints;
  r.terms.reserve(one.terms.size() * copies_);
  r.offsets.reserve((one.offsets.size() - 1) * copies_ + 1);
  for (std::uint32_t k = 0; k < copies_; ++k) {
    const std::size_t base = r.terms.size();
    for (const R1csTerm& t : one.terms) r.terms.push_back({wire(k, t.wire), t.coeff});
    for (std::size_t i = 1; i < one.offsets.size(); ++i) r.offsets.push_back(base + one.offsets[i]);
  }
  r.wire_to_label.resize(r.n_wires);
  for (std::uint32_t i = 0; i < r.n_wires; ++i) r.wire_to_label[i] = i;
  return r;
}

Witness BatchLayout::witness(std::span<const Witness> per_copy) const {
  if (per_copy.size() != copies_)
    throw Error("internal: " + std::to_string(per_copy.size()) + " witnesses for a batch of " + std::to_string(copies_));
  Witness out;
  out.values.resize(n_wires());
  for (std::uint32_t k = 0; k < copies_; ++k) {
    const Witness& w = per_copy[k];
    if (w.size() != wires_) throw Error("internal: witness " + std::to_string(k) + " does not fit the circuit");
    for (std::uint32_t i = 0; i < wires_; ++i) out.values[wire(k, i)] = w.values[i];
  }
  return out;
}

}  // namespace zkacc::prover
