// MontgomeryField<Params>: a prime field of up to 254 bits held in Montgomery
// form over four 64-bit limbs.
//
// An element a is stored as  ā = a·R mod p  with R = 2^256. Multiplication is
// Montgomery's REDC interleaved with the schoolbook product (CIOS):
//
//     mont_mul(ā, b̄) = ā·b̄·R^-1 mod p = (a·b)·R mod p
//
// For each limb b_i:  t += ā·b_i;  m = t_0·(-p^-1) mod 2^64;  t = (t + m·p) / 2^64.
// Because p < 2^254 (the top limb has its two high bits clear), the running
// value t stays below 2p and fits in four limbs without a fifth carry word (the
// "no-carry" variant of CIOS); one conditional subtraction at the end brings it
// below p. Every element is kept fully reduced (< p) between operations, so
// equality is limb equality and serialization needs no extra reduction.
//
// Params supplies only the modulus and a quadratic non-residue that generates
// the 2-power roots of unity; R mod p, R^2 mod p, -p^-1 mod 2^64 and the
// exponents for inversion and square roots are derived at compile time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/field/bigint.hpp"
#include "zkacc/field/binary_gcd_inverse.hpp"
#include "zkacc/field/exponentiation.hpp"
#include "zkacc/field/montgomery_x86_64.hpp"

namespace zkacc {

template <class Params>
class MontgomeryField {
 public:
  static constexpr std::size_t kLimbs = 4;
  static constexpr std::size_t kBytes = 32;
  using Repr = BigInt<kLimbs>;

  static constexpr Repr kModulus = Params::kModulus;
  static constexpr std::size_t kBits = bigint::bit_length(kModulus);
  static_assert(kModulus[0] & 1, "modulus must be odd");
  // The no-carry CIOS multiplication and the carry-free addition below need
  // two spare bits in the top limb.
  static_assert(kModulus[kLimbs - 1] < 0x3fffffffffffffffull, "modulus must be below 2^254");

 private:
  static constexpr std::uint64_t compute_inv() {
    // Newton iteration for p^-1 mod 2^64; each step doubles the correct bits.
    std::uint64_t x = 1;
    for (int i = 0; i < 7; ++i) x *= 2 - kModulus[0] * x;
    return ~x + 1;  // -p^-1
  }
  // 2^k mod p by repeated modular doubling from 1.
  static constexpr Repr pow2_mod(std::size_t k) {
    Repr r = bigint::from_u64<kLimbs>(1);
    for (std::size_t i = 0; i < k; ++i) r = bigint::add_mod(r, r, kModulus);
    return r;
  }
  static constexpr Repr minus(const Repr& a, std::uint64_t v) {
    Repr r{};
    bigint::sub(r, a, bigint::from_u64<kLimbs>(v));
    return r;
  }
  static constexpr Repr plus(const Repr& a, std::uint64_t v) {
    Repr r{};
    bigint::add(r, a, bigint::from_u64<kLimbs>(v));
    return r;
  }
  static constexpr std::size_t compute_two_adicity() {
    Repr t = minus(kModulus, 1);
    std::size_t s = 0;
    while ((t[0] & 1) == 0) {
      bigint::shr1(t);
      ++s;
    }
    return s;
  }

 public:
  static constexpr std::uint64_t kInv = compute_inv();          // -p^-1 mod 2^64
  static constexpr Repr kR = pow2_mod(256);                      // R mod p  (Montgomery one)
  static constexpr Repr kR2 = pow2_mod(512);                     // R^2 mod p
  static constexpr Repr kR3 = pow2_mod(768);                     // R^3 mod p
  static constexpr std::size_t kTwoAdicity = compute_two_adicity();  // largest s with 2^s | p-1

