// DeviceMsm on the simulated MSM kernel: a proving key's points stay in card
// memory across MSMs and proofs (written once per key and span), and
// witness-like scalars (mostly 0 and 1, some −1 and small values, some full
// width) split between the host and the kernel, against the CPU MSM.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "support/forwarding_device.hpp"
#include "support/random_points.hpp"
#include "support/test_rng.hpp"
#include "zkacc/drivers/kernel_spec.hpp"
#include "zkacc/drivers/sim_device.hpp"
#include "zkacc/msm/pippenger.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"
#include "zkacc/runtime/device_backend.hpp"
#include "zkacc/runtime/msm_small_scalars.hpp"
#include "zkacc/runtime/scheduler.hpp"

using namespace zkacc;
using namespace zkacc::runtime;

namespace {

using test::random_g1_points;
using test::random_fr_scalars;

BigInt<4> minus(std::uint64_t k) {  // r − k
  BigInt<4> v = Fr::kModulus;
  v[0] -= k;
  return v;
}

// A Groth16 witness's shape: half bits (0 or 1), a tenth −1, a tenth small
// values of either sign (below 16, the host's; and 16..999, the kernel's),
// the rest full width.
std::vector<BigInt<4>> witness_like(std::size_t n, std::mt19937_64& rng) {
  std::vector<BigInt<4>> s(n);
  for (auto& k : s) {
    const std::uint64_t kind = rng() % 10;
    if (kind < 5) k = bigint::from_u64<4>(rng() % 2);
    else if (kind == 5) k = minus(1);
    else if (kind == 6) k = rng() % 2 ? bigint::from_u64<4>(2 + rng() % 14) : minus(2 + rng() % 14);
    else if (kind == 7) k = rng() % 2 ? bigint::from_u64<4>(16 + rng() % 984) : minus(16 + rng() % 984);
    else k = Fr::random(rng).to_canonical();
  }
  return s;
}

// A device that counts the bytes the host writes into the points buffers
// (those allocated for the "points" and "points_y" arguments).
class PointCountingDevice final : public test::ForwardingDevice {
 public:
  explicit PointCountingDevice(std::unique_ptr<drivers::SimDevice> inner)
      : ForwardingDevice(std::move(inner)),
        points_arg_(kernel().arg_index("points")),
        points_y_arg_(kernel().arg_index("points_y")) {}
  drivers::BufferId allocate(std::uint64_t bytes, std::size_t arg) override {
    const drivers::BufferId b = ForwardingDevice::allocate(bytes, arg);
    if (arg == points_arg_ || arg == points_y_arg_) point_buffers_.push_back(b.id);
    return b;
  }
  void write(const drivers::BufferId& b, std::span<const std::byte> d, std::uint64_t o) override {
    if (std::find(point_buffers_.begin(), point_buffers_.end(), b.id) != point_buffers_.end())
      point_bytes += d.size();
    ForwardingDevice::write(b, d, o);
  }

  drivers::SimDevice& sim() { return static_cast<drivers::SimDevice&>(inner()); }
  std::uint64_t point_bytes = 0;

 private:
  std::size_t points_arg_, points_y_arg_;
  std::vector<std::uint32_t> point_buffers_;
};

// A backend on a counting sim device; c = 10 (26 windows, one row of
// scalars the card slices) keeps each MSM a few thousand kernel cycles.
struct CountingBackend {
  PointCountingDevice* device;
  std::unique_ptr<DeviceBackend> backend;
  explicit CountingBackend(DeviceMsmOptions msm = {}) {
    auto counting = std::make_unique<PointCountingDevice>(std::make_unique<drivers::SimDevice>(drivers::msm_kernel_spec()));
    device = counting.get();
    DeviceBackendOptions options;
    options.msm = msm;
    options.msm.window_bits = 10;
    options.msm.check_seed = 3;
    backend = std::make_unique<DeviceBackend>("sim-resident", std::move(counting), nullptr, options);
  }
};

G1Jacobian cpu_msm(const std::vector<G1Affine>& points, const std::vector<BigInt<4>>& scalars) {
  ThreadPool pool(2);
  return msm_unchecked<Bn254G1Config>(points, scalars, pool);
}

}  // namespace

