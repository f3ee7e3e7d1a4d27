// The optimal ate pairing on BN254, e: G1 × G2 -> μ_r ⊂ Fq12*.
//
//   e(P, Q) = f(P, Q)^((q^12 - 1) / r)
//
// where f is the Miller function for the loop length 6x + 2 (x = 4965661367192848881),
// completed by the two lines through π(Q) and -π²(Q) (π = q-power Frobenius).
// G2 points stay on the twist during the loop (homogeneous projective
// coordinates, Costello-Lange-Naehrig formulas); every line is a sparse
// Fq12 element d0 + d3·w + d4·w^3. The final exponentiation splits into the easy part
// (q^6 - 1)(q^2 + 1) and the hard part (q^4 - q^2 + 1)/r, done with three
// exponentiations by x (Scott et al., "On the final exponentiation for
// calculating pairings on ordinary elliptic curves", 2009).
//
// A multi-pairing multiplies the Miller functions of several pairs and pays
// for one final exponentiation: that is what Groth16 verification uses.
#pragma once

#include <span>

#include "zkacc/curve/bn254.hpp"
#include "zkacc/field/fq12.hpp"

namespace zkacc {

// Product of the Miller functions of (ps[i], qs[i]); pairs with a point at
// infinity contribute 1. Throws if the spans differ in length.
Fq12 miller_loop(std::span<const G1Affine> ps, std::span<const G2Affine> qs);

// f^((q^12 - 1) / r).
Fq12 final_exponentiation(const Fq12& f);

Fq12 pairing(const G1Affine& p, const G2Affine& q);

// Π e(ps[i], qs[i]) == 1, the check of the EIP-197 precompile and of Groth16
// verifiers. The caller is responsible for the points being in G1 and G2.
bool pairing_product_is_one(std::span<const G1Affine> ps, std::span<const G2Affine> qs);

}  // namespace zkacc
