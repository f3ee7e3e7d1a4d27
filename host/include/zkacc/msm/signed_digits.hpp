// Signed-digit window decomposition of scalars for the bucket method.
//
// A scalar k < 2^254 is written as k = Σ_w d_w·2^(c·w) with digits
// d_w in [-2^(c-1)+1, 2^(c-1)]: a window value above 2^(c-1) becomes
// value - 2^c with a carry of one into the next window (for_each_signed_digit). Negative digits cost
// nothing in the bucket method (add -P, a negated y), and they halve the
// buckets per window to 2^(c-1).
#pragma once

#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/field/bigint.hpp"

namespace zkacc {

// Window widths above 15 would not fit a digit and its sign in int16
// (SignedDigits' storage).
inline constexpr unsigned kMaxWindowBits = 15;
// for_each_signed_digit takes wider windows (a card's 18-bit digit rows hold c = 17).
inline constexpr unsigned kMaxWideWindowBits = 24;

// Enough windows that the top one can absorb its carry without a carry out:
// c·windows >= 255 for scalars below 2^254.
constexpr std::size_t num_windows(unsigned c) { return 254 / c + 1; }

// For scalars known to be below 2^bits: c·windows >= bits + 1, and the top
// window holds at most bits mod c <= c − 1 bits, so its value plus a carry
// stays within 2^(c−1) and never carries out.
constexpr std::size_t num_windows(unsigned c, std::size_t bits) { return bits / c + 1; }

// The signed c-bit digits of one scalar k < 2^254, lowest window first:
// emit(w, d) for w < num_windows(c), d in [-2^(c-1)+1, 2^(c-1)]. A window
// value above 2^(c-1) becomes value − 2^c and carries one into the next.
// Throws if k does not fit (it is not below 2^254, so not below r). With
// `windows` given, only that many windows are emitted (num_windows(c, bits)
// for a k known to be below 2^bits), and k must fit them.
template <class Emit>
void for_each_signed_digit(const BigInt<4>& k, unsigned c, Emit&& emit, std::size_t windows = 0) {
  const std::uint64_t mask = (std::uint64_t(1) << c) - 1;
  const std::int64_t half = std::int64_t(1) << (c - 1);
  if (windows == 0) windows = num_windows(c);
  std::int64_t carry = 0;
  for (std::size_t w = 0; w < windows; ++w) {
    const std::size_t bit = w * c;
    std::uint64_t v = 0;
    if (bit < 256) {
      const std::size_t limb = bit / 64, shift = bit % 64;
      v = k[limb] >> shift;
      if (shift + c > 64 && limb + 1 < 4) v |= k[limb + 1] << (64 - shift);
      v &= mask;
    }
    std::int64_t d = static_cast<std::int64_t>(v) + carry;
    carry = d > half ? 1 : 0;
    d -= carry << c;
    emit(w, static_cast<std::int32_t>(d));
  }
  // Bits above the windows would be dropped, not carried.
  if (carry != 0 || bigint::bit_length(k) > windows * c)
    throw Error("msm: scalar does not fit the window decomposition (is it below r?)");
}

// Digits laid out window-major: digits[w * n + i] is window w of scalar i, so
// a task that owns a window streams through its digits.
class SignedDigits {
 public:
  // Scalars as canonical integers (BigInt<4>) or as field elements (anything
  // with to_canonical(), converted one at a time rather than into a copy).
  // `bits`: every scalar is below 2^bits (254 for any scalar below r), which
  // sets the number of windows.
  template <class Scalar>
  SignedDigits(std::span<const Scalar> scalars, unsigned c, ThreadPool& pool, std::size_t bits = 254)
      : c_(c), n_(scalars.size()), windows_(num_windows(c, bits)) {
    if (c < 2 || c > kMaxWindowBits) throw Error("msm: window size " + std::to_string(c) + " is outside 2..15");
    digits_.resize(windows_ * n_);
    pool.parallel_for(n_, [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        if constexpr (std::is_same_v<Scalar, BigInt<4>>) decompose(scalars[i], i);
        else decompose(scalars[i].to_canonical(), i);
      }
    });
  }

  unsigned window_bits() const { return c_; }
  std::size_t windows() const { return windows_; }
  std::span<const std::int16_t> window(std::size_t w) const { return {digits_.data() + w * n_, n_}; }

 private:
  void decompose(const BigInt<4>& k, std::size_t i) {
    for_each_signed_digit(
        k, c_, [&](std::size_t w, std::int32_t d) { digits_[w * n_ + i] = static_cast<std::int16_t>(d); },
        windows_);
  }

  unsigned c_;
  std::size_t n_, windows_;
  std::vector<std::int16_t> digits_;
};

}  // namespace zkacc
