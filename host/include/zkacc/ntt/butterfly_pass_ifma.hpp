// fused_pass (butterfly_pass.hpp) on AVX-512 IFMA: eight butterfly groups
// at once, one per lane of IfmaX8 (field/ifma_x8.hpp), for CPUs that have
// IFMA. Same stages, same twiddles, same results bit for bit: every value
// that reaches memory is canonical in the library's form ā = a·2^256 mod p.
//
// No domain conversion. The array stays in the library's 4×64 form; each
// group's 2^R elements are repacked into 5×52-bit limbs when they are loaded
// and back when they are stored, once per R stages. A twiddle w̄ enters the
// IFMA product (R' = 2^260) as 16·w̄, four bits shifted and not reduced,
// which makes the product ā·w̄·2^-256, the library's own (ifma_x8.hpp). So
// the twiddle table is the portable path's, read as it is: no second table
// in the IFMA domain (it would double the domain's memory, 16 MiB more at
// 2^20), and no conversion sweep at the start and end of a transform.
//
// Lanes. Lane l takes group w + l. When the eight groups lie in one block
// (s ≥ 8: the stages above the bottom three) the lanes are eight consecutive
// elements of each stream, one 256-byte load per stream, and share their
// twiddles: one broadcast per twiddle, and twiddle 1 (block 0) still skips
// its product. Below that (s < 8) each lane is another block: each lane's
// element is loaded on its own (8 × 32 bytes per stream), and so is its
// twiddle, negated per lane for the inverse root and set to 1 (R mod p) for
// block 0, where the product is then done anyway.
//
// Groups left over at the end of a range (fewer than eight) take the
// portable fused_pass.
#pragma once

#include <cstddef>
#include <cstdint>

#include "zkacc/field/ifma_x8.hpp"
#include "zkacc/ntt/butterfly_pass.hpp"

