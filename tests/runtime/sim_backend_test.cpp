// The sim backend — the MSM and NTT kernels' Verilator models behind the
// device layer — against the CPU engines: random inputs and the edge cases
// of the bucket method, the NTT directly on chip and by four-step, and the
// host's checks catching corrupted buckets read back from the card.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "support/forwarding_device.hpp"
#include "support/random_points.hpp"
#include "support/test_rng.hpp"
#include "zkacc/drivers/kernel_spec.hpp"
#include "zkacc/drivers/sim_device.hpp"
#include "zkacc/msm/pippenger.hpp"
#include "zkacc/runtime/backend_factory.hpp"
#include "zkacc/runtime/device_backend.hpp"
#include "zkacc/runtime/scheduler.hpp"

using namespace zkacc;
using namespace zkacc::runtime;

namespace {

using test::random_g1_points;
using test::random_fr_scalars;

// n random points and scalars with the extremes of the digits: 0, 1,
// r − 1 (every window's digit at its most negative or largest), (r − 1) / 2,
// r − 1 again last (alone in its beat when n is odd); a point at infinity;
// P and −P with one scalar. The CPU's MSM of them.
struct ExtremeMsm {
  std::vector<G1Affine> points;
  std::vector<BigInt<4>> scalars;
  G1Jacobian expected;
};
ExtremeMsm extreme_msm(std::size_t n, std::mt19937_64& rng) {
  ExtremeMsm m{random_g1_points(n, rng), random_fr_scalars(n, rng), {}};
  BigInt<4> r_minus_1 = Fr::kModulus;
  r_minus_1[0] -= 1;
  BigInt<4> half = r_minus_1;
  for (std::size_t i = 0; i < 4; ++i) half[i] = (half[i] >> 1) | (i + 1 < 4 ? half[i + 1] << 63 : 0);
  m.scalars[0] = BigInt<4>{};
  m.scalars[1] = bigint::from_u64<4>(1);
  m.scalars[2] = r_minus_1;
  m.scalars[3] = half;
  m.scalars[n - 1] = r_minus_1;
  m.points[4] = G1Affine::infinity();
  m.points[6] = -m.points[5];
  m.scalars[6] = m.scalars[5];
  ThreadPool pool(1);
  m.expected = msm_unchecked<Bn254G1Config>(m.points, m.scalars, pool);
  return m;
}

DeviceBackend& sim_msm_backend() {
  static ThreadPool pool(1);
  static auto backend = std::dynamic_pointer_cast<DeviceBackend>(make_backend("sim", pool, BackendConfig{"", 0, 300, true, false, 0}));
  return *backend;
}

void check_msm(const std::vector<G1Affine>& points, const std::vector<BigInt<4>>& scalars) {
  ThreadPool pool(2);
  const G1Jacobian expected = msm_unchecked<Bn254G1Config>(points, scalars, pool);
  CHECK(sim_msm_backend().msm_g1(points, scalars) == expected);
}

}  // namespace

TEST_CASE("sim backend: MSM equals the CPU on random inputs", "[runtime][sim]") {
  SEED_INFO();
  auto rng = test::make_rng(21);
  // The adder's model runs a few thousand cycles per second: 2^12 points at
  // c = 8 are 131,072 additions, about 40 s. ZKACC_TEST_N scales the sizes.
  for (std::size_t n : {std::size_t(1), test::scaled(std::size_t(1000)), test::scaled(std::size_t(1) << 12)}) {
    INFO("n = " << n);
    check_msm(random_g1_points(n, rng), random_fr_scalars(n, rng));
  }
  const DeviceCounters c = sim_msm_backend().counters();
  CHECK(c.runs >= 2);
  CHECK(c.additions > 0);
  CHECK(c.additions <= c.msm_cycles);
}