  // Exponents used by inverse, legendre and sqrt.
  static constexpr Repr kModulusMinus2 = minus(kModulus, 2);
  static constexpr Repr kHalfModulusMinus1 = [] {  // (p-1)/2
    Repr t = minus(kModulus, 1);
    bigint::shr1(t);
    return t;
  }();
  static constexpr Repr kTrace = [] {  // t = (p-1) / 2^s, odd
    Repr t = minus(kModulus, 1);
    for (std::size_t i = 0; i < kTwoAdicity; ++i) bigint::shr1(t);
    return t;
  }();
  static constexpr Repr kTracePlus1Half = [] {  // (t+1)/2
    Repr t = plus(kTrace, 1);
    bigint::shr1(t);
    return t;
  }();

  // --- construction -------------------------------------------------------

  constexpr MontgomeryField() = default;  // zero

  static constexpr MontgomeryField zero() { return MontgomeryField(); }
  static constexpr MontgomeryField one() { return from_montgomery_unchecked(kR); }

  static constexpr MontgomeryField from_u64(std::uint64_t v) {
    // p > 2^64 for every field this template serves, so v is already reduced.
    static_assert(kModulus[1] | kModulus[2] | kModulus[3]);
    const Repr a = bigint::from_u64<kLimbs>(v);
    MontgomeryField r;
    mont_mul(r.v_, a, kR2);
    return r;
  }

  // From a canonical integer; throws if it is not below p.
  static MontgomeryField from_canonical(const Repr& a) {
    if (bigint::compare(a, kModulus) >= 0)
      throw Error(std::string(Params::kName) + ": integer 0x" + bigint::to_hex(a) +
                  " is not below the modulus");
    return from_canonical_unchecked(a);
  }

  // From a canonical integer the caller guarantees is below p.
  static constexpr MontgomeryField from_canonical_unchecked(const Repr& a) {
    MontgomeryField r;
    mont_mul(r.v_, a, kR2);
    return r;
  }

  // From any 256-bit integer, reduced mod p (the name says it reduces).
  static constexpr MontgomeryField from_integer_reduce(Repr a) {
    while (bigint::compare(a, kModulus) >= 0) bigint::sub(a, a, kModulus);
    return from_canonical_unchecked(a);
  }

  // From a Montgomery-form value a·R mod p, as stored in .zkey/.ptau files.
  static MontgomeryField from_montgomery(const Repr& a) {
    if (bigint::compare(a, kModulus) >= 0)
      throw Error(std::string(Params::kName) + ": Montgomery value 0x" + bigint::to_hex(a) +
                  " is not below the modulus");
    return from_montgomery_unchecked(a);
  }
  static constexpr MontgomeryField from_montgomery_unchecked(const Repr& a) {
    MontgomeryField r;
    r.v_ = a;
    return r;
  }

  // Decimal string, canonical value; throws on anything else (sign, spaces,
  // hex, empty, >= p).
  static MontgomeryField from_decimal(std::string_view s) {
    Repr a{};
    if (!bigint::parse_decimal(s, a))
      throw Error(std::string(Params::kName) + ": \"" + std::string(s.substr(0, 100)) +
                  "\" is not a decimal integer of at most 256 bits");
    return from_canonical(a);
  }

  // 32 bytes, little- or big-endian canonical integer; throws if >= p.
  static MontgomeryField from_bytes_le(std::span<const std::uint8_t, kBytes> b) {
    return from_canonical(bytes_le_to_repr(b));
  }
  static MontgomeryField from_bytes_be(std::span<const std::uint8_t, kBytes> b) {
    Repr a{};
    for (std::size_t i = 0; i < kBytes; ++i) a[(kBytes - 1 - i) / 8] |= std::uint64_t(b[i]) << (8 * ((kBytes - 1 - i) % 8));
    return from_canonical(a);
  }
  // 32 little-endian bytes of a·R mod p (ffjavascript's "LEM" layout).
  static MontgomeryField from_montgomery_bytes_le(std::span<const std::uint8_t, kBytes> b) {
    return from_montgomery(bytes_le_to_repr(b));
  }

