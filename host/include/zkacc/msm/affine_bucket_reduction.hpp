// One segment of a window's bucket reduction with affine running sums, many
// chains stepping in lockstep so that their slopes share one inversion.
//
// The running-sum trick (bucket_reduction.hpp) costs two additions a
// bucket, running += B_j and total += running. With buckets read back from
// the card in XYZZ form both are full XYZZ additions, 12M + 2S each. Here
// the segment's buckets are made affine first (one batched inversion of
// their ZZZ, then 1/Z = ZZ/ZZZ: about 7 multiplications a bucket), and the
// segment [lo, hi) is cut into K chains of L consecutive buckets (the last
// one shorter). Each step every chain adds its next bucket, from its top
// down, into its running sum, then its running sum into its total, both
// affine, each of the two rounds with one batched inversion over the K
// chains (3M a denominator, the inversion shared): about 6 multiplications
// an addition, so about 19 a bucket against 28 (bench/msm_bench
// bucket_reduction_*). Chain k over [lo_k, lo_k + L_k), lo_k = lo + k·L,
// ends with
//     R_k = Σ_j (j − lo_k + 1)·B_j   (its total)
//     S_k = Σ_j B_j                  (its running sum)
// and, with the window's weights j + 1 = (j − lo_k + 1) + lo + k·L,
//     Σ_{j∈[lo,hi)} (j + 1)·B_j = Σ_k R_k + lo·Σ_k S_k + L·Σ_k k·S_k,
// where Σ_k k·S_k is again a running sum, over the chains (2K XYZZ
// additions), and the two products are double-and-add: the price of the
// chains, small against the segment's 2·(hi − lo) additions when
// K ≤ (hi − lo) / 16.
//
// Every case of the affine addition is handled: either side infinity, a
// doubling (equal points) and a cancellation (P + (−P)). The result is the
// same group element as bucket_reduction_detail::reduce_segment's.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/curve/short_weierstrass.hpp"
#include "zkacc/curve/xyzz.hpp"
#include "zkacc/field/montgomery.hpp"

namespace zkacc {

// Chains per segment: the batch of each inversion (a vartime inversion is
// about 200 multiplications, so 512 chains leave under half of one a
// denominator).
inline constexpr std::size_t kAffineReductionChains = 512;
// Segments shorter than this many buckets a chain take the XYZZ running
// sums: the chains' combination would cost more than the affine steps save.
inline constexpr std::size_t kAffineReductionMinChainBuckets = 16;

namespace affine_reduction_detail {

// acc[k] += *addend[k] for every chain k (nullptr: nothing), affine, one
// batched inversion for all the slopes. den, scratch and kind hold K
// elements.
template <class Config>
void add_chains(std::span<AffinePoint<Config>> acc, std::span<const AffinePoint<Config>* const> addend,
                std::vector<typename Config::Field>& den, std::vector<typename Config::Field>& scratch,
                std::vector<std::uint8_t>& kind) {
  using Field = typename Config::Field;
  enum : std::uint8_t { skip, copy, cancel, add, dbl };
  const std::size_t k_count = acc.size();
  for (std::size_t k = 0; k < k_count; ++k) {
    const AffinePoint<Config>* b = addend[k];
    const AffinePoint<Config>& a = acc[k];
    den[k] = Field::zero();  // left zero by batch_inverse
    if (b == nullptr || b->is_infinity()) {
      kind[k] = skip;
    } else if (a.is_infinity()) {
      kind[k] = copy;
    } else if (a.x == b->x) {
      kind[k] = a.y == b->y ? dbl : cancel;
      if (kind[k] == dbl) den[k] = a.y.dbl();
    } else {
      kind[k] = add;
      den[k] = b->x - a.x;
    }
  }
  batch_inverse(std::span<Field>(den.data(), k_count), std::span<Field>(scratch.data(), k_count));
  for (std::size_t k = 0; k < k_count; ++k) {
    AffinePoint<Config>& a = acc[k];
    if (kind[k] == skip) continue;
    const AffinePoint<Config>& b = *addend[k];
    if (kind[k] == copy) {
      a = b;
      continue;
    }
    if (kind[k] == cancel) {
      a = AffinePoint<Config>::infinity();
      continue;
    }
    Field lambda;
    if (kind[k] == add) {
      lambda = (b.y - a.y) * den[k];
    } else {
      const Field xx = a.x.square();
      lambda = (xx.dbl() + xx) * den[k];
    }
    const Field x3 = lambda.square() - a.x - b.x;
    a.y = lambda * (a.x - x3) - a.y;
    a.x = x3;
  }
}

}  // namespace affine_reduction_detail

namespace bucket_reduction_detail {

// k·P by left-to-right double-and-add; k is a bucket index or a chain
// length (< 2^24 for the kernel, any 64-bit value works).
template <class Point>
Point mul_small(const Point& p, std::uint64_t k) {
  Point acc = Point::infinity();
  if (p.is_infinity()) return acc;
  for (int bit = static_cast<int>(std::bit_width(k)); bit-- > 0;) {
    acc = acc.dbl();
    if ((k >> bit) & 1) acc += p;
  }
  return acc;
}

}  // namespace bucket_reduction_detail

// The buckets as affine points (infinity for an empty one), with one
// batched inversion: x = X·(ZZ/ZZZ)^2, y = Y/ZZZ, since ZZ^3 = ZZZ^2.
template <class Config>
void xyzz_to_affine(std::span<const XyzzPoint<Config>> in, std::span<AffinePoint<Config>> out) {
  using Field = typename Config::Field;
  if (out.size() != in.size()) throw Error("xyzz_to_affine: output size differs from input size");
  std::vector<Field> inv(in.size()), scratch(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) inv[i] = in[i].zzz;  // zero for infinity, left zero
  batch_inverse(std::span<Field>(inv), std::span<Field>(scratch));
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i].is_infinity()) {
      out[i] = AffinePoint<Config>::infinity();
      continue;
    }
    const Field t = in[i].zz * inv[i];  // 1/Z
    out[i] = {in[i].x * t.square(), in[i].y * inv[i]};
  }
}

