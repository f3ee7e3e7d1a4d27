// Test runner: Catch2 with the random seed printed before any test runs.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <iostream>

#include "support/test_rng.hpp"

int main(int argc, char* argv[]) {
  std::cout << "zkacc tests: ZKACC_TEST_SEED=" << zkacc::test::test_seed() << "\n";
  return Catch::Session().run(argc, argv);
}
