// AxiMemoryPort: cycle-accurate AXI4 slave memory behind one m_axi port of a
// Verilated kernel, backed by a DeviceMemory shared with the other ports.
//
// The port is bound to the model's signals through AxiMasterSignals, built
// with ZKACC_AXI_MASTER_SIGNALS(model, m_axi_src) (pointers to the model's
// m_axi_src_* members; a port whose widths are not the zkacc convention —
// 64-bit address, 512-bit data — does not compile).
//
// Each cycle the owner (KernelHarness) calls drive() before evaluating the
// model, to set the slave's outputs for this cycle from the port's state, and
// sample() after the evaluation and before the rising edge, to take the
// handshakes that happen at that edge (valid && ready, both sides as the
// model sees them). Transactions:
//   AR accepted (arready offered, at most max_outstanding_reads bursts in
//   flight) -> its first R beat offered read_latency cycles later, then one
//   beat a cycle, in order (one ID), rlast on the last;
//   AW accepted (at most max_outstanding_writes without B) -> W beats taken
//   in AW order (wready only once an AW is there), written with wstrb ->
//   B offered write_latency cycles after the last W beat.
// With ready_probability / valid_probability below 1 the ready signals and
// the start of each R beat / B response are withheld at random (seeded):
// backpressure a real interconnect produces, which a correct master absorbs.
//
// Protocol checks (std::runtime_error naming the port; the harness must not
// be used after one): burst type not INCR, size not 64 bytes, address not
// 64-byte aligned, burst crossing a 4 KiB boundary, burst outside the
// DeviceMemory, wlast on the wrong beat, a valid dropped or its payload
// changed before its ready, and, when the timing asks for it (the zkacc
// stream engines promise it), rready / bready low while a beat / response is
// offered.
#pragma once

#include <verilated.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <deque>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "harness/device_memory.hpp"

