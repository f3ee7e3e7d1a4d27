// Buckets of the Pippenger bucket method, accumulated in affine form with
// batched inversions.
//
// Adding P to an affine bucket B needs the slope λ = (P.y - B.y)/(P.x - B.x)
// (or 3x^2/2y when P = B), then x3 = λ^2 - B.x - P.x, y3 = λ(B.x - x3) - B.y.
// The division is what makes affine addition expensive alone; collecting a
// batch of additions into distinct buckets and inverting all denominators
// with Montgomery's trick (3 multiplications each, one inversion per batch)
// brings an addition to about 6 multiplications, against 11 for a mixed
// Jacobian addition.
//
// Two additions into the same bucket cannot share a batch (the second needs
// the first's result), so a conflicting one waits in a queue for the next
// batch; the stream of points never stalls on it. This is the same hazard
// the card's bucket accumulator resolves in hardware. The queue is bounded
// by the batch size: when it is full (a window whose digits crowd into few
// buckets, such as the top window, or every scalar equal) the addition goes
// into a per-bucket Jacobian overflow accumulator instead, so the work stays
// linear in the number of points whatever the digit distribution.
//
// On CPUs with AVX-512 IFMA the G1 additions of a batch run eight at a time
// in vector registers (batch_affine_ifma.hpp); doublings and cancellations,
// rare, stay scalar.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <type_traits>
#include <vector>

#include "zkacc/curve/short_weierstrass.hpp"
#include "zkacc/curve/xyzz.hpp"
#include "zkacc/field/bn254.hpp"
#include "zkacc/field/ifma_x8.hpp"
#include "zkacc/field/montgomery.hpp"
#include "zkacc/msm/batch_affine_ifma.hpp"

namespace zkacc {

template <class Config>
class BatchAffineBuckets {
 public:
  using Field = typename Config::Field;
  using Affine = AffinePoint<Config>;
  using Jacobian = JacobianPoint<Config>;
  using Xyzz = XyzzPoint<Config>;

  // batch: additions per inversion. Larger amortizes the inversion better
  // but meets more conflicts; it is capped to a quarter of the buckets.
  // allow_ifma: use the IFMA path where the CPU has it (off: the portable
  // path everywhere, for comparison).
  BatchAffineBuckets(std::size_t num_buckets, std::size_t batch, bool allow_ifma = true)
      : ifma_(allow_ifma && kIfmaField && cpu_has_avx512ifma()),
        buckets_(num_buckets),
        occupied_(num_buckets, 0),
        stamp_(num_buckets, 0),
        batch_size_(std::max<std::size_t>(1, std::min(batch, num_buckets / 4))) {
    batch_.reserve(batch_size_);
    denom_.resize(batch_size_);
    scratch_.resize(batch_size_);
  }

  // Adds p (not infinity) to bucket b.
  void add(std::uint32_t b, const Affine& p) {
    place(b, p);
    while (batch_.size() >= batch_size_) {
      execute();
      refill();
    }
  }

  // Completes every pending addition.
  void flush() {
    while (!batch_.empty() || !deferred_.empty()) {
      execute();
      refill();
    }
  }

  // Σ_j (j+1)·B_j by the running-sum trick: walking from the top bucket,
  // `running` holds Σ_{i>=j} B_i and `total` accumulates every running sum.
  // XYZZ: a step costs 10M + 14M against 11M + 16M in Jacobian coordinates.
  Jacobian weighted_sum() {
    flush();
    Xyzz running = Xyzz::infinity(), total = Xyzz::infinity();
    for (std::size_t j = buckets_.size(); j-- > 0;) {
      if (occupied_[j]) running = running.add_mixed(buckets_[j]);
      if (!overflow_.empty() && !overflow_[j].is_infinity()) running += overflow_[j];
      total += running;
    }
    return total.to_jacobian();
  }

  // Σ_j B_j: the plain sum, for points spread over the buckets only to
  // share inversions (point_sum.hpp).
  Jacobian sum() {
    flush();
    Xyzz total = Xyzz::infinity();
    for (std::size_t j = 0; j < buckets_.size(); ++j) {
      if (occupied_[j]) total = total.add_mixed(buckets_[j]);
      if (!overflow_.empty() && !overflow_[j].is_infinity()) total += overflow_[j];
    }
    return total.to_jacobian();
  }

 private:
  enum class Kind : std::uint8_t { Add, Double, Cancel };
  struct Pending {
    Affine point;
    std::uint32_t bucket;
    Kind kind = Kind::Add;
  };

  void place(std::uint32_t b, const Affine& p) {
    if (!occupied_[b]) {
      buckets_[b] = p;
      occupied_[b] = 1;
    } else if (stamp_[b] == epoch_) {
      if (deferred_.size() < batch_size_) {
        deferred_.push_back({p, b});
      } else {
        if (overflow_.empty()) overflow_.assign(buckets_.size(), Xyzz::infinity());
        overflow_[b] = overflow_[b].add_mixed(p);
      }
    } else {
      stamp_[b] = epoch_;
      batch_.push_back({p, b});
    }
  }

