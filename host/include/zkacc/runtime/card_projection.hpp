// Projected time of a BN254 G1 MSM on a card running zkacc_msm_kernel: a
// model, not a measurement (no card has run the kernel yet).
//
// It plans the MSM as the host would (device_window_bits and
// device_windows_per_run from device_msm.hpp: window width c, windows per
// kernel run, number of runs) and counts, per run:
//
//   accumulation   max(points, the busiest adder's additions / u_eff, the
//                  run's reads at the card memory's rate) cycles: a run's
//                  window v goes to adder v mod adders, so the busiest has
//                  ceil(windows / adders) of them; a point takes at least one
//                  cycle to enter even if all its digits are zero; each point
//                  needs its point and its digits read a run, each stream
//                  from a DDR bank of its own (MsmMemoryModel)
//   write-back     2 beats per bucket of the run, a beat a cycle at most;
//                  with lane_ports each lane's on its own port and bank
//   run overhead   kMsmRunOverheadCycles (start-up, drain), as the host's model
//   launch         launch_overhead_us per run on the host side (XRT start/wait)
//   first rows     the host slices the scalars into digit rows (n ×
//                  host_slice_ns over host_threads) and writes them in
//                  chunks (msm_upload_chunks), each while the next is
//                  sliced (DeviceMsm). With continue_launches (a kernel with
//                  continue/hold) each chunk is a launch of the first run
//                  once written: three stages, slice, upload, launch (its
//                  share of the run's accumulation, plus run_overhead_cycles
//                  and launch_overhead_us), paced by the slowest; counted
//                  is what that adds to the first run. Without it: max(slicing,
//                  upload) plus the shorter one's chunk, before the first run
//                  With card_slicing (the kernel's own slicer, when every
//                  window fits a row) the host only counts the digits
//                  (host_count_ns), beside the upload rather than before
//                  it, and sends 32 bytes a point, and a run reads half a
//                  beat of them a point.
//   transfers      digits n × 64 B to the card once per MSM (a row holds up
//                  to 512 / digit_bits windows; device_msm_runs says when rows are written,
//                  as DeviceMsm does), buckets 128 B each back; points stay
//                  on the card (written once per proving key: DeviceMsm
//                  with a key), or with points_resident false go up first
//
// u_eff is the measured adder utilization (additions per adder-cycle of the
// accumulation phase, measured with reference_run_buckets buckets per run),
// lowered for runs with fewer buckets, where a pair more often finds its
// bucket still in the adder: u_eff = u · min(1, f(run buckets) / f(reference)),
// f(B) = max(0.05, 1 − latency·adders / B), the host model's conflict term.
//
// The card is busy for the first rows + kernel + launch + exposed transfers
// (card_s). With overlap_transfers (double-buffered digit and bucket
// buffers) only the last run's buckets and any transfer longer than the run
// it hides behind are exposed besides the first rows; without it, slicing
// and upload follow each other and every transfer is exposed. The host's share (bucket reduction,
// the validity check of every bucket read back (0.55 XYZZ additions) and
// 1.81 XYZZ additions' worth per bucket (the top window's up to the buckets its
// digits reach: msm_top_window_buckets), the sampled bucket check (its
// additions, check_rate of the kernel's, and for rows the host slices its
// digit pass, beside the first run; check_rate of each run's buckets after
// it) and the small scalars' sum (a share after each run's reduction but
// the last's, or beside the first run when there is one) is CPU time,
// reported apart (host_cpu_s);
// host_stall_s is what it would delay a single MSM when a run's host work
// (its wall time on host_threads) is longer than the next run's kernel, or
// the work beside the first run longer than that run, and
// host_tail_s the last run's. With lane ports only the first lane's share of
// the last run's buckets is a transfer the host waits on; the others come
// while it reduces.
#pragma once

#include <cstddef>
#include <optional>
#include <span>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/runtime/device_msm.hpp"

