// Random G1 points (independent multiples of the generator, batch-converted
// to affine) and random scalars below r, for tests of MSMs on every backend.
#pragma once

#include <cstddef>
#include <random>
#include <span>
#include <vector>

#include "zkacc/curve/bn254.hpp"
#include "zkacc/field/bigint.hpp"
#include "zkacc/field/bn254.hpp"

namespace zkacc::test {

inline std::vector<G1Affine> random_g1_points(std::size_t n, std::mt19937_64& rng) {
  std::vector<G1Jacobian> jac(n);
  for (auto& p : jac) p = G1Jacobian::generator() * Fr::random(rng);
  std::vector<G1Affine> out(n);
  batch_to_affine(std::span<const G1Jacobian>(jac), std::span<G1Affine>(out));
  return out;
}

inline std::vector<BigInt<4>> random_fr_scalars(std::size_t n, std::mt19937_64& rng) {
  std::vector<BigInt<4>> s(n);
  for (auto& k : s) k = Fr::random(rng).to_canonical();
  return s;
}

}  // namespace zkacc::test
