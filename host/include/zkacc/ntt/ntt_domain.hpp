// NttDomain: the number-theoretic transform over the multiplicative subgroup
// H = {1, ω, ω², ..., ω^(n-1)} of Fr, n = 2^k (k ≤ 28, the two-adicity of
// BN254's r - 1), and over its cosets g·H.
//
//   forward:        X_i = Σ_j x_j · ω^(i·j)                  (evaluations of Σ x_j·X^j on H)
//   inverse:        x_j = n^-1 · Σ_i X_i · ω^(-i·j)          (interpolation)
//   coset forward:  X_i = Σ_j x_j · (g·ω^i)^j = forward(x_j · g^j)
//   coset inverse:  x_j = g^-j · inverse(X)_j
//
// ω is Fr::root_of_unity(k) = 5^((r-1)/2^28) squared 28 - k times, the same
// root snarkjs (ffjavascript) uses, so results match it index for index.
//
// Algorithm (docs/ntt.md has the measurements behind each constant):
//   * The remainder tree of P mod X^n - 1 (butterfly_pass.hpp): natural input
//     → bit-reversed output by Cooley–Tukey butterflies (a, b) → (a + w·b,
//     a - w·b), top stage first; bit-reversed input → natural output by
//     Gentleman–Sande butterflies (a, b) → (a + b, (a - b)·w), bottom stage
//     first. The other two order combinations add one bit-reversal
//     permutation. Every butterfly of a block shares its twiddle w.
//   * Twiddles: one table of n/2 elements, ω^bitreverse(g), serves every stage
//     and both directions (ω^-i is a negated entry of the same table), and is
//     read sequentially, block by block: 16 MiB at 2^20.
//   * Cache blocking: sweeps over data larger than 2^block_log elements fuse
//     `outer_fuse` radix-2 stages (a radix-2^outer_fuse pass: each element
//     is read and written once per sweep), then the data is cut into blocks
//     that are finished one by one in cache (depth first), `inner_fuse`
//     stages per sweep.
//   * Kernel: on CPUs with AVX-512 IFMA the sweeps run eight butterfly
//     groups at once in 52-bit limbs (butterfly_pass_ifma.hpp), chosen when
//     the domain is built (NttTuning::kernel); the results are identical.
//   * Threads: the first sweeps over the whole array split their independent
//     butterfly groups, then the blocks are shared out; both in chunks taken
//     dynamically by the ThreadPool's threads (dynamic, because the other
//     core may be busy).
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/field/bn254.hpp"
#include "zkacc/field/ifma_x8.hpp"
#include "zkacc/ntt/butterfly_pass.hpp"
#include "zkacc/ntt/butterfly_pass_ifma.hpp"
#include "zkacc/ntt/ntt_order.hpp"

namespace zkacc {

// Which butterflies a domain runs. Auto: the AVX-512 IFMA ones where the
// build is for x86-64 and the CPU has IFMA (cpu_has_avx512ifma), the portable
// ones elsewhere. Portable and Ifma force one (Ifma throws where the CPU
// lacks it); both give the same values, so these exist for tests and
// benchmarks.
enum class NttKernel { Auto, Portable, Ifma };

// Tuning knobs; the defaults were measured with bench/ntt_bench on a 2-core
// Zen 5 VM (docs/ntt.md, "Parameters").
struct NttTuning {
  // Blocks of up to 2^block_log elements run sweep by sweep, in cache.
  // 2^14 elements = 512 KiB, half the L2. Measured (thread CPU time, 1 thread,
  // best of 4): at 2^20, block_log 12, 14 and 16 all within 1% (173–175 ms);
  // at 2^22, 14 took 787 ms, 16 took 822 ms and 18 took 812 ms.
  std::size_t block_log = 14;
  // Radix-2 stages fused per sweep over data larger than a block (a
  // radix-2^outer_fuse pass: 2^outer_fuse streams, each element read and
  // written once per sweep). 4: at 2^20 on par with 3 (175 vs 174 ms); kept
  // at 4 because each sweep of a 2^22+ array goes to DRAM.
  std::size_t outer_fuse = 4;
  // Stages fused per sweep inside a cached block. 3: 3% faster than 1 at 2^20
  // (175 vs 180 ms) and at 2^16 (8.35 vs 8.96 ms).
  std::size_t inner_fuse = 3;
  // Below 2^parallel_min_log elements the transform runs on the calling
  // thread: at 2^11, 2 threads took 0.285 ms against 0.280 ms on 1 (the pool
  // hand-off costs as much as the second thread saves); at 2^12 the second
  // thread halves the per-thread work (0.229 vs 0.410 ms CPU).
  std::size_t parallel_min_log = 12;
  // The butterflies. Auto takes IFMA where the CPU has it: 2^20 forward on
  // one thread took 89.6 ms against 217 ms portable (2.4x), 2^16 4.54 ms
  // against 9.99 ms (docs/ntt.md, "AVX-512 IFMA").
  NttKernel kernel = NttKernel::Auto;

