// Seeded randomness for tests. The seed comes from ZKACC_TEST_SEED (default
// fixed, so CI runs are reproducible), is printed once at start-up by the test
// main, and is attached to every failing assertion through SEED_INFO().
#pragma once

#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

namespace zkacc::test {

inline std::uint64_t test_seed() {
  static const std::uint64_t seed = [] {
    const char* env = std::getenv("ZKACC_TEST_SEED");
    return env ? std::stoull(env) : 20261124ull;
  }();
  return seed;
}

// A generator per test case, derived from the seed and the test's own salt so
// that adding a test does not change the vectors another one sees.
inline std::mt19937_64 make_rng(std::uint64_t salt) { return std::mt19937_64(test_seed() ^ (salt * 0x9e3779b97f4a7c15ull)); }

// Iteration counts scale with ZKACC_TEST_N (a multiplier, default 1).
inline std::size_t scaled(std::size_t n) {
  const char* env = std::getenv("ZKACC_TEST_N");
  return env ? n * std::stoull(env) : n;
}

}  // namespace zkacc::test

#define SEED_INFO() INFO("ZKACC_TEST_SEED=" << ::zkacc::test::test_seed())