  // Uniform element by rejection sampling of kBits-bit integers.
  template <class Rng>
  static MontgomeryField random(Rng& rng) {
    for (;;) {
      Repr a{};
      for (auto& l : a) l = static_cast<std::uint64_t>(rng());
      if constexpr (kBits % 64 != 0) a[kLimbs - 1] &= (std::uint64_t(1) << (kBits % 64)) - 1;
      if (bigint::compare(a, kModulus) < 0) return from_canonical_unchecked(a);
    }
  }

  // --- conversion out -----------------------------------------------------

  constexpr Repr to_canonical() const {
    Repr r{};
    mont_mul(r, v_, bigint::from_u64<kLimbs>(1));
    return r;
  }
  constexpr const Repr& montgomery_repr() const { return v_; }
  std::string to_decimal() const { return bigint::to_decimal(to_canonical()); }
  std::array<std::uint8_t, kBytes> to_bytes_le() const { return repr_to_bytes_le(to_canonical()); }
  std::array<std::uint8_t, kBytes> to_bytes_be() const {
    return reverse(to_bytes_le());
  }
  std::array<std::uint8_t, kBytes> to_montgomery_bytes_le() const { return repr_to_bytes_le(v_); }

  // --- predicates ---------------------------------------------------------

  constexpr bool is_zero() const { return bigint::is_zero(v_); }
  constexpr bool is_one() const { return *this == one(); }
  // Limb-wise XOR rather than std::array's ==, which GCC lowers to a memcmp call.
  friend constexpr bool operator==(const MontgomeryField& a, const MontgomeryField& b) {
    std::uint64_t d = 0;
    for (std::size_t i = 0; i < kLimbs; ++i) d |= a.v_[i] ^ b.v_[i];
    return d == 0;
  }

  // --- arithmetic ---------------------------------------------------------

  constexpr MontgomeryField& operator+=(const MontgomeryField& b) {
    add_mod(v_, v_, b.v_);
    return *this;
  }
  constexpr MontgomeryField& operator-=(const MontgomeryField& b) {
    sub_mod(v_, v_, b.v_);
    return *this;
  }
  constexpr MontgomeryField& operator*=(const MontgomeryField& b) {
    mont_mul(v_, v_, b.v_);
    return *this;
  }
  friend constexpr MontgomeryField operator+(const MontgomeryField& a, const MontgomeryField& b) {
    MontgomeryField r;
#ifdef ZKACC_HAVE_X86_64_ASM
    if (!std::is_constant_evaluated()) {
      detail::add_sub_mod_x86_to_registers<detail::ModAdd::Add>(r.v_.data(), a.v_.data(), b.v_.data(), kModulus.data());
      return r;
    }
#endif
    add_mod(r.v_, a.v_, b.v_);
    return r;
  }
  friend constexpr MontgomeryField operator-(const MontgomeryField& a, const MontgomeryField& b) {
    MontgomeryField r;
#ifdef ZKACC_HAVE_X86_64_ASM
    if (!std::is_constant_evaluated()) {
      detail::add_sub_mod_x86_to_registers<detail::ModAdd::Sub>(r.v_.data(), a.v_.data(), b.v_.data(), kModulus.data());
      return r;
    }
#endif
    sub_mod(r.v_, a.v_, b.v_);
    return r;
  }
  friend constexpr MontgomeryField operator*(const MontgomeryField& a, const MontgomeryField& b) {
    MontgomeryField r;
#ifdef ZKACC_HAVE_MONT_MUL_ADX
    if (!std::is_constant_evaluated()) {
      if (detail::use_mulx_adx())
        detail::mont_mul_adx_to_registers(r.v_.data(), a.v_.data(), b.v_.data(), kModulus.data(), kInv);
      else
        r.v_ = mont_mul_portable_cold(a.v_, b.v_);
      return r;
    }
#endif
    mont_mul_portable(r.v_, a.v_, b.v_);
    return r;
  }
  constexpr MontgomeryField operator-() const {
    MontgomeryField r;
    sub_mod(r.v_, Repr{}, v_);
    return r;
  }
  constexpr MontgomeryField dbl() const { return *this + *this; }
  constexpr MontgomeryField square() const {
    MontgomeryField r;
    mont_sqr(r.v_, v_);
    return r;
  }
  // a / 2: add p when odd, then shift (p < 2^254, so a + p never overflows).
  constexpr MontgomeryField half() const {
    Repr t = v_;
    if (t[0] & 1) bigint::add(t, t, kModulus);
    bigint::shr1(t);
    return from_montgomery_unchecked(t);
  }

