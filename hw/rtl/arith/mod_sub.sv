// mod_sub: c = (a − b) mod Modulus for reduced inputs a, b < Modulus.
//
// Latency: 3 cycles (zkacc_arith_pkg::ModAddLatency). Throughput: one per cycle.
//
// Both candidates are formed in parallel on Width+1 bits (two's complement):
//   x = a − b = a + ~b + 1            (cpa_pipe with carry in)
//   y = a − b + Modulus               (one 3:2 carry-save level, then cpa_pipe)
// and x is kept unless it is negative (bit Width set).
//
// | stage | work                                             |
// |-------|--------------------------------------------------|
// | 1–2   | x and y by carry-select addition (cpa_pipe)      |
// | 3     | c = x < 0 ? y : x                                |
//
// Assertions (simulation): inputs below Modulus on every accepted beat;
// result below Modulus.
module mod_sub #(
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
  localparam logic [Width:0] ModulusExt = {1'b0, Modulus};

  logic [Width:0] a_ext, nb_ext, csa_s, csa_c;
  assign a_ext = {1'b0, a_i};
  assign nb_ext = ~{1'b0, b_i};
  assign csa_s = a_ext ^ nb_ext ^ ModulusExt;
  assign csa_c = {(a_ext[Width-1:0] & nb_ext[Width-1:0]) | (a_ext[Width-1:0] & ModulusExt[Width-1:0])
                  | (nb_ext[Width-1:0] & ModulusExt[Width-1:0]), 1'b0};

  logic [Width:0] diff, wrap;
  logic diff_cout, wrap_cout;
  cpa_pipe #(.Width(Width + 1), .ChunkWidth(ChunkWidth)) u_diff (
    .clk_i, .en_i, .a_i(a_ext), .b_i(nb_ext), .cin_i(1'b1), .s_o(diff), .cout_o(diff_cout)
  );
  cpa_pipe #(.Width(Width + 1), .ChunkWidth(ChunkWidth)) u_wrap (
    .clk_i, .en_i, .a_i(csa_s), .b_i(csa_c), .cin_i(1'b1), .s_o(wrap), .cout_o(wrap_cout)
  );
  // Both sums are taken mod 2^(Width+1), where they are two's complement.
  logic unused_cout;
  assign unused_cout = diff_cout ^ wrap_cout ^ wrap[Width];

  logic [Width-1:0] c_q;
  always_ff @(posedge clk_i) begin
    if (en_i) c_q <= diff[Width] ? wrap[Width-1:0] : diff[Width-1:0];
  end
  assign c_o = c_q;

  valid_delay #(.TagWidth(TagWidth), .Depth(Latency)) u_valid (
    .clk_i, .rst_ni, .en_i, .valid_i, .tag_i, .valid_o, .tag_o
  );

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni && en_i && valid_i) begin
      assert (a_i < Modulus) else $error("mod_sub: input a = %h is not below the modulus", a_i);
      assert (b_i < Modulus) else $error("mod_sub: input b = %h is not below the modulus", b_i);
    end
    if (rst_ni && valid_o) begin
      assert (c_o < Modulus) else $error("mod_sub: result %h is not below the modulus", c_o);
    end
  end
`endif

endmodule