// Σ_i (lo + i + 1)·segment[i]: the segment [lo, lo + segment.size()) of a
// window, its buckets affine, with up to `chains` chains (at least one
// bucket each).
template <class Config>
XyzzPoint<Config> reduce_segment_affine(std::span<const AffinePoint<Config>> segment, std::size_t lo,
                                        std::size_t chains = kAffineReductionChains) {
  using Affine = AffinePoint<Config>;
  using Xyzz = XyzzPoint<Config>;
  const std::size_t len = segment.size();
  if (len == 0) return Xyzz::infinity();
  const std::size_t wanted = std::clamp<std::size_t>(chains, 1, len);
  const std::size_t chain_len = (len + wanted - 1) / wanted;
  const std::size_t k_count = (len + chain_len - 1) / chain_len;
  auto chain_lo = [&](std::size_t k) { return k * chain_len; };  // in the segment
  auto chain_size = [&](std::size_t k) { return std::min(chain_len, len - k * chain_len); };
  std::vector<Affine> running(k_count, Affine::infinity()), total(k_count, Affine::infinity());
  std::vector<typename Config::Field> den(k_count), scratch(k_count);
  std::vector<std::uint8_t> kind(k_count);
  std::vector<const Affine*> from_buckets(k_count), from_running(k_count);
  for (std::size_t i = 0; i < chain_len; ++i) {
    // Step i: chain k's bucket i from its top, if it has one (only the last
    // chain can be shorter).
    for (std::size_t k = 0; k < k_count; ++k) {
      const bool has = i < chain_size(k);
      from_buckets[k] = has ? &segment[chain_lo(k) + chain_size(k) - 1 - i] : nullptr;
      from_running[k] = has ? &running[k] : nullptr;
    }
    affine_reduction_detail::add_chains<Config>(std::span<Affine>(running), std::span<const Affine* const>(from_buckets),
                                                den, scratch, kind);
    affine_reduction_detail::add_chains<Config>(std::span<Affine>(total), std::span<const Affine* const>(from_running),
                                                den, scratch, kind);
  }
  // Σ_k R_k + lo·Σ_k S_k + L·Σ_k k·S_k, the last by running sums over k.
  Xyzz sum_r = Xyzz::infinity(), run = Xyzz::infinity(), weighted = Xyzz::infinity();
  for (std::size_t k = k_count; k-- > 0;) {
    sum_r = sum_r.add_mixed(total[k]);
    if (k == 0) break;
    run = run.add_mixed(running[k]);
    weighted += run;
  }
  const Xyzz sum_s = run.add_mixed(running[0]);
  return sum_r + bucket_reduction_detail::mul_small(sum_s, lo) + bucket_reduction_detail::mul_small(weighted, chain_len);
}

}  // namespace zkacc