TEST_CASE("sim backend: MSM edge cases of the bucket method", "[runtime][sim]") {
  SEED_INFO();
  auto rng = test::make_rng(22);
  const std::size_t n = 211;  // prime: a multiple of nothing
  auto points = random_g1_points(n, rng);
  auto scalars = random_fr_scalars(n, rng);
  SECTION("zero scalars") {
    for (std::size_t i = 0; i < n; i += 3) scalars[i] = BigInt<4>{};
    check_msm(points, scalars);
    check_msm(points, std::vector<BigInt<4>>(n));
  }
  SECTION("points at infinity") {
    for (std::size_t i = 0; i < n; i += 4) points[i] = G1Affine::infinity();
    check_msm(points, scalars);
  }
  SECTION("P and -P, and the same point twice (doubling in a bucket)") {
    for (std::size_t i = 0; i + 1 < n; i += 2) {
      points[i + 1] = (i % 4 == 0) ? -points[i] : points[i];
      scalars[i + 1] = scalars[i];
    }
    check_msm(points, scalars);
  }
  SECTION("every point in one bucket") {
    check_msm(points, std::vector<BigInt<4>>(n, BigInt<4>{5}));
  }
  SECTION("scalars r-1 and small values") {
    for (std::size_t i = 0; i < n; ++i) scalars[i] = i % 2 ? (Fr::zero() - Fr::one()).to_canonical() : BigInt<4>{i};
    check_msm(points, scalars);
  }
}

TEST_CASE("sim backend: NTT equals the CPU, on chip and by four-step", "[runtime][sim]") {
  SEED_INFO();
  ThreadPool pool(2);
  auto backend = make_backend("sim", pool, BackendConfig{"", 0, 300, false, true, 0});
  auto rng = test::make_rng(23);
  const unsigned log_max = dynamic_cast<DeviceBackend&>(*backend).ntt_engine()->log_max_size();
  for (unsigned log_n : {1u, 2u, 8u, log_max, log_max + 2}) {
    for (NttDirection dir : {NttDirection::Forward, NttDirection::Inverse}) {
      INFO("n = 2^" << log_n << (dir == NttDirection::Forward ? " forward" : " inverse"));
      std::vector<Fr> values(std::size_t(1) << log_n);
      for (auto& v : values) v = Fr::random(rng);
      values[0] = Fr::zero();
      values.back() = Fr::zero() - Fr::one();
      std::vector<Fr> expected = values;
      NttDomain(values.size()).transform(expected, dir, Order::Natural, Order::Natural, pool);
      backend->ntt(values, dir);
      CHECK(values == expected);
    }
  }
  CHECK(backend->counters().butterflies > 0);
}

namespace {

// A device that corrupts what it reads back from large buffers, in every
// other bucket: either the lowest byte of x (no longer a curve point, or an
// empty bucket no longer all zero) or y negated (−B: a valid point, the wrong
// one, which only the subset check can see).
class CorruptingDevice final : public drivers::Device {
 public:
  enum class Mode { flip_x_byte, negate_y };
  CorruptingDevice(std::unique_ptr<drivers::Device> inner, Mode mode) : inner_(std::move(inner)), mode_(mode) {}
  std::string name() const override { return inner_->name(); }
  const drivers::KernelSpec& kernel() const override { return inner_->kernel(); }
  drivers::BufferId allocate(std::uint64_t bytes, std::size_t arg) override { return inner_->allocate(bytes, arg); }
  void write(const drivers::BufferId& b, std::span<const std::byte> d, std::uint64_t o) override { inner_->write(b, d, o); }
  void read(const drivers::BufferId& b, std::span<std::byte> d, std::uint64_t o) override {
    inner_->read(b, d, o);
    if (d.size() <= 200) return;
    for (std::size_t k = 128; k + 128 <= d.size(); k += 256) {
      if (mode_ == Mode::flip_x_byte) {
        d[k] ^= std::byte{1};
        continue;
      }
      BigInt<4> y;
      std::memcpy(y.data(), &d[k + 32], 32);
      const Fq neg = -Fq::from_montgomery_unchecked(y);
      std::memcpy(&d[k + 32], neg.montgomery_repr().data(), 32);
    }
  }
  void set_arg(std::size_t a, std::uint32_t v) override { inner_->set_arg(a, v); }
  void set_arg(std::size_t a, const drivers::BufferId& b) override { inner_->set_arg(a, b); }
  void start() override { inner_->start(); }
  drivers::RunState wait(std::chrono::milliseconds t) override { return inner_->wait(t); }
  std::uint32_t read_status(std::size_t i) override { return inner_->read_status(i); }

 private:
  std::unique_ptr<drivers::Device> inner_;
  Mode mode_;
};

}  // namespace

