// The MSM scalars the suite measures with. An MSM's time depends on its
// scalars, not only on its size: the kernel adds one point per nonzero digit,
// and points whose digits meet in one bucket wait for each other (one
// addition per adder latency instead of one a cycle). Three inputs span what
// provers send:
//
//   uniform         uniformly random scalars below r: every digit value
//                   about equally likely, the case the kernel is built for
//   sparse-witness  a Groth16 witness as circuits make it: mostly bits (0
//                   and 1, from range checks and bit decompositions) with
//                   some full-width values; the 1s all meet in the lowest
//                   window's bucket 1
//   one-bucket      every scalar 2^200: each point's only nonzero digit is
//                   the same one in the same window (two with a signed
//                   digit's carry), so every addition goes to one bucket, the
//                   kernel's worst case. A single high bit rather than a
//                   small value, which the runtime may sum on the host
//                   instead (small scalars, msm_small_scalars.hpp).
#pragma once

#include <random>
#include <string>
#include <vector>

#include "zkacc/field/bn254.hpp"

namespace zkacc::bench {

enum class ScalarDistribution { uniform, sparse_witness, one_bucket };

// Percentages of the sparse witness: zeros, ones, and the rest full width.
inline constexpr unsigned kSparseZeroPercent = 50, kSparseOnePercent = 40;
// The one-bucket scalar is 2^kOneBucketBit.
inline constexpr unsigned kOneBucketBit = 200;
Fr one_bucket_scalar();

// "uniform", "sparse-witness", "one-bucket".
std::string distribution_name(ScalarDistribution d);
// The inverse of distribution_name; throws zkacc::Error naming the valid ones.
ScalarDistribution parse_distribution(const std::string& name);
// Every distribution, in the order above.
std::vector<ScalarDistribution> all_distributions();

// One scalar drawn from `d`. For uniform it draws exactly Fr::random(rng), so
// a seeded uniform instance is the same as before distributions existed.
Fr draw_scalar(ScalarDistribution d, std::mt19937_64& rng);

}  // namespace zkacc::bench
