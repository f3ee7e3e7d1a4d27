// axi_read_stream: AXI4 read master that streams `beats_i` 512-bit beats from
// memory, starting at byte address `addr_i`, to a valid/ready output.
//
// Bursts: INCR, 64-byte beats (arsize = 6), at most MaxBurstBeats beats, never
// across a 4 KiB boundary (axi_burst_gen), one ID, so data returns in order.
// Throughput: one beat per cycle once the first burst's data arrives, as long
// as the output is ready and the memory answers within FifoDepth −
// MaxBurstBeats cycles of a request (bursts stay outstanding back to back).
//
// Flow control: a burst is requested only when the FIFO can take all of its
// beats on top of every beat already requested and not yet delivered
// (reserved_q). The memory therefore never waits on this master: rready is
// tied high, and the R channel of a shared interconnect is never blocked by
// a slow consumer of this stream.
//
// busy_o is high from the start_i cycle (unless beats_i = 0) until the last
// beat has been delivered; error_o is set by any rresp other than
// OKAY (the data is still delivered) and cleared by the next start_i.
module axi_read_stream #(
  parameter int unsigned MaxBurstBeats = 64,   // 1..64
  parameter int unsigned FifoDepth = 128       // >= MaxBurstBeats
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  // Command: one transfer at a time (start_i only while busy_o is low).
  input  logic         start_i,
  input  logic [63:0]  addr_i,    // byte address, 64-byte aligned
  input  logic [31:0]  beats_i,   // number of 512-bit beats (0: nothing to do)
  output logic         busy_o,
  output logic         error_o,
  // Data out.
  output logic         out_valid_o,
  input  logic         out_ready_i,
  output logic [511:0] out_data_o,
  // AXI4 read address and read data channels.
  output logic         m_axi_arvalid,
  input  logic         m_axi_arready,
  output logic [63:0]  m_axi_araddr,
  output logic [7:0]   m_axi_arlen,
  output logic [2:0]   m_axi_arsize,
  output logic [1:0]   m_axi_arburst,
  input  logic         m_axi_rvalid,
  output logic         m_axi_rready,
  input  logic [511:0] m_axi_rdata,
  input  logic [1:0]   m_axi_rresp,
  input  logic         m_axi_rlast
);

  localparam int unsigned CountWidth = $clog2(FifoDepth + 1);
  // Sum of a count and a burst length: one bit more than either.
  localparam int unsigned SumWidth = CountWidth + 1;

  // Transfer state: beats not yet delivered, beats requested and not yet
  // delivered (in flight or in the FIFO).
  logic [31:0] to_deliver_q;
  logic [CountWidth-1:0] reserved_q;
  logic busy_q, error_q;

  logic pending, issue, pop, room;
  logic [6:0] next_beats;
  axi_burst_gen #(.MaxBurstBeats(MaxBurstBeats)) u_bursts (
    .clk_i, .rst_ni, .start_i, .addr_i, .beats_i,
    .pending_o(pending), .next_beats_o(next_beats), .allow_i(room), .issue_o(issue),
    .ax_valid_o(m_axi_arvalid), .ax_ready_i(m_axi_arready), .ax_addr_o(m_axi_araddr), .ax_len_o(m_axi_arlen)
  );
  assign room = SumWidth'(reserved_q) + SumWidth'(next_beats) <= SumWidth'(FifoDepth);
  assign pop = out_valid_o && out_ready_i;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      to_deliver_q <= '0;
      reserved_q <= '0;
      busy_q <= 1'b0;
      error_q <= 1'b0;
    end else begin
      reserved_q <= reserved_q + (issue ? CountWidth'(next_beats) : '0) - CountWidth'(pop);
      if (pop) begin
        to_deliver_q <= to_deliver_q - 32'd1;
        if (to_deliver_q == 32'd1) busy_q <= 1'b0;
      end
      if (m_axi_rvalid && m_axi_rresp != zkacc_axi_pkg::RespOkay) error_q <= 1'b1;
      if (start_i) begin
        to_deliver_q <= beats_i;
        busy_q <= beats_i != '0;
        error_q <= 1'b0;
      end
    end
  end

  assign m_axi_arsize = zkacc_axi_pkg::Size;
  assign m_axi_arburst = zkacc_axi_pkg::BurstIncr;
  // The FIFO has room for every beat requested (see room): never stall R.
  assign m_axi_rready = 1'b1;

  logic fifo_in_ready;
  logic [CountWidth-1:0] fifo_count;
  sync_fifo #(.Width(512), .Depth(FifoDepth)) u_fifo (
    .clk_i, .rst_ni,
    .in_valid_i(m_axi_rvalid), .in_ready_o(fifo_in_ready), .in_data_i(m_axi_rdata),
    .out_valid_o, .out_ready_i, .out_data_o,
    .count_o(fifo_count)
  );

  // High from the start_i cycle on, so a kernel may test it right away.
  assign busy_o = start_i ? beats_i != '0 : busy_q;
  assign error_o = error_q;

  // Beats are counted, and with a single ID the bursts return in order, so
  // rlast adds nothing the counters do not already know.
  logic unused_rlast;
  assign unused_rlast = m_axi_rlast;
  // Completion is counted on the delivery side (to_deliver_q).
  logic unused_pending;
  assign unused_pending = pending;

`ifndef SYNTHESIS
  initial begin
    assert (FifoDepth >= MaxBurstBeats) else $error("axi_read_stream: need FifoDepth >= MaxBurstBeats");
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      if (start_i) begin
        assert (!busy_q) else $error("axi_read_stream: start while busy");
        assert (addr_i[5:0] == '0) else $error("axi_read_stream: address %h is not 64-byte aligned", addr_i);
      end
      if (m_axi_rvalid) begin
        assert (fifo_in_ready) else $error("axi_read_stream: R beat with the FIFO full");
        assert (reserved_q > fifo_count) else $error("axi_read_stream: R beat that was not requested");
      end
    end
  end
`endif

endmodule
