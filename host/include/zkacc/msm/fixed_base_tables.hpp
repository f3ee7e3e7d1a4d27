// Fixed-base MSM: the bucket method over points known before their scalars,
// with shifted copies of the points precomputed once.
//
// A proving key's points are the same in every proof. With copies
//     T_k[i] = 2^(c·s·k)·P_i,   k = 0 .. shifts − 1,   s = ⌈W / shifts⌉,
// window w = r + s·k of scalar i adds its digit times T_k[i], so windows
// r, r + s, r + 2s, ... share one set of buckets:
//     Σ_i k_i·P_i = Σ_{r<s} 2^(c·r) · Σ_{i,k} d_{i, r+s·k} · T_k[i].
// The additions are as many as without tables (n·W), but there are s bucket
// sets to reduce instead of W, and s·c doublings to combine them instead of
// W·c. With every shift stored (s = 1) a single running sum remains, so the
// window can grow to where additions are fewest: at 2^16 points c = 15 (17
// windows) instead of 13 (20 windows), about a quarter less work.
//
// The price is memory, shifts·n points, and a one-off build of n·(W−1)·c
// doublings per point set (several MSMs' worth): tables pay for a key that
// proves many times. A byte budget chooses the shifts.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/short_weierstrass.hpp"
#include "zkacc/curve/xyzz.hpp"
#include "zkacc/msm/batch_affine_buckets.hpp"
#include "zkacc/msm/signed_digits.hpp"

namespace zkacc {

// How a FixedBaseTables is laid out: window bits, shifted copies, stride.
struct FixedBaseLayout {
  unsigned window_bits = 0;
  std::size_t windows = 0;  // W = num_windows(c)
  std::size_t shifts = 1;   // copies of the points, the original included
  std::size_t stride = 0;   // s = ⌈W / shifts⌉: bucket sets per MSM

  // The layout of least modelled cost (field multiplications, as
  // default_window_bits counts them, with one bucket set per thread and
  // stride) whose tables fit `budget_bytes` for n points of `point_bytes`.
  // shifts = 1 (no copies) when not even two copies fit.
  static FixedBaseLayout choose(std::size_t n, std::size_t point_bytes, std::size_t budget_bytes,
                                std::size_t threads) {
    FixedBaseLayout best;
    double best_cost = 1e300;
    for (unsigned c = 8; c <= kMaxWindowBits; ++c) {
      const std::size_t w = num_windows(c);
      const std::size_t fit = n == 0 ? w : budget_bytes / (n * point_bytes);
      const std::size_t shifts = std::clamp<std::size_t>(fit, 1, w);
      const std::size_t stride = (w + shifts - 1) / shifts;
      const std::size_t buckets = std::size_t(1) << (c - 1);
      const double batch = static_cast<double>(std::min<std::size_t>(1024, buckets / 4));
      const double add = 6.5 + 300.0 / batch;
      const std::size_t chunks = (std::max<std::size_t>(1, threads) + stride - 1) / stride;
      const double sets = static_cast<double>(stride * chunks);
      const double cost = static_cast<double>(n) * static_cast<double>(w) * add + sets * 24.0 * double(buckets);
      if (cost < best_cost) {
        best_cost = cost;
        best = {c, w, shifts, stride};
      }
    }
    return best;
  }
};

template <class Config>
class FixedBaseTables {
 public:
  using Affine = AffinePoint<Config>;
  using Jacobian = JacobianPoint<Config>;

