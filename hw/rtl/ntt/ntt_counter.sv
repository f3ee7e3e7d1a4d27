// ntt_counter: event counter of Width bits (cycles, butterflies) built from
// ChunkWidth-bit chunks whose carries are registered, so the longest carry
// chain is one chunk, not the whole width (a 64-bit increment would be the
// longest path of the NTT kernel).
//
// Latency: an increment shows in chunk k of count_o k cycles later (the
// carry ripples one chunk a cycle); once the increments stop, count_o is
// exact after Width/ChunkWidth − 1 cycles. Readers of a finished run (the
// host after ap_done) see the exact count. Throughput: one increment per
// cycle. clear_i wins over inc_i.
module ntt_counter #(
  parameter int unsigned Width = 64,
  parameter int unsigned ChunkWidth = 32
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             clear_i,
  input  logic             inc_i,
  output logic [Width-1:0] count_o
);

  localparam int unsigned NumChunks = (Width + ChunkWidth - 1) / ChunkWidth;
  localparam int unsigned PadWidth = NumChunks * ChunkWidth;

  logic [PadWidth-1:0] count_q;
  logic [NumChunks-1:0] carry_q;      // carry out of chunk k, registered
  logic [NumChunks-1:0] up;           // chunk k increments this cycle
  assign up = NumChunks'({carry_q, inc_i});

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      count_q <= '0;
      carry_q <= '0;
    end else if (clear_i) begin
      count_q <= '0;
      carry_q <= '0;
    end else begin
      for (int unsigned k = 0; k < NumChunks; k++) begin
        if (up[k]) count_q[k*ChunkWidth +: ChunkWidth] <= count_q[k*ChunkWidth +: ChunkWidth] + ChunkWidth'(1);
        carry_q[k] <= up[k] && (count_q[k*ChunkWidth +: ChunkWidth] == '1);
      end
    end
  end

  assign count_o = count_q[Width-1:0];

  // The last chunk's carry (the count wrapping) goes nowhere.
  logic unused_carry;
  assign unused_carry = carry_q[NumChunks-1];
  if (PadWidth > Width) begin : gen_pad
    logic unused_pad;
    assign unused_pad = ^count_q[PadWidth-1:Width];
  end

endmodule
