// Numbers as the bench's Markdown tables and summaries print them.
#pragma once

#include <cstdint>
#include <string>

namespace zkacc::bench {

// v with a fixed number of decimals: format_fixed(1.5, 2) = "1.50".
std::string format_fixed(double v, int digits);
// Thousands separated by commas: 12345 -> "12,345".
std::string with_commas(std::uint64_t v);
// Three significant digits, plain notation: 0.00123, 1.23, 123, 12,300.
std::string sig3(double v);

}  // namespace zkacc::bench
