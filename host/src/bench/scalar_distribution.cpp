#include "zkacc/bench/scalar_distribution.hpp"

#include "zkacc/common/error.hpp"

namespace zkacc::bench {

std::string distribution_name(ScalarDistribution d) {
  switch (d) {
    case ScalarDistribution::uniform: return "uniform";
    case ScalarDistribution::sparse_witness: return "sparse-witness";
    case ScalarDistribution::one_bucket: return "one-bucket";
  }
  throw Error("bench: unknown scalar distribution " + std::to_string(int(d)));
}

std::vector<ScalarDistribution> all_distributions() {
  return {ScalarDistribution::uniform, ScalarDistribution::sparse_witness, ScalarDistribution::one_bucket};
}

ScalarDistribution parse_distribution(const std::string& name) {
  std::string known;
  for (ScalarDistribution d : all_distributions()) {
    if (distribution_name(d) == name) return d;
    known += (known.empty() ? "" : ", ") + distribution_name(d);
  }
  throw Error("bench: unknown scalar distribution '" + name + "' (" + known + ")");
}

Fr one_bucket_scalar() {
  Fr x = Fr::one();
  for (unsigned i = 0; i < kOneBucketBit; ++i) x += x;
  return x;
}

Fr draw_scalar(ScalarDistribution d, std::mt19937_64& rng) {
  switch (d) {
    case ScalarDistribution::uniform: return Fr::random(rng);
    case ScalarDistribution::sparse_witness: {
      const std::uint64_t percent = rng() % 100;
      if (percent < kSparseZeroPercent) return Fr::zero();
      if (percent < kSparseZeroPercent + kSparseOnePercent) return Fr::one();
      return Fr::random(rng);
    }
    case ScalarDistribution::one_bucket: return one_bucket_scalar();
  }
  throw Error("bench: unknown scalar distribution " + std::to_string(int(d)));
}

}  // namespace zkacc::bench
