#include "zkacc/runtime/msm_digit_rows.hpp"

#include <array>
#include <cstring>
#include <string>

#include "zkacc/common/error.hpp"
#include "zkacc/msm/signed_digits.hpp"

namespace zkacc::runtime {

// Rows are handled as 64-bit words (hosts are little-endian, as the
// coordinates' memcpy in DeviceMsm assumes); D <= 24, so a digit spans at
// most two words.
static_assert(MsmDigitRows::kRowBytes == 64);

namespace {

// M = Σ_w 2^(c−1)·2^(c·w) over the num_windows(c) windows: bit c·w + c − 1
// set for every window.
BigInt<5> offset_of(unsigned c) {
  BigInt<5> m{};
  for (std::size_t w = 0; w < num_windows(c); ++w) {
    const std::size_t bit = c * w + c - 1;
    m[bit / 64] |= std::uint64_t(1) << (bit % 64);
  }
  return m;
}

// t = k + M in five limbs and a sixth of zeros (for the two-word field
// reads); false when t does not fit the c·num_windows(c) bits of the
// windows (k at or above r, or close to 2^256).
bool offset_sum(const BigInt<4>& k, const BigInt<5>& m, unsigned c, std::uint64_t (&t)[6]) {
  unsigned __int128 carry = 0;
  for (std::size_t l = 0; l < 5; ++l) {
    carry += static_cast<unsigned __int128>(l < 4 ? k[l] : 0) + m[l];
    t[l] = static_cast<std::uint64_t>(carry);
    carry >>= 64;
  }
  t[5] = 0;
  const std::size_t top_bit = c * num_windows(c);  // bits 255..264: limb 3 or 4
  return (t[top_bit / 64] >> (top_bit % 64)) == 0 && (top_bit / 64 >= 4 || t[4] == 0);
}

// The c bits of t at bit `at`.
std::uint64_t field_at(const std::uint64_t (&t)[6], std::size_t at, unsigned c) {
  const unsigned __int128 pair = (static_cast<unsigned __int128>(t[at / 64 + 1]) << 64) | t[at / 64];
  return static_cast<std::uint64_t>(pair >> (at % 64)) & ((std::uint64_t(1) << c) - 1);
}

const char* const kScalarTooLarge = "msm: scalar does not fit the window decomposition (is it below r?)";

}  // namespace

void check_msm_digit_bits(unsigned digit_bits) {
  if (!msm_digit_bits_supported(digit_bits))
    throw Error("msm: " + std::to_string(digit_bits) + "-bit kernel digits (16..24)");
}

MsmDigitRows::MsmDigitRows(std::size_t n, unsigned c, unsigned digit_bits, std::size_t first, std::size_t count,
                           Storage storage)
    : n_(n), first_(first), c_(c), digit_bits_(digit_bits) {
  check_msm_digit_bits(digit_bits);
  if (c < 2 || c > msm_max_window_bits(digit_bits) || c > kMaxWideWindowBits)
    throw Error("msm: " + std::to_string(c) + "-bit windows do not fit " + std::to_string(digit_bits) +
                "-bit digits");
  if (count > msm_row_digits(digit_bits))
    throw Error("msm: " + std::to_string(count) + " windows do not fit a row of " +
                std::to_string(msm_row_digits(digit_bits)) + " digits");
  if (storage.bytes && storage.rows >= n) {
    beats_ = std::move(storage.bytes);
    capacity_ = storage.rows;
  } else {
    beats_ = std::make_unique_for_overwrite<std::byte[]>(n * kRowBytes);
    capacity_ = n;
  }
  nonzero_.assign(count, 0);
  offset_ = offset_of(c);
}

void MsmDigitRows::fill(std::span<const BigInt<4>> scalars, std::size_t begin, std::size_t end) {
  if (scalars.size() != n_ || begin > end || end > n_) throw Error("msm: digit rows filled out of range");
  const std::size_t count = nonzero_.size();
  const unsigned bits = digit_bits_, c = c_;
  const std::uint64_t mask = (std::uint64_t(1) << bits) - 1, window_mask = (std::uint64_t(1) << c) - 1;
  const std::uint64_t half = std::uint64_t(1) << (c - 1);
  // Where digit k comes from in t and goes to in the row: run constants.
  struct Place {
    unsigned src_limb, src_shift, dst_word, dst_shift;
  };
  std::array<Place, kRowBytes * 8 / 16> places{};
  for (std::size_t k = 0; k < count; ++k) {
    const std::size_t at = c * (first_ + k), bit = bits * k;
    places[k] = {unsigned(at / 64), unsigned(at % 64), unsigned(bit / 64), unsigned(bit % 64)};
  }
  std::array<std::uint64_t, kRowBytes * 8 / 16> nonzero{};
  for (std::size_t i = begin; i < end; ++i) {
    std::uint64_t t[6];
    if (!offset_sum(scalars[i], offset_, c, t)) throw Error(kScalarTooLarge);
    // Two words per field and per digit (the second shifted in by
    // 128-bit arithmetic: no branch on whether a field straddles a word).
    std::uint64_t row[kRowBytes / 8 + 1] = {};
    for (std::size_t k = 0; k < count; ++k) {
      const Place& p = places[k];
      const unsigned __int128 pair =
          (static_cast<unsigned __int128>(t[p.src_limb + 1]) << 64) | t[p.src_limb];
      const std::uint64_t field = static_cast<std::uint64_t>(pair >> p.src_shift) & window_mask;
      // d = field − 2^(c−1), as D bits of two's complement.
      const unsigned __int128 v = static_cast<unsigned __int128>((field - half) & mask) << p.dst_shift;
      row[p.dst_word] |= static_cast<std::uint64_t>(v);
      row[p.dst_word + 1] |= static_cast<std::uint64_t>(v >> 64);
      nonzero[k] += field != half;
    }
    std::memcpy(&beats_[i * kRowBytes], row, kRowBytes);
  }
  std::lock_guard lock(mu_);
  for (std::size_t k = 0; k < count; ++k) nonzero_[k] += nonzero[k];
}

std::int32_t MsmDigitRows::digit(std::size_t i, std::size_t k) const {
  // Only the one or two words the digit spans (the subset check reads a
  // digit of every point).
  const std::size_t bit = digit_bits_ * k, word = bit / 64, shift = bit % 64;
  const std::byte* at = &beats_[i * kRowBytes + 8 * word];
  std::uint64_t lo = 0, hi = 0;
  std::memcpy(&lo, at, 8);
  std::uint64_t v = lo >> shift;
  if (shift + digit_bits_ > 64) {
    std::memcpy(&hi, at + 8, 8);
    v |= hi << (64 - shift);
  }
  const std::uint64_t sign = std::uint64_t(1) << (digit_bits_ - 1);
  v &= (std::uint64_t(1) << digit_bits_) - 1;
  return static_cast<std::int32_t>(static_cast<std::int64_t>(v ^ sign) - static_cast<std::int64_t>(sign));
}

std::uint64_t MsmDigitRows::nonzero(std::size_t k) const {
  std::lock_guard lock(mu_);
  return nonzero_.at(k);
}


MsmOffsetDigits::MsmOffsetDigits(std::span<const BigInt<4>> scalars, unsigned c, std::size_t windows)
    : scalars_(scalars), c_(c), offset_(offset_of(c)), nonzero_(windows, 0) {
  if (c < 2 || c > kMaxWideWindowBits || windows > num_windows(c))
    throw Error("msm: " + std::to_string(windows) + " windows of " + std::to_string(c) + " bits");
}

void MsmOffsetDigits::count(std::size_t begin, std::size_t end) {
  if (begin > end || end > scalars_.size()) throw Error("msm: digits counted out of range");
  const std::size_t windows = nonzero_.size();
  const std::uint64_t half = std::uint64_t(1) << (c_ - 1);
  std::vector<std::uint64_t> nonzero(windows, 0);
  for (std::size_t i = begin; i < end; ++i) {
    std::uint64_t t[6];
    if (!offset_sum(scalars_[i], offset_, c_, t)) throw Error(kScalarTooLarge);
    for (std::size_t w = 0; w < windows; ++w) nonzero[w] += field_at(t, c_ * w, c_) != half;
  }
  std::lock_guard lock(mu_);
  for (std::size_t w = 0; w < windows; ++w) nonzero_[w] += nonzero[w];
}

std::uint64_t MsmOffsetDigits::nonzero(std::size_t w) const {
  std::lock_guard lock(mu_);
  return nonzero_.at(w);
}

std::int32_t MsmOffsetDigits::digit(std::size_t i, std::size_t w) const {
  std::uint64_t t[6];
  if (!offset_sum(scalars_[i], offset_, c_, t)) throw Error(kScalarTooLarge);
  return static_cast<std::int32_t>(field_at(t, c_ * w, c_)) - (std::int32_t(1) << (c_ - 1));
}

void MsmOffsetDigits::add_counts(std::span<const std::uint64_t> nonzero) {
  if (nonzero.size() != nonzero_.size()) throw Error("msm: digit counts of another number of windows");
  std::lock_guard lock(mu_);
  for (std::size_t w = 0; w < nonzero_.size(); ++w) nonzero_[w] += nonzero[w];
}

void MsmOffsetDigits::digits(std::size_t i, std::span<std::int32_t> out) const {
  if (out.size() > nonzero_.size()) throw Error("msm: more digits asked for than the windows hold");
  std::uint64_t t[6];
  if (!offset_sum(scalars_[i], offset_, c_, t)) throw Error(kScalarTooLarge);
  const std::int32_t half = std::int32_t(1) << (c_ - 1);
  for (std::size_t w = 0; w < out.size(); ++w) out[w] = static_cast<std::int32_t>(field_at(t, c_ * w, c_)) - half;
}

}  // namespace zkacc::runtime
