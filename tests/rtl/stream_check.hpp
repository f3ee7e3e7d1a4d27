// Cycle-by-cycle driver for the streaming cores (valid/tag in, valid/tag out,
// en_i as the pipeline advance): presents a list of operations with random
// bubbles (valid low) and random stalls (en_i low), and checks that the result
// of the operation presented at advancing cycle c comes out at advancing cycle
// c + latency with its tag, so latency and one-per-cycle throughput are
// asserted together with the values.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "harness/clocked_model.hpp"
#include "support/test_rng.hpp"

namespace zkacc::test {

struct StreamTiming {
  double bubble = 0.0;  // probability that a cycle presents no operation
  double stall = 0.0;   // probability that a cycle holds the pipeline (en_i = 0)
};

// present(i): drive operation i's data ports; check(i): compare the data
// outputs with the reference for operation i and return "" or a description
// of the mismatch (with the inputs). The tag carries i mod 2^tag_bits.
template <class Model>
void run_stream(sim::ClockedModel<Model>& m, std::size_t count, unsigned latency, StreamTiming timing,
                std::mt19937_64& rng, unsigned tag_bits, const std::function<void(std::size_t)>& present,
                const std::function<std::string(std::size_t)>& check) {
  SEED_INFO();
  std::bernoulli_distribution bubble(timing.bubble), stall(timing.stall);
  const std::uint64_t tag_mask = (std::uint64_t(1) << tag_bits) - 1;
  std::vector<std::uint64_t> presented_at(count);
  std::uint64_t advanced = 0;  // cycles with en_i = 1 so far
  std::size_t next_in = 0, next_out = 0;
  const std::size_t max_cycles = 4 * count + 100 * latency + 1000;
  const std::uint64_t failures_before = m.assertion_failures();

  for (std::size_t c = 0; c < max_cycles && next_out < count; ++c) {
    const bool en = !stall(rng);
    const bool give = next_in < count && !bubble(rng);
    m->en_i = en;
    m->valid_i = give;
    if (give) {
      m->tag_i = static_cast<std::remove_reference_t<decltype(m->tag_i)>>(next_in & tag_mask);
      present(next_in);
    }
    m.tick();
    if (!en) continue;
    ++advanced;
    if (give) presented_at[next_in++] = advanced - 1;
    if (m->valid_o) {
      INFO("result " << next_out << " of " << count);
      REQUIRE(next_out < next_in);
      REQUIRE(static_cast<std::uint64_t>(m->tag_o) == (next_out & tag_mask));
      REQUIRE(advanced - presented_at[next_out] == latency);
      const std::string mismatch = check(next_out);
      if (!mismatch.empty()) FAIL(mismatch);
      ++next_out;
    }
  }
  REQUIRE(next_out == count);
  REQUIRE(m.assertion_failures() == failures_before);
}

}  // namespace zkacc::test