#ifdef ZKACC_HAVE_IFMA_X8
namespace zkacc::ntt_detail {

// A stage's twiddle for the eight lanes, as 16·w̄ (mont_mul's operand for a
// product by w): `one` when every lane's is 1 (no product), `negated` when
// every lane's is -w; per-lane signs are already in w.
struct TwiddleX8 {
  __m512i w[5];
  bool one;
  bool negated;
};

// CT: (a, b) → (a + w·b, a - w·b), over the limbs of a and b.
template <class F>
ZKACC_IFMA_INLINE void ct_butterfly_x8(__m512i a[5], __m512i b[5], const TwiddleX8& tw) {
  using V = IfmaX8<F>;
  __m512i lo[5], hi[5];
  if (tw.one) {
    V::add_mod(lo, a, b);
    V::sub_mod(hi, a, b);
  } else {
    __m512i u[5];
    V::mont_mul(u, b, tw.w);
    if (!tw.negated) {
      V::add_mod(lo, a, u);
      V::sub_mod(hi, a, u);
    } else {
      V::sub_mod(lo, a, u);
      V::add_mod(hi, a, u);
    }
  }
  for (int j = 0; j < 5; ++j) {
    a[j] = lo[j];
    b[j] = hi[j];
  }
}

// GS: (a, b) → (a + b, (a - b)·w).
template <class F>
ZKACC_IFMA_INLINE void gs_butterfly_x8(__m512i a[5], __m512i b[5], const TwiddleX8& tw) {
  using V = IfmaX8<F>;
  __m512i lo[5], d[5];
  V::add_mod(lo, a, b);
  if (tw.one) {
    V::sub_mod(b, a, b);
  } else {
    if (!tw.negated)
      V::sub_mod(d, a, b);
    else
      V::sub_mod(d, b, a);
    V::mont_mul(b, d, tw.w);
  }
  for (int j = 0; j < 5; ++j) a[j] = lo[j];
}

// The R stages over the loaded group vectors v[0, 2^R) (the order of
// fused_pass: CT from the top stage down, GS from the bottom up).
template <class F, Butterfly Bf, std::size_t R>
ZKACC_IFMA_INLINE void stages_x8(IfmaX8<F>* v, const TwiddleX8* tw) {
  constexpr std::size_t M = std::size_t(1) << R;
  for (std::size_t i = 0; i < R; ++i) {
    const std::size_t q = Bf == Butterfly::CooleyTukey ? i : R - 1 - i;
    const std::size_t L = M >> (q + 1);
    for (std::size_t c = 0; c < (std::size_t(1) << q); ++c) {
      const TwiddleX8& t = tw[(std::size_t(1) << q) - 1 + c];
      for (std::size_t u = 0; u < L; ++u) {
        const std::size_t t0 = c * 2 * L + u, t1 = t0 + L;
        if constexpr (Bf == Butterfly::CooleyTukey)
          ct_butterfly_x8<F>(v[t0].limb, v[t1].limb, t);
        else
          gs_butterfly_x8<F>(v[t0].limb, v[t1].limb, t);
      }
    }
  }
}

// fused_pass's contract (butterfly_pass.hpp): R fused stages with top
// half-size H over the groups [w_begin, w_end) of x. Call only where
// cpu_has_avx512ifma().
template <class F, Butterfly Bf, NttDirection D, std::size_t R>
ZKACC_IFMA_TARGET void fused_pass_ifma(F* x, std::size_t H, const F* tab, std::size_t block0, std::size_t w_begin,
                                       std::size_t w_end) {
  static_assert(std::is_standard_layout_v<F> && sizeof(F) == sizeof(Limbs<F>),
                "the field element must be exactly its limbs");
  using V = IfmaX8<F>;
  using Repr = Limbs<F>;
  constexpr std::size_t M = std::size_t(1) << R;
  constexpr std::size_t kLanes = V::kLanes;
  Repr* limbs = reinterpret_cast<Repr*>(x);
  const std::size_t s = H >> (R - 1);
  TwiddleX8 tw[M - 1];
  std::size_t tw_block = SIZE_MAX;  // the b whose shared twiddles tw holds
  V v[M];
  std::size_t w = w_begin;
  for (; w + kLanes <= w_end; w += kLanes) {
    const std::size_t b = w / s, j = w % s;
    if (j + kLanes <= s) {
      // Eight groups of one block: contiguous lanes, shared twiddles.
      if (b != tw_block) {
        for (std::size_t q = 0; q < R; ++q)
          for (std::size_t c = 0; c < (std::size_t(1) << q); ++c) {
            const Twiddle<F> t = block_twiddle<F, D>(tab, ((block0 + b) << q) + c);
            TwiddleX8& out = tw[(std::size_t(1) << q) - 1 + c];
            out.one = t.w == nullptr;
            out.negated = t.negated;
            if (t.w != nullptr) {
              const V bw = V::scaled_limbs(*t.w);
              for (int l = 0; l < 5; ++l) out.w[l] = bw.limb[l];
            }
          }
        tw_block = b;
      }
      Repr* base = limbs + b * 2 * H + j;
      for (std::size_t t = 0; t < M; ++t) v[t] = V::load_limbs(base + t * s);
      stages_x8<F, Bf, R>(v, tw);
      for (std::size_t t = 0; t < M; ++t) v[t].store_limbs(base + t * s);
    } else {
      // Each lane in its own block: per-lane addresses and twiddles.
      Repr* lane[kLanes];
      std::size_t lane_block[kLanes];
      for (std::size_t l = 0; l < kLanes; ++l) {
        lane_block[l] = (w + l) / s;
        lane[l] = limbs + lane_block[l] * 2 * H + (w + l) % s;
      }
      for (std::size_t q = 0; q < R; ++q)
        for (std::size_t c = 0; c < (std::size_t(1) << q); ++c) {
          const Repr* src[kLanes];
          __mmask8 negate = 0;
          for (std::size_t l = 0; l < kLanes; ++l) {
            const Twiddle<F> t = block_twiddle<F, D>(tab, ((block0 + lane_block[l]) << q) + c);
            src[l] = t.w != nullptr ? t.w : &F::kR;  // R mod p: the library's 1
            if (t.negated) negate = static_cast<__mmask8>(negate | (1u << l));
          }
          TwiddleX8& out = tw[(std::size_t(1) << q) - 1 + c];
          V lw = V::load_limbs(src);
          if (negate != 0) V::negate_lanes(lw.limb, lw.limb, negate);  // the inverse root's blocks g > 0
          V::times16(out.w, lw.limb);
          out.one = false;
          out.negated = false;
        }
      tw_block = SIZE_MAX;
      Repr* ptr[kLanes];
      for (std::size_t t = 0; t < M; ++t) {
        for (std::size_t l = 0; l < kLanes; ++l) ptr[l] = lane[l] + t * s;
        v[t] = V::load_limbs(ptr);
      }
      stages_x8<F, Bf, R>(v, tw);
      for (std::size_t t = 0; t < M; ++t) {
        for (std::size_t l = 0; l < kLanes; ++l) ptr[l] = lane[l] + t * s;
        v[t].store_limbs(ptr);
      }
    }
  }
  if (w < w_end) fused_pass<F, Bf, D, R>(x, H, tab, block0, w, w_end);
}

// fused_pass_ifma with R chosen at run time (1 ≤ r ≤ 4).
template <class F, Butterfly Bf, NttDirection D>
void fused_pass_ifma_r(std::size_t r, F* x, std::size_t H, const F* tab, std::size_t block0, std::size_t w_begin,
                       std::size_t w_end) {
  switch (r) {
    case 1: return fused_pass_ifma<F, Bf, D, 1>(x, H, tab, block0, w_begin, w_end);
    case 2: return fused_pass_ifma<F, Bf, D, 2>(x, H, tab, block0, w_begin, w_end);
    case 3: return fused_pass_ifma<F, Bf, D, 3>(x, H, tab, block0, w_begin, w_end);
    default: return fused_pass_ifma<F, Bf, D, 4>(x, H, tab, block0, w_begin, w_end);
  }
}

// x[i] *= c for i ∈ [0, n), eight at a time (the inverse's scaling by n^-1).
template <class F>
ZKACC_IFMA_TARGET void scale_ifma(F* x, std::size_t n, const F& c) {
  using V = IfmaX8<F>;
  using Repr = Limbs<F>;
  Repr* limbs = reinterpret_cast<Repr*>(x);
  const V vc = V::scaled_limbs(c.montgomery_repr());
  std::size_t i = 0;
  for (; i + V::kLanes <= n; i += V::kLanes) {
    V v = V::load_limbs(limbs + i);
    V::mont_mul(v.limb, v.limb, vc.limb);
    v.store_limbs(limbs + i);
  }
  for (; i < n; ++i) x[i] *= c;
}

// x[i] *= h·t[i] for i ∈ [0, n) (a row of the coset's powers). With
// h' = 16·h̄ mod p, mont_mul(t̄_i, 16·h') = t_i·h·2^260 mod p is t_i·h in
// the IFMA domain, canonical, so it can be the second operand of the
// product by x̄_i as it is: two products per element, no shifts.
template <class F>
ZKACC_IFMA_TARGET void scale_by_table_ifma(F* x, const F* t, std::size_t n, const F& h) {
  using V = IfmaX8<F>;
  using Repr = Limbs<F>;
  Repr* limbs = reinterpret_cast<Repr*>(x);
  const Repr* tl = reinterpret_cast<const Repr*>(t);
  const V vh = V::scaled_limbs((h * F::from_u64(16)).montgomery_repr());
  std::size_t i = 0;
  for (; i + V::kLanes <= n; i += V::kLanes) {
    V f = V::load_limbs(tl + i);
    V::mont_mul(f.limb, f.limb, vh.limb);
    V v = V::load_limbs(limbs + i);
    V::mont_mul(v.limb, v.limb, f.limb);
    v.store_limbs(limbs + i);
  }
  for (; i < n; ++i) x[i] *= h * t[i];
}

}  // namespace zkacc::ntt_detail
#endif