namespace zkacc::runtime {

// CardParams::host_addition_ns: measure it (host_xyzz_addition_ns).
inline constexpr double kMeasuredHostAddition = -1.0;

struct CardParams {
  unsigned window_bits = 0;           // 0: the host's planner picks it (card_window_bits)
  double clock_mhz = 300.0;
  unsigned bucket_bits = 16;          // on-card buckets: the card build's default (240 URAM)
  unsigned adders = 1;                // point adders: the kernel's Lanes, each with its own buckets
  // The kernel's DigitBits: 16 (32 digits a row, c <= 15) or 18 (28 a row, c <= 17).
  unsigned digit_bits = 16;
  double adder_utilization = 0.981;   // measured at 2^14 points on the sim build, one lane, c = 8 (docs/kernel_msm.md)
  double reference_run_buckets = 4096;  // buckets per run where adder_utilization was measured (c = 8, 32 windows)
  unsigned adder_latency = 161;       // the adder's pipeline depth (the kernel's config register)
  double run_overhead_cycles = kMsmRunOverheadCycles;
  double launch_overhead_us = 50.0;   // XRT run start + wait round trip per kernel run
  double pcie_gb_per_s = 12.0;        // effective PCIe Gen3 x16 rate, 10^9 bytes/s
  // Card memory for the kernel's read streams: a U250 DDR4-2400 bank gives
  // 19.2 GB/s (10^9 bytes/s) at the pins, of which long sequential bursts
  // are assumed to get 85 % (not measured: no card here); 0: no limit.
  // hw/vitis/link_u250.cfg puts each stream on a bank of its own: with
  // split points (the kernel's flag) x on DDR[1], y on DDR[2], the digits
  // on DDR[0]; shared_bank: all of them on one.
  double memory_gb_per_s = 19.2;
  double memory_efficiency = 0.85;
  bool split_points = true;
  bool shared_bank = false;
  // The kernel's lane ports (2 or 3 adders): lane 0 writes its buckets on
  // DDR[0], lane 1 on the x coordinates' DDR[1], lane 2 on the y
  // coordinates' DDR[2], each its own windows, all at once; the host reads
  // the last run's buckets lane by lane and reduces each lane's while it
  // reads the next one's.
  bool lane_ports = true;
  bool overlap_transfers = true;
  // One host XYZZ addition on one core; negative (the default): measured on
  // this machine, host_xyzz_addition_ns() (what DeviceMsm's planner uses).
  double host_addition_ns = kMeasuredHostAddition;
  // The bucket reduction's cost a bucket in those additions (affine chains:
  // kMsmReductionAdditionsPerBucket, measured; 2 for XYZZ running sums).
  double reduction_additions_per_bucket = kMsmReductionAdditionsPerBucket;
  // Reading each bucket back and its validity check, in the same additions.
  double validate_additions_per_bucket = kMsmValidateAdditionsPerBucket;
  // Slicing one scalar into its digit row on one core: 51 ns at c = 17 on
  // the development machine (bench/msm_bench msm_digit_rows), into rows
  // whose memory the previous MSM left, as DeviceMsm's are from its second
  // MSM on (the first touch of a fresh allocation adds ~25 ns there).
  double host_slice_ns = 50.0;
  // The kernel slices the scalars itself (its scalars flag; DeviceMsm's
  // card_slicing) when every window fits its one row: the host then sends
  // 32 bytes a point and only counts the digits, 21 ns a point on one core
  // (bench/msm_bench msm_offset_digit_count at c = 17, against 53 ns for
  // msm_digit_rows in the same run).
  bool card_slicing = true;
  double host_count_ns = 21.0;
  // DeviceMsm's upload chunks (msm_upload_chunks): the first chunk's
  // points, the growth from one to the next, the largest for scalars and
  // for rows.
  std::size_t upload_chunk_points = DeviceMsmOptions{}.upload_chunk_points;
  double upload_chunk_growth = DeviceMsmOptions{}.upload_chunk_growth;
  std::size_t upload_max_chunk_points = DeviceMsmOptions{}.upload_max_chunk_points;
  std::size_t upload_max_row_chunk_points = DeviceMsmOptions{}.upload_max_row_chunk_points;
  // The kernel takes continue/hold (lanes register bit 24): the first run
  // goes as one launch per chunk of rows (DeviceMsm).
  bool continue_launches = true;
  // Host threads the runtime spreads a run's host work over (its pool): the
  // running sums in segments of a window, the check's additions over points.
  // Changes the host's wall time (stall, tail), not its CPU-seconds. 0 (the
  // default): as the runtime, every thread of this machine
  // (DeviceBackendOptions::host_threads 0, ThreadPool::default_threads).
  unsigned host_threads = 0;
  // The sampled bucket check (DeviceMsmOptions::check, check_rate): on as
  // shipped. Its pass over the digits (host_count_ns a point) and its
  // additions (check_rate of the kernel's) go beside the first run.
  bool subset_check = true;
  double check_rate = DeviceMsmOptions{}.check_rate;  // its sampling rate (msm_bucket_sample.hpp)
  // The window cost weight the host's planner uses for a card
  // (DeviceMsmOptions): negative (the default), host_addition_ns at the
  // clock, as DeviceMsm computes it.
  double host_addition_cost = DeviceMsmOptions{}.host_addition_cost;
  // The key's points are in card memory before the MSM (DeviceMsm keeps a
  // proving key's points there across MSMs and proofs: run() with a key,
  // as the Groth16 prover calls it). false: they go up before the first
  // run, 64 bytes a point over PCIe.
  bool points_resident = true;
  // Scalars of magnitude below 2^host_small_scalar_bits are summed on the
  // host (DeviceMsmOptions::host_small_scalar_bits); the kernel gets zeros.
  unsigned host_small_scalar_bits = DeviceMsmOptions{}.host_small_scalar_bits;
  // A small scalar's point in the host's sum (affine pairs, shared
  // inversions); negative (the default): measured, host_affine_sum_ns().
  double host_small_addition_ns = kMeasuredHostAddition;
  // Copying a scalar with the small ones zeroed before its chunk goes up,
  // on one core: assumed (not measured), a compare and a 32-byte copy.
  double host_zero_ns = 3.0;
};

struct MsmProjection {
  std::size_t points = 0;
  unsigned window_bits = 0;
  std::size_t windows = 0, windows_per_run = 0, runs = 0;
  double additions = 0;          // nonzero digits: the kernel's point additions
  double utilization = 0;        // u_eff, per adder
  double accumulate_cycles = 0, writeback_cycles = 0, overhead_cycles = 0;
  std::size_t memory_bound_runs = 0;  // runs whose reads, not their additions, set the pace
  double kernel_s = 0;           // the three above at the clock
  double launch_s = 0;
  double transfer_s = 0;         // every digit and bucket transfer
  bool card_slicing = false;     // the plan sends scalars, sliced on the card
  double slice_s = 0;            // slicing the first rows (or counting the digits), wall time on host_threads
  // What slicing and uploading the first rows add to the card's time: with
  // continue_launches the first run's wait on them and its extra launches.
  double first_rows_s = 0;
  std::size_t first_run_launches = 1;
  double transfer_exposed_s = 0; // besides the first rows
  double card_s = 0;             // first rows + kernel + launch + exposed transfers
  double host_cpu_s = 0;         // host reduction and checks, CPU-seconds
  double host_addition_ns = 0;   // the host addition the projection used (measured or given)
  double small_scalars = 0;      // points summed on the host (small scalars)
  double points_upload_s = 0;    // the points' upload before the first run (0 when resident)
  // Host work beside the first run (the sampled check's digit pass and
  // additions, the small scalars' sum), wall time on host_threads.
  double beside_first_run_s = 0;
  double host_stall_s = 0;
  double host_tail_s = 0;
  double latency_s = 0;          // card_s + host_stall_s + host_tail_s: one MSM start to result
};

// The window width the host's planner picks for n points on this card.
unsigned card_window_bits(std::size_t n, const CardParams& params);

// n points; `additions` = the kernel's nonzero digits at card_window_bits(n)
// when the scalars are known (the small ones zeroed), else those of
// uniformly random scalars (n · windows · (1 − 2^-c)); small_scalars: the
// points summed on the host. Throws zkacc::Error on parameters out of range.
// hottest_bucket_pairs: per window, the pairs of its most crowded bucket
// (a bucket takes one every adder latency + 4 cycles); empty: the scalars
// spread, as uniform ones do.
MsmProjection project_g1_msm(std::size_t n, const CardParams& params, std::optional<double> additions = {},
                             double small_scalars = 0, std::span<const double> hottest_bucket_pairs = {});

// The same for these scalars, as DeviceMsm would split them: the small ones
// (host_small_scalar_bits) summed on the host, the kernel's additions the
// nonzero digits of the others at the planned window width, and each
// window's most crowded bucket (on the pool).
MsmProjection project_g1_msm_scalars(std::span<const BigInt<4>> scalars, const CardParams& params, ThreadPool& pool);

// Host threads and host addition as the projection resolves them (0 and
// negative: the runtime's defaults, above).
unsigned card_host_threads(const CardParams& params);
double card_host_addition_ns(const CardParams& params);

}  // namespace zkacc::runtime
