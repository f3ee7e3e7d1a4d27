// csa_tree: reduces N addends to two (sum_o + carry_o = Σ addends mod 2^Width)
// with levels of 3:2 carry-save adders (full adders bit by bit, no carry
// chains), registering after every LevelsPerStage levels and after the last.
//
// Latency: zkacc_arith_pkg::csa_latency(N, LevelsPerStage) cycles.
// Throughput: one set of addends per cycle.
//
// | level | rows in → rows out                      |
// |-------|-----------------------------------------|
// | k     | n → 2·floor(n/3) + n mod 3              |
//
// Every level is one full adder deep (one LUT on an FPGA), so a stage is
// LevelsPerStage logic levels.
module csa_tree
#(
  parameter int unsigned N = 3,
  parameter int unsigned Width = 64,
  parameter int unsigned LevelsPerStage = 3
) (
  input  logic               clk_i,
  input  logic               en_i,
  input  logic [N*Width-1:0] addends_i,
  output logic [Width-1:0]   sum_o,
  output logic [Width-1:0]   carry_o
);

  localparam int unsigned NumLevels = zkacc_arith_pkg::csa_levels(N);

  if (NumLevels == 0) begin : gen_pass
    assign sum_o = addends_i[Width-1:0];
    if (N == 2) begin : gen_two
      assign carry_o = addends_i[2*Width-1:Width];
    end else begin : gen_one
      assign carry_o = '0;
    end
    // Nothing to register.
    logic unused_clk;
    assign unused_clk = clk_i ^ en_i;
  end else begin : gen_tree
    for (genvar k = 0; k < NumLevels; k++) begin : gen_level
      localparam int unsigned CountIn = zkacc_arith_pkg::csa_count(N, k);
      localparam int unsigned CountOut = zkacc_arith_pkg::csa_count(N, k + 1);
      localparam int unsigned NumGroups = CountIn / 3;
      localparam bit Registered = ((k + 1) % LevelsPerStage == 0) || (k + 1 == NumLevels);

      logic [CountIn*Width-1:0] rows_in;
      logic [CountOut*Width-1:0] rows_next, rows_out;

      if (k == 0) begin : gen_first
        assign rows_in = addends_i;
      end else begin : gen_inner
        assign rows_in = gen_level[k-1].rows_out;
      end

      for (genvar g = 0; g < NumGroups; g++) begin : gen_fa
        logic [Width-1:0] x, y, z, maj;
        assign x = rows_in[(3*g)*Width +: Width];
        assign y = rows_in[(3*g+1)*Width +: Width];
        assign z = rows_in[(3*g+2)*Width +: Width];
        assign maj = (x & y) | (x & z) | (y & z);
        assign rows_next[(2*g)*Width +: Width] = x ^ y ^ z;
        assign rows_next[(2*g+1)*Width +: Width] = {maj[Width-2:0], 1'b0};
        // The majority's top bit shifts out of the Width-bit result (mod 2^Width).
        logic unused_maj;
        assign unused_maj = maj[Width-1];
      end
      if (CountIn % 3 != 0) begin : gen_rest
        assign rows_next[CountOut*Width-1 : 2*NumGroups*Width] =
            rows_in[CountIn*Width-1 : 3*NumGroups*Width];
      end

      if (Registered) begin : gen_reg
        logic [CountOut*Width-1:0] rows_q;
        always_ff @(posedge clk_i) begin
          if (en_i) rows_q <= rows_next;
        end
        assign rows_out = rows_q;
      end else begin : gen_comb
        assign rows_out = rows_next;
      end
    end

    assign sum_o = gen_level[NumLevels-1].rows_out[Width-1:0];
    assign carry_o = gen_level[NumLevels-1].rows_out[2*Width-1:Width];
  end

endmodule
