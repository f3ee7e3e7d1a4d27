// Hex strings to bytes, for test vectors.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace zkacc::test {

inline std::vector<std::uint8_t> from_hex(const std::string& s) {
  if (s.size() % 2) throw std::invalid_argument("odd-length hex string");
  auto nibble = [](char c) -> std::uint8_t {
    if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<std::uint8_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<std::uint8_t>(c - 'A' + 10);
    throw std::invalid_argument("bad hex digit");
  };
  std::vector<std::uint8_t> out(s.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::uint8_t>(nibble(s[2 * i]) << 4 | nibble(s[2 * i + 1]));
  return out;
}

}  // namespace zkacc::test
