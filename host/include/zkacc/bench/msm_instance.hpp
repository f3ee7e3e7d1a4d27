// A seeded random MSM whose answer is known independently of the bucket
// method: the points are P_i = (s + i·t)·G for random s, t, so
//   Σ k_i·P_i = (Σ k_i·(s + i·t))·G,
// one scalar multiplication, whatever the scalars k_i are. `zkacc msm` and
// the bench suite check every MSM with it.
#pragma once

#include <random>
#include <vector>

#include "zkacc/bench/scalar_distribution.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/field/bn254.hpp"

namespace zkacc::bench {

template <class Config>
struct MsmInstance {
  std::vector<AffinePoint<Config>> points;
  std::vector<Fr> scalars;
  Fr expected_log;  // the result is expected_log·G

  static MsmInstance random(std::size_t n, std::uint64_t seed,
                            ScalarDistribution distribution = ScalarDistribution::uniform) {
    using J = JacobianPoint<Config>;
    MsmInstance m;
    std::mt19937_64 rng(seed);
    const Fr s = Fr::random(rng), t = Fr::random(rng);
    const J step = J::generator() * t;
    std::vector<J> jac(n);
    J cur = J::generator() * s;
    for (auto& p : jac) {
      p = cur;
      cur += step;
    }
    m.points.resize(n);
    batch_to_affine(std::span<const J>(jac), std::span<AffinePoint<Config>>(m.points));
    m.scalars.resize(n);
    m.expected_log = Fr::zero();
    Fr log = s;
    for (std::size_t i = 0; i < n; ++i) {
      m.scalars[i] = draw_scalar(distribution, rng);
      m.expected_log += m.scalars[i] * log;
      log += t;
    }
    return m;
  }

  std::vector<BigInt<4>> canonical_scalars() const {
    std::vector<BigInt<4>> out(scalars.size());
    for (std::size_t i = 0; i < scalars.size(); ++i) out[i] = scalars[i].to_canonical();
    return out;
  }

  bool is_result(const JacobianPoint<Config>& r) const { return r == JacobianPoint<Config>::generator() * expected_log; }
};

}  // namespace zkacc::bench
