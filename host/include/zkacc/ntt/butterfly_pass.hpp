// The inner loop of the NTT: R radix-2 stages fused into one sweep over an
// array (a radix-2^R pass), with one twiddle per butterfly block.
//
// The transform is the remainder tree of P(X) mod X^n - 1: a block of 2h
// values holding P mod X^2h - c is split into P mod X^h - w and P mod X^h + w
// with w² = c by the Cooley–Tukey butterfly
//
//   CT:  (a, b) → (a + w·b, a - w·b)                (natural in, top stage first)
//
// and undone, bottom stage first, by the Gentleman–Sande butterfly
//
//   GS:  (a, b) → (a + b, (a - b)·w^-1)               (bit-reversed in)
//
// Every butterfly of a block shares its w, and with the blocks of a stage
// numbered g = 0, 1, ... from the left, w_g = ω_n^bitreverse_(k-1)(g) at every
// stage. So one table tab[g] = ω_n^bitreverse_(k-1)(g), g ∈ [0, n/2), read
// sequentially, serves all stages: no strided twiddle streams. For the root
// ω^-1 (the inverse transform) the twiddle of block g is
//   ω^-bitreverse(g) = -tab[g'],  g' = 3·2^t - 1 - g,  2^t ≤ g < 2^(t+1),
// for g > 0 (and 1 for g = 0); the sign is absorbed by the butterfly.
//
// Which is which: CT with ω's twiddles is the forward transform from natural
// to bit-reversed order; with ω^-1's it is n times the inverse. GS with
// twiddles w undoes CT with w^-1 (up to a factor 2 per stage), so GS with ω's
// twiddles is the forward transform from bit-reversed to natural order, and
// with ω^-1's n times the inverse.
#pragma once

#include <bit>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "zkacc/ntt/ntt_order.hpp"

