#include "zkacc/runtime/device_msm.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "zkacc/curve/xyzz.hpp"
#include "zkacc/field/bn254.hpp"
#include "zkacc/msm/bucket_reduction.hpp"
#include "zkacc/msm/signed_digits.hpp"
#include "zkacc/runtime/host_addition_timing.hpp"
#include "zkacc/runtime/msm_bucket_check.hpp"
#include "zkacc/runtime/msm_digit_rows.hpp"

namespace zkacc::runtime {
namespace {

using Xyzz = XyzzPoint<Bn254G1Config>;
using drivers::BufferId;
using drivers::DeviceError;
using drivers::kBeatBytes;
// Scalars go to the card as they lie in memory: four little-endian limbs.
static_assert(sizeof(BigInt<4>) == kScalarBytes);

void put_field(std::byte* dst, const Fq& v) { std::memcpy(dst, v.montgomery_repr().data(), 32); }

Fq get_field(const std::byte* src, const drivers::Device& device) {
  BigInt<4> r;
  std::memcpy(r.data(), src, 32);
  if (bigint::compare(r, Fq::kModulus) >= 0)
    throw DeviceError(device.name() +
                      ": bucket range check failed: a coordinate read back is not below q (corrupt result)");
  return Fq::from_montgomery_unchecked(r);
}

}  // namespace

unsigned device_lane_bucket_bits(unsigned bucket_bits, unsigned lanes) {
  if (lanes < 1 || lanes > kMsmDigitsPerBeat)
    throw Error("msm: " + std::to_string(lanes) + " kernel lanes (1.." + std::to_string(kMsmDigitsPerBeat) + ")");
  const unsigned log_lanes = static_cast<unsigned>(std::bit_width(lanes - 1));  // ceil(log2 lanes)
  if (log_lanes > bucket_bits)
    throw Error("msm: 2^" + std::to_string(bucket_bits) + " buckets cannot be split into " + std::to_string(lanes) +
                " lanes");
  return bucket_bits - log_lanes;
}

std::size_t device_windows_per_run(unsigned c, unsigned bucket_bits, unsigned lanes, unsigned digit_bits) {
  check_msm_digit_bits(digit_bits);
  const unsigned b = c - 1;
  const unsigned lane_bits = device_lane_bucket_bits(bucket_bits, lanes);
  if (b > lane_bits || c > msm_max_window_bits(digit_bits)) return 0;
  // Lane l takes the windows l, l + lanes, ...: the run fits while lane 0,
  // which has the most, holds ceil(windows / lanes) windows.
  return std::min<std::size_t>(msm_row_digits(digit_bits), std::size_t(lanes) << (lane_bits - b));
}

std::vector<DeviceMsmRun> device_msm_runs(std::size_t windows, std::size_t windows_per_run, std::size_t row_digits) {
  if (row_digits < 1 || row_digits > kMsmDigitsPerBeat)
    throw Error("msm: " + std::to_string(row_digits) + " digits a row (1.." + std::to_string(kMsmDigitsPerBeat) + ")");
  if (windows_per_run < 1 || windows_per_run > row_digits)
    throw Error("msm: " + std::to_string(windows_per_run) + " windows per kernel run (1.." +
                std::to_string(row_digits) + ")");
  std::vector<DeviceMsmRun> runs;
  std::size_t rows_first = 0;  // the MSM window that is digit 0 of the rows on the card
  for (std::size_t w0 = 0; w0 < windows; w0 += windows_per_run) {
    const std::size_t w1 = std::min(windows, w0 + windows_per_run);
    // New rows for the first run, and when the run's windows are not all in
    // the row_digits the card holds; they then start at the run's first window.
    const bool new_rows = w0 == 0 || w1 - rows_first > row_digits;
    if (new_rows) rows_first = w0;
    runs.push_back({w0, w1 - w0, w0 - rows_first, new_rows});
  }
  return runs;
}

std::vector<std::size_t> msm_upload_chunks(std::size_t n, std::size_t first, double growth, std::size_t max_points,
                                           bool even) {
  if (!(growth >= 1.0)) throw Error("msm: upload chunks must not shrink (growth " + std::to_string(growth) + ")");
  const std::size_t step = even ? 2 : 1;
  auto size = [&](double points) {
    const double capped = std::min(points, double(std::max(max_points, first)));
    return std::max(step, std::size_t(capped) / step * step);
  };
  std::vector<std::size_t> chunks;
  double next = double(first);
  for (std::size_t done = 0; done < n;) {
    const std::size_t chunk = std::min(size(next), n - done);
    chunks.push_back(chunk);
    done += chunk;
    next = std::min(next * growth, double(max_points));
  }
  return chunks;
}

double msm_run_read_cycles(std::size_t n, const MsmMemoryModel& memory, bool scalars) {
  if (!(memory.bank_beats_per_cycle > 0)) return 0.0;
  // Beats a point on each stream: the point (one, or half from each of x
  // and y), the digits (a row, or half a beat of scalars).
  const double point = memory.split_points ? 0.5 : 1.0, digits = scalars ? 0.5 : 1.0;
  const double busiest = memory.shared_bank ? 1.0 + digits : std::max(point, digits);
  return double(n) * busiest / memory.bank_beats_per_cycle;
}

namespace {
// The top window's digits span r / 2^(c·(windows − 1)) values.
double top_window_range(unsigned c) {
  // log2 r from its top limb (the lower ones move it by < 2^-60).
  const double log2_r = 192.0 + std::log2(double(Bn254FrParams::kModulus[3]));
  return std::exp2(log2_r - double(c) * double(num_windows(c) - 1));
}
}  // namespace

double msm_top_window_buckets(unsigned c) {
  return std::min(std::ldexp(1.0, int(c) - 1), std::ceil(top_window_range(c)));
}

double msm_top_window_cycles(std::size_t n, unsigned c, unsigned adder_latency) {
  const double range = top_window_range(c);
  const double share = range > 0.5 ? std::min(1.0, range - 0.5) / range : 0.0;
  return double(n) * share * double(adder_latency + 4);
}

double msm_writeback_cycles(std::size_t windows, double buckets_per_window, unsigned lanes,
                            const MsmMemoryModel& memory) {
  const double bank = memory.bank_beats_per_cycle > 0 ? memory.bank_beats_per_cycle : 1e300;
  // Two beats a bucket, a beat a cycle at most on each write port.
  const double all = 2.0 * double(windows) * buckets_per_window;
  if (!memory.lane_ports || lanes < 2) return all / std::min(1.0, bank);
  const double busiest = 2.0 * double((windows + lanes - 1) / lanes) * buckets_per_window;
  // One bank for all the ports: it takes all the beats at its rate.
  return memory.shared_bank ? std::max(busiest, all / bank) : busiest / std::min(1.0, bank);
}

unsigned device_window_bits(std::size_t n, unsigned bucket_bits, unsigned adder_latency, double host_addition_cost,
                            unsigned lanes, unsigned host_threads, unsigned digit_bits, const MsmMemoryModel& memory,
                            bool card_slicing, double check_rate, bool continue_launches) {
  check_msm_digit_bits(digit_bits);
  unsigned best = 2;
  double best_cost = 1e300;
  const unsigned lane_bits = device_lane_bucket_bits(bucket_bits, lanes);
  for (unsigned c = 2; c <= std::min(msm_max_window_bits(digit_bits), lane_bits + 1); ++c) {
    const std::size_t windows = num_windows(c);
    const double buckets_per_window = double(std::size_t(1) << (c - 1));
    // A pair whose bucket is still in its lane's adder waits: with
    // point-major pairs, about latency / (buckets of the lane) of them do
    // (per run: a last run of fewer windows has fewer buckets).
    const std::size_t group = device_windows_per_run(c, bucket_bits, lanes, digit_bits);
    const auto utilization = [&](std::size_t run_windows) {
      return std::max(0.05, 1.0 - double(adder_latency) * double(lanes) / (double(run_windows) * buckets_per_window));
    };
    // The lanes add in parallel, window v of a run on lane v mod lanes: a run
    // lasts as long as its busiest lane, ceil(windows of the run / lanes)
    // windows of additions at the utilization (runtime/card_projection counts
    // the same), or as long as its reads when card memory serves them slower.
    // Each run also writes its buckets back (two beats each) and costs some
    // cycles beyond its additions: 13-15 k on the sim build at 2^11 points,
    // counted as 16 k (docs/kernel_msm.md notes a configuration that costs
    // more).
    const bool scalars = card_slicing && windows <= msm_row_digits(digit_bits);
    const double memory_cycles = msm_run_read_cycles(n, memory, scalars);
    // Host work in kernel cycles, on all threads: a run's reduction (1.81
    // XYZZ additions' worth a bucket, kMsmReductionAdditionsPerBucket, each
    // window cut into segments: bucket_reduction.hpp), the buckets' validity
    // check (kMsmValidateAdditionsPerBucket)
    // go while the kernel takes the next run,
    // so a run waits for the longer of the two; the last run's host work
    // comes after the kernel. Rows the host slices (no card slicing) cost it
    // about a quarter of an XYZZ addition a point (50 against 200 ns:
    // bench/msm_bench msm_digit_rows), before the first run, or beside it
    // when it goes chunk by chunk as the rows are written (continue_launches);
    // scalars the card slices are only counted, a tenth of an addition a
    // point (21 ns: msm_offset_digit_count), beside the upload and the first
    // run, which cannot finish before the count (its additions check).
    const double per_addition = host_addition_cost / double(std::max(1u, host_threads));
    const double prepare = per_addition * (scalars ? 0.1 : 0.25) * double(n);
    const bool beside = scalars || continue_launches;
    // The sampled check: for rows the host slices, a pass over every
    // point's digits (as the count, a tenth of an addition a point) and its
    // additions (check_rate of the pairs, dense scalars) beside the first
    // run; for scalars the card slices, the pass is the count itself and
    // each run's sampled additions come with its reduction (below).
    const double check =
        check_rate > 0 && !scalars ? per_addition * (0.1 + check_rate * double(windows)) * double(n) : 0.0;
    double cost = beside ? 0.0 : prepare;
    double host = (beside ? prepare : 0.0) + check;  // beside the next run: the previous run's
    for (std::size_t w0 = 0; w0 < windows; w0 += group) {
      const std::size_t w = std::min(group, windows - w0);
      const double busiest_windows = double((w + lanes - 1) / lanes);
      // The last run holds the top window, whose few buckets may set its pace.
      const double floor = w0 + w == windows ? std::max(memory_cycles, msm_top_window_cycles(n, c, adder_latency))
                                             : memory_cycles;
      const double kernel = std::max(double(n) * busiest_windows / utilization(w), floor) +
                            msm_writeback_cycles(w, buckets_per_window, lanes, memory) + kMsmRunOverheadCycles;
      cost += std::max(kernel, host);
      // The top window's reduction stops at the buckets its digits reach
      // (and its empty buckets cost the check only a comparison with zero).
      const double reduced = double(w - 1) * buckets_per_window +
                             (w0 + w == windows ? msm_top_window_buckets(c) : buckets_per_window);
      host = per_addition * ((kMsmReductionAdditionsPerBucket + kMsmValidateAdditionsPerBucket) * reduced +
                             check_rate * double(w) * (buckets_per_window + (scalars ? double(n) : 0.0)));
    }
    cost += host;
    if (cost < best_cost) best_cost = cost, best = c;
  }
  return best;
}

DeviceMsm::DeviceMsm(drivers::Device& device, ThreadPool& pool, DeviceMsmOptions options)
    : device_(device), pool_(pool), options_(options) {
  const drivers::KernelSpec& spec = device.kernel();
  const std::uint32_t config = device.read_status(spec.status_index("config"));
  bucket_bits_ = config & 0xFF;
  adder_latency_ = (config >> 8) & 0xFFFF;
  if (bucket_bits_ < 1 || bucket_bits_ > 24)
    throw DeviceError(device.name() + ": config register reports " + std::to_string(bucket_bits_) +
                      " bucket bits; is this the MSM kernel?");
  // Lanes (0x6C): 7:0 lanes, 15:8 bucket bits per lane, 23:16 digit bits.
  // A kernel built before the register existed reads 0 there: one lane; one
  // built before the digit field, 0 in 23:16: 16-bit digits.
  const std::uint32_t lanes_word = device.read_status(spec.status_index("lanes"));
  lanes_ = lanes_word == 0 ? 1 : lanes_word & 0xFF;
  const unsigned lane_bits = lanes_word == 0 ? bucket_bits_ : (lanes_word >> 8) & 0xFF;
  const unsigned log_lanes = lanes_ == 0 ? 0 : static_cast<unsigned>(std::bit_width(lanes_ - 1));
  if (lanes_ < 1 || lanes_ > kMsmDigitsPerBeat || log_lanes > bucket_bits_ || lane_bits != bucket_bits_ - log_lanes)
    throw DeviceError(device.name() + ": lanes register reports " + std::to_string(lanes_) + " lane(s) of 2^" +
                      std::to_string(lane_bits) + " buckets, which is not 2^" + std::to_string(bucket_bits_) +
                      " buckets split over the lanes; is this the MSM kernel?");
  const unsigned digit_field = (lanes_word >> 16) & 0xFF;
  digit_bits_ = digit_field == 0 ? kMsmDefaultDigitBits : digit_field;
  // Bit 24: the kernel takes continue/hold (a run over several launches);
  // bit 25: it slices scalars itself; bit 26: it reads split points; bit 27:
  // its lanes write through ports of their own (2 or 3 lanes).
  continue_launches_ = (lanes_word >> 24) & 1;
  card_slicing_ = (lanes_word >> 25) & 1;
  split_points_ = (lanes_word >> 26) & 1;
  lane_ports_ = (lanes_word >> 27) & 1;
  if (!msm_digit_bits_supported(digit_bits_) || (lanes_word >> 28) != 0 ||
      (lane_ports_ && (lanes_ < 2 || lanes_ > arg_buckets_.size())))
    throw DeviceError(device.name() + ": lanes register reports " + std::to_string(digit_field) +
                      "-bit digits (16..24), " + std::to_string(lanes_word >> 28) +
                      " in its unused bits 31:28 and lane ports " + (lane_ports_ ? "on" : "off") + " with " +
                      std::to_string(lanes_) + " lane(s) (2..3); is this the MSM kernel?");
  arg_points_ = spec.arg_index("points");
  arg_points_y_ = spec.arg_index("points_y");
  arg_digits_ = spec.arg_index("digits");
  arg_buckets_ = {spec.arg_index("buckets"), spec.arg_index("buckets_1"), spec.arg_index("buckets_2")};
  check_rng_.seed(options.check_seed ? options.check_seed : std::random_device{}());
  if (options.check && !(options.check_rate > 0 && options.check_rate <= 1))
    throw Error("msm: bucket check rate " + std::to_string(options.check_rate) + " is not in (0, 1]");
  if (options.host_small_scalar_bits > 16)
    throw Error("msm: " + std::to_string(options.host_small_scalar_bits) +
                " bits of small scalars for the host (at most 16)");
  // The host's addition, timed on this machine once per process: with the
  // kernel's clock it weighs host work against kernel cycles in the planner.
  // Slots for the resident point sets, made once: point_set() hands out
  // references into it.
  resident_.reserve(std::min<std::size_t>(options.resident_point_sets, 64));
  if (options.resident_point_sets > 64) throw Error("msm: at most 64 resident point sets");
  host_addition_ns_ = host_xyzz_addition_ns();
  host_addition_cost_ = options.host_addition_cost >= 0 ? options.host_addition_cost
                                                        : host_addition_ns_ * options.clock_mhz * 1e-3;
}

DeviceMsm::PointSet& DeviceMsm::point_set(std::span<const G1Affine> points, std::uint64_t key, bool& resident) {
  resident = false;
  if (key == 0 || options_.resident_point_sets == 0) {
    scratch_.key = 0;
    return scratch_;
  }
  const std::size_t n = points.size();
  // The sampled points: the first, the last and some between.
  auto sample_of = [&] {
    std::vector<G1Affine> sampled;
    const std::size_t count = std::min<std::size_t>(n, 16);
    for (std::size_t k = 0; k < count; ++k) sampled.push_back(points[count == 1 ? 0 : k * (n - 1) / (count - 1)]);
    return sampled;
  };
  const std::vector<G1Affine> sampled = sample_of();
  auto same = [&](const std::vector<G1Affine>& a) {
    return a.size() == sampled.size() && std::equal(a.begin(), a.end(), sampled.begin(), [](const auto& x, const auto& y) {
             return std::memcmp(&x, &y, sizeof(G1Affine)) == 0;
           });
  };
  ++use_clock_;
  for (PointSet& set : resident_) {
    if (set.key == key && set.data == points.data() && set.n == n) {
      set.last_use = use_clock_;
      resident = same(set.sampled);
      if (!resident) set.sampled = sampled;
      return set;
    }
  }
  // A new set: a free slot, else the least recently used one (its card
  // buffers are reused, grown when too small).
  PointSet* slot = nullptr;
  if (resident_.size() < options_.resident_point_sets) {
    slot = &resident_.emplace_back();
  } else {
    slot = &*std::min_element(resident_.begin(), resident_.end(),
                              [](const PointSet& a, const PointSet& b) { return a.last_use < b.last_use; });
  }
  slot->key = key;
  slot->data = points.data();
  slot->n = n;
  slot->sampled = sampled;
  slot->last_use = use_clock_;
  return *slot;
}

G1Jacobian DeviceMsm::run(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars,
                          std::uint64_t points_key) {
  if (points.size() != scalars.size()) throw Error("msm: points and scalars differ in length");
  if (points.empty()) return G1Jacobian::infinity();
  bool resident = false;
  PointSet& set = point_set(points, points_key, resident);
  try {
    return run_on(points, scalars, set, resident);
  } catch (...) {
    // Whatever failed may have left the card's copy wrong: the next MSM
    // over these points writes them again.
    set.key = 0;
    set.data = nullptr;
    set.n = 0;
    set.sampled.clear();
    set.last_use = 0;
    throw;
  }
}

G1Jacobian DeviceMsm::run_on(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars, PointSet& set,
                             bool resident) {
  const std::size_t n = points.size();
  // The kernel's num_points argument is 32 bits; the scheduler redoes a
  // larger part on the CPU.
  if (n > 0xFFFFFFFFu)
    throw DeviceError(device_.name() + ": " + std::to_string(n) + " points, more than one kernel run takes (2^32 - 1)");
  const unsigned c = options_.window_bits ? options_.window_bits
                                          : device_window_bits(n, bucket_bits_, adder_latency_,
                                                               host_addition_cost_, lanes_,
                                                               static_cast<unsigned>(pool_.size()), digit_bits_,
                                                               {options_.bank_beats_per_cycle, split_points_,
                                                                false, lane_ports_},
                                                               card_slicing_ && options_.card_slicing,
                                                               options_.check ? options_.check_rate : 0.0,
                                                               continue_launches_);
  if (c < 2 || c - 1 > device_lane_bucket_bits(bucket_bits_, lanes_) || c > msm_max_window_bits(digit_bits_))
    throw Error("msm: window width " + std::to_string(c) + " does not fit the kernel's 2^" +
                std::to_string(bucket_bits_) + " buckets in " + std::to_string(lanes_) + " lane(s) and its " +
                std::to_string(digit_bits_) + "-bit digits");
  const unsigned b = c - 1;
  const std::size_t buckets_per_window = std::size_t(1) << b;
  const std::size_t windows = num_windows(c);
  const std::size_t row_digits = msm_row_digits(digit_bits_);
  const std::size_t group = device_windows_per_run(c, bucket_bits_, lanes_, digit_bits_);
  const std::vector<DeviceMsmRun> runs = device_msm_runs(windows, group, row_digits);

  // The host half that does not depend on the kernel: points, unless they
  // are on the card already (a key's, resident). A kernel
  // that reads split points gets the x coordinates and the y coordinates in
  // buffers of their own (two banks on a card), 32 bytes each, two to a
  // beat; else a beat a point, x | y.
  const bool split = split_points_;
  const std::size_t point_stream_bytes = split ? (n + 1) / 2 * kBeatBytes : n * kBeatBytes;
  std::vector<std::byte> point_beats(resident ? 0 : point_stream_bytes),
      point_y_beats(split && !resident ? point_stream_bytes : 0);
  if (!resident) pool_.parallel_for(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (split) {
        put_field(&point_beats[i * 32], points[i].x);
        put_field(&point_y_beats[i * 32], points[i].y);
      } else {
        put_field(&point_beats[i * kBeatBytes], points[i].x);
        put_field(&point_beats[i * kBeatBytes + 32], points[i].y);
      }
    }
  });
  // Digit rows of the windows [first, first + row_digits) (those below
  // `windows`), and the nonzero digits of each window (the additions the
  // kernel must report for a run): msm_digit_rows.hpp.
  auto make_rows = [&](std::size_t first, MsmDigitRows::Storage storage = {}) {
    return std::make_shared<MsmDigitRows>(n, c, digit_bits_, first, std::min(row_digits, windows - first),
                                          std::move(storage));
  };

  // Scalars sliced on the card (the kernel's scalars flag) when it can and
  // every window is in the one row the slicer makes: the host sends the
  // scalars as they are, 32 bytes each, and only counts their digits (the
  // additions to expect; single digits for the subset check) beside the
  // upload. Otherwise the host slices them into rows.
  const bool card_slicing = card_slicing_ && options_.card_slicing && windows <= row_digits;
  // The kernel's scalars: the small ones (msm_small_scalars.hpp) zeroed, in
  // memory kept from the last MSM, each chunk copied just before its
  // slicing or upload; the host sums the small ones' points itself.
  const unsigned small_bits = options_.host_small_scalar_bits;
  if (small_bits > 0) kernel_scalars_.resize(n);
  const std::span<const BigInt<4>> kscalars =
      small_bits > 0 ? std::span<const BigInt<4>>(kernel_scalars_.data(), n) : scalars;
  std::atomic<std::size_t> small_count{0};
  std::shared_ptr<MsmOffsetDigits> card_digits;
  if (card_slicing) card_digits = std::make_shared<MsmOffsetDigits>(kscalars, c, windows);
  // The sampled bucket check: its sample of the MSM's buckets, and the
  // pairs' side of each window, computed from all the digits while the
  // first run goes (msm_bucket_sample.hpp).
  std::optional<MsmBucketSample> sample;
  if (options_.check) sample.emplace(windows, buckets_per_window, options_.check_rate, check_rng_());
  // (For scalars the card slices: the pairs listed with the count of their
  // digits, added up when their run's buckets are checked.)
  std::vector<Xyzz> sampled_pairs(sample ? windows : 0, Xyzz::infinity());
  std::vector<std::vector<MsmBucketSample::Pair>> sampled_lists(sample && card_slicing ? windows : 0);
  std::mutex sampled_pairs_mu;

  drivers::ensure_buffer(device_, set.points, point_stream_bytes, arg_points_);
  if (split) drivers::ensure_buffer(device_, set.points_y, point_stream_bytes, arg_points_y_);
  drivers::ensure_buffer(device_, digits_buf_, n * kBeatBytes, arg_digits_);
  // The buckets: one buffer for a run's windows in order, or with lane
  // ports one a lane (on its bucket port's bank) for its windows l,
  // l + lanes, ... of the run.
  const bool lane_ports = lane_ports_;
  const std::size_t ports = lane_ports ? lanes_ : 1;
  auto port_windows = [&](std::size_t run_windows, std::size_t port) {
    return run_windows > port ? (run_windows - port + ports - 1) / ports : 0;
  };
  for (std::size_t l = 0; l < ports; ++l)
    drivers::ensure_buffer(device_, buckets_buf_[l], port_windows(group, l) * buckets_per_window * 2 * kBeatBytes,
                           arg_buckets_[l]);
  const BufferId points_buf = set.points, points_y_buf = set.points_y, digits_buf = digits_buf_;
  const std::array<BufferId, 3> buckets_buf = buckets_buf_;
  if (!resident) {
    device_.write(points_buf, point_beats);
    if (split) device_.write(points_y_buf, point_y_beats);
    counters_.point_uploads += 1;
    counters_.point_bytes += point_beats.size() + point_y_beats.size();
  }

  std::vector<Xyzz> window_sums(windows);
  // Reduces the windows of one port's buckets of a run (all of them, or
  // with lane ports lane `port`'s: the run's windows port, port + ports,
  // ...) into their sums, after the sampled check of their buckets.
  auto reduce = [&](const DeviceMsmRun& run, std::size_t port, std::vector<std::byte> bucket_bytes) {
    const std::size_t count = port_windows(run.windows, port);
    auto window_of = [&](std::size_t v) { return run.window + port + v * ports; };  // the MSM's window
    // Read and checked on the pool (about half an XYZZ addition a bucket);
    // the first bad bucket in order is the one reported.
    std::vector<Xyzz> buckets(count * buckets_per_window);
    std::atomic<std::size_t> first_bad{buckets.size()};
    std::atomic<bool> out_of_range{false};
    pool_.parallel_for(buckets.size(), [&](std::size_t begin, std::size_t end) {
      // The chunk's first bad bucket, then one update of the shared minimum.
      std::size_t bad = buckets.size();
      for (std::size_t k = begin; k < end && bad == buckets.size(); ++k) {
        const std::byte* p = &bucket_bytes[k * 2 * kBeatBytes];
        try {
          buckets[k] = {get_field(p, device_), get_field(p + 32, device_), get_field(p + 64, device_),
                        get_field(p + 96, device_)};
          if (!msm_bucket_valid(buckets[k])) bad = k;
        } catch (const DeviceError&) {
          out_of_range = true;
          bad = k;
        }
      }
      for (std::size_t seen = first_bad.load(); bad < seen && !first_bad.compare_exchange_weak(seen, bad);) {
      }
    });
    if (out_of_range)
      throw DeviceError(device_.name() +
                        ": bucket range check failed: a coordinate read back is not below q (corrupt result)");
    if (const std::size_t k = first_bad.load(); k < buckets.size())
      throw DeviceError(device_.name() + ": bucket validity check failed: bucket " +
                        std::to_string(k % buckets_per_window) + " of window " +
                        std::to_string(window_of(k / buckets_per_window)) +
                        " is neither empty nor a curve point (corrupt result)");
    // The sampled check: each window's sampled buckets against the pairs
    // sent to them.
    if (sample) {
      for (std::size_t v = 0; v < count; ++v) {
        const std::size_t w = window_of(v);
        const Xyzz lhs = sample->bucket_sum(
            w, std::span<const Xyzz>(buckets).subspan(v * buckets_per_window, buckets_per_window));
        const Xyzz rhs = card_slicing ? MsmBucketSample::pair_sum(points, sampled_lists[w], pool_) : sampled_pairs[w];
        if (!(lhs.to_jacobian() == rhs.to_jacobian()))
          throw DeviceError(device_.name() + ": bucket subset check failed in window " + std::to_string(w) +
                            " (the kernel's sums of the sampled buckets disagree with the pairs sent to them)");
      }
    }
    // Bucket j holds the points with digit ±(j+1): Σ (j+1)·B_j by running
    // sums, each window cut into segments so that a run of fewer windows
    // than threads still uses the whole pool (bucket_reduction.hpp).
    const std::vector<Xyzz> sums = reduce_bucket_windows(std::span<const Xyzz>(buckets), buckets_per_window, pool_);
    for (std::size_t v = 0; v < count; ++v) window_sums[window_of(v)] = sums[v];
  };

  const drivers::KernelSpec& spec = device_.kernel();
  const std::size_t window_bucket_bits = spec.arg_index("window_bucket_bits");
  // One kernel launch: `count` points from `first_point` on, the run's
  // windows, hold/continue flags (docs/kernel_msm.md). Returns the launch's
  // additions after checking its status.
  auto launch = [&](const DeviceMsmRun& run, std::size_t first_point, std::size_t count, std::uint32_t flags) {
    device_.set_arg(spec.arg_index("num_points"), static_cast<std::uint32_t>(count));
    device_.set_arg(spec.arg_index("windows"), static_cast<std::uint32_t>(run.windows));
    device_.set_arg(window_bucket_bits, b | flags | (card_slicing ? kMsmScalars : 0u) |
                                            (split ? kMsmSplitPoints : 0u) | (lane_ports ? kMsmLanePorts : 0u));
    device_.set_arg(spec.arg_index("first_window"), static_cast<std::uint32_t>(run.first_window));
    // The whole buffers, or the launch's range of each: 64 bytes a point, or
    // 32 (split points, scalars) two to a beat, a launch then starting at an
    // even point.
    auto range = [&](const BufferId& buffer, std::size_t bytes_per_point) {
      if (count == n) return buffer;
      return drivers::sub_buffer(buffer, first_point * bytes_per_point,
                                 (count * bytes_per_point + kBeatBytes - 1) / kBeatBytes * kBeatBytes);
    };
    device_.set_arg(arg_points_, range(points_buf, split ? 32 : kBeatBytes));
    if (split) device_.set_arg(arg_points_y_, range(points_y_buf, 32));
    device_.set_arg(arg_digits_, range(digits_buf, card_slicing ? kScalarBytes : kBeatBytes));
    for (std::size_t l = 0; l < ports; ++l) device_.set_arg(arg_buckets_[l], buckets_buf[l]);
    device_.start();
  };
  auto finish = [&]() -> std::uint64_t {
    const drivers::RunState state = device_.wait(options_.timeout);
    if (state == drivers::RunState::timeout)
      throw DeviceError(device_.name() + ": MSM kernel timed out (did not finish within " +
                        std::to_string(options_.timeout.count()) + " ms)");
    if (state != drivers::RunState::completed) throw DeviceError(device_.name() + ": MSM kernel reported an error");
    // The kernel's own error bits (config 27:24, docs/kernel_msm.md), before
    // its counters or buckets are believed.
    if (const std::uint32_t errors = (device_.read_status(spec.status_index("config")) >> 24) & 0xF)
      throw DeviceError(device_.name() + ": MSM kernel reports " +
                        drivers::describe_error_bits(errors, {"a digit beyond the buckets", "an AXI read error",
                                                              "an AXI write error", "bad arguments"}));
    const std::uint64_t cycles = drivers::read_status_u64(device_, "cycles");
    const std::uint64_t additions = drivers::read_status_u64(device_, "additions");
    counters_.runs += 1;
    counters_.cycles += cycles;
    counters_.msm_cycles += cycles;
    counters_.additions += additions;
    counters_.conflicts += device_.read_status(spec.status_index("parked"));
    return additions;
  };

  // The first run, in three stages that overlap: this thread slices the
  // first rows on the pool chunk by chunk, a second writes each sliced
  // chunk to the card, a third launches the kernel on each written chunk.
  // Scalars the card slices go up as they are, without waiting for their
  // count (needed only for the additions check after the run).
  // On a kernel with continue/hold every chunk is a launch of its own
  // (hold, then continue) and the card starts after one chunk, not after
  // all the rows; on an older kernel one launch takes all of them.
  std::shared_ptr<MsmDigitRows> rows = card_slicing ? nullptr : make_rows(0, std::move(row_storage_)), next_rows;
  std::uint64_t first_run_additions = 0;
  G1Jacobian small_sum = G1Jacobian::infinity();
  {
    // Scalars and split points go two to a beat: then chunks of an even
    // number of points (an odd first size rounded up).
    const bool even = card_slicing || split;
    const std::vector<std::size_t> sizes =
        msm_upload_chunks(n, even ? (options_.upload_chunk_points + 1) / 2 * 2 : options_.upload_chunk_points,
                          options_.upload_chunk_growth,
                          card_slicing ? options_.upload_max_chunk_points : options_.upload_max_row_chunk_points,
                          even);
    const std::size_t chunks = sizes.size();
    std::vector<std::size_t> offsets(chunks + 1, 0);
    for (std::size_t k = 0; k < chunks; ++k) offsets[k + 1] = offsets[k] + sizes[k];
    std::vector<std::promise<void>> sliced(chunks), written(chunks);
    auto uploader = std::async(std::launch::async, [&] {
      for (std::size_t k = 0; k < chunks; ++k) {
        try {
          // Rows, and scalars with the small ones zeroed, wait for their chunk.
          if (!card_slicing || small_bits > 0) sliced[k].get_future().get();
          const std::size_t begin = offsets[k], end = offsets[k + 1];
          if (card_slicing)
            device_.write(digits_buf, std::as_bytes(kscalars.subspan(begin, end - begin)), begin * kScalarBytes);
          else
            device_.write(digits_buf, rows->beats(begin, end), begin * kBeatBytes);
          written[k].set_value();
        } catch (...) {
          for (std::size_t m = k; m < chunks; ++m) written[m].set_exception(std::current_exception());
          return;
        }
      }
    });
    auto launcher = std::async(std::launch::async, [&] {
      const DeviceMsmRun& run = runs[0];
      if (!continue_launches_) {
        for (auto& w : written) w.get_future().get();
        launch(run, 0, n, 0);
        first_run_additions += finish();
        return;
      }
      for (std::size_t k = 0; k < chunks; ++k) {
        written[k].get_future().get();
        const std::size_t begin = offsets[k], end = offsets[k + 1];
        const std::uint32_t flags = (k > 0 ? kMsmContinue : 0u) | (k + 1 < chunks ? kMsmHold : 0u);
        launch(run, begin, end - begin, flags);
        first_run_additions += finish();
      }
    });
    std::exception_ptr slicing_error;
    for (std::size_t k = 0; k < chunks; ++k) {
      bool signalled = false;  // sliced[k] set (its upload may go)
      try {
        if (slicing_error) throw slicing_error;
        const std::size_t begin = offsets[k], end = offsets[k + 1];
        // Scalars the card slices: the chunk with its small ones zeroed goes
        // up as soon as it is made (a copy, far faster than the upload), and
        // its digits are counted while it goes.
        const bool zero_first = card_slicing && small_bits > 0;
        if (zero_first) {
          pool_.parallel_for(end - begin, [&](std::size_t lo, std::size_t hi) {
            small_count += msm_zero_small_scalars(scalars, small_bits, std::span<BigInt<4>>(kernel_scalars_),
                                                  begin + lo, begin + hi);
          });
          sliced[k].set_value();
          signalled = true;
        }
        pool_.parallel_for(end - begin, [&](std::size_t lo, std::size_t hi) {
          if (small_bits > 0 && !zero_first)
            small_count += msm_zero_small_scalars(scalars, small_bits, std::span<BigInt<4>>(kernel_scalars_),
                                                  begin + lo, begin + hi);
          if (card_slicing && sample)
            sample->count_pairs(*card_digits, begin + lo, begin + hi, sampled_lists, sampled_pairs_mu);
          else if (card_slicing)
            card_digits->count(begin + lo, begin + hi);
          else
            rows->fill(kscalars, begin + lo, begin + hi);
        });
        if (!zero_first) sliced[k].set_value();
      } catch (...) {
        if (!slicing_error) slicing_error = std::current_exception();
        if (!signalled) sliced[k].set_exception(slicing_error);
      }
    }
    // While the first run's last launches go: the sampled check's pairs,
    // the small scalars' sum (both on the pool) and the second run's rows
    // when it needs new ones (on this thread, as for the later runs below).
    if (!slicing_error) {
      try {
        // The sampled check's pairs from rows the host sliced (for scalars
        // the card slices they came with the count, above).
        if (sample && !card_slicing) {
          const MsmOffsetDigits digits(kscalars, c, windows);
          sampled_pairs = sample->pair_sums(points, digits, pool_);
        }
        // One run: the small scalars' sum here; else a share after each
        // run's reduction but the last's (below), hidden behind the runs.
        if (small_bits > 0 && small_count.load() > 0 && runs.size() == 1)
          small_sum = msm_small_scalar_sum(points, scalars, small_bits, pool_);
        if (runs.size() > 1 && runs[1].new_rows) {
          next_rows = make_rows(runs[1].window);
          next_rows->fill(kscalars, 0, n);
        }
      } catch (...) {
        slicing_error = std::current_exception();
      }
    }
    // A scalar out of range is the cause of whatever the kernel made of it.
    uploader.wait();
    launcher.wait();
    if (slicing_error) std::rethrow_exception(slicing_error);
    uploader.get();
    launcher.get();
  }
  std::future<void> reduction;
  for (std::size_t g = 0; g < runs.size(); ++g) {
    const DeviceMsmRun& run = runs[g];
    if (run.new_rows && g > 0) {
      rows = std::move(next_rows);
      device_.write(digits_buf, rows->beats());
    }
    const std::size_t rows_first = card_slicing ? 0 : rows->first();
    if (rows_first + run.first_window != run.window)
      throw Error("msm: run " + std::to_string(g) + " planned for windows from " + std::to_string(run.window) +
                  " finds the rows of windows from " + std::to_string(rows_first) + " at digit " +
                  std::to_string(run.first_window));
    std::uint64_t expected_additions = 0;
    for (std::size_t k = 0; k < run.windows; ++k)
      expected_additions += card_slicing ? card_digits->nonzero(run.window + k) : rows->nonzero(run.first_window + k);
    if (g > 0) launch(run, 0, n, 0);
    // Host work overlapped with the kernel: the rows the next run needs,
    // when it needs new ones (on this thread: the reduction holds the pool;
    // the first run's were built beside its launches above).
    if (g > 0 && g + 1 < runs.size() && runs[g + 1].new_rows) {
      next_rows = make_rows(runs[g + 1].window);
      next_rows->fill(kscalars, 0, n);
    }
    const std::uint64_t additions = g > 0 ? finish() : first_run_additions;
    // Every nonzero digit is one addition: fewer means the run did not finish.
    if (additions != expected_additions)
      throw DeviceError(device_.name() + ": additions check failed: the kernel reports " + std::to_string(additions) +
                        " additions for " + std::to_string(expected_additions) +
                        " nonzero digits sent (an incomplete run)");
    // Each port's buckets are reduced while the next port's are read, one
    // after the other; the run's reduction goes on while the kernel takes
    // the next run (after the previous run's has finished).
    for (std::size_t l = 0; l < ports && l < run.windows; ++l) {
      std::vector<std::byte> bucket_bytes(port_windows(run.windows, l) * buckets_per_window * 2 * kBeatBytes);
      device_.read(buckets_buf[l], bucket_bytes);
      if (l == 0 && reduction.valid()) reduction.get();
      reduction = std::async(std::launch::async,
                             [&, run, l, previous = std::move(reduction),
                              bytes = std::move(bucket_bytes)]() mutable {
                               if (previous.valid()) previous.get();
                               reduce(run, l, std::move(bytes));
                             });
    }
    // A share of the small scalars' sum after this run's reduction, while
    // the kernel takes the next run (the pool takes one job at a time).
    if (small_bits > 0 && small_count.load() > 0 && g + 1 < runs.size()) {
      const std::size_t shares = runs.size() - 1, lo = n * g / shares, hi = n * (g + 1) / shares;
      reduction = std::async(std::launch::async, [&, lo, hi, previous = std::move(reduction)]() mutable {
        if (previous.valid()) previous.get();
        small_sum += msm_small_scalar_sum(points.subspan(lo, hi - lo), scalars.subspan(lo, hi - lo), small_bits, pool_);
      });
    }
  }
  reduction.get();
  reduction = {};
  // The rows' memory serves the next MSM's first rows.
  if (rows && rows.use_count() == 1) row_storage_ = rows->release();

  // Windows combined from the top: acc = Σ_w 2^(c·w)·S_w.
  G1Jacobian acc = G1Jacobian::infinity();
  for (std::size_t w = windows; w-- > 0;) {
    for (unsigned k = 0; k < c; ++k) acc = acc.dbl();
    acc += window_sums[w].to_jacobian();
  }
  // The small scalars' points, summed on the host.
  counters_.small_scalars += small_count.load();
  return acc + small_sum;
}

}  // namespace zkacc::runtime
