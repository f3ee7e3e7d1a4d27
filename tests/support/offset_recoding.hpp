// The MSM kernel's offset recoding one bit at a time, for tests: an
// implementation that shares nothing with runtime::MsmDigitRows' limb
// arithmetic or the RTL's slicer. With M = Σ_w 2^(c−1)·2^(c·w) over the
// num_windows(c) windows, t = k + M and digit w = (c bits of t at c·w) −
// 2^(c−1), in [−2^(c−1), 2^(c−1) − 1].
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "zkacc/field/bigint.hpp"
#include "zkacc/msm/signed_digits.hpp"

namespace zkacc::test {

inline std::vector<std::int32_t> offset_recoding_digits(const BigInt<4>& k, unsigned c) {
  const std::size_t windows = num_windows(c), bits = c * windows + 1;
  std::vector<int> t(bits, 0);
  int carry = 0;
  for (std::size_t i = 0; i < bits; ++i) {
    const int kb = i < 256 ? int((k[i / 64] >> (i % 64)) & 1) : 0;
    const int mb = (i % c == c - 1 && i / c < windows) ? 1 : 0;
    const int sum = kb + mb + carry;
    t[i] = sum & 1;
    carry = sum >> 1;
  }
  REQUIRE(t[bits - 1] == 0);  // t fits the windows
  std::vector<std::int32_t> d(windows);
  for (std::size_t w = 0; w < windows; ++w) {
    std::int32_t field = 0;
    for (unsigned b = 0; b < c; ++b) field |= t[c * w + b] << b;
    d[w] = field - (std::int32_t(1) << (c - 1));
  }
  return d;
}

}  // namespace zkacc::test