  // Re-issues the waiting additions into the new batch; some may conflict
  // again and wait once more.
  void refill() {
    std::swap(deferred_, reissue_);
    for (const auto& d : reissue_) place(d.bucket, d.point);
    reissue_.clear();
  }

  void execute() {
#if defined(ZKACC_HAVE_IFMA_X8)
    if constexpr (kIfmaField) {
      if (ifma_) {
        execute_ifma();
        batch_.clear();
        ++epoch_;
        return;
      }
    }
#endif
    execute_scalar(batch_);
    batch_.clear();
    ++epoch_;
  }

#if defined(ZKACC_HAVE_IFMA_X8)
  // The additions (x differ) eight at a time, the last group padded with
  // additions of a dummy point to a dummy bucket; the rest (doublings,
  // cancellations) by the scalar path.
  void execute_ifma() {
    special_.clear();
    bucket_ptrs_.clear();
    point_ptrs_.clear();
    for (Pending& e : batch_) {
      Affine& b = buckets_[e.bucket];
      if (b.x == e.point.x) {
        special_.push_back(e);
      } else {
        bucket_ptrs_.push_back(&b.x);
        point_ptrs_.push_back(&e.point.x);
      }
    }
    const std::size_t lanes = IfmaX8<Field>::kLanes;
    const std::size_t groups = (bucket_ptrs_.size() + lanes - 1) / lanes;
    dummy_bucket_ = {Field::zero(), Field::zero()};
    dummy_point_ = {Field::one(), Field::zero()};
    while (bucket_ptrs_.size() < groups * lanes) {
      bucket_ptrs_.push_back(&dummy_bucket_.x);
      point_ptrs_.push_back(&dummy_point_.x);
    }
    if (groups > 0) msm_detail::add_affine_x8<Field>(groups, bucket_ptrs_.data(), point_ptrs_.data(), ifma_scratch_);
    if (!special_.empty()) execute_scalar(special_);
  }
#endif

  // Every pending addition of `entries` (distinct buckets), scalar.
  void execute_scalar(std::vector<Pending>& entries) {
    const std::size_t m = entries.size();
    if (denom_.size() < m) {
      denom_.resize(m);
      scratch_.resize(m);
    }
    // Denominators: P.x - B.x, or 2·B.y for a doubling; a cancellation
    // (P = -B) needs none and gets 1 so the batch inversion stays uniform.
    for (std::size_t i = 0; i < m; ++i) {
      Pending& e = entries[i];
      const Affine& b = buckets_[e.bucket];
      if (b.x == e.point.x) {
        e.kind = b.y == e.point.y ? Kind::Double : Kind::Cancel;
        denom_[i] = e.kind == Kind::Double ? b.y.dbl() : Field::one();
      } else {
        e.kind = Kind::Add;
        denom_[i] = e.point.x - b.x;
      }
    }
    batch_inverse(std::span<Field>(denom_.data(), m), std::span<Field>(scratch_.data(), m));
    for (std::size_t i = 0; i < m; ++i) {
      const Pending& e = entries[i];
      Affine& b = buckets_[e.bucket];
      Field lambda;
      if (e.kind == Kind::Add) {
        lambda = (e.point.y - b.y) * denom_[i];
      } else if (e.kind == Kind::Double) {
        const Field xx = b.x.square();
        lambda = (xx.dbl() + xx) * denom_[i];
      } else {
        occupied_[e.bucket] = 0;
        continue;
      }
      const Field x3 = lambda.square() - b.x - e.point.x;
      b.y = lambda * (b.x - x3) - b.y;
      b.x = x3;
    }
  }

  // G1's base field: the one the IFMA path is written for.
  static constexpr bool kIfmaField = std::is_same_v<Field, Fq>;
  bool ifma_;

  std::vector<Affine> buckets_;
  std::vector<std::uint8_t> occupied_;
  std::vector<std::uint32_t> stamp_;  // epoch of the batch that holds the bucket
  // Additions that found the queue full; made on the first one (most
  // windows never fill the queue, and at c = 15 this is 2 MB per task).
  std::vector<Xyzz> overflow_;
  std::uint32_t epoch_ = 1;
  std::size_t batch_size_;
  std::vector<Pending> batch_, deferred_, reissue_;
  std::vector<Field> denom_, scratch_;
#if defined(ZKACC_HAVE_IFMA_X8)
  std::vector<Pending> special_;
  std::vector<Field*> bucket_ptrs_;
  std::vector<const Field*> point_ptrs_;
  Affine dummy_bucket_, dummy_point_;
  // Named through Fq, not Field: G2's buckets never instantiate IfmaX8.
  struct NoScratch {};
  std::conditional_t<kIfmaField, msm_detail::IfmaAddScratch<Fq>, NoScratch> ifma_scratch_;
#endif
};

}  // namespace zkacc
