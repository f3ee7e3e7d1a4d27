// SimKernel: a Vitis RTL kernel as the device layer sees it — 32-bit control
// registers, a clock, an interrupt line and the card memory — whether it is
// a Verilated model (KernelHarness, below) or, behind the same register map,
// a real card.
//
// KernelHarness<Model> owns the Verilated model of a kernel top (ports
// ap_clk, ap_rst_n, s_axi_control_*, interrupt and m_axi_<name>_*), drives
// its control slave with an AxiLiteMaster and serves each m_axi port added
// with add_port() from the shared DeviceMemory. One cycle:
//   1. the slaves' outputs (memory ports, control master) are driven from
//      their state;
//   2. eval() with ap_clk low: the model's outputs settle on those inputs;
//   3. the handshakes of both sides are sampled (valid && ready as the model
//      sees them at the coming edge) and the slaves' state advances;
//   4. rising edge: ap_clk = 1, eval();
//   5. falling edge: ap_clk = 0, eval().
// RTL assertion failures ($error under --assert) are counted, not fatal, as
// in ClockedModel: tests require assertion_failures() to stay zero.
#pragma once

#include <verilated.h>

#include <cstdint>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "harness/axi_lite_master.hpp"
#include "harness/axi_memory.hpp"
#include "harness/device_memory.hpp"

namespace zkacc::sim {

class SimKernel {
 public:
  virtual ~SimKernel() = default;
  virtual void write_reg(std::uint32_t offset, std::uint32_t value) = 0;
  virtual std::uint32_t read_reg(std::uint32_t offset) = 0;
  virtual void tick(std::uint64_t cycles = 1) = 0;  // advances the clock, memory ports serviced every cycle
  virtual std::uint64_t cycles() const = 0;         // since construction
  virtual bool interrupt() const = 0;
  virtual DeviceMemory& memory() = 0;
  virtual std::uint64_t assertion_failures() const = 0;  // RTL assertions that fired
  // ap_rst_n low for `cycles` cycles: a run in progress is dropped and the
  // registers return to their reset values (card memory is kept).
  virtual void reset(unsigned cycles = 16) = 0;
};

template <class Model>
class KernelHarness final : public SimKernel {
 public:
  // ctrl_addr_bits: width of s_axi_control_awaddr/araddr (the kernel's
  // control address width parameter).
  explicit KernelHarness(DeviceMemory& memory, unsigned ctrl_addr_bits = 12)
      : context_(make_context()),
        model_(std::make_unique<Model>(context_.get(), "top")),
        memory_(memory),
        control_(ZKACC_AXI_LITE_SIGNALS(*model_, s_axi_control), ctrl_addr_bits) {
    model_->ap_clk = 0;
    model_->ap_rst_n = 1;
    model_->eval();
  }
  KernelHarness(const KernelHarness&) = delete;
  KernelHarness& operator=(const KernelHarness&) = delete;
  ~KernelHarness() override {
    // A model's scopes unregister from the calling thread's current context
    // (Verilated::threadContextp), which is whichever model last ran on this
    // thread; with several models alive it may already be destroyed. Point
    // it at this model's own context first.
    Verilated::threadContextp(context_.get());
    model_->final();
    model_.reset();
  }

  Model& model() { return *model_; }
  AxiLiteMaster& control() { return control_; }

  // Serves the model's m_axi port `signals` (ZKACC_AXI_MASTER_SIGNALS) from
  // memory(). `name` appears in protocol error messages.
  AxiMemoryPort& add_port(std::string name, const AxiMasterSignals& signals, const AxiTiming& timing = {}) {
    ports_.push_back(std::make_unique<AxiMemoryPort>(std::move(name), signals, memory_, timing));
    return *ports_.back();
  }
  AxiMemoryPort& port(std::string_view name) {
    for (auto& p : ports_)
      if (p->name() == name) return *p;
    throw std::out_of_range("KernelHarness: no port named '" + std::string(name) + "'");
  }

