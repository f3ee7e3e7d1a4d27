// A previous bench.json to compare a run with: each (op, backend, size,
// distribution) measured in both, the ratio of the medians, and the
// slowdowns beyond a tolerance flagged as regressions.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace zkacc::bench {

// The baseline at `path`. Throws zkacc::Error naming the file when it cannot
// be opened, is not JSON, has no "measurements" array or is of another
// schema_version than this zkacc writes.
nlohmann::ordered_json read_baseline(const std::string& path);

struct BaselineComparison {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();  // op, backend, distribution, log_size, old_ms, new_ms, ratio, regression
  std::size_t regressions = 0;
};

BaselineComparison compare_with_baseline(const nlohmann::ordered_json& measurements,
                                         const nlohmann::ordered_json& baseline, double tolerance);

}  // namespace zkacc::bench