TEST_CASE("device msm: a key's points are written to the card once", "[runtime][sim]") {
  SEED_INFO();
  auto rng = test::make_rng(91);
  const std::size_t n = 101;
  std::vector<G1Affine> points = random_g1_points(n, rng);
  const std::vector<G1Affine> others = random_g1_points(n, rng);
  const auto s1 = random_fr_scalars(n, rng), s2 = random_fr_scalars(n, rng);
  CountingBackend b;
  DeviceBackend& backend = *b.backend;
  // The one-lane model reads split points: x and y, 32 bytes each, two to a beat.
  const std::uint64_t bytes = 2 * ((n + 1) / 2) * drivers::kBeatBytes;
  const std::uint64_t key = 7, other_key = 8;
  auto uploads = [&] { return backend.counters().point_uploads; };

  CHECK(backend.msm_g1_of_key(points, s1, key) == cpu_msm(points, s1));
  CHECK(b.device->point_bytes == bytes);
  CHECK(uploads() == 1);
  CHECK(backend.counters().point_bytes == bytes);
  // The same key and points: nothing written, the result still right.
  CHECK(backend.msm_g1_of_key(points, s2, key) == cpu_msm(points, s2));
  CHECK(backend.msm_g1_of_key(points, s1, key) == cpu_msm(points, s1));
  CHECK(b.device->point_bytes == bytes);
  CHECK(uploads() == 1);
  // Another key over the same memory is another key: written again.
  CHECK(backend.msm_g1_of_key(points, s2, other_key) == cpu_msm(points, s2));
  CHECK(b.device->point_bytes == 2 * bytes);
  // Another span of the first key: written; both stay resident.
  CHECK(backend.msm_g1_of_key(others, s1, key) == cpu_msm(others, s1));
  CHECK(b.device->point_bytes == 3 * bytes);
  CHECK(backend.msm_g1_of_key(points, s1, key) == cpu_msm(points, s1));
  CHECK(backend.msm_g1_of_key(others, s2, key) == cpu_msm(others, s2));
  CHECK(b.device->point_bytes == 3 * bytes);
  CHECK(uploads() == 3);
  // A shorter span of the same memory (a scheduler's share) is a span of its own.
  const std::span<const G1Affine> head = std::span<const G1Affine>(points).first(50);
  const std::vector<BigInt<4>> s_head(s1.begin(), s1.begin() + 50);
  ThreadPool pool(1);
  CHECK(backend.msm_g1_of_key(head, s_head, key) == msm_unchecked<Bn254G1Config>(head, s_head, pool));
  CHECK(uploads() == 4);
  // Without a key: written every time.
  CHECK(backend.msm_g1(points, s1) == cpu_msm(points, s1));
  CHECK(backend.msm_g1(points, s1) == cpu_msm(points, s1));
  CHECK(uploads() == 6);
  // A key's points changed in place (without a new identity): the sampled
  // points differ from what was written, so they are written again.
  points[0] = others[0];
  CHECK(backend.msm_g1_of_key(points, s1, key) == cpu_msm(points, s1));
  CHECK(uploads() == 7);
  CHECK(backend.msm_g1_of_key(points, s2, key) == cpu_msm(points, s2));
  CHECK(uploads() == 7);
}

TEST_CASE("device msm: resident sets are replaced least recently used first, and dropped when an MSM fails",
          "[runtime][sim]") {
  SEED_INFO();
  auto rng = test::make_rng(92);
  const std::size_t n = 64;
  const auto a = random_g1_points(n, rng), c = random_g1_points(n, rng), d = random_g1_points(n, rng);
  const auto s = random_fr_scalars(n, rng);
  DeviceMsmOptions msm;
  msm.resident_point_sets = 2;
  CountingBackend b(msm);
  DeviceBackend& backend = *b.backend;
  auto uploads = [&] { return backend.counters().point_uploads; };
  CHECK(backend.msm_g1_of_key(a, s, 1) == cpu_msm(a, s));
  CHECK(backend.msm_g1_of_key(c, s, 1) == cpu_msm(c, s));
  CHECK(backend.msm_g1_of_key(a, s, 1) == cpu_msm(a, s));  // a used last
  CHECK(uploads() == 2);
  CHECK(backend.msm_g1_of_key(d, s, 1) == cpu_msm(d, s));  // replaces c
  CHECK(backend.msm_g1_of_key(a, s, 1) == cpu_msm(a, s));
  CHECK(uploads() == 3);
  CHECK(backend.msm_g1_of_key(c, s, 1) == cpu_msm(c, s));  // c again: written
  CHECK(uploads() == 4);
  // A run that ends early fails the additions check; the set it used is
  // written again by the next MSM over it, which is right.
  b.device->sim().inject_fault({drivers::SimFault::Kind::early_done, 0, 1, 1});
  CHECK_THROWS_AS(backend.msm_g1_of_key(c, s, 1), drivers::DeviceError);
  CHECK(b.device->sim().faults_fired() == 1);
  const std::uint64_t before = uploads();
  CHECK(backend.msm_g1_of_key(c, s, 1) == cpu_msm(c, s));
  CHECK(uploads() == before + 1);
  CHECK(backend.msm_g1_of_key(c, s, 1) == cpu_msm(c, s));
  CHECK(uploads() == before + 1);
}

