// AxiLiteMaster: drives a kernel's AXI4-Lite control slave (s_axi_control_*)
// cycle by cycle, one 32-bit register access at a time, the way the host's
// PCIe-to-AXI bridge does on a card.
//
// Bound through AxiLiteSignals, built with
// ZKACC_AXI_LITE_SIGNALS(model, s_axi_control). Like AxiMemoryPort it has a
// drive() step (before the model's evaluation) and a sample() step (after
// it, before the rising edge); KernelHarness calls both every cycle and
// turns start_write/start_read into blocking register accesses with a
// bounded wait.
#pragma once

#include <verilated.h>

#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace zkacc::sim {

// A model input or output of up to 64 bits whose C++ type (CData, SData,
// IData or QData) depends on a parameter, such as the control address width.
class UintPort {
 public:
  UintPort() = default;
  template <class T>
  UintPort(T* p) : p_(p), bytes_(sizeof(T)) {  // NOLINT: implicit from a model member's address
    static_assert(std::is_unsigned_v<T> && sizeof(T) <= 8, "UintPort: a Verilator port of at most 64 bits");
  }
  void set(std::uint64_t v) const {
    switch (bytes_) {
      case 1: *static_cast<std::uint8_t*>(p_) = static_cast<std::uint8_t>(v); break;
      case 2: *static_cast<std::uint16_t*>(p_) = static_cast<std::uint16_t>(v); break;
      case 4: *static_cast<std::uint32_t*>(p_) = static_cast<std::uint32_t>(v); break;
      default: *static_cast<std::uint64_t*>(p_) = v; break;
    }
  }
  std::uint64_t get() const {
    switch (bytes_) {
      case 1: return *static_cast<const std::uint8_t*>(p_);
      case 2: return *static_cast<const std::uint16_t*>(p_);
      case 4: return *static_cast<const std::uint32_t*>(p_);
      default: return *static_cast<const std::uint64_t*>(p_);
    }
  }

 private:
  void* p_ = nullptr;
  unsigned bytes_ = 0;
};

struct AxiLiteSignals {
  CData* awvalid;
  CData* awready;
  UintPort awaddr;
  CData* wvalid;
  CData* wready;
  IData* wdata;
  CData* wstrb;
  CData* bvalid;
  CData* bready;
  CData* bresp;
  CData* arvalid;
  CData* arready;
  UintPort araddr;
  CData* rvalid;
  CData* rready;
  IData* rdata;
  CData* rresp;
};

