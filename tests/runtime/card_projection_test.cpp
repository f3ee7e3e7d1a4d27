// The card projection against the figures docs/bench.md derives by hand for
// a 2^24-point MSM on one U250 (c = 15, 5 runs, 0.969 s of additions at
// 300 MHz × 98.1%, ≈ 1.08 s in all), and its behaviour: more points take
// longer, a second adder about halves the kernel time, the subset check and
// serial transfers cost what they should, sparse scalars cost less.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <utility>
#include <vector>

#include "support/test_rng.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/runtime/card_projection.hpp"
#include "zkacc/runtime/host_addition_timing.hpp"

using namespace zkacc;
using namespace zkacc::runtime;

namespace {

// The figures the arithmetic below is derived with, fixed rather than the
// runtime's defaults (this machine's threads and measured host addition):
// a 200 ns host addition, the planner's weight 60 (200 ns against a kernel
// addition of 3.33 ns), one host thread.
CardParams pinned() {
  CardParams p;
  p.host_addition_ns = 200.0;
  p.host_addition_cost = 60.0;
  p.host_threads = 1;
  p.host_small_addition_ns = 100.0;
  return p;
}

// docs/bench.md's earlier table: no bucket check, the host's work on 8
// threads, the 200 ns host addition.
CardParams bench_md_params() {
  CardParams p = pinned();
  p.subset_check = false;
  p.host_threads = 8;
  return p;
}

// Upload chunks all of 2^20 points (DeviceMsm's default grows them from
// 2^17: its own test), which the tests below derive by hand.
CardParams equal_chunks(CardParams p) {
  p.upload_chunk_points = std::size_t(1) << 20;
  p.upload_chunk_growth = 1.0;
  return p;
}

// The same with the host slicing the scalars into rows (a kernel without
// its own slicer, or windows beyond one row), in equal chunks.
CardParams rows_params() {
  CardParams p = equal_chunks(bench_md_params());
  p.card_slicing = false;
  return p;
}

}  // namespace

TEST_CASE("card_projection: 2^24 points on one adder reproduce docs/bench.md", "[card_projection]") {
  // Rows sliced on the host (the card's own slicing: its own test).
  const std::size_t n = std::size_t(1) << 24;
  const MsmProjection r = project_g1_msm(n, rows_params());
  CHECK_FALSE(r.card_slicing);
  // The host's planner picks c = 15: 17 windows, 4 per run, 5 runs.
  CHECK(r.window_bits == 15);
  CHECK(r.windows == 17);
  CHECK(r.windows_per_run == 4);
  CHECK(r.runs == 5);
  // "285 M additions at 300 MHz × 98.1%: 0.969 s"
  CHECK(r.additions == Approx(17.0 * double(n)).epsilon(0.001));
  CHECK(r.accumulate_cycles / 300e6 == Approx(0.969).epsilon(0.01));
  // "bucket write-back, 5 × 2^16 buckets × 2 beats: 2 ms"
  CHECK(r.writeback_cycles / 300e6 * 1e3 == Approx(2.0).epsilon(0.15));
  // Digits once per MSM, 2^24 rows × 64 B at ~12 GB/s: ≈ 0.09 s, plus the
  // buckets read back, 17 windows × 2^14 × 128 B.
  const double digits_s = double(n) * 64 / 12e9, buckets_s = 17.0 * 16384 * 128 / 12e9;
  CHECK(r.transfer_s == Approx(digits_s + buckets_s).epsilon(0.001));
  // The first rows: 2^24 scalars sliced at 50 ns on 8 threads (105 ms), in
  // chunks of 2^20 each written (89 ms in all) and then launched as part of
  // the first run (continue/hold). Four windows on one adder take longer a
  // chunk (14 ms) than slicing or upload (6.6 and 5.6 ms): the first run
  // waits only for the first chunk's slicing and upload, and pays 15 more
  // launches (start-up and the host's round trip).
  const double slice_s = double(n) * 50e-9 / 8;
  CHECK(r.slice_s == Approx(slice_s));
  CHECK(r.first_run_launches == 16);
  const double launch_s = kMsmRunOverheadCycles / 300e6 + 50e-6;
  CHECK(r.first_rows_s == Approx(slice_s / 16 + digits_s / 16 + 15 * launch_s));
  // Besides them only the last run's buckets (one window) are exposed.
  CHECK(r.transfer_exposed_s == Approx(16384.0 * 128 / 12e9));
  // The last run holds only the 17th window, the top one, whose digits
  // reach r / 2^240 ≈ 2^13.6 of its 2^14 buckets: 12,389 buckets at 1.81
  // additions' worth each (affine chains) and 0.55 each for their validity
  // check, 200 ns an addition, on 8 threads.
  CHECK(msm_top_window_buckets(15) == 12389);
  CHECK(r.host_tail_s * 1e3 == Approx((1.81 + 0.55) * 12389 * 200e-6 / 8));
  CHECK(r.latency_s > 0.97);
  CHECK(r.latency_s < 1.0);
  // Without continue/hold the first run waits for all the rows: the slicing,
  // plus the last chunk's upload.
  CardParams one_launch = rows_params();
  one_launch.continue_launches = false;
  const MsmProjection whole = project_g1_msm(n, one_launch);
  CHECK(whole.first_run_launches == 1);
  CHECK(whole.first_rows_s == Approx(slice_s + digits_s / 16));
  CHECK(whole.latency_s - r.latency_s == Approx(whole.first_rows_s - r.first_rows_s));
  CHECK(r.card_s == Approx(r.first_rows_s + r.kernel_s + r.launch_s + r.transfer_exposed_s));
}

