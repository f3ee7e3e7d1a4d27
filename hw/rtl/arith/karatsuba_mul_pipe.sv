// karatsuba_mul_pipe: pipelined multiply-add p = (a·b + addend) mod 2^WidthP
// with one level of Karatsuba: three half-size mul_pipe products instead of
// one full one, which is about 3/4 of the tiles (DSP48E2 slices). For the
// 254-bit operands of BN254: 3 × 40 = 120 tiles of 26×17 against 150.
//
// With h = Split, a = a1·2^h + a0 and b = b1·2^h + b0:
//   z0 = a0·b0   z2 = a1·b1   z1 = (a0 + a1)·(b0 + b1)
//   a·b = z0 + (z1 − z0 − z2)·2^h + z2·2^2h
// The two subtractions are added as one's complements (−x = ~x + 1 mod
// 2^WidthP); their two +1s sit in bit 0 of the z1 and z2 rows, which are
// shifted and so free there. Six rows, one carry-save stage, one adder.
//
// Latency: zkacc_arith_pkg::karatsuba_mul_latency(WidthA, WidthB, WidthP,
// TileA, TileB, LevelsPerStage) = CpaLatency + max(three mul_pipe latencies)
// + csa_latency(6) + CpaLatency; 12 cycles for BN254 (254×254 and 256×254
// with the defaults) against mul_pipe's 8. Throughput: one product per cycle.
//
// | stage   | work                                                           |
// |---------|----------------------------------------------------------------|
// | 2       | the sums a0 + a1, b0 + b1 (cpa_pipe: a 128-bit ripple carry in  |
// |         | one cycle would be 32 CARRY4 deep); a0, a1, b0, b1 delayed     |
// | mul     | z0, z1, z2 (three mul_pipe), the shorter ones delayed to match |
// | csa     | z0, z1·2^h, ~(z0·2^h), ~(z2·2^h), z2·2^2h, addend to two rows   |
// | cpa (2) | carry-select add (cpa_pipe)                                    |
//
// Why one level: a second level would save 12 more tiles per product (9 × 12
// against 3 × 40) for six more carry-propagate adders; the tile count, not the
// adders, is what decides how many point adders fit a card.
module karatsuba_mul_pipe
#(
  parameter int unsigned WidthA = 254,
  parameter int unsigned WidthB = 254,
  parameter int unsigned WidthP = 508,
  parameter int unsigned TileA = 26,
  parameter int unsigned TileB = 17,
  parameter int unsigned LevelsPerStage = 3,
  parameter int unsigned ChunkWidth = 24
) (
  input  logic              clk_i,
  input  logic              en_i,
  input  logic [WidthA-1:0] a_i,
  input  logic [WidthB-1:0] b_i,
  input  logic [WidthP-1:0] addend_i,
  output logic [WidthP-1:0] p_o
);

  localparam int unsigned H = zkacc_arith_pkg::karatsuba_split(WidthA, WidthB);
  localparam int unsigned HiA = WidthA - H;   // a1, at most H bits
  localparam int unsigned HiB = WidthB - H;
  localparam int unsigned SumA = H + 1;       // a0 + a1 < 2^(H+1)
  localparam int unsigned SumB = H + 1;
  localparam int unsigned W0 = 2 * H;
  localparam int unsigned W1 = SumA + SumB;
  localparam int unsigned W2 = HiA + HiB;
  localparam int unsigned Lz0 = zkacc_arith_pkg::mul_latency(H, H, W0, TileA, TileB, LevelsPerStage);
  localparam int unsigned Lz1 = zkacc_arith_pkg::mul_latency(SumA, SumB, W1, TileA, TileB, LevelsPerStage);
  localparam int unsigned Lz2 = zkacc_arith_pkg::mul_latency(HiA, HiB, W2, TileA, TileB, LevelsPerStage);
  localparam int unsigned Lz = zkacc_arith_pkg::karatsuba_product_latency(WidthA, WidthB, TileA, TileB,
                                                                          LevelsPerStage);

  // The half sums (carry-select, CpaLatency cycles) and the halves beside them.
  logic [H-1:0] a0_q, b0_q;
  logic [HiA-1:0] a1_q;
  logic [HiB-1:0] b1_q;
  logic [SumA-1:0] sa_q;
  logic [SumB-1:0] sb_q;
  logic sa_cout, sb_cout;
  cpa_pipe #(.Width(SumA), .ChunkWidth(ChunkWidth)) u_sum_a (
    .clk_i, .en_i, .a_i(SumA'(a_i[H-1:0])), .b_i(SumA'(a_i[WidthA-1:H])), .cin_i(1'b0),
    .s_o(sa_q), .cout_o(sa_cout)
  );
  cpa_pipe #(.Width(SumB), .ChunkWidth(ChunkWidth)) u_sum_b (
    .clk_i, .en_i, .a_i(SumB'(b_i[H-1:0])), .b_i(SumB'(b_i[WidthB-1:H])), .cin_i(1'b0),
    .s_o(sb_q), .cout_o(sb_cout)
  );
  pipe_delay #(.Width(2 * H + HiA + HiB), .Depth(zkacc_arith_pkg::CpaLatency)) u_halves (
    .clk_i, .en_i, .d_i({a_i[H-1:0], a_i[WidthA-1:H], b_i[H-1:0], b_i[WidthB-1:H]}),
    .q_o({a0_q, a1_q, b0_q, b1_q})
  );

  logic [W0-1:0] z0, z0_d;
  logic [W1-1:0] z1, z1_d;
  logic [W2-1:0] z2, z2_d;
  mul_pipe #(
    .WidthA(H), .WidthB(H), .WidthP(W0), .TileA(TileA), .TileB(TileB),
    .LevelsPerStage(LevelsPerStage), .ChunkWidth(ChunkWidth)
  ) u_z0 (.clk_i, .en_i, .a_i(a0_q), .b_i(b0_q), .addend_i('0), .p_o(z0));
  mul_pipe #(
    .WidthA(SumA), .WidthB(SumB), .WidthP(W1), .TileA(TileA), .TileB(TileB),
    .LevelsPerStage(LevelsPerStage), .ChunkWidth(ChunkWidth)
  ) u_z1 (.clk_i, .en_i, .a_i(sa_q), .b_i(sb_q), .addend_i('0), .p_o(z1));
  mul_pipe #(
    .WidthA(HiA), .WidthB(HiB), .WidthP(W2), .TileA(TileA), .TileB(TileB),
    .LevelsPerStage(LevelsPerStage), .ChunkWidth(ChunkWidth)
  ) u_z2 (.clk_i, .en_i, .a_i(a1_q), .b_i(b1_q), .addend_i('0), .p_o(z2));

  pipe_delay #(.Width(W0), .Depth(Lz - Lz0)) u_z0_d (.clk_i, .en_i, .d_i(z0), .q_o(z0_d));
  pipe_delay #(.Width(W1), .Depth(Lz - Lz1)) u_z1_d (.clk_i, .en_i, .d_i(z1), .q_o(z1_d));
  pipe_delay #(.Width(W2), .Depth(Lz - Lz2)) u_z2_d (.clk_i, .en_i, .d_i(z2), .q_o(z2_d));

  logic [WidthP-1:0] addend_d;
  pipe_delay #(.Width(WidthP), .Depth(zkacc_arith_pkg::CpaLatency + Lz)) u_addend_d (
    .clk_i, .en_i, .d_i(addend_i), .q_o(addend_d)
  );

  // The six rows, each taken mod 2^WidthP.
  logic [WidthP-1:0] z0_p, z1_p, z2_p;
  assign z0_p = WidthP'(z0_d);
  assign z1_p = WidthP'(z1_d);
  assign z2_p = WidthP'(z2_d);
  logic [6*WidthP-1:0] rows;
  assign rows = {addend_d,
                 (z2_p << (2 * H)) | WidthP'(1),
                 ~(z2_p << H),
                 ~(z0_p << H),
                 (z1_p << H) | WidthP'(1),
                 z0_p};

  logic [WidthP-1:0] sum, carry;
  csa_tree #(.N(6), .Width(WidthP), .LevelsPerStage(LevelsPerStage)) u_csa (
    .clk_i, .en_i, .addends_i(rows), .sum_o(sum), .carry_o(carry)
  );

  logic cout;
  cpa_pipe #(.Width(WidthP), .ChunkWidth(ChunkWidth)) u_cpa (
    .clk_i, .en_i, .a_i(sum), .b_i(carry), .cin_i(1'b0), .s_o(p_o), .cout_o(cout)
  );
  // The result is taken mod 2^WidthP: the carry out is dropped by definition;
  // the half sums have room for their carry (H + 1 bits).
  logic unused_cout;
  assign unused_cout = cout ^ sa_cout ^ sb_cout;

endmodule
