// Fixed-width unsigned integers as little-endian arrays of 64-bit limbs.
//
// These are the canonical (non-Montgomery) integers behind field elements and
// scalars. Everything here is constexpr so that Montgomery constants (R mod p,
// R^2 mod p, -p^-1 mod 2^64, exponents such as (p-1)/2) are derived from the
// modulus at compile time instead of being pasted in as magic numbers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace zkacc {

using u128 = unsigned __int128;

template <std::size_t N>
using BigInt = std::array<std::uint64_t, N>;

namespace bigint {

// a + b + carry -> (sum, carry_out). At run time on x86-64 the intrinsic
// compiles to one adc per limb; the 128-bit form serves constant evaluation
// (GCC turns it into a much longer instruction sequence).
constexpr std::uint64_t adc(std::uint64_t a, std::uint64_t b, std::uint64_t& carry) {
#if defined(__x86_64__)
  if (!std::is_constant_evaluated()) {
    unsigned long long out;
    carry = _addcarry_u64(static_cast<unsigned char>(carry), a, b, &out);
    return out;
  }
#endif
  u128 t = static_cast<u128>(a) + b + carry;
  carry = static_cast<std::uint64_t>(t >> 64);
  return static_cast<std::uint64_t>(t);
}

// a - b - borrow -> (diff, borrow_out in {0,1})
constexpr std::uint64_t sbb(std::uint64_t a, std::uint64_t b, std::uint64_t& borrow) {
#if defined(__x86_64__)
  if (!std::is_constant_evaluated()) {
    unsigned long long out;
    borrow = _subborrow_u64(static_cast<unsigned char>(borrow), a, b, &out);
    return out;
  }
#endif
  u128 t = static_cast<u128>(a) - b - borrow;
  borrow = static_cast<std::uint64_t>(t >> 127);
  return static_cast<std::uint64_t>(t);
}

template <std::size_t N>
constexpr bool is_zero(const BigInt<N>& a) {
  std::uint64_t acc = 0;
  for (auto l : a) acc |= l;
  return acc == 0;
}

// -1, 0, 1
template <std::size_t N>
constexpr int compare(const BigInt<N>& a, const BigInt<N>& b) {
  for (std::size_t i = N; i-- > 0;) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

template <std::size_t N>
constexpr std::uint64_t add(BigInt<N>& r, const BigInt<N>& a, const BigInt<N>& b) {
  std::uint64_t c = 0;
  for (std::size_t i = 0; i < N; ++i) r[i] = adc(a[i], b[i], c);
  return c;
}

template <std::size_t N>
constexpr std::uint64_t sub(BigInt<N>& r, const BigInt<N>& a, const BigInt<N>& b) {
  std::uint64_t c = 0;
  for (std::size_t i = 0; i < N; ++i) r[i] = sbb(a[i], b[i], c);
  return c;
}

template <std::size_t N>
constexpr void shr1(BigInt<N>& a) {
  for (std::size_t i = 0; i + 1 < N; ++i) a[i] = (a[i] >> 1) | (a[i + 1] << 63);
  a[N - 1] >>= 1;
}

template <std::size_t N>
constexpr bool bit(const BigInt<N>& a, std::size_t i) {
  return (a[i / 64] >> (i % 64)) & 1;
}

template <std::size_t N>
constexpr std::size_t bit_length(const BigInt<N>& a) {
  for (std::size_t i = N; i-- > 0;)
    if (a[i] != 0) return 64 * i + 64 - static_cast<std::size_t>(__builtin_clzll(a[i]));
  return 0;
}

template <std::size_t N>
constexpr BigInt<N> from_u64(std::uint64_t v) {
  BigInt<N> r{};
  r[0] = v;
  return r;
}

// a / d for a small divisor d; the remainder is returned through rem.
template <std::size_t N>
constexpr BigInt<N> div_small(const BigInt<N>& a, std::uint64_t d, std::uint64_t& rem) {
  BigInt<N> q{};
  u128 r = 0;
  for (std::size_t i = N; i-- > 0;) {
    u128 cur = (r << 64) | a[i];
    q[i] = static_cast<std::uint64_t>(cur / d);
    r = cur % d;
  }
  rem = static_cast<std::uint64_t>(r);
  return q;
}

// a * m + add, returns the carry limb.
template <std::size_t N>
constexpr std::uint64_t mul_small_add(BigInt<N>& a, std::uint64_t m, std::uint64_t addend) {
  std::uint64_t carry = addend;
  for (std::size_t i = 0; i < N; ++i) {
    u128 t = static_cast<u128>(a[i]) * m + carry;
    a[i] = static_cast<std::uint64_t>(t);
    carry = static_cast<std::uint64_t>(t >> 64);
  }
  return carry;
}

// Full product of an N-limb and an M-limb integer.
template <std::size_t N, std::size_t M>
constexpr BigInt<N + M> mul_wide(const BigInt<N>& a, const BigInt<M>& b) {
  BigInt<N + M> r{};
  for (std::size_t i = 0; i < N; ++i) {
    std::uint64_t carry = 0;
    for (std::size_t j = 0; j < M; ++j) {
      u128 t = static_cast<u128>(a[i]) * b[j] + r[i + j] + carry;
      r[i + j] = static_cast<std::uint64_t>(t);
      carry = static_cast<std::uint64_t>(t >> 64);
    }
    r[i + M] = carry;
  }
  return r;
}

// (a + b) mod m for a, b < m.
template <std::size_t N>
constexpr BigInt<N> add_mod(const BigInt<N>& a, const BigInt<N>& b, const BigInt<N>& m) {
  BigInt<N> r{};
  std::uint64_t carry = add(r, a, b);
  BigInt<N> s{};
  std::uint64_t borrow = sub(s, r, m);
  // Subtract when the sum overflowed N limbs or is still >= m.
  if (carry || !borrow) return s;
  return r;
}

// Parses a decimal string. Returns false on a non-digit character, an empty
// string, or a value that does not fit in N limbs.
template <std::size_t N>
constexpr bool parse_decimal(std::string_view s, BigInt<N>& out) {
  if (s.empty()) return false;
  BigInt<N> r{};
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
    if (mul_small_add(r, 10, static_cast<std::uint64_t>(ch - '0')) != 0) return false;
  }
  out = r;
  return true;
}

// Parses hex digits (no prefix). Same failure rules as parse_decimal.
template <std::size_t N>
constexpr bool parse_hex(std::string_view s, BigInt<N>& out) {
  if (s.empty()) return false;
  BigInt<N> r{};
  for (char ch : s) {
    std::uint64_t d = 0;
    if (ch >= '0' && ch <= '9') d = static_cast<std::uint64_t>(ch - '0');
    else if (ch >= 'a' && ch <= 'f') d = static_cast<std::uint64_t>(ch - 'a' + 10);
    else if (ch >= 'A' && ch <= 'F') d = static_cast<std::uint64_t>(ch - 'A' + 10);
    else return false;
    if (mul_small_add(r, 16, d) != 0) return false;
  }
  out = r;
  return true;
}

template <std::size_t N>
std::string to_decimal(BigInt<N> a) {
  if (is_zero(a)) return "0";
  std::string digits;
  constexpr std::uint64_t kChunk = 10000000000000000000ull;  // 10^19, the largest power of ten in a limb
  while (!is_zero(a)) {
    std::uint64_t rem = 0;
    a = div_small(a, kChunk, rem);
    for (int i = 0; i < 19; ++i) {
      digits.push_back(static_cast<char>('0' + rem % 10));
      rem /= 10;
      if (is_zero(a) && rem == 0) break;
    }
  }
  return std::string(digits.rbegin(), digits.rend());
}

template <std::size_t N>
std::string to_hex(const BigInt<N>& a) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = N; i-- > 0;)
    for (int sh = 60; sh >= 0; sh -= 4) s.push_back(kDigits[(a[i] >> sh) & 0xf]);
  std::size_t nz = s.find_first_not_of('0');
  return nz == std::string::npos ? "0" : s.substr(nz);
}

}  // namespace bigint
}  // namespace zkacc