  // Copies and shifts `points` (on the curve, infinity allowed) per `layout`.
  FixedBaseTables(std::span<const Affine> points, const FixedBaseLayout& layout, ThreadPool& pool)
      : layout_(layout), n_(points.size()), table_(layout.shifts * points.size()) {
    if (layout.window_bits < 8 || layout.window_bits > kMaxWindowBits || layout.shifts == 0 ||
        layout.windows != num_windows(layout.window_bits) || layout.stride * layout.shifts < layout.windows)
      throw Error("msm: fixed-base layout (c = " + std::to_string(layout.window_bits) + ", shifts " +
                  std::to_string(layout.shifts) + ", stride " + std::to_string(layout.stride) + ") is inconsistent");
    std::copy(points.begin(), points.end(), table_.begin());
    const std::size_t shift_bits = std::size_t(layout.window_bits) * layout.stride;
    // Each copy from the previous one by c·s doublings, in XYZZ (no
    // inversion), normalized per chunk with one batched inversion.
    pool.parallel_for(n_, [&](std::size_t begin, std::size_t end) {
      std::vector<Jacobian> jac(end - begin);
      for (std::size_t k = 1; k < layout_.shifts; ++k) {
        const Affine* prev = table_.data() + (k - 1) * n_;
        for (std::size_t i = begin; i < end; ++i) {
          if (prev[i].is_infinity()) {
            jac[i - begin] = Jacobian::infinity();
            continue;
          }
          XyzzPoint<Config> p = XyzzPoint<Config>::infinity().add_mixed(prev[i]);
          for (std::size_t b = 0; b < shift_bits; ++b) p = p.dbl();
          jac[i - begin] = p.to_jacobian();
        }
        batch_to_affine(std::span<const Jacobian>(jac), std::span<Affine>(table_.data() + k * n_ + begin, end - begin));
      }
    });
  }

  const FixedBaseLayout& layout() const { return layout_; }
  std::size_t size() const { return n_; }
  std::size_t bytes() const { return table_.size() * sizeof(Affine); }
  // The original points (copy 0): what the tables were built from.
  std::span<const Affine> points() const { return {table_.data(), n_}; }

  // Σ k_i·P_i for canonical scalars below r (trusted, as msm_unchecked).
  Jacobian msm(std::span<const BigInt<4>> scalars, ThreadPool& pool,
               std::size_t batch = kDefaultFixedBaseBatch) const {
    if (scalars.size() != n_)
      throw Error("msm: " + std::to_string(scalars.size()) + " scalars for fixed-base tables of " +
                  std::to_string(n_) + " points");
    const unsigned c = layout_.window_bits;
    const SignedDigits digits(scalars, c, pool);
    const std::size_t rows = layout_.stride;
    // Rows split by points until every thread has one: more would repeat
    // the running sum, which at c = 15 is 16,384 steps.
    const std::size_t chunks = (pool.size() + rows - 1) / rows;
    std::vector<Jacobian> partial(rows * chunks, Jacobian::infinity());
    pool.run(rows * chunks, [&](std::size_t task) {
      const std::size_t r = task / chunks, chunk = task % chunks;
      const std::size_t begin = n_ * chunk / chunks, end = n_ * (chunk + 1) / chunks;
      BatchAffineBuckets<Config> buckets(std::size_t(1) << (c - 1), batch);
      for (std::size_t k = 0; k < layout_.shifts; ++k) {
        const std::size_t w = r + rows * k;
        if (w >= layout_.windows) break;
        const auto ds = digits.window(w);
        const Affine* t = table_.data() + k * n_;
        for (std::size_t i = begin; i < end; ++i) {
          const std::int16_t d = ds[i];
          if (d == 0 || t[i].is_infinity()) continue;
          if (d > 0) buckets.add(static_cast<std::uint32_t>(d - 1), t[i]);
          else buckets.add(static_cast<std::uint32_t>(-d - 1), -t[i]);
        }
      }
      partial[task] = buckets.weighted_sum();
    });
    Jacobian acc = Jacobian::infinity();
    for (std::size_t r = rows; r-- > 0;) {
      for (unsigned b = 0; b < c; ++b) acc = acc.dbl();
      for (std::size_t chunk = 0; chunk < chunks; ++chunk) acc += partial[r * chunks + chunk];
    }
    return acc;
  }

  static constexpr std::size_t kDefaultFixedBaseBatch = 1024;

 private:
  FixedBaseLayout layout_;
  std::size_t n_;
  std::vector<Affine> table_;  // shifts × n, copy k at k·n
};

}  // namespace zkacc
