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
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "zkacc/curve/short_weierstrass.hpp"
#include "zkacc/curve/xyzz.hpp"
#include "zkacc/field/montgomery.hpp"

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
  BatchAffineBuckets(std::size_t num_buckets, std::size_t batch)
      : buckets_(num_buckets),
        occupied_(num_buckets, 0),
        stamp_(num_buckets, 0),
        overflow_(num_buckets, Xyzz::infinity()),
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
      if (!overflow_[j].is_infinity()) running += overflow_[j];
      total += running;
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
      if (deferred_.size() < batch_size_) deferred_.push_back({p, b});
      else overflow_[b] = overflow_[b].add_mixed(p);
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
    const std::size_t m = batch_.size();
    if (denom_.size() < m) {
      denom_.resize(m);
      scratch_.resize(m);
    }
    // Denominators: P.x - B.x, or 2·B.y for a doubling; a cancellation
    // (P = -B) needs none and gets 1 so the batch inversion stays uniform.
    for (std::size_t i = 0; i < m; ++i) {
      Pending& e = batch_[i];
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
      const Pending& e = batch_[i];
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
    batch_.clear();
    ++epoch_;
  }

  std::vector<Affine> buckets_;
  std::vector<std::uint8_t> occupied_;
  std::vector<std::uint32_t> stamp_;  // epoch of the batch that holds the bucket
  std::vector<Xyzz> overflow_;         // additions that found the queue full
  std::uint32_t epoch_ = 1;
  std::size_t batch_size_;
  std::vector<Pending> batch_, deferred_, reissue_;
  std::vector<Field> denom_, scratch_;
};

}  // namespace zkacc
