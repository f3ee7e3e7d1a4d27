// Batched affine additions, eight at a time in AVX-512 IFMA registers.
//
// A batch of the bucket method's affine additions B_j += P_j (distinct
// buckets, P_j.x ≠ B_j.x) costs six products each: one for the running
// product of the denominators, two to take each inverse back out of the
// total's inverse, and λ, λ², λ·(x − x3). Those chains are independent from
// one addition to the next, so lane l of eight IfmaX8 vectors (ifma_x8.hpp)
// carries additions l, l + 8, l + 16, ...: the running product becomes eight
// running products, one per lane, and only their eight totals meet in one
// scalar inversion. An IFMA product of eight costs about a quarter of eight
// scalar products here (docs/arithmetic.md).
//
// Everything stays in the library's Montgomery form (R = 2^256): operands
// are only repacked from 4×64 to 5×52 bits as they are gathered from the
// buckets and points, products are IfmaX8::mul_r256, and every result is
// canonical, so the buckets hold the same bits as the scalar path's.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "zkacc/field/ifma_x8.hpp"

#if defined(ZKACC_HAVE_IFMA_X8)

namespace zkacc::msm_detail {

template <class F>
struct IfmaAddScratch {
  std::vector<IfmaX8<F>> denominators, prefixes;
};

// Coordinate c (0: x, 1: y) of the eight points ptrs[8g .. 8g + 8), repacked.
template <class F, class P>
ZKACC_IFMA_INLINE IfmaX8<F> gather_x8(P* const* ptrs, std::size_t g, std::size_t c) {
  using Repr = typename F::Repr;
  const Repr* at[IfmaX8<F>::kLanes];
  for (std::size_t l = 0; l < IfmaX8<F>::kLanes; ++l)
    at[l] = reinterpret_cast<const Repr*>(ptrs[g * IfmaX8<F>::kLanes + l] + c);
  return IfmaX8<F>::load_limbs(at);
}

// bucket[i] += point[i] for i < 8·groups, affine (x at [0], y at [1] of each
// pointer), every bucket distinct except the padding lanes', whose points'
// x differ from their buckets'. Run only when cpu_has_avx512ifma().
template <class F>
ZKACC_IFMA_TARGET void add_affine_x8(std::size_t groups, F* const* bucket, const F* const* point,
                                     IfmaAddScratch<F>& scratch) {
  using V = IfmaX8<F>;
  using Repr = typename F::Repr;
  constexpr std::size_t L = V::kLanes;
  scratch.denominators.resize(groups);
  scratch.prefixes.resize(groups);
  // Forward: d = P.x − B.x, and each lane's product of the d before it.
  V running = V::broadcast_limbs(F::one().montgomery_repr());
  for (std::size_t g = 0; g < groups; ++g) {
    const V bx = gather_x8<F>(bucket, g, 0), px = gather_x8<F>(point, g, 0);
    V d;
    V::sub_mod(d.limb, px.limb, bx.limb);
    scratch.denominators[g] = d;
    scratch.prefixes[g] = running;
    running = V::mul_r256(running, d);
  }
  // The eight totals' inverses with one scalar inversion.
  F totals[L];
  running.store_repr(totals);
  batch_inverse(std::span<F>(totals, L));
  V inverse = V::load_repr(totals);
  // Backward: 1/d out of the running inverse, then the addition.
  for (std::size_t g = groups; g-- > 0;) {
    const V inv_d = V::mul_r256(inverse, scratch.prefixes[g]);
    inverse = V::mul_r256(inverse, scratch.denominators[g]);
    const V bx = gather_x8<F>(bucket, g, 0), by = gather_x8<F>(bucket, g, 1);
    const V px = gather_x8<F>(point, g, 0), py = gather_x8<F>(point, g, 1);
    V t;
    V::sub_mod(t.limb, py.limb, by.limb);
    const V lambda = V::mul_r256(t, inv_d);
    V x3 = V::mul_r256(lambda, lambda);
    V::sub_mod(x3.limb, x3.limb, bx.limb);
    V::sub_mod(x3.limb, x3.limb, px.limb);
    V::sub_mod(t.limb, bx.limb, x3.limb);
    V y3 = V::mul_r256(lambda, t);
    V::sub_mod(y3.limb, y3.limb, by.limb);
    Repr* xs[L];
    Repr* ys[L];
    for (std::size_t l = 0; l < L; ++l) {
      xs[l] = reinterpret_cast<Repr*>(bucket[g * L + l]);
      ys[l] = reinterpret_cast<Repr*>(bucket[g * L + l] + 1);
    }
    x3.store_limbs(xs);
    y3.store_limbs(ys);
  }
}

}  // namespace zkacc::msm_detail

#endif
