// mul_pipe: pipelined multiply-add p = (a·b + addend) mod 2^WidthP from
// TileA×TileB partial products (26×17 fits one DSP48E2 unsigned; the RTL is
// plain `*` and `+`, any tile size works).
//
// Latency: zkacc_arith_pkg::mul_latency(WidthA, WidthB, WidthP, TileA, TileB,
// LevelsPerStage) cycles. Throughput: one product per cycle.
//
// | stage      | work                                                          |
// |------------|---------------------------------------------------------------|
// | 1          | register a, b (DSP A/B registers)                             |
// | 2          | every tile product a_i·b_j (DSP M register)                   |
// | 3          | register the products (DSP P register)                        |
// | csa        | rows (j, parity of i) by wiring, plus the addend, reduced to  |
// |            | two rows by csa_tree, LevelsPerStage full adders per stage    |
// | cpa (2)    | carry-select add of the two rows (cpa_pipe)                   |
//
// Tiles that land at or above bit WidthP are not built, so a truncated product
// (WidthP < WidthA + WidthB, e.g. the low half in Montgomery reduction) costs
// only the tiles below WidthP.
module mul_pipe
#(
  parameter int unsigned WidthA = 256,
  parameter int unsigned WidthB = 256,
  parameter int unsigned WidthP = 512,
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

  localparam int unsigned NumA = zkacc_arith_pkg::ceil_div(WidthA, TileA);
  localparam int unsigned NumB = zkacc_arith_pkg::ceil_div(WidthB, TileB);
  localparam int unsigned NumRows = zkacc_arith_pkg::mul_num_rows(WidthA, WidthB, WidthP, TileA, TileB);
  localparam int unsigned NumAddends = NumRows + 1;

  // Stage 1: operand registers, zero-padded to whole tiles.
  logic [NumA*TileA-1:0] a_q;
  logic [NumB*TileB-1:0] b_q;
  always_ff @(posedge clk_i) begin
    if (en_i) begin
      a_q <= (NumA * TileA)'(a_i);
      b_q <= (NumB * TileB)'(b_i);
    end
  end

  // The addend waits for the tile products.
  logic [WidthP-1:0] addend_d;
  pipe_delay #(.Width(WidthP), .Depth(zkacc_arith_pkg::TileLatency)) u_addend_delay (
    .clk_i, .en_i, .d_i(addend_i), .q_o(addend_d)
  );

  logic [NumAddends*WidthP-1:0] addends;
  assign addends[NumRows*WidthP +: WidthP] = addend_d;

  for (genvar j = 0; j < NumB; j++) begin : gen_b
    for (genvar par = 0; par < 2; par++) begin : gen_par
      if (zkacc_arith_pkg::mul_row_used(j, par, NumA, WidthP, TileA, TileB)) begin : gen_row
        localparam int unsigned Row = zkacc_arith_pkg::mul_row_index(j, par, NumA, WidthP, TileA, TileB);
        localparam int unsigned Base = TileB * j + TileA * par;
        // Slots of 2·TileA bits, one per tile i = 2k + par below WidthP.
        localparam int unsigned MaxSlots = (NumA - par + 1) / 2;
        localparam int unsigned NumSlots =
            (zkacc_arith_pkg::ceil_div(WidthP - Base, 2 * TileA) < MaxSlots) ? zkacc_arith_pkg::ceil_div(WidthP - Base, 2 * TileA)
                                                            : MaxSlots;
        localparam int unsigned Tail = Base + 2 * TileA * NumSlots;
        logic [WidthP-1:0] row;

        if (Base > 0) begin : gen_low_zero
          assign row[Base-1:0] = '0;
        end
        if (Tail < WidthP) begin : gen_high_zero
          assign row[WidthP-1:Tail] = '0;
        end

        for (genvar k = 0; k < NumSlots; k++) begin : gen_tile
          localparam int unsigned Off = Base + 2 * TileA * k;
          localparam int unsigned I = 2 * k + par;
          localparam int unsigned SlotW = (WidthP - Off < 2 * TileA) ? WidthP - Off : 2 * TileA;
          localparam int unsigned ProdW = (SlotW < TileA + TileB) ? SlotW : TileA + TileB;
          logic [ProdW-1:0] prod_q, prod2_q;
          always_ff @(posedge clk_i) begin
            if (en_i) begin
              prod_q <= ProdW'(a_q[I*TileA +: TileA]) * ProdW'(b_q[j*TileB +: TileB]);
              prod2_q <= prod_q;
            end
          end
          assign row[Off +: SlotW] = SlotW'(prod2_q);
        end

        assign addends[Row*WidthP +: WidthP] = row;
      end
    end
  end

  logic [WidthP-1:0] sum, carry;
  csa_tree #(.N(NumAddends), .Width(WidthP), .LevelsPerStage(LevelsPerStage)) u_csa (
    .clk_i, .en_i, .addends_i(addends), .sum_o(sum), .carry_o(carry)
  );

  logic cout;
  cpa_pipe #(.Width(WidthP), .ChunkWidth(ChunkWidth)) u_cpa (
    .clk_i, .en_i, .a_i(sum), .b_i(carry), .cin_i(1'b0), .s_o(p_o), .cout_o(cout)
  );
  // The product is taken mod 2^WidthP: the carry out is dropped by definition.
  logic unused_cout;
  assign unused_cout = cout;

endmodule
