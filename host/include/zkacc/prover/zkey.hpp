// snarkjs's Groth16 proving key (.zkey, version 1; zkacc reads version 1 and 2
// headers the way snarkjs's prover does).
//
//   1  header           protocol u32 (1 = Groth16; 2 PLONK and 10 FFLONK are rejected)
//   2  Groth16 header   n8q u32, q, n8r u32, r, nVars u32, nPublic u32,
//                       domainSize u32, α₁, β₁, β₂, γ₂, δ₁, δ₂
//   3  IC               (nPublic + 1) G1 points
//   4  coefficients     count u32, then count × (matrix u32 (0 = A, 1 = B),
//                       constraint u32, signal u32, value 32 bytes)
//   5  A                nVars G1 points
//   6  B1               nVars G1 points
//   7  B2               nVars G2 points
//   8  C                nVars − nPublic − 1 G1 points
//   9  H                domainSize G1 points
//   10 contributions    (phase-2 transcript; not needed to prove)
//
// Points are affine in ffjavascript's LEM layout (Montgomery limbs, infinity
// all zeros), which is zkacc's in-memory layout too.
//
// Coefficient values are stored as c·R² mod r (R = 2^256): "Montgomery of
// Montgomery". snarkjs's prover multiplies that word by a canonical witness
// value w with one Montgomery product, (c·R²)·w·R⁻¹ = (c·w)·R, which is c·w in
// Montgomery form; zkacc does the same (ZkeyCoefficient::times).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/field/bn254.hpp"
#include "zkacc/prover/key_identity.hpp"

namespace zkacc::prover {

inline constexpr std::uint32_t kZkeyProtocolGroth16 = 1;

struct ZkeyCoefficient {
  std::uint32_t matrix;      // 0: A, 1: B
  std::uint32_t constraint;  // row, < domainSize
  std::uint32_t signal;      // wire, < nVars
  Fr stored;                 // the file's word c·R² read as a Montgomery value: stored represents c·R

  // c·w for a canonical witness value w: mont_mul(c·R², w) = c·w·R, i.e. c·w.
  Fr times(const BigInt<4>& w) const { return stored * Fr::from_montgomery_unchecked(w); }
  Fr value() const;  // c itself
  static ZkeyCoefficient from_value(std::uint32_t matrix, std::uint32_t constraint, std::uint32_t signal,
                                    const Fr& c);
};

// A share of a key's point sections, for a prover that splits every MSM
// over several processes (MPI ranks): part k of N holds, of a section of n
// points, the points [n·k/N, n·(k+1)/N), the ranges runtime::MpiEngine gives
// its ranks. Each process then reads, checks and holds about 1/N of the
// points (the bulk of a key); the header, IC and coefficients are read whole.
struct ZkeyPart {
  std::uint32_t index = 0, count = 1;

  struct Range {
    std::size_t begin, end;
    std::size_t size() const { return end - begin; }
  };
  Range range(std::size_t n) const;
  bool whole() const { return count == 1; }
  std::string describe() const;  // "part 2 of 3" or "the whole key"
  bool operator==(const ZkeyPart&) const = default;
};

struct Groth16Zkey {
  std::uint32_t n_vars = 0;
  std::uint32_t n_public = 0;  // not counting the constant-1 wire
  std::uint32_t domain_size = 0;
  G1Affine alpha1, beta1, delta1;
  G2Affine beta2, gamma2, delta2;
  std::vector<G1Affine> ic;                // n_public + 1
  std::vector<ZkeyCoefficient> coeffs;
  std::vector<G1Affine> a, b1;             // n_vars
  std::vector<G2Affine> b2;                // n_vars
  std::vector<G1Affine> c;                 // n_vars - n_public - 1
  std::vector<G1Affine> h;                 // domain_size
  // Which share of A, B1, B2, C and H the five vectors above hold: the whole
  // sections unless read with a ZkeyPart.
  ZkeyPart part;
  // Names this key's points for an engine that keeps them on a card across
  // proofs (key_identity.hpp); a copy of the key gets a new one.
  KeyIdentity identity;
  // Section 10 as read (written back unchanged by write_zkey), or empty.
  std::vector<std::uint8_t> contributions;

  std::uint32_t log_domain_size() const;
};

// Reads and checks every section: sizes against the header, primes against
// BN254, coefficient indices against nVars and domainSize, field elements
// canonical, points on the curve; header G2 points also in the subgroup.
// The bulk B2 points skip the G2 subgroup check (a 254-bit scalar
// multiplication each): a key point outside the subgroup can only produce a
// proof that fails verification, and the prover verifies every proof.
// With a part, only that share of each point section is decoded and checked
// (the file is mapped, so the other points are never read from disk); the
// section sizes are still checked whole.
Groth16Zkey read_zkey(const std::string& path, ThreadPool& pool, ZkeyPart part = {});
// The same from a key already in memory (a caller's buffer, as the C ABI
// receives it); `name` stands for the file name in messages. The returned
// key holds copies: the bytes may be freed afterwards.
Groth16Zkey read_zkey(std::span<const std::uint8_t> bytes, const std::string& name, ThreadPool& pool,
                      ZkeyPart part = {});
// Only the two headers (sections 1, 2) and IC (3): what export-vkey needs.
Groth16Zkey read_zkey_header(const std::string& path);
Groth16Zkey read_zkey_header(std::span<const std::uint8_t> bytes, const std::string& name);
// Writes a whole key; a part is refused.
void write_zkey(const std::string& path, const Groth16Zkey& zkey);

}  // namespace zkacc::prover
