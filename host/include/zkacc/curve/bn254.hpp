// BN254 (alt_bn128) groups:
//   G1: y^2 = x^3 + 3 over Fq, prime order r, generator (1, 2).
//   G2: y^2 = x^3 + 3/ξ over Fq2 (D-type sextic twist, ξ = 9 + u), the order-r
//       subgroup of a curve with a large cofactor, generator as in EIP-197
//       and snarkjs.
#pragma once

#include "zkacc/curve/short_weierstrass.hpp"
#include "zkacc/field/fq2.hpp"

namespace zkacc {

// k = ±k1 ± k2·λ (mod r) with k1, k2 < 2^127.
struct GlvScalars {
  BigInt<4> k1, k2;
  bool neg1, neg2;
};

struct Bn254G1Config {
  using Field = Fq;
  static constexpr const char* kName = "BN254 G1";
  static constexpr Fq b() { return Fq::from_u64(3); }
  static constexpr AffinePoint<Bn254G1Config> generator() { return {Fq::from_u64(1), Fq::from_u64(2)}; }

  // The endomorphism φ(x, y) = (βx, y), β a cube root of unity in Fq, acts on
  // G1 as multiplication by λ, a cube root of unity in Fr:
  //   β = 2203960485148121921418603742825762020974279258880205651966
  //   λ = 4407920970296243842393367215006156084916469457145843978461
  static constexpr Fq endomorphism_beta() {
    return Fq::from_canonical_unchecked({0x5763473177fffffeull, 0xd4f263f1acdb5c4full, 0x59e26bcea0d48bacull, 0});
  }
  static constexpr BigInt<4> kLambda = {0x8b17ea66b99c90ddull, 0x5bfc41088d8daaa7ull, 0xb3c4d79d41a91758ull, 0};

  // GLV decomposition by Babai rounding against the reduced basis of the
  // lattice {(a, b) : a + bλ = 0 mod r}, v1 = (a1, -b1'), v2 = (a2, b2):
  //   a1 = b2 = 9931322734385697763
  //   b1' = 147946756881789319000765030803803410728,  a2 = b1' + a1
  // c1 = floor(k·g1 / 2^256), c2 = floor(k·g2 / 2^256), g1 = floor(b2·2^256/r),
  // g2 = floor(b1'·2^256/r); then k1 = k - c1·a1 - c2·a2, k2 = c1·b1' - c2·b2,
  // both below 2^127 in absolute value (checked over random k when derived).
  static GlvScalars glv_decompose(const BigInt<4>& k_in) {
    constexpr BigInt<4> kA1 = {0x89d3256894d213e3ull, 0, 0, 0};
    constexpr BigInt<4> kB1 = {0x8211bbeb7d4f1128ull, 0x6f4d8248eeb859fcull, 0, 0};
    constexpr BigInt<4> kA2 = {0x0be4e1541221250bull, 0x6f4d8248eeb859fdull, 0, 0};
    constexpr BigInt<3> kG1 = {0xd91d232ec7e0b3d7ull, 0x2ull, 0};
    constexpr BigInt<3> kG2 = {0x7a7bd9d4391eb18dull, 0x4ccef014a773d2cfull, 0x2ull};
    const Fr k = Fr::from_integer_reduce(k_in);  // G1 has order r: reduce first
    const BigInt<4> kc = k.to_canonical();
    auto high = [&](const BigInt<3>& g) {
      const BigInt<7> w = bigint::mul_wide(kc, g);
      return Fr::from_canonical_unchecked({w[4], w[5], w[6], 0});
    };
    const Fr c1 = high(kG1), c2 = high(kG2);
    const Fr a1 = Fr::from_canonical_unchecked(kA1), b1 = Fr::from_canonical_unchecked(kB1),
             a2 = Fr::from_canonical_unchecked(kA2);
    const Fr k1 = k - c1 * a1 - c2 * a2;
    const Fr k2 = c1 * b1 - c2 * a1;  // b2 = a1
    GlvScalars out{};
    auto split = [](const Fr& v, BigInt<4>& mag, bool& neg) {
      neg = bigint::compare(v.to_canonical(), Fr::kHalfModulusMinus1) > 0;
      mag = (neg ? -v : v).to_canonical();
    };
    split(k1, out.k1, out.neg1);
    split(k2, out.k2, out.neg2);
    return out;
  }
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
