// runtime::device_msm_runs, the host's plan of an MSM's kernel runs over
// digit rows of 32 windows: every window once, in order, in runs of the
// planned size; each run's windows inside the rows on the card
// (first_window + windows <= 32, the kernel's bad-arguments rule); the rows
// written once per MSM when the MSM has at most 32 windows, and otherwise
// only when a run's windows reach past the rows on the card.
#include <catch2/catch.hpp>

#include <cstddef>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/msm/signed_digits.hpp"
#include "zkacc/runtime/device_msm.hpp"

using namespace zkacc;
using namespace zkacc::runtime;

namespace {

std::size_t uploads(const std::vector<DeviceMsmRun>& runs) {
  std::size_t count = 0;
  for (const DeviceMsmRun& r : runs) count += r.new_rows;
  return count;
}

std::vector<std::size_t> first_windows(const std::vector<DeviceMsmRun>& runs) {
  std::vector<std::size_t> out;
  for (const DeviceMsmRun& r : runs) out.push_back(r.first_window);
  return out;
}

}  // namespace

TEST_CASE("device_msm_runs: every shape covers the windows within the rows on the card", "[runtime]") {
  // Windows 1..130 cover num_windows(c) for every c the host uses (128 at c = 2).
  CHECK(num_windows(2) <= 130);
  for (std::size_t windows = 1; windows <= 130; ++windows) {
    for (std::size_t per_run = 1; per_run <= kMsmDigitsPerBeat; ++per_run) {
      INFO(windows << " windows, " << per_run << " per run");
      const std::vector<DeviceMsmRun> runs = device_msm_runs(windows, per_run);
      REQUIRE(runs.size() == (windows + per_run - 1) / per_run);
      REQUIRE(runs.front().new_rows);
      std::size_t next = 0, rows_first = 0;
      for (const DeviceMsmRun& r : runs) {
        INFO("run from window " << r.window);
        // The runs are the groups the kernel takes: per_run windows each, the last one the rest.
        CHECK(r.window == next);
        CHECK(r.windows == std::min(per_run, windows - r.window));
        next = r.window + r.windows;
        // The kernel refuses first_window + windows > 32.
        CHECK(r.first_window + r.windows <= kMsmDigitsPerBeat);
        if (r.new_rows) {
          // New rows only when the rows on the card do not hold the run.
          if (r.window > 0) CHECK(r.window + r.windows > rows_first + kMsmDigitsPerBeat);
          rows_first = r.window;
        }
        // Row digit first_window is the run's first window.
        CHECK(rows_first + r.first_window == r.window);
      }
      CHECK(next == windows);
      if (windows <= kMsmDigitsPerBeat) CHECK(uploads(runs) == 1);
      else CHECK(uploads(runs) >= (windows + kMsmDigitsPerBeat - 1) / kMsmDigitsPerBeat);
    }
  }
}

TEST_CASE("device_msm_runs: the shapes the host meets", "[runtime]") {
  SECTION("2^24 points on a card, c = 15: 17 windows, 4 a run, one upload") {
    const auto runs = device_msm_runs(num_windows(15), device_windows_per_run(15, 16));
    CHECK(runs.size() == 5);
    CHECK(uploads(runs) == 1);
    CHECK(first_windows(runs) == std::vector<std::size_t>{0, 4, 8, 12, 16});
  }
  SECTION("c = 4 on the sim build's 2^12 buckets: 64 windows, 32 a run, one upload each") {
    const auto runs = device_msm_runs(num_windows(4), device_windows_per_run(4, 12));
    CHECK(runs.size() == 2);
    CHECK(uploads(runs) == 2);
    CHECK(first_windows(runs) == std::vector<std::size_t>{0, 0});
  }
  SECTION("43 windows, 12 a run: rows from window 0, then from window 24 for the last two runs") {
    const auto runs = device_msm_runs(43, 12);
    CHECK(runs.size() == 4);
    CHECK(uploads(runs) == 2);
    CHECK(runs[2].new_rows);
    CHECK(first_windows(runs) == std::vector<std::size_t>{0, 12, 0, 12});
  }
}

TEST_CASE("device_msm_runs: a run size the digit rows cannot hold is refused", "[runtime]") {
  CHECK_THROWS_WITH(device_msm_runs(17, 0), Catch::Contains("0 windows per kernel run (1..32)"));
  CHECK_THROWS_WITH(device_msm_runs(17, 33), Catch::Contains("33 windows per kernel run (1..32)"));
}
