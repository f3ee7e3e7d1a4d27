// NTT kernel (hw/rtl/kernel/zkacc_ntt_kernel.sv, engine hw/rtl/ntt) driven
// through its register map, the way the device layer drives it, against
// zkacc's CPU NttDomain: forward and inverse (the host passes the inverse
// root's twiddles and scales by 1/n), sizes 2 to 2^12 (the model's LogMaxN),
// batches, edge values, AXI backpressure, the butterfly and cycle counters
// against their formulas, and the RTL's own assertions.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "Vzkacc_ntt_kernel.h"
#include "harness/sim_kernel.hpp"
#include "support/test_rng.hpp"
#include "zkacc/common/thread_pool.hpp"
#include "zkacc/field/bigint.hpp"
#include "zkacc/field/bn254.hpp"
#include "zkacc/ntt/ntt_domain.hpp"

namespace {

using zkacc::Fr;
using zkacc::sim::AxiMemoryPort;
using zkacc::sim::AxiTiming;
using zkacc::sim::DeviceMemory;
using zkacc::sim::KernelHarness;

// Register map (hw/rtl/kernel/zkacc_ntt_kernel.sv, docs/kernel_ntt.md).
constexpr std::uint32_t kCtrl = 0x00;
constexpr std::uint32_t kLogN = 0x10, kBatch = 0x14, kTwLo = 0x18, kTwHi = 0x1C, kInLo = 0x20, kInHi = 0x24,
                        kOutLo = 0x28, kOutHi = 0x2C;
constexpr std::uint32_t kCyclesLo = 0x30, kCyclesHi = 0x34, kBflyLo = 0x38, kBflyHi = 0x3C, kConfig = 0x40;
constexpr std::uint32_t kStart = 1u << 0, kDone = 1u << 1, kIdle = 1u << 2, kReady = 1u << 3;
constexpr std::uint32_t kErrBadArgs = 1u << 26;

constexpr unsigned kLogMaxN = 12;           // -GLogMaxN in sim/CMakeLists.txt
constexpr unsigned kButterflyLatency = 30;  // butterfly.sv
constexpr unsigned kReadLatency = 1;        // ntt_engine's RAM read latency (default)
constexpr std::uint64_t kElem = 32, kBeat = 64;

// Card memory above 4 GiB (the high address registers matter); buffers not
// on 4 KiB boundaries, so transfers split into bursts at page ends.
constexpr std::uint64_t kBase = 0x10'0000'0000ull;
constexpr std::uint64_t kSize = 16ull << 20;
constexpr std::uint64_t kTwAddr = kBase + 0x40;
constexpr std::uint64_t kInAddr = kBase + 0x10'0000 + 0x5c0;
constexpr std::uint64_t kOutAddr = kBase + 0x80'0000 + 0xfc0;

// Engine cycles from start to its last output beat with the streams never
// waiting (ntt_engine.sv, docs/kernel_ntt.md): 3 setup cycles, the twiddle
// beats, the first group's load, then per group (G = max(1, 256/(n/2)) transforms, L = G·n/2
// beats) the stages — stage s+1 follows stage s after max(L, h + D) cycles,
// D = read latency + 2 + butterfly latency — the last stage's drain and the
// unload, under which the next group loads.
constexpr std::uint64_t kGroupBeats = 256;  // ntt_engine's GroupBeats
std::uint64_t engine_cycles(unsigned log_n, std::uint64_t batch) {
  const std::uint64_t n = std::uint64_t(1) << log_n, half = n / 2;
  const std::uint64_t d = kReadLatency + 2 + kButterflyLatency;
  const std::uint64_t g = std::max<std::uint64_t>(1, kGroupBeats / half);
  auto group = [&](std::uint64_t len) {
    std::uint64_t c = 0;
    for (unsigned s = 0; s + 1 < log_n; ++s) c += std::max(len, (n >> (s + 2)) + d);
    return c + len + d + len + kReadLatency + 2;
  };
  const std::uint64_t full = batch / g, rem = batch % g;
  const std::uint64_t first_len = (full > 0 ? g : rem) * half;
  return std::max<std::uint64_t>(1, n / 4) + first_len + 4 + full * group(g * half) + (rem ? group(rem * half) : 0);
}

// The slave models hold the stream engines to their promise of rready and
// bready high.
AxiTiming strict_timing() {
  AxiTiming t;
  t.require_rready = true;
  t.require_bready = true;
  return t;
}

struct NttBench {
  explicit NttBench(const AxiTiming& timing = strict_timing())
      : in(h.add_port("in", ZKACC_AXI_MASTER_SIGNALS(h.model(), m_axi_in), timing)),
        out(h.add_port("out", ZKACC_AXI_MASTER_SIGNALS(h.model(), m_axi_out), timing)) {
    h.reset();
  }
  DeviceMemory mem{kBase, kSize};
  KernelHarness<Vzkacc_ntt_kernel> h{mem};
  AxiMemoryPort& in;
  AxiMemoryPort& out;
};

std::string hex(const Fr& v) { return "0x" + zkacc::bigint::to_hex(v.montgomery_repr()); }

void put(DeviceMemory& mem, std::uint64_t addr, std::span<const Fr> values) {
  for (std::size_t i = 0; i < values.size(); ++i) mem.write(addr + i * kElem, values[i].montgomery_repr().data(), kElem);
}

std::vector<Fr> get(const DeviceMemory& mem, std::uint64_t addr, std::size_t count) {
  std::vector<Fr> v(count);
  for (std::size_t i = 0; i < count; ++i) {
    zkacc::BigInt<4> r;
    mem.read(addr + i * kElem, r.data(), kElem);
    v[i] = Fr::from_montgomery_unchecked(r);
  }
  return v;
}

std::uint64_t read_u64(KernelHarness<Vzkacc_ntt_kernel>& h, std::uint32_t lo) {
  return h.read_reg(lo) | std::uint64_t(h.read_reg(lo + 4)) << 32;
}

struct RunResult {
  std::vector<Fr> out;
  std::uint64_t cycles = 0;
  std::uint64_t butterflies = 0;
  std::uint32_t config = 0;
  std::uint32_t ctrl = 0;
};

// Starts the kernel with the given arguments and polls ap_done.
RunResult start_and_wait(NttBench& b, std::uint32_t log_n, std::uint32_t batch, std::uint64_t max_cycles) {
  auto& h = b.h;
  h.write_reg(kLogN, log_n);
  h.write_reg(kBatch, batch);
  h.write_reg(kTwLo, static_cast<std::uint32_t>(kTwAddr));
  h.write_reg(kTwHi, static_cast<std::uint32_t>(kTwAddr >> 32));
  h.write_reg(kInLo, static_cast<std::uint32_t>(kInAddr));
  h.write_reg(kInHi, static_cast<std::uint32_t>(kInAddr >> 32));
  h.write_reg(kOutLo, static_cast<std::uint32_t>(kOutAddr));
  h.write_reg(kOutHi, static_cast<std::uint32_t>(kOutAddr >> 32));
  h.write_reg(kCtrl, kStart);
  const std::uint64_t until = h.cycles() + max_cycles;
  RunResult r;
  for (;;) {
    r.ctrl = h.read_reg(kCtrl);
    if (r.ctrl & kDone) break;
    INFO("control register " << r.ctrl);
    REQUIRE(h.cycles() < until);
    h.tick(64);
  }
  r.cycles = read_u64(h, kCyclesLo);
  r.butterflies = read_u64(h, kBflyLo);
  r.config = h.read_reg(kConfig);
  return r;
}

// Runs `batch` transforms of size 2^log_n on the card: twiddles of ω (or
// ω^-1 for the inverse) as the host driver supplies them, then the inverse's
// scaling by 1/n on the host.
RunResult run_ntt(NttBench& b, unsigned log_n, std::span<const Fr> input, bool inverse) {
  const std::size_t n = std::size_t(1) << log_n;
  const std::size_t batch = input.size() / n;
  const zkacc::NttDomain dom(n);
  const Fr root = inverse ? dom.root_inverse() : dom.root();
  std::vector<Fr> tw(std::max<std::size_t>(n / 2, 1));
  tw[0] = Fr::one();
  for (std::size_t i = 1; i < tw.size(); ++i) tw[i] = tw[i - 1] * root;
  if (n == 2) tw.push_back(Fr::zero());  // the beat's unused high half
  put(b.mem, kTwAddr, tw);
  put(b.mem, kInAddr, input);
  // The output buffer and one beat either side start as a guard pattern.
  b.mem.fill(kOutAddr - kBeat, input.size() * kElem + 2 * kBeat, 0xA5);

  const auto in_before = b.in.stats();
  const auto out_before = b.out.stats();
  RunResult r = start_and_wait(b, log_n, static_cast<std::uint32_t>(batch), 4 * engine_cycles(log_n, batch) + 20000);
  r.out = get(b.mem, kOutAddr, input.size());
  if (inverse) {
    const Fr n_inv = dom.size_inverse();
    for (Fr& v : r.out) v *= n_inv;
  }
  for (std::uint64_t i = 0; i < kBeat; ++i) {
    REQUIRE(b.mem.span(kOutAddr - kBeat, kBeat)[i] == 0xA5);
    REQUIRE(b.mem.span(kOutAddr + input.size() * kElem, kBeat)[i] == 0xA5);
  }
  // Traffic: the twiddles and the input once, the output once.
  const std::uint64_t data_beats = input.size() / 2, tw_beats = std::max<std::size_t>(1, n / 4);
  CHECK(b.in.stats().read_beats - in_before.read_beats == tw_beats + data_beats);
  CHECK(b.out.stats().write_beats - out_before.write_beats == data_beats);
  CHECK(b.in.stats().write_beats == 0);
  CHECK(b.out.stats().read_beats == 0);
  CHECK(b.in.idle());
  CHECK(b.out.idle());
  return r;
}

std::vector<Fr> reference(unsigned log_n, std::span<const Fr> input, bool inverse) {
  const std::size_t n = std::size_t(1) << log_n;
  const zkacc::NttDomain dom(n);
  zkacc::ThreadPool pool(1);
  std::vector<Fr> v(input.begin(), input.end());
  for (std::size_t t = 0; t < v.size() / n; ++t) {
    std::span<Fr> s(v.data() + t * n, n);
    if (inverse)
      dom.inverse(s, pool);
    else
      dom.forward(s, pool);
  }
  return v;
}

// Edge values: zero, one and r − 1 in Montgomery form, and the raw words
// 1 and r − 1 (the largest value the kernel accepts).
std::vector<Fr> edge_values() {
  zkacc::BigInt<4> r_minus_1 = Fr::kModulus;
  r_minus_1[0] -= 1;
  return {Fr::zero(), Fr::one(), -Fr::one(), Fr::from_montgomery_unchecked({1, 0, 0, 0}),
          Fr::from_montgomery_unchecked(r_minus_1)};
}

// Random transforms with the edge values spread over the first one, plus
// (when batch > 1) a transform made only of edge values.
std::vector<Fr> make_input(unsigned log_n, std::size_t batch, std::mt19937_64& rng) {
  const std::size_t n = std::size_t(1) << log_n;
  std::vector<Fr> v(n * batch);
  for (auto& x : v) x = Fr::random(rng);
  const auto edges = edge_values();
  for (std::size_t i = 0; i < edges.size() && i < n; ++i) v[(i * 7919) % n] = edges[i];
  if (batch > 1)
    for (std::size_t i = 0; i < n; ++i) v[n + i] = edges[(i * 3 + i / 5) % edges.size()];
  return v;
}

void check_run(NttBench& b, unsigned log_n, std::size_t batch, bool inverse, std::mt19937_64& rng,
               bool check_cycles = true) {
  SEED_INFO();
  INFO((inverse ? "inverse" : "forward") << " NTT of 2^" << log_n << ", batch " << batch);
  const std::size_t n = std::size_t(1) << log_n;
  const auto input = make_input(log_n, batch, rng);
  const auto expect = reference(log_n, input, inverse);
  const auto failures_before = b.h.assertion_failures();
  const auto wall0 = std::chrono::steady_clock::now();
  const std::uint64_t sim0 = b.h.cycles();
  const RunResult r = run_ntt(b, log_n, input, inverse);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();

  std::size_t bad = 0;
  for (std::size_t i = 0; i < input.size(); ++i) {
    if (r.out[i] == expect[i]) continue;
    if (++bad <= 4)
      UNSCOPED_INFO("transform " << i / n << ", element " << i % n << ": got " << hex(r.out[i]) << ", expected "
                                 << hex(expect[i]));
  }
  CHECK(bad == 0);
  CHECK(r.ctrl == (kDone | kIdle | kReady));
  CHECK(b.h.assertion_failures() == failures_before);

  // Counters: exactly (n/2)·log_n butterflies per transform; cycles from
  // start to ap_done are the engine's formula plus the memory latency of the
  // two read transfers' first beats, the last write burst and its response.
  CHECK(r.butterflies == batch * (n / 2) * log_n);
  CHECK((r.config & 0xFF) == kLogMaxN);
  CHECK(((r.config >> 8) & 0xFFFF) == kButterflyLatency);
  CHECK((r.config >> 24) == 0);
  const std::uint64_t formula = engine_cycles(log_n, batch);
  const AxiTiming& t = b.in.timing();
  const std::uint64_t slack = 2 * (t.read_latency + 8) + 64 + t.write_latency + 16;
  std::cerr << "ntt kernel 2^" << log_n << " x" << batch << (inverse ? " inverse" : " forward") << ": " << r.cycles
            << " cycles (engine formula " << formula << "), " << r.butterflies << " butterflies; "
            << (b.h.cycles() - sim0) / secs << " simulated cycles/s\n";
  if (check_cycles) {
    CHECK(r.cycles >= formula);
    CHECK(r.cycles <= formula + slack);
  }
}

}  // namespace

