// g1_xyzz_madd, simulation model: the point adder of hw/rtl/msm/g1_xyzz_madd.sv
// with the same module name, parameters, ports, latency, stall behaviour and
// results, its arithmetic done in C++ (g1_xyzz_madd_model.cpp, through DPI)
// instead of by ten pipelined Montgomery multipliers. A kernel model built
// from this file in place of the RTL adder (sim/CMakeLists.txt, the
// *_cpp_adder models) simulates about a hundred times faster, because the
// adder's 161 stages of 256-bit datapath are most of the kernel's per-cycle
// work; everything else in the kernel is its RTL.
//
// Equivalence: tests/rtl/g1_xyzz_madd_test.cpp drives this model and the RTL
// adder with the same random and edge-case streams, bubbles and stalls, and
// requires the same out_valid_o every cycle and the same tag, doubling flag
// and sum whenever it is set. The sum is bit-exact, not just the same point:
// the C++ side follows the RTL's formulas (madd-2008-s, mdbl-2008-s-1 on the
// doubling pass) and case order, over canonical Montgomery-form Fq values as
// the RTL's cores produce them.
//
// Latency: Latency = 4·Lm + 6·La + 3 cycles, as the RTL (161 for the
// defaults). Throughput: one addition per cycle. The result is computed when
// the input is taken and waits in a ring of Latency slots, one slot written
// per advancing cycle, so a stall holds everything as the RTL's pipeline
// does. Data outputs are meaningful only with out_valid_o (the RTL's hold
// stale values otherwise, this model's whatever the ring slot holds).
//
// Checks (simulation): coordinates below q on every accepted input, as the
// RTL adder asserts. The stall-protocol assertions of the RTL adder are not
// repeated here; the equivalence test and the kernel tests on the RTL models
// cover the producer's side.
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

  // Returns 0 when a coordinate is not below q (the sum is then meaningless).
  import "DPI-C" function bit zkacc_g1_xyzz_madd_model(
    input bit dbl,
    input bit [255:0] bucket_x, input bit [255:0] bucket_y,
    input bit [255:0] bucket_zz, input bit [255:0] bucket_zzz,
    input bit [255:0] point_x, input bit [255:0] point_y,
    output bit [255:0] sum_x, output bit [255:0] sum_y,
    output bit [255:0] sum_zz, output bit [255:0] sum_zzz,
    output bit needs_doubling);

  localparam int unsigned W = 256;
  localparam logic [W-1:0] Q = zkacc_arith_pkg::Bn254Q;
  localparam int unsigned Lm = zkacc_arith_pkg::mont_mul_latency(W, Q, 26, 17, 3, zkacc_arith_pkg::MsmMulKaratsuba);
  localparam int unsigned La = zkacc_arith_pkg::ModAddLatency;
  localparam int unsigned Latency = 4 * Lm + 6 * La + 3;
  localparam int unsigned PtrWidth = $clog2(Latency);
  localparam int unsigned EntryWidth = TagWidth + 1 + 4 * W;

  logic en;
  assign en = !stall_i;

  // Slot ptr_q holds the result taken Latency advancing cycles ago: it is on
  // the outputs now and is overwritten by the next advancing cycle.
  logic [PtrWidth-1:0] ptr_q;
  logic [Latency-1:0] valid_q;
  logic [EntryWidth-1:0] ring_q [Latency];

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      ptr_q <= '0;
      valid_q <= '0;
    end else if (en) begin
      valid_q[ptr_q] <= in_valid_i;
      ptr_q <= (ptr_q == PtrWidth'(Latency - 1)) ? '0 : ptr_q + PtrWidth'(1);
    end
  end

  bit [W-1:0] sx, sy, szz, szzz;
  bit need, coords_ok;
  always_ff @(posedge clk_i) begin
    if (rst_ni && en && in_valid_i) begin
      coords_ok = zkacc_g1_xyzz_madd_model(in_dbl_i, bucket_x_i, bucket_y_i, bucket_zz_i, bucket_zzz_i,
                                           point_x_i, point_y_i, sx, sy, szz, szzz, need);
`ifndef SYNTHESIS
      assert (coords_ok) else $error("g1_xyzz_madd (model): coordinate not below q: %h %h %h %h %h %h",
                                     bucket_x_i, bucket_y_i, bucket_zz_i, bucket_zzz_i, point_x_i, point_y_i);
`endif
      ring_q[ptr_q] <= {in_tag_i, need, sx, sy, szz, szzz};
    end
  end

  assign out_valid_o = valid_q[ptr_q];
  assign {out_tag_o, out_dbl_o, sum_x_o, sum_y_o, sum_zz_o, sum_zzz_o} = ring_q[ptr_q];

endmodule