TEST_CASE("card_projection: two adders cut the kernel time to their busiest lane", "[card_projection]") {
  // The additions alone: the card memory's limit has its own test.
  const std::size_t n = std::size_t(1) << 24;
  CardParams one = bench_md_params();
  one.memory_gb_per_s = 0;
  CardParams two = one;
  two.adders = 2;
  const MsmProjection a = project_g1_msm(n, one), b = project_g1_msm(n, two);
  INFO("two adders: c = " << b.window_bits << ", " << b.windows << " windows, " << b.windows_per_run << " per run, u "
                          << b.utilization);
  // One adder: c = 15, four runs of four windows and one of the 17th.
  const double full = 4.0 * 4.0 * double(n) / 0.981;
  CHECK(a.accumulate_cycles == Approx(full + double(n) / 0.981).epsilon(0.001));
  // Two: each run lasts as long as its busiest lane, ceil(w / 2) windows. The
  // planner (busiest lane, plus the host's reduction on 8 threads) keeps
  // c = 15: 17 windows in runs of 4, 9 windows on lane 0.
  CHECK(b.window_bits == 15);
  double busiest = 0;
  for (std::size_t g = 0; g < b.runs; ++g) {
    const std::size_t w = std::min(b.windows_per_run, b.windows - g * b.windows_per_run);
    busiest += double((w + 1) / 2);
  }
  CHECK(busiest == 9);
  CHECK(b.accumulate_cycles == Approx(busiest * b.additions / double(b.windows) / b.utilization).epsilon(0.001));
  CHECK(b.kernel_s / a.kernel_s > 0.5);
  CHECK(b.kernel_s / a.kernel_s < 0.6);
  // docs/bench.md: ≈ 0.52 s for two adders.
  CHECK(b.latency_s > 0.51);
  CHECK(b.latency_s < 0.53);
}

TEST_CASE("card_projection: the busiest of three adders sets a run's pace", "[card_projection]") {
  // Three lanes of 2^16 buckets (BucketBits 18: 2^(18 − 2) per lane). Window
  // v of a run goes to lane v mod 3, so a run of w windows takes
  // ceil(w / 3) windows' worth of additions on its busiest lane.
  const std::size_t n = std::size_t(1) << 24;
  CardParams p = bench_md_params();
  p.adders = 3;
  p.bucket_bits = 18;
  const MsmProjection r = project_g1_msm(n, p);
  INFO("c = " << r.window_bits << ", " << r.windows << " windows, " << r.windows_per_run << " per run");
  REQUIRE(r.runs >= 1);
  double busiest = 0;
  for (std::size_t g = 0; g < r.runs; ++g) {
    const std::size_t w = std::min(r.windows_per_run, r.windows - g * r.windows_per_run);
    busiest += double((w + 2) / 3);
  }
  const double per_window = r.additions / double(r.windows);
  CHECK(r.accumulate_cycles == Approx(busiest * per_window / r.utilization).epsilon(0.001));
  // Never faster than a perfect three-way split, never slower than one adder.
  CHECK(r.accumulate_cycles >= r.additions / (3 * r.utilization) * 0.999);
  CHECK(r.accumulate_cycles <= r.additions / r.utilization * 1.001);
}

TEST_CASE("card_projection: monotone in the number of points", "[card_projection]") {
  // The planner trades kernel cycles for host work, so the card's share alone
  // can dip where it switches to a wider window at small n: on this one
  // host thread 2^13 points take c = 5 (two runs, 816 buckets to reduce and
  // check after the kernel), 2^14 c = 8 (one run, 4,096 buckets): 2.4
  // against 1.9 ms of kernel time. Twice the points cost more kernel time
  // from 2^14 on, and from 2^15 on every step costs more kernel time, card
  // time and latency.
  for (const bool check : {false, true}) {
    CardParams p = pinned();
    p.subset_check = check;
    double last_latency = 0;
    for (unsigned log_n = 6; log_n <= 26; ++log_n) {
      const MsmProjection one = project_g1_msm(std::size_t(1) << log_n, p);
      const MsmProjection two = project_g1_msm(std::size_t(2) << log_n, p);
      const MsmProjection mid = project_g1_msm(std::size_t(3) << (log_n - 1), p);
      INFO("n = 2^" << log_n << ", check " << check << ", c = " << one.window_bits << ", " << mid.window_bits << ", "
                    << two.window_bits);
      if (log_n >= 14) CHECK(two.kernel_s > one.kernel_s);
      if (log_n >= 15) {
        for (const MsmProjection* r : {&one, &mid}) {
          CHECK(r->latency_s > last_latency);
          last_latency = r->latency_s;
        }
        CHECK(two.card_s > one.card_s);
        CHECK(mid.kernel_s > one.kernel_s);
        CHECK(two.kernel_s > mid.kernel_s);
        CHECK(mid.card_s > one.card_s);
        CHECK(two.card_s > mid.card_s);
      }
    }
  }
}

