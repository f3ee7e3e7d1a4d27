// Small scalars on the host, not on the MSM kernel.
//
// A Groth16 witness is mostly bits: scalars 0 and 1, and small values and
// their negatives (r − k) from range checks and subtractions. On the
// kernel the points of one small value all land in one bucket of window 0
// (and a small negative r − k, whose upper digits are those of r, in one
// bucket of every window), and a bucket takes one addition per adder
// latency plus four cycles (165 on the present adder): a witness of 2^24
// bits would keep the card at one addition per 165 cycles. Values of
// magnitude below 2^bits (bits = kMsmHostSmallScalarBits, 4: at most 15
// buckets, which together take under 0.1 additions a cycle) therefore stay
// on the host: DeviceMsm sends the kernel a zero for each of them (its
// point stays where it is on the card: one cycle a run, no addition) and
// sums their points itself, a bucket per magnitude (its points added in
// affine pairs with shared inversions: affine_sum), then Σ m·B_m over the
// 2^bits − 1 buckets, on the pool while
// the kernel runs: a share of the points after each run's reduction but
// the last's (all of them beside the first run when there is one run). Larger values keep the kernel: 2^bits or more distinct
// magnitudes spread over enough buckets to keep its adders busy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/field/bigint.hpp"
#include "zkacc/field/bn254.hpp"

namespace zkacc::runtime {

// The shipped bound (DeviceMsmOptions::host_small_scalar_bits): magnitudes 1..15.
inline constexpr unsigned kMsmHostSmallScalarBits = 4;

// The signed value v of a canonical scalar k (k, or k − r for k above
// r − 2^bits) when 0 < |v| < 2^bits, else 0 (zero itself, and every larger
// value). bits <= 32.
inline std::int64_t msm_small_scalar_value(const BigInt<4>& k, unsigned bits) {
  const std::uint64_t bound = std::uint64_t(1) << bits;
  if ((k[1] | k[2] | k[3]) == 0) return k[0] < bound ? std::int64_t(k[0]) : 0;
  const BigInt<4>& r = Fr::kModulus;
  // r − k < 2^bits needs the upper limbs of r (r's low limb is far above
  // 2^32, so no borrow reaches them).
  if (k[3] == r[3] && k[2] == r[2] && k[1] == r[1] && k[0] < r[0] && r[0] - k[0] < bound)
    return -std::int64_t(r[0] - k[0]);
  return 0;
}

// out[i] = scalars[i], or zero where the scalar is small (above), for i in
// [begin, end); returns how many were small. Thread-safe for disjoint
// ranges. bits = 0: a plain copy.
std::size_t msm_zero_small_scalars(std::span<const BigInt<4>> scalars, unsigned bits, std::span<BigInt<4>> out,
                                   std::size_t begin, std::size_t end);

// How many of the scalars are small (their points' host additions).
std::size_t msm_count_small_scalars(std::span<const BigInt<4>> scalars, unsigned bits, ThreadPool& pool);

// Points a bucket gathers before adding them in affine pairs.
inline constexpr std::size_t kAffineSumBlock = 2048;

// Memory affine_sum reuses from one call to the next.
struct AffineSumScratch {
  std::vector<Fq> den, prefix;
  std::vector<std::uint8_t> kind;
  std::vector<G1Affine> next;
};

// The sum of the points (emptied), by affine additions in pairs, level by
// level, each level's slopes sharing one inversion: about 5M + 1S an
// addition against a mixed XYZZ addition's 8M + 2S, the whole level's
// inversion shared. Every case handled: infinity, doublings, P + (−P).
G1Affine affine_sum(std::vector<G1Affine>& points, AffineSumScratch& scratch);

// Σ v_i·points[i] over the small scalars (v_i their signed values), on the
// pool: the host's share of an MSM whose small scalars the kernel got as
// zeros. bits = 0: infinity.
G1Jacobian msm_small_scalar_sum(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars, unsigned bits,
                                ThreadPool& pool);

}  // namespace zkacc::runtime
