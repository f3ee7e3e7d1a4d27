// msm_pair_source: turns the MSM kernel's two input streams, affine points
// and their signed digits (one 512-bit beat each per point), into the bucket
// accumulator's (bucket, negate, point) pairs, point-major: all windows of
// point i, then those of point i + 1. Consecutive pairs of one point fall in
// different windows, hence different buckets, which keeps bucket conflicts
// rare (a conflict needs the same digit in the same window within the
// adder's latency).
//
// Beats: point i = x (bits 255:0) | y (bits 511:256); digits of point i =
// R = 512 / DigitBits signed DigitBits-bit digits, digit w in bits
// [DigitBits·w +: DigitBits], only w < windows_i used. Digit d of window w:
// d = 0 gives no pair; otherwise bucket (w << bucket_bits_i) | (|d| − 1),
// negate = d < 0, for |d| <= 2^bucket_bits_i. DigitBits = 16 (32 digits a
// beat) covers windows up to c = 15 (|d| <= 2^14); a c = 17 window
// (|d| <= 2^16, 2^16 buckets) needs DigitBits = 18 (28 digits a beat).
//
// Pipeline: when a point's beats are taken, the bucket of each of its R
// digits is computed at once (|d| − 1 is ~d for d < 0 and d − 1 otherwise;
// w << b is a per-window constant of the run) and registered with the
// windows still to go; each cycle the lowest of those goes out. The output
// is a main register and a skid register, so pair_ready_i only moves data
// between them and the generator's decisions depend on registers alone.
//
// Latency: a point's first pair is offered two cycles after its beats are
// taken. Throughput: one pair per cycle; the next point's beats are taken in
// the cycle its predecessor's last pair is generated (zero digits are
// skipped without a cycle, a point whose digits are all zero costs one).
//
// Lanes: with Lanes > 1 the kernel runs Lanes accumulators, each on the
// windows w with w mod Lanes = Lane, and gives each its own pair source on the
// shared beats. This source then serves only its Slots = ceil(R / Lanes)
// windows (slot k is window k·Lanes + Lane, the lane's local window k) and
// numbers buckets per lane: (k << b) | (|d| − 1). The other digits of a beat
// are ignored (no pair, no digit error); a point whose lane digits are all
// zero still costs one cycle. With Lanes = 1 (slot k = window k) this is the
// single-lane source exactly.
//
// Configuration (num_points_i, windows_i 1..R, bucket_bits_i) is sampled at
// start_i. done_o: every point taken and every pair handed over.
// digit_error_o (sticky until start_i): a used digit of this lane with
// |d| > 2^b was seen; its pair goes to bucket (k << b) | ((|d| − 1) mod 2^b),
// in range but wrong.
module msm_pair_source #(
  parameter int unsigned BucketBits = 16,
  parameter int unsigned Lanes = 1,
  parameter int unsigned Lane = 0,
  // Width of a digit in the digit beat (16..24).
  parameter int unsigned DigitBits = 16
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  start_i,
  input  logic [31:0]           num_points_i,
  input  logic [5:0]            windows_i,
  input  logic [4:0]            bucket_bits_i,
  output logic                  done_o,
  output logic                  digit_error_o,
  // Streams of point and digit beats (taken together).
  input  logic                  point_valid_i,
  output logic                  point_ready_o,
  input  logic [511:0]          point_data_i,
  input  logic                  digit_valid_i,
  output logic                  digit_ready_o,
  input  logic [511:0]          digit_data_i,
  // Pairs for the accumulator.
  output logic                  pair_valid_o,
  input  logic                  pair_ready_i,
  output logic [BucketBits-1:0] pair_bucket_o,
  output logic                  pair_negate_o,
  output logic [255:0]          pair_x_o,
  output logic [255:0]          pair_y_o
);

  localparam int unsigned PairWidth = BucketBits + 1 + 512;  // {bucket, negate, y, x}
  localparam int unsigned RowDigits = 512 / DigitBits;        // R
  // Offsets |d| − 1 < 2^(DigitBits − 1); the bucket field is at least as wide as the offsets used.
  localparam int unsigned OffWidth = (BucketBits > DigitBits) ? BucketBits : DigitBits;
  // This lane's windows: slot k is window k·Lanes + Lane (a slot beyond
  // window R − 1, possible when Lanes does not divide R, is never used).
  localparam int unsigned Slots = (RowDigits + Lanes - 1) / Lanes;

  // --- run constants ----------------------------------------------------------
  // Per-slot values are packed, slot k at [k·BucketBits +: BucketBits].
  logic [Slots*BucketBits-1:0] base_q;  // k << b
  logic [DigitBits-1:0] mask_q;         // 2^b − 1
  logic [Slots-1:0] used_q;             // slots whose window is in use
  logic [31:0] points_left_q;
  always_ff @(posedge clk_i) begin
    if (start_i) begin
      for (int unsigned k = 0; k < Slots; k++) begin
        base_q[k*BucketBits +: BucketBits] <= BucketBits'(32'(k) << bucket_bits_i);
        used_q[k] <= 32'(k * Lanes + Lane) < 32'(windows_i);
      end
      mask_q <= DigitBits'(~(64'hffff_ffff_ffff_ffff << bucket_bits_i));
    end
  end

  // --- the current point: its pairs, precomputed --------------------------------
  logic [255:0] x_q, y_q;
  logic [Slots*BucketBits-1:0] bkt_q, bkt_d;
  logic [Slots-1:0] neg_q, pending_q;

  logic [Slots-1:0] nonzero, neg_d, range_err;
  always_comb begin
    for (int unsigned k = 0; k < Slots; k++) begin
      logic [DigitBits-1:0] d, off;
      // A slot beyond window R − 1 reads as a zero digit.
      d = (k * Lanes + Lane < RowDigits) ? digit_data_i[DigitBits*((k*Lanes+Lane)%RowDigits) +: DigitBits] : '0;
      off = d[DigitBits-1] ? ~d : d - DigitBits'(1);
      nonzero[k] = d != '0;
      neg_d[k] = d[DigitBits-1];
      range_err[k] = (off & ~mask_q) != '0;
      bkt_d[k*BucketBits +: BucketBits] = base_q[k*BucketBits +: BucketBits] | BucketBits'(OffWidth'(off & mask_q));
    end
  end

  // The lowest pending slot, one-hot (a prefix OR, not a carry chain).
  logic [Slots-1:0] lowest;
  always_comb begin
    logic seen;
    seen = 1'b0;
    for (int unsigned k = 0; k < Slots; k++) begin
      lowest[k] = pending_q[k] && !seen;
      seen = seen | pending_q[k];
    end
  end
  logic [BucketBits-1:0] sel_bkt;
  logic sel_neg;
  always_comb begin
    sel_bkt = '0;
    sel_neg = 1'b0;
    for (int unsigned k = 0; k < Slots; k++) begin
      sel_bkt = sel_bkt | ({BucketBits{lowest[k]}} & bkt_q[k*BucketBits +: BucketBits]);
      sel_neg = sel_neg | (lowest[k] && neg_q[k]);
    end
  end

  // --- output: main and skid registers -------------------------------------------
  logic m_valid_q, s_valid_q;
  logic [PairWidth-1:0] m_q, s_q;
  logic accept, emit, last, take;
  assign accept = !s_valid_q;
  assign emit = accept && pending_q != '0;
  assign last = (pending_q & ~lowest) == '0;
  assign take = (pending_q == '0 || (emit && last)) && points_left_q != '0 && point_valid_i && digit_valid_i;
  assign point_ready_o = take;
  assign digit_ready_o = take;

  logic m_free;
  assign m_free = !m_valid_q || pair_ready_i;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      m_valid_q <= 1'b0;
      s_valid_q <= 1'b0;
    end else if (s_valid_q) begin
      if (m_free) s_valid_q <= 1'b0;   // the skid moves to main (no emit: !accept)
    end else if (emit) begin
      if (m_free) m_valid_q <= 1'b1;
      else s_valid_q <= 1'b1;
    end else if (m_free) begin
      m_valid_q <= 1'b0;
    end
  end
  always_ff @(posedge clk_i) begin
    if (s_valid_q) begin
      if (m_free) m_q <= s_q;
    end else if (emit) begin
      if (m_free) m_q <= {sel_bkt, sel_neg, y_q, x_q};
      else s_q <= {sel_bkt, sel_neg, y_q, x_q};
    end
  end
  assign pair_valid_o = m_valid_q;
  assign {pair_bucket_o, pair_negate_o, pair_y_o, pair_x_o} = m_q;

  // --- point state -----------------------------------------------------------------
  logic digit_error_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      pending_q <= '0;
      points_left_q <= '0;
      digit_error_q <= 1'b0;
    end else if (start_i) begin
      pending_q <= '0;
      points_left_q <= num_points_i;
      digit_error_q <= 1'b0;
    end else begin
      if (emit) pending_q <= pending_q & ~lowest;
      if (take) begin
        pending_q <= nonzero & used_q;
        points_left_q <= points_left_q - 32'd1;
        if ((range_err & nonzero & used_q) != '0) digit_error_q <= 1'b1;
      end
    end
  end
  always_ff @(posedge clk_i) begin
    if (take) begin
      {y_q, x_q} <= point_data_i;
      bkt_q <= bkt_d;
      neg_q <= neg_d;
    end
  end

  assign done_o = points_left_q == '0 && pending_q == '0 && !m_valid_q && !s_valid_q;
  assign digit_error_o = digit_error_q;

`ifndef SYNTHESIS
  // The configuration of the run, for the checks.
  logic [5:0] windows_q;
  logic [31:0] lane_windows_q;   // windows of this lane in the run
  logic [4:0] bucket_bits_q;
  logic [31:0] lane_windows;
  assign lane_windows = (32'(windows_i) > Lane) ? (32'(windows_i) - Lane + Lanes - 1) / Lanes : 32'd0;
  always_ff @(posedge clk_i) begin
    if (start_i) begin
      windows_q <= windows_i;
      lane_windows_q <= lane_windows;
      bucket_bits_q <= bucket_bits_i;
    end
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni && start_i) begin
      assert (windows_i >= 6'd1 && 32'(windows_i) <= RowDigits)
        else $error("msm_pair_source: %0d windows (1..%0d)", windows_i, RowDigits);
      assert ((lane_windows << bucket_bits_i) <= 32'(2 ** BucketBits))
        else $error("msm_pair_source: lane %0d: %0d windows of 2^%0d buckets exceed 2^%0d", Lane, lane_windows,
                    bucket_bits_i, BucketBits);
    end
    if (rst_ni && take) begin
      assert ((range_err & nonzero & used_q) == '0)
        else $error("msm_pair_source: digits above 2^%0d in lane slots %b", bucket_bits_q, range_err & nonzero & used_q);
    end
    if (rst_ni && emit) begin
      assert (32'(sel_bkt) < (lane_windows_q << bucket_bits_q))
        else $error("msm_pair_source: bucket %0d outside the lane's %0d windows of 2^%0d (of %0d)", sel_bkt,
                    lane_windows_q, bucket_bits_q, windows_q);
    end
  end
`endif

endmodule