  // a^e for a canonical exponent of any width (left-to-right square and multiply).
  template <std::size_t N>
  constexpr MontgomeryField pow(const BigInt<N>& e) const {
    return pow_vartime(*this, e);
  }
  constexpr MontgomeryField pow(std::uint64_t e) const { return pow(BigInt<1>{e}); }

  // Constant-time inverse by Fermat's little theorem, a^(p-2). Throws on zero.
  MontgomeryField inverse() const {
    if (is_zero()) throw Error(std::string(Params::kName) + ": inverse of zero");
    return pow(kModulusMinus2);
  }

  // Variable-time inverse, several times faster than inverse(); for public
  // data such as batch normalization and the MSM's batched additions. The
  // optimized binary GCD (binary_gcd_inverse.hpp) gives v with
  // (aR)^-1 = v·2^F, and one multiplication converts:
  //   mont_mul(v, 2^F·R^3) = v·2^F·R^2 = (aR)^-1·R^2 = a^-1·R.
  MontgomeryField inverse_vartime() const {
    if (is_zero()) throw Error(std::string(Params::kName) + ": inverse of zero");
    static constexpr Repr kGcdToMontgomery = pow2_mod(field_detail::BinaryGcd::kFactorBits + 768);
    Repr v;
    if (field_detail::binary_gcd_inverse(v_, kModulus, kInv, v)) [[likely]] {
      MontgomeryField r;
      mont_mul(r.v_, v, kGcdToMontgomery);
      return r;
    }
    return inverse_euclid();
  }

 private:
  // The plain binary extended Euclid: one bit per step on the whole values.
  // Kept as the fallback should the binary GCD above ever not reach gcd 1,
  // which its iteration bound rules out for a nonzero element of a prime field.
  MontgomeryField inverse_euclid() const {
    Repr u = v_, v = kModulus;
    Repr x1 = bigint::from_u64<kLimbs>(1), x2{};
    const Repr one_int = bigint::from_u64<kLimbs>(1);
    auto halve = [](Repr& x) {
      if (x[0] & 1) bigint::add(x, x, kModulus);
      bigint::shr1(x);
    };
    while (u != one_int && v != one_int) {
      while ((u[0] & 1) == 0) {
        bigint::shr1(u);
        halve(x1);
      }
      while ((v[0] & 1) == 0) {
        bigint::shr1(v);
        halve(x2);
      }
      if (bigint::compare(u, v) >= 0) {
        bigint::sub(u, u, v);
        sub_mod(x1, x1, x2);
      } else {
        bigint::sub(v, v, u);
        sub_mod(x2, x2, x1);
      }
    }
    MontgomeryField r;
    mont_mul(r.v_, u == one_int ? x1 : x2, kR3);
    return r;
  }

 public:

  // Legendre symbol: 0 for zero, 1 for a non-zero square, -1 otherwise.
  int legendre() const {
    if (is_zero()) return 0;
    return pow(kHalfModulusMinus1).is_one() ? 1 : -1;
  }

  // A square root (either one), or nullopt for a non-residue. p = 3 mod 4 uses
  // a^((p+1)/4); otherwise Tonelli-Shanks with the 2^s-th root of unity g^t.
  std::optional<MontgomeryField> sqrt() const {
    if (is_zero()) return zero();
    if (legendre() != 1) return std::nullopt;
    if constexpr (kTwoAdicity == 1) {
      constexpr Repr e = [] {
        Repr t = plus(kModulus, 1);
        bigint::shr1(t);
        bigint::shr1(t);
        return t;
      }();
      return pow(e);
    } else {
      MontgomeryField c = from_u64(Params::kNonResidue).pow(kTrace);
      MontgomeryField x = pow(kTracePlus1Half);
      MontgomeryField b = pow(kTrace);
      std::size_t m = kTwoAdicity;
      while (!b.is_one()) {
        std::size_t i = 0;
        for (MontgomeryField t = b; !t.is_one(); t = t.square()) ++i;
        MontgomeryField w = c;
        for (std::size_t j = 0; j + i + 1 < m; ++j) w = w.square();
        x *= w;
        c = w.square();
        b *= c;
        m = i;
      }
      return x;
    }
  }

