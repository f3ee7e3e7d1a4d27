// Direction and element order of an NTT, and the bit-reversal index map.
#pragma once

#include <cstddef>
#include <cstdint>

namespace zkacc {

enum class NttDirection { Forward, Inverse };

// Natural: element i at position i. BitReversed: element i at position
// bitreverse_k(i), k = log2 of the size (what a decimation-in-frequency
// transform leaves and a decimation-in-time transform wants).
enum class Order { Natural, BitReversed };

// The low `bits` bits of i in reverse order (bits ≤ 32).
constexpr std::uint32_t reverse_bits(std::uint32_t i, std::size_t bits) {
  if (bits == 0) return 0;
  i = ((i >> 1) & 0x55555555u) | ((i & 0x55555555u) << 1);
  i = ((i >> 2) & 0x33333333u) | ((i & 0x33333333u) << 2);
  i = ((i >> 4) & 0x0f0f0f0fu) | ((i & 0x0f0f0f0fu) << 4);
  i = ((i >> 8) & 0x00ff00ffu) | ((i & 0x00ff00ffu) << 8);
  i = (i >> 16) | (i << 16);
  return i >> (32 - bits);
}

}  // namespace zkacc
