#include "zkacc/runtime/card_projection.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <bit>
#include <cmath>
#include <string>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/drivers/kernel_spec.hpp"
#include "zkacc/msm/signed_digits.hpp"
#include "zkacc/runtime/host_addition_timing.hpp"
#include "zkacc/runtime/msm_digit_rows.hpp"
#include "zkacc/runtime/msm_small_scalars.hpp"

namespace zkacc::runtime {
namespace {

void check_params(const CardParams& p) {
  const auto bad = [](const std::string& what) { throw Error("card projection: " + what); };
  if (!(p.clock_mhz > 0)) bad("clock must be positive");
  if (p.bucket_bits < 2 || p.bucket_bits > 24) bad("bucket bits must be 2..24");
  if (p.adders < 1) bad("needs at least one adder");
  // The adders are the kernel's lanes: each its own 2^(bucket_bits − ceil(log2 adders)) buckets.
  if (p.adders > kMsmDigitsPerBeat || std::bit_width(p.adders - 1) >= p.bucket_bits)
    bad("adders must be 1.." + std::to_string(kMsmDigitsPerBeat) + " and leave each at least 2 buckets");
  if (!(p.adder_utilization > 0 && p.adder_utilization <= 1)) bad("adder utilization must be in (0, 1]");
  if (!(p.reference_run_buckets > 0)) bad("reference run buckets must be positive");
  if (!(p.pcie_gb_per_s > 0)) bad("PCIe rate must be positive");
  if (!(p.memory_gb_per_s >= 0) || !(p.memory_efficiency > 0 && p.memory_efficiency <= 1))
    bad("card memory rate must be >= 0 and its efficiency in (0, 1]");
  // A negative host_addition_ns and host_addition_cost mean "measured".
  if (p.launch_overhead_us < 0 || p.run_overhead_cycles < 0 || p.host_slice_ns < 0 || p.host_count_ns < 0 ||
      p.host_zero_ns < 0)
    bad("negative cost");
  if (p.subset_check && !(p.check_rate > 0 && p.check_rate <= 1)) bad("check rate must be in (0, 1]");
  if (p.host_small_scalar_bits > 16) bad("at most 16 bits of small scalars on the host");
  if (p.upload_chunk_points < 1 || p.upload_max_chunk_points < 1 || p.upload_max_row_chunk_points < 1) bad("upload chunks must hold at least one point");
  if (!(p.upload_chunk_growth >= 1)) bad("upload chunks must not shrink (growth >= 1)");
  if (!msm_digit_bits_supported(p.digit_bits)) bad("digit bits must be 16..24");
}

// The host model's conflict term: the share of issue slots not lost to a
// pair whose bucket is still in one of the adders.
double conflict_factor(double run_buckets, const CardParams& p) {
  return std::max(0.05, 1.0 - double(p.adder_latency) * p.adders / run_buckets);
}

// Card memory as the planner sees it: each stream on a bank of its own
// (or all on one), 64-byte beats a kernel cycle a bank (0: no limit).
MsmMemoryModel memory_model(const CardParams& p) {
  return {p.memory_gb_per_s * p.memory_efficiency * 1e9 / double(drivers::kBeatBytes) / (p.clock_mhz * 1e6),
          p.split_points, p.shared_bank, p.lane_ports && p.adders > 1 && p.adders <= 3};
}

// The runtime's defaults filled in: this machine's threads, its measured
// host addition, and the planner's weight from it at the clock.
CardParams resolved(const CardParams& p) {
  CardParams q = p;
  q.host_threads = card_host_threads(p);
  q.host_addition_ns = card_host_addition_ns(p);
  q.host_small_addition_ns = p.host_small_addition_ns >= 0 ? p.host_small_addition_ns : host_affine_sum_ns();
  if (q.host_addition_cost < 0) q.host_addition_cost = q.host_addition_ns * q.clock_mhz * 1e-3;
  return q;
}

}  // namespace

unsigned card_host_threads(const CardParams& params) {
  return params.host_threads ? params.host_threads : static_cast<unsigned>(ThreadPool::default_threads());
}

double card_host_addition_ns(const CardParams& params) {
  return params.host_addition_ns >= 0 ? params.host_addition_ns : host_xyzz_addition_ns();
}

unsigned card_window_bits(std::size_t n, const CardParams& given) {
  check_params(given);
  const CardParams params = resolved(given);
  return device_window_bits(n, params.bucket_bits, params.adder_latency, params.host_addition_cost, params.adders,
                            params.host_threads, params.digit_bits, memory_model(params), params.card_slicing,
                            params.subset_check ? params.check_rate : 0.0,
                            params.continue_launches && params.overlap_transfers);
}

MsmProjection project_g1_msm(std::size_t n, const CardParams& given, std::optional<double> additions,
                             double small_scalars, std::span<const double> hottest_bucket_pairs) {
  MsmProjection r;
  r.points = n;
  if (n == 0) return r;
  check_params(given);
  if (!(small_scalars >= 0 && small_scalars <= double(n))) throw Error("card projection: small scalars outside 0..n");
  const CardParams p = resolved(given);
  r.host_addition_ns = p.host_addition_ns;
  r.small_scalars = small_scalars;
  const unsigned c = p.window_bits ? p.window_bits : card_window_bits(n, p);
  if (c < 2 || c - 1 > device_lane_bucket_bits(p.bucket_bits, p.adders) || c > msm_max_window_bits(p.digit_bits))
    throw Error("card projection: window width " + std::to_string(c) + " does not fit the card's buckets and digits");
  const std::size_t buckets_per_window = std::size_t(1) << (c - 1);
  r.window_bits = c;
  r.windows = num_windows(c);
  r.windows_per_run = device_windows_per_run(c, p.bucket_bits, p.adders, p.digit_bits);
  r.runs = (r.windows + r.windows_per_run - 1) / r.windows_per_run;
  const double random_additions = double(n) * double(r.windows) * (1.0 - std::ldexp(1.0, -int(c)));
  r.additions = additions ? *additions : random_additions;
  if (r.additions < 0) throw Error("card projection: negative number of additions");

  const double cycle_s = 1e-6 / p.clock_mhz;
  // With the card slicing the scalars (when every window is in its one
  // row) the host sends 32 bytes a point instead of a 64-byte row, and a run
  // reads half a beat of them a point.
  r.card_slicing = p.card_slicing && r.windows <= msm_row_digits(p.digit_bits);
  const double digit_bytes = double(n) * double(r.card_slicing ? kScalarBytes : drivers::kBeatBytes);
  // The host writes the digit rows once per MSM (up to 512 / digit_bits
  // windows a row) and again only when a run's windows are not in the rows
  // on the card.
  const std::vector<DeviceMsmRun> plan =
      device_msm_runs(r.windows, r.windows_per_run, msm_row_digits(p.digit_bits));
  const double bucket_bytes = 2.0 * double(drivers::kBeatBytes);      // XYZZ, two beats
  const MsmMemoryModel memory = memory_model(p);
  const double host_add_s = p.host_addition_ns * 1e-9;

  struct Run {
    double kernel_s, digits_s, buckets_s, host_s, host_wall_s, accumulate_s;
  };
  std::vector<Run> runs;
  for (std::size_t g = 0; g < r.runs; ++g) {
    const std::size_t w = std::min(r.windows_per_run, r.windows - g * r.windows_per_run);
    const double run_buckets = double(w * buckets_per_window);
    // Additions spread over the windows evenly: random scalars' digits are.
    const double adds = r.additions * double(w) / double(r.windows);
    const double u = p.adder_utilization *
                     std::min(1.0, conflict_factor(run_buckets, p) / conflict_factor(p.reference_run_buckets, p));
    // Window v of a run goes to lane v mod adders (zkacc_msm_kernel): the busiest
    // lane has ceil(w / adders) windows and sets the run's pace.
    const double busiest_windows = double((w + p.adders - 1) / p.adders);
    // The last run holds the top window, whose few buckets may set its pace
    // (msm_top_window_cycles, for random scalars; with fewer additions
    // given, in proportion; nothing at c = 15 or 17).
    const double top = g + 1 == r.runs ? msm_top_window_cycles(n, c, p.adder_latency) *
                                             std::min(1.0, r.additions / random_additions)
                                       : 0.0;
    // A bucket takes one pair every adder latency + 4 cycles: the run lasts
    // at least as long as its most crowded bucket's pairs (given per window).
    double crowded = 0;
    for (std::size_t v = g * r.windows_per_run; v < g * r.windows_per_run + w && v < hottest_bucket_pairs.size(); ++v)
      crowded = std::max(crowded, hottest_bucket_pairs[v] * double(p.adder_latency + 4));
    const double compute = std::max({double(n), adds / double(w) * busiest_windows / u, top, crowded});
    const double reads = msm_run_read_cycles(n, memory, r.card_slicing);
    const double accumulate = std::max(compute, reads);
    if (reads > compute) ++r.memory_bound_runs;
    const double writeback = msm_writeback_cycles(w, double(buckets_per_window), p.adders, memory);
    r.accumulate_cycles += accumulate;
    r.writeback_cycles += writeback;
    r.overhead_cycles += p.run_overhead_cycles;
    r.utilization = g == 0 ? u : std::min(r.utilization, u);
    // Host: running sums (reduction_additions_per_bucket a bucket) and the
    // validity check of every bucket, and the sampled check's sums of its
    // buckets.
    // The top window's reduction stops at the buckets its digits reach (and
    // its empty buckets cost the validity check only a comparison with zero).
    const double reduced = run_buckets - (g + 1 == r.runs ? double(buckets_per_window) - msm_top_window_buckets(c) : 0.0);
    // The sampled check's buckets' side, check_rate of the buckets, one
    // addition each; for scalars the card slices also its pairs' side,
    // check_rate of the run's additions (for rows the host slices that goes
    // beside the first run, below).
    // With more than one run, a share of the small scalars' sum follows
    // each run's reduction but the last's (DeviceMsm), host_small_addition_ns
    // a point.
    const double small_s = r.runs > 1 && g + 1 < r.runs
                               ? small_scalars / double(r.runs - 1) * p.host_small_addition_ns * 1e-9
                               : 0.0;
    const double sums = (p.reduction_additions_per_bucket + p.validate_additions_per_bucket) * reduced,
                 check = p.subset_check ? p.check_rate * (run_buckets + (r.card_slicing ? adds : 0.0)) : 0.0;
    const double threads = double(p.host_threads);
    const double host_s = (sums + check) * host_add_s + small_s;
    const double host_wall = host_s / threads;
    const double digits_s = plan[g].new_rows ? digit_bytes / (p.pcie_gb_per_s * 1e9) : 0.0;
    runs.push_back({(accumulate + writeback + p.run_overhead_cycles) * cycle_s, digits_s,
                    run_buckets * bucket_bytes / (p.pcie_gb_per_s * 1e9), host_s, host_wall,
                    accumulate * cycle_s});
  }
  r.kernel_s = (r.accumulate_cycles + r.writeback_cycles + r.overhead_cycles) * cycle_s;
  r.launch_s = double(r.runs) * p.launch_overhead_us * 1e-6;
  for (const Run& run : runs) {
    r.transfer_s += run.digits_s + run.buckets_s;
    r.host_cpu_s += run.host_s;
  }
  // The first rows: sliced on the pool chunk by chunk, each chunk written
  // while the next is sliced.
  r.slice_s = double(n) * (r.card_slicing ? p.host_count_ns : p.host_slice_ns) * 1e-9 / double(p.host_threads);
  const double first_digits_s = runs.front().digits_s;
  // DeviceMsm's chunks: a small first one, growing (msm_upload_chunks).
  const bool even = r.card_slicing || p.split_points;
  const std::vector<std::size_t> chunks = msm_upload_chunks(
      n, even ? (p.upload_chunk_points + 1) / 2 * 2 : p.upload_chunk_points, p.upload_chunk_growth,
      r.card_slicing ? p.upload_max_chunk_points : p.upload_max_row_chunk_points, even);
  if (!p.overlap_transfers) {
    r.first_rows_s = r.slice_s + first_digits_s;
  } else if (!p.continue_launches) {
    // Before the first run: the longer of slicing and upload sets the pace,
    // and the other adds its last (or first) chunk.
    const double chunk_share = double(r.slice_s > first_digits_s ? chunks.back() : chunks.front()) / double(n);
    r.first_rows_s = std::max(r.slice_s, first_digits_s) + std::min(r.slice_s, first_digits_s) * chunk_share;
  } else {
    // Chunk k is sliced, then written, then launched; each stage takes the
    // chunks in order, a chunk as soon as the stage before has passed it on
    // and the stage has finished the chunk before. Scalars the card slices go
    // up without waiting for their count, which runs beside (the run's
    // additions check needs it at the end). Counted: what the first run's
    // end comes later than one launch of the run on rows already there.
    const double launch = p.run_overhead_cycles * cycle_s + p.launch_overhead_us * 1e-6;
    double sliced = 0, written = 0, added = 0;
    // With small scalars zeroed, each chunk of scalars is copied before it
    // goes (its count comes after, beside the upload).
    const double zero_s = r.card_slicing && p.host_small_scalar_bits > 0
                              ? double(n) * p.host_zero_ns * 1e-9 / double(p.host_threads)
                              : 0.0;
    for (const std::size_t chunk : chunks) {
      const double share = double(chunk) / double(n);
      // Scalars the card slices go up without waiting for their count,
      // unless the small ones are zeroed first (a copy made with the count).
      sliced += (r.card_slicing ? zero_s : r.slice_s) * share;
      written = std::max(written, sliced) + first_digits_s * share;
      added = std::max(added, written) + runs.front().accumulate_s * share + launch;
    }
    if (r.card_slicing) added = std::max(added, r.slice_s);
    r.first_rows_s = added - (runs.front().accumulate_s + launch);
    r.first_run_launches = chunks.size();
  }
  if (!p.overlap_transfers) {
    r.transfer_exposed_s = r.transfer_s - first_digits_s;
  } else {
    // Nothing hides the last buckets (with lane ports, the first lane's:
    // the host reduces them while the next lane's come); while run g − 1
    // works, run g's digits go up and run g − 2's buckets come back.
    const std::size_t last_windows = r.windows - (r.runs - 1) * r.windows_per_run;
    const double first_share =
        memory.lane_ports ? double((last_windows + p.adders - 1) / p.adders) / double(last_windows) : 1.0;
    r.transfer_exposed_s = runs.back().buckets_s * first_share;
    for (std::size_t g = 1; g < runs.size(); ++g) {
      const double moved = runs[g].digits_s + (g >= 2 ? runs[g - 2].buckets_s : 0.0);
      r.transfer_exposed_s += std::max(0.0, moved - runs[g - 1].kernel_s);
    }
  }
  // Points not resident go up before anything else (DeviceMsm writes them
  // before the first rows).
  if (!p.points_resident) {
    r.points_upload_s = double(n) * double(drivers::kBeatBytes) / (p.pcie_gb_per_s * 1e9);
    r.first_rows_s += r.points_upload_s;
    r.transfer_s += r.points_upload_s;
  }
  r.card_s = r.first_rows_s + r.kernel_s + r.launch_s + r.transfer_exposed_s;
  // Run g's host work overlaps run g + 1's kernel; a longer one delays the
  // run after that. The last run's has nothing to hide behind.
  for (std::size_t g = 0; g + 1 < runs.size(); ++g)
    r.host_stall_s += std::max(0.0, runs[g].host_wall_s - runs[g + 1].kernel_s);
  // Beside the first run, after the first rows' slicing or counting: the
  // sampled check's pass over every point's digits (host_count_ns a point,
  // as the count: one offset sum, every window) and its additions
  // (check_rate of the kernel's), and with one run the small scalars' sum
  // (host_small_addition_ns a point). What outlasts the first run delays the reduction of its buckets.
  // Scalars the card slices: the pass is the count the host makes anyway
  // (MsmBucketSample::count_pairs; its membership tests, a bit a window,
  // and the sampled pairs' listing assumed inside the count's 21 ns), the
  // additions come with each run's reduction (above); rows the host
  // slices: a pass of its own and the additions, beside the first run.
  const double beside_cpu_s =
      (p.subset_check && !r.card_slicing ? double(n) * p.host_count_ns * 1e-9 + p.check_rate * r.additions * host_add_s
                                         : 0.0) +
      (r.runs == 1 ? small_scalars * p.host_small_addition_ns * 1e-9 : 0.0);
  r.beside_first_run_s = beside_cpu_s / double(p.host_threads);
  r.host_cpu_s += beside_cpu_s;
  const double slice_end_s = (p.points_resident ? 0.0 : r.points_upload_s) + r.slice_s;
  r.host_stall_s += std::max(0.0, slice_end_s + r.beside_first_run_s - (r.first_rows_s + runs.front().kernel_s));
  r.host_tail_s = runs.back().host_wall_s;
  r.latency_s = r.card_s + r.host_stall_s + r.host_tail_s;
  return r;
}

MsmProjection project_g1_msm_scalars(std::span<const BigInt<4>> scalars, const CardParams& params, ThreadPool& pool) {
  const std::size_t n = scalars.size();
  if (n == 0) return project_g1_msm(0, params);
  // The kernel's scalars: the small ones zeroed, as DeviceMsm sends them.
  std::vector<BigInt<4>> kernel(n);
  std::atomic<std::size_t> small{0};
  pool.parallel_for(n, [&](std::size_t begin, std::size_t end) {
    small += msm_zero_small_scalars(scalars, params.host_small_scalar_bits, kernel, begin, end);
  });
  const unsigned c = params.window_bits ? params.window_bits : card_window_bits(n, params);
  const std::size_t windows = num_windows(c), buckets = std::size_t(1) << (c - 1);
  MsmOffsetDigits digits(kernel, c, windows);
  // Each window's pairs per bucket, for its most crowded bucket.
  std::vector<std::uint32_t> counts(windows * buckets, 0);
  std::mutex merge;
  const std::size_t chunks = std::min<std::size_t>(pool.size(), std::max<std::size_t>(1, n / 4096));
  pool.run(chunks, [&](std::size_t ch) {
    std::vector<std::uint32_t> local(windows * buckets, 0);
    std::vector<std::int32_t> d(windows);
    for (std::size_t i = n * ch / chunks; i < n * (ch + 1) / chunks; ++i) {
      digits.digits(i, d);
      for (std::size_t w = 0; w < windows; ++w)
        if (d[w] != 0) ++local[w * buckets + std::size_t(std::abs(d[w])) - 1];
    }
    std::lock_guard lock(merge);
    for (std::size_t k = 0; k < local.size(); ++k) counts[k] += local[k];
  });
  double additions = 0;
  std::vector<double> hottest(windows, 0);
  for (std::size_t w = 0; w < windows; ++w)
    for (std::size_t j = 0; j < buckets; ++j) {
      additions += counts[w * buckets + j];
      hottest[w] = std::max(hottest[w], double(counts[w * buckets + j]));
    }
  CardParams at_c = params;
  at_c.window_bits = c;
  return project_g1_msm(n, at_c, additions, double(small.load()), hottest);
}

}  // namespace zkacc::runtime
