// What the NTT tests share: a tuning's description for failure messages and
// random vectors of Fr.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "zkacc/ntt/ntt_domain.hpp"

namespace zkacc::test {

inline std::string describe(const NttTuning& t) {
  return "block_log=" + std::to_string(t.block_log) + " outer_fuse=" + std::to_string(t.outer_fuse) +
         " inner_fuse=" + std::to_string(t.inner_fuse) + " parallel_min_log=" + std::to_string(t.parallel_min_log);
}

inline std::vector<Fr> random_vec(std::size_t n, std::mt19937_64& rng) {
  std::vector<Fr> v(n);
  for (auto& x : v) x = Fr::random(rng);
  return v;
}

}  // namespace zkacc::test
