// The spread of repeated timings: smallest, median and largest. The median
// is what the suite compares and plots; min and max show how much the runs
// of one measurement disagreed (a busy machine widens them).
#pragma once

#include <vector>

namespace zkacc::bench {

struct Spread {
  double min = 0, median = 0, max = 0;
};

// Throws zkacc::Error on an empty list (a measurement without runs).
Spread spread_of(const std::vector<double>& samples);

// The median alone (0 for an empty list: a report row with nothing measured).
double median(std::vector<double> samples);

}  // namespace zkacc::bench
