// zkacc_msm_kernel (hw/rtl/kernel): the MSM bucket-accumulator kernel driven
// through its register map, with points, digits and buckets in the simulated
// card memory. Every bucket is compared with the C++ reference (the points of
// the bucket summed with G1Jacobian::add_mixed), as affine points; a bucket no
// pair touched must be exactly (0, 0, 0, 0). A run uses the digits
// first_window .. first_window + windows − 1 of each row as its windows
// 0 .. windows − 1 (the reference does the same). Every case runs on both
// configurations (sim/CMakeLists.txt): one lane with 16-bit digits (32 a
// row), and two lanes (two adders, windows split by parity) with 18-bit
// digits (28 a row); both have 2^12 buckets in all and 2 epoch bits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "Vzkacc_msm_kernel.h"
#include "Vzkacc_msm_kernel_cpp_adder.h"
#include "Vzkacc_msm_kernel_l2.h"
#include "Vzkacc_msm_kernel_l2_cpp_adder.h"
#ifdef ZKACC_SIM_MSM_KERNEL_L3
#include "Vzkacc_msm_kernel_l3.h"
#endif
#include "harness/sim_kernel.hpp"
#include "support/offset_recoding.hpp"
#include "support/test_rng.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/curve/bn254.hpp"
#include "zkacc/curve/xyzz.hpp"
#include "zkacc/field/bigint.hpp"
#include "zkacc/msm/pippenger.hpp"
#include "zkacc/msm/signed_digits.hpp"
#include "zkacc/runtime/device_msm.hpp"

namespace {

using zkacc::Fq;
using zkacc::Fr;
using zkacc::G1Affine;
using zkacc::G1Jacobian;
using zkacc::sim::AxiMemoryPort;
using zkacc::sim::AxiTiming;
using zkacc::sim::DeviceMemory;
using zkacc::sim::KernelHarness;
using Xyzz = zkacc::XyzzPoint<zkacc::Bn254G1Config>;
// A point's digit row; a model's row holds its first kRowDigitsOf<Model>.
using Digits = std::array<std::int32_t, 32>;

// Register map (docs/kernel_msm.md).
constexpr std::uint32_t kCtrl = 0x00;
constexpr std::uint32_t kNumPoints = 0x10, kWindows = 0x14, kBucketBits = 0x18, kFirstWindow = 0x1C;
constexpr std::uint32_t kPointsLo = 0x20, kDigitsLo = 0x28, kBucketsLo = 0x30, kPointsYLo = 0x38;
constexpr std::uint32_t kBuckets1Lo = 0x40, kBuckets2Lo = 0x48;  // lanes 1 and 2's buckets with lane ports
constexpr std::uint32_t kCyclesLo = 0x50, kAddsLo = 0x58, kParked = 0x60, kStalls = 0x64, kConfig = 0x68;
constexpr std::uint32_t kLanesReg = 0x6C, kLaneAddsLo = 0x70;  // lane l's additions at 0x70 + 4·l
constexpr std::uint32_t kStart = 1u << 0, kDone = 1u << 1;
constexpr std::uint32_t kContinue = 1u << 8, kHold = 1u << 9;  // window_bucket_bits flags
constexpr std::uint32_t kSplit = 1u << 11;  // the points address holds x, points_y y, two to a beat
constexpr std::uint32_t kLanePorts = 1u << 12;  // each lane writes its windows' buckets through a port of its own
constexpr std::uint32_t kErrDigit = 1u << 24, kErrRead = 1u << 25, kErrWrite = 1u << 26, kErrArgs = 1u << 27;

constexpr unsigned kModelBucketBits = 12;  // -GBucketBits of the models

// The models and their -GLanes. Each configuration is built twice
// (sim/CMakeLists.txt): with the point adder's simulation model (the
// *_cpp_adder models, held to the RTL adder cycle for cycle by
// g1_xyzz_madd_test.cpp), on which every case runs, and all RTL, on which
// the cases that exercise the adder inside the kernel run again: a full
// stream (utilization), doublings and negations reported by the adder, and
// a bucket reissued exactly at its write-back.
template <class Model> constexpr unsigned kLanes = 0;
template <> constexpr unsigned kLanes<Vzkacc_msm_kernel> = 1;
template <> constexpr unsigned kLanes<Vzkacc_msm_kernel_cpp_adder> = 1;
template <> constexpr unsigned kLanes<Vzkacc_msm_kernel_l2> = 2;
template <> constexpr unsigned kLanes<Vzkacc_msm_kernel_l2_cpp_adder> = 2;
#define MSM_KERNEL_MODELS Vzkacc_msm_kernel_cpp_adder, Vzkacc_msm_kernel_l2_cpp_adder
#define MSM_KERNEL_ALL_MODELS MSM_KERNEL_MODELS, Vzkacc_msm_kernel, Vzkacc_msm_kernel_l2
// -GBucketBits of each model.
template <class Model> constexpr unsigned kModelBucketBitsOf = kModelBucketBits;
// -GDigitBits of each model, and the digits a row holds.
template <class Model> constexpr unsigned kDigitBitsOf = 16;
template <> constexpr unsigned kDigitBitsOf<Vzkacc_msm_kernel_l2> = 18;
template <> constexpr unsigned kDigitBitsOf<Vzkacc_msm_kernel_l2_cpp_adder> = 18;
// The three-lane model (cmake -DZKACC_SIM_MSM_KERNEL_L3=ON) runs only the
// utilization measurement, at a card's window width: BucketBits 18, 2^16
// buckets per lane, 18-bit digits (the U250 build, c = 17).
#ifdef ZKACC_SIM_MSM_KERNEL_L3
template <> constexpr unsigned kLanes<Vzkacc_msm_kernel_l3> = 3;
template <> constexpr unsigned kModelBucketBitsOf<Vzkacc_msm_kernel_l3> = 18;
template <> constexpr unsigned kDigitBitsOf<Vzkacc_msm_kernel_l3> = 18;
#define MSM_KERNEL_UTIL_MODELS MSM_KERNEL_MODELS, Vzkacc_msm_kernel_l3
#else
#define MSM_KERNEL_UTIL_MODELS MSM_KERNEL_MODELS
#endif
constexpr unsigned kAdderLatency = 161;    // g1_xyzz_madd
constexpr std::uint64_t kBeat = 64;
// Above 4 GiB, so the high halves of the address registers matter.
constexpr std::uint64_t kBase = 0x20'0000'0000ull;
constexpr std::uint64_t kSize = 96ull << 20;  // the three-lane model's 2^16-bucket windows need 24 MiB
constexpr std::uint64_t kPointsAddr = kBase;
constexpr std::uint64_t kDigitsAddr = kBase + (24ull << 20);
constexpr std::uint64_t kBucketsAddr = kBase + (48ull << 20);
// Split points: x coordinates, y coordinates (small jobs only).
constexpr std::uint64_t kPointsXAddr = kBase + (84ull << 20);
constexpr std::uint64_t kPointsYAddr = kBase + (88ull << 20);

template <class Model>
struct Bench {
  static constexpr unsigned lanes = kLanes<Model>;
  static constexpr unsigned digit_bits = kDigitBitsOf<Model>;
  static constexpr unsigned row_digits = 512 / digit_bits;
  explicit Bench(const AxiTiming& timing = {})
      : points(h.add_port("points", ZKACC_AXI_MASTER_SIGNALS(h.model(), m_axi_points), timing)),
        digits(h.add_port("digits", ZKACC_AXI_MASTER_SIGNALS(h.model(), m_axi_digits), timing)),
        buckets(h.add_port("buckets", ZKACC_AXI_MASTER_SIGNALS(h.model(), m_axi_buckets), timing)),
        points_y(h.add_port("points_y", ZKACC_AXI_MASTER_SIGNALS(h.model(), m_axi_points_y), timing)) {
    h.reset();
    // After a reset the accumulator sweeps its bucket RAM (2^12 cycles here):
    // let it finish, so a run's cycle counts are its own.
    h.tick((1u << kModelBucketBitsOf<Model>) + 16);
  }
  DeviceMemory mem{kBase, kSize};
  KernelHarness<Model> h{mem};
  AxiMemoryPort& points;
  AxiMemoryPort& digits;
  AxiMemoryPort& buckets;
  AxiMemoryPort& points_y;
};

struct Job {
  std::vector<G1Affine> points;
  std::vector<Digits> digits;
  unsigned windows = 32;
  unsigned bucket_bits = 7;
  std::uint32_t first_window = 0;  // the run's window w is row digit first_window + w
  std::uint32_t bucket_flags = 0;  // kContinue, kHold, kScalars, kSplit: or-ed into window_bucket_bits
  std::uint64_t points_y_addr = kPointsYAddr;  // read only with kSplit
  std::uint64_t buckets_1_addr = 0, buckets_2_addr = 0;  // written only with kLanePorts
  std::size_t num_buckets() const { return std::size_t(windows) << bucket_bits; }
};

struct Result {
  std::vector<Xyzz> buckets;
  std::uint64_t cycles = 0;       // status: start to done
  std::uint64_t acc_cycles = 0;   // start to the first bucket write on the AXI port
  std::uint64_t adds = 0;
  std::uint32_t parked = 0, stalls = 0, config = 0;
  std::uint32_t lanes_word = 0;               // 0x6C: 7:0 lanes, 15:8 bucket bits per lane, 23:16 digit bits
  std::vector<std::uint32_t> lane_adds;       // 0x70 + 4·l
  double seconds = 0;             // wall time of the simulation
};

template <class Model>
void write64(Bench<Model>& b, std::uint32_t lo_reg, std::uint64_t v) {
  b.h.write_reg(lo_reg, static_cast<std::uint32_t>(v));
  b.h.write_reg(lo_reg + 4, static_cast<std::uint32_t>(v >> 32));
}

void write_fq(std::uint8_t* dst, const Fq& v) {
  const auto& r = v.montgomery_repr();
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t k = 0; k < 8; ++k) dst[8 * i + k] = static_cast<std::uint8_t>(r[i] >> (8 * k));
}
Fq read_fq(const std::uint8_t* src) {
  zkacc::BigInt<4> r{};
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t k = 0; k < 8; ++k) r[i] |= std::uint64_t(src[8 * i + k]) << (8 * k);
  return Fq::from_montgomery_unchecked(r);
}

