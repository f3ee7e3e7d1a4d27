#include "zkacc/runtime/msm_bucket_sample.hpp"

#include <algorithm>
#include <random>
#include <string>

#include "zkacc/common/error.hpp"

namespace zkacc::runtime {

MsmBucketSample::MsmBucketSample(std::size_t windows, std::size_t buckets_per_window, double rate,
                                 std::uint64_t seed)
    : windows_(windows), buckets_per_window_(buckets_per_window) {
  if (!(rate > 0.0 && rate <= 1.0))
    throw Error("msm: bucket check rate " + std::to_string(rate) + " is not in (0, 1]");
  const std::size_t total = windows * buckets_per_window;
  bits_.assign((total + 63) / 64, 0);
  // The gaps between members of a Bernoulli(rate) sample are geometric:
  // the same distribution as a draw a bucket, in time proportional to the
  // members.
  if (rate == 1.0) {
    for (std::size_t k = 0; k < total; ++k) bits_[k / 64] |= std::uint64_t(1) << (k % 64);
    size_ = total;
    return;
  }
  std::mt19937_64 rng(seed);
  std::geometric_distribution<std::size_t> gap(rate);
  for (std::size_t k = gap(rng); k < total; k += 1 + gap(rng)) {
    bits_[k / 64] |= std::uint64_t(1) << (k % 64);
    ++size_;
  }
}

std::vector<MsmBucketSample::Xyzz> MsmBucketSample::pair_sums(std::span<const G1Affine> points,
                                                              const MsmOffsetDigits& digits, ThreadPool& pool) const {
  if (digits.windows() < windows_) throw Error("msm: the bucket sample has more windows than the digits");
  const std::size_t n = points.size();
  const std::size_t chunks = std::clamp<std::size_t>(n / 4096, 1, pool.size());
  std::vector<std::vector<Xyzz>> partial(chunks, std::vector<Xyzz>(windows_, Xyzz::infinity()));
  if (size_ > 0) {
    pool.run(chunks, [&](std::size_t ch) {
      std::vector<std::int32_t> d(windows_);
      std::vector<Xyzz>& acc = partial[ch];
      for (std::size_t i = n * ch / chunks; i < n * (ch + 1) / chunks; ++i) {
        digits.digits(i, d);
        for (std::size_t w = 0; w < windows_; ++w) {
          if (d[w] == 0 || !contains(w, std::size_t(std::abs(d[w])) - 1)) continue;
          acc[w] = acc[w].add_mixed(d[w] > 0 ? points[i] : -points[i]);
        }
      }
    });
  }
  std::vector<Xyzz> sums(windows_, Xyzz::infinity());
  for (const auto& part : partial)
    for (std::size_t w = 0; w < windows_; ++w) sums[w] += part[w];
  return sums;
}

void MsmBucketSample::count_pairs(MsmOffsetDigits& digits, std::size_t begin, std::size_t end,
                                  std::vector<std::vector<Pair>>& pairs, std::mutex& mu) const {
  if (digits.windows() != windows_ || pairs.size() != windows_ || begin > end || end > 0xFFFFFFFFu)
    throw Error("msm: bucket sample pass over points " + std::to_string(begin) + ".." + std::to_string(end) +
                " does not match its digits");
  std::vector<std::int32_t> d(windows_);
  std::vector<std::uint64_t> nonzero(windows_, 0);
  std::vector<std::vector<Pair>> local(windows_);
  for (std::size_t i = begin; i < end; ++i) {
    digits.digits(i, d);
    for (std::size_t w = 0; w < windows_; ++w) {
      if (d[w] == 0) continue;
      ++nonzero[w];
      if (contains(w, std::size_t(std::abs(d[w])) - 1)) local[w].push_back({static_cast<std::uint32_t>(i), d[w] < 0});
    }
  }
  digits.add_counts(nonzero);
  std::lock_guard lock(mu);
  for (std::size_t w = 0; w < windows_; ++w) pairs[w].insert(pairs[w].end(), local[w].begin(), local[w].end());
}

MsmBucketSample::Xyzz MsmBucketSample::pair_sum(std::span<const G1Affine> points, std::span<const Pair> pairs,
                                                ThreadPool& pool) {
  const std::size_t m = pairs.size(), chunks = std::clamp<std::size_t>(m / 1024, 1, pool.size());
  std::vector<Xyzz> partial(chunks, Xyzz::infinity());
  pool.run(chunks, [&](std::size_t ch) {
    Xyzz acc = Xyzz::infinity();
    for (std::size_t k = m * ch / chunks; k < m * (ch + 1) / chunks; ++k) {
      const G1Affine& p = points[pairs[k].point];
      acc = acc.add_mixed(pairs[k].negative ? -p : p);
    }
    partial[ch] = acc;
  });
  Xyzz sum = Xyzz::infinity();
  for (const Xyzz& part : partial) sum += part;
  return sum;
}

MsmBucketSample::Xyzz MsmBucketSample::bucket_sum(std::size_t w, std::span<const Xyzz> buckets) const {
  if (w >= windows_ || buckets.size() != buckets_per_window_)
    throw Error("msm: bucket sample asked for window " + std::to_string(w) + " with " +
                std::to_string(buckets.size()) + " buckets");
  Xyzz sum = Xyzz::infinity();
  for (std::size_t j = 0; j < buckets_per_window_; ++j)
    if (contains(w, j)) sum += buckets[j];
  return sum;
}

}  // namespace zkacc::runtime
