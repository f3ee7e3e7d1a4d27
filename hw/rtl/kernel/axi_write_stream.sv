// axi_write_stream: AXI4 write master that writes `beats_i` 512-bit beats from
// a valid/ready input to memory, starting at byte address `addr_i`.
//
// Bursts: INCR, 64-byte beats (awsize = 6, wstrb all ones), at most
// MaxBurstBeats beats, never across a 4 KiB boundary (axi_burst_gen), one ID.
// Throughput: one beat per cycle, with up to MaxOutstanding bursts waiting
// for their write response.
//
// A burst's address is sent only once all of its beats are in the FIFO, so
// that its W beats then follow back to back: a master that opens a burst and
// trickles its data holds up every other writer behind the same interconnect
// or memory controller. W beats may go out before their AW handshake (the
// burst is formed, its data is here); AXI4 allows either order.
//
// busy_o is high from the start_i cycle (unless beats_i = 0) until the last
// write response has arrived, so "not busy" means the data is in
// memory; error_o is set by any bresp other than OKAY and cleared by the next
// start_i. The input is accepted only for the beats of the current transfer.
module axi_write_stream #(
  parameter int unsigned MaxBurstBeats = 64,   // 1..64
  parameter int unsigned FifoDepth = 128,      // >= MaxBurstBeats
  parameter int unsigned MaxOutstanding = 16   // bursts formed and not yet answered on B
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  // Command: one transfer at a time (start_i only while busy_o is low).
  input  logic         start_i,
  input  logic [63:0]  addr_i,    // byte address, 64-byte aligned
  input  logic [31:0]  beats_i,   // number of 512-bit beats (0: nothing to do)
  output logic         busy_o,
  output logic         error_o,
  // Data in.
  input  logic         in_valid_i,
  output logic         in_ready_o,
  input  logic [511:0] in_data_i,
  // AXI4 write address, write data and write response channels.
  output logic         m_axi_awvalid,
  input  logic         m_axi_awready,
  output logic [63:0]  m_axi_awaddr,
  output logic [7:0]   m_axi_awlen,
  output logic [2:0]   m_axi_awsize,
  output logic [1:0]   m_axi_awburst,
  output logic         m_axi_wvalid,
  input  logic         m_axi_wready,
  output logic [511:0] m_axi_wdata,
  output logic [63:0]  m_axi_wstrb,
  output logic         m_axi_wlast,
  input  logic         m_axi_bvalid,
  output logic         m_axi_bready,
  input  logic [1:0]   m_axi_bresp
);

  localparam int unsigned CountWidth = $clog2(FifoDepth + 1);
  localparam int unsigned BurstsWidth = $clog2(MaxOutstanding + 1);

  // Transfer state: beats not yet taken from the input, beats in the FIFO
  // that belong to a formed burst, bursts formed and not yet answered.
  logic [31:0] to_accept_q;
  logic [CountWidth-1:0] committed_q;
  logic [BurstsWidth-1:0] bursts_q;
  logic busy_q, error_q;

  // Input side: the data FIFO.
  logic data_in_valid, data_in_ready, data_out_valid, data_pop;
  logic [CountWidth-1:0] data_count;
  assign data_in_valid = in_valid_i && to_accept_q != '0;
  assign in_ready_o = data_in_ready && to_accept_q != '0;
  sync_fifo #(.Width(512), .Depth(FifoDepth)) u_data (
    .clk_i, .rst_ni,
    .in_valid_i(data_in_valid), .in_ready_o(data_in_ready), .in_data_i,
    .out_valid_o(data_out_valid), .out_ready_i(data_pop), .out_data_o(m_axi_wdata),
    .count_o(data_count)
  );

  // Forming a burst: its beats are all in the FIFO and not claimed by an
  // earlier burst, and the response counter has room.
  logic pending, allow, form, b_done, accept;
  logic [6:0] burst_beats;
  axi_burst_gen #(.MaxBurstBeats(MaxBurstBeats)) u_bursts (
    .clk_i, .rst_ni, .start_i, .addr_i, .beats_i,
    .pending_o(pending), .next_beats_o(burst_beats), .allow_i(allow), .issue_o(form),
    .ax_valid_o(m_axi_awvalid), .ax_ready_i(m_axi_awready), .ax_addr_o(m_axi_awaddr), .ax_len_o(m_axi_awlen)
  );
  assign allow = data_count - committed_q >= CountWidth'(burst_beats) && bursts_q != BurstsWidth'(MaxOutstanding);
  assign b_done = m_axi_bvalid;   // bready is tied high
  assign accept = data_in_valid && data_in_ready;

  // W side: the lengths (awlen) of formed bursts, in order, tell where wlast
  // goes. Every formed burst's beats are already in the data FIFO.
  logic len_valid, len_in_ready, w_fire;
  logic [7:0] len_head, w_beat_q;
  logic [BurstsWidth-1:0] len_count;
  sync_fifo #(.Width(8), .Depth(MaxOutstanding)) u_lens (
    .clk_i, .rst_ni,
    .in_valid_i(form), .in_ready_o(len_in_ready), .in_data_i(8'(burst_beats - 7'd1)),
    .out_valid_o(len_valid), .out_ready_i(w_fire && m_axi_wlast), .out_data_o(len_head),
    .count_o(len_count)
  );
  // The FIFO holds at most bursts_q < MaxOutstanding entries when a burst is
  // formed, so it always has room: its ready feeds only an assertion, its
  // count nothing.
  logic unused_lens;
  assign unused_lens = len_in_ready ^ (^len_count);
  assign m_axi_wvalid = len_valid && data_out_valid;
  assign m_axi_wlast = w_beat_q == len_head;
  assign m_axi_wstrb = '1;
  assign w_fire = m_axi_wvalid && m_axi_wready;
  assign data_pop = w_fire;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      to_accept_q <= '0;
      committed_q <= '0;
      bursts_q <= '0;
      busy_q <= 1'b0;
      error_q <= 1'b0;
      w_beat_q <= '0;
    end else begin
      if (accept) to_accept_q <= to_accept_q - 32'd1;
      committed_q <= committed_q + (form ? CountWidth'(burst_beats) : '0) - CountWidth'(w_fire);
      bursts_q <= bursts_q + BurstsWidth'(form) - BurstsWidth'(b_done);
      if (w_fire) w_beat_q <= m_axi_wlast ? '0 : w_beat_q + 8'd1;
      if (b_done) begin
        if (m_axi_bresp != zkacc_axi_pkg::RespOkay) error_q <= 1'b1;
        // The last burst's response: every burst has been formed and no
        // other is outstanding.
        if (bursts_q == BurstsWidth'(1) && !pending) busy_q <= 1'b0;
      end
      if (start_i) begin
        to_accept_q <= beats_i;
        busy_q <= beats_i != '0;
        error_q <= 1'b0;
      end
    end
  end

  assign m_axi_awsize = zkacc_axi_pkg::Size;
  assign m_axi_awburst = zkacc_axi_pkg::BurstIncr;
  // Responses only decrement a counter: always ready.
  assign m_axi_bready = 1'b1;

  // High from the start_i cycle on, so a kernel may test it right away.
  assign busy_o = start_i ? beats_i != '0 : busy_q;
  assign error_o = error_q;

`ifndef SYNTHESIS
  initial begin
    assert (FifoDepth >= MaxBurstBeats && MaxOutstanding >= 1)
      else $error("axi_write_stream: need FifoDepth >= MaxBurstBeats and MaxOutstanding >= 1");
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      if (start_i) begin
        assert (!busy_q) else $error("axi_write_stream: start while busy");
        assert (addr_i[5:0] == '0) else $error("axi_write_stream: address %h is not 64-byte aligned", addr_i);
      end
      if (form) begin
        assert (len_in_ready) else $error("axi_write_stream: burst length FIFO full");
      end
      if (len_valid) begin
        assert (data_out_valid) else $error("axi_write_stream: formed burst without its data");
      end
      if (m_axi_bvalid) begin
        assert (bursts_q != '0) else $error("axi_write_stream: write response for no burst");
      end
    end
  end
`endif

endmodule