TEST_CASE("card_projection: checks, transfers, sparse scalars, clock", "[card_projection]") {
  const std::size_t n = std::size_t(1) << 20;
  CardParams base = equal_chunks(pinned());
  base.card_slicing = false;
  const MsmProjection r = project_g1_msm(n, base);

  CardParams no_check = base;
  no_check.subset_check = false;
  // The sampled bucket check is host work, not card time: its pass over
  // every point's digits (host_count_ns, 21 ns a point) and check_rate of
  // the kernel's additions beside the first run, and check_rate of each
  // run's buckets after it, one addition each. It no longer moves the plan.
  const std::size_t n_check = std::size_t(1) << 18;
  const MsmProjection rc = project_g1_msm(n_check, base), nc = project_g1_msm(n_check, no_check);
  REQUIRE(rc.window_bits == nc.window_bits);
  CHECK(rc.card_s == Approx(nc.card_s));
  const double rate = kMsmDefaultCheckRate;
  const double beside = double(n_check) * 21e-9 + rate * rc.additions * 200e-9;
  const double plan_buckets = double(rc.windows) * std::ldexp(1.0, int(rc.window_bits) - 1);
  CHECK(rc.beside_first_run_s == Approx(beside));
  CHECK(nc.beside_first_run_s == 0);
  CHECK(rc.host_cpu_s - nc.host_cpu_s == Approx(beside + rate * plan_buckets * 200e-9));
  // On the eight threads of a card's host it leaves the plan and the time
  // as they were (its pass hides behind the first run); on one it is
  // 21 ns + 15 % of an addition a point and does move them.
  CardParams base8 = base, no_check8 = no_check;
  base8.host_threads = no_check8.host_threads = 8;
  const MsmProjection r8 = project_g1_msm(n, base8), n8 = project_g1_msm(n, no_check8);
  CHECK(r8.window_bits == n8.window_bits);
  CHECK(r8.host_stall_s == Approx(n8.host_stall_s).margin(1e-4));
  CHECK(r8.latency_s == Approx(n8.latency_s).epsilon(0.002));
  // At a heavier rate it costs more host CPU, in proportion.
  CardParams heavy = base8;
  heavy.check_rate = 8 * rate;
  heavy.window_bits = r8.window_bits;
  const MsmProjection h = project_g1_msm(n, heavy);
  const double buckets8 = double(r8.windows) * std::ldexp(1.0, int(r8.window_bits) - 1);
  CHECK(h.host_cpu_s - r8.host_cpu_s == Approx(7 * rate * (r8.additions + buckets8) * 200e-9));

  // Serial transfers expose all of them, after all the slicing; double-
  // buffered ones only the last buckets besides the first rows, which go up
  // chunk by chunk while the next chunk is sliced (at 2^24 without the
  // check: 5 runs, each longer than its transfers).
  const std::size_t big = std::size_t(1) << 24;
  CardParams serial = no_check;
  serial.overlap_transfers = false;
  CardParams one_launch = no_check;
  one_launch.continue_launches = false;
  const MsmProjection s = project_g1_msm(big, serial), o = project_g1_msm(big, one_launch);
  const double first_digits_s = double(big) * 64 / 12e9;
  CHECK(s.first_rows_s == Approx(s.slice_s + first_digits_s));
  CHECK(s.transfer_exposed_s == Approx(s.transfer_s - first_digits_s));
  CHECK(o.first_rows_s == Approx(std::max(o.slice_s, first_digits_s) +
                                 std::min(o.slice_s, first_digits_s) * (1 << 20) / double(big)));
  CHECK(s.card_s - o.card_s == Approx(s.first_rows_s + s.transfer_exposed_s - o.first_rows_s - o.transfer_exposed_s));
  // The last run's one window of buckets.
  CHECK(o.transfer_exposed_s == Approx(16384.0 * 128 / 12e9));
  // Launching the first run chunk by chunk hides part of the rows behind it.
  CHECK(project_g1_msm(big, no_check).first_rows_s < o.first_rows_s);
  // Slicing is host time before the card starts: a faster host shortens it.
  CardParams quick = one_launch;
  quick.host_slice_ns = base.host_slice_ns / 4;
  CHECK(project_g1_msm(big, quick).slice_s == Approx(o.slice_s / 4));

  // Half the digits zero: fewer additions, but never under one cycle a point a run.
  const MsmProjection half = project_g1_msm(n, base, r.additions / 2);
  CHECK(half.accumulate_cycles < r.accumulate_cycles * 0.55);
  CardParams unlimited = base;
  unlimited.memory_gb_per_s = 0;
  const MsmProjection none = project_g1_msm(n, unlimited, 0.0);
  CHECK(none.accumulate_cycles == Approx(double(n) * double(none.runs)));

  CardParams fast = base;  // twice the clock, and memory to match
  fast.clock_mhz = 600;
  fast.memory_gb_per_s = 2 * base.memory_gb_per_s;
  CHECK(project_g1_msm(n, fast).kernel_s == Approx(r.kernel_s / 2));

  // A lower measured utilization costs proportionally more accumulation.
  CardParams slow = base;
  slow.adder_utilization = base.adder_utilization / 2;
  CHECK(project_g1_msm(n, slow).accumulate_cycles == Approx(2 * r.accumulate_cycles).epsilon(0.01));

  CardParams bad = base;
  bad.adder_utilization = 1.5;
  CHECK_THROWS_AS(project_g1_msm(n, bad), Error);
  CHECK(project_g1_msm(0, base).card_s == 0);
}

TEST_CASE("card_projection: host threads shorten the host's wall time, not its CPU time", "[card_projection]") {
  // Without the check, both at c = 15 (5 runs): the same CPU-seconds, the
  // slicing and the last run's reduction in an eighth of the time. (The
  // planner takes c = 13 for one thread, whose slicing, 0.84 s, a longer
  // first run hides better.)
  const std::size_t n = std::size_t(1) << 24;
  CardParams one = rows_params();
  one.host_threads = 1;
  CardParams eight = one;
  eight.host_threads = 8;
  CHECK(card_window_bits(n, one) == 13);
  CHECK(card_window_bits(n, eight) == 15);
  one.window_bits = eight.window_bits = 15;
  const MsmProjection a = project_g1_msm(n, one), b = project_g1_msm(n, eight);
  CHECK(a.window_bits == 15);
  CHECK(b.window_bits == 15);
  CHECK(b.host_cpu_s == Approx(a.host_cpu_s));
  // The card's time moves only by the slicing before the first run.
  CHECK(b.slice_s == Approx(a.slice_s / 8));
  CHECK(b.card_s - b.first_rows_s == Approx(a.card_s - a.first_rows_s));
  CHECK(b.host_tail_s == Approx(a.host_tail_s / 8));
  // With the sampled check (its digit pass and 1/256 of the additions
  // beside the first run) eight threads keep c = 15 and lose nothing to it;
  // one thread is slower with it than without.
  one.subset_check = eight.subset_check = true;
  one.window_bits = eight.window_bits = 0;
  const MsmProjection ca = project_g1_msm(n, one), cb = project_g1_msm(n, eight);
  CHECK(cb.window_bits == 15);
  CHECK(cb.host_stall_s < 1e-3);
  CHECK(cb.latency_s == Approx(b.latency_s).epsilon(0.002));
  CHECK(cb.latency_s < ca.latency_s);
  // 0 threads: the runtime's default, this machine's.
  CardParams machine = one, counted = one;
  machine.host_threads = 0;
  counted.host_threads = static_cast<unsigned>(ThreadPool::default_threads());
  CHECK(project_g1_msm(n, machine).latency_s == Approx(project_g1_msm(n, counted).latency_s));
}

