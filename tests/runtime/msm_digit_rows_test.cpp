// runtime::MsmDigitRows, the MSM kernel's digit rows: every digit read back
// from the packed rows equals the offset recoding computed bit by bit here
// (t = k + M with M = Σ_w 2^(c−1)·2^(c·w), d_w = c bits of t − 2^(c−1)),
// the digits stay in [−2^(c−1), 2^(c−1) − 1], a row of every window
// rebuilds the scalar (Σ d_w·2^(c·w) = k, by plain multi-limb arithmetic),
// chunks filled from several threads give the same rows as one pass, and
// bad shapes and scalars are refused.
#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "support/offset_recoding.hpp"
#include "support/test_rng.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/field/bn254.hpp"
#include "zkacc/msm/signed_digits.hpp"
#include "zkacc/runtime/device_msm.hpp"
#include "zkacc/runtime/msm_digit_rows.hpp"

using namespace zkacc;
using namespace zkacc::runtime;

namespace {

using test::offset_recoding_digits;

std::vector<BigInt<4>> test_scalars(std::size_t n, std::mt19937_64& rng) {
  std::vector<BigInt<4>> s(n);
  for (auto& k : s) k = Fr::random(rng).to_canonical();
  // The extremes: 0, 1, r − 1, and a run of ones whose digits carry.
  s[0] = BigInt<4>{};
  s[1] = bigint::from_u64<4>(1);
  s[2] = Fr::kModulus;
  s[2][0] -= 1;
  s[3] = BigInt<4>{~0ull, ~0ull, 0, 0};
  return s;
}

// Σ_k d_k·2^(c·k) over the row's digits (a row from window 0), as a
// 320-bit two's complement integer: equal to the scalar when the row holds
// all its windows.
BigInt<5> rebuild(const MsmDigitRows& rows, std::size_t i, unsigned c) {
  BigInt<5> acc{};
  for (std::size_t k = rows.count(); k-- > 0;) {
    // acc = acc·2^c + d
    for (unsigned b = 0; b < c; ++b) {
      std::uint64_t carry = 0;
      for (auto& limb : acc) {
        const std::uint64_t next = limb >> 63;
        limb = (limb << 1) | carry;
        carry = next;
      }
    }
    const std::int64_t d = rows.digit(i, k);
    const std::uint64_t add = static_cast<std::uint64_t>(d), ext = d < 0 ? ~0ull : 0;
    unsigned __int128 t = 0;
    for (std::size_t l = 0; l < 5; ++l) {
      t += static_cast<unsigned __int128>(acc[l]) + (l == 0 ? add : ext);
      acc[l] = static_cast<std::uint64_t>(t);
      t >>= 64;
    }
  }
  return acc;
}

}  // namespace

TEST_CASE("msm digit rows: the packed digits are the scalar's signed digits", "[runtime]") {
  SEED_INFO();
  auto rng = test::make_rng(31);
  const std::size_t n = 300;
  const auto scalars = test_scalars(n, rng);
  for (const auto& [c, digit_bits] : std::vector<std::pair<unsigned, unsigned>>{
           {8, 16}, {13, 16}, {15, 16}, {10, 18}, {15, 18}, {16, 18}, {17, 18}, {20, 24}}) {
    INFO("c = " << c << ", " << digit_bits << "-bit digits");
    const std::size_t windows = num_windows(c), R = msm_row_digits(digit_bits);
    // Rows of every window when they fit, else the first R.
    const std::size_t count = std::min(windows, R);
    MsmDigitRows rows(n, c, digit_bits, 0, count);
    rows.fill(scalars, 0, n);
    const std::int32_t half = std::int32_t(1) << (c - 1);
    for (std::size_t i = 0; i < n; ++i) {
      const std::vector<std::int32_t> expected = offset_recoding_digits(scalars[i], c);
      for (std::size_t k = 0; k < count; ++k) {
        const std::int32_t d = rows.digit(i, k);
        REQUIRE(d == expected[k]);
        REQUIRE(d >= -half);
        REQUIRE(d < half);
      }
      if (count == windows) {
        // An independent check of the decomposition: the digits rebuild k.
        const BigInt<5> back = rebuild(rows, i, c);
        for (std::size_t l = 0; l < 4; ++l) REQUIRE(back[l] == scalars[i][l]);
        REQUIRE(back[4] == 0);
      }
    }
    for (std::size_t k = 0; k < count; ++k) {
      std::uint64_t nz = 0;
      for (std::size_t i = 0; i < n; ++i) nz += rows.digit(i, k) != 0;
      CHECK(rows.nonzero(k) == nz);
    }
  }
}

