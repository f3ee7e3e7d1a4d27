// IfmaX8<F>: eight elements of a MontgomeryField at once, in AVX-512 IFMA
// registers, for the bulk loops (NTT butterflies) of CPUs that have
// vpmadd52luq / vpmadd52huq.
//
// Representation. Element l of the eight sits in lane l of five __m512i
// (structure of arrays): limb[i] holds bits [52i, 52i + 52) of every lane's
// value, so one vpmadd52{lo,hu}q multiplies limb i of eight elements by
// limb j of eight others and accumulates the low or high 52 bits of the
// 104-bit products into 64-bit lanes. The radix 2^52 and the use of the
// madd52 pair follow Gueron and Krasnov, "Accelerating Big Integer Arithmetic
// Using Intel IFMA Extensions" (ARITH 2016); here the layout is "vertical"
// (one element per lane, eight independent products per instruction) instead
// of their one-number-across-lanes layout, since the NTT has independent
// butterflies to spare and a vertical product needs no lane shuffles.
//
// Montgomery domain. Five 52-bit limbs make 260 bits, so the product is
// Montgomery's with R' = 2^260:
//
//     mul(â, b̂) = â·b̂·2^-260 mod p,   â = a·2^260 mod p   ("IFMA domain")
//
// row by row (CIOS, radix 2^52): for each limb b_i, t += a·b_i;
// m = t_0·(-p^-1) mod 2^52; t = (t + m·p) / 2^52. The 64-bit lanes leave
// 12 bits of headroom, so only the lowest limb's carry moves up in each row
// (the next m needs it); the other limbs are normalized once at the end.
// With a, b < p < 2^254 the result is below p + p²/2^260 < 2p; one
// conditional subtraction makes it canonical.
//
// Conversion. The library stores ā = a·2^256 mod p. One product by a
// constant moves between the domains:
//
//     into:   mul(ā, 2^264 mod p) = a·2^256·2^264·2^-260 = a·2^260 = â
//     out of: mul(â, 2^256 mod p) = a·2^260·2^256·2^-260 = a·2^256 = ā
//
// (2^256 mod p is the library's R, its Montgomery one.) Outside the product
// the limbs are only repacked, 4×64 ↔ 5×52.
//
// The library's own domain needs no conversion either. The product's
// bound only asks b < 2^260 with 52-bit limbs, not b < p, so b may be 16·b̄
// unreduced (< 2^258), four bits shifted, and then
//
//     mul(ā, 16·b̄) = ā·b̄·2^4·2^-260 = ā·b̄·2^-256 = (ab)‾
//
// (result < p + p·2^258/2^260 < 2p, the same single subtraction). With
// mul_r256, scaled_limbs and times16, a kernel that loads elements,
// multiplies them by the library's constants (NTT twiddles) and stores them
// back gets the plain R = 2^256 product for a 4-bit shift of the constant.
//
// Every result that leaves this file (store, the public operations) is fully
// reduced, below p, like the library's own elements, so the scalar and the
// IFMA paths give bit-identical results.
//
// Dispatch. The functions are compiled for AVX-512F/DQ/BW/VL + IFMA with a
// target attribute, whatever the build's own -m flags, so a package build
// (ZKACC_NATIVE=OFF) has them too; the caller runs them only when
// cpu_has_avx512ifma() says so.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "zkacc/field/montgomery.hpp"

namespace zkacc {

// True when this CPU runs AVX-512F, DQ, BW, VL and IFMA and the OS saves the
// ZMM state (XCR0). Asked once (cpuid, xgetbv); false off x86-64.
bool cpu_has_avx512ifma() noexcept;

}  // namespace zkacc

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ZKACC_HAVE_IFMA_X8 1
#include <immintrin.h>

// The instruction sets of every function that touches an __m512i here.
#define ZKACC_IFMA_TARGET __attribute__((target("avx512f,avx512ifma,avx512vl,avx512bw,avx512dq")))
// Kernels are always inlined into their (equally targeted) callers: a call
// would pass five vectors through memory.
#define ZKACC_IFMA_INLINE \
  __attribute__((target("avx512f,avx512ifma,avx512vl,avx512bw,avx512dq"), always_inline)) inline

