// Point encodings zkacc shares with the circom/snarkjs and Ethereum worlds.
//
//  snarkjs JSON   G1: ["x", "y", "1"] decimal strings, infinity ["0", "1", "0"];
//                 G2: [["x.c0", "x.c1"], ["y.c0", "y.c1"], ["1", "0"]],
//                 infinity [["0","0"], ["1","0"], ["0","0"]].
//                 A third coordinate other than 1 or 0 is read as Jacobian Z.
//  LEM (.zkey, .ptau point sections): affine x‖y, each coordinate a·R mod q
//                 (R = 2^256) as 32 little-endian bytes; G2 is x.c0‖x.c1‖y.c0‖y.c1.
//                 Infinity is all zero bytes.
//  EVM (EIP-196/197 precompiles, Solidity verifiers): canonical big-endian
//                 32-byte words; G1 x‖y, G2 x.c1‖x.c0‖y.c1‖y.c0 (imaginary part
//                 first); infinity is all zero bytes.
//
// Every reader checks that coordinates are canonical (< q) and that the point
// is on the curve, and G2 readers that it is in the order-r subgroup unless
// the name says unchecked; errors name `what` (e.g. "proof.json: pi_a").
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "zkacc/curve/bn254.hpp"

namespace zkacc {

using G1Strings = std::array<std::string, 3>;
using G2Strings = std::array<std::array<std::string, 2>, 3>;

G1Strings to_snarkjs_strings(const G1Affine& p);
G2Strings to_snarkjs_strings(const G2Affine& q);
G1Affine g1_from_snarkjs_strings(const G1Strings& s, std::string_view what);
G2Affine g2_from_snarkjs_strings(const G2Strings& s, std::string_view what);

inline constexpr std::size_t kG1LemBytes = 64;
inline constexpr std::size_t kG2LemBytes = 128;

void to_lem_bytes(const G1Affine& p, std::span<std::uint8_t, kG1LemBytes> out);
void to_lem_bytes(const G2Affine& q, std::span<std::uint8_t, kG2LemBytes> out);
G1Affine g1_from_lem_bytes(std::span<const std::uint8_t, kG1LemBytes> in, std::string_view what);
G2Affine g2_from_lem_bytes(std::span<const std::uint8_t, kG2LemBytes> in, std::string_view what);
// Trusted input (keys zkacc wrote itself): canonical and on-curve checks only,
// no G2 subgroup check, which costs a 254-bit scalar multiplication per point.
G2Affine g2_from_lem_bytes_no_subgroup_check(std::span<const std::uint8_t, kG2LemBytes> in, std::string_view what);

inline constexpr std::size_t kG1EvmBytes = 64;
inline constexpr std::size_t kG2EvmBytes = 128;

std::array<std::uint8_t, kG1EvmBytes> to_evm_bytes(const G1Affine& p);
std::array<std::uint8_t, kG2EvmBytes> to_evm_bytes(const G2Affine& q);
G1Affine g1_from_evm_bytes(std::span<const std::uint8_t, kG1EvmBytes> in, std::string_view what);
G2Affine g2_from_evm_bytes(std::span<const std::uint8_t, kG2EvmBytes> in, std::string_view what);

}  // namespace zkacc