  // A primitive 2^k-th root of unity, k <= kTwoAdicity: g^((p-1)/2^k).
  static MontgomeryField root_of_unity(std::size_t k) {
    if (k > kTwoAdicity)
      throw Error(std::string(Params::kName) + ": no 2^" + std::to_string(k) + "-th root of unity (two-adicity " +
                  std::to_string(kTwoAdicity) + ")");
    MontgomeryField w = from_u64(Params::kNonResidue).pow(kTrace);  // order 2^s
    for (std::size_t i = k; i < kTwoAdicity; ++i) w = w.square();
    return w;
  }

  // --- limb kernels (public so vectorized engines can reuse them) ---------

  static constexpr void add_mod(Repr& r, const Repr& a, const Repr& b) {
#ifdef ZKACC_HAVE_X86_64_ASM
    if (!std::is_constant_evaluated()) {
      detail::add_sub_mod_x86<detail::ModAdd::Add>(r.data(), a.data(), b.data(), kModulus.data());
      return;
    }
#endif
    // p < 2^254: a + b < 2^255 cannot carry out of four limbs.
    Repr s{};
    bigint::add(s, a, b);
    Repr d{};
    std::uint64_t borrow = bigint::sub(d, s, kModulus);
    select(r, borrow, s, d);
  }

  static constexpr void sub_mod(Repr& r, const Repr& a, const Repr& b) {
#ifdef ZKACC_HAVE_X86_64_ASM
    if (!std::is_constant_evaluated()) {
      detail::add_sub_mod_x86<detail::ModAdd::Sub>(r.data(), a.data(), b.data(), kModulus.data());
      return;
    }
#endif
    Repr d{};
    const std::uint64_t mask = 0 - bigint::sub(d, a, b);
    const Repr m = {kModulus[0] & mask, kModulus[1] & mask, kModulus[2] & mask, kModulus[3] & mask};
    bigint::add(r, d, m);
  }

  // r = a·b·R^-1 mod p (no-carry CIOS, see the header comment): the BMI2/ADX
  // kernel where this build and CPU have it (field_config.hpp), else the
  // portable loop below.
  [[gnu::always_inline]] static constexpr void mont_mul(Repr& r, const Repr& a, const Repr& b) {
#ifdef ZKACC_HAVE_MONT_MUL_ADX
    if (!std::is_constant_evaluated()) {
      if (detail::use_mulx_adx())
        detail::mont_mul_adx(r.data(), a.data(), b.data(), kModulus.data(), kInv);
      else
        r = mont_mul_portable_cold(a, b);
      return;
    }
#endif
    mont_mul_portable(r, a, b);
  }

#ifdef ZKACC_HAVE_MONT_MUL_ADX
  // The portable product and squaring out of line, for a build that chooses
  // the kernel at run time (field_config.hpp) on a CPU without BMI2/ADX.
  // Inlined beside the kernel at every product, the second path would make
  // the compiler pass every result through memory on the kernel's path too:
  // +40 % on a squaring, +10 % on a mixed point addition (docs/library.md).
  [[gnu::noinline, gnu::cold]] static Repr mont_mul_portable_cold(const Repr& a, const Repr& b) {
    Repr r;
    mont_mul_portable(r, a, b);
    return r;
  }
  [[gnu::noinline, gnu::cold]] static Repr mont_sqr_portable_cold(const Repr& a) {
    Repr r;
    mont_sqr_portable(r, a);
    return r;
  }
#endif