TEST_CASE("card_projection: 18-bit digits let three adders take c = 17 in five runs", "[card_projection]") {
  // The U250 build of docs/bench.md: three lanes of 2^16 buckets, 18-bit
  // digits (28 a row). c = 17 makes 15 windows, one a lane in each of five
  // runs, where 16-bit digits stop at c = 15: 17 windows, six runs, the
  // last with two lanes busy.
  // With card memory that keeps up (below: a U250's does not).
  const std::size_t n = std::size_t(1) << 24;
  CardParams p = rows_params();
  p.adders = 3;
  p.bucket_bits = 18;
  p.host_threads = 8;
  p.digit_bits = 16;
  p.memory_gb_per_s = 0;
  const MsmProjection narrow = project_g1_msm(n, p);
  p.digit_bits = 18;
  const MsmProjection wide = project_g1_msm(n, p);
  CHECK(narrow.window_bits <= 15);
  CHECK(wide.window_bits == 17);
  CHECK(wide.windows == 15);
  CHECK(wide.windows_per_run == 3);
  CHECK(wide.runs == 5);
  // Five windows on the busiest lane against six.
  CHECK(wide.accumulate_cycles == Approx(5.0 * double(n) * (1 - std::ldexp(1.0, -17)) / wide.utilization));
  CHECK(wide.accumulate_cycles < narrow.accumulate_cycles * 0.85);
  CHECK(wide.latency_s < narrow.latency_s);
  // docs/bench.md's column, with the utilization measured on that build at
  // c = 17 (99.0 %, over 3 × 2^16 buckets a run): 0.282 s of additions,
  // 0.36 s in all. The first run (one window a lane) takes 3.5 ms of
  // additions a chunk of 2^20 points, less than its slicing (6.6 ms): the
  // slicing sets its pace, so it ends after all the slicing, the last
  // chunk's upload and its additions: 57 ms beyond its own additions.
  CardParams measured = p;
  measured.adder_utilization = 0.990;
  measured.reference_run_buckets = 3 << 16;
  const MsmProjection m = project_g1_msm(n, measured);
  CHECK(m.accumulate_cycles / 300e6 == Approx(0.2824).epsilon(0.002));
  const double first_run_adds_s = m.accumulate_cycles / 5 / 300e6;
  CHECK(m.first_rows_s == Approx(m.slice_s + double(n) * 64 / 12e9 / 16 - first_run_adds_s * 15 / 16));
  CHECK(m.first_rows_s == Approx(0.0575).epsilon(0.01));
  CHECK(m.latency_s > 0.35);
  CHECK(m.latency_s < 0.37);
  CardParams one_launch = measured;
  one_launch.continue_launches = false;  // one launch after all the rows: 110 ms before the first run
  CHECK(project_g1_msm(n, one_launch).first_rows_s == Approx(0.1105).epsilon(0.002));

  // A U250's DDR4 banks (19.2 GB/s, 85 % assumed): one window a lane reads a
  // point and a row each cycle, 2 × 19.2 GB/s, more than the banks give, so
  // the planner goes back to c = 15 (four windows a lane in the first run)
  // and the MSM projects to 0.36 s with the points and digits on banks of
  // their own (link_u250.cfg), 0.38 s on one shared bank.
  CardParams u250 = measured;
  u250.memory_gb_per_s = 19.2;
  const MsmProjection two_banks = project_g1_msm(n, u250);
  CHECK(two_banks.window_bits == 15);
  CHECK(two_banks.runs == 2);
  CHECK(two_banks.memory_bound_runs == 0);
  CHECK(two_banks.latency_s == Approx(0.360).epsilon(0.01));
  u250.shared_bank = true;
  const MsmProjection one_bank = project_g1_msm(n, u250);
  CHECK(one_bank.memory_bound_runs == 1);  // the second run, five windows: two on the busiest lane
  CHECK(one_bank.latency_s == Approx(0.378).epsilon(0.01));
  CHECK(one_bank.latency_s > two_banks.latency_s);
  p.digit_bits = 15;
  CHECK_THROWS_WITH(project_g1_msm(n, p), Catch::Contains("digit bits must be 16..24"));
}


TEST_CASE("card_projection: a run waits on its busiest read stream", "[card_projection]") {
  // No additions at all: every run lasts as long as its reads, or one cycle
  // a point when memory keeps up. A bank gives 19.2 GB/s × 85 % at 300 MHz,
  // 0.85 beats a cycle. Per point: the point (a beat, or half a beat from
  // each of x and y when split), the digits (a row, or half a beat of
  // scalars); each stream on its own bank, or all on one.
  const std::size_t n = std::size_t(1) << 20;
  const double bank = 19.2e9 * 0.85 / 64 / 300e6;
  struct Case {
    const char* what;
    bool card_slicing, split, shared;
    double beats;  // on the busiest bank, per point; below 0.85: no wait
  };
  for (const Case& k : {Case{"rows, one point buffer, own banks", false, false, false, 1.0},
                        Case{"rows, split points: the rows' bank", false, true, false, 1.0},
                        Case{"rows, all on one bank", false, false, true, 2.0},
                        Case{"scalars, one point buffer: the points' bank", true, false, false, 1.0},
                        Case{"scalars, all on one bank", true, true, true, 1.5},
                        Case{"scalars, split points: half a beat on each bank", true, true, false, 0.5}}) {
    INFO(k.what);
    CardParams p = bench_md_params();
    p.card_slicing = k.card_slicing;
    p.split_points = k.split;
    p.shared_bank = k.shared;
    const MsmProjection r = project_g1_msm(n, p, 0.0);
    CHECK(r.accumulate_cycles == Approx(double(r.runs) * double(n) * std::max(1.0, k.beats / bank)));
    CHECK(r.memory_bound_runs == (k.beats > bank ? r.runs : 0));
    // The write-back: two beats a bucket of every window, at the bank's
    // 0.85 beats a cycle.
    CHECK(r.writeback_cycles == Approx(double(r.windows) * 2.0 * double(1 << (r.window_bits - 1)) / bank));
  }
  CardParams p = rows_params();
  p.memory_gb_per_s = 0;
  const MsmProjection free = project_g1_msm(n, p, 0.0);
  CHECK(free.accumulate_cycles == Approx(double(free.runs) * double(n)));
  CHECK(free.memory_bound_runs == 0);
}