TEST_CASE("rtl ntt kernel: registers after reset", "[rtl][ntt][kernel]") {
  NttBench b;
  CHECK(b.h.read_reg(kCtrl) == kIdle);
  for (std::uint32_t off = kLogN; off <= kBflyHi; off += 4) CHECK(b.h.read_reg(off) == 0);
  // Config is constant: LogMaxN and the butterfly latency, no error bits.
  CHECK(b.h.read_reg(kConfig) == (kButterflyLatency << 8 | kLogMaxN));
  CHECK(b.h.assertion_failures() == 0);
}

TEST_CASE("rtl ntt kernel: forward and inverse match NttDomain, sizes 2 to 2^12", "[rtl][ntt][kernel]") {
  auto rng = zkacc::test::make_rng(701);
  NttBench b;  // one kernel for every run: runs back to back must not disturb each other
  for (unsigned log_n : {1u, 2u, 8u, kLogMaxN}) {
    check_run(b, log_n, 1, false, rng);
    check_run(b, log_n, 1, true, rng);
  }
  // A couple of sizes in between (bubbles between stages below n = 128).
  for (unsigned log_n : {3u, 5u, 7u}) check_run(b, log_n, 1, false, rng);
}

TEST_CASE("rtl ntt kernel: batches of transforms back to back", "[rtl][ntt][kernel]") {
  auto rng = zkacc::test::make_rng(702);
  NttBench b;
  SECTION("2^8, batch 5, forward") { check_run(b, 8, 5, false, rng); }
  SECTION("2^4, batch 9, inverse") { check_run(b, 4, 9, true, rng); }
  SECTION("2^1, batch 6, forward") { check_run(b, 1, 6, false, rng); }
  SECTION("2^1, batch 600, inverse (groups of 256 and a partial one)") { check_run(b, 1, 600, true, rng); }
  SECTION("2^6, batch 21, forward (groups of 8 and a partial one)") { check_run(b, 6, 21, false, rng); }
  SECTION("2^12, batch 2, forward") { check_run(b, kLogMaxN, 2, false, rng); }
}

