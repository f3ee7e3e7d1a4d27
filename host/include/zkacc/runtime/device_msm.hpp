// The host half of an MSM on the bucket-accumulator kernel (zkacc_msm_kernel).
//
// Host: picks the window width c, slices scalars into signed c-bit digits,
// uploads the points (once per proving key, below) and the digits once per MSM (one 64-byte row per
// point holds 512 / D windows of D-bit digits: 32 of 16 bits, or 28 of 18
// bits on a kernel built for c = 17), runs the kernel once per group of windows that
// fits its buckets, each run naming its first window, reads back the bucket
// sums and reduces them (running sums, then the windows combined by
// doubling). Kernel: adds each (point, ±bucket) pair into its bucket. While
// the kernel runs one group, the host reduces the previous group's buckets.
// An MSM of more windows than a row holds (c < 8 with 16-bit digits)
// uploads its rows again, a row's worth of windows at a time (device_msm_runs); the next rows are built while the kernel runs
// the last group of the rows before. A kernel that slices scalars itself
// (lanes register bit 25) gets the scalars instead of rows whenever all the
// windows fit its one row; the host then only counts their digits. A kernel
// with lane ports (bit 27) writes each lane's buckets into a buffer of its
// own (its bucket port's bank): the host reads them lane by lane and reduces
// each lane's windows while it reads the next lane's.
//
// Checks after each run, any failure a DeviceError (the scheduler retries,
// then falls back to the CPU):
//  - additions: the kernel's additions counter must equal the nonzero digits
//    sent; a run cut short (an early or spurious done) reports fewer.
//  - validity, every bucket read back: coordinates canonical (< q), and
//    either the all-zero encoding of an empty bucket or an XYZZ point of the
//    curve: ZZ ≠ 0, ZZ^3 = ZZZ^2 and Y^2 = X^3 + 3·ZZZ^2 (xyzz.hpp; b = 3).
//    About 7 field multiplications per bucket, on the pool (the last run's
//    buckets wait on it: kMsmValidateAdditionsPerBucket), and buckets are far fewer
//    than points. One corrupted 64-bit word (bits flipped independently of
//    the data) is caught except with probability about 2^-63: with the other
//    coordinates fixed, the hit coordinate must be a root of a nonzero
//    polynomial of degree ≤ 3 in it (X^3 = Y^2 − 3·ZZZ^2 for X, Y^2 = X^3 +
//    3·ZZZ^2 for Y, ZZ^3 = ZZZ^2 for ZZ or ZZZ), so besides its true value at
//    most two values pass, and a random flip pattern in one word lands on
//    one of them with probability ≤ 2/(2^64 − 1); a value ≥ q fails the range check,
//    and any change to an empty bucket leaves a nonzero word in a tuple that
//    is not a point (ZZ = 0 with something else nonzero, or ZZ ≠ 0 = ZZZ).
//    What it cannot see is a wrong but valid point (a broken adder, buckets
//    from another run): that is for the next check.
//  - sampled (msm_bucket_sample.hpp): every bucket of the MSM in a random
//    sample S with probability check_rate (1/256 shipped); per window
//    Σ_{b∈S} B_b must equal Σ ±P_i over the pairs the host sent to buckets in
//    S. It costs check_rate of the MSM's additions on the host, beside the
//    first run (its pass over the digits is the count the host makes
//    anyway), and catches one wrong bucket with probability check_rate, m of
//    them except with probability (1 − check_rate)^m.
//
// Points: a proving key's (run() with its identity) stay in card memory from
// one MSM to the next and are written once; others are written every MSM.
// Small scalars (magnitude below 2^host_small_scalar_bits: a witness's bits,
// −1, small values) are summed on the host and the kernel gets zeros for
// them (msm_small_scalars.hpp). The host's addition is timed once per
// process (host_addition_timing.hpp) and weighs host work in the planner.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/drivers/device.hpp"
#include "zkacc/runtime/backend.hpp"
#include "zkacc/runtime/msm_bucket_sample.hpp"
#include "zkacc/runtime/msm_digit_rows.hpp"
#include "zkacc/runtime/msm_small_scalars.hpp"

