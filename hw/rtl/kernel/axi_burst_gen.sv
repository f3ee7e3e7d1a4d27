// axi_burst_gen: splits a transfer (64-byte aligned byte address, number of
// 512-bit beats) into AXI4 INCR bursts of at most MaxBurstBeats beats that
// never cross a 4 KiB boundary, and presents them on an address channel
// (AR or AW) held until ready. Shared by axi_read_stream and axi_write_stream.
//
// Per burst: the next burst's length is computed into a register
// (next_beats_o); the engine answers allow_i (it has room or data for that
// many beats — it may look at next_beats_o); the burst is then formed
// (issue_o) as soon as the address register is free, and its request is
// valid from the next cycle. At most one burst is formed every two cycles,
// since the following length is computed in the cycle after a burst is
// formed; with bursts of two beats or more that keeps up with one beat a
// cycle.
//
// The address is kept as a 4 KiB page number and a beat index within the
// page: a burst advances the index (7-bit add) and, when it ends on the
// boundary, the page. The 52-bit page increment is split in two halves, the
// upper one a cycle later (the cycle the next length takes anyway), so no
// carry chain is longer than 32 bits, for the depth budget of docs/hw.md.
module axi_burst_gen #(
  parameter int unsigned MaxBurstBeats = 64   // 1..64 (64 beats of 64 bytes = 4 KiB)
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic        start_i,        // while pending_o is low
  input  logic [63:0] addr_i,         // byte address, 64-byte aligned
  input  logic [31:0] beats_i,
  output logic        pending_o,      // bursts left to form
  output logic [6:0]  next_beats_o,   // the next burst's length, 1..MaxBurstBeats
  input  logic        allow_i,        // the engine can take next_beats_o more beats
  output logic        issue_o,        // the next burst is formed this cycle
  output logic        ax_valid_o,
  input  logic        ax_ready_i,
  output logic [63:0] ax_addr_o,
  output logic [7:0]  ax_len_o
);

  localparam logic [6:0] MaxBeats = 7'(MaxBurstBeats);
  localparam int unsigned PageLoBits = 26;   // address bits [37:12]
  localparam int unsigned PageHiBits = 26;   // address bits [63:38]

  logic [PageHiBits-1:0] page_hi_q;
  logic [PageLoBits-1:0] page_lo_q;
  logic [5:0] beat_q;                // address bits [11:6]
  logic [31:0] remaining_q;          // beats not yet in a formed burst
  logic [6:0] len_q;
  logic len_valid_q, hi_carry_q;
  logic ax_valid_q;
  logic [63:0] ax_addr_q;
  logic [7:0] ax_len_q;

  // Length of the next burst: min(remaining, MaxBurstBeats, beats to the
  // page end). remaining < cap is tested as "upper bits zero and low 7 bits
  // below cap" so it is not a 32-bit carry chain.
  logic [6:0] to_boundary, cap, len;
  logic remaining_small;
  assign to_boundary = 7'(zkacc_axi_pkg::BoundaryBeats) - {1'b0, beat_q};   // 1..64
  assign cap = (to_boundary < MaxBeats) ? to_boundary : MaxBeats;
  assign remaining_small = remaining_q[31:7] == '0 && remaining_q[6:0] < cap;
  assign len = remaining_small ? remaining_q[6:0] : cap;

  assign issue_o = len_valid_q && allow_i && !hi_carry_q && (!ax_valid_q || ax_ready_i);

  // The burst's end in the page: beat_q + len_q <= 64; bit 6 set means it
  // ends on the boundary (the index wraps to 0 and the page advances).
  logic [6:0] beat_end;
  assign beat_end = {1'b0, beat_q} + len_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      remaining_q <= '0;
      len_valid_q <= 1'b0;
      hi_carry_q <= 1'b0;
      ax_valid_q <= 1'b0;
    end else begin
      if (ax_ready_i) ax_valid_q <= 1'b0;
      if (!len_valid_q && remaining_q != '0) len_valid_q <= 1'b1;
      hi_carry_q <= 1'b0;
      if (issue_o) begin
        ax_valid_q <= 1'b1;
        remaining_q <= remaining_q - 32'(len_q);
        len_valid_q <= 1'b0;
        hi_carry_q <= beat_end[6] && page_lo_q == '1;
      end
      if (start_i) begin
        remaining_q <= beats_i;
        len_valid_q <= 1'b0;
        hi_carry_q <= 1'b0;
      end
    end
  end

  // Address and length registers: no reset, meaningful only under the
  // valid registers above.
  always_ff @(posedge clk_i) begin
    if (!len_valid_q) len_q <= len;
    if (hi_carry_q) page_hi_q <= page_hi_q + PageHiBits'(1);
    if (issue_o) begin
      ax_addr_q <= {page_hi_q, page_lo_q, beat_q, 6'd0};
      ax_len_q <= 8'(len_q - 7'd1);
      beat_q <= beat_end[5:0];
      if (beat_end[6]) page_lo_q <= page_lo_q + PageLoBits'(1);
    end
    if (start_i) begin
      {page_hi_q, page_lo_q, beat_q} <= addr_i[63:6];
    end
  end

  assign pending_o = remaining_q != '0;
  assign next_beats_o = len_q;
  assign ax_valid_o = ax_valid_q;
  assign ax_addr_o = ax_addr_q;
  assign ax_len_o = ax_len_q;

  // The byte offset within a beat is zero by contract (asserted by the engines).
  logic unused_addr;
  assign unused_addr = ^addr_i[5:0];

`ifndef SYNTHESIS
  initial begin
    assert (MaxBurstBeats >= 1 && MaxBurstBeats <= zkacc_axi_pkg::BoundaryBeats)
      else $error("axi_burst_gen: need 1 <= MaxBurstBeats <= 64");
  end
`endif

endmodule
