// circom's .r1cs file (binary format version 1): the constraint system
// A·w ∘ B·w = C·w over the scalar field of the curve.
//
//   section 1, header:       n8 u32, prime (n8 bytes), nWires u32, nPubOut u32,
//                            nPubIn u32, nPrvIn u32, nLabels u64, nConstraints u32
//   section 2, constraints:  per constraint three linear combinations A, B, C,
//                            each: nTerms u32, then nTerms × (wire u32, coeff n8 bytes)
//   section 3, wire → label: nWires × u64
//   (sections 4, 5: custom gates, PLONK only; rejected here)
//
// Coefficients are canonical little-endian integers (not Montgomery). Wire 0
// is the constant 1, then the public outputs, the public inputs, the private
// inputs and the internal wires.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zkacc/field/bn254.hpp"

namespace zkacc::prover {

struct R1csTerm {
  std::uint32_t wire;
  Fr coeff;
};

struct R1cs {
  std::uint32_t n_wires = 0;
  std::uint32_t n_pub_out = 0;
  std::uint32_t n_pub_in = 0;
  std::uint32_t n_prv_in = 0;
  std::uint64_t n_labels = 0;
  std::uint32_t n_constraints = 0;
  // Constraint i's A terms are terms[offsets[3i] .. offsets[3i+1]), B up to
  // offsets[3i+2], C up to offsets[3i+3]; offsets has 3·n_constraints + 1 entries.
  std::vector<R1csTerm> terms;
  std::vector<std::size_t> offsets{0};
  std::vector<std::uint64_t> wire_to_label;  // empty if the file has no section 3

  std::uint32_t n_public() const { return n_pub_out + n_pub_in; }
  std::span<const R1csTerm> lc(std::size_t constraint, int which) const {  // which: 0 = A, 1 = B, 2 = C
    const std::size_t k = 3 * constraint + static_cast<std::size_t>(which);
    return std::span<const R1csTerm>(terms).subspan(offsets[k], offsets[k + 1] - offsets[k]);
  }
  // Appends a constraint (used by writers of circuits and by tests).
  void add_constraint(std::span<const R1csTerm> a, std::span<const R1csTerm> b, std::span<const R1csTerm> c);
};

// Throws zkacc::Error naming the file for any malformed or non-BN254 input.
R1cs read_r1cs(const std::string& path);
void write_r1cs(const std::string& path, const R1cs& r1cs);

// Throws zkacc::Error naming the first constraint i with ⟨A_i,w⟩·⟨B_i,w⟩ ≠ ⟨C_i,w⟩
// (and the wires it touches), or a witness of the wrong length.
void check_witness(const R1cs& r1cs, std::span<const Fr> witness, const std::string& witness_name);

}  // namespace zkacc::prover
