// cpa_pipe: pipelined carry-select adder, s = a + b + cin (mod 2^Width) and
// its carry out.
//
// Latency: 2 cycles (zkacc_arith_pkg::CpaLatency). Throughput: one per cycle.
//
// | stage | work                                                         |
// |-------|--------------------------------------------------------------|
// | 1     | per ChunkWidth chunk k: s0_k = a_k + b_k, s1_k = a_k + b_k + 1, |
// |       | generate g_k = carry(s0_k), propagate p_k = carry(s1_k)      |
// | 2     | carry into each chunk, c_{k+1} = g_k | p_k·c_k, as the carries |
// |       | of the sum G + P + cin (one Width/ChunkWidth-bit carry chain); |
// |       | pick s1_k where c_k = 1, else s0_k                            |
//
// The longest carry chain is max(ChunkWidth, Width/ChunkWidth) bits.
module cpa_pipe #(
  parameter int unsigned Width = 256,
  parameter int unsigned ChunkWidth = 24
) (
  input  logic             clk_i,
  input  logic             en_i,
  input  logic [Width-1:0] a_i,
  input  logic [Width-1:0] b_i,
  input  logic             cin_i,
  output logic [Width-1:0] s_o,
  output logic             cout_o
);

  localparam int unsigned NumChunks = (Width + ChunkWidth - 1) / ChunkWidth;
  localparam int unsigned PadWidth = NumChunks * ChunkWidth;

  logic [PadWidth-1:0] a_pad, b_pad;
  assign a_pad = PadWidth'(a_i);
  assign b_pad = PadWidth'(b_i);

  // Stage 1: both chunk sums and their carries.
  logic [PadWidth-1:0] s0_q, s1_q;
  logic [NumChunks-1:0] g_q, p_q;
  logic cin_q;

  for (genvar k = 0; k < NumChunks; k++) begin : gen_chunk
    logic [ChunkWidth:0] sum0, sum1;
    logic [ChunkWidth+1:0] sum1_ext;
    assign sum0 = {1'b0, a_pad[k*ChunkWidth +: ChunkWidth]} + {1'b0, b_pad[k*ChunkWidth +: ChunkWidth]};
    // a + b + 1 as one addition with a carry-in bit below the operands (not
    // (a + b) + 1, which synthesis would build as two chains in series).
    assign sum1_ext = {1'b0, a_pad[k*ChunkWidth +: ChunkWidth], 1'b1}
                    + {1'b0, b_pad[k*ChunkWidth +: ChunkWidth], 1'b1};
    assign sum1 = sum1_ext[ChunkWidth+1:1];
    logic unused_sum1;
    assign unused_sum1 = sum1_ext[0];  // always 0 (1 + 1)
    always_ff @(posedge clk_i) begin
      if (en_i) begin
        s0_q[k*ChunkWidth +: ChunkWidth] <= sum0[ChunkWidth-1:0];
        s1_q[k*ChunkWidth +: ChunkWidth] <= sum1[ChunkWidth-1:0];
        g_q[k] <= sum0[ChunkWidth];
        p_q[k] <= sum1[ChunkWidth];
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (en_i) cin_q <= cin_i;
  end

  // Stage 2: carries into the chunks. c_{k+1} = g_k | p_k·c_k with g_k -> p_k
  // is the carry recurrence of the binary sum G + P + cin (bit k: a = g_k,
  // b = p_k, so a·b = g_k and a ^ b = p_k·~g_k), so one NumChunks-bit addition
  // yields every chunk carry: c_k = (G + P + cin)_k ^ g_k ^ p_k. The carry in
  // enters as a bit below the operands so that it is one addition.
  logic [NumChunks+1:0] gp_sum;
  assign gp_sum = {1'b0, g_q, cin_q} + {1'b0, p_q, cin_q};
  logic [NumChunks:0] carry;
  assign carry = {gp_sum[NumChunks+1], gp_sum[NumChunks:1] ^ g_q ^ p_q};
  logic unused_gp_sum;
  assign unused_gp_sum = gp_sum[0];  // cin + cin: always 0

  logic [PadWidth-1:0] sum;
  for (genvar k = 0; k < NumChunks; k++) begin : gen_select
    assign sum[k*ChunkWidth +: ChunkWidth] = carry[k] ? s1_q[k*ChunkWidth +: ChunkWidth]
                                                      : s0_q[k*ChunkWidth +: ChunkWidth];
  end

  logic [PadWidth-1:0] s_q;
  logic cout_q;
  always_ff @(posedge clk_i) begin
    if (en_i) begin
      s_q <= sum;
      cout_q <= carry[NumChunks];
    end
  end

  // Padding bits above Width: the carry out is taken from the padded sum.
  logic [Width:0] s_ext;
  if (PadWidth == Width) begin : gen_exact
    assign s_ext = {cout_q, s_q};
  end else begin : gen_padded
    assign s_ext = s_q[Width:0];
    // The pad bits above Width+1 only ever hold zeros or carries out of the
    // top chunk, which the bit at Width already records.
    logic unused_pad;
    assign unused_pad = ^{cout_q, s_q[PadWidth-1:Width]};
  end
  assign s_o = s_ext[Width-1:0];
  assign cout_o = s_ext[Width];

endmodule
