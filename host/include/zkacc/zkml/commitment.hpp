// The encodings behind settings.hpp's Visibility: how a model's input or
// output values become the few public inputs a verifier (a contract) reads.
// Everything here can be recomputed outside zkacc from the values alone,
// with circomlibjs's poseidon (docs/zkml.md "Public inputs" has the
// JavaScript).
//
// Packing (`packed`, and the first step of `hashed`): values v_0..v_{n−1},
// each in [−2^(B−1), 2^(B−1)) (B the tensor's bits, which the circuit range
// checks), k = floor(253 / B) to a field element, least significant first:
//
//     e_j = Σ_{i<k} (v_{jk+i} + 2^(B−1)) · 2^(B·i)      (the last e_j may hold fewer)
//
// Each term is in [0, 2^B), so e_j < 2^(kB) ≤ 2^253 < r: no element wraps
// the field, and the values are the base-2^B digits of e_j — the packing is
// injective. In the circuit e_j is a linear combination of the value wires:
// no constraint beyond the range checks the values have anyway.
//
// Commitment (`hashed`): the Poseidon chain of the m packed elements with
// circomlib's Poseidon (prover/poseidon.hpp), 16 elements at a time:
//
//     m ≤ 16:  C = Poseidon(e_0, .., e_{m−1})
//     m > 16:  h = Poseidon(e_0, .., e_15), then h = Poseidon(h, next ≤ 15
//              elements) until none is left; C = h
//
// It binds (Poseidon is collision resistant and the packing injective) but
// does not hide: a verifier who can guess the values can check a guess. The
// number of values is fixed by the circuit (the verification key), so
// chains of different lengths are never compared.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zkacc/field/bn254.hpp"
#include "zkacc/zkml/field_r1cs.hpp"
#include "zkacc/zkml/poseidon_gadget.hpp"
#include "zkacc/zkml/settings.hpp"

namespace zkacc::zkml {

// k = floor(253 / bits) values per element; throws zkacc::Error unless 1 ≤ bits ≤ 64.
std::size_t values_per_element(int bits);
std::size_t packed_elements(std::size_t n_values, int bits);

// Native encodings. Throw zkacc::Error for a value outside [−2^(B−1), 2^(B−1)).
std::vector<Fr> pack_values(std::span<const std::int64_t> values, int bits);
Fr poseidon_chain(std::span<const Fr> elements);  // the commitment of m ≥ 1 elements
// The public inputs that stand for `values` under `v`: the values (public),
// the packed elements (packed) or the commitment (hashed).
std::vector<Fr> exposed_values(Visibility v, std::span<const std::int64_t> values, int bits);

// The packed elements as linear combinations of the value wires (whose
// values the caller has range checked to B bits).
std::vector<FieldLc> packed_combinations(std::span<const std::uint32_t> wires, int bits);

// output = poseidon_chain(elements) as constraints: one Poseidon gadget per
// link (610 constraints for 16 elements, prover/poseidon_gadget.hpp).
struct CommitmentGadget {
  std::vector<PoseidonGadget> links;
  std::uint32_t output = 0;  // the wire of the last link's output
};
CommitmentGadget commitment_gadget(FieldR1cs& cs, std::span<const FieldLc> elements);
// Fills every link's wires from the wires the elements read (assigned already).
void assign_commitment(const CommitmentGadget& g, std::span<Fr> w);

}  // namespace zkacc::zkml