TEST_CASE("sim backend: corrupted buckets fail the host's checks and the scheduler redoes the MSM", "[runtime][sim]") {
  auto rng = test::make_rng(24);
  // Random scalars fill every window's buckets, so whichever window the
  // subset check picks holds corrupted buckets in use; a random subset of
  // them misses all of them with negligible probability.
  const std::size_t n = 64;
  const auto points = random_g1_points(n, rng);
  const auto scalars = random_fr_scalars(n, rng);
  ThreadPool pool(1);
  const G1Jacobian expected = msm_unchecked<Bn254G1Config>(points, scalars, pool);
  for (auto [mode, what] : {std::pair{CorruptingDevice::Mode::flip_x_byte, "bucket validity check failed"},
                            std::pair{CorruptingDevice::Mode::negate_y, "bucket subset check failed"}}) {
    INFO(what);
    std::ostringstream warnings;
    DeviceBackendOptions options;
    options.msm.window_bits = 8;
    options.msm.check_seed = 99;
    // Every bucket sampled: the negated ones are then always in the
    // sample (the shipped rate's odds have their own tests).
    options.msm.check_rate = 1.0;
    auto device = std::make_shared<DeviceBackend>(
        "sim-corrupt",
        std::make_unique<CorruptingDevice>(std::make_unique<drivers::SimDevice>(drivers::msm_kernel_spec()), mode),
        nullptr, options);
    // No retry: the corruption is permanent, one device run per MSM.
    Scheduler scheduler({device}, pool, SchedulerOptions{true, &warnings, 1, 0});
    CHECK(scheduler.msm_g1(points, scalars) == expected);  // redone on the CPU
    CHECK(scheduler.last_job()[0].fell_back);
    CHECK(scheduler.last_job()[0].attempts == 1);
    CHECK_THAT(warnings.str(), Catch::Contains(what) && Catch::Contains("redone on the CPU"));
  }
}

namespace {

// Backend options for window width c with the first run in equal upload
// chunks of `chunk` points (no growth), as the chunk-counting tests expect.
DeviceBackendOptions equal_chunk_options(unsigned c, std::size_t chunk) {
  DeviceBackendOptions options;
  options.msm.window_bits = c;
  options.msm.upload_chunk_points = chunk;
  options.msm.upload_chunk_growth = 1.0;
  return options;
}

// A device that counts what the host writes into the MSM kernel's digits
// buffers (those allocated for the "digits" argument) and records the
// first_window argument of every start.
class CountingDevice final : public test::ForwardingDevice {
 public:
  explicit CountingDevice(std::unique_ptr<drivers::Device> inner)
      : ForwardingDevice(std::move(inner)),
        digits_arg_(kernel().arg_index("digits")),
        first_window_arg_(kernel().arg_index("first_window")),
        num_points_arg_(kernel().arg_index("num_points")),
        bucket_arg_(kernel().arg_index("window_bucket_bits")) {}
  drivers::BufferId allocate(std::uint64_t bytes, std::size_t arg) override {
    const drivers::BufferId b = ForwardingDevice::allocate(bytes, arg);
    if (arg == digits_arg_) digits_buffers_.push_back(b.id);
    if (arg == kernel().arg_index("points_y")) ++points_y_buffers;
    if (arg == kernel().arg_index("buckets_1") || arg == kernel().arg_index("buckets_2"))
      ++lane_bucket_buffers;
    return b;
  }
  void write(const drivers::BufferId& b, std::span<const std::byte> d, std::uint64_t o) override {
    if (std::find(digits_buffers_.begin(), digits_buffers_.end(), b.id) != digits_buffers_.end()) {
      // An upload of rows starts at offset 0 (the first rows go up in chunks).
      if (o == 0) ++digit_writes;
      ++digit_chunks;
      digit_bytes += d.size();
    }
    ForwardingDevice::write(b, d, o);
  }
  void set_arg(std::size_t a, std::uint32_t v) override {
    if (a == first_window_arg_) first_window_ = v;
    if (a == num_points_arg_) num_points_ = v;
    if (a == bucket_arg_) bucket_cfg_ = v;
    ForwardingDevice::set_arg(a, v);
  }
  using ForwardingDevice::set_arg;
  void start() override {
    first_windows.push_back(first_window_);
    starts.push_back({first_window_, num_points_, bucket_cfg_});
    ForwardingDevice::start();
  }
  std::uint32_t read_status(std::size_t i) override {
    const std::uint32_t v = ForwardingDevice::read_status(i);
    // As a kernel built before a feature reads: its lanes bit clear.
    return i == kernel().status_index("lanes") ? v & ~hidden_lanes_bits : v;
  }

