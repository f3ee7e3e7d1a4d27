// The host's XYZZ point addition, timed on this machine: the unit of every
// host-side cost in DeviceMsm's window planner and in the card projection
// (bucket reduction, the buckets' checks, the small scalars' sums). The
// per-bucket constants there (kMsmReductionAdditionsPerBucket, ...) were
// measured as ratios to this operation, so it must be the same one: a full
// XYZZ + XYZZ addition (12M + 2S, bench/arith_bench g1_xyzz_add), not the
// mixed one.
#pragma once

#include <cstddef>

namespace zkacc::runtime {

// Times `additions` XYZZ + XYZZ additions on the calling thread, `repeats`
// times, and returns the fastest repeat's nanoseconds an addition (the
// fastest: other work on the machine only ever slows a repeat down). Throws
// zkacc::Error for zero additions or repeats.
double time_host_xyzz_addition_ns(std::size_t additions, std::size_t repeats);

// The same, measured once per process (about 2,048 additions, five
// repeats: a few milliseconds) on first use and then returned as it was;
// thread-safe. DeviceMsm calls it when it is made.
double host_xyzz_addition_ns();

// Nanoseconds a point of the small scalars' sum (msm_small_scalars.hpp:
// blocks of kAffineSumBlock points added in affine pairs, shared
// inversions), timed over `points` random points, the fastest of
// `repeats`; and the same measured once per process (4,096 points, five
// repeats). The card projection charges the small scalars this.
double time_host_affine_sum_ns(std::size_t points, std::size_t repeats);
double host_affine_sum_ns();

}  // namespace zkacc::runtime
