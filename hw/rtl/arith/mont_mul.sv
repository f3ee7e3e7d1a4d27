// mont_mul: pipelined Montgomery multiplier, c = a·b·R^-1 mod p with
// R = 2^Width, for reduced inputs a, b < p = Modulus (odd, below R).
//
// Values are in Montgomery form (ā = a·R mod p), with the same R = 2^256 as
// the C++ MontgomeryField, so c̄ equals MontgomeryField::mont_mul(ā, b̄) bit for
// bit. Montgomery reduction, full width (not word by word):
//
//   T = a·b                          (< p^2)
//   m = (T mod R)·(−p^-1) mod R      (so T + m·p = 0 mod R)
//   V = (T + m·p) / R                (< (p^2 + R·p)/R < 2p)
//   c = V − p if V >= p, else V
//
// −p^-1 mod R is derived from Modulus at elaboration
// (zkacc_arith_pkg::mont_neg_inv).
//
// Latency: Latency = L1 + L2 + L3 + 3 cycles, where
//   L1 = mul_latency(P, P, 2P)     T = a·b, P = bit length of Modulus
//   L2 = mul_latency(W, W, W)      m, low half only
//   L3 = mul_latency(W, P, W+P+1)  T + m·p (T enters as the addend)
// and 3 is the final conditional subtraction (zkacc_arith_pkg::
// mont_mul_latency). For BN254 (P = 254, W = 256, 26×17 tiles, 3 carry-save
// levels per stage) L1 = 8, L2 = 8, L3 = 8 and Latency = 27. With Karatsuba
// = 1, T and T + m·p are karatsuba_mul_pipe: L1 = L3 = 12, Latency = 35.
// Throughput: one product per cycle.
//
// | stages   | work                                                   | tiles (Karatsuba) |
// |----------|--------------------------------------------------------|-------------------|
// | L1       | T = a·b  (mul_pipe, 10×15 tiles of 26×17)              | 150 (3 × 40)      |
// | L2       | m = T_lo·(−p^-1) mod R  (mul_pipe, 86 tiles below R)   | 86 (86)           |
// | L3       | T + m·p  (mul_pipe with T as addend, 10×15 tiles)      | 150 (3 × 40)      |
// | 3        | V − p and select (cpa_pipe + register)                 |                   |
//
// A tile is one DSP48E2 on a Xilinx card: 386 per multiplier, 326 with
// Karatsuba (the point adder's choice, zkacc_arith_pkg::MsmMulKaratsuba).
//
// Assertions (simulation): inputs below Modulus on every accepted beat; the
// low W bits of T + m·p are zero; the result is below Modulus.
module mont_mul
#(
  parameter int unsigned Width = 256,
  parameter logic [Width-1:0] Modulus = zkacc_arith_pkg::Bn254Q,
  parameter int unsigned TagWidth = 1,
  parameter int unsigned TileA = 26,
  parameter int unsigned TileB = 17,
  parameter int unsigned LevelsPerStage = 3,
  parameter int unsigned ChunkWidth = 24,
  // 1: the two full products by one level of Karatsuba (3/4 of the tiles,
  // 6 more cycles); 0: schoolbook mul_pipe.
  parameter bit Karatsuba = 1'b0
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

  localparam int unsigned P = zkacc_arith_pkg::bit_length(Modulus);
  localparam logic [Width-1:0] NegInv = Width'(zkacc_arith_pkg::mont_neg_inv(256'(Modulus)));
  localparam int unsigned WidthT = 2 * P;
  localparam int unsigned WidthU = Width + P + 1;
  localparam int unsigned L1 = Karatsuba
      ? zkacc_arith_pkg::karatsuba_mul_latency(P, P, TileA, TileB, LevelsPerStage)
      : zkacc_arith_pkg::mul_latency(P, P, WidthT, TileA, TileB, LevelsPerStage);
  localparam int unsigned L2 = zkacc_arith_pkg::mul_latency(Width, Width, Width, TileA, TileB, LevelsPerStage);
  localparam int unsigned L3 = Karatsuba
      ? zkacc_arith_pkg::karatsuba_mul_latency(Width, P, TileA, TileB, LevelsPerStage)
      : zkacc_arith_pkg::mul_latency(Width, P, WidthU, TileA, TileB, LevelsPerStage);
  localparam int unsigned Latency = L1 + L2 + L3 + zkacc_arith_pkg::CpaLatency + 1;

  // T = a·b. Inputs are below p < 2^P, so only their low P bits are multiplied.
  logic [WidthT-1:0] t;
  if (Karatsuba) begin : gen_t_karatsuba
    karatsuba_mul_pipe #(
      .WidthA(P), .WidthB(P), .WidthP(WidthT), .TileA(TileA), .TileB(TileB),
      .LevelsPerStage(LevelsPerStage), .ChunkWidth(ChunkWidth)
    ) u_mul_t (
      .clk_i, .en_i, .a_i(a_i[P-1:0]), .b_i(b_i[P-1:0]), .addend_i('0), .p_o(t)
    );
  end else begin : gen_t_schoolbook
    mul_pipe #(
      .WidthA(P), .WidthB(P), .WidthP(WidthT), .TileA(TileA), .TileB(TileB),
      .LevelsPerStage(LevelsPerStage), .ChunkWidth(ChunkWidth)
    ) u_mul_t (
      .clk_i, .en_i, .a_i(a_i[P-1:0]), .b_i(b_i[P-1:0]), .addend_i('0), .p_o(t)
    );
  end

  // m = (T mod R)·(−p^-1) mod R.
  logic [Width-1:0] m;
  mul_pipe #(
    .WidthA(Width), .WidthB(Width), .WidthP(Width), .TileA(TileA), .TileB(TileB),
    .LevelsPerStage(LevelsPerStage), .ChunkWidth(ChunkWidth)
  ) u_mul_m (
    .clk_i, .en_i, .a_i(t[Width-1:0]), .b_i(NegInv), .addend_i('0), .p_o(m)
  );

  logic [WidthT-1:0] t_d;
  pipe_delay #(.Width(WidthT), .Depth(L2)) u_t_delay (
    .clk_i, .en_i, .d_i(t), .q_o(t_d)
  );

  // T + m·p; its low Width bits are zero by the choice of m.
  logic [WidthU-1:0] tu;
  if (Karatsuba) begin : gen_u_karatsuba
    karatsuba_mul_pipe #(
      .WidthA(Width), .WidthB(P), .WidthP(WidthU), .TileA(TileA), .TileB(TileB),
      .LevelsPerStage(LevelsPerStage), .ChunkWidth(ChunkWidth)
    ) u_mul_u (
      .clk_i, .en_i, .a_i(m), .b_i(Modulus[P-1:0]), .addend_i(WidthU'(t_d)), .p_o(tu)
    );
  end else begin : gen_u_schoolbook
    mul_pipe #(
      .WidthA(Width), .WidthB(P), .WidthP(WidthU), .TileA(TileA), .TileB(TileB),
      .LevelsPerStage(LevelsPerStage), .ChunkWidth(ChunkWidth)
    ) u_mul_u (
      .clk_i, .en_i, .a_i(m), .b_i(Modulus[P-1:0]), .addend_i(WidthU'(t_d)), .p_o(tu)
    );
  end

  // V = (T + m·p) / R < 2p; c = V − p unless that is negative.
  logic [P:0] v;
  assign v = tu[WidthU-1:Width];

  logic [P+1:0] x;
  logic x_cout;
  cpa_pipe #(.Width(P + 2), .ChunkWidth(ChunkWidth)) u_sub (
    .clk_i, .en_i, .a_i({1'b0, v}), .b_i(~{2'b00, Modulus[P-1:0]}), .cin_i(1'b1),
    .s_o(x), .cout_o(x_cout)
  );
  logic [P:0] v_d;
  pipe_delay #(.Width(P + 1), .Depth(zkacc_arith_pkg::CpaLatency)) u_v_delay (
    .clk_i, .en_i, .d_i(v), .q_o(v_d)
  );

  logic [P-1:0] c_q;
  always_ff @(posedge clk_i) begin
    if (en_i) c_q <= x[P+1] ? v_d[P-1:0] : x[P-1:0];
  end
  assign c_o = Width'(c_q);

  // Valid and tag: first to the stage where T + m·p appears, then to the output.
  logic valid_tu;
  logic [TagWidth-1:0] tag_tu;
  valid_delay #(.TagWidth(TagWidth), .Depth(L1 + L2 + L3)) u_valid_tu (
    .clk_i, .rst_ni, .en_i, .valid_i, .tag_i, .valid_o(valid_tu), .tag_o(tag_tu)
  );
  valid_delay #(.TagWidth(TagWidth), .Depth(Latency - (L1 + L2 + L3))) u_valid (
    .clk_i, .rst_ni, .en_i, .valid_i(valid_tu), .tag_i(tag_tu), .valid_o, .tag_o
  );

  // Bits outside the value range: the top bits of the reduced inputs (zero
  // for inputs below p), the carry out and top bit of V − p (V − p > −2^P), V's
  // top bit when V < p, and the low half of T + m·p (zero; asserted below).
  logic unused_bits;
  assign unused_bits = ^{a_i[Width-1:P], b_i[Width-1:P], x_cout, x[P], v_d[P], tu[Width-1:0]};

`ifndef SYNTHESIS
  logic [Width-1:0] tu_low;
  assign tu_low = tu[Width-1:0];
  always_ff @(posedge clk_i) begin
    if (rst_ni && en_i && valid_i) begin
      assert (a_i < Modulus) else $error("mont_mul: input a = %h is not below the modulus", a_i);
      assert (b_i < Modulus) else $error("mont_mul: input b = %h is not below the modulus", b_i);
    end
    if (rst_ni && valid_tu) begin
      assert (tu_low == '0) else $error("mont_mul: T + m*p = %h is not a multiple of R", tu);
    end
    if (rst_ni && valid_o) begin
      assert (c_o < Modulus) else $error("mont_mul: result %h is not below the modulus", c_o);
    end
  end
`endif

endmodule