  // Lanes bits to hide: 24 continue/hold, 26 split points, 27 lane ports.
  std::uint32_t hidden_lanes_bits = 0;
  std::size_t points_y_buffers = 0, lane_bucket_buffers = 0;
  std::size_t digit_writes = 0, digit_chunks = 0;
  std::uint64_t digit_bytes = 0;
  std::vector<std::size_t> first_windows;  // per start
  struct Start {
    std::uint32_t first_window, num_points, bucket_cfg;
  };
  std::vector<Start> starts;

 private:
  std::size_t digits_arg_, first_window_arg_, num_points_arg_, bucket_arg_;
  std::uint32_t first_window_ = 0, num_points_ = 0, bucket_cfg_ = 0;
  std::vector<std::uint32_t> digits_buffers_;
};

}  // namespace

TEST_CASE("sim backend: a multi-run MSM writes its digit rows once (once per 32 windows)", "[runtime][sim]") {
  // c = 10 on the sim build's 2^12 buckets: 26 windows, 8 a run, 4 runs over
  // one upload of the rows, each run naming its first window. c = 4: 64
  // windows, 32 a run: the rows of each run hold its 32 windows, two uploads.
  SEED_INFO();
  auto rng = test::make_rng(25);
  const std::size_t n = 64;
  const auto points = random_g1_points(n, rng);
  const auto scalars = random_fr_scalars(n, rng);
  ThreadPool pool(1);
  const G1Jacobian expected = msm_unchecked<Bn254G1Config>(points, scalars, pool);
  for (unsigned c : {10u, 4u}) {
    INFO("c = " << c);
    DeviceBackendOptions options;
    options.msm.window_bits = c;
    options.msm.card_slicing = false;  // rows from the host (the card's slicing: its own test)
    auto counting = std::make_unique<CountingDevice>(std::make_unique<drivers::SimDevice>(drivers::msm_kernel_spec()));
    CountingDevice& device = *counting;
    DeviceBackend backend("sim-counting", std::move(counting), nullptr, options);
    const std::size_t windows = num_windows(c);
    const std::size_t per_run = device_windows_per_run(c, backend.msm()->bucket_bits(), backend.msm()->lanes());
    REQUIRE(per_run < windows);  // more than one run
    CHECK(backend.msm_g1(points, scalars) == expected);
    const std::size_t runs = (windows + per_run - 1) / per_run;
    CHECK(backend.counters().runs == runs);
    REQUIRE(device.first_windows.size() == runs);
    // Rows of 32 windows: one upload for c = 10; for c = 4, whose runs are
    // 32 windows each, one per run.
    const std::size_t blocks = (windows + kMsmDigitsPerBeat - 1) / kMsmDigitsPerBeat;
    if (blocks > 1) REQUIRE(per_run == kMsmDigitsPerBeat);
    CHECK(device.digit_writes == blocks);
    CHECK(device.digit_bytes == blocks * n * drivers::kBeatBytes);
    // Run r starts at MSM window r·per_run: with one upload that is its
    // first_window; with a run's own rows, digit 0.
    for (std::size_t r = 0; r < runs; ++r) {
      INFO("run " << r);
      CHECK(device.first_windows[r] == (blocks == 1 ? r * per_run : 0));
    }
    // A second MSM on the same device uploads its own rows again, once per block.
    const std::size_t before = device.digit_writes;
    CHECK(backend.msm_g1(points, scalars) == expected);
    CHECK(device.digit_writes - before == blocks);
  }
}