  // The product in portable C++, whatever the build: the path a CPU without
  // BMI2/ADX takes, and what the tests hold the asm kernel to.
  [[gnu::always_inline]] static constexpr void mont_mul_portable(Repr& r, const Repr& a, const Repr& b) {
    std::uint64_t t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const std::uint64_t bi = b[i];
      u128 x = static_cast<u128>(a[0]) * bi + t0;
      std::uint64_t A = static_cast<std::uint64_t>(x >> 64);
      t0 = static_cast<std::uint64_t>(x);
      const std::uint64_t m = t0 * kInv;
      x = static_cast<u128>(m) * kModulus[0] + t0;
      std::uint64_t C = static_cast<std::uint64_t>(x >> 64);

      x = static_cast<u128>(a[1]) * bi + t1 + A;
      A = static_cast<std::uint64_t>(x >> 64);
      t1 = static_cast<std::uint64_t>(x);
      x = static_cast<u128>(m) * kModulus[1] + t1 + C;
      C = static_cast<std::uint64_t>(x >> 64);
      t0 = static_cast<std::uint64_t>(x);

      x = static_cast<u128>(a[2]) * bi + t2 + A;
      A = static_cast<std::uint64_t>(x >> 64);
      t2 = static_cast<std::uint64_t>(x);
      x = static_cast<u128>(m) * kModulus[2] + t2 + C;
      C = static_cast<std::uint64_t>(x >> 64);
      t1 = static_cast<std::uint64_t>(x);

      x = static_cast<u128>(a[3]) * bi + t3 + A;
      A = static_cast<std::uint64_t>(x >> 64);
      t3 = static_cast<std::uint64_t>(x);
      x = static_cast<u128>(m) * kModulus[3] + t3 + C;
      C = static_cast<std::uint64_t>(x >> 64);
      t2 = static_cast<std::uint64_t>(x);

      t3 = C + A;
    }
    reduce_once(r, Repr{t0, t1, t2, t3});
  }

  // r = a^2·R^-1 mod p: the 512-bit square with each cross product computed
  // once (10 limb products instead of 16), then a separate Montgomery reduction.
  [[gnu::always_inline]] static constexpr void mont_sqr(Repr& r, const Repr& a) {
#ifdef ZKACC_HAVE_MONT_MUL_ADX
    // The ADX product (15 ns) beats the portable squaring (33 ns) outright.
    if (!std::is_constant_evaluated()) {
      if (detail::use_mulx_adx())
        detail::mont_mul_adx_to_registers(r.data(), a.data(), a.data(), kModulus.data(), kInv);
      else
        r = mont_sqr_portable_cold(a);
      return;
    }
#endif
    mont_sqr_portable(r, a);
  }

  // The squaring in portable C++ (see mont_mul_portable).
  [[gnu::always_inline]] static constexpr void mont_sqr_portable(Repr& r, const Repr& a) {
    std::uint64_t w[8] = {};
    // Cross products a_i·a_j, i < j.
    {
      std::uint64_t c = 0;
      for (std::size_t i = 0; i < 3; ++i) {
        c = 0;
        for (std::size_t j = i + 1; j < 4; ++j) {
          u128 x = static_cast<u128>(a[i]) * a[j] + w[i + j] + c;
          w[i + j] = static_cast<std::uint64_t>(x);
          c = static_cast<std::uint64_t>(x >> 64);
        }
        w[i + 4] = c;
      }
    }
    // Double them.
    w[7] = w[6] >> 63;
    w[6] = (w[6] << 1) | (w[5] >> 63);
    w[5] = (w[5] << 1) | (w[4] >> 63);
    w[4] = (w[4] << 1) | (w[3] >> 63);
    w[3] = (w[3] << 1) | (w[2] >> 63);
    w[2] = (w[2] << 1) | (w[1] >> 63);
    w[1] = w[1] << 1;
    // Add the squares a_i^2 on the diagonal.
    {
      std::uint64_t c = 0;
      for (std::size_t i = 0; i < 4; ++i) {
        u128 sq = static_cast<u128>(a[i]) * a[i];
        u128 x = static_cast<u128>(w[2 * i]) + static_cast<std::uint64_t>(sq) + c;
        w[2 * i] = static_cast<std::uint64_t>(x);
        x = static_cast<u128>(w[2 * i + 1]) + static_cast<std::uint64_t>(sq >> 64) + static_cast<std::uint64_t>(x >> 64);
        w[2 * i + 1] = static_cast<std::uint64_t>(x);
        c = static_cast<std::uint64_t>(x >> 64);
      }
    }
    // Montgomery reduction of the 512-bit w, one limb at a time.
    for (std::size_t i = 0; i < 4; ++i) {
      const std::uint64_t m = w[i] * kInv;
      std::uint64_t c = 0;
      for (std::size_t j = 0; j < 4; ++j) {
        u128 x = static_cast<u128>(m) * kModulus[j] + w[i + j] + c;
        w[i + j] = static_cast<std::uint64_t>(x);
        c = static_cast<std::uint64_t>(x >> 64);
      }
      // Propagate the carry into the upper half; the upper half plus carries
      // stays below 2p < 2^255, so nothing leaves w[7].
      for (std::size_t k = i + 4; k < 8 && c; ++k) {
        u128 x = static_cast<u128>(w[k]) + c;
        w[k] = static_cast<std::uint64_t>(x);
        c = static_cast<std::uint64_t>(x >> 64);
      }
    }
    reduce_once(r, Repr{w[4], w[5], w[6], w[7]});
  }