TEST_CASE("device_window_bits: card memory that cannot feed a point a cycle moves the plan", "[card_projection]") {
  // Three lanes of 2^16 buckets, 18-bit digits, 2^24 points: with no memory
  // limit the planner takes c = 17, one window a lane (a point a cycle).
  // With each read stream on a bank that gives 0.85 beats a cycle (a U250's
  // banks at 85 %), a stream of a beat a point (points in one buffer, or
  // rows) would hold such runs back, and it takes c = 15, four windows a
  // lane; split points and scalars (half a beat a point on each stream)
  // keep c = 17. One adder at c = 15 takes four cycles a point at least:
  // the limit changes nothing there.
  const std::size_t n = std::size_t(1) << 24;
  const MsmMemoryModel one_buffer{0.85, false, false}, split{0.85, true, false};
  CHECK(device_window_bits(n, 18, 161, 60.0, 3, 8, 18) == 17);
  CHECK(device_window_bits(n, 18, 161, 60.0, 3, 8, 18, MsmMemoryModel{}, true) == 17);
  CHECK(device_window_bits(n, 18, 161, 60.0, 3, 8, 18, one_buffer, true) == 15);
  CHECK(device_window_bits(n, 18, 161, 60.0, 3, 8, 18, split, false) == 15);  // rows: a beat a point
  CHECK(device_window_bits(n, 18, 161, 60.0, 3, 8, 18, split, true) == 17);
  CHECK(device_window_bits(n, 16, 161, 60.0, 1, 8, 16, one_buffer) == device_window_bits(n, 16, 161, 60.0, 1, 8, 16));
}

TEST_CASE("msm_top_window_cycles: a narrow top window paces its run", "[card_projection]") {
  // range = r / 2^(c·(windows − 1)) values of the top digit: the busiest
  // of its buckets takes min(1, range − 1/2) / range of the points, one
  // every 165 cycles (161-cycle adder + 4).
  const std::size_t n = 1000;
  CHECK(msm_top_window_cycles(n, 17, 161) == Approx(n * 165.0 / 49553.2).epsilon(0.001));
  CHECK(msm_top_window_cycles(n, 9, 161) == Approx(n * 165.0 / 3.02449).epsilon(0.001));
  CHECK(msm_top_window_cycles(n, 11, 161) == Approx(n * 165.0 / 1.51224).epsilon(0.001));  // digits 0, 1
  CHECK(msm_top_window_cycles(n, 2, 161) == Approx(n * 165.0 * 0.25612 / 0.75612).epsilon(0.001));
  // The planner (here the sim build's: 2^12 buckets, no host cost) no
  // longer takes a width whose top window would set the pace: before,
  // c = 9 at 2^11 points cost 167 k cycles against 79 k for c = 8.
  for (unsigned log_n = 8; log_n <= 20; ++log_n) {
    const std::size_t m = std::size_t(1) << log_n;
    const unsigned c = device_window_bits(m, 12, 161, 0.0);
    INFO("2^" << log_n << " points: c = " << c);
    CHECK(msm_top_window_cycles(m, c, 161) < double(m) * 4);
  }
}