TEST_CASE("sim backend: the two-lane kernel with 18-bit digit rows", "[runtime][sim]") {
  // zkacc_msm_kernel_l2 (sim/CMakeLists.txt): two lanes of 2^11 buckets,
  // 18-bit digits, 28 a row, the row format of a card built for c = 17. The
  // host reads the digit width from the lanes register and packs the rows
  // to match: c = 9 (29 windows) and c = 6 (43 windows) both need a second
  // upload of rows, starting at the first window the first rows lack. The
  // first rows go up in chunks of 37 points, each written while the next is
  // sliced, and the first run is three launches, one a chunk: hold, then
  // continue and hold, then continue (the kernel's continue/hold). The
  // kernel's split points are hidden here (lanes bit 26), so the points go
  // in one buffer and the chunks need not be even.
  SEED_INFO();
  auto rng = test::make_rng(26);
  const std::size_t n = 100;
  const auto [points, scalars, expected] = extreme_msm(n, rng);
  drivers::KernelSpec spec = drivers::msm_kernel_spec();
  spec.name = "zkacc_msm_kernel_l2";
  for (unsigned c : {9u, 6u}) {
    INFO("c = " << c);
    DeviceBackendOptions options = equal_chunk_options(c, 37);
    auto counting = std::make_unique<CountingDevice>(std::make_unique<drivers::SimDevice>(spec));
    CountingDevice& device = *counting;
    device.hidden_lanes_bits = 1u << 26;
    DeviceBackend backend("sim-l2", std::move(counting), nullptr, options);
    REQUIRE(backend.msm()->lanes() == 2);
    REQUIRE(backend.msm()->digit_bits() == 18);
    CHECK(backend.msm_g1(points, scalars) == expected);
    const std::size_t windows = num_windows(c), row_digits = msm_row_digits(18);
    REQUIRE(row_digits == 28);
    REQUIRE(windows > row_digits);
    const std::size_t per_run = device_windows_per_run(c, backend.msm()->bucket_bits(), 2, 18);
    const auto plan = device_msm_runs(windows, per_run, row_digits);
    CHECK(backend.counters().runs == plan.size() + 2);  // kernel launches
    CHECK(device.digit_writes == 2);
    CHECK(device.digit_chunks == 3 + 1);  // 37 + 37 + 26 points, then the second rows whole
    CHECK(device.digit_bytes == 2 * n * drivers::kBeatBytes);
    REQUIRE(device.starts.size() == plan.size() + 2);
    CHECK(device.points_y_buffers == 0);
    // The two-lane model writes through lane ports.
    const std::uint32_t b = (c - 1) | kMsmLanePorts;
    const std::uint32_t first_launches[3][2] = {{37, b | kMsmHold}, {37, b | kMsmContinue | kMsmHold},
                                                {26, b | kMsmContinue}};
    for (std::size_t k = 0; k < 3; ++k) {
      INFO("launch " << k << " of the first run");
      CHECK(device.starts[k].first_window == plan[0].first_window);
      CHECK(device.starts[k].num_points == first_launches[k][0]);
      CHECK(device.starts[k].bucket_cfg == first_launches[k][1]);
    }
    for (std::size_t r = 0; r < plan.size(); ++r) {
      INFO("run " << r);
      const auto& start = device.starts[r == 0 ? 2 : r + 2];
      CHECK(start.first_window == plan[r].first_window);
      if (r > 0) CHECK(start.num_points == n);
      if (r > 0) CHECK(start.bucket_cfg == b);
      CHECK(plan[r].first_window + plan[r].windows <= row_digits);
    }
  }
}

TEST_CASE("sim backend: a kernel without continue/hold takes the first run in one launch", "[runtime][sim]") {
  // The lanes register's bit 24 clear (a kernel built before continue and
  // hold): the rows still go up in chunks, but the first run starts once
  // all are written, as one launch over all the points.
  SEED_INFO();
  auto rng = test::make_rng(27);
  const std::size_t n = 90;
  const auto points = random_g1_points(n, rng);
  const auto scalars = random_fr_scalars(n, rng);
  ThreadPool pool(1);
  const G1Jacobian expected = msm_unchecked<Bn254G1Config>(points, scalars, pool);
  DeviceBackendOptions options = equal_chunk_options(10, 40);
  options.msm.card_slicing = false;
  auto counting = std::make_unique<CountingDevice>(std::make_unique<drivers::SimDevice>(drivers::msm_kernel_spec()));
  CountingDevice& device = *counting;
  device.hidden_lanes_bits = 1u << 24;
  DeviceBackend backend("sim-old", std::move(counting), nullptr, options);
  CHECK(backend.msm_g1(points, scalars) == expected);
  const std::size_t per_run = device_windows_per_run(10, backend.msm()->bucket_bits(), backend.msm()->lanes());
  const std::size_t runs = device_msm_runs(num_windows(10), per_run, kMsmDigitsPerBeat).size();
  CHECK(device.digit_chunks == 3);  // 40 + 40 + 10 points
  REQUIRE(device.starts.size() == runs);
  for (const auto& start : device.starts) {
    CHECK(start.num_points == n);
    CHECK((start.bucket_cfg & (kMsmContinue | kMsmHold)) == 0);
  }
}

