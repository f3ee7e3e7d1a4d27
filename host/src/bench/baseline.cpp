#include "zkacc/bench/baseline.hpp"

#include <algorithm>
#include <fstream>

#include "zkacc/bench/schema_version.hpp"
#include "zkacc/common/error.hpp"

namespace zkacc::bench {

using json = nlohmann::ordered_json;

json read_baseline(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error("bench: " + path + ": cannot open the baseline");
  json old;
  try {
    old = json::parse(in);
  } catch (const std::exception& e) {
    throw Error("bench: " + path + ": not JSON: " + e.what());
  }
  if (!old.is_object() || !old.contains("measurements") || !old["measurements"].is_array())
    throw Error("bench: " + path + ": no 'measurements' array (not a zkacc bench.json)");
  require_schema_version(old, path);
  return old;
}

BaselineComparison compare_with_baseline(const json& measurements, const json& baseline, double tolerance) {
  BaselineComparison out;
  for (const auto& m : measurements)
    for (const auto& o : baseline["measurements"])
      if (o.value("op", "") == m["op"] && o.value("backend", "") == m["backend"] && o.value("size", 0) == m["size"] &&
          o.value("distribution", "") == m["distribution"]) {
        const double ratio = m["median_ms"].get<double>() / std::max(o["median_ms"].get<double>(), 1e-9);
        const bool regression = ratio > 1.0 + tolerance;
        out.regressions += regression;
        out.rows.push_back({{"op", m["op"]}, {"backend", m["backend"]}, {"distribution", m["distribution"]},
                            {"log_size", m["log_size"]}, {"old_ms", o["median_ms"]}, {"new_ms", m["median_ms"]},
                            {"ratio", ratio}, {"regression", regression}});
      }
  return out;
}

}  // namespace zkacc::bench
