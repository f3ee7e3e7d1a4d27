#include "zkacc/zkml/field_r1cs.hpp"

#include <algorithm>
#include <string>

#include "zkacc/common/error.hpp"

namespace zkacc::zkml {

using prover::R1csTerm;

FieldLc FieldLc::wire(std::uint32_t w, const Fr& coeff) {
  FieldLc l;
  l.add(w, coeff);
  return l;
}

FieldLc& FieldLc::add(std::uint32_t w, const Fr& coeff) {
  auto it = std::lower_bound(terms_.begin(), terms_.end(), w, [](const R1csTerm& t, std::uint32_t x) { return t.wire < x; });
  if (it != terms_.end() && it->wire == w) {
    it->coeff += coeff;
    if (it->coeff.is_zero()) terms_.erase(it);
  } else if (!coeff.is_zero()) {
    terms_.insert(it, {w, coeff});
  }
  return *this;
}

FieldLc& FieldLc::add_scaled(const FieldLc& o, const Fr& k) {
  if (k.is_zero()) return *this;
  // Merge of two wire-sorted lists.
  std::vector<R1csTerm> out;
  out.reserve(terms_.size() + o.terms_.size());
  auto a = terms_.begin();
  auto b = o.terms_.begin();
  while (a != terms_.end() || b != o.terms_.end()) {
    if (b == o.terms_.end() || (a != terms_.end() && a->wire < b->wire)) {
      out.push_back(*a++);
    } else if (a == terms_.end() || b->wire < a->wire) {
      out.push_back({b->wire, k * b->coeff});
      ++b;
    } else {
      const Fr c = a->coeff + k * b->coeff;
      if (!c.is_zero()) out.push_back({a->wire, c});
      ++a;
      ++b;
    }
  }
  terms_ = std::move(out);
  return *this;
}

Fr FieldLc::evaluate(std::span<const Fr> w) const {
  Fr s;
  for (const R1csTerm& t : terms_) s += t.coeff * w[t.wire];
  return s;
}

FieldR1cs::FieldR1cs(std::uint32_t first_free_wire) : first_wire_(first_free_wire), n_wires_(first_free_wire) {
  if (first_free_wire == 0) throw Error("FieldR1cs: wire 0 (the constant 1) must exist; the first free wire is at least 1");
}

std::uint32_t FieldR1cs::add_wires(std::uint32_t count) {
  if (std::uint64_t(n_wires_) + count >= (std::uint64_t(1) << 32)) throw Error("circuit has more than 2^32 wires");
  const std::uint32_t first = n_wires_;
  n_wires_ += count;
  return first;
}

void FieldR1cs::push(const FieldLc& lc) {
  const auto terms = lc.terms();
  // Sorted by wire: the last term has the largest.
  if (!terms.empty() && terms.back().wire >= n_wires_)
    throw Error("internal: constraint uses wire " + std::to_string(terms.back().wire) + " before it exists");
  terms_.insert(terms_.end(), terms.begin(), terms.end());
  offsets_.push_back(terms_.size());
}

void FieldR1cs::constrain(const FieldLc& a, const FieldLc& b, const FieldLc& c) {
  push(a);
  push(b);
  push(c);
}

void FieldR1cs::constrain_equal(const FieldLc& lhs, const FieldLc& rhs) {
  constrain(lhs, FieldLc::constant(Fr::one()), rhs);
}

void FieldR1cs::append_to(prover::R1cs& r1cs) const {
  if (r1cs.n_wires != first_wire_)
    throw Error("internal: the constraints extend a circuit of " + std::to_string(first_wire_) +
                " wires, not one of " + std::to_string(r1cs.n_wires));
  const std::span<const R1csTerm> all(terms_);
  for (std::size_t i = 0; i < n_constraints(); ++i) {
    auto lc = [&](int m) {
      const std::size_t k = 3 * i + static_cast<std::size_t>(m);
      return all.subspan(offsets_[k], offsets_[k + 1] - offsets_[k]);
    };
    r1cs.add_constraint(lc(0), lc(1), lc(2));
  }
  const std::uint32_t added = n_wires_ - first_wire_;
  if (!r1cs.wire_to_label.empty())
    for (std::uint32_t i = 0; i < added; ++i) r1cs.wire_to_label.push_back(r1cs.n_labels + i);
  r1cs.n_labels += added;
  r1cs.n_wires = n_wires_;
}

std::int64_t FieldR1cs::first_unsatisfied(std::span<const Fr> w) const {
  if (w.size() != n_wires_ || !w[0].is_one()) throw Error("internal: assignment does not fit the circuit");
  auto eval = [&](std::size_t k) {
    Fr s;
    for (std::size_t t = offsets_[k]; t < offsets_[k + 1]; ++t) s += terms_[t].coeff * w[terms_[t].wire];
    return s;
  };
  for (std::size_t i = 0; i < n_constraints(); ++i)
    if (eval(3 * i) * eval(3 * i + 1) != eval(3 * i + 2)) return static_cast<std::int64_t>(i);
  return -1;
}

}  // namespace zkacc::zkml