namespace zkacc::runtime {

struct DeviceMsmOptions {
  unsigned window_bits = 0;     // 0: chosen by the cost model below
  // The sampled bucket check (msm_bucket_sample.hpp): each bucket of the MSM
  // compared, in sums, with the pairs sent to it with probability
  // check_rate. The additions and validity checks always run.
  bool check = true;
  double check_rate = kMsmDefaultCheckRate;
  // A host XYZZ addition (bucket reduction) in kernel-addition times;
  // negative (the default): measured, host_xyzz_addition_ns() at clock_mhz
  // (a card adds one point a cycle: about 85 at 281 ns and 300 MHz).
  // A simulated kernel's cycle costs far more than host work, so the sim
  // backend sets 0 and minimizes kernel cycles.
  double host_addition_cost = -1.0;
  double clock_mhz = 300.0;     // the kernel's clock, for the measured host_addition_cost (DeviceBackend sets its own)
  // Scalars of magnitude below 2^host_small_scalar_bits (0, ±1, small
  // values: a witness's bits) summed on the host, not sent to a hot bucket
  // of the kernel (msm_small_scalars.hpp); 0: every scalar to the kernel.
  unsigned host_small_scalar_bits = kMsmHostSmallScalarBits;
  // Proving keys' point sets kept in card memory across MSMs (run() with a
  // key): at most this many, the least recently used replaced first. A
  // Groth16 key has four G1 sets (A, B1, C, H). 0: upload every time.
  std::size_t resident_point_sets = 8;
  // 64-byte beats a kernel cycle one card memory bank (or HBM
  // pseudo-channel) gives one of the kernel's read streams, each on a bank
  // of its own (MsmMemoryModel); 0: no limit, as in the simulation. The xrt
  // backend sets the figure of hw/vitis's link configurations.
  double bank_beats_per_cycle = 0.0;
  std::uint64_t check_seed = 0; // 0: from std::random_device
  // The first digit rows (or scalars) go to the card in chunks, each
  // written while the next is sliced; on a kernel with continue/hold each
  // chunk is a launch of the first run, started once the chunk is written.
  // The first chunk has upload_chunk_points points, each next one
  // upload_chunk_growth times as many: the card waits only for a small
  // first chunk, and while it adds chunk k the host writes the larger chunk
  // k + 1. 1.25 is what a three-lane card at c = 17 allows (a point a
  // kernel cycle against 32 bytes over PCIe: 3.33 against 2.67 ns);
  // msm_upload_chunks gives the sizes. At most upload_max_chunk_points for
  // scalars the card slices (only the upload comes before a chunk's
  // launch), upload_max_row_chunk_points for rows the host slices: slicing
  // can be slower than the card, and then the last chunk's upload and
  // additions come after all the slicing, so it must stay small.
  std::size_t upload_chunk_points = std::size_t(1) << 17;
  double upload_chunk_growth = 1.25;
  std::size_t upload_max_chunk_points = std::size_t(1) << 22;
  std::size_t upload_max_row_chunk_points = std::size_t(1) << 20;
  // Send the scalars and let a kernel that can slice them do so (when every
  // window fits its one row); false: the host slices them into rows.
  bool card_slicing = true;
  std::chrono::milliseconds timeout{600'000};
};

// The kernel's layout, for tests and the documentation: a digit row (one
// 64-byte beat per point) holds 512 / D signed D-bit digits, D the kernel's
// DigitBits (lanes register 23:16): 32 of 16 bits at most. Signed c-bit
// digits (|d| <= 2^(c−1)) need D >= c + 1.
// (msm_row_digits, msm_max_window_bits: msm_digit_rows.hpp.)
inline constexpr std::size_t kMsmDigitsPerBeat = 32;
inline constexpr unsigned kMsmDefaultDigitBits = 16;
// window_bucket_bits flags (bits 8, 9): add into the buckets the previous
// launch held; keep this launch's buckets on chip and write nothing.
inline constexpr std::uint32_t kMsmContinue = 1u << 8, kMsmHold = 1u << 9;
// window_bucket_bits flag (bit 10): the digits address holds the scalars,
// 32 bytes each, two to a beat, and the kernel slices them.
inline constexpr std::uint32_t kMsmScalars = 1u << 10;
// window_bucket_bits flag (bit 11): the points address holds the x
// coordinates and points_y the y coordinates, two to a beat each.
inline constexpr std::uint32_t kMsmSplitPoints = 1u << 11;
// window_bucket_bits flag (bit 12): lane l writes its windows l, l + lanes,
// ... to the buffer of argument buckets (l = 0), buckets_1 or buckets_2.
inline constexpr std::uint32_t kMsmLanePorts = 1u << 12;
inline constexpr std::size_t kScalarBytes = 32;

// Card memory as a kernel run sees it, for the planner and the projection.
// Each point needs its point (a beat, or with split points half a beat from
// each of the x and y streams) and its digits (a row, a beat, or half a beat
// of scalars when the kernel slices them). The streams are on banks of their
// own, each giving bank_beats_per_cycle beats a kernel cycle, so the busiest
// stream sets the pace; with shared_bank they all come from one. The bucket
// write-back (two beats a bucket) goes at a beat a cycle, or the bank's rate
// if lower; with lane_ports each lane writes its own windows' buckets on a
// port and bank of its own, so the lane with the most windows sets its
// length. bank_beats_per_cycle 0: no limit (the simulation's memory serves
// each port a beat a cycle).
struct MsmMemoryModel {
  double bank_beats_per_cycle = 0.0;
  bool split_points = false;
  bool shared_bank = false;
  bool lane_ports = false;
};
// The first run's chunks of n points (DeviceMsmOptions): `first` points,
// then each chunk `growth` (>= 1) times the one before, rounded down, at
// most max_points; with `even` every chunk but the last is even (scalars
// and split points go two to a beat); the last takes what is left. Sizes
// sum to n; none is 0 (n = 0: none).
std::vector<std::size_t> msm_upload_chunks(std::size_t n, std::size_t first, double growth, std::size_t max_points,
                                           bool even);
// Cycles a run over n points waits at least on its reads (0 without a limit).
double msm_run_read_cycles(std::size_t n, const MsmMemoryModel& memory, bool scalars);
// Cycles the write-back of a run of `windows` windows of 2^(c−1) buckets
// takes on a kernel of `lanes` lanes.
double msm_writeback_cycles(std::size_t windows, double buckets_per_window, unsigned lanes,
                            const MsmMemoryModel& memory);
// The top window's floor: its digits (the offset recoding) are about
// k / 2^(c·(windows − 1)) rounded, and k < r < 2^253.6, so they span only
// range = r / 2^(c·(windows − 1)) values: 49,553 at c = 17, but 3.02 at
// c = 9 and 1.51 at c = 11. Its pairs then share so few buckets that each
// waits for its bucket to leave the adder (adder_latency + 4 cycles from
// select to write-back): for random scalars the busiest of them takes a
// share min(1, range − 1/2) / range of the points, and the run holding the
// top window lasts at least n · that share · (adder_latency + 4) cycles,
// whatever else it holds.
double msm_top_window_cycles(std::size_t n, unsigned c, unsigned adder_latency);
// Buckets the top window's digits can reach: min(2^(c−1), ceil(range)),
// range as above. The host's reduction stops at the highest nonempty
// bucket (bucket_reduction.hpp), so the top window costs it this many.
double msm_top_window_buckets(unsigned c);

// Window width for n points on a kernel with 2^bucket_bits buckets in
// `lanes` lanes (adders): the kernel's cycles (n additions per window, the
// windows of a run on its busiest lane, slowed by bucket conflicts when a
// lane has few buckets for the adder's latency, plus the bucket write-back)
// against the host's reduction (about 1.8 XYZZ additions per bucket, each
// host_addition_cost kernel additions' worth of time on one core, the windows
// of a run reduced on host_threads threads at once).
// Widths up to the digits' limit (c <= digit_bits − 1). A run also waits on
// its reads and writes its buckets back at the memory's rate
// (MsmMemoryModel; scalars when card_slicing and every window fits the one
// row the kernel slices; no limit by default). With a check_rate the host
// also passes over every point's digits and adds check_rate of the pairs
// (DeviceMsm's sampled bucket check) beside the first run. Rows the host slices come before the first run, or
// with continue_launches (a kernel with continue/hold) beside it.
unsigned device_window_bits(std::size_t n, unsigned bucket_bits, unsigned adder_latency, double host_addition_cost,
                            unsigned lanes = 1, unsigned host_threads = 1,
                            unsigned digit_bits = kMsmDefaultDigitBits, const MsmMemoryModel& memory = {},
                            bool card_slicing = false, double check_rate = 0.0,
                            bool continue_launches = false);
// Buckets per lane, as bits: the kernel gives each of its lanes
// 2^(bucket_bits − ceil(log2 lanes)) buckets.
unsigned device_lane_bucket_bits(unsigned bucket_bits, unsigned lanes);
// Windows one kernel run covers: a digit beat holds msm_row_digits(digit_bits)
// digits, window w goes to lane w mod lanes, and each lane's windows ×
// 2^(c−1) buckets must fit its 2^device_lane_bucket_bits (0 when not even one
// window fits a lane, or c's digits do not fit digit_bits).
std::size_t device_windows_per_run(unsigned window_bits, unsigned bucket_bits, unsigned lanes = 1,
                                   unsigned digit_bits = kMsmDefaultDigitBits);
// The kernel runs of an MSM of `windows` windows, `windows_per_run` at most
// per run (device_windows_per_run), in window order. The card holds one
// digit row per point with row_digits windows of the MSM; run r uses windows
// [window, window + windows) of the MSM, which are the row digits
// first_window .. first_window + windows − 1 (first_window + windows ≤
// row_digits). new_rows: the host writes the rows before the run, starting
// at MSM window window − first_window (= window): the first run, and a run
// whose windows reach past the rows on the card. Up to row_digits windows
// (c ≥ 8 with 32 a row, c ≥ 10 with 28) the rows are written once per MSM.
struct DeviceMsmRun {
  std::size_t window = 0, windows = 0, first_window = 0;
  bool new_rows = false;
};
std::vector<DeviceMsmRun> device_msm_runs(std::size_t windows, std::size_t windows_per_run,
                                          std::size_t row_digits = kMsmDigitsPerBeat);
// The host's bucket reduction (affine chains, BucketReduction::affine) in
// XYZZ additions a bucket: 511 ns a bucket against 282 ns an XYZZ addition
// on the development machine, in the same run (bench/msm_bench
// bucket_reduction/1, bench/arith_bench g1_xyzz_add); the XYZZ running
// sums took 2.07.
inline constexpr double kMsmReductionAdditionsPerBucket = 1.81;
// A bucket's validity check (ZZ^3 = ZZZ^2 and the curve equation: 4S + 3M,
// msm_bucket_valid) in XYZZ additions: 154 ns against 281 ns on the
// development machine, in the same sitting (bench/msm_bench
// msm_bucket_check, bench/arith_bench g1_xyzz_add); an empty bucket, all
// zero, costs next to nothing and is not counted. On the pool like the
// reduction.
inline constexpr double kMsmValidateAdditionsPerBucket = 0.55;
// Cycles the window model adds per run on top of the additions and the
// bucket write-back (start-up, drain). Conservative: the sim build measured
// 13–15 k beyond the additions at 2^11 points, write-back included.
inline constexpr double kMsmRunOverheadCycles = 16000.0;

class DeviceMsm {
 public:
  DeviceMsm(drivers::Device& device, ThreadPool& pool, DeviceMsmOptions options = {});