TEST_CASE("card_projection: scalars sliced on the card", "[card_projection]") {
  // The kernel's own slicer: the host counts the digits (21 ns a point on
  // one core) instead of slicing rows (50 ns), sends 32 bytes a point
  // instead of 64, and a run reads half a beat of scalars a point. Only
  // when every window fits the one row the slicer makes.
  const std::size_t n = std::size_t(1) << 24;
  const CardParams card = bench_md_params(), rows = rows_params();
  const MsmProjection a = project_g1_msm(n, card), b = project_g1_msm(n, rows);
  CHECK(a.card_slicing);
  CHECK(a.window_bits == b.window_bits);
  CHECK(a.slice_s == Approx(double(n) * 21e-9 / 8));
  CHECK(a.transfer_s - b.transfer_s == Approx(-double(n) * 32 / 12e9));
  CHECK(a.first_rows_s < b.first_rows_s);
  // One adder, four windows a run: reads bind only in the last run, the
  // 17th window alone, where rows (a beat a point from the digits' bank,
  // 0.85 a cycle) hold it to 1.18 cycles a point; split points and scalars
  // (half a beat on each bank) do not.
  CHECK(a.memory_bound_runs == 0);
  CHECK(b.memory_bound_runs == 1);
  CHECK(b.kernel_s - a.kernel_s ==
        Approx(double(n) * (64 * 300e6 / (19.2e9 * 0.85) - (1 - std::ldexp(1.0, -15)) / 0.981) / 300e6));
  // One bank for both streams: a point's beat and half a beat of scalars
  // (1.76 cycles a point) instead of two beats (2.35), with no additions.
  CardParams one_bank = card;
  one_bank.shared_bank = true;
  const double per_bank = 19.2e9 * 0.85 / 64 / 300e6;
  const MsmProjection z = project_g1_msm(std::size_t(1) << 20, one_bank, 0.0);
  CHECK(z.accumulate_cycles == Approx(double(z.runs) * double(1 << 20) * 1.5 / per_bank));
  // Three adders with 18-bit digits on a U250, split points: c = 17, five
  // runs of one window a lane, none held back by the banks (half a beat a
  // point on each). docs/bench.md's figures: 0.2824 s of additions at
  // 99.0 %; the write-back, each lane its window's 2^16 buckets on its own
  // port and bank (lane ports) at the bank's 0.85 beats a cycle, 5 × 2.6 ms,
  // and 16 k cycles a run; the first rows: the first chunk's upload (2^17
  // scalars, 0.35 ms) and 15 more launches, the chunks growing by 1.25
  // (2^17 ... 2^21.5: 16 of them), each written while the card adds the one
  // before, which takes 1.25 times as long a point; 5 launches; lane 0's
  // share of the last run's buckets back (8 MiB at 12 GB/s; lanes 1 and 2's
  // come while the host reduces lane 0's), and the last run's reduction on
  // 8 threads (3 × 2^17 additions at 200 ns).
  CardParams three = card;
  three.adders = 3;
  three.bucket_bits = 18;
  three.digit_bits = 18;
  three.adder_utilization = 0.990;
  three.reference_run_buckets = 3 << 16;
  const MsmProjection u250 = project_g1_msm(n, three);
  CHECK(u250.window_bits == 17);
  CHECK(u250.runs == 5);
  CHECK(u250.memory_bound_runs == 0);
  const double launch_s = 16000 / 300e6 + 50e-6;
  CHECK(u250.accumulate_cycles / 300e6 == Approx(5.0 * double(n) / 0.990 / 300e6).epsilon(0.0001));
  CHECK(u250.writeback_cycles == Approx(5.0 * 65536 * 2 / per_bank));
  CHECK(u250.first_run_launches == 16);
  // (The first chunk is copied with its small scalars zeroed before it goes:
  // 3 ns a scalar on 8 threads, host_zero_ns.)
  CHECK(u250.first_rows_s == Approx(double(1 << 17) * (32 / 12e9 + 3e-9 / 8) + 15 * launch_s));
  CHECK(u250.transfer_exposed_s == Approx(65536.0 * 128 / 12e9));
  // The top window's digits reach 49,554 of its 2^16 buckets.
  CHECK(msm_top_window_buckets(17) == 49554);
  CHECK(u250.host_tail_s == Approx((2.0 * 65536 + 49554) * (1.81 + 0.55) * 200e-9 / 8));
  CHECK(u250.latency_s == Approx(0.2988).epsilon(0.001));
  CHECK(u250.latency_s <= 0.300);  // the target
  // Without lane ports (one write port: the write-back three times as long,
  // all of the last buckets before the reduction), with equal chunks of
  // 2^20 (the first 2.8 ms to upload) and XYZZ running sums (two additions
  // a bucket), the earlier plan: 0.307 s as projected then, 0.308 s with
  // the buckets' validity check counted and the top window's trimmed.
  CardParams before = equal_chunks(three);
  before.lane_ports = false;
  before.reduction_additions_per_bucket = 2.0;
  const MsmProjection old = project_g1_msm(n, before);
  CHECK(old.writeback_cycles == Approx(3 * u250.writeback_cycles));
  CHECK(old.first_rows_s == Approx(double(1 << 20) * (32 / 12e9 + 3e-9 / 8) + 15 * launch_s));
  CHECK(old.transfer_exposed_s == Approx(3 * u250.transfer_exposed_s));
  CHECK(old.latency_s == Approx(0.3090).epsilon(0.001));
  // The write-back alone (msm_writeback_cycles): lane ports write the
  // busiest lane's windows on each port at once, at a beat a cycle or the
  // bank's rate; on one shared bank the bank takes all the beats; one lane,
  // or no lane ports, all the beats on one port.
  const MsmMemoryModel ports{per_bank, true, false, true};
  CHECK(msm_writeback_cycles(3, 65536, 3, ports) == Approx(2.0 * 65536 / per_bank));
  CHECK(msm_writeback_cycles(5, 65536, 3, ports) == Approx(2.0 * 2 * 65536 / per_bank));  // lane 0: two windows
  CHECK(msm_writeback_cycles(5, 65536, 3, {0.0, true, false, true}) == Approx(2.0 * 2 * 65536));
  CHECK(msm_writeback_cycles(5, 65536, 1, ports) == Approx(2.0 * 5 * 65536 / per_bank));
  CHECK(msm_writeback_cycles(5, 65536, 3, {per_bank, true, false, false}) == Approx(2.0 * 5 * 65536 / per_bank));
  CHECK(msm_writeback_cycles(3, 65536, 3, {per_bank, true, true, true}) == Approx(2.0 * 3 * 65536 / per_bank));
  CHECK(msm_writeback_cycles(3, 65536, 3, {4.0, true, true, true}) == Approx(2.0 * 65536));  // a fast shared bank
  // With the points in one buffer (one bank) c = 17's runs would wait on
  // it (0.85 points a cycle): 0.329 s of kernel instead of 0.282. The
  // planner takes c = 15 (four windows a lane, which the banks feed):
  // 0.347 s, within 1 % of c = 17's 0.345 s.
  CardParams one_buffer = three;
  one_buffer.split_points = false;
  const MsmProjection held = project_g1_msm(n, one_buffer);
  CHECK(held.window_bits == 15);
  CHECK(held.memory_bound_runs == 0);
  CHECK(held.latency_s == Approx(0.347).epsilon(0.002));
  one_buffer.window_bits = 17;
  const MsmProjection waiting = project_g1_msm(n, one_buffer);
  CHECK(waiting.memory_bound_runs == 5);
  CHECK(waiting.latency_s == Approx(0.345).epsilon(0.002));
  // Memory that keeps up at any rate: the write-back at a beat a cycle.
  three.memory_gb_per_s = 0;
  const MsmProjection fed = project_g1_msm(n, three);
  CHECK(fed.window_bits == 17);
  CHECK(fed.latency_s == Approx(u250.latency_s - (u250.writeback_cycles - fed.writeback_cycles) / 300e6));
  // c = 4: 64 windows, more than a row holds: the host slices rows.
  CardParams narrow = card;
  narrow.bucket_bits = 3;  // c <= 4
  CHECK_FALSE(project_g1_msm(n, narrow).card_slicing);
}

