// runtime::device_msm_runs, the host's plan of an MSM's kernel runs over
// digit rows of R windows (32 with 16-bit digits, 28 with 18-bit): every
// window once, in order, in runs of the planned size; each run's windows
// inside the rows on the card (first_window + windows <= R, the kernel's
// bad-arguments rule); the rows written once per MSM when the MSM has at
// most R windows, and otherwise only when a run's windows reach past the
// rows on the card.
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
  for (const std::size_t R : {msm_row_digits(16), msm_row_digits(18), msm_row_digits(24)})
  for (std::size_t windows = 1; windows <= 130; ++windows) {
    for (std::size_t per_run = 1; per_run <= R; ++per_run) {
      INFO(windows << " windows, " << per_run << " per run, rows of " << R);
      const std::vector<DeviceMsmRun> runs = device_msm_runs(windows, per_run, R);
      REQUIRE(runs.size() == (windows + per_run - 1) / per_run);
      REQUIRE(runs.front().new_rows);
      std::size_t next = 0, rows_first = 0;
      for (const DeviceMsmRun& r : runs) {
        INFO("run from window " << r.window);
        // The runs are the groups the kernel takes: per_run windows each, the last one the rest.
        CHECK(r.window == next);
        CHECK(r.windows == std::min(per_run, windows - r.window));
        next = r.window + r.windows;
        // The kernel refuses first_window + windows > R.
        CHECK(r.first_window + r.windows <= R);
        if (r.new_rows) {
          // New rows only when the rows on the card do not hold the run.
          if (r.window > 0) CHECK(r.window + r.windows > rows_first + R);
          rows_first = r.window;
        }
        // Row digit first_window is the run's first window.
        CHECK(rows_first + r.first_window == r.window);
      }
      CHECK(next == windows);
      if (windows <= R) CHECK(uploads(runs) == 1);
      else CHECK(uploads(runs) >= (windows + R - 1) / R);
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
  SECTION("2^24 points on a U250 build (three lanes of 2^16 buckets, 18-bit digits), c = 17: 15 windows, "
          "3 a run, one upload") {
    CHECK(device_windows_per_run(17, 18, 3, 16) == 0);  // c = 17 digits do not fit 16 bits
    const auto runs = device_msm_runs(num_windows(17), device_windows_per_run(17, 18, 3, 18), msm_row_digits(18));
    CHECK(runs.size() == 5);
    CHECK(uploads(runs) == 1);
    CHECK(first_windows(runs) == std::vector<std::size_t>{0, 3, 6, 9, 12});
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
  CHECK_THROWS_WITH(device_msm_runs(17, 29, msm_row_digits(18)), Catch::Contains("29 windows per kernel run (1..28)"));
  CHECK_THROWS_WITH(device_msm_runs(17, 4, 33), Catch::Contains("33 digits a row"));
  CHECK_THROWS_WITH(device_windows_per_run(8, 12, 1, 15), Catch::Contains("15-bit kernel digits"));
}