// A digit row as the kernel reads it: digit w is `digit_bits` bits at bit
// digit_bits·w, two's complement, little-endian; the digits beyond the
// 512 / digit_bits a row holds are not written. Bit by bit, so that it
// shares nothing with the host's packing (runtime/device_msm.cpp).
std::vector<std::uint8_t> digit_beat(const Digits& row, unsigned digit_bits) {
  std::vector<std::uint8_t> beat(kBeat, 0);
  for (unsigned w = 0; w < 512 / digit_bits; ++w)
    for (unsigned k = 0; k < digit_bits; ++k)
      if ((static_cast<std::uint32_t>(row[w]) >> k) & 1) {
        const unsigned bit = w * digit_bits + k;
        beat[bit / 8] |= static_cast<std::uint8_t>(1u << (bit % 8));
      }
  return beat;
}

// Writes one point's beat (x | y, Montgomery form).
template <class Model>
void write_fq_point(Bench<Model>& b, const G1Affine& p, std::uint64_t addr) {
  std::vector<std::uint8_t> beat(kBeat);
  write_fq(beat.data(), p.x);
  write_fq(beat.data() + 32, p.y);
  b.mem.write(addr, beat.data(), kBeat);
}

// Writes the points as split points: x of point i at bits 256·(i mod 2) of
// beat i / 2 from x_addr, its y likewise from y_addr.
template <class Model>
void write_split_points(Bench<Model>& b, std::span<const G1Affine> points, std::uint64_t x_addr,
                        std::uint64_t y_addr) {
  std::array<std::uint8_t, 32> bytes{};
  for (std::size_t i = 0; i < points.size(); ++i) {
    write_fq(bytes.data(), points[i].x);
    b.mem.write(x_addr + i * 32, bytes.data(), bytes.size());
    write_fq(bytes.data(), points[i].y);
    b.mem.write(y_addr + i * 32, bytes.data(), bytes.size());
  }
}

// Writes the points and digit rows of `job` to card memory.
template <class Model>
void write_inputs(Bench<Model>& b, const Job& job, std::uint64_t points_addr = kPointsAddr,
                  std::uint64_t digits_addr = kDigitsAddr) {
  for (std::size_t i = 0; i < job.points.size(); ++i) {
    write_fq_point(b, job.points[i], points_addr + i * kBeat);
    b.mem.write(digits_addr + i * kBeat, digit_beat(job.digits[i], Bench<Model>::digit_bits).data(), kBeat);
  }
}