TEST_CASE("sim backend: split points, x and y in buffers of their own", "[runtime][sim]") {
  // A kernel that reads split points (lanes bit 26, both models) gets the x
  // and the y coordinates in two buffers, two to a beat, and every launch
  // the split-points flag; the first run's chunks are even (37 rounded up
  // to 38), with rows (c = 6 on the one-lane model: 43 windows, two row
  // uploads) and with scalars (c = 10). The extremes of the scalars, a
  // point at infinity, P and −P; equal to the CPU. With bit 26 hidden the
  // points go in one buffer and no launch has the flag.
  SEED_INFO();
  auto rng = test::make_rng(29);
  const std::size_t n = 99;  // odd: the last beat of x and of y half used
  const auto [points, scalars, expected] = extreme_msm(n, rng);
  for (const char* kernel : {"zkacc_msm_kernel", "zkacc_msm_kernel_l2"}) {
    for (const unsigned c : {6u, 10u}) {
      for (const bool hidden : {false, true}) {
        INFO(kernel << ", c = " << c << (hidden ? ", split points hidden" : ""));
        drivers::KernelSpec spec = drivers::msm_kernel_spec();
        spec.name = kernel;
        DeviceBackendOptions options = equal_chunk_options(c, 37);
        auto counting = std::make_unique<CountingDevice>(std::make_unique<drivers::SimDevice>(spec));
        CountingDevice& device = *counting;
        if (hidden) device.hidden_lanes_bits = 1u << 26;
        DeviceBackend backend("sim-split", std::move(counting), nullptr, options);
        CHECK(backend.msm_g1(points, scalars) == expected);
        CHECK(device.points_y_buffers == (hidden ? 0u : 1u));
        REQUIRE(device.starts.size() >= 3);
        for (std::size_t k = 0; k < device.starts.size(); ++k) {
          INFO("start " << k);
          CHECK(((device.starts[k].bucket_cfg & kMsmSplitPoints) != 0) == !hidden);
        }
        const bool scalars_sent = (device.starts[0].bucket_cfg & kMsmScalars) != 0;
        CHECK(scalars_sent == (c == 10));
        // The first run's launches: chunks of 37 points, rounded up to an
        // even 38 when anything goes two to a beat.
        const std::uint32_t chunk = hidden && !scalars_sent ? 37 : 38;
        CHECK(device.starts[0].num_points == chunk);
        CHECK(device.starts[1].num_points == chunk);
        CHECK(device.starts[2].num_points == n - 2 * chunk);
      }
    }
  }
}

TEST_CASE("sim backend: scalars sliced on the card", "[runtime][sim]") {
  // c = 10 (26 windows) fits one row on both models: DeviceMsm sends the
  // 32-byte scalars (two a beat) with the kernel's scalars flag instead of
  // rows, and counts their digits itself. The first run goes in chunks of
  // 38 points (37 rounded up to even: two scalars a beat): 38, 38, 24. The
  // extremes of the scalars, a point at infinity, P and −P; equal to the CPU.
  SEED_INFO();
  auto rng = test::make_rng(28);
  const std::size_t n = 100;
  const auto [points, scalars, expected] = extreme_msm(n, rng);
  for (const char* kernel : {"zkacc_msm_kernel", "zkacc_msm_kernel_l2"}) {
    INFO(kernel);
    drivers::KernelSpec spec = drivers::msm_kernel_spec();
    spec.name = kernel;
    DeviceBackendOptions options = equal_chunk_options(10, 37);
    auto counting = std::make_unique<CountingDevice>(std::make_unique<drivers::SimDevice>(spec));
    CountingDevice& device = *counting;
    DeviceBackend backend("sim-scalars", std::move(counting), nullptr, options);
    CHECK(backend.msm_g1(points, scalars) == expected);
    CHECK(device.digit_chunks == 3);
    CHECK(device.digit_bytes == n * kScalarBytes);
    const std::size_t per_run = device_windows_per_run(10, backend.msm()->bucket_bits(), backend.msm()->lanes(),
                                                       backend.msm()->digit_bits());
    const auto plan = device_msm_runs(num_windows(10), per_run, msm_row_digits(backend.msm()->digit_bits()));
    REQUIRE(device.starts.size() == plan.size() + 2);
    const std::uint32_t expect_points[3] = {38, 38, 24};
    for (std::size_t k = 0; k < device.starts.size(); ++k) {
      INFO("start " << k);
      CHECK((device.starts[k].bucket_cfg & kMsmScalars) != 0);
      CHECK((device.starts[k].bucket_cfg & kMsmSplitPoints) != 0);
      CHECK(device.starts[k].num_points == (k < 3 ? expect_points[k] : n));
    }
    CHECK(backend.counters().additions > 0);
  }
}

