// mod_add: c = (a + b) mod Modulus for reduced inputs a, b < Modulus.
//
// Latency: 3 cycles (zkacc_arith_pkg::ModAddLatency). Throughput: one per cycle.
//
// Both candidates are formed in parallel on Width+1 bits:
//   s = a + b            (cpa_pipe)
//   x = a + b − Modulus  (one 3:2 carry-save level, then cpa_pipe)
// and x is kept unless it is negative (its bit Width is set; |a + b − p| < 2^Width).
//
// | stage | work                                             |
// |-------|--------------------------------------------------|
// | 1–2   | s and x by carry-select addition (cpa_pipe)      |
// | 3     | c = x < 0 ? s : x                                |
//
// Assertions (simulation): inputs below Modulus on every accepted beat;
// result below Modulus.
module mod_add #(
  parameter int unsigned Width = 256,
  parameter logic [Width-1:0] Modulus = '1,
  parameter int unsigned TagWidth = 1,
  parameter int unsigned ChunkWidth = 24
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                en_i,      // pipeline advances (0: hold, a stall)
  input  logic                valid_i,
  input  logic [TagWidth-1:0] tag_i,
  input  logic [Width-1:0]    a_i,
  input  logic [Width-1:0]    b_i,
  output logic                valid_o,
  output logic [TagWidth-1:0] tag_o,
  output logic [Width-1:0]    c_o
);

  // One simulation class shared by every instance: the point adder has eleven
  // multipliers, inlined they would make the generated C++ eleven times larger.
  /* verilator no_inline_module */

  localparam int unsigned Latency = zkacc_arith_pkg::ModAddLatency;
  localparam logic [Width:0] NegModulus = ~{1'b0, Modulus} + (Width + 1)'(1);  // 2^(Width+1) − p

  logic [Width:0] a_ext, b_ext, csa_s, csa_c;
  assign a_ext = {1'b0, a_i};
  assign b_ext = {1'b0, b_i};
  assign csa_s = a_ext ^ b_ext ^ NegModulus;
  assign csa_c = {(a_ext[Width-1:0] & b_ext[Width-1:0]) | (a_ext[Width-1:0] & NegModulus[Width-1:0])
                  | (b_ext[Width-1:0] & NegModulus[Width-1:0]), 1'b0};

  logic [Width:0] sum, diff;
  logic sum_cout, diff_cout;
  cpa_pipe #(.Width(Width + 1), .ChunkWidth(ChunkWidth)) u_sum (
    .clk_i, .en_i, .a_i(a_ext), .b_i(b_ext), .cin_i(1'b0), .s_o(sum), .cout_o(sum_cout)
  );
  cpa_pipe #(.Width(Width + 1), .ChunkWidth(ChunkWidth)) u_diff (
    .clk_i, .en_i, .a_i(csa_s), .b_i(csa_c), .cin_i(1'b0), .s_o(diff), .cout_o(diff_cout)
  );
  // Both sums are taken mod 2^(Width+1), where they are exact or two's complement.
  logic unused_cout;
  assign unused_cout = sum_cout ^ diff_cout ^ sum[Width];

  logic [Width-1:0] c_q;
  always_ff @(posedge clk_i) begin
    if (en_i) c_q <= diff[Width] ? sum[Width-1:0] : diff[Width-1:0];
  end
  assign c_o = c_q;

  valid_delay #(.TagWidth(TagWidth), .Depth(Latency)) u_valid (
    .clk_i, .rst_ni, .en_i, .valid_i, .tag_i, .valid_o, .tag_o
  );

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni && en_i && valid_i) begin
      assert (a_i < Modulus) else $error("mod_add: input a = %h is not below the modulus", a_i);
      assert (b_i < Modulus) else $error("mod_add: input b = %h is not below the modulus", b_i);
    end
    if (rst_ni && valid_o) begin
      assert (c_o < Modulus) else $error("mod_add: result %h is not below the modulus", c_o);
    end
  end
`endif

endmodule