  static constexpr std::size_t kMaxFuse = 4;
};

template <class F>
class BasicNttDomain {
 public:
  static constexpr std::size_t kMaxLogSize = F::kTwoAdicity;

  // A domain of `size` = 2^k points. Throws zkacc::Error if size is not a
  // power of two or exceeds 2^kMaxLogSize, or if the tuning is out of range.
  // Precomputes n/2 + 1 twiddles (32 bytes each): 16 MiB at 2^20.
  explicit BasicNttDomain(std::size_t size, NttTuning tuning = {});
  static BasicNttDomain from_log_size(std::size_t log_size, NttTuning tuning = {});

  std::size_t size() const { return n_; }
  std::size_t log_size() const { return log_n_; }
  const NttTuning& tuning() const { return tuning_; }
  // The butterflies this domain runs: Portable or Ifma, never Auto.
  NttKernel kernel() const { return ifma_ ? NttKernel::Ifma : NttKernel::Portable; }
  const F& root() const { return omega_; }              // ω, a primitive n-th root of unity
  const F& root_inverse() const { return omega_inv_; }  // ω^-1
  const F& size_inverse() const { return n_inv_; }      // n^-1
  F element(std::size_t i) const;                       // ω^i

  // The multiplicative generator 5 of Fr^*: g·H is disjoint from H for
  // every n, as any non-residue gives.
  static F default_coset_shift() { return F::from_u64(5); }

  // In place on `values` (exactly size() elements, else zkacc::Error).
  // Inverse includes the scaling by n^-1. `input` and `output` say whether
  // values are stored at their index i or at bitreverse_k(i).
  void transform(std::span<F> values, NttDirection direction, Order input, Order output, ThreadPool& pool) const;

  void forward(std::span<F> values, ThreadPool& pool, Order input = Order::Natural,
               Order output = Order::Natural) const {
    transform(values, NttDirection::Forward, input, output, pool);
  }
  void inverse(std::span<F> values, ThreadPool& pool, Order input = Order::Natural,
               Order output = Order::Natural) const {
    transform(values, NttDirection::Inverse, input, output, pool);
  }

  // Coset transforms on shift·H for any non-zero shift:
  //   coset_forward: coefficients x → X_i = Σ_j x_j (shift·ω^i)^j
  //   coset_inverse: X → coefficients x, the exact inverse of coset_forward.
  // Orders as for transform(); the coefficient order is `input` for the
  // forward and `output` for the inverse transform.
  void coset_forward(std::span<F> values, const F& shift, ThreadPool& pool, Order input = Order::Natural,
                     Order output = Order::Natural) const;
  void coset_inverse(std::span<F> values, const F& shift, ThreadPool& pool, Order input = Order::Natural,
                     Order output = Order::Natural) const;
  void coset_forward(std::span<F> values, ThreadPool& pool) const {
    coset_forward(values, default_coset_shift(), pool);
  }
  void coset_inverse(std::span<F> values, ThreadPool& pool) const {
    coset_inverse(values, default_coset_shift(), pool);
  }

  // Evaluations on the domain → evaluations on shift·⟨ω⟩ (what Groth16's H
  // needs). The coefficients stay in bit-reversed order between the two
  // transforms, which skips both bit-reversal permutations.
  void evaluations_to_coset(std::span<F> values, const F& shift, ThreadPool& pool) const {
    inverse(values, pool, Order::Natural, Order::BitReversed);
    coset_forward(values, shift, pool, Order::BitReversed, Order::Natural);
  }

  // values[p] ↔ values[bitreverse_k(p)] for every p.
  void bit_reverse(std::span<F> values, ThreadPool& pool) const;