TEST_CASE("card_projection: upload chunks grow from a small first one", "[card_projection]") {
  // msm_upload_chunks, which DeviceMsm and the projection share: sizes sum
  // to n, none is empty, all but the last even when asked, each at most
  // growth times the one before and at most the cap (unless the first is
  // larger).
  for (const std::size_t n : {std::size_t(1), std::size_t(7), std::size_t(1000), std::size_t(100'001)}) {
    for (const double growth : {1.0, 1.25, 3.0}) {
      for (const bool even : {false, true}) {
        INFO("n " << n << ", growth " << growth << (even ? ", even" : ""));
        const std::vector<std::size_t> sizes = msm_upload_chunks(n, 6, growth, 500, even);
        std::size_t sum = 0;
        for (std::size_t k = 0; k < sizes.size(); ++k) {
          sum += sizes[k];
          CHECK(sizes[k] > 0);
          CHECK(sizes[k] <= 500);
          if (even && k + 1 < sizes.size()) CHECK(sizes[k] % 2 == 0);
          if (k > 0 && k + 1 < sizes.size()) CHECK(double(sizes[k]) <= double(sizes[k - 1]) * growth + 2);
        }
        CHECK(sum == n);
        if (n > 6) CHECK(sizes.front() == 6);
      }
    }
  }
  CHECK(msm_upload_chunks(0, 6, 1.25, 500, true).empty());
  CHECK(msm_upload_chunks(9, 3, 1.0, 500, true) == std::vector<std::size_t>{2, 2, 2, 2, 1});
  CHECK_THROWS_WITH(msm_upload_chunks(9, 3, 0.5, 500, false), Catch::Contains("must not shrink"));
  // The card adds a point in 3.33 ns (c = 17, one window a lane) and the
  // upload takes 32 bytes in 2.67: from a first chunk of 2^17 growing by 1.25
  // each chunk is written while the card adds the one before, so the first
  // rows cost the first chunk's upload and the launches; a growth of 2 outruns
  // the upload, and the card waits.
  CardParams p = pinned();
  p.subset_check = false;
  p.host_threads = 8;
  p.adders = 3;
  p.bucket_bits = 18;
  p.digit_bits = 18;
  const std::size_t n = std::size_t(1) << 24;
  const double launch_s = 16000 / 300e6 + 50e-6;
  const MsmProjection grown = project_g1_msm(n, p);
  CHECK(grown.first_rows_s ==
        Approx(double(1 << 17) * (32 / 12e9 + 3e-9 / 8) + double(grown.first_run_launches - 1) * launch_s));
  p.upload_chunk_growth = 2.0;
  const MsmProjection fast = project_g1_msm(n, p);
  CHECK(fast.first_run_launches < grown.first_run_launches);
  CHECK(fast.first_rows_s > double(1 << 17) * 32 / 12e9 + double(fast.first_run_launches - 1) * launch_s + 1e-3);
}

TEST_CASE("card_projection: the planner's width projects within 3 % of the best width", "[card_projection]") {
  // The host's planner (device_window_bits) is a cheaper model than the
  // projection; over sizes, adders, slicing, the check and host threads,
  // the width it picks must project within 3 % of the best width's.
  for (const std::size_t log_n : {12, 16, 20, 24})
    for (const unsigned adders : {1u, 2u, 3u})
      for (const bool slicing : {true, false})
        for (const bool check : {false, true})
          for (const unsigned threads : {1u, 8u}) {
            CardParams p = pinned();
            p.adders = adders;
            p.card_slicing = slicing;
            p.subset_check = check;
            p.host_threads = threads;
            if (adders == 3) {  // the U250 build
              p.bucket_bits = 18;
              p.digit_bits = 18;
              p.adder_utilization = 0.990;
              p.reference_run_buckets = 3 << 16;
            }
            const std::size_t n = std::size_t(1) << log_n;
            const MsmProjection chosen = project_g1_msm(n, p);
            double best = 1e300;
            unsigned best_c = 0;
            for (unsigned c = 2; c <= std::min(p.digit_bits - 1, device_lane_bucket_bits(p.bucket_bits, adders) + 1);
                 ++c) {
              CardParams forced = p;
              forced.window_bits = c;
              const double latency = project_g1_msm(n, forced).latency_s;
              if (latency < best) best = latency, best_c = c;
            }
            INFO("2^" << log_n << " points, " << adders << " adder(s), " << (slicing ? "card slicing" : "rows")
                      << (check ? ", check" : "") << ", " << threads << " thread(s): planner c = "
                      << chosen.window_bits << " (" << chosen.latency_s << " s), best c = " << best_c << " (" << best
                      << " s)");
            CHECK(chosen.latency_s <= best * 1.03);
          }
  CardParams bad;
  bad.window_bits = 18;  // 2^17 buckets a window: more than the default build's 2^16
  CHECK_THROWS_WITH(project_g1_msm(1024, bad), Catch::Contains("does not fit"));
}

TEST_CASE("card_projection: the defaults are the runtime's", "[card_projection]") {
  // CardParams{} projects what DeviceMsm ships: the sampled bucket check on
  // at its rate, the small scalars on the host, the key's points resident,
  // the host addition measured on this machine (and the planner's weight
  // from it at the clock, as DeviceMsm computes it), this machine's threads.
  const CardParams p;
  const DeviceMsmOptions shipped;
  CHECK(p.subset_check == shipped.check);
  CHECK(p.check_rate == shipped.check_rate);
  CHECK(p.host_small_scalar_bits == shipped.host_small_scalar_bits);
  CHECK(p.points_resident);
  CHECK(p.card_slicing == shipped.card_slicing);
  CHECK(p.upload_chunk_points == shipped.upload_chunk_points);
  CHECK(card_host_addition_ns(p) == host_xyzz_addition_ns());
  CHECK(card_host_threads(p) == ThreadPool::default_threads());
  CHECK(p.host_small_addition_ns < 0);  // measured: host_affine_sum_ns()
  const MsmProjection r = project_g1_msm(std::size_t(1) << 20, p);
  CHECK(r.host_addition_ns == host_xyzz_addition_ns());
  // The planner's weight: the measured addition in kernel cycles.
  CardParams fixed = p;
  fixed.host_addition_ns = host_xyzz_addition_ns();
  fixed.host_addition_cost = host_xyzz_addition_ns() * p.clock_mhz * 1e-3;
  fixed.host_threads = card_host_threads(p);
  fixed.host_small_addition_ns = host_affine_sum_ns();
  CHECK(card_window_bits(std::size_t(1) << 20, p) == card_window_bits(std::size_t(1) << 20, fixed));
  CHECK(project_g1_msm(std::size_t(1) << 20, fixed).latency_s == Approx(r.latency_s));
}

TEST_CASE("card_projection: points not resident go up before the first run", "[card_projection]") {
  const std::size_t n = std::size_t(1) << 24;
  CardParams p = pinned();
  p.host_threads = 8;
  CardParams sent = p;
  sent.points_resident = false;
  const MsmProjection a = project_g1_msm(n, p), b = project_g1_msm(n, sent);
  CHECK(a.points_upload_s == 0);
  CHECK(b.points_upload_s == Approx(double(n) * 64 / 12e9));  // 1 GiB: 89 ms
  CHECK(b.card_s - a.card_s == Approx(b.points_upload_s));
  CHECK(b.latency_s - a.latency_s == Approx(b.points_upload_s).epsilon(0.01));
}

TEST_CASE("card_projection: a Groth16-like witness, the small scalars on the host", "[card_projection]") {
  // Half zeros, 40 % ones, the rest full width (the bench suite's
  // sparse-witness mix). Without the host's share every 1 meets in window
  // 0's bucket 1, one pair each adder latency + 4 cycles: the run holding
  // window 0 lasts ones × 165 cycles. With it the kernel gets zeros for
  // them and the host adds them, a share after each run's reduction.
  SEED_INFO();
  auto rng = test::make_rng(101);
  ThreadPool pool(2);
  const std::size_t n = std::size_t(1) << 18;
  std::vector<BigInt<4>> uniform(n), witness(n);
  std::size_t ones = 0;
  for (std::size_t i = 0; i < n; ++i) {
    uniform[i] = Fr::random(rng).to_canonical();
    const auto k = rng() % 100;
    witness[i] = k < 50 ? BigInt<4>{} : k < 90 ? bigint::from_u64<4>(1) : uniform[i];
    ones += k >= 50 && k < 90;
  }
  CardParams p = pinned();
  p.host_threads = 8;
  const MsmProjection u = project_g1_msm_scalars(uniform, p, pool);
  const MsmProjection w = project_g1_msm_scalars(witness, p, pool);
  CardParams kernel_only = p;
  kernel_only.host_small_scalar_bits = 0;
  const MsmProjection k = project_g1_msm_scalars(witness, kernel_only, pool);
  CHECK(u.small_scalars == 0);
  CHECK(w.small_scalars == double(ones));
  CHECK(k.small_scalars == 0);
  // Uniform scalars: the same as the model's random ones, within a percent.
  CHECK(u.latency_s == Approx(project_g1_msm(n, p).latency_s).epsilon(0.01));
  // The kernel's share: the full-width tenth's digits, and the ones too
  // without the host's share.
  CHECK(w.additions < 0.11 * u.additions);
  CHECK(k.additions - w.additions == Approx(double(ones)));
  CHECK(k.accumulate_cycles >= double(ones) * 165);
  CHECK(w.accumulate_cycles < u.accumulate_cycles);
  CHECK(w.latency_s < k.latency_s / 5);
  // The host's share in CPU time: host_small_addition_ns (100 ns) a one,
  // less the sampled check's share of the additions the kernel no longer makes.
  CHECK(w.host_cpu_s - k.host_cpu_s ==
        Approx(double(ones) * (100e-9 - kMsmDefaultCheckRate * 200e-9)).epsilon(0.01));
}

TEST_CASE("card_projection: the shipped projection of docs/bench.md", "[.][figures]") {
  // The 2^24 MSM on the U250 build (three lanes, 18-bit digits, split
  // points, lane ports) with the runtime's defaults: the sampled check on,
  // the small scalars on the host, the key's points resident, the host
  // addition measured now; 8 host threads (a card server's, assumed).
  // Printed for the documentation; run with `runtime_tests "[figures]"`.
  ThreadPool pool;
  const std::size_t n = std::size_t(1) << 24;
  std::mt19937_64 rng(5);
  std::vector<BigInt<4>> uniform(n), witness(n);
  for (std::size_t i = 0; i < n; ++i) {
    uniform[i] = Fr::random(rng).to_canonical();
    const auto k = rng() % 100;
    witness[i] = k < 50 ? BigInt<4>{} : k < 90 ? bigint::from_u64<4>(1) : uniform[i];
  }
  const double host_ns = host_xyzz_addition_ns();
  WARN("host XYZZ addition, measured: " << host_ns << " ns; the small scalars' affine sum: "
                                         << host_affine_sum_ns() << " ns a point");
  for (const double mhz : {300.0, 250.0}) {
    CardParams p;
    p.adders = 3;
    p.bucket_bits = 18;
    p.digit_bits = 18;
    p.adder_utilization = 0.990;
    p.reference_run_buckets = 3 << 16;
    p.host_threads = 8;
    p.clock_mhz = mhz;
    CardParams kernel_only = p, unchecked = p, sent = p;
    kernel_only.host_small_scalar_bits = 0;
    unchecked.subset_check = false;
    sent.points_resident = false;
    const MsmProjection u = project_g1_msm_scalars(uniform, p, pool), w = project_g1_msm_scalars(witness, p, pool),
                        k = project_g1_msm_scalars(witness, kernel_only, pool),
                        x = project_g1_msm_scalars(uniform, unchecked, pool),
                        s = project_g1_msm_scalars(uniform, sent, pool);
    for (const auto& [what, r] : {std::pair{"uniform", &u}, std::pair{"witness", &w},
                                  std::pair{"witness, every scalar on the kernel", &k},
                                  std::pair{"uniform, check off", &x}, std::pair{"uniform, points sent", &s}}) {
      WARN(mhz << " MHz, " << what << ": c = " << r->window_bits << ", " << r->runs << " runs, additions "
               << r->additions << ", small " << r->small_scalars << "; kernel " << r->kernel_s * 1e3
               << " ms (accumulate " << r->accumulate_cycles / (mhz * 1e3) << ", write-back and overheads "
               << (r->writeback_cycles + r->overhead_cycles) / (mhz * 1e3) << "), first rows "
               << r->first_rows_s * 1e3 << " ms, launches " << r->launch_s * 1e3 << " ms, exposed transfers "
               << r->transfer_exposed_s * 1e3 << " ms, beside the first run " << r->beside_first_run_s * 1e3
               << " ms, host stall " << r->host_stall_s * 1e3 << " ms, tail " << r->host_tail_s * 1e3
               << " ms, host CPU " << r->host_cpu_s << " s: MSM " << r->latency_s << " s");
    }
    if (mhz == 300.0) CHECK(u.latency_s <= 0.35);  // the target for the shipped defaults
    CHECK(w.latency_s < k.latency_s);
  }
}