namespace zkacc {

namespace detail {
constexpr std::array<std::uint64_t, 5> split52(const BigInt<4>& x) {
  constexpr std::uint64_t m = (std::uint64_t(1) << 52) - 1;
  return {x[0] & m, ((x[0] >> 52) | (x[1] << 12)) & m, ((x[1] >> 40) | (x[2] << 24)) & m,
          ((x[2] >> 28) | (x[3] << 36)) & m, x[3] >> 16};
}
}  // namespace detail

template <class F>
class IfmaX8 {
 public:
  static constexpr std::size_t kLanes = 8;
  static constexpr std::size_t kLimbs = 5;
  static constexpr unsigned kLimbBits = 52;
  static constexpr std::uint64_t kMask = (std::uint64_t(1) << kLimbBits) - 1;
  using Repr = typename F::Repr;
  using Limbs = std::array<std::uint64_t, kLimbs>;
  static_assert(F::kLimbs == 4 && F::kModulus[3] < (std::uint64_t(1) << 62),
                "five 52-bit limbs hold a 4-limb modulus below 2^254 with room for the product's bound");

  // 4×64 → 5×52 (a plain integer, any domain).
  static constexpr Limbs split(const Repr& x) { return detail::split52(x); }

  static constexpr Limbs kP = detail::split52(F::kModulus);
  static constexpr std::uint64_t kPInv = F::kInv & kMask;  // -p^-1 mod 2^52 (= -p^-1 mod 2^64, truncated)
  // 2^264 mod p: eight modular doublings of R = 2^256 mod p.
  static constexpr Repr kToIfma = [] {
    Repr r = F::kR;
    for (int i = 0; i < 8; ++i) r = bigint::add_mod(r, r, F::kModulus);
    return r;
  }();
  static constexpr Repr kFromIfma = F::kR;  // 2^256 mod p

  __m512i limb[kLimbs];

  // --- conversion -------------------------------------------------------

  // x[0..8) (library form, ā) → IFMA domain (â): repack, then one product by 2^264 mod p.
  ZKACC_IFMA_TARGET static IfmaX8 load(const F* x) {
    IfmaX8 r = load_limbs(reinterpret_cast<const Repr*>(x));
    mont_mul(r.limb, r.limb, broadcast_limbs(kToIfma).limb);
    return r;
  }
  // IFMA domain (â) → x[0..8) in library form (ā), canonical.
  ZKACC_IFMA_TARGET void store(F* x) const {
    IfmaX8 r;
    mont_mul(r.limb, limb, broadcast_limbs(kFromIfma).limb);
    r.store_limbs(reinterpret_cast<Repr*>(x));
  }
  // The same eight elements in the IFMA domain as the library's element a.
  ZKACC_IFMA_TARGET static IfmaX8 broadcast(const F& a) {
    IfmaX8 r = broadcast_limbs(a.montgomery_repr());
    mont_mul(r.limb, r.limb, broadcast_limbs(kToIfma).limb);
    return r;
  }

  // --- arithmetic in the IFMA domain (results below p) ---------------------

  ZKACC_IFMA_TARGET friend IfmaX8 operator*(const IfmaX8& a, const IfmaX8& b) {
    IfmaX8 r;
    mont_mul(r.limb, a.limb, b.limb);
    return r;
  }
  ZKACC_IFMA_TARGET friend IfmaX8 operator+(const IfmaX8& a, const IfmaX8& b) {
    IfmaX8 r;
    add_mod(r.limb, a.limb, b.limb);
    return r;
  }
  ZKACC_IFMA_TARGET friend IfmaX8 operator-(const IfmaX8& a, const IfmaX8& b) {
    IfmaX8 r;
    sub_mod(r.limb, a.limb, b.limb);
    return r;
  }

  // --- the library's domain (ā = a·2^256 mod p): no conversion ----------

  // x[0..8) repacked, still ā.
  ZKACC_IFMA_TARGET static IfmaX8 load_repr(const F* x) { return load_limbs(reinterpret_cast<const Repr*>(x)); }
  ZKACC_IFMA_TARGET void store_repr(F* x) const { store_limbs(reinterpret_cast<Repr*>(x)); }
  // ā·b̄·2^-256 = (ab)‾: the product of the library's elements, canonical
  // (mont_mul by 16·b̄, see the top of the file).
  ZKACC_IFMA_TARGET static IfmaX8 mul_r256(const IfmaX8& a, const IfmaX8& b) {
    IfmaX8 r;
    times16(r.limb, b.limb);
    mont_mul(r.limb, a.limb, r.limb);
    return r;
  }