 private:
  void check_span(std::span<const F> values) const;
  // The transform without the n^-1 of the inverse.
  void transform_unscaled(std::span<F> values, NttDirection direction, Order input, Order output,
                          ThreadPool& pool) const;
  template <ntt_detail::Butterfly Bf, NttDirection D>
  void run(F* x, ThreadPool& pool) const;
  // All stages of block number `index` of 2^len_log elements, on the calling thread.
  template <ntt_detail::Butterfly Bf, NttDirection D>
  void run_block(F* x, std::size_t len_log, std::size_t index) const;
  // One sweep of r fused stages (fused_pass's arguments) with this domain's kernel.
  template <ntt_detail::Butterfly Bf, NttDirection D>
  void sweep(std::size_t r, F* x, std::size_t H, std::size_t block0, std::size_t w_begin, std::size_t w_end) const;
  // values[p] *= c · base^index(p), index(p) = p (Natural) or bitreverse_k(p).
  void scale_by_powers(std::span<F> values, const F& c, const F& base, Order order, ThreadPool& pool) const;
  void scale(std::span<F> values, const F& c, ThreadPool& pool) const;
  bool parallel(const ThreadPool& pool) const { return pool.size() > 1 && log_n_ >= tuning_.parallel_min_log; }
  // Runs fn(begin, end) over [0, units), in chunks spread over the pool's
  // threads when `par`.
  template <class Fn>
  static void for_chunks(ThreadPool& pool, bool par, std::size_t units, Fn&& fn);