TEST_CASE("msm digit rows: later windows, chunks from threads, reused memory, bad shapes", "[runtime]") {
  SEED_INFO();
  auto rng = test::make_rng(32);
  const std::size_t n = 257;
  const auto scalars = test_scalars(n, rng);
  SECTION("rows from window 28 hold windows 28.. at digits 0..") {
    // c = 6: 43 windows; the second rows of an 18-bit kernel.
    MsmDigitRows all(n, 6, 18, 0, 28), later(n, 6, 18, 28, 15);
    all.fill(scalars, 0, n);
    later.fill(scalars, 0, n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::vector<std::int32_t> expected = offset_recoding_digits(scalars[i], 6);
      for (std::size_t k = 0; k < 15; ++k) REQUIRE(later.digit(i, k) == expected[28 + k]);
      for (std::size_t k = 0; k < 28; ++k) REQUIRE(all.digit(i, k) == expected[k]);
      // Digits beyond the row's windows stay zero.
      for (std::size_t k = 15; k < 28; ++k) REQUIRE(later.digit(i, k) == 0);
    }
  }
  SECTION("disjoint chunks on several threads give the bytes of one pass") {
    MsmDigitRows one(n, 17, 18, 0, 15), chunked(n, 17, 18, 0, 15);
    one.fill(scalars, 0, n);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t)
      threads.emplace_back([&, t] { chunked.fill(scalars, n * t / 4, n * (t + 1) / 4); });
    for (auto& th : threads) th.join();
    CHECK(std::equal(one.beats().begin(), one.beats().end(), chunked.beats().begin(), chunked.beats().end()));
    for (std::size_t k = 0; k < 15; ++k) CHECK(one.nonzero(k) == chunked.nonzero(k));
    CHECK(chunked.beats(10, 20).size() == 10 * MsmDigitRows::kRowBytes);
  }
  SECTION("rows in the memory of earlier rows equal fresh ones") {
    MsmDigitRows first(n, 8, 16, 0, 32);
    first.fill(scalars, 0, n);
    MsmDigitRows::Storage storage = first.release();
    const std::byte* memory = storage.bytes.get();
    REQUIRE(storage.rows == n);
    // Fewer points, another shape: the old bytes are all overwritten.
    const std::size_t m = n - 50;
    const std::span<const BigInt<4>> some(scalars.data(), m);
    MsmDigitRows reused(m, 17, 18, 0, 15, std::move(storage)), fresh(m, 17, 18, 0, 15);
    CHECK(reused.beats().data() == memory);
    reused.fill(some, 0, m);
    fresh.fill(some, 0, m);
    CHECK(std::equal(reused.beats().begin(), reused.beats().end(), fresh.beats().begin(), fresh.beats().end()));
    // Too small for more points: a fresh allocation.
    MsmDigitRows::Storage small = reused.release();
    MsmDigitRows bigger(n + 1, 8, 16, 0, 32, std::move(small));
    CHECK(bigger.beats().size() == (n + 1) * MsmDigitRows::kRowBytes);
  }
  SECTION("bad shapes are refused") {
    CHECK_THROWS_WITH(MsmDigitRows(n, 16, 16, 0, 16), Catch::Contains("16-bit windows do not fit 16-bit digits"));
    CHECK_THROWS_WITH(MsmDigitRows(n, 8, 18, 0, 29), Catch::Contains("29 windows do not fit a row of 28 digits"));
    CHECK_THROWS_WITH(MsmDigitRows(n, 8, 25, 0, 4), Catch::Contains("25-bit kernel digits"));
    MsmDigitRows rows(n, 8, 16, 0, 32);
    CHECK_THROWS_WITH(rows.fill(scalars, 10, n + 1), Catch::Contains("out of range"));
    std::vector<BigInt<4>> too_big(n);
    too_big[5] = BigInt<4>{0, 0, 0, ~0ull};  // 2^256 − 2^192: no c's windows hold it
    CHECK_THROWS_WITH(rows.fill(too_big, 0, n), Catch::Contains("does not fit the window decomposition"));
  }
}

TEST_CASE("msm offset digits: counts and digits from the scalars, as the kernel's slicer makes them", "[runtime]") {
  // MsmOffsetDigits (for a kernel that slices scalars itself) against the
  // bit-by-bit recoding: every digit, and the nonzero count of each window
  // over ranges counted from two threads; a scalar close to 2^256 does not
  // fit the windows and is refused, as are more windows than c has.
  SEED_INFO();
  auto rng = test::make_rng(31);
  const std::size_t n = 300;
  const auto scalars = test_scalars(n, rng);
  for (unsigned c : {2u, 8u, 10u, 15u, 17u}) {
    INFO("c = " << c);
    const std::size_t windows = num_windows(c);
    MsmOffsetDigits digits(scalars, c, windows);
    std::thread other([&] { digits.count(0, 120); });
    digits.count(120, n);
    other.join();
    std::vector<std::uint64_t> nonzero(windows, 0);
    for (std::size_t i = 0; i < n; ++i) {
      const auto ref = offset_recoding_digits(scalars[i], c);
      for (std::size_t w = 0; w < windows; ++w) {
        nonzero[w] += ref[w] != 0;
        if (digits.digit(i, w) != ref[w]) {
          INFO("scalar " << i << ", window " << w);
          CHECK(digits.digit(i, w) == ref[w]);
        }
      }
    }
    for (std::size_t w = 0; w < windows; ++w) CHECK(digits.nonzero(w) == nonzero[w]);
  }
  std::vector<BigInt<4>> big = {BigInt<4>{~0ull, ~0ull, ~0ull, ~0ull}};
  MsmOffsetDigits too_big(big, 17, num_windows(17));
  CHECK_THROWS_WITH(too_big.count(0, 1), Catch::Contains("below r"));
  CHECK_THROWS_AS(MsmOffsetDigits(scalars, 17, num_windows(17) + 1), Error);
}