 private:
  // r = flag ? a : b, without a branch: these selects depend on the data and
  // a mispredicted branch costs more than the whole addition.
  static constexpr void select(Repr& r, std::uint64_t flag, const Repr& a, const Repr& b) {
    const std::uint64_t mask = 0 - flag;
    for (std::size_t i = 0; i < kLimbs; ++i) r[i] = (a[i] & mask) | (b[i] & ~mask);
  }

  static constexpr void reduce_once(Repr& r, const Repr& t) {
    Repr d{};
    std::uint64_t borrow = bigint::sub(d, t, kModulus);
    select(r, borrow, t, d);
  }

  static constexpr Repr bytes_le_to_repr(std::span<const std::uint8_t, kBytes> b) {
    Repr a{};
    for (std::size_t i = 0; i < kBytes; ++i) a[i / 8] |= std::uint64_t(b[i]) << (8 * (i % 8));
    return a;
  }
  static std::array<std::uint8_t, kBytes> repr_to_bytes_le(const Repr& a) {
    std::array<std::uint8_t, kBytes> out{};
    for (std::size_t i = 0; i < kBytes; ++i) out[i] = static_cast<std::uint8_t>(a[i / 8] >> (8 * (i % 8)));
    return out;
  }
  static std::array<std::uint8_t, kBytes> reverse(const std::array<std::uint8_t, kBytes>& a) {
    std::array<std::uint8_t, kBytes> r{};
    for (std::size_t i = 0; i < kBytes; ++i) r[i] = a[kBytes - 1 - i];
    return r;
  }

  Repr v_{};
};

// Montgomery's trick: inverts every non-zero element of xs in place with one
// field inversion and 3(n-1) multiplications. Zeros are left as zero, so a
// batch with points at infinity needs no special casing by the caller.
// `scratch` must hold xs.size() elements; it avoids an allocation per call.
template <class F>
void batch_inverse(std::span<F> xs, std::span<F> scratch) {
  if (scratch.size() < xs.size()) throw Error("batch_inverse: scratch smaller than input");
  F acc = F::one();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    scratch[i] = acc;
    if (!xs[i].is_zero()) acc *= xs[i];
  }
  F inv = acc.inverse_vartime();
  for (std::size_t i = xs.size(); i-- > 0;) {
    if (xs[i].is_zero()) continue;
    F next = inv * xs[i];
    xs[i] = inv * scratch[i];
    inv = next;
  }
}

template <class F>
void batch_inverse(std::span<F> xs) {
  std::vector<F> scratch(xs.size());
  batch_inverse(xs, std::span<F>(scratch));
}

}  // namespace zkacc