TEST_CASE("device msm: witness-like scalars, the small ones summed on the host", "[runtime][sim]") {
  // Mostly bits, −1 and small values: the host sums the points of those
  // below 16 in magnitude and the kernel gets zeros for them, so its
  // additions are the other scalars' nonzero digits only. Equal to the CPU
  // with the split and without it (every scalar to the kernel).
  SEED_INFO();
  auto rng = test::make_rng(93);
  const std::size_t n = 400;
  const auto points = random_g1_points(n, rng);
  const auto scalars = witness_like(n, rng);
  const G1Jacobian expected = cpu_msm(points, scalars);
  ThreadPool pool(1);
  const std::size_t small = msm_count_small_scalars(scalars, kMsmHostSmallScalarBits, pool);
  REQUIRE(small > n / 4);  // a quarter ones, a tenth −1, some small values (zeros are not counted)
  for (const unsigned bits : {kMsmHostSmallScalarBits, 0u}) {
    INFO("host small scalar bits " << bits);
    DeviceMsmOptions msm;
    msm.host_small_scalar_bits = bits;
    CountingBackend b(msm);
    CHECK(b.backend->msm_g1(points, scalars) == expected);
    CHECK(b.backend->counters().small_scalars == (bits ? small : 0));
    // The kernel's additions: the nonzero digits of what it was sent.
    std::vector<BigInt<4>> kernel(n);
    msm_zero_small_scalars(scalars, bits, kernel, 0, n);
    MsmOffsetDigits digits(kernel, 10, num_windows(10));
    digits.count(0, n);
    std::uint64_t nonzero = 0;
    for (std::size_t w = 0; w < digits.windows(); ++w) nonzero += digits.nonzero(w);
    CHECK(b.backend->counters().additions == nonzero);
    // All small: the kernel adds nothing and the host has it all.
    std::vector<BigInt<4>> bits_only(n);
    for (auto& k : bits_only) k = bigint::from_u64<4>(rng() % 2);
    const std::uint64_t additions = b.backend->counters().additions;
    CHECK(b.backend->msm_g1(points, bits_only) == cpu_msm(points, bits_only));
    if (bits) CHECK(b.backend->counters().additions == additions);
  }
}

TEST_CASE("device msm: two Groth16 proofs over one key write its points once", "[runtime][sim]") {
  SEED_INFO();
  using namespace zkacc::prover;
  ThreadPool pool(2);
  const std::string dir = std::string(ZKACC_PROVER_DATA_DIR) + "/multiplier/";
  const Groth16Zkey zkey = read_zkey(dir + "multiplier.zkey", pool);
  const Witness witness = read_wtns(dir + "multiplier.wtns");
  auto counting = std::make_unique<PointCountingDevice>(std::make_unique<drivers::SimDevice>(drivers::msm_kernel_spec()));
  PointCountingDevice& device = *counting;
  auto backend = std::make_shared<DeviceBackend>("sim-prover", std::move(counting), nullptr);
  std::ostringstream warnings;  // the NTTs go to the CPU: this backend has no NTT kernel
  Scheduler scheduler({backend}, pool, SchedulerOptions{true, &warnings, 1, 0});
  RuntimeEngine engine(scheduler);
  auto rng = test::make_rng(94);
  const ProofRandomness rs{Fr::random(rng), Fr::random(rng)};
  const Proof cpu = prove(zkey, witness.values, rs, pool);
  const Proof first = prove(zkey, witness.values, rs, engine);
  const std::uint64_t uploads = backend->counters().point_uploads, bytes = device.point_bytes;
  // The G1 MSMs A, B1, C, H: each key span written once.
  std::size_t spans = 0;
  for (const auto* v : {&zkey.a, &zkey.b1, &zkey.c, &zkey.h}) spans += !v->empty();
  CHECK(uploads == spans);
  CHECK(bytes > 0);
  const Proof second = prove(zkey, witness.values, rs, engine);
  CHECK(backend->counters().point_uploads == uploads);
  CHECK(device.point_bytes == bytes);
  // A copy of the key is another key: its points are written.
  const Groth16Zkey copy = zkey;
  const Proof third = prove(copy, witness.values, rs, engine);
  CHECK(backend->counters().point_uploads == 2 * uploads);
  for (const Proof* p : {&first, &second, &third}) {
    CHECK(p->a == cpu.a);
    CHECK(p->b == cpu.b);
    CHECK(p->c == cpu.c);
  }
}
