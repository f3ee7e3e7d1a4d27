// Constraints A·B = C with coefficients in Fr, for gadgets whose constants
// are field elements rather than small integers (a hash's round constants
// and matrix): R1csBuilder's 128-bit integer coefficients cannot hold them.
//
// Wires are numbered globally, so the constraints can extend an existing
// circuit: a FieldR1cs made with first wire k takes wires 0..k−1 as given
// (wire 0 is the constant 1) and numbers the wires it adds from k on;
// append_to() then adds its wires and constraints to that circuit.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zkacc/field/bn254.hpp"
#include "zkacc/prover/r1cs.hpp"

namespace zkacc::zkml {

// Σ coeff·wire, a constant being the coefficient of wire 0. The terms are
// kept sorted by wire with one nonzero coefficient per wire, so that sums
// of combinations over the same wires (a hash's mixing layers) stay as
// short as the set of wires they read.
class FieldLc {
 public:
  FieldLc() = default;  // zero
  static FieldLc wire(std::uint32_t w, const Fr& coeff = Fr::one());
  static FieldLc constant(const Fr& c) { return wire(0, c); }

  FieldLc& add(std::uint32_t w, const Fr& coeff);
  FieldLc& add_constant(const Fr& c) { return add(0, c); }
  // *this += k·o
  FieldLc& add_scaled(const FieldLc& o, const Fr& k);
  FieldLc& operator+=(const FieldLc& o) { return add_scaled(o, Fr::one()); }
  FieldLc& operator-=(const FieldLc& o) { return add_scaled(o, -Fr::one()); }

  std::span<const prover::R1csTerm> terms() const { return terms_; }
  // True when no wire but the constant appears (zero included).
  bool is_constant() const { return terms_.empty() || (terms_.size() == 1 && terms_[0].wire == 0); }
  Fr constant_term() const { return !terms_.empty() && terms_[0].wire == 0 ? terms_[0].coeff : Fr::zero(); }
  // Σ coeff·w[wire]; w[0] must be 1.
  Fr evaluate(std::span<const Fr> w) const;

 private:
  std::vector<prover::R1csTerm> terms_;
};

class FieldR1cs {
 public:
  // Wires 0..first_free_wire−1 exist already (first_free_wire ≥ 1: wire 0 is the constant).
  explicit FieldR1cs(std::uint32_t first_free_wire);

  // `count` fresh wires; returns the first.
  std::uint32_t add_wires(std::uint32_t count);
  std::uint32_t first_wire() const { return first_wire_; }
  std::uint32_t n_wires() const { return n_wires_; }  // all wires, those before first_wire() included
  std::size_t n_constraints() const { return (offsets_.size() - 1) / 3; }

  // a·b = c. Throws zkacc::Error if a wire does not exist yet.
  void constrain(const FieldLc& a, const FieldLc& b, const FieldLc& c);
  // lhs·1 = rhs: the coefficients stay as given (−1 would be a 254-bit
  // scalar for setup to multiply a curve point by).
  void constrain_equal(const FieldLc& lhs, const FieldLc& rhs);

  // Appends the wires and constraints to `r1cs`, which must have exactly
  // first_wire() wires (the circuit this one extends). The new wires are
  // private; their labels continue after r1cs's last label.
  void append_to(prover::R1cs& r1cs) const;
  // Index of the first constraint that w (n_wires() values, w[0] = 1)
  // does not satisfy, or −1.
  std::int64_t first_unsatisfied(std::span<const Fr> w) const;

 private:
  void push(const FieldLc& lc);

  std::uint32_t first_wire_;
  std::uint32_t n_wires_;
  std::vector<prover::R1csTerm> terms_;
  // Constraint i's A terms are terms_[offsets_[3i] .. offsets_[3i+1]), then B and C (as in prover::R1cs).
  std::vector<std::size_t> offsets_{0};
};

}  // namespace zkacc::zkml
