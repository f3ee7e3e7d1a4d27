// msm_scalar_slicer: slices scalars into the MSM kernel's digit rows on the
// card, so the host can send the 32-byte scalars (two to a 512-bit beat)
// instead of 64-byte rows it has to compute: half the upload and half the
// digit reads, and no slicing on the host.
//
// The digits are the offset recoding of runtime::MsmDigitRows: with c = b + 1
// and M = Σ_w 2^(c−1)·2^(c·w) over the windows inside TopBits bits,
// t = k + M, and digit w = (c bits of t at c·w) − 2^(c−1), written as a
// DigitBits-bit two's complement number at bit DigitBits·w of the row for
// every w < R = 512 / DigitBits whose field lies inside t (0 beyond). The
// subtraction is wiring: (f − 2^(c−1)) is f with its top bit inverted,
// sign-extended from that bit. For k < r the host's windows (num_windows(c)
// of them, c·num_windows(c) <= TopBits) get exactly the host's digits, and
// the windows above them read 0 (M's bits there meet no carry).
//
// Beats: scalar i is bits [256·(i mod 2) +: 256] of beat i / 2, little-endian;
// a run of an odd num_points leaves the last beat's upper half unused.
//
// Pipeline (one row a cycle, latency 3 from taking a scalar to its row):
// the beat register hands out its scalars one a cycle; stages 1 and 2 are
// cpa_pipe's carry-select addition of M (24-bit chains); stage 3 is the
// row. A row not taken holds the whole pipeline. The next beat is taken in
// the cycle its predecessor's last scalar moves on, so a beat per two rows
// keeps the rows coming.
//
// Configuration (num_points_i, bucket_bits_i = c − 1, 1 <= b <= DigitBits −
// 2) is sampled at start_i, which must come while the slicer is empty.
module msm_scalar_slicer #(
  parameter int unsigned DigitBits = 16
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         start_i,
  input  logic [31:0]  num_points_i,
  input  logic [4:0]   bucket_bits_i,
  // Scalar beats in.
  input  logic         in_valid_i,
  output logic         in_ready_o,
  input  logic [511:0] in_data_i,
  // Digit rows out.
  output logic         out_valid_o,
  input  logic         out_ready_i,
  output logic [511:0] out_data_o
);

  localparam int unsigned RowDigits = 512 / DigitBits;  // R
  localparam int unsigned MaxC = DigitBits - 1;         // a c-bit window's digits need c + 1 bits
  // t's width: every c's windows (num_windows(c)·c <= 276 for c <= 23).
  localparam int unsigned TopBits = 280;

  // --- run constants: c and M ------------------------------------------------------
  // M for every c (0 for the widths the digits cannot hold), as constants;
  // the run's is registered at start.
  logic [TopBits-1:0] m_by_c [32];
  for (genvar cc = 0; cc < 32; cc++) begin : g_m
    for (genvar p = 0; p < TopBits; p++) begin : g_bit
      assign m_by_c[cc][p] = (cc >= 2) && (cc <= MaxC) && ((p + 1) % cc == 0);
    end
  end
  logic [TopBits-1:0] m_q;
  logic [4:0] c_q;
  always_ff @(posedge clk_i) begin
    if (start_i) begin
      c_q <= bucket_bits_i + 5'd1;
      m_q <= m_by_c[bucket_bits_i + 5'd1];
    end
  end

  // --- the pipeline ----------------------------------------------------------------
  logic beat_valid_q, half_q, s1_valid_q, s2_valid_q, s3_valid_q;
  logic [511:0] beat_q;
  logic [31:0] left_q;  // scalars of the run not yet in stage 1
  logic advance, take_scalar, last_of_beat;
  assign advance = !s3_valid_q || out_ready_i;
  assign take_scalar = advance && beat_valid_q && left_q != '0;
  assign last_of_beat = half_q || left_q == 32'd1;
  // A beat is taken when the register is empty or its last scalar moves on,
  // and only while the run has scalars beyond those already taken.
  assign in_ready_o = (!beat_valid_q && left_q != '0) || (take_scalar && last_of_beat && left_q > 32'd1);

  logic [255:0] scalar;
  assign scalar = half_q ? beat_q[511:256] : beat_q[255:0];

  // The data registers move only with something to move (a scalar entering
  // stage 1, or stage 1's sum moving to stage 2); the valid bits say what
  // they hold. Idle, the slicer's 300-odd bits of adder and row registers
  // then keep their values, which costs a card nothing and saves the
  // simulated kernel their per-cycle update.
  logic data_advance;
  assign data_advance = advance && (take_scalar || s1_valid_q);

  // Stages 1 and 2: t = k + M (M's top bit is below TopBits and k < 2^256,
  // so nothing carries out).
  logic [TopBits-1:0] s2_t_q;
  logic t_carry;
  cpa_pipe #(.Width(TopBits), .ChunkWidth(24)) u_add (
    .clk_i, .en_i(data_advance), .a_i(TopBits'(scalar)), .b_i(m_q), .cin_i(1'b0), .s_o(s2_t_q), .cout_o(t_carry)
  );
  // Stage 3: the row.
  logic [511:0] s3_row_q, row;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      beat_valid_q <= 1'b0;
      half_q <= 1'b0;
      left_q <= '0;
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
      s3_valid_q <= 1'b0;
    end else if (start_i) begin
      beat_valid_q <= 1'b0;
      half_q <= 1'b0;
      left_q <= num_points_i;
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
      s3_valid_q <= 1'b0;
    end else begin
      if (in_valid_i && in_ready_o) begin
        beat_valid_q <= 1'b1;
        half_q <= 1'b0;
      end else if (take_scalar) begin
        if (last_of_beat) beat_valid_q <= 1'b0;
        half_q <= !half_q;
      end
      if (take_scalar) left_q <= left_q - 32'd1;
      if (advance) begin
        s1_valid_q <= take_scalar;
        s2_valid_q <= s1_valid_q;
        s3_valid_q <= s2_valid_q;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (in_valid_i && in_ready_o) beat_q <= in_data_i;
    if (advance && s2_valid_q) s3_row_q <= row;
  end

  // --- fields: digit w of the row, for the run's c ------------------------------------
  // For each c the field of window w sits at a constant place in t; the
  // run's c picks one. A field that does not lie inside t gives digit 0.
  for (genvar w = 0; w < RowDigits; w++) begin : g_digit
    logic [DigitBits-1:0] by_c [32];
    for (genvar cc = 0; cc < 32; cc++) begin : g_c
      if (cc >= 2 && cc <= MaxC && w * cc + cc <= TopBits) begin : g_in
        // f − 2^(c−1): the top bit inverted, sign-extended from it.
        assign by_c[cc] = {{(DigitBits - cc + 1){~s2_t_q[w*cc+cc-1]}}, s2_t_q[w*cc +: cc-1]};
      end else begin : g_out
        assign by_c[cc] = '0;
      end
    end
    assign row[w*DigitBits +: DigitBits] = by_c[c_q];
  end
  if (RowDigits * DigitBits < 512) begin : g_pad
    assign row[511:RowDigits*DigitBits] = '0;
  end

  logic unused;
  assign unused = t_carry;

  assign out_valid_o = s3_valid_q;
  assign out_data_o = s3_row_q;

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni && start_i) begin
      assert (!beat_valid_q && !s1_valid_q && !s2_valid_q && !s3_valid_q)
        else $error("msm_scalar_slicer: start while rows of the previous run are in the pipeline");
      assert (bucket_bits_i >= 5'd1 && 32'(bucket_bits_i) + 2 <= DigitBits)
        else $error("msm_scalar_slicer: b = %0d does not fit %0d-bit digits", bucket_bits_i, DigitBits);
    end
  end
`endif

endmodule
