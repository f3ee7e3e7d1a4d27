// BN254 (alt_bn128) groups:
//   G1: y^2 = x^3 + 3 over Fq, prime order r, generator (1, 2).
//   G2: y^2 = x^3 + 3/ξ over Fq2 (D-type sextic twist, ξ = 9 + u), the order-r
//       subgroup of a curve with a large cofactor, generator as in EIP-197
//       and snarkjs.
#pragma once

#include "zkacc/curve/short_weierstrass.hpp"
#include "zkacc/field/fq2.hpp"

namespace zkacc {

struct Bn254G1Config {
  using Field = Fq;
  static constexpr const char* kName = "BN254 G1";
  static constexpr Fq b() { return Fq::from_u64(3); }
  static constexpr AffinePoint<Bn254G1Config> generator() { return {Fq::from_u64(1), Fq::from_u64(2)}; }
};

struct Bn254G2Config {
  using Field = Fq2;
  static constexpr const char* kName = "BN254 G2";
  // b' = 3 / ξ, computed here rather than pasted: 1/ξ = conj(ξ) / norm(ξ).
  static constexpr Fq2 kB = [] {
    const Fq2 xi = Fq2::xi();
    const Fq inv_norm = xi.norm().pow(Fq::kModulusMinus2);
    return xi.conjugate().mul_by_fq(inv_norm).mul_by_fq(Fq::from_u64(3));
  }();
  static constexpr Fq2 b() { return kB; }
  static constexpr AffinePoint<Bn254G2Config> generator() {
    constexpr auto c = [](BigInt<4> v) { return Fq::from_canonical_unchecked(v); };
    // x = 10857046999023057135944570762232829481370756359578518086990519993285655852781
    //   + 11559732032986387107991004021392285783925812861821192530917403151452391805634 u
    // y = 8495653923123431417604973247489272438418190587263600148770280649306958101930
    //   + 4082367875863433681332203403145435568316851327593401208105741076214120093531 u
    return {{c({0x46debd5cd992f6edull, 0x674322d4f75edaddull, 0x426a00665e5c4479ull, 0x1800deef121f1e76ull}),
             c({0x97e485b7aef312c2ull, 0xf1aa493335a9e712ull, 0x7260bfb731fb5d25ull, 0x198e9393920d483aull})},
            {c({0x4ce6cc0166fa7daaull, 0xe3d1e7690c43d37bull, 0x4aab71808dcb408full, 0x12c85ea5db8c6debull}),
             c({0x55acdadcd122975bull, 0xbc4b313370b38ef3ull, 0xec9e99ad690c3395ull, 0x090689d0585ff075ull})}};
  }
};

using G1Affine = AffinePoint<Bn254G1Config>;
using G1Jacobian = JacobianPoint<Bn254G1Config>;
using G2Affine = AffinePoint<Bn254G2Config>;
using G2Jacobian = JacobianPoint<Bn254G2Config>;

// The group order r as an integer (r·P = O for P in G1 or G2).
inline constexpr BigInt<4> kBn254Order = Fr::kModulus;

// P in the order-r subgroup: always true for G1 points on the curve (cofactor
// 1); for G2 it checks [r]Q = O, which the twist's large cofactor makes necessary.
inline bool is_in_subgroup(const G1Affine& p) { return p.is_on_curve(); }
inline bool is_in_subgroup(const G2Affine& q) {
  return q.is_on_curve() && q.to_jacobian().mul_vartime(kBn254Order).is_infinity();
}

}  // namespace zkacc
