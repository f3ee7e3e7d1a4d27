#include "zkacc/bench/spread.hpp"

#include <algorithm>

#include "zkacc/common/error.hpp"

namespace zkacc::bench {

double median(std::vector<double> samples) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const std::size_t m = samples.size() / 2;
  return samples.size() % 2 ? samples[m] : (samples[m - 1] + samples[m]) / 2;
}

Spread spread_of(const std::vector<double>& samples) {
  if (samples.empty()) throw Error("bench: a measurement without runs has no spread");
  const auto [lo, hi] = std::minmax_element(samples.begin(), samples.end());
  return {*lo, median(samples), *hi};
}

}  // namespace zkacc::bench