  std::size_t n_ = 1;
  std::size_t log_n_ = 0;
  NttTuning tuning_;
  F omega_, omega_inv_, n_inv_;
  bool ifma_ = false;        // the IFMA butterflies (kernel())
  std::vector<F> twiddles_;  // ω^bitreverse_(k-1)(g), g ∈ [0, n/2)
};

using NttDomain = BasicNttDomain<Fr>;

// ---------------------------------------------------------------------------
// Implementation

template <class F>
BasicNttDomain<F>::BasicNttDomain(std::size_t size, NttTuning tuning) : tuning_(tuning) {
  if (size == 0 || !std::has_single_bit(size))
    throw Error("NTT domain: size " + std::to_string(size) + " is not a power of two");
  log_n_ = static_cast<std::size_t>(std::countr_zero(size));
  if (log_n_ > kMaxLogSize)
    throw Error("NTT domain: size 2^" + std::to_string(log_n_) + " exceeds 2^" + std::to_string(kMaxLogSize) +
                ", the largest power-of-two subgroup of the field (two-adicity " + std::to_string(kMaxLogSize) + ")");
  if (tuning_.outer_fuse < 1 || tuning_.outer_fuse > NttTuning::kMaxFuse || tuning_.inner_fuse < 1 ||
      tuning_.inner_fuse > NttTuning::kMaxFuse)
    throw Error("NTT domain: stages fused per pass must be between 1 and " + std::to_string(NttTuning::kMaxFuse));
  n_ = size;
#ifdef ZKACC_HAVE_IFMA_X8
  const bool cpu_ifma = cpu_has_avx512ifma();
#else
  const bool cpu_ifma = false;
#endif
  if (tuning_.kernel == NttKernel::Ifma && !cpu_ifma)
    throw Error("NTT domain: the AVX-512 IFMA kernel was asked for, and this CPU or build has no AVX-512 IFMA");
  ifma_ = tuning_.kernel != NttKernel::Portable && cpu_ifma;
  omega_ = F::root_of_unity(log_n_);
  omega_inv_ = omega_.inverse();
  n_inv_ = F::from_u64(n_).inverse();

  // tab[g] = ω^bitreverse_(k-1)(g): the powers in natural order, then permuted.
  twiddles_.resize(n_ / 2);
  if (!twiddles_.empty()) twiddles_[0] = F::one();
  for (std::size_t i = 1; i < twiddles_.size(); ++i) twiddles_[i] = twiddles_[i - 1] * omega_;
  const std::size_t tbits = log_n_ == 0 ? 0 : log_n_ - 1;
  for (std::size_t i = 0; i < twiddles_.size(); ++i) {
    const std::size_t r = reverse_bits(static_cast<std::uint32_t>(i), tbits);
    if (i < r) std::swap(twiddles_[i], twiddles_[r]);
  }
}

template <class F>
BasicNttDomain<F> BasicNttDomain<F>::from_log_size(std::size_t log_size, NttTuning tuning) {
  if (log_size > kMaxLogSize)
    throw Error("NTT domain: size 2^" + std::to_string(log_size) + " exceeds 2^" + std::to_string(kMaxLogSize) +
                ", the largest power-of-two subgroup of the field (two-adicity " + std::to_string(kMaxLogSize) + ")");
  return BasicNttDomain(std::size_t(1) << log_size, tuning);
}

template <class F>
F BasicNttDomain<F>::element(std::size_t i) const {
  i &= n_ - 1;
  if (n_ == 1) return F::one();
  const std::size_t half = n_ / 2;  // ω^(n/2) = -1
  const F& w = twiddles_[reverse_bits(static_cast<std::uint32_t>(i % half), log_n_ - 1)];
  return i < half ? w : -w;
}

template <class F>
void BasicNttDomain<F>::check_span(std::span<const F> values) const {
  if (values.size() != n_)
    throw Error("NTT: input has " + std::to_string(values.size()) + " elements, the domain has " +
                std::to_string(n_));
}

template <class F>
template <class Fn>
void BasicNttDomain<F>::for_chunks(ThreadPool& pool, bool par, std::size_t units, Fn&& fn) {
  // 4 chunks per thread, taken dynamically: when another process holds one
  // core for a while, the other threads take over that thread's remaining
  // chunks instead of waiting for it (CI machines are shared). Not tuned
  // further: the chunks are 2^14+ butterflies, so their overhead is noise.
  constexpr std::size_t kChunksPerThread = 4;
  if (!par || units < 2) {
    fn(std::size_t(0), units);
    return;
  }
  const std::size_t chunks = std::min(units, pool.size() * kChunksPerThread);
  pool.run(chunks, [&](std::size_t c) { fn(units * c / chunks, units * (c + 1) / chunks); });
}

template <class F>
template <ntt_detail::Butterfly Bf, NttDirection D>
void BasicNttDomain<F>::sweep(std::size_t r, F* x, std::size_t H, std::size_t block0, std::size_t w_begin,
                              std::size_t w_end) const {
#ifdef ZKACC_HAVE_IFMA_X8
  if (ifma_) return ntt_detail::fused_pass_ifma_r<F, Bf, D>(r, x, H, twiddles_.data(), block0, w_begin, w_end);
#endif
  ntt_detail::fused_pass_r<F, Bf, D>(r, x, H, twiddles_.data(), block0, w_begin, w_end);
}

template <class F>
template <ntt_detail::Butterfly Bf, NttDirection D>
void BasicNttDomain<F>::run_block(F* x, std::size_t len_log, std::size_t index) const {
  using ntt_detail::Butterfly;
  // Stages [lo, lo + r) (log2 of their half-sizes) over this block as one sweep.
  auto pass = [&](std::size_t lo, std::size_t r) {
    const std::size_t top_log = lo + r - 1;  // log2 H
    sweep<Bf, D>(r, x, std::size_t(1) << top_log, index << (len_log - top_log - 1), 0,
                 (std::size_t(1) << len_log) >> r);
  };
  if (len_log <= tuning_.block_log) {
    // In cache: inner_fuse stages per sweep, CT from the top stage down, GS
    // from the bottom up.
    std::size_t remaining = len_log;
    while (remaining > 0) {
      const std::size_t r = std::min(tuning_.inner_fuse, remaining);
      pass(Bf == Butterfly::CooleyTukey ? remaining - r : len_log - remaining, r);
      remaining -= r;
    }
    return;
  }
  // Larger than the cache: one sweep of the top r stages over the block, and
  // the rest in its 2^r sub-blocks (GS: the other way round).
  const std::size_t r = std::min(tuning_.outer_fuse, len_log - tuning_.block_log);
  const std::size_t sub_log = len_log - r;
  if constexpr (Bf == Butterfly::CooleyTukey) pass(sub_log, r);
  for (std::size_t b = 0; b < (std::size_t(1) << r); ++b)
    run_block<Bf, D>(x + (b << sub_log), sub_log, (index << r) + b);
  if constexpr (Bf == Butterfly::GentlemanSande) pass(sub_log, r);
}

template <class F>
template <ntt_detail::Butterfly Bf, NttDirection D>
void BasicNttDomain<F>::run(F* x, ThreadPool& pool) const {
  using ntt_detail::Butterfly;
  const std::size_t k = log_n_;
  if (k == 0) return;
  const bool par = parallel(pool);
  // The top stages run as sweeps over the whole array, each split across the
  // threads; they stop once the array is cut into blocks that fit the cache,
  // and, with threads, into at least two blocks per thread. The blocks are
  // then shared out and each is finished by one thread (run_block).
  const std::size_t min_blocks_log = par ? static_cast<std::size_t>(std::bit_width(pool.size() - 1)) + 1 : 0;
  std::vector<std::size_t> passes;  // stages per whole-array sweep, top first
  std::size_t top = k;              // log2 of the block size after those sweeps
  while (top > 0 && ((top > tuning_.block_log && top == k) || k - top < min_blocks_log)) {
    const std::size_t goal = top > tuning_.block_log ? top - tuning_.block_log : min_blocks_log - (k - top);
    const std::size_t r = std::min({tuning_.outer_fuse, goal, top});
    passes.push_back(r);
    top -= r;
  }
  // One whole-array sweep of r stages whose lowest has log2 h = lo.
  auto whole_pass = [&](std::size_t lo, std::size_t r) {
    const std::size_t H = std::size_t(1) << (lo + r - 1);
    for_chunks(pool, par, n_ >> r, [&](std::size_t b, std::size_t e) {
      sweep<Bf, D>(r, x, H, 0, b, e);
    });
  };
  auto blocks = [&] {
    for_chunks(pool, par, n_ >> top, [&](std::size_t b, std::size_t e) {
      for (std::size_t blk = b; blk < e; ++blk) run_block<Bf, D>(x + (blk << top), top, blk);
    });
  };
  if constexpr (Bf == Butterfly::CooleyTukey) {
    std::size_t hi = k;
    for (std::size_t r : passes) {
      whole_pass(hi - r, r);
      hi -= r;
    }
    blocks();
  } else {
    blocks();
    std::size_t lo = top;
    for (std::size_t i = passes.size(); i-- > 0;) {
      whole_pass(lo, passes[i]);
      lo += passes[i];
    }
  }
}

template <class F>
void BasicNttDomain<F>::transform_unscaled(std::span<F> values, NttDirection direction, Order input, Order output,
                                           ThreadPool& pool) const {
  using ntt_detail::Butterfly;
  F* x = values.data();
  auto ct = [&] {  // natural → bit-reversed
    if (direction == NttDirection::Forward)
      run<Butterfly::CooleyTukey, NttDirection::Forward>(x, pool);
    else
      run<Butterfly::CooleyTukey, NttDirection::Inverse>(x, pool);
  };
  auto gs = [&] {  // bit-reversed → natural
    if (direction == NttDirection::Forward)
      run<Butterfly::GentlemanSande, NttDirection::Forward>(x, pool);
    else
      run<Butterfly::GentlemanSande, NttDirection::Inverse>(x, pool);
  };
  if (input == Order::Natural) {
    ct();  // natural → bit-reversed
    if (output == Order::Natural) bit_reverse(values, pool);
  } else if (output == Order::Natural) {
    gs();  // bit-reversed → natural
  } else {
    bit_reverse(values, pool);
    ct();
  }
}

template <class F>
void BasicNttDomain<F>::transform(std::span<F> values, NttDirection direction, Order input, Order output,
                                  ThreadPool& pool) const {
  check_span(values);
  transform_unscaled(values, direction, input, output, pool);
  if (direction == NttDirection::Inverse) scale(values, n_inv_, pool);
}

template <class F>
void BasicNttDomain<F>::coset_forward(std::span<F> values, const F& shift, ThreadPool& pool, Order input,
                                      Order output) const {
  check_span(values);
  if (shift.is_zero()) throw Error("NTT: coset shift must be non-zero");
  scale_by_powers(values, F::one(), shift, input, pool);
  transform_unscaled(values, NttDirection::Forward, input, output, pool);
}

template <class F>
void BasicNttDomain<F>::coset_inverse(std::span<F> values, const F& shift, ThreadPool& pool, Order input,
                                      Order output) const {
  check_span(values);
  if (shift.is_zero()) throw Error("NTT: coset shift must be non-zero");
  transform_unscaled(values, NttDirection::Inverse, input, output, pool);
  scale_by_powers(values, n_inv_, shift.inverse(), output, pool);
}

template <class F>
void BasicNttDomain<F>::bit_reverse(std::span<F> values, ThreadPool& pool) const {
  check_span(values);
  const std::size_t k = log_n_;
  // Tiles of 2^kTileLog × 2^kTileLog elements (32 KiB). Write p as bits
  // (a, b, c) with a and c of kTileLog bits; then bitreverse(p) =
  // (rev c, rev b, rev a), so the tile {(a, b, c) : a, c} for one middle b
  // swaps with the tile for rev b, and both are read in runs of 2^kTileLog
  // contiguous elements instead of one cache line per element. At 2^20 the
  // element-by-element loop took about 4x as long.
  constexpr std::size_t kTileLog = 5;
  if (k < 2 * kTileLog + 2) {
    for (std::size_t p = 0; p < n_; ++p) {
      const std::size_t r = reverse_bits(static_cast<std::uint32_t>(p), k);
      if (p < r) std::swap(values[p], values[r]);
    }
    return;
  }
  const std::size_t m = k - 2 * kTileLog, tile = std::size_t(1) << kTileLog;
  for_chunks(pool, parallel(pool), std::size_t(1) << m, [&](std::size_t b0, std::size_t b1) {
    for (std::size_t b = b0; b < b1; ++b) {
      const std::size_t rb = reverse_bits(static_cast<std::uint32_t>(b), m);
      if (b > rb) continue;  // done with its partner tile
      for (std::size_t a = 0; a < tile; ++a) {
        const std::size_t ra = reverse_bits(static_cast<std::uint32_t>(a), kTileLog);
        for (std::size_t c = 0; c < tile; ++c) {
          const std::size_t rc = reverse_bits(static_cast<std::uint32_t>(c), kTileLog);
          const std::size_t p = (a << (m + kTileLog)) | (b << kTileLog) | c;
          const std::size_t r = (rc << (m + kTileLog)) | (rb << kTileLog) | ra;
          if (b < rb || p < r) std::swap(values[p], values[r]);
        }
      }
    }
  });
}

template <class F>
void BasicNttDomain<F>::scale(std::span<F> values, const F& c, ThreadPool& pool) const {
  for_chunks(pool, parallel(pool), n_, [&](std::size_t b, std::size_t e) {
#ifdef ZKACC_HAVE_IFMA_X8
    if (ifma_) return ntt_detail::scale_ifma(values.data() + b, e - b, c);
#endif
    for (std::size_t p = b; p < e; ++p) values[p] *= c;
  });
}

template <class F>
void BasicNttDomain<F>::scale_by_powers(std::span<F> values, const F& c, const F& base, Order order,
                                        ThreadPool& pool) const {
  // Position p = hi·2^m + lo with m = ⌊k/2⌋, so c·base^index(p) is the
  // product of two table entries of about √n elements each:
  //   Natural:      index = hi·2^m + lo
  //                 → (base^(2^m))^hi · c·base^lo
  //   BitReversed:  index = rev_m(lo)·2^(k-m) + rev_(k-m)(hi)
  //                 → base^rev_(k-m)(hi) · c·(base^(2^(k-m)))^rev_m(lo)
  const std::size_t k = log_n_, m = k / 2;
  const std::size_t lo_n = std::size_t(1) << m, hi_n = std::size_t(1) << (k - m);
  auto powers = [](F first, const F& ratio, std::size_t count) {
    std::vector<F> p(count);
    for (std::size_t i = 0; i < count; ++i, first *= ratio) p[i] = first;
    return p;
  };
  auto permute = [](std::vector<F>& t, std::size_t bits) {
    for (std::size_t i = 0; i < t.size(); ++i) {
      const std::size_t r = reverse_bits(static_cast<std::uint32_t>(i), bits);
      if (i < r) std::swap(t[i], t[r]);
    }
  };
  std::vector<F> lo_table, hi_table;
  if (order == Order::Natural) {
    lo_table = powers(c, base, lo_n);
    hi_table = powers(F::one(), base.pow(static_cast<std::uint64_t>(lo_n)), hi_n);
  } else {
    lo_table = powers(c, base.pow(static_cast<std::uint64_t>(hi_n)), lo_n);
    permute(lo_table, m);
    hi_table = powers(F::one(), base, hi_n);
    permute(hi_table, k - m);
  }
  for_chunks(pool, parallel(pool), hi_n, [&](std::size_t b, std::size_t e) {
    for (std::size_t hi = b; hi < e; ++hi) {
      F* row = values.data() + hi * lo_n;
      const F& h = hi_table[hi];
#ifdef ZKACC_HAVE_IFMA_X8
      if (ifma_) {
        ntt_detail::scale_by_table_ifma(row, lo_table.data(), lo_n, h);
        continue;
      }
#endif
      for (std::size_t lo = 0; lo < lo_n; ++lo) row[lo] *= h * lo_table[lo];
    }
  });
}


// Compiled once, in host/src/ntt/ntt_domain.cpp.
extern template class BasicNttDomain<Fr>;
}  // namespace zkacc
