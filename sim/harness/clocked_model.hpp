// ClockedModel<Model>: owns a Verilated model and its context, drives clk_i
// and rst_ni, and counts cycles. Assertion failures in the RTL ($error under
// --assert) are counted instead of aborting the process, so a test can both
// require that none fired and show that a bad input makes one fire.
//
// Every core in hw/rtl has clk_i and rst_ni (active low); Model is the class
// Verilator generates (Vmont_mul_fq, ...).
#pragma once

#include <verilated.h>

#include <cstdint>
#include <memory>

namespace zkacc::sim {

template <class Model>
class ClockedModel {
 public:
  ClockedModel() : context_(std::make_unique<VerilatedContext>()) {
    // $error in an assertion calls vl_stop_maybe(), which only counts the
    // error while the count is below the limit; the limit is set out of reach
    // and assertion_failures() reports the count.
    context_->errorLimit(1 << 30);
    context_->fatalOnError(false);
    model_ = std::make_unique<Model>(context_.get(), "top");
    model_->clk_i = 0;
    model_->rst_ni = 1;
    model_->eval();
  }
  ClockedModel(const ClockedModel&) = delete;
  ClockedModel& operator=(const ClockedModel&) = delete;
  ~ClockedModel() {
    // A model's scopes unregister from the calling thread's current context
    // (Verilated::threadContextp), which is whichever model last ran on this
    // thread; with several models alive it may already be destroyed. Point
    // it at this model's own context first.
    Verilated::threadContextp(context_.get());
    model_->final();
    model_.reset();
  }

  Model& io() { return *model_; }
  Model* operator->() { return model_.get(); }

  // One clock cycle: inputs set before the call are sampled at the rising
  // edge; outputs read after the call show the registers' new values.
  void tick() {
    make_current();
    model_->clk_i = 1;
    model_->eval();
    model_->clk_i = 0;
    model_->eval();
    ++cycle_;
  }

  // Holds rst_ni low for `cycles` clock cycles.
  void reset(int cycles = 2) {
    make_current();
    model_->rst_ni = 0;
    model_->eval();
    for (int i = 0; i < cycles; ++i) tick();
    model_->rst_ni = 1;
    model_->eval();
  }

  std::uint64_t cycle() const { return cycle_; }
  std::uint64_t assertion_failures() const { return static_cast<std::uint64_t>(context_->errorCount()); }

  // Verilator counts an assertion's $error in the calling thread's current
  // context (Verilated::threadContextp), which a model's construction sets:
  // with several models alive, the last one made. tick() and reset() make
  // this model's context current, so its failures count in its own
  // assertion_failures(); a test calling eval() itself calls this first.
  void make_current() { Verilated::threadContextp(context_.get()); }

 private:
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Model> model_;
  std::uint64_t cycle_ = 0;
};

}  // namespace zkacc::sim
