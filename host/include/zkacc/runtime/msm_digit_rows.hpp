// The MSM kernel's digit rows (zkacc_msm_kernel, docs/kernel_msm.md): one
// 64-byte beat per point holding the signed c-bit digits of the windows
// [first, first + count) of its scalar, window first + k as digit k: D bits
// at bit D·k, two's complement, little-endian (D = the kernel's DigitBits:
// 16, 32 digits a row; 18, 28 a row). The scalars are sliced straight into
// the rows, and the nonzero digits of each window counted on the way: they
// are the additions the kernel must report.
//
// The digits are the offset recoding: with M = Σ_w 2^(c−1)·2^(c·w) over
// the num_windows(c) windows, t = k + M, d_w = (c bits of t at c·w) −
// 2^(c−1), in [−2^(c−1), 2^(c−1) − 1], and Σ_w d_w·2^(c·w) = k as long as
// t fits the windows (k < r does, for every c). One addition and a shift
// and subtraction per window, no carries from window to window: about three
// times faster than for_each_signed_digit's window-by-window carries, which
// matters because the host slices all n scalars before the first kernel
// run. |d| <= 2^(c−1) as there, so the buckets are the same 2^(c−1).
//
// fill() may run on disjoint point ranges from several threads at once, so
// the host can slice one chunk of points while the previous chunk goes to
// the card (DeviceMsm).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <utility>
#include <vector>

#include "zkacc/field/bigint.hpp"

namespace zkacc::runtime {

// The row format's limits: D-bit digits, 16 <= D <= 24; 512 / D a row; a
// signed c-bit digit (|d| <= 2^(c−1)) needs D >= c + 1.
constexpr std::size_t msm_row_digits(unsigned digit_bits) { return 512 / digit_bits; }
constexpr unsigned msm_max_window_bits(unsigned digit_bits) { return digit_bits - 1; }
constexpr bool msm_digit_bits_supported(unsigned digit_bits) { return digit_bits >= 16 && digit_bits <= 24; }
// Throws zkacc::Error naming the width unless it is supported.
void check_msm_digit_bits(unsigned digit_bits);

// Memory for digit rows, handed from one MsmDigitRows to the next.
struct MsmDigitRowStorage {
  std::unique_ptr<std::byte[]> bytes;
  std::size_t rows = 0;
};

class MsmDigitRows {
 public:
  static constexpr std::size_t kRowBytes = 64;

  // Rows for n points; throws zkacc::Error unless 2 <= c <= digit_bits − 1,
  // 16 <= digit_bits <= 24 and count <= 512 / digit_bits. `storage` (from
  // release() of earlier rows) is reused when it holds n rows: a fresh
  // allocation costs a page fault every 64 rows on first touch, about half
  // as much again as the slicing.
  using Storage = MsmDigitRowStorage;
  MsmDigitRows(std::size_t n, unsigned c, unsigned digit_bits, std::size_t first, std::size_t count,
               Storage storage = {});
  // The rows' memory, for the next rows; these rows are empty afterwards.
  Storage release() { return {std::move(beats_), std::exchange(capacity_, 0)}; }

  // Slices scalars[begin, end) into rows begin..end − 1 (scalars has the n
  // scalars, canonical, below 2^254). Thread-safe for disjoint ranges.
  void fill(std::span<const BigInt<4>> scalars, std::size_t begin, std::size_t end);

  std::size_t points() const { return n_; }
  std::size_t first() const { return first_; }
  std::size_t count() const { return nonzero_.size(); }
  unsigned digit_bits() const { return digit_bits_; }
  // Rows [begin, end) as the card wants them (a row not yet filled holds
  // whatever the allocation held: the host fills every row before it
  // writes them, and zeroing 64 bytes a point first would cost as much
  // memory traffic as the slicing).
  std::span<const std::byte> beats(std::size_t begin, std::size_t end) const {
    return {beats_.get() + begin * kRowBytes, (end - begin) * kRowBytes};
  }
  std::span<const std::byte> beats() const { return beats(0, n_); }
  // Digit k of point i's row (window first + k), read back from the row.
  std::int32_t digit(std::size_t i, std::size_t k) const;
  // Nonzero digits of window first + k over the rows filled so far.
  std::uint64_t nonzero(std::size_t k) const;

 private:
  std::size_t n_, first_;
  unsigned c_, digit_bits_;
  BigInt<5> offset_{};  // M
  std::unique_ptr<std::byte[]> beats_;
  std::size_t capacity_ = 0;  // rows beats_ holds
  std::vector<std::uint64_t> nonzero_;
  mutable std::mutex mu_;
};

// The same digits straight from the scalars, for a kernel that slices them
// itself (zkacc_msm_kernel's scalars flag, msm_scalar_slicer): the host
// sends the scalars as they are and needs only the nonzero digits of each
// window (the additions to expect) and, for the subset check, single
// digits. No rows: the count reads each scalar once and writes nothing.
class MsmOffsetDigits {
 public:
  // Windows 0 .. windows − 1 of c bits (windows <= num_windows(c)); the
  // scalars must outlive this.
  MsmOffsetDigits(std::span<const BigInt<4>> scalars, unsigned c, std::size_t windows);
  // Counts the nonzero digits of scalars [begin, end); throws zkacc::Error
  // on a scalar the windows cannot hold (not below r). Thread-safe for
  // disjoint ranges.
  void count(std::size_t begin, std::size_t end);
  std::uint64_t nonzero(std::size_t w) const;  // over the scalars counted so far
  std::int32_t digit(std::size_t i, std::size_t w) const;
  // Every window's digit of point i at once (out.size() windows from window
  // 0, at most windows()): one offset sum instead of one a window.
  void digits(std::size_t i, std::span<std::int32_t> out) const;
  std::size_t windows() const { return nonzero_.size(); }
  // Adds counts made elsewhere from digits() (nonzero digits of each
  // window, windows() entries) to the totals. Thread-safe.
  void add_counts(std::span<const std::uint64_t> nonzero);

 private:
  std::span<const BigInt<4>> scalars_;
  unsigned c_;
  BigInt<5> offset_{};  // M
  std::vector<std::uint64_t> nonzero_;
  mutable std::mutex mu_;
};

}  // namespace zkacc::runtime