// Runs the kernel on the inputs already in card memory with the register
// values of `job`; waits for ap_done (polling the control register),
// tracking the first cycle the bucket port is active. Reads the buckets and
// the status back.
template <class Model>
Result run_written(Bench<Model>& b, const Job& job, std::uint64_t max_cycles,
                   std::uint64_t points_addr = kPointsAddr, std::uint64_t digits_addr = kDigitsAddr,
                   std::uint64_t buckets_addr = kBucketsAddr) {
  const std::size_t n = job.points.size();
  const std::size_t nb = job.num_buckets();
  if (b.mem.contains(buckets_addr, 2 * kBeat * nb)) b.mem.fill(buckets_addr, 2 * kBeat * nb, 0xA5);

  b.h.write_reg(kNumPoints, static_cast<std::uint32_t>(n));
  b.h.write_reg(kWindows, job.windows);
  b.h.write_reg(kBucketBits, job.bucket_bits | job.bucket_flags);
  b.h.write_reg(kFirstWindow, job.first_window);
  write64(b, kPointsLo, points_addr);
  write64(b, kDigitsLo, digits_addr);
  write64(b, kBucketsLo, buckets_addr);
  write64(b, kPointsYLo, job.points_y_addr);
  write64(b, kBuckets1Lo, job.buckets_1_addr);
  write64(b, kBuckets2Lo, job.buckets_2_addr);

  Result res;
  const auto t0 = std::chrono::steady_clock::now();
  b.h.write_reg(kCtrl, kStart);
  const std::uint64_t start = b.h.cycles();
  auto& io = b.h.model();
  for (;;) {
    for (int i = 0; i < 512; ++i) {
      b.h.tick();
      if (res.acc_cycles == 0 && (io.m_axi_buckets_awvalid || io.m_axi_buckets_wvalid))
        res.acc_cycles = b.h.cycles() - start;
    }
    if (b.h.read_reg(kCtrl) & kDone) break;
    INFO("kernel not done after " << b.h.cycles() - start << " cycles");
    REQUIRE(b.h.cycles() - start < max_cycles);
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  res.cycles = b.h.read_reg(kCyclesLo) | std::uint64_t(b.h.read_reg(kCyclesLo + 4)) << 32;
  res.adds = b.h.read_reg(kAddsLo) | std::uint64_t(b.h.read_reg(kAddsLo + 4)) << 32;
  res.parked = b.h.read_reg(kParked);
  res.stalls = b.h.read_reg(kStalls);
  res.config = b.h.read_reg(kConfig);
  res.lanes_word = b.h.read_reg(kLanesReg);
  for (unsigned l = 0; l < Bench<Model>::lanes; ++l) res.lane_adds.push_back(b.h.read_reg(kLaneAddsLo + 4 * l));
  if (b.mem.contains(buckets_addr, 2 * kBeat * nb)) {
    res.buckets.resize(nb);
    for (std::size_t k = 0; k < nb; ++k) {
      const std::uint8_t* p = b.mem.span(buckets_addr + 2 * kBeat * k, 2 * kBeat);
      res.buckets[k] = {read_fq(p), read_fq(p + 32), read_fq(p + 64), read_fq(p + 96)};
    }
  }
  return res;
}

// write_inputs, then run_written.
template <class Model>
Result run_kernel(Bench<Model>& b, const Job& job, std::uint64_t max_cycles,
                  std::uint64_t points_addr = kPointsAddr, std::uint64_t digits_addr = kDigitsAddr,
                  std::uint64_t buckets_addr = kBucketsAddr) {
  write_inputs(b, job, points_addr, digits_addr);
  return run_written(b, job, max_cycles, points_addr, digits_addr, buckets_addr);
}

// The reference: per bucket, the sum of its (possibly negated) points, and
// the number of pairs that went into it. The run's window w is row digit
// first_window + w.
struct Reference {
  std::vector<G1Affine> sums;
  std::vector<std::size_t> pairs;
  std::size_t total_pairs = 0;
  std::vector<std::size_t> lane_pairs;  // window w's pairs in lane w mod lanes
};

Reference reference(const Job& job, unsigned lanes) {
  const std::size_t nb = job.num_buckets();
  std::vector<G1Jacobian> acc(nb, G1Jacobian::infinity());
  Reference ref;
  ref.pairs.assign(nb, 0);
  ref.lane_pairs.assign(lanes, 0);
  for (std::size_t i = 0; i < job.points.size(); ++i) {
    for (unsigned w = 0; w < job.windows; ++w) {
      const int d = job.digits[i].at(job.first_window + w);
      if (d == 0) continue;
      const std::size_t k = (std::size_t(w) << job.bucket_bits) | std::size_t(std::abs(d) - 1);
      acc[k] = acc[k].add_mixed(d < 0 ? -job.points[i] : job.points[i]);
      ++ref.pairs[k];
      ++ref.total_pairs;
      ++ref.lane_pairs[w % lanes];
    }
  }
  ref.sums.resize(nb);
  zkacc::batch_to_affine<zkacc::Bn254G1Config>(acc, ref.sums);
  return ref;
}

std::string hex(const Fq& v) { return "0x" + zkacc::bigint::to_hex(v.montgomery_repr()); }

// Every bucket against the reference; the counters against the pair count;
// the lane configuration and each lane's additions.
void check_buckets(const Job& job, const Result& res, const Reference& ref, unsigned model_bucket_bits,
                   unsigned digit_bits) {
  REQUIRE(res.buckets.size() == job.num_buckets());
  std::size_t bad = 0;
  for (std::size_t k = 0; k < res.buckets.size(); ++k) {
    const Xyzz& got = res.buckets[k];
    bool ok;
    if (ref.pairs[k] == 0) {
      ok = got.x.is_zero() && got.y.is_zero() && got.zz.is_zero() && got.zzz.is_zero();
    } else if (ref.sums[k].is_infinity()) {
      ok = got.zz.is_zero() && got.zzz.is_zero();
    } else {
      // A valid XYZZ point: ZZ^3 = ZZZ^2, then x = X/ZZ, y = Y/ZZZ.
      ok = !got.zz.is_zero() && got.zz.square() * got.zz == got.zzz.square() && got.to_affine() == ref.sums[k];
    }
    if (!ok && bad++ < 4) {
      UNSCOPED_INFO("bucket " << k << " (" << ref.pairs[k] << " pairs): got (" << hex(got.x) << ", " << hex(got.y)
                              << ", " << hex(got.zz) << ", " << hex(got.zzz) << "), expected ("
                              << hex(ref.sums[k].x) << ", " << hex(ref.sums[k].y) << ")");
    }
  }
  CHECK(bad == 0);
  CHECK(res.adds == ref.total_pairs);
  CHECK((res.config & 0xFF) == model_bucket_bits);
  CHECK(((res.config >> 8) & 0xFFFF) == kAdderLatency);
  CHECK((res.config >> 24) == 0);
  const unsigned lanes = static_cast<unsigned>(ref.lane_pairs.size());
  CHECK((res.lanes_word & 0xFF) == lanes);
  CHECK(((res.lanes_word >> 8) & 0xFF) == model_bucket_bits - unsigned(std::bit_width(lanes - 1)));
  CHECK(((res.lanes_word >> 16) & 0xFF) == digit_bits);
  // Continue/hold, scalars and split points supported; lane ports with 2 or 3 lanes.
  CHECK((res.lanes_word >> 24) == (lanes == 2 || lanes == 3 ? 15u : 7u));
  REQUIRE(res.lane_adds.size() == lanes);
  for (unsigned l = 0; l < lanes; ++l) {
    INFO("lane " << l);
    CHECK(res.lane_adds[l] == static_cast<std::uint32_t>(ref.lane_pairs[l]));
  }
}

// Runs `job` (writing its inputs first unless `written`), checks every
// bucket and that no RTL assertion fired.
template <class Model>
Result run_and_check(Bench<Model>& b, const Job& job, std::uint64_t max_cycles, bool written = false) {
  SEED_INFO();
  INFO(Bench<Model>::lanes << " lane(s), first window " << job.first_window << ", " << job.windows << " windows");
  const std::uint64_t failures = b.h.assertion_failures();
  const Reference ref = reference(job, Bench<Model>::lanes);
  const Result res = written ? run_written(b, job, max_cycles) : run_kernel(b, job, max_cycles);
  check_buckets(job, res, ref, kModelBucketBitsOf<Model>, Bench<Model>::digit_bits);
  CHECK(b.h.assertion_failures() == failures);
  return res;
}

// Points P0 + i·T (one addition each, then one batch normalization).
std::vector<G1Affine> random_points(std::size_t n, std::mt19937_64& rng) {
  const G1Jacobian step = G1Jacobian::generator().mul_vartime(Fr::random(rng).to_canonical());
  G1Jacobian p = G1Jacobian::generator().mul_vartime(Fr::random(rng).to_canonical());
  std::vector<G1Jacobian> jac(n);
  for (auto& q : jac) {
    q = p;
    p = p + step;
  }
  std::vector<G1Affine> out(n);
  zkacc::batch_to_affine<zkacc::Bn254G1Config>(jac, out);
  return out;
}

// Signed c-bit digits of random scalars (c = 8: 32 windows of 128 buckets,
// b = 7), as the host computes them (point-major rows, window w at digit w;
// c >= 8, at most 32 windows).
std::vector<Digits> scalar_digits(const std::vector<Fr>& scalars, unsigned c = 8) {
  REQUIRE(zkacc::num_windows(c) <= 32);
  std::vector<Digits> rows(scalars.size());
  for (std::size_t i = 0; i < scalars.size(); ++i)
    zkacc::for_each_signed_digit(scalars[i].to_canonical(), c, [&](std::size_t w, std::int32_t d) { rows[i][w] = d; });
  return rows;
}

// n random points and scalars, and the job of the scalars' signed c-bit
// digits (2^(c − 1) buckets a window); the scalars stay for the MSM check.
struct ScalarJob {
  Job job;
  std::vector<Fr> scalars;
};
ScalarJob random_scalar_job(std::size_t n, unsigned c, std::mt19937_64& rng) {
  ScalarJob out;
  out.job.points = random_points(n, rng);
  out.scalars.resize(n);
  for (auto& s : out.scalars) s = Fr::random(rng);
  out.job.digits = scalar_digits(out.scalars, c);
  out.job.bucket_bits = c - 1;
  return out;
}

Digits random_row(std::mt19937_64& rng, unsigned windows, unsigned bucket_bits, double zero_p = 0.0) {
  Digits row{};
  std::bernoulli_distribution zero(zero_p);
  const int half = 1 << bucket_bits;
  std::uniform_int_distribution<int> digit(-half, half);
  for (unsigned w = 0; w < windows; ++w) {
    int d = 0;
    while (!zero(rng) && d == 0) d = digit(rng);
    row[w] = d;
  }
  return row;
}

Job random_job(std::size_t n, unsigned windows, unsigned bucket_bits, std::mt19937_64& rng, double zero_p = 0.0) {
  Job job;
  job.windows = windows;
  job.bucket_bits = bucket_bits;
  job.points = random_points(n, rng);
  for (std::size_t i = 0; i < n; ++i) job.digits.push_back(random_row(rng, windows, bucket_bits, zero_p));
  return job;
}

// Σ_w 2^(c·w) Σ_j (j + 1)·B[w][j] from the kernel's buckets of all windows
// (2^(c−1) per window; running sums, then Horner over the windows): the MSM
// the host finishes.
G1Jacobian combine(const std::vector<Xyzz>& buckets, unsigned c) {
  const std::size_t per_window = std::size_t(1) << (c - 1);
  REQUIRE(buckets.size() % per_window == 0);
  G1Jacobian total = G1Jacobian::infinity();
  for (std::size_t w = buckets.size() / per_window; w-- > 0;) {
    for (unsigned k = 0; k < c; ++k) total = total.dbl();
    G1Jacobian running = G1Jacobian::infinity(), sum = G1Jacobian::infinity();
    for (std::size_t j = per_window; j-- > 0;) {
      running = running + buckets[w * per_window + j].to_jacobian();
      sum = sum + running;
    }
    total = total + sum;
  }
  return total;
}

std::uint64_t pairs_bound(std::size_t pairs) { return 4 * pairs + 200'000; }

}  // namespace

TEMPLATE_TEST_CASE("msm kernel: random points and scalars at 2^10 points and c = 8",
                   "[rtl][msm_kernel]", MSM_KERNEL_ALL_MODELS) {
  auto rng = zkacc::test::make_rng(0x4d534b01);
  zkacc::ThreadPool pool(1);
  Bench<TestType> b;
  const std::size_t n = 1024;
  auto [job, scalars] = random_scalar_job(n, 8, rng);
  // c = 8 has 32 windows: all of them in a 32-digit row, one run; a 28-digit
  // row holds the first 28 (the MSM in several runs is a test of its own).
  job.windows = b.row_digits;
  const Result res = run_and_check(b, job, pairs_bound(32 * n));
  // The buckets finish the MSM (what the host does with them).
  if (job.windows == 32) {
    const G1Jacobian expected = zkacc::msm<zkacc::Bn254G1Config>(job.points, scalars, pool);
    CHECK(combine(res.buckets, 8).to_affine() == expected.to_affine());
  }
  // Utilization: additions per cycle from start to the first bucket write
  // (the accumulation phase, with the memory latency at its start and the
  // adder's drain at its end), per lane: each lane's adder busy on 90% of
  // the cycles or more.
  const double util = double(res.adds) / double(res.acc_cycles);
  std::cerr << "msm kernel (" << b.lanes << " lane(s)) at 2^10 points, " << job.windows << " windows: " << res.adds
            << " additions in " << res.acc_cycles << " accumulation cycles (" << util << " per cycle), "
            << res.cycles << " cycles start to done, " << res.parked << " parked, " << res.stalls
            << " input stall cycles; " << res.seconds << " s, " << double(res.cycles) / res.seconds / 1e3
            << " k cycles/s\n";
  for (unsigned l = 0; l < b.lanes; ++l) {
    INFO("lane " << l);
    CHECK(double(res.lane_adds[l]) / double(res.acc_cycles) >= 0.90);
  }
}

// 2^16 points: within seconds only with the adder model (the all-RTL kernel
// would need some ten minutes for these 2^20 additions).
TEMPLATE_TEST_CASE("msm kernel: 2^16 random points and scalars, c = 8, against the CPU MSM",
                   "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  auto rng = zkacc::test::make_rng(0x4d534b10);
  zkacc::ThreadPool pool(1);
  Bench<TestType> b;
  const std::size_t n = std::size_t(1) << 16;
  // Scalars below 2^127: their signed 8-bit digits fill 16 windows (no carry
  // out of the top one), 2^20 additions.
  std::vector<Fr> scalars(n);
  for (Fr& s : scalars) s = Fr::from_canonical({rng(), rng() >> 1, 0, 0});
  Job job;
  job.points = random_points(n, rng);
  job.digits = scalar_digits(scalars, 8);
  job.bucket_bits = 7;
  job.windows = 16;
  const Result res = run_and_check(b, job, pairs_bound(16 * n));
  const G1Jacobian expected = zkacc::msm<zkacc::Bn254G1Config>(job.points, scalars, pool);
  CHECK(combine(res.buckets, 8).to_affine() == expected.to_affine());
  std::cerr << "msm kernel (" << b.lanes << " lane(s)) at 2^16 points, 16 windows: " << res.cycles << " cycles, "
            << res.seconds << " s, " << double(res.cycles) / res.seconds / 1e3 << " k cycles/s\n";
}

TEMPLATE_TEST_CASE("msm kernel: zero digits and points at infinity", "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  auto rng = zkacc::test::make_rng(0x4d534b02);
  Bench<TestType> b;
  Job job = random_job(300, b.row_digits, 3, rng, 0.5);
  for (std::size_t i = 0; i < job.points.size(); ++i) {
    if (i % 7 == 3) job.points[i] = G1Affine::infinity();
    if (i % 11 == 5) job.digits[i] = Digits{};  // a point with no pair at all
  }
  // A run of all-zero rows, and points at infinity with negative digits.
  for (std::size_t i = 100; i < 140; ++i) job.digits[i] = Digits{};
  for (std::size_t i = 200; i < 210; ++i) {
    job.points[i] = G1Affine::infinity();
    for (auto& d : job.digits[i]) d = -1 - int(i % 5);
  }
  run_and_check(b, job, pairs_bound(32 * 300));
}

TEMPLATE_TEST_CASE("msm kernel: P and -P in one bucket and the same point twice",
                   "[rtl][msm_kernel]", MSM_KERNEL_ALL_MODELS) {
  auto rng = zkacc::test::make_rng(0x4d534b03);
  Bench<TestType> b;
  // One window (one pair per point), so the pairs of a bucket follow each
  // other closely and go through the conflict queue.
  Job job;
  job.windows = 1;
  job.bucket_bits = 8;
  const auto pts = random_points(64, rng);
  auto add = [&](const G1Affine& p, int d) {
    job.points.push_back(p);
    Digits row{};
    row[0] = d;
    job.digits.push_back(row);
  };
  for (int k = 0; k < 16; ++k) {
    add(pts[k], 1 + k);          // bucket k: P, then -P (digit -d): infinity
    add(pts[k], -(1 + k));
    add(pts[16 + k], 20 + k);    // bucket 19 + k: P twice (a doubling)
    add(pts[16 + k], 20 + k);
    add(pts[32 + k], -(40 + k)); // bucket 39 + k: -P, -P, P: -P
    add(pts[32 + k], -(40 + k));
    add(pts[32 + k], 40 + k);
    add(pts[48 + k], 60 + k);    // bucket 59 + k: P, -P, then Q (from infinity again)
    add(pts[48 + k], -(60 + k));
    add(pts[(48 + k + 1) % 64], 60 + k);
  }
  // The same with the pairs far apart (after the first ones are written back).
  for (int k = 0; k < 16; ++k) add(pts[k], 100 + k);
  for (int k = 0; k < 200; ++k) add(pts[k % 64], 200 + (k % 50));  // spacer: buckets 199..248
  for (int k = 0; k < 16; ++k) add(pts[k], -(100 + k));
  for (int k = 0; k < 16; ++k) add(pts[16 + k], 120 + k);
  for (int k = 0; k < 200; ++k) add(pts[k % 64], 200 + (k % 50));
  for (int k = 0; k < 16; ++k) add(pts[16 + k], 120 + k);
  const Result res = run_and_check(b, job, pairs_bound(job.points.size() * 140));
  CHECK(res.parked > 0);
}

TEMPLATE_TEST_CASE("msm kernel: every point in one bucket", "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  auto rng = zkacc::test::make_rng(0x4d534b04);
  Bench<TestType> b;
  Job job;
  job.windows = 1;
  job.bucket_bits = 7;
  job.points = random_points(100, rng);
  for (std::size_t i = 0; i < job.points.size(); ++i) {
    Digits row{};
    row[0] = i % 3 == 2 ? -5 : 5;  // all in bucket 4
    job.digits.push_back(row);
  }
  const Result res = run_and_check(b, job, 100 * (kAdderLatency + 20) + 100'000);
  // One addition per 165 cycles (select to write-back): the rest wait in the
  // queue, then upstream.
  CHECK(res.parked > 0);
  CHECK(res.stalls > 0);
  CHECK(res.acc_cycles >= 99 * (kAdderLatency + 4));
}

TEMPLATE_TEST_CASE("msm kernel: n = 1 and n and bucket counts that are not multiples of anything",
                   "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  auto rng = zkacc::test::make_rng(0x4d534b05);
  Bench<TestType> b;
  SECTION("one point, every window") {
    Job job = random_job(1, b.row_digits, 2, rng);
    run_and_check(b, job, 100'000);
  }
  SECTION("437 points, 13 windows of 32 buckets") {
    Job job = random_job(437, 13, 5, rng, 0.1);
    run_and_check(b, job, pairs_bound(13 * 437));
  }
  SECTION("3 windows of 2^10 buckets: on two lanes, lane 0's buckets exactly") {
    Job job = random_job(200, 3, 10, rng);
    run_and_check(b, job, pairs_bound(3 * 200) + 4 * (3u << 10));
  }
  SECTION("no points") {
    Job job = random_job(0, 5, 3, rng);
    run_and_check(b, job, 100'000);
  }
}

TEMPLATE_TEST_CASE("msm kernel: a bucket again exactly when its write-back happens",
                   "[rtl][msm_kernel]", MSM_KERNEL_ALL_MODELS) {
  // With one window and one pair per cycle, bucket i mod p recurs every p
  // cycles. The select-to-write-back distance d is 165 cycles (issue register,
  // 3 cycles of RAM read and negation, 161 in the adder): p = d meets the
  // write-back in the same cycle, p = d − 1 must wait one cycle, p = d + 1 never.
  constexpr unsigned d = kAdderLatency + 4;
  auto rng = zkacc::test::make_rng(0x4d534b06);
  Bench<TestType> b;
  const auto pts = random_points(600, rng);
  for (unsigned period : {d - 2, d - 1, d, d + 1}) {
    INFO("period " << period);
    Job job;
    job.windows = 1;
    job.bucket_bits = 8;
    job.points = pts;
    for (std::size_t i = 0; i < pts.size(); ++i) {
      Digits row{};
      row[0] = i % 2 ? 1 + int(i % period) : -1 - int(i % period);
      job.digits.push_back(row);
    }
    const Result res = run_and_check(b, job, pairs_bound(pts.size()));
    if (period >= d) CHECK(res.parked < 8);  // only while the read streams start up
    else CHECK(res.parked > 300);
  }
}

TEMPLATE_TEST_CASE("msm kernel: repeated runs reuse the buckets (epoch wrap and RAM sweep)",
                   "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  // The model has 2 epoch bits: runs 1..3 after a sweep use epochs 1..3, the
  // 4th sweeps again (2^12 cycles) before it starts; here the 4th has no
  // points, so its flush also arrives during the sweep, and the 7th has
  // points waiting for the sweep. A bucket written in an earlier run and not
  // touched now must read zero.
  auto rng = zkacc::test::make_rng(0x4d534b07);
  Bench<TestType> b;
  for (int run = 0; run < 8; ++run) {
    INFO("run " << run);
    // Alternate wide jobs with narrow ones, so most buckets go stale.
    Job job = run == 3 ? random_job(0, 8, 4, rng)
              : run % 2 == 0 ? random_job(100, 8, 4, rng) : random_job(50, 3, 4, rng, 0.3);
    run_and_check(b, job, pairs_bound(8 * 100));
  }
}

TEMPLATE_TEST_CASE("msm kernel: memory backpressure on every port", "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  auto rng = zkacc::test::make_rng(0x4d534b08);
  AxiTiming slow;
  slow.read_latency = 60;
  slow.write_latency = 25;
  slow.ready_probability = 0.5;
  slow.valid_probability = 0.6;
  slow.seed = rng();
  Bench<TestType> b(slow);
  Job job = random_job(150, b.row_digits, 3, rng, 0.05);
  run_and_check(b, job, pairs_bound(32 * 150) * 4);
}

TEMPLATE_TEST_CASE("msm kernel: bad arguments and out-of-range digits are reported",
                   "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  auto rng = zkacc::test::make_rng(0x4d534b09);
  Bench<TestType> b;
  SECTION("bad arguments finish at once, without memory traffic") {
    struct Bad {
      const char* what;
      unsigned windows, bucket_bits;
      std::uint64_t offset;
      unsigned min_lanes = 1;  // bad from this many lanes on (valid with fewer)
      std::uint32_t first_window = 0;
    };
    // R: the digits a row holds (32, or 28 with 18-bit digits).
    const unsigned R = b.row_digits;
    for (const Bad& bad : {Bad{"no windows", 0, 7, 0}, Bad{"R + 1 windows", R + 1, 7, 0},
                           Bad{"33 windows", 33, 7, 0},
                           Bad{"more buckets than the RAM", R, 8, 0}, Bad{"unaligned address", R, 7, 8},
                           Bad{"one window of 2^12 buckets: more than a lane holds", 1, 12, 0, 2},
                           Bad{"first window 1 with R windows", R, 1, 0, 1, 1},
                           Bad{"first window R - 2 with 3 windows", 3, 3, 0, 1, R - 2},
                           Bad{"first window R with one window", 1, 1, 0, 1, R},
                           Bad{"first window 32 with one window", 1, 1, 0, 1, 32},
                           Bad{"first window 2^32 - 1 with one window (the 32-bit sum wraps to 0)", 1, 1, 0, 1,
                               0xFFFF'FFFFu}}) {
      if (b.lanes < bad.min_lanes) continue;
      INFO(bad.what << " (R = " << R << ")");
      Job job = random_job(10, R, 1, rng);
      job.windows = bad.windows;
      job.bucket_bits = bad.bucket_bits;
      job.first_window = bad.first_window;
      const auto reads = b.points.stats().read_beats + b.digits.stats().read_beats;
      const auto writes = b.buckets.stats().write_beats;
      const Result res = run_kernel(b, job, 10'000, kPointsAddr + bad.offset);
      CHECK((res.config & kErrArgs) != 0);
      CHECK(b.points.stats().read_beats + b.digits.stats().read_beats == reads);
      CHECK(b.buckets.stats().write_beats == writes);
    }
    CHECK(b.h.assertion_failures() == 0);
    // The kernel still works afterwards.
    Job job = random_job(20, 4, 3, rng);
    run_and_check(b, job, 100'000);
  }
  SECTION("a digit above 2^b sets the digit error (and the RTL assertion fires)") {
    Job job = random_job(20, 4, 3, rng);
    job.digits[7][2] = 9;  // |d| <= 8 for b = 3
    const Result res = run_kernel(b, job, 100'000);
    CHECK((res.config & kErrDigit) != 0);
    CHECK((res.config & (kErrRead | kErrWrite | kErrArgs)) == 0);
    CHECK(b.h.assertion_failures() > 0);
  }
  SECTION("a digit whose low 16 bits are in range is read whole (18-bit digits)") {
    if (b.digit_bits == 16) return;  // such a digit does not fit 16 bits
    // 2^16 + 5 and −(2^16 + 5): a kernel reading 16 bits of them would see 5
    // and −5, both valid for b = 3.
    Job job = random_job(20, 4, 3, rng);
    job.digits[7][1] = 65536 + 5;
    job.digits[9][3] = -(65536 + 5);
    const Result res = run_kernel(b, job, 100'000);
    CHECK((res.config & kErrDigit) != 0);
    CHECK((res.config & (kErrRead | kErrWrite | kErrArgs)) == 0);
  }
}

TEMPLATE_TEST_CASE("msm kernel: first_window picks the run's windows out of a digit row",
                   "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  // Each run uses digits first_window .. first_window + windows − 1 of the
  // rows as its windows 0 .. windows − 1. The other digits of every row are
  // out of range for any b here (the largest and smallest D-bit values):
  // read by mistake, they would set the digit error, fire the RTL assertion
  // and add pairs, which check_buckets sees (error bits, additions, per-lane
  // additions, every bucket). R digits a row: the cases end at the row's end.
  auto rng = zkacc::test::make_rng(0x4d534b0c);
  Bench<TestType> b;
  const unsigned R = b.row_digits;
  const int top = (1 << (b.digit_bits - 1)) - 1, bottom = -(1 << (b.digit_bits - 1));
  struct Case {
    unsigned first_window, windows, bucket_bits;
  };
  for (const Case& cs : {Case{1, R - 1, 2}, Case{13, 5, 7}, Case{R - 16, 16, 7}, Case{R - 3, 3, 4},
                         Case{R - 1, 1, 10}}) {
    INFO("first window " << cs.first_window << ", " << cs.windows << " windows of 2^" << cs.bucket_bits);
    Job job = random_job(60, R, cs.bucket_bits, rng, 0.2);
    job.first_window = cs.first_window;
    job.windows = cs.windows;
    for (std::size_t i = 0; i < job.points.size(); ++i)
      for (unsigned w = 0; w < R; ++w)
        if (w < cs.first_window || w >= cs.first_window + cs.windows) job.digits[i][w] = (i + w) % 2 ? top : bottom;
    run_and_check(b, job, pairs_bound(60 * cs.windows) + 4 * (std::size_t(cs.windows) << cs.bucket_bits));
  }
}

TEMPLATE_TEST_CASE("msm kernel: an MSM in several runs over digit rows written once",
                   "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  // What the host does: c = 10 gives 26 windows of 512 buckets, more than
  // one run holds (2^12 buckets: 8 windows a run on either model), so the
  // runs of runtime::device_msm_runs go over the rows written once, each
  // naming its first window. Every run's buckets are checked; together they
  // finish the MSM and equal zkacc::msm; each run reads every row once.
  constexpr unsigned c = 10;
  auto rng = zkacc::test::make_rng(0x4d534b0d);
  zkacc::ThreadPool pool(1);
  Bench<TestType> b;
  const std::size_t n = 128;
  auto [job, scalars] = random_scalar_job(n, c, rng);
  const std::size_t windows = zkacc::num_windows(c);
  const std::size_t group = zkacc::runtime::device_windows_per_run(c, kModelBucketBits, b.lanes, b.digit_bits);
  const auto runs = zkacc::runtime::device_msm_runs(windows, group, b.row_digits);
  REQUIRE(runs.size() > 1);
  REQUIRE(std::count_if(runs.begin(), runs.end(), [](const auto& r) { return r.new_rows; }) == 1);
  write_inputs(b, job);
  const auto digit_beats = b.digits.stats().read_beats;
  std::vector<Xyzz> buckets;
  for (const auto& run : runs) {
    INFO("run from window " << run.window);
    REQUIRE(run.first_window == run.window);  // one set of rows: row digit w is window w
    job.first_window = static_cast<std::uint32_t>(run.first_window);
    job.windows = static_cast<unsigned>(run.windows);
    const Result res = run_and_check(b, job, pairs_bound(n * run.windows) + 4 * (run.windows << (c - 1)), true);
    buckets.insert(buckets.end(), res.buckets.begin(), res.buckets.end());
  }
  CHECK(b.digits.stats().read_beats - digit_beats == runs.size() * n);
  REQUIRE(buckets.size() == windows << (c - 1));
  const G1Jacobian expected = zkacc::msm<zkacc::Bn254G1Config>(job.points, scalars, pool);
  CHECK(combine(buckets, c).to_affine() == expected.to_affine());
}

// Points [begin, end) of `job` as a job of their own, for one launch of a
// run accumulated over several (its inputs are at begin·64 from the bases).
Job chunk_of(const Job& job, std::size_t begin, std::size_t end, std::uint32_t flags) {
  Job part = job;
  part.points.assign(job.points.begin() + std::ptrdiff_t(begin), job.points.begin() + std::ptrdiff_t(end));
  part.digits.assign(job.digits.begin() + std::ptrdiff_t(begin), job.digits.begin() + std::ptrdiff_t(end));
  part.bucket_flags = flags;
  return part;
}

TEMPLATE_TEST_CASE("msm kernel: a run accumulated over several launches with hold and continue",
                   "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  // The host's chunked first run: each launch takes its range of points
  // (addresses moved on), every launch but the last holds its buckets and
  // writes nothing, every one but the first continues. The last launch's
  // buckets must equal one run over all the points; each launch reports its
  // own additions. Ranges of uneven sizes and an empty one; the second job
  // puts every point in one bucket, so the launches' boundaries fall inside
  // a chain of dependent additions (and doublings).
  auto rng = zkacc::test::make_rng(0x4d534b0e);
  Bench<TestType> b;
  for (int which = 0; which < 2; ++which) {
    INFO((which == 0 ? "random digits" : "every point in one bucket"));
    Job job = random_job(which == 0 ? 230 : 90, which == 0 ? 5 : 2, 4, rng, 0.1);
    job.first_window = which == 0 ? 2 : 0;
    if (which == 0) {
      job.windows = 3;  // row digits 2..4
    } else {
      for (auto& row : job.digits) row.fill(0), row[1] = -3;
      // The bucket after point 0 is −P0; point 1 = P0 makes the first addition
      // of the second launch a doubling.
      job.points[1] = job.points[0];
    }
    const std::size_t n = job.points.size();
    const std::vector<std::size_t> cuts = which == 0 ? std::vector<std::size_t>{0, 37, 37, 150, n}
                                                     : std::vector<std::size_t>{0, 1, 60, n};
    write_inputs(b, job);
    const Reference whole = reference(job, b.lanes);
    const std::uint64_t failures = b.h.assertion_failures();
    Result res;
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
      const bool last = k + 2 == cuts.size();
      INFO("launch " << k << ": points " << cuts[k] << ".." << cuts[k + 1]);
      const Job part = chunk_of(job, cuts[k], cuts[k + 1], (k > 0 ? kContinue : 0) | (last ? 0 : kHold));
      const auto bucket_writes = b.buckets.stats().write_beats;
      res = run_written(b, part, pairs_bound(n * job.windows) + 4 * job.num_buckets(), kPointsAddr + cuts[k] * kBeat,
                        kDigitsAddr + cuts[k] * kBeat);
      CHECK((res.config >> 24) == 0);
      CHECK(res.adds == reference(part, b.lanes).total_pairs);
      if (!last) CHECK(b.buckets.stats().write_beats == bucket_writes);  // a held run writes nothing
    }
    // The last launch's output: every bucket as one run over all points.
    Job tail = chunk_of(job, cuts[cuts.size() - 2], n, kContinue);
    res.adds = whole.total_pairs;  // the counters are per launch, checked above
    res.lane_adds.clear();
    for (unsigned l = 0; l < b.lanes; ++l) res.lane_adds.push_back(static_cast<std::uint32_t>(whole.lane_pairs[l]));
    check_buckets(tail, res, whole, kModelBucketBitsOf<TestType>, b.digit_bits);
    CHECK(b.h.assertion_failures() == failures);
  }

  SECTION("a continue without held buckets of the same windows is a bad argument") {
    Job job = random_job(40, 4, 3, rng);
    write_inputs(b, job);
    auto refused = [&](const Job& j, const char* what) {
      INFO(what);
      const auto reads = b.points.stats().read_beats + b.digits.stats().read_beats;
      const auto writes = b.buckets.stats().write_beats;
      const Result res = run_written(b, j, 10'000);
      CHECK((res.config & kErrArgs) != 0);
      CHECK(b.points.stats().read_beats + b.digits.stats().read_beats == reads);
      CHECK(b.buckets.stats().write_beats == writes);
    };
    // After the runs above, whose last one wrote its buckets: nothing held.
    refused(chunk_of(job, 0, 40, kContinue), "continue after a run that wrote its buckets");
    run_written(b, chunk_of(job, 0, 20, kHold), 100'000);
    Job wider = chunk_of(job, 20, 40, kContinue);
    wider.windows = 3;
    refused(wider, "continue with other windows");
    // The refused start dropped the held buckets.
    refused(chunk_of(job, 20, 40, kContinue), "continue after a refused start");
    run_written(b, chunk_of(job, 0, 20, kHold), 100'000);
    Job other_b = chunk_of(job, 20, 40, kContinue);
    other_b.bucket_bits = 2;
    refused(other_b, "continue with other bucket bits");
    run_written(b, chunk_of(job, 0, 20, kHold), 100'000);
    Job other_first = chunk_of(job, 20, 40, kContinue);
    other_first.first_window = 1;
    refused(other_first, "continue with another first window");
    refused(chunk_of(job, 0, 40, 1u << 13), "a reserved bit of window_bucket_bits");
    refused(chunk_of(job, 0, 40, 1u << 5), "bucket bits beyond their 5 bits");
    CHECK(b.h.assertion_failures() == 0);
    // A fresh start after a held run starts on empty buckets.
    run_written(b, chunk_of(job, 0, 20, kHold), 100'000);
    run_and_check(b, job, 100'000, true);
  }
}

constexpr std::uint32_t kScalars = 1u << 10;  // window_bucket_bits flag: the digits address holds scalars

// The offset recoding, bit by bit (tests/support/offset_recoding.hpp), as
// a digit row.
Digits offset_digits(const zkacc::BigInt<4>& k, unsigned c) {
  const std::vector<std::int32_t> d = zkacc::test::offset_recoding_digits(k, c);
  Digits row{};
  for (std::size_t w = 0; w < d.size(); ++w) row.at(w) = d[w];
  return row;
}

// Scalars two to a 64-byte beat, scalar i at byte 32·i, little-endian.
template <class Model>
void write_scalars(Bench<Model>& b, const std::vector<zkacc::BigInt<4>>& scalars, std::uint64_t addr) {
  std::vector<std::uint8_t> bytes((scalars.size() + 1) / 2 * kBeat, 0xEE);  // an odd count's last half: junk
  for (std::size_t i = 0; i < scalars.size(); ++i)
    for (std::size_t l = 0; l < 4; ++l)
      for (std::size_t k = 0; k < 8; ++k) bytes[32 * i + 8 * l + k] = std::uint8_t(scalars[i][l] >> (8 * k));
  b.mem.write(addr, bytes.data(), bytes.size());
}

TEMPLATE_TEST_CASE("msm kernel: scalars sliced on the card give the host's digit rows",
                   "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  // The digits address holds the scalars (kScalars); the kernel slices them
  // with msm_scalar_slicer. c = 10: 26 windows of 512 buckets, eight a run
  // on either model, so the runs of device_msm_runs name their first
  // windows in the on-card rows. Every run's buckets against the reference
  // of the independently recoded digits; together they finish the MSM and
  // equal zkacc::msm. An odd count (the last beat half used) and the
  // extremes: 0, 1, r − 1, (r − 1)/2, 2^253. The first run also goes as two
  // launches with hold and continue (a chunk boundary at an even point).
  constexpr unsigned c = 10;
  auto rng = zkacc::test::make_rng(0x4d534b0f);
  zkacc::ThreadPool pool(1);
  Bench<TestType> b;
  const std::size_t n = 151;
  Job job;
  job.points = random_points(n, rng);
  job.bucket_bits = c - 1;
  std::vector<zkacc::BigInt<4>> scalars(n);
  for (auto& k : scalars) k = Fr::random(rng).to_canonical();
  zkacc::BigInt<4> r_minus_1 = Fr::kModulus;
  r_minus_1[0] -= 1;
  scalars[0] = {};
  scalars[1] = zkacc::bigint::from_u64<4>(1);
  scalars[2] = r_minus_1;
  for (std::size_t l = 0; l < 4; ++l) scalars[3][l] = (r_minus_1[l] >> 1) | (l + 1 < 4 ? r_minus_1[l + 1] << 63 : 0);
  scalars[4] = {};
  scalars[4][3] = std::uint64_t(1) << 61;  // 2^253
  scalars[n - 1] = r_minus_1;              // the last, alone in its beat
  for (const auto& k : scalars) job.digits.push_back(offset_digits(k, c));
  for (std::size_t i = 0; i < n; ++i) write_fq_point(b, job.points[i], kPointsAddr + i * kBeat);
  write_scalars(b, scalars, kDigitsAddr);

  const std::size_t windows = zkacc::num_windows(c);
  const std::size_t group = zkacc::runtime::device_windows_per_run(c, kModelBucketBits, b.lanes, b.digit_bits);
  const auto runs = zkacc::runtime::device_msm_runs(windows, group, b.row_digits);
  REQUIRE(runs.size() > 1);
  REQUIRE(std::count_if(runs.begin(), runs.end(), [](const auto& r) { return r.new_rows; }) == 1);
  const auto digit_beats = b.digits.stats().read_beats;
  const std::uint64_t failures = b.h.assertion_failures();
  std::vector<Xyzz> buckets;
  std::uint64_t last_cycles = 0;  // the last run's, start to done
  for (std::size_t g = 0; g < runs.size(); ++g) {
    const auto& run = runs[g];
    INFO("run from window " << run.window);
    job.first_window = static_cast<std::uint32_t>(run.first_window);
    job.windows = static_cast<unsigned>(run.windows);
    const Reference ref = reference(job, b.lanes);
    const std::uint64_t bound = pairs_bound(n * run.windows) + 4 * (run.windows << (c - 1));
    Result res;
    if (g == 0) {
      // Points 0..99 (hold), then 100..150 (continue): 50 beats of scalars, then 26.
      Job first = chunk_of(job, 0, 100, kScalars | kHold);
      res = run_written(b, first, bound);
      CHECK((res.config >> 24) == 0);
      CHECK(res.adds == reference(first, b.lanes).total_pairs);
      Job second = chunk_of(job, 100, n, kScalars | kContinue);
      res = run_written(b, second, bound, kPointsAddr + 100 * kBeat, kDigitsAddr + 50 * kBeat);
      CHECK(res.adds == reference(second, b.lanes).total_pairs);
      res.adds = ref.total_pairs;  // the sums below are over both launches
      res.lane_adds.clear();
      for (unsigned l = 0; l < b.lanes; ++l) res.lane_adds.push_back(static_cast<std::uint32_t>(ref.lane_pairs[l]));
    } else {
      job.bucket_flags = kScalars;
      res = run_written(b, job, bound);
      last_cycles = res.cycles;
    }
    check_buckets(job, res, ref, kModelBucketBitsOf<TestType>, b.digit_bits);
    buckets.insert(buckets.end(), res.buckets.begin(), res.buckets.end());
  }
  // Two scalars a beat: each run reads (n + 1) / 2 beats of them.
  CHECK(b.digits.stats().read_beats - digit_beats == runs.size() * ((n + 1) / 2));
  {
    // The slicer costs no throughput: the last run again, from rows the
    // host wrote (the same digits) and then from the scalars, gives the same
    // buckets in as many cycles, give or take the slicer's three. (The two
    // run back to back so that neither waits for the bucket RAM's sweep,
    // which these models' 2 epoch bits bring every fourth start; the last
    // run of the loop above had one.)
    INFO("the last run from host-written rows, then from the scalars");
    const std::uint64_t rows_addr = kBase + (76ull << 20);
    for (std::size_t i = 0; i < n; ++i)
      b.mem.write(rows_addr + i * kBeat, digit_beat(job.digits[i], b.digit_bits).data(), kBeat);
    Job rows_job = job;
    rows_job.bucket_flags = 0;
    const Result rows_res = run_written(b, rows_job, pairs_bound(n * job.windows) + 4 * job.num_buckets(), kPointsAddr,
                                       rows_addr);
    check_buckets(rows_job, rows_res, reference(rows_job, b.lanes), kModelBucketBitsOf<TestType>, b.digit_bits);
    const Result scalar_res = run_written(b, job, pairs_bound(n * job.windows) + 4 * job.num_buckets());
    check_buckets(job, scalar_res, reference(job, b.lanes), kModelBucketBitsOf<TestType>, b.digit_bits);
    CHECK(last_cycles > scalar_res.cycles);  // the loop's last run swept the RAM first
    CHECK(scalar_res.cycles <= rows_res.cycles + 8);
    CHECK(rows_res.cycles <= scalar_res.cycles + 8);
  }
  CHECK(b.h.assertion_failures() == failures);
  REQUIRE(buckets.size() == windows << (c - 1));
  std::vector<Fr> frs(n);
  for (std::size_t i = 0; i < n; ++i) frs[i] = Fr::from_canonical(scalars[i]);
  const G1Jacobian expected = zkacc::msm<zkacc::Bn254G1Config>(job.points, frs, pool);
  CHECK(combine(buckets, c).to_affine() == expected.to_affine());

  SECTION("scalars need b >= 1 and a continue in the same mode") {
    Job bad = job;
    bad.first_window = 0;
    bad.windows = 2;
    bad.bucket_bits = 0;
    bad.bucket_flags = kScalars;
    CHECK((run_written(b, bad, 10'000).config & kErrArgs) != 0);
    bad.bucket_bits = c - 1;
    bad.bucket_flags = kScalars | kHold;
    CHECK((run_written(b, bad, pairs_bound(2 * n)).config >> 24) == 0);
    bad.bucket_flags = kContinue;  // rows now, scalars held
    CHECK((run_written(b, bad, 10'000).config & kErrArgs) != 0);
    CHECK(b.h.assertion_failures() == failures);
  }
}

TEMPLATE_TEST_CASE("msm kernel: split points (x and y from two buffers) give the same buckets at the same pace",
                   "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  // One window a lane, so the lanes take a point a cycle: the same job of an
  // odd number of points from one point buffer, then with kSplit from an x
  // and a y buffer. The same buckets; each points port reads half a beat a
  // point (the odd point's beats half used); and as many cycles, give or
  // take a few: the join costs no throughput. (The two runs come first after
  // the reset, so neither sweeps the bucket RAM.)
  auto rng = zkacc::test::make_rng(0x4d534b10);
  Bench<TestType> b;
  const std::uint64_t failures = b.h.assertion_failures();
  const std::size_t n = 437;
  Job job = random_job(n, b.lanes, 9, rng, 0.05);
  const std::uint64_t bound = pairs_bound(n * job.windows) + 4 * job.num_buckets();
  const Result one_buffer = run_and_check(b, job, bound);
  CHECK(b.points_y.stats().read_beats == 0);  // not split: the y port is idle
  write_split_points(b, std::span<const G1Affine>(job.points), kPointsXAddr, kPointsYAddr);
  job.bucket_flags = kSplit;
  const Reference whole = reference(job, b.lanes);
  const auto x_beats = b.points.stats().read_beats;
  const Result split = run_written(b, job, bound, kPointsXAddr);
  check_buckets(job, split, whole, kModelBucketBitsOf<TestType>, b.digit_bits);
  CHECK(b.points.stats().read_beats - x_beats == (n + 1) / 2);
  CHECK(b.points_y.stats().read_beats == (n + 1) / 2);
  CHECK(split.cycles <= one_buffer.cycles + 8);
  CHECK(one_buffer.cycles <= split.cycles + 8);
  CHECK(b.h.assertion_failures() == failures);

  SECTION("over two launches (hold, continue), the second from the middle of both buffers") {
    // Launch 1: points 0..199 (100 beats each); launch 2: 200..436 from beat
    // 100 of both, while the digits move on a row a point.
    Job first = chunk_of(job, 0, 200, kSplit | kHold);
    Result res = run_written(b, first, bound, kPointsXAddr);
    CHECK((res.config >> 24) == 0);
    CHECK(res.adds == reference(first, b.lanes).total_pairs);
    Job second = chunk_of(job, 200, n, kSplit | kContinue);
    second.points_y_addr = kPointsYAddr + 100 * kBeat;
    res = run_written(b, second, bound, kPointsXAddr + 100 * kBeat, kDigitsAddr + 200 * kBeat);
    CHECK(res.adds == reference(second, b.lanes).total_pairs);
    res.adds = whole.total_pairs;
    res.lane_adds.clear();
    for (unsigned l = 0; l < b.lanes; ++l) res.lane_adds.push_back(static_cast<std::uint32_t>(whole.lane_pairs[l]));
    check_buckets(second, res, whole, kModelBucketBitsOf<TestType>, b.digit_bits);
    CHECK(b.h.assertion_failures() == failures);
  }
  SECTION("an unaligned y address is a bad argument with split points, and ignored without") {
    Job bad = job;
    bad.points_y_addr = kPointsYAddr + 32;
    const auto reads = b.points.stats().read_beats + b.points_y.stats().read_beats + b.digits.stats().read_beats;
    CHECK((run_written(b, bad, 10'000, kPointsXAddr).config & kErrArgs) != 0);
    CHECK(b.points.stats().read_beats + b.points_y.stats().read_beats + b.digits.stats().read_beats == reads);
    bad.bucket_flags = 0;  // one point buffer (kPointsAddr, written by the first run)
    run_and_check(b, bad, bound, true);
    CHECK(b.points.stats().read_beats + b.points_y.stats().read_beats + b.digits.stats().read_beats ==
          reads + 2 * n);
    CHECK(b.h.assertion_failures() == failures);
  }
}

// Lanes 1 and 2's bucket buffers for lane ports (small jobs only).
constexpr std::uint64_t kLane1BucketsAddr = kBase + (92ull << 20);
constexpr std::uint64_t kLane2BucketsAddr = kBase + (94ull << 20);

// `count` buckets (two beats each) from card memory at addr.
template <class Model>
std::vector<Xyzz> read_buckets(Bench<Model>& b, std::uint64_t addr, std::size_t count) {
  std::vector<Xyzz> out(count);
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint8_t* p = b.mem.span(addr + 2 * kBeat * k, 2 * kBeat);
    out[k] = {read_fq(p), read_fq(p + 32), read_fq(p + 64), read_fq(p + 96)};
  }
  return out;
}

// With lane ports lane l's buffer holds its windows l, l + lanes, ... in
// order; the buckets of all windows in global order, as one port writes them.
template <class Model>
std::vector<Xyzz> gather_lane_buckets(Bench<Model>& b, const Job& job) {
  const unsigned lanes = Bench<Model>::lanes;
  const std::size_t per_window = std::size_t(1) << job.bucket_bits;
  const std::array<std::uint64_t, 3> addr{kBucketsAddr, job.buckets_1_addr, job.buckets_2_addr};
  std::vector<Xyzz> out(job.num_buckets());
  for (unsigned l = 0; l < lanes; ++l) {
    const std::size_t lane_windows = (job.windows + lanes - 1 - l) / lanes;
    const std::vector<Xyzz> mine = read_buckets(b, addr[l], lane_windows * per_window);
    for (std::size_t v = 0; v < lane_windows; ++v)
      std::copy_n(mine.begin() + std::ptrdiff_t(v * per_window), per_window,
                  out.begin() + std::ptrdiff_t((v * lanes + l) * per_window));
  }
  return out;
}

TEMPLATE_TEST_CASE("msm kernel: lane ports write each lane's buckets through a port of its own",
                   "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  // Five windows: with two lanes, lane 0 has windows 0, 2, 4 and lane 1
  // windows 1, 3. Through one port the write-back is the five windows one
  // after the other (2 beats a bucket, a beat a cycle); with lane ports lane
  // 0 writes its three on m_axi_buckets while lane 1 writes its two on
  // m_axi_points: the run ends two windows' beats sooner, and the buckets are
  // the same. One lane has no lane ports: the flag is a bad argument.
  auto rng = zkacc::test::make_rng(0x4d534b12);
  Bench<TestType> b;
  const std::uint64_t failures = b.h.assertion_failures();
  const unsigned lanes = b.lanes;
  const std::size_t n = 300;
  Job job = random_job(n, 5, 8, rng, 0.05);
  job.buckets_1_addr = kLane1BucketsAddr;
  job.buckets_2_addr = kLane2BucketsAddr;
  const std::uint64_t bound = pairs_bound(n * job.windows) + 4 * job.num_buckets();
  const std::size_t per_window = std::size_t(1) << job.bucket_bits;
  const Result whole = run_and_check(b, job, bound);
  CHECK(((whole.lanes_word >> 27) & 1) == (lanes > 1 ? 1u : 0u));
  const auto io = [&] {
    return std::array<std::uint64_t, 4>{b.points.stats().read_beats + b.points_y.stats().read_beats +
                                            b.digits.stats().read_beats,
                                        b.buckets.stats().write_beats, b.points.stats().write_beats,
                                        b.points_y.stats().write_beats};
  };
  job.bucket_flags = kLanePorts;
  if (lanes == 1) {
    const auto before = io();
    CHECK((run_written(b, job, 10'000).config & kErrArgs) != 0);
    CHECK(io() == before);
    CHECK(b.h.assertion_failures() == failures);
    return;
  }
  b.mem.fill(kLane1BucketsAddr, 2 * kBeat * job.num_buckets(), 0xA5);
  const Reference ref = reference(job, lanes);
  const auto before = io();
  Result res = run_written(b, job, bound);
  res.buckets = gather_lane_buckets(b, job);
  check_buckets(job, res, ref, kModelBucketBitsOf<TestType>, b.digit_bits);
  CHECK(b.h.assertion_failures() == failures);
  const auto after = io();
  CHECK(after[1] - before[1] == 2 * 3 * per_window);  // lane 0: windows 0, 2, 4
  CHECK(after[2] - before[2] == 2 * 2 * per_window);  // lane 1: windows 1, 3
  CHECK(after[3] == before[3]);                       // no lane 2
  // Two windows' write-back (1,024 beats) fewer, give or take a few cycles.
  const std::int64_t saved = std::int64_t(whole.cycles) - std::int64_t(res.cycles);
  CHECK(saved >= 2 * 2 * std::int64_t(per_window) - 32);
  CHECK(saved <= 2 * 2 * std::int64_t(per_window) + 32);

  SECTION("the last of two launches (hold, continue) writes through the lane ports") {
    Job first = chunk_of(job, 0, 120, kHold);
    Result part = run_written(b, first, bound);
    CHECK((part.config >> 24) == 0);
    const auto held = io();
    CHECK(held[1] == after[1]);  // a held launch writes nothing
    CHECK(held[2] == after[2]);
    Job second = chunk_of(job, 120, n, kContinue | kLanePorts);
    part = run_written(b, second, bound, kPointsAddr + 120 * kBeat, kDigitsAddr + 120 * kBeat);
    CHECK(part.adds == reference(second, lanes).total_pairs);
    part.adds = ref.total_pairs;
    part.lane_adds.clear();
    for (unsigned l = 0; l < lanes; ++l) part.lane_adds.push_back(static_cast<std::uint32_t>(ref.lane_pairs[l]));
    part.buckets = gather_lane_buckets(b, second);
    check_buckets(second, part, ref, kModelBucketBitsOf<TestType>, b.digit_bits);
    CHECK(b.h.assertion_failures() == failures);
  }
  SECTION("an unaligned lane 1 address is a bad argument with lane ports, and ignored without") {
    Job bad = job;
    bad.buckets_1_addr = kLane1BucketsAddr + 64 + 32;
    const auto start = io();
    CHECK((run_written(b, bad, 10'000).config & kErrArgs) != 0);
    CHECK(io() == start);
    bad.bucket_flags = 0;
    run_and_check(b, bad, bound, true);
    CHECK(b.points.stats().write_beats == start[2]);
    CHECK(b.h.assertion_failures() == failures);
  }
}

TEMPLATE_TEST_CASE("msm kernel: a run with a narrow top window is paced by its few buckets",
                   "[rtl][msm_kernel]", Vzkacc_msm_kernel_cpp_adder) {
  // c = 9: 29 windows, the top one (bits 252..260 of a scalar below r)
  // with digits 0..3 only. A run of windows 16..28 (first_window 16) puts
  // a third of the points into each of buckets 1 and 2 of that window, one
  // addition per bucket every 165 cycles: the run takes about n · 165 /
  // 3.02 cycles (runtime::msm_top_window_cycles, which the host's planner
  // counts), where windows 0..12 of the same rows take about 13 cycles a
  // point.
  auto rng = zkacc::test::make_rng(0x4d534b11);
  Bench<TestType> b;
  const std::size_t n = 512;
  Job job = random_scalar_job(n, 9, rng).job;
  job.windows = 13;
  const Result low = run_and_check(b, job, 2'000'000);
  job.first_window = 16;
  const Result top = run_and_check(b, job, 2'000'000, true);
  const double bound = zkacc::runtime::msm_top_window_cycles(n, 9, kAdderLatency);
  INFO("windows 0..12: " << low.acc_cycles << " cycles; 16..28: " << top.acc_cycles << " (bound " << bound << ")");
  CHECK(double(low.acc_cycles) < 14.5 * double(n));
  CHECK(double(top.acc_cycles) > 0.9 * bound);
  CHECK(double(top.acc_cycles) < 1.15 * bound + 1000);
}

TEMPLATE_TEST_CASE("msm kernel: the host's windows per run are what the kernel takes",
                   "[rtl][msm_kernel]", MSM_KERNEL_MODELS) {
  // runtime::device_windows_per_run (the host's planner) against the RTL's
  // capacity check: the planned group runs, one window more is refused, and
  // a window wider than a lane plans no run and is refused.
  auto rng = zkacc::test::make_rng(0x4d534b0b);
  Bench<TestType> b;
  const unsigned lane_bits = zkacc::runtime::device_lane_bucket_bits(kModelBucketBits, b.lanes);
  CHECK(lane_bits == kModelBucketBits - unsigned(std::bit_width(b.lanes - 1)));
  for (unsigned c : {9u, lane_bits + 1, lane_bits + 2}) {
    INFO("c = " << c);
    const std::size_t group = zkacc::runtime::device_windows_per_run(c, kModelBucketBits, b.lanes, b.digit_bits);
    if (c > lane_bits + 1) {
      CHECK(group == 0);
    } else {
      REQUIRE(group >= 1);
      run_and_check(b, random_job(2, unsigned(group), c - 1, rng), 100'000);
    }
    if (group < b.row_digits) {
      Job job = random_job(2, unsigned(group) + 1, 1, rng);
      job.bucket_bits = c - 1;
      const Result res = run_kernel(b, job, 10'000);
      CHECK((res.config & kErrArgs) != 0);
    }
  }
}

TEMPLATE_TEST_CASE("msm kernel: utilization on uniformly random scalars (by hand)",
                   "[.][msm_kernel_util]", MSM_KERNEL_UTIL_MODELS) {
  // Not run by ctest (hidden): the one-lane model simulates some 3,000
  // cycles a second, so 2^14 points (530 k cycles) take about four minutes
  // (the two-lane model half the cycles at about half the rate). Run it with
  //   ZKACC_MSM_UTIL_LOG_N=14 rtl_msm_kernel_tests "[msm_kernel_util]"
  // (default 2^12; add "*_l2" or "*kernel" after the tag for one model).
  // c = 8: 32 windows of 128 buckets, 16 windows per lane with two lanes.
  // ZKACC_MSM_UTIL_C sets the window width (default 8: 2^7 buckets a
  // window) and ZKACC_MSM_UTIL_WINDOWS runs the lower windows only: on the
  // three-lane model (2^16 buckets a lane, 18-bit digits) C=17 WINDOWS=3 is
  // one window of a card-sized 2^16 buckets per lane (the U250 build's c = 17).
  const char* env = std::getenv("ZKACC_MSM_UTIL_LOG_N");
  const unsigned log_n = env ? static_cast<unsigned>(std::stoul(env)) : 12;
  const char* env_c = std::getenv("ZKACC_MSM_UTIL_C");
  const unsigned c = env_c ? static_cast<unsigned>(std::stoul(env_c)) : 8;
  Bench<TestType> b;
  REQUIRE(c >= 2);
  REQUIRE(c <= b.digit_bits - 1);
  const char* env_w = std::getenv("ZKACC_MSM_UTIL_WINDOWS");
  const unsigned windows = env_w ? static_cast<unsigned>(std::stoul(env_w)) : b.row_digits;
  REQUIRE(windows >= 1);
  REQUIRE(windows <= b.row_digits);
  auto rng = zkacc::test::make_rng(0x4d534b0a);
  const std::size_t n = std::size_t(1) << log_n;
  Job job = random_scalar_job(n, c, rng).job;
  job.windows = windows;
  const Result res = run_and_check(b, job, pairs_bound(std::size_t(windows) * n));
  const double util = double(res.adds) / double(res.acc_cycles);
  std::cerr << "msm kernel (" << b.lanes << " lane(s)) utilization at 2^" << log_n << " points, c = " << c << ", "
            << windows << " windows: " << res.adds
            << " additions / " << res.acc_cycles << " cycles = " << util << " per cycle (" << res.parked
            << " parked, " << res.stalls << " input stall cycles; " << res.cycles << " cycles start to done; "
            << res.seconds << " s, " << double(res.cycles) / res.seconds / 1e3 << " k cycles/s)\n";
  for (unsigned l = 0; l < b.lanes; ++l) {
    const double lane_util = double(res.lane_adds[l]) / double(res.acc_cycles);
    std::cerr << "  lane " << l << ": " << res.lane_adds[l] << " additions, " << lane_util << " per cycle\n";
    INFO("lane " << l);
    CHECK(lane_util >= 0.90);
  }
}
