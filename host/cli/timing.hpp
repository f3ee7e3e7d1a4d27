// Timing helpers shared by the measuring subcommands (msm, ntt).
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

namespace zkacc::cli {

// Runs fn `repeat` times and returns the wall time of each run in milliseconds.
template <class Fn>
std::vector<double> time_runs(std::size_t repeat, Fn&& fn) {
  std::vector<double> ms;
  for (std::size_t i = 0; i < repeat; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    fn();
    auto t1 = std::chrono::steady_clock::now();
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  return ms;
}

inline double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

}  // namespace zkacc::cli
