// g1_xyzz_madd, RTL bridge: the point adder of hw/rtl/msm/g1_xyzz_madd.sv,
// simulated by its own Verilator model (Vg1_xyzz_madd, TagWidth 16; see
// sim/CMakeLists.txt) behind a shell with the same module name, parameters and
// ports. Each instance of the shell owns an instance of that model
// (g1_xyzz_madd_rtl_bridge.cpp, through DPI: a chandle made in an initial
// block, so the two-lane kernel's two adders are two models), passes it its
// inputs at every rising clock edge, evaluates it, and takes its outputs.
//
// Why: the adder's ten pipelined Montgomery multipliers are nearly all of the
// C++ that Verilator makes of an all-RTL kernel, and each kernel model would
// compile them again (some 310 of the 350 CPU-seconds of the one- and two-lane
// kernels). Built with this file in place of the RTL adder
// (sim/CMakeLists.txt: Vzkacc_msm_kernel, Vzkacc_msm_kernel_l2), a kernel
// model compiles only its own RTL, and the adder's is compiled once, as
// Vg1_xyzz_madd, which the adder's tests (tests/rtl/g1_xyzz_madd_test.cpp)
// use too. What is simulated is the same RTL; only where its C++ comes from
// differs (and the all-RTL kernel tests run a little faster than with the
// adder verilated inside: docs/kernel_msm.md).
//
// Cycle-exact: every output of the RTL adder is a register (out_valid_o,
// out_tag_o and out_dbl_o from valid_delay, the sums from x_q .. zzz_q), and
// every register resets synchronously, so its outputs change only at a
// rising clock edge. The shell's process runs at exactly those events, in
// the same evaluation as the kernel's other clocked processes, which commit their values only after it
// (non-blocking), so it passes the inputs as they were before the edge: what
// the monolithic adder's registers would sample. The inner model clocks once
// on them, and its outputs after the edge become the shell's outputs
// (non-blocking, like any register): exactly the values the monolithic
// adder's registers hold after that edge. A second process lowers the inner
// model's clock at the falling edge (no output changes there), so the inner
// clock follows clk_i and the next rising edge is an edge to it. The data
// outputs are the RTL's in every cycle, meaningful or not.
//
// Reset: rst_ni (synchronous, active low in the RTL) is passed at every
// rising edge with the other inputs, so the inner model resets at the edges
// at which the monolithic adder would, clocking its registers without reset
// as it does.
//
// Tags: the inner model has TagWidth 16; the shell's tag (TagWidth ≤ 16:
// BucketBits, or BucketBits − 1 per lane) is zero-extended into it and cut
// back out of it. The tag only travels with its addition, so the width
// changes nothing else.
//
// Latency: those of the RTL, unchanged: Latency = 4·Lm + 6·La + 3 cycles (161
// for the defaults). Throughput: one addition per cycle.
//
// Checks (simulation): the RTL adder's own assertions (coordinates below q,
// the stall protocol) and those of its cores run inside the inner model,
// which is verilated with --assert and made in the VerilatedContext of the
// model holding the shell (assertions on or off with it). A failing one
// prints its message (hierarchy: the shell's, then g1_xyzz_madd) and is
// counted as the kernel's own are (Verilator counts $error in the context
// current on the thread: the kernel's, which is evaluating), so the
// harness's assertion_failures() sees it. The shell checks TagWidth ≤ 16 and
// that its inner model exists.
module g1_xyzz_madd #(
  parameter int unsigned TagWidth = 16
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                stall_i,
  input  logic                in_valid_i,
  input  logic [TagWidth-1:0] in_tag_i,
  input  logic                in_dbl_i,
  input  logic [255:0]        bucket_x_i,
  input  logic [255:0]        bucket_y_i,
  input  logic [255:0]        bucket_zz_i,
  input  logic [255:0]        bucket_zzz_i,
  input  logic [255:0]        point_x_i,
  input  logic [255:0]        point_y_i,
  output logic                out_valid_o,
  output logic [TagWidth-1:0] out_tag_o,
  output logic                out_dbl_o,
  output logic [255:0]        sum_x_o,
  output logic [255:0]        sum_y_o,
  output logic [255:0]        sum_zz_o,
  output logic [255:0]        sum_zzz_o
);

  // The inner model's tag width (the -GTagWidth of Vg1_xyzz_madd).
  localparam int unsigned InnerTagWidth = 16;

  // A new inner model (named after this instance, in the caller's context),
  // evaluated once with the clock low and out of reset; null on failure.
  import "DPI-C" context function chandle zkacc_g1_xyzz_madd_rtl_new();
  // Sets the inner model's inputs (its clock to clk), evaluates it, returns
  // its outputs.
  import "DPI-C" function void zkacc_g1_xyzz_madd_rtl_eval(
    input chandle model,
    input bit clk, input bit rst_n, input bit stall, input bit in_valid,
    input int in_tag, input bit in_dbl,
    input bit [255:0] bucket_x, input bit [255:0] bucket_y,
    input bit [255:0] bucket_zz, input bit [255:0] bucket_zzz,
    input bit [255:0] point_x, input bit [255:0] point_y,
    output bit out_valid, output int out_tag, output bit out_dbl,
    output bit [255:0] sum_x, output bit [255:0] sum_y,
    output bit [255:0] sum_zz, output bit [255:0] sum_zzz);
  // Sets the inner model's clock low and evaluates it.
  import "DPI-C" function void zkacc_g1_xyzz_madd_rtl_clock_low(input chandle model);
  // Runs the inner model's final blocks and deletes it.
  import "DPI-C" function void zkacc_g1_xyzz_madd_rtl_free(input chandle model);

  chandle model;
  initial begin
`ifndef SYNTHESIS
    assert (TagWidth <= InnerTagWidth)
      else $fatal(1, "g1_xyzz_madd (RTL bridge): TagWidth %0d above the inner model's %0d", TagWidth, InnerTagWidth);
`endif
    model = zkacc_g1_xyzz_madd_rtl_new();
`ifndef SYNTHESIS
    assert (model != null) else $fatal(1, "g1_xyzz_madd (RTL bridge): no inner model");
`endif
  end
  final zkacc_g1_xyzz_madd_rtl_free(model);

  bit v, d;
  int t;
  bit [255:0] sx, sy, szz, szzz;
  always @(posedge clk_i) begin
    zkacc_g1_xyzz_madd_rtl_eval(model, clk_i, rst_ni, stall_i, in_valid_i, int'(in_tag_i), in_dbl_i,
                                bucket_x_i, bucket_y_i, bucket_zz_i, bucket_zzz_i, point_x_i, point_y_i,
                                v, t, d, sx, sy, szz, szzz);
    out_valid_o <= v;
    out_tag_o <= TagWidth'(t);
    out_dbl_o <= d;
    sum_x_o <= sx;
    sum_y_o <= sy;
    sum_zz_o <= szz;
    sum_zzz_o <= szzz;
  end
  always @(negedge clk_i) zkacc_g1_xyzz_madd_rtl_clock_low(model);
  // The inner tag's bits above TagWidth are the zeros put in.
  logic unused_tag;
  assign unused_tag = ^t[31:TagWidth];

endmodule
