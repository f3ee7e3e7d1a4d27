// Poseidon as constraints: output = Poseidon(inputs), the same function as
// prover::poseidon_hash (circomlib's Poseidon circuit, circomlibjs's hash).
//
// Layout. The state lives in linear combinations, not wires: adding round
// constants and the MDS mixing are linear, so they cost no constraint. Each
// S-box y = x⁵ on a combination x costs three constraints and three wires:
//
//     x·x = x2,   x2·x2 = x4,   x4·x = y
//
// and its output, the wire y, replaces x in the state. An S-box of a
// combination that reads no wire is a constant and is computed here
// (free): the first round's s_0 = 0 + c_0, for instance. Finally one
// constraint result·1 = output puts the hash on a wire.
//
// No state is ever materialized as a wire: a combination reads only the t
// S-box outputs of the last full round and one S-box output per partial
// round since, so it never has more than t + R_P + 1 terms (86 at t = 17);
// a wire per partial round would cost a constraint to save terms.
//
// Constraints when no input is a constant: 3·(8t + R_P − 1) + 1, and as
// many wires.
//
//                          this gadget              circom2 --O2, circomlib 2.0.5 Poseidon(n)
//     inputs   t   R_P   constraints   terms        constraints   terms
//        1     2    56       214        6,016           213        2,574
//        2     3    57       241        6,725           240        3,040
//        4     5    60       298        8,530           297        7,566
//       16    17    68       610       21,682           609       18,438
//
// circom keeps the same S-boxes (3 constraints each, the constant one
// folded too); its one constraint less is the linear output constraint,
// which its simplifier substitutes away (it reports 0 linear constraints).
// Its combinations are shorter at small t; a term costs one field
// multiplication wherever the matrices are applied (setup, the prover's A·w
// and B·w, witness checks), far less than a constraint's share of the NTTs
// and MSMs.
//
// Soundness: every wire the gadget adds is fixed by the constraint that
// defines it from earlier wires (x reads only wires that exist before its
// S-box; x2, x4, y follow in turn; the output from the last S-boxes), so
// for given inputs the honest assignment is the only one that satisfies
// the constraints.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zkacc/zkml/field_r1cs.hpp"

namespace zkacc::zkml {

struct PoseidonGadget {
  // An S-box on the combination `input` of earlier wires: the wires
  // first, first + 1, first + 2 hold input², input⁴, input⁵.
  struct Sbox {
    FieldLc input;
    std::uint32_t first = 0;
  };
  std::vector<Sbox> sboxes;     // in the order the permutation applies them
  FieldLc result;               // the hash as a combination of the S-box outputs
  std::uint32_t first_aux = 0;  // the auxiliary (S-box) wires: [first_aux, first_aux + n_aux)
  std::uint32_t n_aux = 0;
  std::uint32_t output = 0;     // the wire holding Poseidon(inputs)
};

// Adds the constraints output = Poseidon(inputs) for 1..16 inputs (any
// combinations of existing wires); throws zkacc::Error for any other count.
PoseidonGadget poseidon_gadget(FieldR1cs& cs, std::span<const FieldLc> inputs);

// Fills the gadget's auxiliary wires and output in w from the wires its
// inputs read, which must be assigned already.
void assign_poseidon(const PoseidonGadget& g, std::span<Fr> w);

}  // namespace zkacc::zkml
