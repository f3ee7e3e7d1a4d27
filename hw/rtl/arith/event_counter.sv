// event_counter: event counter of Width bits (cycles, additions, butterflies)
// built from ChunkWidth-bit chunks whose carries are registered, so the
// longest carry chain is one chunk, not the whole width (a 64-bit increment
// would be the longest path of a kernel: 16 carry cells in yosys, against 6
// cells for a 16-bit chunk and its carry).
//
// inc_i is the amount added this cycle (IncWidth bits: 1 for an event, more
// for several lanes' events together). IncWidth ≤ ChunkWidth, so a chunk's
// sum (count + increment or carry) is below 2^(ChunkWidth+1) and passes on
// at most one carry.
//
// Latency: an increment shows in chunk k of count_o within k cycles (a carry
// ripples one chunk a cycle); once the increments stop, count_o is exact
// after Width/ChunkWidth − 1 cycles. Readers of a finished run (the host
// after ap_done, the kernel a few cycles after its accumulators finish) see
// the exact count. Throughput: one increment per cycle. clear_i wins over
// inc_i.
module event_counter #(
  parameter int unsigned Width = 64,
  parameter int unsigned ChunkWidth = 16,
  parameter int unsigned IncWidth = 1
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                clear_i,
  input  logic [IncWidth-1:0] inc_i,
  output logic [Width-1:0]    count_o
);

  localparam int unsigned NumChunks = (Width + ChunkWidth - 1) / ChunkWidth;
  localparam int unsigned PadWidth = NumChunks * ChunkWidth;

  logic [PadWidth-1:0] count_q;
  logic [NumChunks-1:0] carry_q;      // carry out of chunk k, registered

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      count_q <= '0;
      carry_q <= '0;
    end else if (clear_i) begin
      count_q <= '0;
      carry_q <= '0;
    end else begin
      for (int unsigned k = 0; k < NumChunks; k++) begin
        logic [ChunkWidth:0] sum;
        sum = {1'b0, count_q[k*ChunkWidth +: ChunkWidth]}
            + ((k == 0) ? (ChunkWidth + 1)'(inc_i) : (ChunkWidth + 1)'(carry_q[k == 0 ? 0 : k - 1]));
        count_q[k*ChunkWidth +: ChunkWidth] <= sum[ChunkWidth-1:0];
        carry_q[k] <= sum[ChunkWidth];
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