TEST_CASE("sim backend: lane ports, each lane's buckets in a buffer of its own", "[runtime][sim]") {
  // The two-lane model reports lane ports (lanes bit 27): every launch has
  // the flag, lane 1's buckets come from a buffer allocated for buckets_1,
  // and the host reduces each lane's windows while it reads the next lane's.
  // With rows (c = 6: 43 windows, runs of an odd count of windows, so the
  // lanes hold different counts) and with scalars (c = 10), the subset check
  // on (its window falls in either lane's buffer), equal to the CPU. The
  // one-lane model has no lane ports; with bit 27 hidden the two-lane
  // model writes through one port. (c = 10 once: its 13 k buckets take
  // the models 26 k cycles to write back.)
  SEED_INFO();
  auto rng = test::make_rng(30);
  const std::size_t n = 77;
  const auto [points, scalars, expected] = extreme_msm(n, rng);
  struct Case {
    const char* kernel;
    unsigned c;
    bool hidden, ports;
  };
  for (const Case& k : {Case{"zkacc_msm_kernel_l2", 6, false, true}, Case{"zkacc_msm_kernel_l2", 10, false, true},
                        Case{"zkacc_msm_kernel_l2", 6, true, false}, Case{"zkacc_msm_kernel", 6, false, false}}) {
    INFO(k.kernel << ", c = " << k.c << (k.hidden ? ", lane ports hidden" : ""));
    drivers::KernelSpec spec = drivers::msm_kernel_spec();
    spec.name = k.kernel;
    DeviceBackendOptions options;
    options.msm.window_bits = k.c;
    options.msm.check = true;
    options.msm.check_seed = 5 + k.c;
    auto counting = std::make_unique<CountingDevice>(std::make_unique<drivers::SimDevice>(spec));
    CountingDevice& device = *counting;
    if (k.hidden) device.hidden_lanes_bits = 1u << 27;
    DeviceBackend backend("sim-ports", std::move(counting), nullptr, options);
    CHECK(backend.msm_g1(points, scalars) == expected);
    CHECK(device.lane_bucket_buffers == (k.ports ? 1u : 0u));
    REQUIRE(device.starts.size() >= 2);
    for (std::size_t i = 0; i < device.starts.size(); ++i) {
      INFO("start " << i);
      CHECK(((device.starts[i].bucket_cfg & kMsmLanePorts) != 0) == k.ports);
    }
  }
}

TEST_CASE("sim backend: the first run's chunks grow", "[runtime][sim]") {
  // A first chunk of 10 points, each next 1.5 times the one before, at most
  // 30, even (scalars go two to a beat): 10, 14, 22, 30 and the 24 left, one
  // launch each (msm_upload_chunks).
  SEED_INFO();
  auto rng = test::make_rng(31);
  const std::size_t n = 100;
  const auto [points, scalars, expected] = extreme_msm(n, rng);
  const std::vector<std::size_t> sizes{10, 14, 22, 30, 24};
  CHECK(msm_upload_chunks(n, 10, 1.5, 30, true) == sizes);
  DeviceBackendOptions options;
  options.msm.window_bits = 10;
  options.msm.upload_chunk_points = 10;
  options.msm.upload_chunk_growth = 1.5;
  options.msm.upload_max_chunk_points = 30;
  auto counting = std::make_unique<CountingDevice>(std::make_unique<drivers::SimDevice>(drivers::msm_kernel_spec()));
  CountingDevice& device = *counting;
  DeviceBackend backend("sim-grow", std::move(counting), nullptr, options);
  CHECK(backend.msm_g1(points, scalars) == expected);
  CHECK(device.digit_chunks == sizes.size());
  REQUIRE(device.starts.size() >= sizes.size());
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    INFO("launch " << k);
    CHECK(device.starts[k].num_points == sizes[k]);
    CHECK(((device.starts[k].bucket_cfg & kMsmHold) != 0u) == (k + 1 < sizes.size()));
    CHECK(((device.starts[k].bucket_cfg & kMsmContinue) != 0u) == (k > 0));
  }
}
