#include "zkacc/bench/format.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

namespace zkacc::bench {

std::string format_fixed(double v, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

std::string with_commas(std::uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string s;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
    s += digits[i];
  }
  return s;
}

std::string sig3(double v) {
  if (v == 0 || !std::isfinite(v)) return format_fixed(v, 0);
  const int digits = std::max(0, 2 - int(std::floor(std::log10(std::abs(v)))));
  return digits == 0 ? with_commas(std::uint64_t(std::llround(v))) : format_fixed(v, digits);
}

}  // namespace zkacc::bench
