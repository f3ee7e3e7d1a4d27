// Test runner: Catch2 with the random seed printed before any test runs.
// The seed goes to stderr: ctest's test discovery reads test names from
// stdout, and a line there would become a bogus test.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <iostream>

#include "support/test_rng.hpp"

int main(int argc, char* argv[]) {
  std::cerr << "zkacc tests: ZKACC_TEST_SEED=" << zkacc::test::test_seed() << "\n";
  return Catch::Session().run(argc, argv);
}
