// A rank-1 constraint system under construction: wires, linear combinations
// with integer coefficients, and constraints A·B = C, converted to circom's
// .r1cs (prover::R1cs) at the end.
//
// Coefficients are 128-bit integers (negative ones become r - |c| in Fr):
// every coefficient the front end writes is a weight, a bias, a rounding
// constant or a power of two below 2^126, so integers carry them exactly
// and printing a constraint shows the numbers a reader expects.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zkacc/field/bn254.hpp"
#include "zkacc/prover/r1cs.hpp"

namespace zkacc::zkml {

using Int = __int128;

struct Term {
  std::uint32_t wire;
  Int coeff;
};

// Σ coeff·wire; wire 0 is the constant 1.
struct Lc {
  std::vector<Term> terms;

  Lc() = default;
  static Lc wire(std::uint32_t w, Int coeff = 1) {
    Lc l;
    l.terms.push_back({w, coeff});
    return l;
  }
  static Lc constant(Int c) { return wire(0, c); }
  Lc& add(std::uint32_t w, Int coeff) {
    if (coeff != 0) terms.push_back({w, coeff});
    return *this;
  }
  Lc& add_constant(Int c) { return add(0, c); }
  Lc& operator+=(const Lc& o) {
    terms.insert(terms.end(), o.terms.begin(), o.terms.end());
    return *this;
  }
  Lc& operator-=(const Lc& o) {
    for (const Term& t : o.terms) terms.push_back({t.wire, -t.coeff});
    return *this;
  }
  // Value for integer wire values (w[0] must be 1).
  Int evaluate(std::span<const std::int64_t> w) const {
    Int s = 0;
    for (const Term& t : terms) s += t.coeff * w[t.wire];
    return s;
  }
};

Fr int_to_fr(Int v);

class R1csBuilder {
 public:
  // Wire 0 exists from the start (the constant 1).
  R1csBuilder() = default;

  // `count` fresh wires; returns the first.
  std::uint32_t add_wires(std::uint32_t count);
  std::uint32_t n_wires() const { return n_wires_; }
  std::size_t n_constraints() const { return (offsets_.size() - 1) / 3; }

  // a·b = c. Terms are merged per wire and zero terms dropped.
  void constrain(const Lc& a, const Lc& b, const Lc& c);
  // lhs = rhs as one constraint (lhs - rhs)·1 = 0, written with every
  // coefficient positive: Σ positive terms · 1 = Σ |negative terms|.
  // (Setup multiplies a curve point by each coefficient; small positive
  // coefficients make that cheap, whereas -1 is a 254-bit scalar.)
  void constrain_equal(const Lc& lhs, const Lc& rhs);
  // w·w = w: w is 0 or 1.
  void constrain_boolean(std::uint32_t w);

  // The circom circuit: wires 1..n_pub_out are the public outputs, the next
  // n_pub_in the public inputs; labels are the wire numbers.
  prover::R1cs to_r1cs(std::uint32_t n_pub_out, std::uint32_t n_pub_in) const;
  // Index of the first constraint the integer assignment does not satisfy
  // over Fr, or -1. w[0] must be 1; w.size() must be n_wires().
  std::int64_t first_unsatisfied(std::span<const std::int64_t> w) const;

 private:
  void push(Lc lc);

  std::uint32_t n_wires_ = 1;
  std::vector<Term> terms_;
  std::vector<std::size_t> offsets_{0};
};

}  // namespace zkacc::zkml