// ZKACC_AXI_LITE_SIGNALS(model, s_axi_control): the AxiLiteSignals of the
// model's port s_axi_control_* (model: a Verilated model object).
#define ZKACC_AXI_LITE_SIGNALS(model, prefix)                                                              \
  (::zkacc::sim::AxiLiteSignals{                                                                           \
      .awvalid = &(model).prefix##_awvalid, .awready = &(model).prefix##_awready,                          \
      .awaddr = &(model).prefix##_awaddr, .wvalid = &(model).prefix##_wvalid,                              \
      .wready = &(model).prefix##_wready, .wdata = &(model).prefix##_wdata, .wstrb = &(model).prefix##_wstrb, \
      .bvalid = &(model).prefix##_bvalid, .bready = &(model).prefix##_bready,                              \
      .bresp = &(model).prefix##_bresp, .arvalid = &(model).prefix##_arvalid,                              \
      .arready = &(model).prefix##_arready, .araddr = &(model).prefix##_araddr,                            \
      .rvalid = &(model).prefix##_rvalid, .rready = &(model).prefix##_rready,                              \
      .rdata = &(model).prefix##_rdata, .rresp = &(model).prefix##_rresp})

class AxiLiteMaster {
 public:
  explicit AxiLiteMaster(const AxiLiteSignals& signals, unsigned addr_bits = 12)
      : s_(signals), addr_bits_(addr_bits) {
    reset();
  }

  // Offset of W relative to AW in the next writes: 0 both in the same cycle,
  // n > 0 W n cycles after AW, n < 0 AW -n cycles after W. A slave must
  // accept either order.
  void set_write_skew(int cycles) { skew_ = cycles; }

  bool busy() const { return op_ != Op::kIdle; }
  std::uint32_t read_data() const { return rdata_; }

  void start_write(std::uint32_t offset, std::uint32_t value, std::uint8_t strb = 0xF) {
    begin(offset, "write");
    op_ = Op::kWrite;
    value_ = value;
    strb_ = strb & 0xF;
    aw_done_ = w_done_ = false;
  }

  void start_read(std::uint32_t offset) {
    begin(offset, "read");
    op_ = Op::kRead;
    ar_done_ = false;
  }

  // Abandons the access in progress and drives every valid low.
  void reset() {
    op_ = Op::kIdle;
    age_ = 0;
    drive();
  }

  // Step 1 of a cycle: the master's outputs.
  void drive() {
    const bool write = op_ == Op::kWrite;
    const bool read = op_ == Op::kRead;
    *s_.awvalid = write && !aw_done_ && age_ >= (skew_ < 0 ? unsigned(-skew_) : 0u);
    *s_.wvalid = write && !w_done_ && age_ >= (skew_ > 0 ? unsigned(skew_) : 0u);
    s_.awaddr.set(write ? offset_ : 0);
    *s_.wdata = write ? value_ : 0;
    *s_.wstrb = write ? strb_ : 0;
    *s_.bready = write && aw_done_ && w_done_;
    *s_.arvalid = read && !ar_done_;
    s_.araddr.set(read ? offset_ : 0);
    *s_.rready = read && ar_done_;
  }

  // Step 3 of a cycle: handshakes; throws on a response nobody asked for or
  // an error response.
  void sample() {
    if (*s_.bvalid && !*s_.bready && op_ != Op::kWrite) fail("B response without a write");
    if (*s_.rvalid && !*s_.rready && op_ != Op::kRead) fail("R response without a read");
    if (op_ == Op::kWrite) {
      if (*s_.awvalid && *s_.awready) aw_done_ = true;
      if (*s_.wvalid && *s_.wready) w_done_ = true;
      if (*s_.bvalid && *s_.bready) {
        if (*s_.bresp != 0) fail("write to " + hex(offset_) + ": bresp " + std::to_string(*s_.bresp));
        op_ = Op::kIdle;
      }
    } else if (op_ == Op::kRead) {
      if (*s_.arvalid && *s_.arready) ar_done_ = true;
      if (*s_.rvalid && *s_.rready) {
        if (*s_.rresp != 0) fail("read of " + hex(offset_) + ": rresp " + std::to_string(*s_.rresp));
        rdata_ = *s_.rdata;
        op_ = Op::kIdle;
      }
    }
    ++age_;
  }

 private:
  enum class Op { kIdle, kWrite, kRead };

  void begin(std::uint32_t offset, const char* what) {
    if (busy()) fail(std::string(what) + " of " + hex(offset) + " while another access is in progress");
    if (addr_bits_ < 32 && offset >> addr_bits_ != 0)
      throw std::out_of_range("AXI-Lite: register offset " + hex(offset) + " beyond the " +
                              std::to_string(addr_bits_) + "-bit control address space");
    offset_ = offset;
    age_ = 0;
  }

  [[noreturn]] static void fail(const std::string& what) { throw std::runtime_error("AXI-Lite control: " + what); }

  static std::string hex(std::uint64_t v) {
    std::ostringstream s;
    s << "0x" << std::hex << v;
    return s.str();
  }

  AxiLiteSignals s_;
  unsigned addr_bits_;
  int skew_ = 0;
  Op op_ = Op::kIdle;
  std::uint32_t offset_ = 0, value_ = 0, rdata_ = 0;
  std::uint8_t strb_ = 0xF;
  bool aw_done_ = false, w_done_ = false, ar_done_ = false;
  unsigned age_ = 0;  // cycles since the access started
};

}  // namespace zkacc::sim
