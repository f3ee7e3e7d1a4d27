#include "zkacc/zkml/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "zkacc/common/error.hpp"
#include "zkacc/zkml/float_eval.hpp"

namespace zkacc::zkml {

CalibrationStatistic CalibrationStatistic::parse(const std::string& text) {
  CalibrationStatistic s;
  if (text == "max") return s;
  if (text.size() > 1 && text[0] == 'p') {
    try {
      std::size_t used = 0;
      s.percentile = std::stod(text.substr(1), &used);
      if (used == text.size() - 1 && s.percentile >= 50 && s.percentile <= 100) return s;
    } catch (const std::exception&) {
    }
  }
  throw Error("calibration statistic '" + text + "' is not supported (max, or p followed by a percentile from 50 to 100, e.g. p99.99)");
}

std::string CalibrationStatistic::name() const {
  if (percentile >= 100) return "max";
  std::ostringstream s;
  s << 'p' << percentile;
  return s.str();
}

CalibrationRange measure_calibration(const Graph& g, const std::vector<std::vector<double>>& inputs,
                                     const CalibrationStatistic& statistic) {
  if (inputs.empty()) throw Error(g.source + ": calibration needs at least one input");
  CalibrationRange r;
  r.inputs = inputs.size();
  r.statistic = statistic;
  r.layer_max_abs.assign(g.layers.size(), 0.0);
  const bool pct = statistic.percentile < 100;
  std::vector<std::vector<float>> pooled(pct ? g.layers.size() : 0);
  for (const std::vector<double>& x : inputs) {
    const FloatRun run = evaluate_float(g, x, pct);
    for (double v : x) {
      r.input_max_abs = std::max(r.input_max_abs, std::abs(v));
      r.input_min = std::min(r.input_min, v);
    }
    for (std::size_t i = 0; i < g.layers.size(); ++i) {
      r.layer_max_abs[i] = std::max(r.layer_max_abs[i], run.pre_activation_max_abs[i]);
      if (pct) pooled[i].insert(pooled[i].end(), run.pre_activation_abs[i].begin(), run.pre_activation_abs[i].end());
    }
  }
  if (pct)
    for (std::size_t i = 0; i < g.layers.size(); ++i) {
      std::vector<float>& v = pooled[i];
      if (v.empty()) continue;
      // The smallest value with at least `percentile` % of the values at or below it.
      const auto k = static_cast<std::size_t>(std::ceil(statistic.percentile / 100 * double(v.size()))) - 1;
      const auto at = v.begin() + static_cast<std::ptrdiff_t>(std::min(k, v.size() - 1));
      std::nth_element(v.begin(), at, v.end());
      r.layer_max_abs[i] = *at;
    }
  return r;
}

}  // namespace zkacc::zkml
