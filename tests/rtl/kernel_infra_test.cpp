// Kernel infrastructure (hw/rtl/kernel) through the copy kernel, driven the
// way a device driver drives a Vitis kernel: AXI4-Lite register accesses for
// the control protocol, card memory behind the two m_axi ports served by the
// harness's AXI slave models, which also check the masters' protocol.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vzkacc_copy_kernel.h"
#include "harness/sim_kernel.hpp"
#include "support/test_rng.hpp"

namespace {

using zkacc::sim::AxiMemoryPort;
using zkacc::sim::AxiTiming;
using zkacc::sim::DeviceMemory;
using zkacc::sim::KernelHarness;
using Catch::Matchers::Contains;

// Register map (docs/kernel_interface.md).
constexpr std::uint32_t kCtrl = 0x00, kGie = 0x04, kIer = 0x08, kIsr = 0x0C;
constexpr std::uint32_t kBeats = 0x10, kSrcLo = 0x14, kSrcHi = 0x18, kDstLo = 0x1C, kDstHi = 0x20;
constexpr std::uint32_t kCyclesLo = 0x24, kCyclesHi = 0x28, kErrors = 0x2C;
constexpr std::uint32_t kStart = 1u << 0, kDone = 1u << 1, kIdle = 1u << 2, kReady = 1u << 3, kAutoRestart = 1u << 7;

constexpr std::uint64_t kBeat = 64;
// Above 4 GiB, so the high halves of the address registers matter.
constexpr std::uint64_t kBase = 0x10'0000'0000ull;
constexpr std::uint64_t kSize = 8ull << 20;

// The engines promise rready and bready high; the slave models hold them to it.
AxiTiming strict_timing() {
  AxiTiming t;
  t.require_rready = true;
  t.require_bready = true;
  return t;
}

struct CopyBench {
  explicit CopyBench(const AxiTiming& timing = strict_timing())
      : src(h.add_port("src", ZKACC_AXI_MASTER_SIGNALS(h.model(), m_axi_src), timing)),
        dst(h.add_port("dst", ZKACC_AXI_MASTER_SIGNALS(h.model(), m_axi_dst), timing)) {
    h.reset();
  }
  DeviceMemory mem{kBase, kSize};
  KernelHarness<Vzkacc_copy_kernel> h{mem};
  AxiMemoryPort& src;
  AxiMemoryPort& dst;
};

void write_args(KernelHarness<Vzkacc_copy_kernel>& h, std::uint64_t src, std::uint64_t dst, std::uint32_t beats) {
  h.write_reg(kBeats, beats);
  h.write_reg(kSrcLo, static_cast<std::uint32_t>(src));
  h.write_reg(kSrcHi, static_cast<std::uint32_t>(src >> 32));
  h.write_reg(kDstLo, static_cast<std::uint32_t>(dst));
  h.write_reg(kDstHi, static_cast<std::uint32_t>(dst >> 32));
}

// Polls the control register until ap_done, as a driver without interrupts
// does; returns the control value that showed ap_done.
std::uint32_t wait_done(KernelHarness<Vzkacc_copy_kernel>& h, std::uint64_t max_cycles) {
  const std::uint64_t until = h.cycles() + max_cycles;
  for (;;) {
    const std::uint32_t ctrl = h.read_reg(kCtrl);
    if (ctrl & kDone) return ctrl;
    INFO("control register " << ctrl);
    REQUIRE(h.cycles() < until);
  }
}

std::uint64_t read_cycles(KernelHarness<Vzkacc_copy_kernel>& h) {
  return h.read_reg(kCyclesLo) | std::uint64_t(h.read_reg(kCyclesHi)) << 32;
}

// Bursts a correct master splits a transfer into: at most 64 beats, none
// across a 4 KiB boundary.
std::uint64_t expected_bursts(std::uint64_t addr, std::uint64_t beats) {
  std::uint64_t n = 0;
  while (beats != 0) {
    const std::uint64_t len = std::min({beats, std::uint64_t(64), (4096 - addr % 4096) / kBeat});
    addr += len * kBeat;
    beats -= len;
    ++n;
  }
  return n;
}

std::string hex(std::uint64_t v) {
  std::ostringstream s;
  s << "0x" << std::hex << v;
  return s.str();
}

std::vector<std::uint8_t> random_bytes(std::size_t n, std::mt19937_64& rng) {
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

// Copies `beats` beats from src to dst (card addresses) with random source
// data and a guard pattern around the destination; checks the copy byte for
// byte, the guards, the traffic on both ports and the status registers.
// Returns the cycle count the kernel reports.
std::uint64_t check_copy(CopyBench& b, std::uint64_t src, std::uint64_t dst, std::uint32_t beats,
                         std::mt19937_64& rng) {
  INFO("copy of " << beats << " beats from 0x" << std::hex << src << " to 0x" << dst << std::dec);
  const std::uint64_t bytes = std::uint64_t(beats) * kBeat;
  const auto data = random_bytes(bytes, rng);
  b.mem.write(src, data.data(), bytes);
  b.mem.fill(dst - kBeat, bytes + 2 * kBeat, 0xA5);
  const auto src_before = b.src.stats();
  const auto dst_before = b.dst.stats();

  write_args(b.h, src, dst, beats);
  b.h.write_reg(kCtrl, kStart);
  const std::uint32_t ctrl = wait_done(b.h, 50 * std::uint64_t(beats) + 5000);
  CHECK(ctrl == (kDone | kIdle | kReady));

  std::vector<std::uint8_t> out(bytes);
  b.mem.read(dst, out.data(), bytes);
  CHECK(out == data);
  for (std::uint64_t i = 0; i < kBeat; ++i) {
    REQUIRE(b.mem.span(dst - kBeat, kBeat)[i] == 0xA5);
    REQUIRE(b.mem.span(dst + bytes, kBeat)[i] == 0xA5);
  }
  CHECK(b.src.stats().read_beats - src_before.read_beats == beats);
  CHECK(b.src.stats().read_bursts - src_before.read_bursts == expected_bursts(src, beats));
  CHECK(b.dst.stats().write_beats - dst_before.write_beats == beats);
  CHECK(b.dst.stats().write_bursts - dst_before.write_bursts == expected_bursts(dst, beats));
  CHECK(b.src.stats().write_beats == 0);
  CHECK(b.dst.stats().read_beats == 0);
  CHECK(b.h.read_reg(kErrors) == 0);
  CHECK(b.src.idle());
  CHECK(b.dst.idle());
  return read_cycles(b.h);
}

TEST_CASE("copy kernel: register map after reset", "[rtl][kernel]") {
  CopyBench b;
  auto& h = b.h;
  CHECK(h.read_reg(kCtrl) == kIdle);
  CHECK(h.read_reg(kGie) == 0);
  CHECK(h.read_reg(kIer) == 0);
  CHECK(h.read_reg(kIsr) == 0);
  CHECK_FALSE(h.interrupt());
  for (std::uint32_t off = kBeats; off <= kErrors; off += 4) CHECK(h.read_reg(off) == 0);

  SECTION("arguments read back at their offsets") {
    const std::uint32_t values[] = {0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210, 0x0badf00d};
    for (std::uint32_t i = 0; i < 5; ++i) h.write_reg(kBeats + 4 * i, values[i]);
    for (std::uint32_t i = 0; i < 5; ++i) CHECK(h.read_reg(kBeats + 4 * i) == values[i]);
    // Status registers are read-only; unmapped offsets read 0 and ignore writes.
    h.write_reg(kCyclesLo, 0xffffffff);
    h.write_reg(kErrors, 0xffffffff);
    h.write_reg(0x30, 0x12345678);
    h.write_reg(0xffc, 0x12345678);
    CHECK(h.read_reg(kCyclesLo) == 0);
    CHECK(h.read_reg(kErrors) == 0);
    CHECK(h.read_reg(0x30) == 0);
    CHECK(h.read_reg(0xffc) == 0);
    for (std::uint32_t i = 0; i < 5; ++i) CHECK(h.read_reg(kBeats + 4 * i) == values[i]);
  }

  SECTION("byte strobes") {
    h.write_reg(kSrcLo, 0x11223344);
    h.write_reg(kSrcLo, 0xaabbccdd, 0b0101);
    CHECK(h.read_reg(kSrcLo) == 0x11bb33dd);
    h.write_reg(kSrcLo, 0xaabbccdd, 0b1000);
    CHECK(h.read_reg(kSrcLo) == 0xaabb33dd);
    h.write_reg(kSrcLo, 0, 0);
    CHECK(h.read_reg(kSrcLo) == 0xaabb33dd);
  }

  SECTION("AW and W in either order") {
    for (int skew : {-5, -1, 0, 1, 7}) {
      INFO("W " << skew << " cycles after AW");
      h.control().set_write_skew(skew);
      h.write_reg(kDstHi, 0x5000 + skew);
      CHECK(h.read_reg(kDstHi) == std::uint32_t(0x5000 + skew));
    }
  }

  SECTION("control bits: auto_restart stored, status bits read-only, start not withdrawn by 0") {
    h.write_reg(kCtrl, kAutoRestart);
    CHECK(h.read_reg(kCtrl) == (kAutoRestart | kIdle));
    h.write_reg(kCtrl, kDone | kReady);  // read-only bits, and clears auto_restart
    CHECK(h.read_reg(kCtrl) == kIdle);
    h.write_reg(kGie, 0xffffffff);
    h.write_reg(kIer, 0xffffffff);
    CHECK(h.read_reg(kGie) == 1);
    CHECK(h.read_reg(kIer) == 3);
  }

  SECTION("offsets beyond the control address space are refused by the master") {
    CHECK_THROWS_AS(h.write_reg(0x1000, 0), std::out_of_range);
  }

  SECTION("a slave that does not answer makes a register access throw") {
    // Held in reset (past the kernel's two-cycle reset pipeline), the slave
    // never answers.
    h.model().ap_rst_n = 0;
    h.tick(4);
    CHECK_THROWS_WITH(h.read_reg(kCtrl), Contains("no response in 1000 cycles"));
    CHECK_THROWS_WITH(h.write_reg(kBeats, 1), Contains("no response in 1000 cycles"));
  }
  CHECK(h.assertion_failures() == 0);
}

TEST_CASE("copy kernel: ap_ctrl_hs start run done and restart", "[rtl][kernel]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(0x6b01);
  CopyBench b;
  auto& h = b.h;
  const std::uint64_t src = kBase + 0x1000, dst = kBase + 0x200000;
  const std::uint32_t beats = 1000;
  b.mem.write(src, random_bytes(beats * kBeat, rng).data(), beats * kBeat);

  write_args(h, src, dst, beats);
  h.write_reg(kCtrl, kStart);
  // Taken at once: ap_start cleared by the hardware, the kernel busy.
  const std::uint32_t running = h.read_reg(kCtrl);
  CHECK(running == 0);
  CHECK_FALSE(h.interrupt());
  const std::uint32_t ctrl = wait_done(h, 100000);
  CHECK(ctrl == (kDone | kIdle | kReady));
  // ap_done and ap_ready are cleared by the read that saw them.
  CHECK(h.read_reg(kCtrl) == kIdle);
  CHECK(h.read_reg(kCtrl) == kIdle);
  CHECK(std::equal(b.mem.span(src, beats * kBeat), b.mem.span(src, beats * kBeat) + beats * kBeat,
                   b.mem.span(dst, beats * kBeat)));

  // One beat per cycle on each port once the first read returns: the cycle
  // count is the beats, plus the read latency (30), the last burst's W beats
  // (a burst goes out once all its data is in: at most 64) and the write
  // response latency (10), plus a few pipeline cycles. A master that waited
  // for each burst before asking for the next would take 16 × 30 more.
  const std::uint64_t cycles = read_cycles(h);
  CHECK(cycles >= beats);
  CHECK(cycles <= beats + 30 + 64 + 10 + 40);
  CHECK(b.src.stats().max_reads_in_flight >= 2);
  CHECK(h.read_reg(kCyclesHi) == 0);
  // The same again with twice the beats costs about one cycle per beat more.
  write_args(h, src, dst, 2 * beats);
  h.write_reg(kCtrl, kStart);
  wait_done(h, 100000);
  const std::uint64_t cycles_double = read_cycles(h);
  CHECK(cycles_double >= cycles + beats - 64);
  CHECK(cycles_double <= cycles + beats + 64);

  // Restart with other arguments: the cycle counter starts again.
  const std::uint64_t cycles2 = check_copy(b, kBase + 0x400000, kBase + 0x600040, 10, rng);
  CHECK(cycles2 < 100);
  CHECK(cycles2 > 10);
  // The arguments stay as written after a run.
  CHECK(h.read_reg(kBeats) == 10);
  CHECK(h.read_reg(kSrcHi) == std::uint32_t(kBase >> 32));

  // A copy of zero beats completes at once and touches no memory.
  const auto reads = b.src.stats().read_beats;
  write_args(h, src, dst, 0);
  h.write_reg(kCtrl, kStart);
  CHECK(wait_done(h, 100) == (kDone | kIdle | kReady));
  CHECK(b.src.stats().read_beats == reads);
  CHECK(h.assertion_failures() == 0);
}

TEST_CASE("copy kernel: interrupt registers", "[rtl][kernel]") {
  CopyBench b;
  auto& h = b.h;
  const std::uint64_t src = kBase, dst = kBase + 0x100000;

  auto run = [&](std::uint32_t beats) {
    write_args(h, src, dst, beats);
    h.write_reg(kCtrl, kStart);
    // Poll ap_idle: the reads clear ap_done, not the ISR.
    for (int i = 0; i < 10000 && (h.read_reg(kCtrl) & kIdle) == 0; ++i) {
    }
  };

  SECTION("IER disabled: ISR stays clear, no interrupt") {
    h.write_reg(kGie, 1);
    run(100);
    CHECK(h.read_reg(kIsr) == 0);
    CHECK_FALSE(h.interrupt());
  }
  SECTION("IER done, GIE off: ISR set, line low until GIE") {
    h.write_reg(kIer, 1);
    run(100);
    CHECK(h.read_reg(kIsr) == 1);
    CHECK_FALSE(h.interrupt());
    h.write_reg(kGie, 1);
    CHECK(h.interrupt());
    // ISR is toggle-on-write: writing 1 clears the bit, the line drops.
    h.write_reg(kIsr, 1);
    CHECK(h.read_reg(kIsr) == 0);
    CHECK_FALSE(h.interrupt());
    // Writing 1 again toggles it back on (how a driver can test the line).
    h.write_reg(kIsr, 1);
    CHECK(h.read_reg(kIsr) == 1);
    CHECK(h.interrupt());
    h.write_reg(kIsr, 1);
  }
  SECTION("IER done and ready, GIE on: the line rises at done and not before") {
    h.write_reg(kGie, 1);
    h.write_reg(kIer, 3);
    write_args(h, src, dst, 500);
    h.write_reg(kCtrl, kStart);
    std::uint64_t waited = 0;
    while (!h.interrupt() && waited < 10000) {
      h.tick();
      ++waited;
    }
    CHECK(h.interrupt());
    CHECK(waited > 500);  // not before the copy could have finished
    CHECK(h.read_reg(kCtrl) == (kDone | kIdle | kReady));
    CHECK(h.read_reg(kIsr) == 3);
    h.write_reg(kIsr, 2);  // clear ready only: done still pending
    CHECK(h.read_reg(kIsr) == 1);
    CHECK(h.interrupt());
    h.write_reg(kIer, 2);  // done no longer enabled: the line drops
    CHECK_FALSE(h.interrupt());
    h.write_reg(kIsr, 1);
    CHECK(h.read_reg(kIsr) == 0);
    // A second run sets ready (the only enabled source) again.
    run(20);
    CHECK(h.read_reg(kIsr) == 2);
    CHECK(h.interrupt());
  }
  CHECK(h.assertion_failures() == 0);
}

TEST_CASE("copy kernel: copies are byte-exact", "[rtl][kernel]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(0x6b03);
  CopyBench b;
  for (std::uint32_t beats : {1u, 63u, 64u, 65u, 1000u}) {
    check_copy(b, kBase + 0x10000, kBase + 0x300000, beats, rng);
    // Neither buffer 4 KiB aligned.
    check_copy(b, kBase + 0x20000 + 7 * kBeat, kBase + 0x400000 + 33 * kBeat, beats, rng);
  }
  CHECK(b.h.assertion_failures() == 0);
}

TEST_CASE("copy kernel: bursts split at 4 KiB boundaries", "[rtl][kernel]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(0x6b04);
  CopyBench b;
  // The source starts 5 beats before a boundary, the destination 1 beat
  // before one; 300 beats cross 5 boundaries on each side. A burst across a
  // boundary would make the slave model throw.
  check_copy(b, kBase + 3 * 4096 - 5 * kBeat, kBase + 0x200000 + 4096 - kBeat, 300, rng);
  // The source one beat before a boundary, the destination ending one beat
  // (the guard) before the end of device memory.
  check_copy(b, kBase + 0x100000 + 63 * kBeat, kBase + kSize - 130 * kBeat, 129, rng);
  CHECK(b.h.assertion_failures() == 0);
}

TEST_CASE("copy kernel: random backpressure and latency", "[rtl][kernel]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(0x6b05);
  const int runs = static_cast<int>(zkacc::test::scaled(6));
  for (int r = 0; r < runs; ++r) {
    AxiTiming t = strict_timing();
    t.read_latency = 1 + rng() % 60;
    t.write_latency = 1 + rng() % 20;
    t.max_outstanding_reads = 1 + rng() % 4;
    t.max_outstanding_writes = 1 + rng() % 4;
    t.ready_probability = 0.3 + 0.6 * std::uniform_real_distribution<>()(rng);
    t.valid_probability = 0.3 + 0.6 * std::uniform_real_distribution<>()(rng);
    t.seed = rng();
    INFO("run " << r << ": read latency " << t.read_latency << ", ready p " << t.ready_probability << ", valid p "
                << t.valid_probability);
    CopyBench b(t);
    for (int c = 0; c < 3; ++c) {
      const std::uint32_t beats = 1 + rng() % 700;
      const std::uint64_t src = kBase + (rng() % 1024) * kBeat;
      const std::uint64_t dst = kBase + 0x200000 + (rng() % 1024) * kBeat;
      check_copy(b, src, dst, beats, rng);
    }
    CHECK(b.h.assertion_failures() == 0);
  }
}

TEST_CASE("copy kernel: protocol checks of the memory model", "[rtl][kernel]") {
  SECTION("destination runs past the end of device memory") {
    CopyBench b;
    write_args(b.h, kBase, kBase + kSize - 10 * kBeat, 20);
    b.h.write_reg(kCtrl, kStart);
    CHECK_THROWS_WITH(b.h.tick(2000), Contains("AXI port 'dst'") && Contains("outside device memory"));
    CHECK(b.h.assertion_failures() == 0);
  }
  SECTION("source below the device memory") {
    CopyBench b;
    write_args(b.h, kBase - 4096, kBase, 8);
    b.h.write_reg(kCtrl, kStart);
    CHECK_THROWS_WITH(b.h.tick(2000), Contains("AXI port 'src'") && Contains(hex(kBase - 4096)));
  }
  SECTION("unaligned source: the RTL assertion fires (the engines ignore address bits 5:0)") {
    CopyBench b;
    write_args(b.h, kBase + 8, kBase + 0x1000, 4);
    b.h.write_reg(kCtrl, kStart);
    CHECK(wait_done(b.h, 1000) == (kDone | kIdle | kReady));
    CHECK(b.h.assertion_failures() > 0);
  }
  SECTION("device memory refuses host accesses out of range, naming the address") {
    DeviceMemory mem(kBase, kSize);
    CHECK_THROWS_AS(mem.span(kBase + kSize - 63, 64), std::out_of_range);
    CHECK_THROWS_WITH(mem.span(kBase - 1, 1), Contains(hex(kBase - 1)));
    CHECK_NOTHROW(mem.span(kBase + kSize - 64, 64));
  }
}

// A stand-in for a model's m_axi port: plain variables with the names
// ZKACC_AXI_MASTER_SIGNALS expects, driven by hand to show each protocol
// check of the slave model.
struct FakeMaster {
  CData m_arvalid = 0, m_arready = 0, m_arlen = 0, m_arsize = 6, m_arburst = 1;
  QData m_araddr = 0;
  CData m_rvalid = 0, m_rready = 1, m_rresp = 0, m_rlast = 0;
  VlWide<16> m_rdata{};
  CData m_awvalid = 0, m_awready = 0, m_awlen = 0, m_awsize = 6, m_awburst = 1;
  QData m_awaddr = 0;
  CData m_wvalid = 0, m_wready = 0, m_wlast = 0;
  VlWide<16> m_wdata{};
  QData m_wstrb = ~0ull;
  CData m_bvalid = 0, m_bready = 1, m_bresp = 0;
};

// Runs one cycle of the port against the fake master.
void cycle(AxiMemoryPort& port, std::uint64_t& c) {
  port.drive(c);
  port.sample(c);
  ++c;
}

TEST_CASE("AXI memory model: protocol checks name the port", "[rtl][kernel]") {
  DeviceMemory mem(kBase, kSize);
  FakeMaster m;
  AxiTiming t;
  t.read_latency = 2;
  t.write_latency = 2;
  t.require_rready = true;
  AxiMemoryPort port("probe", ZKACC_AXI_MASTER_SIGNALS(m, m), mem, t);
  std::uint64_t c = 0;
  const auto request_read = [&](std::uint64_t addr, unsigned len, unsigned size, unsigned burst) {
    m.m_arvalid = 1;
    m.m_araddr = addr;
    m.m_arlen = static_cast<CData>(len);
    m.m_arsize = static_cast<CData>(size);
    m.m_arburst = static_cast<CData>(burst);
    cycle(port, c);
  };

  SECTION("a correct read and write go through") {
    mem.fill(kBase + 0x40, 128, 0x5a);
    request_read(kBase + 0x40, 1, 6, 1);
    m.m_arvalid = 0;
    int beats = 0;
    for (int i = 0; i < 10; ++i) {
      port.drive(c);
      if (m.m_rvalid) {
        CHECK(m.m_rdata[0] == 0x5a5a5a5au);
        CHECK(bool(m.m_rlast) == (beats == 1));
        ++beats;
      }
      port.sample(c++);
    }
    CHECK(beats == 2);
    CHECK(port.stats().read_beats == 2);
    m.m_awvalid = 1;
    m.m_awaddr = kBase + 0x1000;
    m.m_awlen = 0;
    cycle(port, c);
    m.m_awvalid = 0;
    m.m_wvalid = 1;
    m.m_wlast = 1;
    m.m_wdata[0] = 0x12345678;
    m.m_wstrb = 0xf;  // only the first four bytes
    for (int i = 0; i < 5 && port.stats().write_beats == 0; ++i) cycle(port, c);
    m.m_wvalid = 0;
    for (int i = 0; i < 5; ++i) cycle(port, c);
    CHECK(port.stats().write_beats == 1);
    CHECK(port.idle());
    CHECK(mem.span(kBase + 0x1000, 8)[0] == 0x78);
    CHECK(mem.span(kBase + 0x1000, 8)[4] == 0x00);
  }
  SECTION("unaligned address") {
    CHECK_THROWS_WITH(request_read(kBase + 8, 0, 6, 1), Contains("AXI port 'probe'") && Contains("not 64-byte aligned"));
  }
  SECTION("size other than 64 bytes") {
    CHECK_THROWS_WITH(request_read(kBase, 0, 5, 1), Contains("AXI port 'probe'") && Contains("size 5"));
  }
  SECTION("burst type other than INCR") {
    CHECK_THROWS_WITH(request_read(kBase, 0, 6, 2), Contains("only INCR"));
  }
  SECTION("burst across 4 KiB") {
    CHECK_THROWS_WITH(request_read(kBase + 4096 - 64, 1, 6, 1), Contains("crosses a 4 KiB boundary"));
  }
  SECTION("outside the device memory") {
    CHECK_THROWS_WITH(request_read(kBase + kSize, 0, 6, 1), Contains(hex(kBase + kSize)) && Contains("outside device memory"));
  }
  SECTION("arvalid dropped or address changed before arready") {
    t.ready_probability = 0.0;  // the slave never accepts
    port.set_timing(t);
    request_read(kBase, 0, 6, 1);
    SECTION("changed") { CHECK_THROWS_WITH(request_read(kBase, 0, 0, 1), Contains("payload changed")); }
    SECTION("dropped") {
      m.m_arvalid = 0;
      CHECK_THROWS_WITH(cycle(port, c), Contains("arvalid dropped before arready"));
    }
  }
  SECTION("rready low while a beat is offered, for a master that promised it") {
    request_read(kBase, 0, 6, 1);
    m.m_arvalid = 0;
    m.m_rready = 0;
    CHECK_THROWS_WITH(
        [&] {
          for (int i = 0; i < 10; ++i) cycle(port, c);
        }(),
        Contains("rready low"));
  }
  SECTION("wlast on the wrong beat") {
    m.m_awvalid = 1;
    m.m_awaddr = kBase;
    m.m_awlen = 3;
    cycle(port, c);
    m.m_awvalid = 0;
    m.m_wvalid = 1;
    m.m_wlast = 1;  // on the first of four beats
    CHECK_THROWS_WITH(
        [&] {
          for (int i = 0; i < 10; ++i) cycle(port, c);
        }(),
        Contains("AXI port 'probe'") && Contains("wlast set on beat 0"));
  }
}

// Simulation speed of the copy kernel (not a test; run with
// `rtl_kernel_infra_tests "[perf]"`).
TEST_CASE("copy kernel: simulation speed", "[.perf]") {
  CopyBench b;
  const std::uint32_t beats = 60000;  // 3.84 MB each way
  write_args(b.h, kBase, kBase + 0x400000, beats);
  const auto t0 = std::chrono::steady_clock::now();
  const std::uint64_t c0 = b.h.cycles();
  for (int i = 0; i < 10; ++i) {
    b.h.write_reg(kCtrl, kStart);
    wait_done(b.h, 10 * std::uint64_t(beats));
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::uint64_t cycles = b.h.cycles() - c0;
  WARN(cycles << " cycles in " << s << " s: " << cycles / s << " cycles/s; kernel reports " << read_cycles(b.h)
              << " cycles for " << beats << " beats");
}

}  // namespace
