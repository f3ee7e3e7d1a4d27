// BN254 (alt_bn128) prime fields: the base field Fq of the curve and the
// scalar field Fr of its order-r subgroup, as used by circom, snarkjs and the
// EVM precompiles (EIP-196/197).
#pragma once

#include "zkacc/field/montgomery.hpp"

namespace zkacc {

struct Bn254FqParams {
  static constexpr const char* kName = "BN254 Fq";
  // q = 21888242871839275222246405745257275088696311157297823662689037894645226208583
  static constexpr BigInt<4> kModulus = {0x3c208c16d87cfd47ull, 0x97816a916871ca8dull, 0xb85045b68181585dull,
                                         0x30644e72e131a029ull};
  // Smallest quadratic non-residue (q = 3 mod 4, so sqrt needs no Tonelli-Shanks).
  static constexpr std::uint64_t kNonResidue = 3;
};

struct Bn254FrParams {
  static constexpr const char* kName = "BN254 Fr";
  // r = 21888242871839275222246405745257275088548364400416034343698204186575808495617
  static constexpr BigInt<4> kModulus = {0x43e1f593f0000001ull, 0x2833e84879b97091ull, 0xb85045b68181585dull,
                                         0x30644e72e131a029ull};
  // Smallest quadratic non-residue. snarkjs (ffjavascript) takes the same one,
  // so 5^((r-1)/2^28) and its squares are the same roots of unity it uses for
  // its evaluation domains; the prover's NTT must match them exactly.
  static constexpr std::uint64_t kNonResidue = 5;
};

using Fq = MontgomeryField<Bn254FqParams>;
using Fr = MontgomeryField<Bn254FrParams>;

}  // namespace zkacc
