#include "zkacc/runtime/host_addition_timing.hpp"

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/curve/xyzz.hpp"
#include "zkacc/runtime/msm_small_scalars.hpp"

namespace zkacc::runtime {

double time_host_xyzz_addition_ns(std::size_t additions, std::size_t repeats) {
  if (additions == 0 || repeats == 0) throw Error("host addition timing: needs at least one addition and one repeat");
  using Xyzz = XyzzPoint<Bn254G1Config>;
  // Addends in general XYZZ form (ZZ ≠ 1, as buckets read back from a card
  // are): multiples of the generator built by doubling and adding, so no
  // addition below meets infinity, a doubling or a cancellation.
  std::mt19937_64 rng(0x5eed);
  const std::size_t distinct = std::min<std::size_t>(additions, 64);
  std::vector<Xyzz> addends(distinct);
  Xyzz g = Xyzz::from_affine(G1Affine::generator());
  for (std::size_t k = 0; k < distinct; ++k) {
    g = g.dbl();
    addends[k] = g + Xyzz::from_affine((G1Jacobian::generator() * Fr::random(rng)).to_affine());
  }
  double best = 0;
  Xyzz acc = Xyzz::from_affine((G1Jacobian::generator() * Fr::random(rng)).to_affine());
  for (std::size_t rep = 0; rep < repeats; ++rep) {
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t k = 0; k < additions; ++k) acc += addends[k % distinct];
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    const double per = took.count() / double(additions);
    best = rep == 0 ? per : std::min(best, per);
  }
  // The sum is used, so the additions cannot be optimized away.
  if (acc.zz.is_zero() && acc.x.is_zero()) throw Error("host addition timing: the running sum reached infinity");
  return best;
}

double time_host_affine_sum_ns(std::size_t points, std::size_t repeats) {
  if (points < 2 || repeats == 0) throw Error("host affine sum timing: needs at least two points and one repeat");
  std::mt19937_64 rng(0xaff1);
  // Distinct points cheaply: the multiples Q, 2Q, 3Q, ... of a random Q
  // (one addition each rather than a scalar multiplication), whose pairwise
  // sums at every level are again distinct multiples: no doubling, no
  // cancellation.
  std::vector<G1Jacobian> jac(std::min<std::size_t>(points, kAffineSumBlock));
  const G1Jacobian q = G1Jacobian::generator() * Fr::random(rng);
  G1Jacobian multiple = q;
  for (auto& p : jac) {
    p = multiple;
    multiple += q;
  }
  std::vector<G1Affine> distinct(jac.size());
  batch_to_affine(std::span<const G1Jacobian>(jac), std::span<G1Affine>(distinct));
  AffineSumScratch scratch;
  std::vector<G1Affine> block;
  double best = 0;
  XyzzPoint<Bn254G1Config> total = XyzzPoint<Bn254G1Config>::infinity();
  for (std::size_t rep = 0; rep < repeats; ++rep) {
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t done = 0; done < points;) {
      const std::size_t m = std::min(points - done, distinct.size());
      block.assign(distinct.begin(), distinct.begin() + std::ptrdiff_t(m));
      total = total.add_mixed(affine_sum(block, scratch));
      done += m;
    }
    const std::chrono::duration<double, std::nano> took = std::chrono::steady_clock::now() - start;
    const double per = took.count() / double(points);
    best = rep == 0 ? per : std::min(best, per);
  }
  if (total.zz.is_zero() && total.x.is_zero()) throw Error("host affine sum timing: the sum reached infinity");
  return best;
}

double host_affine_sum_ns() {
  static const double measured = time_host_affine_sum_ns(4096, 5);
  return measured;
}

double host_xyzz_addition_ns() {
  static const double measured = time_host_xyzz_addition_ns(2048, 5);
  return measured;
}

}  // namespace zkacc::runtime