TEST_CASE("rtl ntt kernel: AXI backpressure and slow memory", "[rtl][ntt][kernel]") {
  auto rng = zkacc::test::make_rng(703);
  AxiTiming t;
  t.read_latency = 57;
  t.write_latency = 23;
  t.ready_probability = 0.6;
  t.valid_probability = 0.7;
  t.max_outstanding_reads = 2;
  t.max_outstanding_writes = 2;
  t.seed = zkacc::test::test_seed();
  NttBench b(t);
  // Results and protocol only: the cycle formula assumes memory that keeps up.
  check_run(b, 6, 3, false, rng, false);
  check_run(b, 9, 2, true, rng, false);
}

TEST_CASE("rtl ntt kernel: bad arguments end the run without memory traffic", "[rtl][ntt][kernel]") {
  NttBench b;
  struct Case {
    std::uint32_t log_n, batch;
  };
  for (const Case c : {Case{0, 1}, Case{kLogMaxN + 1, 1}, Case{4, 0}, Case{12, 0x0020'0000}}) {
    INFO("log_n " << c.log_n << ", batch " << c.batch);
    const auto failures_before = b.h.assertion_failures();
    const RunResult r = start_and_wait(b, c.log_n, c.batch, 2000);
    CHECK(r.butterflies == 0);
    CHECK((r.config & kErrBadArgs) != 0);
    CHECK(b.in.stats().read_beats == 0);
    CHECK(b.out.stats().write_beats == 0);
    CHECK(b.h.assertion_failures() > failures_before);  // the kernel's argument check
  }
  // A good run afterwards clears the error bits.
  auto rng = zkacc::test::make_rng(704);
  check_run(b, 2, 1, false, rng);
}

TEST_CASE("rtl ntt kernel flags an input that is not below r", "[rtl][ntt][kernel]") {
  NttBench b;
  std::vector<Fr> input(16, Fr::one());
  input[5] = Fr::from_montgomery_unchecked(Fr::kModulus);
  const auto failures_before = b.h.assertion_failures();
  run_ntt(b, 4, input, false);
  CHECK(b.h.assertion_failures() > failures_before);
}
