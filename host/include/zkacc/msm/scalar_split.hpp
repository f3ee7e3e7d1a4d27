// Splitting an MSM by the size of its scalars.
//
// A Groth16 witness is mostly 0s and 1s (the bits of range checks) and small
// signed values (quantized activations; −m is the field element r − m). The
// bucket method pays W·2^(c−1) running-sum steps whatever the scalars, and for
// such a witness those cost more than the additions: at 2^16 points, 22
// windows × 2,048 buckets, for scalars that fill one window. Taking each
// scalar k by its signed size |k| = min(k, r − k) (r − k: the point negated):
//
//   |k| = 0       skipped (and points at infinity);
//   |k| = 1       ±P into a plain sum (point_sum.hpp);
//   |k| < 2^64    a bucket method over bits = the largest such |k|'s length,
//                 so bits/c + 1 windows: one or two for 8-bit activations;
//   otherwise     the full bucket method, its window chosen for its own count.
//
// Each part is exact, so the sum of the three is the MSM. Nothing is split
// when nearly every scalar is large (the H MSM's), which keeps the gathering
// copy off the dense path.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <type_traits>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/short_weierstrass.hpp"
#include "zkacc/field/bigint.hpp"
#include "zkacc/field/bn254.hpp"

namespace zkacc::msm_detail {

enum class ScalarSize : std::uint8_t { Zero, One, Small, Large };

// |k| and whether it stands for r − |k|.
struct SignedScalar {
  BigInt<4> magnitude;
  bool negative;
};

inline SignedScalar signed_scalar(const BigInt<4>& k) {
  // (r − 1)/2: above it, r − k is the smaller representative.
  static constexpr BigInt<4> kHalf = [] {
    BigInt<4> h = Fr::kModulus;
    bigint::shr1(h);
    return h;
  }();
  if (bigint::compare(k, kHalf) <= 0) return {k, false};
  BigInt<4> m;
  bigint::sub(m, Fr::kModulus, k);
  return {m, true};
}

inline ScalarSize scalar_size(const SignedScalar& s) {
  const BigInt<4>& m = s.magnitude;
  if (m[1] | m[2] | m[3]) return ScalarSize::Large;
  if (m[0] == 0) return ScalarSize::Zero;
  return m[0] == 1 ? ScalarSize::One : ScalarSize::Small;
}

template <class Config>
struct ScalarSplit {
  std::vector<AffinePoint<Config>> ones;  // ±P for k = ±1
  std::vector<AffinePoint<Config>> small_points;
  std::vector<BigInt<4>> small_scalars;  // |k| < 2^64, the point negated for r − |k|
  std::size_t small_bits = 0;            // bit length of the largest small |k|
  std::vector<AffinePoint<Config>> large_points;
  std::vector<BigInt<4>> large_scalars;  // k as given
};

// The split of (points, scalars), or nothing when at most 1/16 of the
// scalars are zero or small: the full bucket method on the inputs as they
// are is then as good, without the copy.
template <class Config, class Scalar>
std::optional<ScalarSplit<Config>> split_by_scalar_size(std::span<const AffinePoint<Config>> points,
                                                        std::span<const Scalar> scalars, ThreadPool& pool) {
  const std::size_t n = points.size();
  const auto canonical = [&](std::size_t i) -> BigInt<4> {
    if constexpr (std::is_same_v<Scalar, BigInt<4>>) return scalars[i];
    else return scalars[i].to_canonical();
  };
  // Pass 1: each chunk counts its classes (and the small ones' largest length).
  const std::size_t chunks = std::max<std::size_t>(1, std::min(4 * pool.size(), n / 1024));
  struct Counts {
    std::size_t ones = 0, small = 0, large = 0, bits = 0;
  };
  std::vector<Counts> counts(chunks);
  pool.run(chunks, [&](std::size_t ch) {
    Counts c;
    for (std::size_t i = n * ch / chunks, end = n * (ch + 1) / chunks; i < end; ++i) {
      if (points[i].is_infinity()) continue;
      const SignedScalar k = signed_scalar(canonical(i));
      const ScalarSize s = scalar_size(k);
      if (s == ScalarSize::One) ++c.ones;
      else if (s == ScalarSize::Small) {
        ++c.small;
        c.bits = std::max(c.bits, bigint::bit_length(k.magnitude));
      } else if (s == ScalarSize::Large) ++c.large;
    }
    counts[ch] = c;
  });
  Counts total;
  for (const Counts& c : counts) {
    total.ones += c.ones;
    total.small += c.small;
    total.large += c.large;
    total.bits = std::max(total.bits, c.bits);
  }
  if (total.large >= n - n / 16) return std::nullopt;

  ScalarSplit<Config> split;
  split.ones.resize(total.ones);
  split.small_points.resize(total.small);
  split.small_scalars.resize(total.small);
  split.small_bits = total.bits;
  split.large_points.resize(total.large);
  split.large_scalars.resize(total.large);
  // Pass 2: each chunk writes its classes from its offsets, in input order.
  std::vector<Counts> offsets(chunks);
  for (std::size_t ch = 1; ch < chunks; ++ch) {
    offsets[ch].ones = offsets[ch - 1].ones + counts[ch - 1].ones;
    offsets[ch].small = offsets[ch - 1].small + counts[ch - 1].small;
    offsets[ch].large = offsets[ch - 1].large + counts[ch - 1].large;
  }
  pool.run(chunks, [&](std::size_t ch) {
    Counts at = offsets[ch];
    for (std::size_t i = n * ch / chunks, end = n * (ch + 1) / chunks; i < end; ++i) {
      if (points[i].is_infinity()) continue;
      const BigInt<4> k = canonical(i);
      const SignedScalar s = signed_scalar(k);
      switch (scalar_size(s)) {
        case ScalarSize::Zero:
          break;
        case ScalarSize::One:
          split.ones[at.ones++] = s.negative ? -points[i] : points[i];
          break;
        case ScalarSize::Small:
          split.small_points[at.small] = s.negative ? -points[i] : points[i];
          split.small_scalars[at.small++] = s.magnitude;
          break;
        case ScalarSize::Large:
          split.large_points[at.large] = points[i];
          split.large_scalars[at.large++] = k;
          break;
      }
    }
  });
  return split;
}

}  // namespace zkacc::msm_detail
