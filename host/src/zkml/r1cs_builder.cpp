#include "zkacc/zkml/r1cs_builder.hpp"

#include <algorithm>

#include "zkacc/common/error.hpp"

namespace zkacc::zkml {

Fr int_to_fr(Int v) {
  const bool neg = v < 0;
  const unsigned __int128 u = neg ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  const Fr f = Fr::from_canonical_unchecked({static_cast<std::uint64_t>(u), static_cast<std::uint64_t>(u >> 64), 0, 0});
  return neg ? -f : f;
}

std::uint32_t R1csBuilder::add_wires(std::uint32_t count) {
  if (std::uint64_t(n_wires_) + count >= (std::uint64_t(1) << 32)) throw Error("circuit has more than 2^32 wires");
  const std::uint32_t first = n_wires_;
  n_wires_ += count;
  return first;
}

void R1csBuilder::push(Lc lc) {
  std::sort(lc.terms.begin(), lc.terms.end(), [](const Term& a, const Term& b) { return a.wire < b.wire; });
  std::size_t out = 0;
  for (std::size_t i = 0; i < lc.terms.size();) {
    Term t = lc.terms[i++];
    if (t.wire >= n_wires_) throw Error("internal: constraint uses wire " + std::to_string(t.wire) + " before it exists");
    while (i < lc.terms.size() && lc.terms[i].wire == t.wire) t.coeff += lc.terms[i++].coeff;
    if (t.coeff != 0) lc.terms[out++] = t;
  }
  terms_.insert(terms_.end(), lc.terms.begin(), lc.terms.begin() + static_cast<std::ptrdiff_t>(out));
  offsets_.push_back(terms_.size());
}

void R1csBuilder::constrain(const Lc& a, const Lc& b, const Lc& c) {
  push(a);
  push(b);
  push(c);
}

void R1csBuilder::constrain_equal(const Lc& lhs, const Lc& rhs) {
  Lc diff = lhs;
  diff -= rhs;
  // Merge first so that a wire on both sides is one signed coefficient.
  std::sort(diff.terms.begin(), diff.terms.end(), [](const Term& a, const Term& b) { return a.wire < b.wire; });
  Lc pos, neg;
  for (std::size_t i = 0; i < diff.terms.size();) {
    Term t = diff.terms[i++];
    while (i < diff.terms.size() && diff.terms[i].wire == t.wire) t.coeff += diff.terms[i++].coeff;
    if (t.coeff > 0) pos.terms.push_back(t);
    if (t.coeff < 0) neg.terms.push_back({t.wire, -t.coeff});
  }
  constrain(pos, Lc::constant(1), neg);
}

void R1csBuilder::constrain_boolean(std::uint32_t w) { constrain(Lc::wire(w), Lc::wire(w), Lc::wire(w)); }

prover::R1cs R1csBuilder::to_r1cs(std::uint32_t n_pub_out, std::uint32_t n_pub_in) const {
  if (std::uint64_t(n_pub_out) + n_pub_in >= n_wires_) throw Error("internal: more public signals than wires");
  prover::R1cs r;
  r.n_wires = n_wires_;
  r.n_pub_out = n_pub_out;
  r.n_pub_in = n_pub_in;
  r.n_prv_in = 0;
  r.n_labels = n_wires_;
  r.n_constraints = static_cast<std::uint32_t>(n_constraints());
  r.terms.reserve(terms_.size());
  for (const Term& t : terms_) r.terms.push_back({t.wire, int_to_fr(t.coeff)});
  r.offsets = offsets_;
  r.wire_to_label.resize(n_wires_);
  for (std::uint32_t i = 0; i < n_wires_; ++i) r.wire_to_label[i] = i;
  return r;
}

std::int64_t R1csBuilder::first_unsatisfied(std::span<const std::int64_t> w) const {
  if (w.size() != n_wires_ || w.empty() || w[0] != 1) throw Error("internal: assignment does not fit the circuit");
  std::vector<Fr> f(w.size());
  for (std::size_t i = 0; i < w.size(); ++i) f[i] = int_to_fr(w[i]);
  auto eval = [&](std::size_t k) {
    Fr s;
    for (std::size_t t = offsets_[k]; t < offsets_[k + 1]; ++t) s += int_to_fr(terms_[t].coeff) * f[terms_[t].wire];
    return s;
  };
  for (std::size_t i = 0; i < n_constraints(); ++i)
    if (eval(3 * i) * eval(3 * i + 1) != eval(3 * i + 2)) return static_cast<std::int64_t>(i);
  return -1;
}

}  // namespace zkacc::zkml