  // --- limb kernels (no domain change; for vectorized engines) -----------

  // Eight consecutive 4×64 integers → 5×52 limbs, by two rounds of
  // vpermt2q (a 8×4 transpose of 64-bit words) and shifts.
  ZKACC_IFMA_INLINE static IfmaX8 load_limbs(const Repr* x) {
    const auto* p = reinterpret_cast<const __m512i*>(x);
    return from_pairs(_mm512_loadu_si512(p), _mm512_loadu_si512(p + 1), _mm512_loadu_si512(p + 2),
                      _mm512_loadu_si512(p + 3));
  }
  // Lane l from *x[l]: eight 32-byte loads, then the same transpose.
  ZKACC_IFMA_INLINE static IfmaX8 load_limbs(const Repr* const x[kLanes]) {
    __m512i z[4];
    for (int i = 0; i < 4; ++i) {
      const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[2 * i]));
      const __m256i hi = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[2 * i + 1]));
      // The merge-masked forms with a full mask: GCC 12's plain insert and
      // extract start from an undefined vector that -Wuninitialized reports.
      const __m512i z_lo = _mm512_castsi256_si512(lo);
      z[i] = _mm512_mask_inserti64x4(z_lo, 0xff, z_lo, hi, 1);
    }
    return from_pairs(z[0], z[1], z[2], z[3]);
  }
  // Every lane = a.
  ZKACC_IFMA_INLINE static IfmaX8 broadcast_limbs(const Repr& a) {
    const Limbs l = split(a);
    IfmaX8 r;
    for (std::size_t i = 0; i < kLimbs; ++i) r.limb[i] = _mm512_set1_epi64(static_cast<long long>(l[i]));
    return r;
  }
  // The inverse repacking; the limbs must be normalized (< 2^52) and the value < 2^256.
  ZKACC_IFMA_INLINE void store_limbs(Repr* x) const {
    __m512i z[4];
    to_pairs(z);
    auto* p = reinterpret_cast<__m512i*>(x);
    for (int i = 0; i < 4; ++i) _mm512_storeu_si512(p + i, z[i]);
  }
  ZKACC_IFMA_INLINE void store_limbs(Repr* const x[kLanes]) const {
    __m512i z[4];
    to_pairs(z);
    // Masked stores of the low four words, the high ones moved down by a
    // merge-masked permutation: GCC 12's extracts and unmasked permutations
    // start from an undefined vector that -Wuninitialized reports.
    const __m512i upper = _mm512_set_epi64(7, 6, 5, 4, 7, 6, 5, 4);
    for (int i = 0; i < 4; ++i) {
      _mm512_mask_storeu_epi64(x[2 * i], 0x0f, z[i]);
      _mm512_mask_storeu_epi64(x[2 * i + 1], 0x0f, _mm512_mask_permutexvar_epi64(z[i], 0xff, upper, z[i]));
    }
  }

  // r = a·b·2^-260 mod p, canonical, for a < p and b < 2^258 (so b may be
  // 16·b̄ unreduced), both with limbs below 2^52; r may alias a or b.
  ZKACC_IFMA_INLINE static void mont_mul(__m512i r[kLimbs], const __m512i a[kLimbs], const __m512i b[kLimbs]) {
    const __m512i zero = _mm512_setzero_si512();
    const __m512i pinv = _mm512_set1_epi64(static_cast<long long>(kPInv));
    __m512i p[kLimbs];
    for (std::size_t j = 0; j < kLimbs; ++j) p[j] = _mm512_set1_epi64(static_cast<long long>(kP[j]));
    // t[0..5]: the running value, limbs unnormalized (each < 2^57: at most
    // 4 products' halves of 52 bits per row, over 5 rows).
    __m512i t[kLimbs + 1] = {zero, zero, zero, zero, zero, zero};
    for (std::size_t i = 0; i < kLimbs; ++i) {
      row_ab(t, a, b[i]);
      row_mp(t, _mm512_madd52lo_epu64(zero, t[0], pinv), p);
    }
    // (a·b + m·p) / 2^260 < p + a·b/2^260 < p + p/4.
    normalize(t);
    reduce_once(r, t);
  }

  // 16·c̄ in 52-bit limbs, not reduced (< 2^258): as mont_mul's second
  // operand it multiplies by c with R = 2^256 (top of the file).
  ZKACC_IFMA_INLINE static IfmaX8 scaled_limbs(const Repr& c) {
    const Repr& x = c;
    const Limbs l = {(x[0] << 4) & kMask, ((x[0] >> 48) | (x[1] << 16)) & kMask, ((x[1] >> 36) | (x[2] << 28)) & kMask,
                     ((x[2] >> 24) | (x[3] << 40)) & kMask, x[3] >> 12};
    IfmaX8 r;
    for (std::size_t i = 0; i < kLimbs; ++i) r.limb[i] = _mm512_set1_epi64(static_cast<long long>(l[i]));
    return r;
  }

  // r = 16·a, limbs normalized, not reduced (a < 2^256 → r < 2^260).
  // 0xEC is (A & C) | B.
  ZKACC_IFMA_INLINE static void times16(__m512i r[kLimbs], const __m512i a[kLimbs]) {
    const __m512i mask = _mm512_set1_epi64(static_cast<long long>(kMask));
    __m512i out[kLimbs];
    out[0] = _mm512_and_si512(sll<4>(a[0]), mask);
    for (std::size_t j = 1; j < kLimbs; ++j) out[j] = _mm512_ternarylogic_epi64(sll<4>(a[j]), srl<48>(a[j - 1]), mask, 0xEC);
    for (std::size_t j = 0; j < kLimbs; ++j) r[j] = out[j];
  }

  // r = a + b mod p for a, b < p (normalized limbs): a + b and a + b - p
  // with their carries propagated side by side, then the lanes whose
  // a + b - p is negative keep a + b.
  ZKACC_IFMA_INLINE static void add_mod(__m512i r[kLimbs], const __m512i a[kLimbs], const __m512i b[kLimbs]) {
    const __m512i mask = _mm512_set1_epi64(static_cast<long long>(kMask));
    __m512i s[kLimbs], d[kLimbs];
    for (std::size_t j = 0; j < kLimbs; ++j) {
      s[j] = _mm512_add_epi64(a[j], b[j]);
      d[j] = _mm512_sub_epi64(s[j], _mm512_set1_epi64(static_cast<long long>(kP[j])));
    }
    for (std::size_t j = 0; j + 1 < kLimbs; ++j) {
      s[j + 1] = _mm512_add_epi64(s[j + 1], srl<52>(s[j]));
      s[j] = _mm512_and_si512(s[j], mask);
      d[j + 1] = _mm512_add_epi64(d[j + 1], sra<52>(d[j]));
      d[j] = _mm512_and_si512(d[j], mask);
    }
    const __mmask8 negative = _mm512_movepi64_mask(d[kLimbs - 1]);
    for (std::size_t j = 0; j < kLimbs; ++j) r[j] = _mm512_mask_blend_epi64(negative, d[j], s[j]);
  }

  // r = a - b mod p for a, b < p: a - b and a - b + p side by side, the
  // latter kept where a - b is negative.
  ZKACC_IFMA_INLINE static void sub_mod(__m512i r[kLimbs], const __m512i a[kLimbs], const __m512i b[kLimbs]) {
    const __m512i mask = _mm512_set1_epi64(static_cast<long long>(kMask));
    __m512i d[kLimbs], e[kLimbs];
    for (std::size_t j = 0; j < kLimbs; ++j) {
      d[j] = _mm512_sub_epi64(a[j], b[j]);
      e[j] = _mm512_add_epi64(d[j], _mm512_set1_epi64(static_cast<long long>(kP[j])));
    }
    for (std::size_t j = 0; j + 1 < kLimbs; ++j) {
      d[j + 1] = _mm512_add_epi64(d[j + 1], sra<52>(d[j]));
      d[j] = _mm512_and_si512(d[j], mask);
      e[j + 1] = _mm512_add_epi64(e[j + 1], sra<52>(e[j]));
      e[j] = _mm512_and_si512(e[j], mask);
    }
    const __mmask8 negative = _mm512_movepi64_mask(d[kLimbs - 1]);
    for (std::size_t j = 0; j < kLimbs; ++j) r[j] = _mm512_mask_blend_epi64(negative, d[j], e[j]);
  }

  // r = -a mod p in the lanes of `lanes`, a elsewhere (a < p).
  ZKACC_IFMA_INLINE static void negate_lanes(__m512i r[kLimbs], const __m512i a[kLimbs], __mmask8 lanes) {
    const __m512i zero[kLimbs] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(),
                                  _mm512_setzero_si512(), _mm512_setzero_si512()};
    __m512i n[kLimbs];
    sub_mod(n, zero, a);
    for (std::size_t j = 0; j < kLimbs; ++j) r[j] = _mm512_mask_blend_epi64(lanes, a[j], n[j]);
  }

 private:
  // Shifts by a constant, as GCC vector operations: GCC 12's
  // _mm512_s{l,r}li_epi64 start from _mm512_undefined_epi32(), which
  // -Wuninitialized reports wherever they are inlined.
  using U64x8 = unsigned long long __attribute__((vector_size(64)));
  using I64x8 = long long __attribute__((vector_size(64)));
  template <int N>
  ZKACC_IFMA_INLINE static __m512i srl(__m512i a) {
    return reinterpret_cast<__m512i>(reinterpret_cast<U64x8>(a) >> N);
  }
  template <int N>
  ZKACC_IFMA_INLINE static __m512i sll(__m512i a) {
    return reinterpret_cast<__m512i>(reinterpret_cast<U64x8>(a) << N);
  }
  template <int N>
  ZKACC_IFMA_INLINE static __m512i sra(__m512i a) {
    return reinterpret_cast<__m512i>(reinterpret_cast<I64x8>(a) >> N);
  }

  // t += a·b_i (one schoolbook row).
  ZKACC_IFMA_INLINE static void row_ab(__m512i t[kLimbs + 1], const __m512i a[kLimbs], __m512i bi) {
    for (std::size_t j = 0; j < kLimbs; ++j) t[j] = _mm512_madd52lo_epu64(t[j], a[j], bi);
    for (std::size_t j = 0; j < kLimbs; ++j) t[j + 1] = _mm512_madd52hi_epu64(t[j + 1], a[j], bi);
  }

  // t = (t + m·p) / 2^52 for m = t0·(-p^-1) mod 2^52. The low 52 bits of
  // t0 + m·p_0 are zero, so that limb is never formed: its carry into t1 is
  // (t0 >> 52) + 1 when t0 mod 2^52 ≠ 0 (then m·p_0 mod 2^52 = 2^52 -
  // t0 mod 2^52) and t0 >> 52 when it is 0 (then m = 0). One IFMA less per
  // row, and t1 does not wait for the low half of m·p_0.
  ZKACC_IFMA_INLINE static void row_mp(__m512i t[kLimbs + 1], __m512i m, const __m512i p[kLimbs]) {
    const __m512i mask = _mm512_set1_epi64(static_cast<long long>(kMask));
    const __mmask8 nz = _mm512_test_epi64_mask(t[0], mask);
    __m512i t1 = _mm512_add_epi64(t[1], srl<52>(t[0]));
    t[1] = _mm512_mask_add_epi64(t1, nz, t1, _mm512_set1_epi64(1));
    for (std::size_t j = 1; j < kLimbs; ++j) t[j] = _mm512_madd52lo_epu64(t[j], m, p[j]);
    for (std::size_t j = 0; j < kLimbs; ++j) t[j + 1] = _mm512_madd52hi_epu64(t[j + 1], m, p[j]);
    // Divide by 2^52: the limbs move down by one.
    for (std::size_t j = 0; j < kLimbs; ++j) t[j] = t[j + 1];
    t[kLimbs] = _mm512_setzero_si512();
  }

  // Lanes of four 4×64 pairs (z_i = elements 2i, 2i + 1) → 5×52 limbs.
  ZKACC_IFMA_INLINE static IfmaX8 from_pairs(__m512i z0, __m512i z1, __m512i z2, __m512i z3) {
    // Round 1: limbs 0,1 and 2,3 of four elements; round 2: of all eight.
    const __m512i lo01 = _mm512_set_epi64(13, 9, 5, 1, 12, 8, 4, 0);
    const __m512i lo23 = _mm512_set_epi64(15, 11, 7, 3, 14, 10, 6, 2);
    const __m512i half_lo = _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0);
    const __m512i half_hi = _mm512_set_epi64(15, 14, 13, 12, 7, 6, 5, 4);
    const __m512i u0 = _mm512_permutex2var_epi64(z0, lo01, z1), u1 = _mm512_permutex2var_epi64(z0, lo23, z1);
    const __m512i v0 = _mm512_permutex2var_epi64(z2, lo01, z3), v1 = _mm512_permutex2var_epi64(z2, lo23, z3);
    const __m512i x0 = _mm512_permutex2var_epi64(u0, half_lo, v0), x1 = _mm512_permutex2var_epi64(u0, half_hi, v0);
    const __m512i x2 = _mm512_permutex2var_epi64(u1, half_lo, v1), x3 = _mm512_permutex2var_epi64(u1, half_hi, v1);
    const __m512i mask = _mm512_set1_epi64(static_cast<long long>(kMask));
    IfmaX8 r;
    r.limb[0] = _mm512_and_si512(x0, mask);
    r.limb[1] = _mm512_ternarylogic_epi64(srl<52>(x0), sll<12>(x1), mask, 0xA8);
    r.limb[2] = _mm512_ternarylogic_epi64(srl<40>(x1), sll<24>(x2), mask, 0xA8);
    r.limb[3] = _mm512_ternarylogic_epi64(srl<28>(x2), sll<36>(x3), mask, 0xA8);
    r.limb[4] = srl<16>(x3);
    return r;
  }

  ZKACC_IFMA_INLINE void to_pairs(__m512i z[4]) const {
    const __m512i x0 = _mm512_or_si512(limb[0], sll<52>(limb[1]));
    const __m512i x1 = _mm512_or_si512(srl<12>(limb[1]), sll<40>(limb[2]));
    const __m512i x2 = _mm512_or_si512(srl<24>(limb[2]), sll<28>(limb[3]));
    const __m512i x3 = _mm512_or_si512(srl<36>(limb[3]), sll<16>(limb[4]));
    // The transpose of from_pairs, its two rounds in the other order.
    const __m512i lo01 = _mm512_set_epi64(13, 9, 5, 1, 12, 8, 4, 0);
    const __m512i lo23 = _mm512_set_epi64(15, 11, 7, 3, 14, 10, 6, 2);
    const __m512i half_lo = _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0);
    const __m512i half_hi = _mm512_set_epi64(15, 14, 13, 12, 7, 6, 5, 4);
    const __m512i u0 = _mm512_permutex2var_epi64(x0, half_lo, x1), v0 = _mm512_permutex2var_epi64(x0, half_hi, x1);
    const __m512i u1 = _mm512_permutex2var_epi64(x2, half_lo, x3), v1 = _mm512_permutex2var_epi64(x2, half_hi, x3);
    z[0] = _mm512_permutex2var_epi64(u0, lo01, u1);
    z[1] = _mm512_permutex2var_epi64(u0, lo23, u1);
    z[2] = _mm512_permutex2var_epi64(v0, lo01, v1);
    z[3] = _mm512_permutex2var_epi64(v0, lo23, v1);
  }

  // Carries moved up: every limb below 2^52 except the top one.
  ZKACC_IFMA_INLINE static void normalize(__m512i v[kLimbs]) {
    const __m512i mask = _mm512_set1_epi64(static_cast<long long>(kMask));
    for (std::size_t j = 0; j + 1 < kLimbs; ++j) {
      v[j + 1] = _mm512_add_epi64(v[j + 1], srl<52>(v[j]));
      v[j] = _mm512_and_si512(v[j], mask);
    }
  }

  // r = v < p ? v : v - p, for normalized v < 2p.
  ZKACC_IFMA_INLINE static void reduce_once(__m512i r[kLimbs], const __m512i v[kLimbs]) {
    const __m512i mask = _mm512_set1_epi64(static_cast<long long>(kMask));
    __m512i d[kLimbs];
    for (std::size_t j = 0; j < kLimbs; ++j) d[j] = _mm512_sub_epi64(v[j], _mm512_set1_epi64(static_cast<long long>(kP[j])));
    for (std::size_t j = 0; j + 1 < kLimbs; ++j) {
      d[j + 1] = _mm512_add_epi64(d[j + 1], sra<52>(d[j]));
      d[j] = _mm512_and_si512(d[j], mask);
    }
    const __mmask8 negative = _mm512_movepi64_mask(d[kLimbs - 1]);
    for (std::size_t j = 0; j < kLimbs; ++j) r[j] = _mm512_mask_blend_epi64(negative, d[j], v[j]);
  }
};

}  // namespace zkacc
#endif
