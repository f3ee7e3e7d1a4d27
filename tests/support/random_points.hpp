// Random G1 points (independent multiples of the generator, batch-converted
// to affine) and random scalars below r, for tests of MSMs on every backend;
// cheaper random points of either group, and the naive MSM, for the CPU
// MSM's tests.
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

// r − v: the field element −v as a canonical scalar.
inline BigInt<4> r_minus(std::uint64_t v) {
  BigInt<4> k{};
  bigint::sub(k, Fr::kModulus, bigint::from_u64<4>(v));
  return k;
}

// Random points of G1 or G2 as an arithmetic progression c, c + s, c + 2s, ...
// of random multiples of the generator: one addition per point, so tests can
// afford thousands of G2 points.
template <class Config>
std::vector<AffinePoint<Config>> random_points(std::size_t n, std::mt19937_64& rng) {
  using J = JacobianPoint<Config>;
  std::vector<J> jac(n);
  J step = J::generator().mul_vartime(Fr::random(rng).to_canonical());
  J cur = J::generator().mul_vartime(Fr::random(rng).to_canonical());
  for (auto& p : jac) {
    p = cur;
    cur += step;
  }
  std::vector<AffinePoint<Config>> out(n);
  batch_to_affine(std::span<const J>(jac), std::span<AffinePoint<Config>>(out));
  return out;
}

// Σ k_i·P_i one scalar multiplication at a time: the oracle the bucket
// methods are checked against.
template <class Config>
JacobianPoint<Config> naive_msm(std::span<const AffinePoint<Config>> points, std::span<const BigInt<4>> scalars) {
  JacobianPoint<Config> acc = JacobianPoint<Config>::infinity();
  for (std::size_t i = 0; i < points.size(); ++i) acc += points[i].to_jacobian().mul_vartime(scalars[i]);
  return acc;
}

}  // namespace zkacc::test