namespace zkacc::ntt_detail {

enum class Butterfly { CooleyTukey, GentlemanSande };

// The butterflies work on the limbs through the field's public limb kernels
// (whose result may alias an operand), never copying a whole element: a
// 32-byte vector copy of limbs just written by 8-byte stores stalls on
// store-to-load forwarding, and such copies made an earlier version of this
// loop twice as slow as its multiplications alone.
template <class F>
using Limbs = typename F::Repr;

// Where a butterfly writes: over its inputs, or to two other elements.
enum class Placement { InPlace, OutOfPlace };

// A block's twiddle: `w` points at a table entry, or is null for 1; with
// `negated` the twiddle is -*w.
template <class F>
struct Twiddle {
  const Limbs<F>* w;
  bool negated;
};

// Twiddle of block g for the root ω (Forward) or ω^-1 (Inverse).
template <class F, NttDirection D>
inline Twiddle<F> block_twiddle(const F* tab, std::size_t g) {
  if (g == 0) return {nullptr, false};
  if constexpr (D == NttDirection::Forward) {
    return {&tab[g].montgomery_repr(), false};
  } else {
    const std::size_t t = std::bit_floor(g);
    return {&tab[3 * t - 1 - g].montgomery_repr(), true};
  }
}

// (a, b) → (a + b, a - b).
template <class F, Placement P>
inline void add_sub(const Limbs<F>& a, const Limbs<F>& b, Limbs<F>& lo, Limbs<F>& hi) {
  if constexpr (P == Placement::OutOfPlace) {
    F::add_mod(lo, a, b);
    F::sub_mod(hi, a, b);
  } else {  // lo = a, hi = b: no temporary to copy back, hi ← (a + b) - 2b
    F::add_mod(lo, a, b);
    F::add_mod(hi, b, b);
    F::sub_mod(hi, lo, hi);
  }
}

// CT: (a, b) → (a + w·b, a - w·b).
template <class F, Placement P>
inline void ct_butterfly(const Limbs<F>& a, const Limbs<F>& b, Limbs<F>& lo, Limbs<F>& hi, Twiddle<F> tw) {
  if (tw.w == nullptr) return add_sub<F, P>(a, b, lo, hi);
  Limbs<F> u;
  F::mont_mul(u, b, *tw.w);
  if (!tw.negated) {
    F::sub_mod(hi, a, u);
    F::add_mod(lo, a, u);
  } else {
    F::add_mod(hi, a, u);
    F::sub_mod(lo, a, u);
  }
}

// GS: (a, b) → (a + b, (a - b)·w).
template <class F, Placement P>
inline void gs_butterfly(const Limbs<F>& a, const Limbs<F>& b, Limbs<F>& lo, Limbs<F>& hi, Twiddle<F> tw) {
  if (tw.w == nullptr) return add_sub<F, P>(a, b, lo, hi);
  Limbs<F> t;
  if (!tw.negated)
    F::sub_mod(t, a, b);
  else
    F::sub_mod(t, b, a);
  F::add_mod(lo, a, b);
  F::mont_mul(hi, t, *tw.w);
}

// One sweep of R fused stages with half-sizes H, H/2, ..., s = H/2^(R-1) over
// the groups w ∈ [w_begin, w_end) of the array x (length a multiple of 2H;
// its first 2H-block is block number block0 of the top stage).
// Group w is the 2^R elements x[b·2H + j + t·s], t ∈ [0, 2^R), with b = w / s
// and j = w mod s; they go through all R stages (CT: h = H down to s; GS:
// h = s up to H) while they sit in L1, so each element travels from memory
// once per R stages. Consecutive groups touch consecutive addresses in each
// of the 2^R streams, and share their 2^R - 1 twiddles while b is unchanged.
//
// The first stage reads the array and writes a small local buffer, the middle
// stages work in that buffer and the last writes back to the array, so no
// load waits on a store 4 KiB away (the group's elements lie a multiple of
// 4 KiB apart when s is large).
template <class F, Butterfly Bf, NttDirection D, std::size_t R>
void fused_pass(F* x, std::size_t H, const F* tab, std::size_t block0, std::size_t w_begin, std::size_t w_end) {
  static_assert(std::is_standard_layout_v<F> && sizeof(F) == sizeof(Limbs<F>),
                "the field element must be exactly its limbs");
  constexpr std::size_t M = std::size_t(1) << R;
  Limbs<F>* limbs = reinterpret_cast<Limbs<F>*>(x);
  const std::size_t s = H >> (R - 1);
  std::size_t b = w_begin / s, j = w_begin % s;
  Limbs<F> v[M];
  // tw[2^q - 1 + c]: twiddle of local block c at stage q, for the current b.
  Twiddle<F> tw[M - 1];
  auto load_twiddles = [&] {
    for (std::size_t q = 0; q < R; ++q)
      for (std::size_t c = 0; c < (std::size_t(1) << q); ++c)
        tw[(std::size_t(1) << q) - 1 + c] = block_twiddle<F, D>(tab, ((block0 + b) << q) + c);
  };
  load_twiddles();
  for (std::size_t w = w_begin; w < w_end; ++w) {
    Limbs<F>* base = limbs + b * 2 * H + j;
    // Stage q (h = H >> q); `first` and `last` in the order the stages run.
    auto stage = [&](auto q_c, auto first_c, auto last_c) {
      constexpr std::size_t q = decltype(q_c)::value;
      constexpr bool first = decltype(first_c)::value, last = decltype(last_c)::value;
      constexpr Placement P = first == last ? Placement::InPlace : Placement::OutOfPlace;
      constexpr std::size_t L = M >> (q + 1);  // half-size in units of s
      for (std::size_t c = 0; c < (std::size_t(1) << q); ++c) {
        const Twiddle<F> t = tw[(std::size_t(1) << q) - 1 + c];
        for (std::size_t u = 0; u < L; ++u) {
          const std::size_t t0 = c * 2 * L + u, t1 = t0 + L;
          const Limbs<F>& a = first ? base[t0 * s] : v[t0];
          const Limbs<F>& e = first ? base[t1 * s] : v[t1];
          Limbs<F>& lo = last ? base[t0 * s] : v[t0];
          Limbs<F>& hi = last ? base[t1 * s] : v[t1];
          if constexpr (Bf == Butterfly::CooleyTukey)
            ct_butterfly<F, P>(a, e, lo, hi, t);
          else
            gs_butterfly<F, P>(a, e, lo, hi, t);
        }
      }
    };
    [&]<std::size_t... Q>(std::index_sequence<Q...>) {
      if constexpr (Bf == Butterfly::CooleyTukey)
        (stage(std::integral_constant<std::size_t, Q>{}, std::bool_constant<Q == 0>{},
               std::bool_constant<Q == R - 1>{}),
         ...);
      else
        (stage(std::integral_constant<std::size_t, R - 1 - Q>{}, std::bool_constant<Q == 0>{},
               std::bool_constant<Q == R - 1>{}),
         ...);
    }(std::make_index_sequence<R>{});
    if (++j == s) {
      j = 0;
      ++b;
      if (w + 1 < w_end) load_twiddles();
    }
  }
}

// fused_pass with R chosen at run time (1 ≤ r ≤ 4).
template <class F, Butterfly Bf, NttDirection D>
void fused_pass_r(std::size_t r, F* x, std::size_t H, const F* tab, std::size_t block0, std::size_t w_begin,
                  std::size_t w_end) {
  switch (r) {
    case 1: return fused_pass<F, Bf, D, 1>(x, H, tab, block0, w_begin, w_end);
    case 2: return fused_pass<F, Bf, D, 2>(x, H, tab, block0, w_begin, w_end);
    case 3: return fused_pass<F, Bf, D, 3>(x, H, tab, block0, w_begin, w_end);
    default: return fused_pass<F, Bf, D, 4>(x, H, tab, block0, w_begin, w_end);
  }
}

}  // namespace zkacc::ntt_detail
