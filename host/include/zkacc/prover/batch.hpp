// Many instances of one circuit proved as one: `copies` copies of a circom
// R1CS side by side, with disjoint wires, as a single circuit whose key is
// made once and whose one proof covers every instance.
//
// The batched circuit keeps circom's wire layout: wire 0 is the constant 1
// (shared), then the public outputs of copy 0, 1, …, then the public inputs
// of copy 0, 1, …, then each copy's private wires in turn. So public.json
// lists every instance's outputs, then every instance's inputs, each in the
// order the single circuit has them. Copy k's constraints are the single
// circuit's with its wires renamed; no constraint joins two copies. Private
// inputs become internal wires of their copy (the header's nPrvIn is 0).
#pragma once

#include <cstdint>
#include <span>

#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/wtns.hpp"

namespace zkacc::prover {

class BatchLayout {
 public:
  // Throws zkacc::Error if the batch has no copies or more wires than a
  // .r1cs file can number (2^32).
  BatchLayout(const R1cs& one, std::uint32_t copies);

  std::uint32_t copies() const { return copies_; }
  std::uint32_t n_wires() const;
  // Copy k's wire w in the batched circuit.
  std::uint32_t wire(std::uint32_t copy, std::uint32_t w) const;

  R1cs r1cs(const R1cs& one) const;
  // The batched witness from one witness per copy (each the single circuit's size).
  Witness witness(std::span<const Witness> per_copy) const;

 private:
  std::uint32_t copies_, wires_, pub_out_, pub_in_;
};

}  // namespace zkacc::prover