  // Holds ap_rst_n low for `cycles` cycles (Vitis asks for at least 16 at
  // start-up) with the ports' transactions dropped and the control master
  // idle. The memory ports are held in reset with the kernel, as a card's
  // interconnect is: they offer nothing and accept nothing. The kernel's own
  // blocks see the reset two cycles late (kernel_reset_pipe), so its masters
  // may still drive a request or drop a valid in those cycles; nobody takes
  // it, as on a card.
  void reset(unsigned cycles = 16) override {
    control_.reset();
    model_->ap_rst_n = 0;
    ports_in_reset_ = true;
    tick(cycles);
    ports_in_reset_ = false;
    for (auto& p : ports_) p->reset();
    model_->ap_rst_n = 1;
    model_->eval();
  }

  // Cycles a register access may wait for its response before it throws.
  void set_register_timeout(std::uint64_t cycles) { register_timeout_ = cycles; }

  void write_reg(std::uint32_t offset, std::uint32_t value) override { write_reg(offset, value, 0xF); }
  void write_reg(std::uint32_t offset, std::uint32_t value, std::uint8_t strb) {
    control_.start_write(offset, value, strb);
    finish("write to", offset);
  }
  std::uint32_t read_reg(std::uint32_t offset) override {
    control_.start_read(offset);
    finish("read of", offset);
    return control_.read_data();
  }

  void tick(std::uint64_t cycles = 1) override {
    for (std::uint64_t i = 0; i < cycles; ++i) cycle_once();
  }
  std::uint64_t cycles() const override { return cycle_; }
  bool interrupt() const override {
    // Verilator renames the Vitis port `interrupt` (a word it reserves).
    if constexpr (requires(const Model& m) { m.__SYM__interrupt; })
      return model_->__SYM__interrupt;
    else
      return model_->interrupt;
  }
  DeviceMemory& memory() override { return memory_; }

  std::uint64_t assertion_failures() const override { return static_cast<std::uint64_t>(context_->errorCount()); }

 private:
  static std::unique_ptr<VerilatedContext> make_context() {
    auto c = std::make_unique<VerilatedContext>();
    // $error in an assertion only counts while the count is below the limit:
    // the limit is set out of reach so failures are counted, not fatal.
    c->errorLimit(1 << 30);
    c->fatalOnError(false);
    return c;
  }

  void cycle_once() {
    // Verilator counts an assertion's $error in the calling thread's current
    // context, which a model's construction sets (the last model made): this
    // kernel's failures count in its own context, whatever else is alive.
    Verilated::threadContextp(context_.get());
    for (auto& p : ports_) {
      if (ports_in_reset_) p->reset();
      else p->drive(cycle_);
    }
    control_.drive();
    model_->eval();
    if (!ports_in_reset_)
      for (auto& p : ports_) p->sample(cycle_);
    control_.sample();
    model_->ap_clk = 1;
    model_->eval();
    model_->ap_clk = 0;
    model_->eval();
    ++cycle_;
  }

  void finish(const char* what, std::uint32_t offset) {
    for (std::uint64_t i = 0; i < register_timeout_ && control_.busy(); ++i) cycle_once();
    if (control_.busy()) {
      control_.reset();
      std::ostringstream msg;
      msg << "AXI-Lite control: " << what << " register 0x" << std::hex << offset << " got no response in "
          << std::dec << register_timeout_ << " cycles";
      throw std::runtime_error(msg.str());
    }
  }

  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Model> model_;
  DeviceMemory& memory_;
  AxiLiteMaster control_;
  std::vector<std::unique_ptr<AxiMemoryPort>> ports_;
  std::uint64_t cycle_ = 0;
  std::uint64_t register_timeout_ = 1000;
  bool ports_in_reset_ = false;  // the memory ports held in reset with the kernel (reset())
};

}  // namespace zkacc::sim
