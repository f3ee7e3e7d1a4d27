#include "zkacc/runtime/msm_small_scalars.hpp"

#include <algorithm>
#include <atomic>
#include <string>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/curve/xyzz.hpp"

namespace zkacc::runtime {
namespace {

using Xyzz = XyzzPoint<Bn254G1Config>;

void check_bits(unsigned bits) {
  if (bits > 16) throw Error("msm: " + std::to_string(bits) + " bits of small scalars for the host (at most 16)");
}

}  // namespace

std::size_t msm_zero_small_scalars(std::span<const BigInt<4>> scalars, unsigned bits, std::span<BigInt<4>> out,
                                   std::size_t begin, std::size_t end) {
  check_bits(bits);
  if (begin > end || end > scalars.size() || out.size() != scalars.size())
    throw Error("msm: small scalars zeroed out of range");
  std::size_t small = 0;
  for (std::size_t i = begin; i < end; ++i) {
    const bool is_small = bits > 0 && msm_small_scalar_value(scalars[i], bits) != 0;
    out[i] = is_small ? BigInt<4>{} : scalars[i];
    small += is_small;
  }
  return small;
}

std::size_t msm_count_small_scalars(std::span<const BigInt<4>> scalars, unsigned bits, ThreadPool& pool) {
  check_bits(bits);
  if (bits == 0) return 0;
  std::atomic<std::size_t> count{0};
  pool.parallel_for(scalars.size(), [&](std::size_t begin, std::size_t end) {
    std::size_t local = 0;
    for (std::size_t i = begin; i < end; ++i) local += msm_small_scalar_value(scalars[i], bits) != 0;
    count += local;
  });
  return count.load();
}

G1Jacobian msm_small_scalar_sum(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars, unsigned bits,
                                ThreadPool& pool) {
  check_bits(bits);
  if (points.size() != scalars.size()) throw Error("msm: points and scalars differ in length");
  if (bits == 0 || points.empty()) return G1Jacobian::infinity();
  const std::size_t n = points.size(), magnitudes = (std::size_t(1) << bits) - 1;
  // A bucket per magnitude m (bucket m − 1), each chunk its own, negated
  // points for negative values. A bucket gathers its points in a block
  // and adds the block in affine pairs (affine_sum) into its XYZZ sum.
  const std::size_t chunks = std::clamp<std::size_t>(n / 4096, 1, pool.size());
  std::vector<std::vector<Xyzz>> partial(chunks, std::vector<Xyzz>(magnitudes, Xyzz::infinity()));
  pool.run(chunks, [&](std::size_t ch) {
    std::vector<Xyzz>& buckets = partial[ch];
    std::vector<std::vector<G1Affine>> blocks(magnitudes);
    AffineSumScratch scratch;
    auto flush = [&](std::size_t m) {
      buckets[m] = buckets[m].add_mixed(affine_sum(blocks[m], scratch));
      blocks[m].clear();
    };
    for (std::size_t i = n * ch / chunks; i < n * (ch + 1) / chunks; ++i) {
      const std::int64_t v = msm_small_scalar_value(scalars[i], bits);
      if (v == 0 || points[i].is_infinity()) continue;
      const std::size_t m = std::size_t(v > 0 ? v : -v) - 1;
      blocks[m].push_back(v > 0 ? points[i] : -points[i]);
      if (blocks[m].size() == kAffineSumBlock) flush(m);
    }
    for (std::size_t m = 0; m < magnitudes; ++m)
      if (!blocks[m].empty()) flush(m);
  });
  std::vector<Xyzz> buckets(magnitudes, Xyzz::infinity());
  for (const auto& part : partial)
    for (std::size_t m = 0; m < magnitudes; ++m) buckets[m] += part[m];
  // Σ m·B_m by running sums from the top magnitude down.
  Xyzz running = Xyzz::infinity(), total = Xyzz::infinity();
  for (std::size_t m = magnitudes; m-- > 0;) {
    running += buckets[m];
    total += running;
  }
  return total.to_jacobian();
}

G1Affine affine_sum(std::vector<G1Affine>& points, AffineSumScratch& scratch) {
  // Infinity adds nothing.
  points.erase(std::remove_if(points.begin(), points.end(), [](const G1Affine& p) { return p.is_infinity(); }),
               points.end());
  while (points.size() > 1) {
    const std::size_t pairs = points.size() / 2;
    // Each pair's denominator: x2 − x1, or 2·y1 for a doubling (BN254's G1
    // has prime order, so no point has y = 0), or 1 for P + (−P), whose
    // sum is infinity; then one inversion for all (Montgomery's trick).
    scratch.den.resize(pairs);
    scratch.prefix.resize(pairs);
    scratch.kind.resize(pairs);
    Fq acc = Fq::one();
    for (std::size_t k = 0; k < pairs; ++k) {
      const G1Affine &a = points[2 * k], &b = points[2 * k + 1];
      if (a.x != b.x) {
        scratch.kind[k] = 0;
        scratch.den[k] = b.x - a.x;
      } else if (a.y == b.y) {
        scratch.kind[k] = 1;
        scratch.den[k] = a.y.dbl();
      } else {
        scratch.kind[k] = 2;
        scratch.den[k] = Fq::one();
      }
      scratch.prefix[k] = acc;
      acc *= scratch.den[k];
    }
    Fq inv = acc.inverse_vartime();
    std::size_t out = 0;
    // Back to front: inv holds the inverse of the product of den[0..k].
    std::vector<G1Affine>& next = scratch.next;
    next.assign(pairs, G1Affine::infinity());
    for (std::size_t k = pairs; k-- > 0;) {
      const Fq inv_k = inv * scratch.prefix[k];
      inv *= scratch.den[k];
      const G1Affine &a = points[2 * k], &b = points[2 * k + 1];
      if (scratch.kind[k] == 2) continue;  // P + (−P): infinity
      const Fq lambda = scratch.kind[k] == 0 ? (b.y - a.y) * inv_k : (a.x.square().dbl() + a.x.square()) * inv_k;
      G1Affine r;
      r.x = lambda.square() - a.x - b.x;
      r.y = lambda * (a.x - r.x) - a.y;
      next[k] = r;
    }
    for (std::size_t k = 0; k < pairs; ++k)
      if (scratch.kind[k] != 2) next[out++] = next[k];
    next.resize(out);
    if (points.size() % 2) next.push_back(points.back());
    points.swap(next);
  }
  return points.empty() ? G1Affine::infinity() : points.front();
}

}  // namespace zkacc::runtime
