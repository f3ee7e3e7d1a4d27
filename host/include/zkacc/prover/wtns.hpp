// snarkjs's .wtns file (version 2): the full assignment of a circuit's wires.
//
//   section 1, header:  n8 u32, prime (n8 bytes), nWitness u32
//   section 2, values:  nWitness × n8 bytes, canonical little-endian integers
//
// Element 0 is the constant 1; elements 1..nPublic are the public signals.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zkacc/field/bn254.hpp"

namespace zkacc::prover {

// The values as canonical integers, each checked to be below r: the form
// both the MSMs (scalars) and snarkjs's files use.
struct Witness {
  std::vector<BigInt<4>> values;

  std::size_t size() const { return values.size(); }
  Fr operator[](std::size_t i) const { return Fr::from_canonical_unchecked(values[i]); }
  std::vector<Fr> to_field() const;
};

Witness read_wtns(const std::string& path);
// The same from a witness already in memory; `name` stands for the file name
// in messages. The returned values are copies.
Witness read_wtns(std::span<const std::uint8_t> bytes, const std::string& name);
// The file's bytes, as write_wtns writes them (for callers that keep a
// witness in memory: the C ABI's zkacc_model_witness).
std::vector<std::uint8_t> wtns_bytes(const Witness& witness);
void write_wtns(const std::string& path, const Witness& witness);

}  // namespace zkacc::prover