  // points_key: the identity of the proving key the points belong to
  // (prover::KeyIdentity; 0: none). With a key the points stay in card
  // memory after the MSM, and the next MSM over the same span of the same
  // key uses them there without writing them again (resident_point_sets
  // such spans at most). A resident set is dropped when an MSM on it fails,
  // and written again when a few sampled points differ from what was
  // written (a key changed in place without a new identity).
  G1Jacobian run(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars, std::uint64_t points_key = 0);

  unsigned bucket_bits() const { return bucket_bits_; }
  unsigned adder_latency() const { return adder_latency_; }
  unsigned lanes() const { return lanes_; }
  unsigned digit_bits() const { return digit_bits_; }
  // The host XYZZ addition the planner weighs (host_xyzz_addition_ns, or
  // the options' fixed cost), in nanoseconds and in kernel cycles.
  double host_addition_ns() const { return host_addition_ns_; }
  double host_addition_cost() const { return host_addition_cost_; }
  const DeviceCounters& counters() const { return counters_; }

 private:
  drivers::Device& device_;
  ThreadPool& pool_;
  DeviceMsmOptions options_;
  unsigned bucket_bits_ = 0, adder_latency_ = 0, lanes_ = 1, digit_bits_ = kMsmDefaultDigitBits;
  bool continue_launches_ = false;  // the kernel takes continue/hold: the first run goes chunk by chunk
  bool card_slicing_ = false;       // the kernel slices scalars (its scalars flag)
  bool split_points_ = false;       // the kernel reads x and y from two buffers (its split-points flag)
  bool lane_ports_ = false;         // each lane writes its buckets through a port of its own
  // The first digit rows' memory, kept from one MSM to the next.
  MsmDigitRows::Storage row_storage_;
  DeviceCounters counters_;
  std::mt19937_64 check_rng_;
  std::size_t arg_points_, arg_points_y_, arg_digits_;
  std::array<std::size_t, 3> arg_buckets_{};  // buckets, buckets_1, buckets_2
  double host_addition_ns_ = 0, host_addition_cost_ = 0;
  // The scalars the kernel gets (the small ones zeroed), kept from one MSM
  // to the next like the rows.
  std::vector<BigInt<4>> kernel_scalars_;
  // A span of points in card memory: a proving key's (key ≠ 0), kept for
  // the next MSM over it, or the scratch set of MSMs without a key.
  struct PointSet {
    std::uint64_t key = 0;
    const G1Affine* data = nullptr;
    std::size_t n = 0;
    drivers::BufferId points{}, points_y{};
    std::vector<G1Affine> sampled;  // a few points as written, to notice a key changed in place
    std::uint64_t last_use = 0;
  };
  PointSet& point_set(std::span<const G1Affine> points, std::uint64_t key, bool& resident);
  // run() on a point set, written first unless resident.
  G1Jacobian run_on(std::span<const G1Affine> points, std::span<const BigInt<4>> scalars, PointSet& set,
                    bool resident);
  std::vector<PointSet> resident_;
  PointSet scratch_;
  std::uint64_t use_clock_ = 0;
  // Kept across runs: one bucket buffer, or one a lane with lane ports.
  drivers::BufferId digits_buf_{};
  std::array<drivers::BufferId, 3> buckets_buf_{};
};

}  // namespace zkacc::runtime