namespace zkacc::sim {

// Pointers to the model's signals of one AXI4 master port. Verilator types:
// 1–8 bits CData, 9–16 SData, 17–32 IData, 33–64 QData, 512 bits VlWide<16>.
// A null arvalid (or awvalid) means the port has no read (write) channels.
struct AxiMasterSignals {
  // Read address channel.
  CData* arvalid = nullptr;
  CData* arready = nullptr;
  QData* araddr = nullptr;
  CData* arlen = nullptr;
  CData* arsize = nullptr;
  CData* arburst = nullptr;
  // Read data channel.
  CData* rvalid = nullptr;
  CData* rready = nullptr;
  VlWide<16>* rdata = nullptr;
  CData* rresp = nullptr;
  CData* rlast = nullptr;
  // Write address channel.
  CData* awvalid = nullptr;
  CData* awready = nullptr;
  QData* awaddr = nullptr;
  CData* awlen = nullptr;
  CData* awsize = nullptr;
  CData* awburst = nullptr;
  // Write data channel.
  CData* wvalid = nullptr;
  CData* wready = nullptr;
  VlWide<16>* wdata = nullptr;
  QData* wstrb = nullptr;
  CData* wlast = nullptr;
  // Write response channel.
  CData* bvalid = nullptr;
  CData* bready = nullptr;
  CData* bresp = nullptr;
};

// ZKACC_AXI_MASTER_SIGNALS(model, m_axi_src): the AxiMasterSignals of the
// model's port m_axi_src_* (model: a Verilated model object, not a pointer).
#define ZKACC_AXI_MASTER_SIGNALS(model, prefix)                                                   \
  (::zkacc::sim::AxiMasterSignals{                                                                \
      .arvalid = &(model).prefix##_arvalid, .arready = &(model).prefix##_arready,                 \
      .araddr = &(model).prefix##_araddr, .arlen = &(model).prefix##_arlen,                       \
      .arsize = &(model).prefix##_arsize, .arburst = &(model).prefix##_arburst,                   \
      .rvalid = &(model).prefix##_rvalid, .rready = &(model).prefix##_rready,                     \
      .rdata = &(model).prefix##_rdata, .rresp = &(model).prefix##_rresp,                         \
      .rlast = &(model).prefix##_rlast, .awvalid = &(model).prefix##_awvalid,                     \
      .awready = &(model).prefix##_awready, .awaddr = &(model).prefix##_awaddr,                   \
      .awlen = &(model).prefix##_awlen, .awsize = &(model).prefix##_awsize,                       \
      .awburst = &(model).prefix##_awburst, .wvalid = &(model).prefix##_wvalid,                   \
      .wready = &(model).prefix##_wready, .wdata = &(model).prefix##_wdata,                       \
      .wstrb = &(model).prefix##_wstrb, .wlast = &(model).prefix##_wlast,                         \
      .bvalid = &(model).prefix##_bvalid, .bready = &(model).prefix##_bready,                     \
      .bresp = &(model).prefix##_bresp})

// Timing and checking options of one port.
struct AxiTiming {
  unsigned read_latency = 30;            // cycles from the AR handshake to the first R beat offered (>= 1)
  unsigned write_latency = 10;           // cycles from the last W beat to its B offered (>= 1)
  unsigned max_outstanding_reads = 8;    // bursts accepted on AR and not fully answered; arready low beyond
  unsigned max_outstanding_writes = 8;   // bursts accepted on AW whose B has not been taken
  double ready_probability = 1.0;        // arready / awready / wready offered in a cycle
  double valid_probability = 1.0;        // a new R beat / B response offered in a cycle
  std::uint64_t seed = 1;                // for the two probabilities
  bool require_rready = false;           // throw when rready is low while an R beat is offered
  bool require_bready = false;           // throw when bready is low while a B response is offered
};

// Traffic seen by one port.
struct AxiPortStats {
  std::uint64_t read_bursts = 0;
  std::uint64_t read_beats = 0;
  std::uint64_t write_bursts = 0;
  std::uint64_t write_beats = 0;
  std::uint64_t max_reads_in_flight = 0;   // most read bursts accepted and not fully answered at once
  std::uint64_t max_writes_in_flight = 0;  // most write bursts accepted and not yet answered on B
};

class AxiMemoryPort {
 public:
  static constexpr std::uint64_t kBeatBytes = 64;
  static constexpr std::uint64_t kBoundary = 4096;

  AxiMemoryPort(std::string name, const AxiMasterSignals& signals, DeviceMemory& memory, const AxiTiming& timing = {})
      : name_(std::move(name)), s_(signals), memory_(memory) {
    set_timing(timing);
    reset();
  }
  AxiMemoryPort(const AxiMemoryPort&) = delete;
  AxiMemoryPort& operator=(const AxiMemoryPort&) = delete;

  const std::string& name() const { return name_; }
  const AxiTiming& timing() const { return timing_; }
  const AxiPortStats& stats() const { return stats_; }
  bool has_read() const { return s_.arvalid != nullptr; }
  bool has_write() const { return s_.awvalid != nullptr; }

  // New timing; takes effect from the next cycle (the random stream restarts
  // from timing.seed).
  void set_timing(const AxiTiming& timing) {
    if (timing.read_latency == 0 || timing.write_latency == 0 || timing.max_outstanding_reads == 0 ||
        timing.max_outstanding_writes == 0)
      throw std::invalid_argument("AXI port '" + name_ + "': latencies and outstanding limits must be >= 1");
    timing_ = timing;
    rng_.seed(timing.seed);
    ready_ = std::bernoulli_distribution(timing.ready_probability);
    valid_ = std::bernoulli_distribution(timing.valid_probability);
  }

  // Drops every transaction in flight (the kernel is being reset) and drives
  // the slave outputs idle. Statistics are kept.
  void reset() {
    reads_.clear();
    writes_.clear();
    responses_.clear();
    r_offered_ = b_offered_ = false;
    ar_ready_ = aw_ready_ = w_ready_ = false;
    ar_pending_ = aw_pending_ = w_pending_ = false;
    drive_idle();
  }

  // True when no burst is in flight on either direction.
  bool idle() const { return reads_.empty() && writes_.empty() && responses_.empty(); }

  // Step 1 of a cycle: the slave's outputs for this cycle.
  void drive(std::uint64_t cycle) {
    if (has_read()) {
      ar_ready_ = reads_.size() < timing_.max_outstanding_reads && chance(ready_);
      *s_.arready = ar_ready_;
      // An offered beat stays offered, unchanged, until it is taken.
      if (!r_offered_ && !reads_.empty() && cycle >= reads_.front().ready_cycle && chance(valid_)) {
        const Burst& b = reads_.front();
        const std::uint64_t addr = b.addr + b.done * kBeatBytes;
        std::memcpy(s_.rdata->data(), memory_.span(addr, kBeatBytes), kBeatBytes);
        *s_.rresp = 0;
        *s_.rlast = b.done + 1 == b.beats;
        r_offered_ = true;
      }
      *s_.rvalid = r_offered_;
    }
    if (has_write()) {
      aw_ready_ = writes_.size() + responses_.size() < timing_.max_outstanding_writes && chance(ready_);
      *s_.awready = aw_ready_;
      w_ready_ = !writes_.empty() && chance(ready_);
      *s_.wready = w_ready_;
      if (!b_offered_ && !responses_.empty() && cycle >= responses_.front() && chance(valid_)) {
        *s_.bresp = 0;
        b_offered_ = true;
      }
      *s_.bvalid = b_offered_;
    }
  }

  // Step 3 of a cycle (after the model's evaluation, before the rising edge):
  // the handshakes of this cycle and the protocol checks.
  void sample(std::uint64_t cycle) {
    if (has_read()) sample_read(cycle);
    if (has_write()) sample_write(cycle);
  }

 private:
  struct Burst {
    std::uint64_t addr;
    std::uint64_t beats;
    std::uint64_t done;         // beats transferred so far
    std::uint64_t ready_cycle;  // reads: first cycle its data may be offered
  };
  // An address channel's payload, to check that it holds while valid waits.
  struct Request {
    std::uint64_t addr;
    unsigned len, size, burst;
    bool operator==(const Request&) const = default;
  };

  bool chance(std::bernoulli_distribution& d) { return d.p() >= 1.0 || d(rng_); }

  void drive_idle() {
    if (has_read()) {
      *s_.arready = 0;
      *s_.rvalid = 0;
      *s_.rresp = 0;
      *s_.rlast = 0;
    }
    if (has_write()) {
      *s_.awready = 0;
      *s_.wready = 0;
      *s_.bvalid = 0;
      *s_.bresp = 0;
    }
  }

  [[noreturn]] void fail(const std::string& what) const { throw std::runtime_error("AXI port '" + name_ + "': " + what); }

  static std::string hex(std::uint64_t v) {
    std::ostringstream s;
    s << "0x" << std::hex << v;
    return s.str();
  }

  // Checks a request taken on AR or AW and returns its burst.
  Burst accept(const char* kind, const Request& r, std::uint64_t ready_cycle) const {
    const std::uint64_t beats = std::uint64_t(r.len) + 1;
    const std::string where = std::string(kind) + " burst at " + hex(r.addr) + " (" + std::to_string(beats) + " beats)";
    if (r.burst != 1) fail(where + ": burst type " + std::to_string(r.burst) + ", only INCR (1) is supported");
    if (r.size != 6) fail(where + ": size " + std::to_string(r.size) + ", beats must be 64 bytes (size 6)");
    if (r.addr % kBeatBytes != 0) fail(where + ": address not 64-byte aligned");
    if (r.addr % kBoundary + beats * kBeatBytes > kBoundary) fail(where + ": crosses a 4 KiB boundary");
    if (!memory_.contains(r.addr, beats * kBeatBytes))
      fail(where + ": outside device memory [" + hex(memory_.base()) + ", " + hex(memory_.base() + memory_.size()) +
           ")");
    return Burst{r.addr, beats, 0, ready_cycle};
  }

  // AXI: once valid is high it stays high, with the same payload, until the
  // handshake.
  void check_hold(const char* channel, bool was_pending, const Request& before, bool valid, const Request& now) const {
    if (!was_pending) return;
    if (!valid) fail(std::string(channel) + "valid dropped before " + channel + "ready");
    if (!(now == before)) fail(std::string(channel) + " payload changed while " + channel + "valid waited for ready");
  }

  void sample_read(std::uint64_t cycle) {
    const bool arvalid = *s_.arvalid;
    const Request ar{*s_.araddr, *s_.arlen, *s_.arsize, *s_.arburst};
    check_hold("ar", ar_pending_, ar_last_, arvalid, ar);
    ar_pending_ = arvalid && !ar_ready_;
    ar_last_ = ar;
    if (arvalid && ar_ready_) {
      reads_.push_back(accept("read", ar, cycle + timing_.read_latency));
      ++stats_.read_bursts;
      stats_.max_reads_in_flight = std::max<std::uint64_t>(stats_.max_reads_in_flight, reads_.size());
    }
    if (r_offered_) {
      if (*s_.rready) {
        Burst& b = reads_.front();
        ++stats_.read_beats;
        if (++b.done == b.beats) reads_.pop_front();
        r_offered_ = false;
      } else if (timing_.require_rready) {
        fail("rready low while an R beat is offered (this master promises rready high)");
      }
    }
  }

  void sample_write(std::uint64_t cycle) {
    const bool awvalid = *s_.awvalid;
    const Request aw{*s_.awaddr, *s_.awlen, *s_.awsize, *s_.awburst};
    check_hold("aw", aw_pending_, aw_last_, awvalid, aw);
    aw_pending_ = awvalid && !aw_ready_;
    aw_last_ = aw;

    // W before AW's acceptance in this cycle: wready was offered only for
    // bursts already accepted, so the beat belongs to writes_.front().
    const bool wvalid = *s_.wvalid;
    const bool wlast = *s_.wlast;
    if (w_pending_) {
      if (!wvalid) fail("wvalid dropped before wready");
      if (wlast != w_last_) fail("wlast changed while wvalid waited for wready");
    }
    w_pending_ = wvalid && !w_ready_;
    w_last_ = wlast;
    if (wvalid && w_ready_) {
      Burst& b = writes_.front();
      const bool last = b.done + 1 == b.beats;
      if (wlast != last)
        fail("wlast " + std::string(wlast ? "set on beat " : "missing on last beat ") + std::to_string(b.done) +
             " of the write burst at " + hex(b.addr) + " (" + std::to_string(b.beats) + " beats)");
      store(b.addr + b.done * kBeatBytes, *s_.wdata, *s_.wstrb);
      ++stats_.write_beats;
      if (++b.done == b.beats) {
        writes_.pop_front();
        responses_.push_back(cycle + timing_.write_latency);
      }
    }
    if (awvalid && aw_ready_) {
      writes_.push_back(accept("write", aw, 0));
      ++stats_.write_bursts;
      stats_.max_writes_in_flight =
          std::max<std::uint64_t>(stats_.max_writes_in_flight, writes_.size() + responses_.size());
    }
    if (b_offered_) {
      if (*s_.bready) {
        responses_.pop_front();
        b_offered_ = false;
      } else if (timing_.require_bready) {
        fail("bready low while a B response is offered (this master promises bready high)");
      }
    }
  }

  // Writes a beat and reports the 8-byte words it wrote whole to the
  // memory's write tracking.
  void store(std::uint64_t addr, const VlWide<16>& data, std::uint64_t strb) {
    std::uint8_t* dst = memory_.span(addr, kBeatBytes);
    if (strb == ~std::uint64_t(0)) {
      std::memcpy(dst, data.data(), kBeatBytes);
      memory_.note_write(addr, kBeatBytes);
      return;
    }
    std::uint8_t bytes[kBeatBytes];
    std::memcpy(bytes, data.data(), kBeatBytes);
    for (unsigned i = 0; i < kBeatBytes; ++i)
      if (strb >> i & 1) dst[i] = bytes[i];
    for (unsigned w = 0; w < kBeatBytes / 8; ++w)
      if ((strb >> (8 * w) & 0xFF) == 0xFF) memory_.note_write(addr + 8 * w, 8);
  }

  std::string name_;
  AxiMasterSignals s_;
  DeviceMemory& memory_;
  AxiTiming timing_;
  AxiPortStats stats_;
  std::mt19937_64 rng_;
  std::bernoulli_distribution ready_, valid_;

  std::deque<Burst> reads_;             // accepted, not fully answered
  std::deque<Burst> writes_;            // accepted, W beats still to come
  std::deque<std::uint64_t> responses_; // cycle from which each pending B may be offered
  bool r_offered_ = false, b_offered_ = false;
  bool ar_ready_ = false, aw_ready_ = false, w_ready_ = false;
  // Valid seen without ready last cycle, and its payload.
  bool ar_pending_ = false, aw_pending_ = false, w_pending_ = false;
  Request ar_last_{}, aw_last_{};
  bool w_last_ = false;
};

}  // namespace zkacc::sim
