// The C++ half of g1_xyzz_madd_rtl_bridge.sv: one Verilator model of the RTL
// point adder (Vg1_xyzz_madd, hw/rtl/msm/g1_xyzz_madd.sv with TagWidth 16,
// in zkacc_sim_adder_rtl) per instance of the shell, driven through DPI. Ports
// of 256 bits are eight 32-bit words, least significant first, both as
// svBitVecVal[8] and as Verilator's VlWide<8>, so they are copied word for
// word.
//
// The inner model is made in the VerilatedContext of the model that holds
// the shell (assertions on or off, time), and an assertion failing in it is
// counted in the context current on the thread, the outer model's while it
// evaluates: where the kernel's own assertions count. The outer model's
// final() (the harnesses call it before deleting a model) deletes the inner
// one.
#include <svdpi.h>
#include <verilated.h>

#include <cstring>

#include "Vg1_xyzz_madd.h"

namespace {

void set_wide(VlWide<8>& port, const svBitVecVal* v) { std::memcpy(port.data(), v, 8 * sizeof(svBitVecVal)); }
void get_wide(const VlWide<8>& port, svBitVecVal* v) { std::memcpy(v, port.data(), 8 * sizeof(svBitVecVal)); }

}  // namespace

extern "C" void* zkacc_g1_xyzz_madd_rtl_new() {
  // A context import: the scope is the calling instance of the shell.
  const svScope scope = svGetScope();
  if (scope == nullptr) return nullptr;
  VerilatedContext* const context = static_cast<const VerilatedScope*>(scope)->symsp()->_vm_contextp__;
  auto* model = new Vg1_xyzz_madd(context, svGetNameFromScope(scope));
  // Clock low and out of reset, so that the first rising edge is one.
  model->clk_i = 0;
  model->rst_ni = 1;
  model->eval();
  return model;
}

extern "C" void zkacc_g1_xyzz_madd_rtl_eval(void* handle, svBit clk, svBit rst_n, svBit stall, svBit in_valid,
                                            int in_tag, svBit in_dbl, const svBitVecVal* bucket_x,
                                            const svBitVecVal* bucket_y, const svBitVecVal* bucket_zz,
                                            const svBitVecVal* bucket_zzz, const svBitVecVal* point_x,
                                            const svBitVecVal* point_y, svBit* out_valid, int* out_tag,
                                            svBit* out_dbl, svBitVecVal* sum_x, svBitVecVal* sum_y,
                                            svBitVecVal* sum_zz, svBitVecVal* sum_zzz) {
  auto* model = static_cast<Vg1_xyzz_madd*>(handle);
  model->clk_i = clk;
  model->rst_ni = rst_n;
  model->stall_i = stall;
  model->in_valid_i = in_valid;
  model->in_tag_i = static_cast<SData>(in_tag);
  model->in_dbl_i = in_dbl;
  set_wide(model->bucket_x_i, bucket_x);
  set_wide(model->bucket_y_i, bucket_y);
  set_wide(model->bucket_zz_i, bucket_zz);
  set_wide(model->bucket_zzz_i, bucket_zzz);
  set_wide(model->point_x_i, point_x);
  set_wide(model->point_y_i, point_y);
  model->eval();
  *out_valid = model->out_valid_o;
  *out_tag = model->out_tag_o;
  *out_dbl = model->out_dbl_o;
  get_wide(model->sum_x_o, sum_x);
  get_wide(model->sum_y_o, sum_y);
  get_wide(model->sum_zz_o, sum_zz);
  get_wide(model->sum_zzz_o, sum_zzz);
}

extern "C" void zkacc_g1_xyzz_madd_rtl_clock_low(void* handle) {
  auto* model = static_cast<Vg1_xyzz_madd*>(handle);
  model->clk_i = 0;
  model->eval();
}

extern "C" void zkacc_g1_xyzz_madd_rtl_free(void* handle) {
  auto* model = static_cast<Vg1_xyzz_madd*>(handle);
  if (model == nullptr) return;
  model->final();
  delete model;
}
