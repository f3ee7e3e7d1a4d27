// sync_fifo: synchronous first-word-fall-through FIFO, valid/ready on both
// sides.
//
// Latency: a value pushed at cycle c is at the output at cycle c + 1.
// Throughput: one push and one pop per cycle. in_ready_o does not depend on
// out_ready_i (no combinational path through the FIFO), so a full FIFO
// accepts again in the cycle after a pop.
//
// The storage is read synchronously (read register inside the RAM), so
// synthesis can map it to block RAM / UltraRAM as well as LUT RAM: the RAM
// is read at the address the head will have after this cycle's pop, and a
// value written to that same address in the same cycle (the FIFO holds at
// most one entry) is forwarded from a copy of the input instead, because a
// block RAM's simple dual-port read-during-write returns the old contents.
module sync_fifo #(
  parameter int unsigned Width = 8,
  parameter int unsigned Depth = 16    // >= 1, need not be a power of two
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,
  input  logic                       in_valid_i,
  output logic                       in_ready_o,
  input  logic [Width-1:0]           in_data_i,
  output logic                       out_valid_o,
  input  logic                       out_ready_i,
  output logic [Width-1:0]           out_data_o,
  output logic [$clog2(Depth+1)-1:0] count_o
);

  localparam int unsigned CountWidth = $clog2(Depth + 1);
  localparam int unsigned PtrWidth = (Depth > 1) ? $clog2(Depth) : 1;
  localparam logic [PtrWidth-1:0] LastPtr = PtrWidth'(Depth - 1);

  logic [Width-1:0] mem_q [Depth];
  logic [PtrWidth-1:0] wr_ptr_q, rd_ptr_q, rd_ptr_next;
  logic [CountWidth-1:0] count_q;

  logic push, pop;
  assign in_ready_o = count_q != CountWidth'(Depth);
  assign out_valid_o = count_q != '0;
  assign push = in_valid_i && in_ready_o;
  assign pop = out_valid_o && out_ready_i;
  assign count_o = count_q;

  assign rd_ptr_next = !pop ? rd_ptr_q : (rd_ptr_q == LastPtr) ? '0 : rd_ptr_q + PtrWidth'(1);

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      wr_ptr_q <= '0;
      rd_ptr_q <= '0;
      count_q <= '0;
    end else begin
      if (push) wr_ptr_q <= (wr_ptr_q == LastPtr) ? '0 : wr_ptr_q + PtrWidth'(1);
      rd_ptr_q <= rd_ptr_next;
      count_q <= count_q + CountWidth'(push) - CountWidth'(pop);
    end
  end

  // Storage and its read register; no reset (the data is meaningful only
  // while count_q says so).
  logic [Width-1:0] rd_data_q, fwd_data_q;
  logic fwd_q;
  always_ff @(posedge clk_i) begin
    if (push) mem_q[wr_ptr_q] <= in_data_i;
    rd_data_q <= mem_q[rd_ptr_next];
    fwd_q <= push && wr_ptr_q == rd_ptr_next;
    fwd_data_q <= in_data_i;
  end
  assign out_data_o = fwd_q ? fwd_data_q : rd_data_q;

endmodule
