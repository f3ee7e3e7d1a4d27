// zkacc_msm_kernel: Vitis RTL kernel for the bucket phase of a BN254 G1 MSM.
// The host slices the scalars into signed c-bit digits, writes the points and
// the digits to card memory and starts the kernel; the kernel adds every point
// into the bucket of each of its nonzero digits and writes all bucket sums
// back; the host then reduces the buckets of each window and combines the
// windows.
//
//   m_axi_points ───► axi_read_stream ─┬─► msm_point_join ──┐     ┌─► msm_pair_source (lane 0) ─► msm_bucket_accumulator ─┐
//   m_axi_points_y ─► axi_read_stream ─┘  (split points)   │     │
//                                                          ├─────┤              ...                                       ├─► 2 beats/bucket ─► axi_write_stream ─► m_axi_buckets
//   m_axi_digits ─► axi_read_stream ─► >> D·first_window ──┘     └─► msm_pair_source (lane L−1) ─► msm_bucket_accumulator ─┘
//                                     (register stage)  (each beat to every lane)   (point-major pairs)   (one g1_xyzz_madd each, on-chip buckets)
//
// Digits: a digit row (one beat per point) holds R = 512 / D signed D-bit
// digits, D = DigitBits: 32 of 16 bits, enough for windows up to c = 15
// (|d| <= 2^14), or 28 of 18 bits for windows up to c = 17 (|d| <= 2^16),
// where 254-bit scalars take 15 windows: five runs of three lanes.
//
// First window: a digit row holds up to R windows of a point, so the host
// writes the digits once per MSM and runs the kernel once per group of
// windows that fits the buckets; each run names its group by first_window.
// Row digit first_window + w is the run's window w: the digit beats are
// shifted down by D·first_window bits in a register stage before the pair
// sources, and everything after (lanes, bucket numbering, the output layout)
// is relative to the run, as if the row held only the run's windows.
//
// Lanes: Lanes accumulators (each its own adder and 2^(BucketBits −
// ceil(log2 Lanes)) buckets) work in parallel on disjoint windows: window w
// goes to lane w mod Lanes as its local window w / Lanes (local bucket
// ((w / Lanes) << b) | (|d| − 1)). A beat is taken once every lane's pair
// source has taken it. The output goes window by window in global order,
// window w's buckets from lane w mod Lanes, so the buckets land where a
// one-lane kernel puts them. Lanes = 1 is the one-adder kernel.
//
// Lane ports (0x18 bit 12, kernels of 2 or 3 lanes): each lane writes its
// own windows' buckets through a write engine of its own, lane 0 on
// m_axi_buckets, lane 1 on m_axi_points, lane 2 on m_axi_points_y (ports
// whose read side is done by then, each on a memory bank of its own), so
// the write-back takes a third of the time on three lanes.
//
// Registers (axil_ctrl_regs, ap_ctrl_hs at 0x00–0x0C):
// | offset    | register                                                        |
// |-----------|-----------------------------------------------------------------|
// | 0x10      | num_points (u32)                                                |
// | 0x14      | windows (u32, 1..R − first_window: digits used per row)         |
// | 0x18      | window_bucket_bits: 4:0 b (c − 1; buckets per window 2^b;       |
// |           | windows << b <= 2^BucketBits); 8 continue; 9 hold; 10 scalars;  |
// |           | 11 split points; 12 lane ports                                  |
// | 0x1C      | first_window (u32: the run's window w is row digit              |
// |           | first_window + w; first_window + windows <= R)                  |
// | 0x20/0x24 | points address lo/hi: num_points beats, x (255:0) | y (511:256) |
// | 0x28/0x2C | digits address lo/hi: num_points beats, R signed D-bit digits,  |
// |           | digit w in bits [D·w +: D] (D = 16: 32 × int16)                 |
// | 0x30/0x34 | buckets address lo/hi: windows << b buckets, 2 beats each:      |
// |           | x | y, then zz | zzz (XYZZ, Montgomery form; untouched: zeros)  |
// |           | (lane ports: lane 0's windows 0, Lanes, ... only)               |
// | 0x38/0x3C | points_y address lo/hi (split points, 0x18 bit 11): the y     |
// |           | coordinates, two to a beat; the points address then holds the x |
// | 0x40/0x44 | buckets_1 address lo/hi (lane ports): lane 1's windows 1,       |
// |           | 1 + Lanes, ..., 2^b buckets each, as above                      |
// | 0x48/0x4C | buckets_2 address lo/hi (lane ports, 3 lanes): lane 2's         |
// |           | windows 2, 2 + Lanes, ..., as above                             |
// | 0x50/0x54 | status: cycles from start to done, lo/hi                        |
// | 0x58/0x5C | status: additions issued, lo/hi                                 |
// | 0x60      | status: pairs parked in the conflict queue                      |
// | 0x64      | status: cycles the pair stream waited on the accumulator        |
// | 0x68      | status: config and errors: 7:0 BucketBits, 23:8 adder latency,  |
// |           | 24 digit with |d| > 2^b, 25 read error (rresp), 26 write error   |
// |           | (bresp), 27 bad arguments (nothing done); errors clear at start |
// | 0x6C      | status: lanes: 7:0 Lanes, 15:8 bucket bits per lane, 23:16 D    |
// |           | (DigitBits), 24 continue/hold supported, 25 scalars supported,  |
// |           | 26 split points supported, 27 lane ports supported              |
// | 0x70+4·l  | status: additions issued by lane l, low 32 bits (l < Lanes)     |
//
// Continue and hold: one run's windows can be accumulated over several
// launches, each on its own range of points (points and digits addresses
// moved on, num_points the range's), so the first launch can start while
// the host still slices and writes the later ranges. A launch with hold
// (0x18 bit 9) ends once every addition is in the buckets and writes
// nothing; the buckets stay on chip. The next launch sets continue (bit 8)
// and adds into them; the last one clears hold and writes the buckets as a
// single run would. A continue needs a held run just before it with the
// same windows, b and first_window, else it is a bad argument; any other
// start drops the held buckets. The counters at 0x50..0x64 are per launch.
//
// Scalars (0x18 bit 10): the digits address holds 32-byte scalars (below
// r, little-endian), two to a beat, num_points of them, and
// msm_scalar_slicer turns each into its digit row on the way in (the offset
// recoding of runtime::MsmDigitRows, for c = b + 1 <= DigitBits − 1): the
// host neither slices nor sends rows. Everything after the slicer is as
// with rows.
//
// Split points (0x18 bit 11): the points address holds the x coordinates
// and the points_y address the y coordinates, two to a beat each (point i
// in bits [256·(i mod 2) +: 256] of beat i / 2), and msm_point_join makes
// the point beats from them. A point a cycle is then half a beat a cycle
// from each of two buffers, which the link configurations put on two
// memory banks: one bank cannot give a whole beat every cycle.
//
// Digit d of the run's window w (row digit first_window + w): 0 gives no
// pair; otherwise bucket (w << b) | (|d| − 1) of the output with negate =
// d < 0. All addresses 64-byte aligned. Bad arguments (windows outside 1..R,
// first_window + windows above R, ceil(windows / Lanes) << b above a lane's
// 2^(BucketBits − ceil(log2 Lanes)) buckets, which with one lane is
// windows << b above 2^BucketBits, an unaligned address, lane ports on a
// kernel without them) finish the run at once with error bit 27 and no
// memory access. The counters at 0x58..0x64 are sums over the lanes.
//
// Cycles (see docs/kernel_msm.md): about the busiest lane's pairs /
// utilization for the accumulation, plus the adder's drain (~165), plus
// 2·(windows << b) beats of output at one beat per cycle (with lane ports
// the busiest lane's 2·(its windows << b) on each port at once), plus the memory
// latencies at both ends and the digit shift stage's one cycle (the first
// digit beat reaches the pair sources one cycle after the read engine has
// it; then one beat per cycle). ap_done rises when the last bucket beat's write
// response has arrived. Throughput: one bucket addition per cycle and lane
// while buckets do not conflict; the beats must then arrive once every
// (pairs per point) / Lanes cycles, which one beat per cycle covers for runs
// of Lanes windows or more.
//
// The three read ports and the write port carry all five AXI4 channels, as Vitis
// expects of a master; the direction a port does not use is tied idle.
`include "zkacc_kernel_shell.svh"

module zkacc_msm_kernel #(
  parameter int unsigned BucketBits = 16,
  parameter int unsigned QueueDepth = 16,
  parameter int unsigned EpochBits = 8,
  parameter int unsigned RamLatency = 2,
  // Point adders, each with its own accumulator and 2^(BucketBits −
  // ceil(log2 Lanes)) buckets (2^BucketBits / Lanes for a power of two).
  parameter int unsigned Lanes = 1,
  // Bits of a digit in the digit row (16..24): 16 for c <= 15, 18 for c <= 17.
  parameter int unsigned DigitBits = 16,
  parameter int unsigned CtrlAddrWidth = 12,
  parameter int unsigned MaxBurstBeats = 64,
  parameter int unsigned FifoDepth = 128
) (
  `ZKACC_KERNEL_CONTROL_PORTS(CtrlAddrWidth),
  // Vitis requires this name; it is a C++ keyword-like word to Verilator,
  // which renames the model's member (the harness reads it through a macro).
  /* verilator lint_off SYMRSVDWORD */
  output logic                                      interrupt,
  /* verilator lint_on SYMRSVDWORD */
  // AXI4 master: points (reads).
  `ZKACC_M_AXI_PORTS(points),
  // AXI4 master: y coordinates of split points (reads).
  `ZKACC_M_AXI_PORTS(points_y),
  // AXI4 master: digits (reads).
  `ZKACC_M_AXI_PORTS(digits),
  // AXI4 master: buckets (writes).
  `ZKACC_M_AXI_PORTS(buckets)
);

  // Every block resets synchronously from ap_rst_n registered twice
  // (kernel_reset_pipe: Vitis drives ap_rst_n synchronously and asks that it
  // be pipelined inside the kernel).
  logic rst_n;
  kernel_reset_pipe #(.Stages(2)) u_reset (.clk_i(ap_clk), .rst_ni(ap_rst_n), .rst_no(rst_n));

  localparam int unsigned NumArgs = 16;
  // Status 0..6 as with one lane; 7 the lane configuration (0x6C); 8 + l the
  // additions of lane l (0x70 + 4·l).
  localparam int unsigned NumStatus = 8 + Lanes;
  localparam int unsigned W = 256;
  localparam int unsigned LaneBucketBits = BucketBits - $clog2(Lanes);  // per lane
  localparam int unsigned LaneIdxBits = (Lanes > 1) ? $clog2(Lanes) : 1;
  localparam int unsigned RowDigits = 512 / DigitBits;  // R: digits a row holds
  // Write engines: one (m_axi_buckets), or with 2 or 3 lanes one a lane for
  // lane ports (m_axi_buckets, m_axi_points, m_axi_points_y).
  localparam int unsigned WritePorts = (Lanes == 2 || Lanes == 3) ? Lanes : 1;
  localparam bit LanePorts = WritePorts > 1;

  // --- Control registers -----------------------------------------------------
  logic start, done;
  logic [NumArgs*32-1:0] args;
  logic [NumStatus*32-1:0] status;
  axil_ctrl_regs #(.NumArgs(NumArgs), .NumStatus(NumStatus), .AddrWidth(CtrlAddrWidth)) u_ctrl (
    .clk_i(ap_clk), .rst_ni(rst_n),
    `ZKACC_S_AXI_CONTROL_CONNECT,
    .start_o(start), .done_i(done), .args_o(args), .status_i(status), .interrupt_o(interrupt)
  );

  logic [31:0] num_points, windows, bucket_cfg, first_window;
  logic [4:0] bucket_bits;
  logic run_continue, run_hold, run_scalars, run_split, run_lane_ports;
  logic [63:0] points_addr, digits_addr, buckets_addr, points_y_addr, buckets_1_addr, buckets_2_addr;
  assign num_points = args[0*32 +: 32];
  assign windows = args[1*32 +: 32];
  assign bucket_cfg = args[2*32 +: 32];
  assign bucket_bits = bucket_cfg[4:0];
  assign run_continue = bucket_cfg[8];
  assign run_hold = bucket_cfg[9];
  assign run_scalars = bucket_cfg[10];
  assign run_split = bucket_cfg[11];
  assign run_lane_ports = bucket_cfg[12];
  assign first_window = args[3*32 +: 32];
  assign points_addr = {args[5*32 +: 32], args[4*32 +: 32]};
  assign digits_addr = {args[7*32 +: 32], args[6*32 +: 32]};
  assign buckets_addr = {args[9*32 +: 32], args[8*32 +: 32]};
  assign points_y_addr = {args[11*32 +: 32], args[10*32 +: 32]};
  assign buckets_1_addr = {args[13*32 +: 32], args[12*32 +: 32]};
  assign buckets_2_addr = {args[15*32 +: 32], args[14*32 +: 32]};

  // Arguments are checked at start; a run with bad ones does nothing. The
  // check is registered from the argument registers every cycle: the host's
  // ap_start write comes cycles after its last argument write, and the shift
  // and comparisons stay out of the start path. The bucket counts are kept
  // for the run (the flushes come at its end). Lane l takes the windows
  // w < windows with w mod Lanes = l: ceil((windows − l) / Lanes) of them,
  // lane 0 the most, and each lane must hold its windows' buckets. The run's
  // windows must lie in the R digits of a row: first_window + windows <= R
  // (a 33-bit sum, which two 32-bit arguments cannot overflow). A continue
  // must find held buckets of the same windows (held_q and the held
  // configuration, set when a run with hold ends).
  function automatic logic [5:0] lane_windows(logic [5:0] win, logic [6:0] lane);
    return (7'(win) > lane) ? 6'((7'(win) - lane + 7'(Lanes - 1)) / 7'(Lanes)) : 6'd0;
  endfunction
  logic [63:0] num_buckets_wide, lane0_buckets_wide;
  assign num_buckets_wide = 64'(windows) << bucket_bits;
  assign lane0_buckets_wide = 64'(lane_windows(windows[5:0], 7'd0)) << bucket_bits;
  logic held_q, held_scalars_q;
  logic [5:0] held_windows_q;
  logic [4:0] held_bits_q, held_first_q;
  logic args_ok_q;
  logic [BucketBits:0] num_buckets_q;
  logic [Lanes*(LaneBucketBits+1)-1:0] lane_buckets_q, lane_run_buckets_q;
  always_ff @(posedge ap_clk) begin
    if (!rst_n) begin
      args_ok_q <= 1'b0;
      num_buckets_q <= '0;
      lane_buckets_q <= '0;
    end else begin
      args_ok_q <= windows >= 32'd1 && windows <= 32'(RowDigits)
                && 33'(first_window) + 33'(windows) <= 33'(RowDigits)
                && {bucket_cfg[31:13], bucket_cfg[7:5]} == '0 && 32'(bucket_bits) <= 32'(BucketBits)
                && (!run_continue || (held_q && windows[5:0] == held_windows_q && bucket_bits == held_bits_q
                                      && first_window[4:0] == held_first_q && run_scalars == held_scalars_q))
                && (!run_scalars || (bucket_bits >= 5'd1 && 32'(bucket_bits) + 2 <= 32'(DigitBits)))
                && num_buckets_wide <= 64'(2 ** BucketBits) && lane0_buckets_wide <= 64'(2 ** LaneBucketBits)
                && points_addr[5:0] == '0 && digits_addr[5:0] == '0 && buckets_addr[5:0] == '0
                && (!run_split || points_y_addr[5:0] == '0)
                && (!run_lane_ports || (LanePorts && buckets_1_addr[5:0] == '0
                                        && (Lanes < 3 || buckets_2_addr[5:0] == '0)));
      // A run with hold writes nothing: no buckets to flush or to write.
      num_buckets_q <= run_hold ? '0 : num_buckets_wide[BucketBits:0];
      for (int unsigned l = 0; l < Lanes; l++)
        lane_buckets_q[l*(LaneBucketBits+1) +: LaneBucketBits+1] <= run_hold ? '0 :
          (LaneBucketBits + 1)'(64'(lane_windows(windows[5:0], 7'(l))) << bucket_bits);
    end
  end

  logic run_start;
  assign run_start = start && args_ok_q;
  // first_window < R <= 32 once the arguments are good (windows >= 1); the
  // shift is D·first_window bits, a run constant.
  logic [9:0] digit_shift_q;
  logic scalars_q;  // the run's digits address holds scalars
  logic split_q;    // the run's points come as x and y streams
  logic lane_ports_q;  // each lane writes its buckets through its own engine
  always_ff @(posedge ap_clk) begin
    if (run_start) begin
      lane_run_buckets_q <= lane_buckets_q;
      digit_shift_q <= 10'(first_window[4:0]) * 10'(DigitBits);
      held_windows_q <= windows[5:0];
      held_scalars_q <= run_scalars;
      scalars_q <= run_scalars;
      split_q <= run_split;
      lane_ports_q <= run_lane_ports;
      held_bits_q <= bucket_bits;
      held_first_q <= first_window[4:0];
    end
  end

  // --- Input streams -----------------------------------------------------------
  logic pts_busy, pts_error, pts_valid, pts_ready;
  logic px_valid, px_ready, py_busy, py_error, py_valid, py_ready, join_valid;
  logic [zkacc_axi_pkg::DataWidth-1:0] px_data, py_data, join_data;
  // A beat a point, or with split points half a beat a point from each of
  // the points and points_y streams.
  logic [31:0] point_beats;
  assign point_beats = run_split ? 32'((33'(num_points) + 33'd1) >> 1) : num_points;
  logic dig_busy, dig_error, dig_valid, dig_ready;
  logic [zkacc_axi_pkg::DataWidth-1:0] pts_data, dig_data, dig_run_q;

  axi_read_stream #(.MaxBurstBeats(MaxBurstBeats), .FifoDepth(FifoDepth)) u_points (
    .clk_i(ap_clk), .rst_ni(rst_n),
    .start_i(run_start), .addr_i(points_addr), .beats_i(point_beats), .busy_o(pts_busy), .error_o(pts_error),
    .out_valid_o(px_valid), .out_ready_i(px_ready), .out_data_o(px_data),
    `ZKACC_M_AXI_READ_CONNECT(points)
  );
  // The y coordinates of split points; without them this stream reads
  // nothing and its address, which may be anything, goes unused.
  axi_read_stream #(.MaxBurstBeats(MaxBurstBeats), .FifoDepth(FifoDepth)) u_points_y (
    .clk_i(ap_clk), .rst_ni(rst_n),
    .start_i(run_start), .addr_i(run_split ? points_y_addr : 64'd0), .beats_i(run_split ? point_beats : 32'd0),
    .busy_o(py_busy), .error_o(py_error), .out_valid_o(py_valid), .out_ready_i(py_ready), .out_data_o(py_data),
    `ZKACC_M_AXI_READ_CONNECT(points_y)
  );
  logic join_x_ready, join_y_ready;
  msm_point_join u_join (
    .clk_i(ap_clk), .rst_ni(rst_n),
    .start_i(run_start), .num_points_i(run_split ? num_points : 32'd0),
    .x_valid_i(split_q && px_valid), .x_ready_o(join_x_ready), .x_data_i(px_data),
    .y_valid_i(split_q && py_valid), .y_ready_o(join_y_ready), .y_data_i(py_data),
    .out_valid_o(join_valid), .out_ready_i(split_q && pts_ready), .out_data_o(join_data)
  );
  assign pts_valid = split_q ? join_valid : px_valid;
  assign pts_data = split_q ? join_data : px_data;
  assign px_ready = split_q ? join_x_ready : pts_ready;
  assign py_ready = join_y_ready;

  // Rows: a beat a point; scalars: two to a beat.
  logic [31:0] digit_beats;
  assign digit_beats = run_scalars ? 32'((33'(num_points) + 33'd1) >> 1) : num_points;
  axi_read_stream #(.MaxBurstBeats(MaxBurstBeats), .FifoDepth(FifoDepth)) u_digits (
    .clk_i(ap_clk), .rst_ni(rst_n),
    .start_i(run_start), .addr_i(digits_addr), .beats_i(digit_beats), .busy_o(dig_busy), .error_o(dig_error),
    .out_valid_o(dig_valid), .out_ready_i(dig_ready), .out_data_o(dig_data),
    `ZKACC_M_AXI_READ_CONNECT(digits)
  );

  // --- Digit shift: the run's first window becomes digit 0 ----------------------
  // A register stage between the digit stream and the lanes holds one beat
  // shifted down by D·first_window bits (zeros in from the top, beyond the
  // run's windows, which the pair sources never read). The shift amount is a
  // run constant, so the 512-bit barrel shifter (five levels of 2:1 muxes on
  // 16-bit digits, nine on other widths) runs from the read engine's FIFO output register to this
  // one, out of the pair sources' paths, and the pair sources stay as they
  // were: the run's window w is their digit w. The stage takes a beat when it
  // is empty or its beat goes to the lanes in the same cycle, so it passes
  // one beat per cycle; the lanes see it exactly as they saw the read
  // engine's output (valid until every lane has taken it), so the pair
  // sources' stall protocol is unchanged. It is empty between runs: a run
  // reads exactly num_points digit beats and the lanes take as many.
  //
  // With scalars the rows come from the slicer instead of the read engine.
  logic dig_run_valid_q, beat_ready;  // beat_ready: the lanes take the beat (below)
  logic row_valid, row_ready, slicer_in_ready, slicer_out_valid;
  logic [zkacc_axi_pkg::DataWidth-1:0] row_data, slicer_out;
  msm_scalar_slicer #(.DigitBits(DigitBits)) u_slicer (
    .clk_i(ap_clk), .rst_ni(rst_n),
    .start_i(run_start), .num_points_i(num_points), .bucket_bits_i(bucket_bits),
    .in_valid_i(scalars_q && dig_valid), .in_ready_o(slicer_in_ready), .in_data_i(dig_data),
    .out_valid_o(slicer_out_valid), .out_ready_i(scalars_q && row_ready), .out_data_o(slicer_out)
  );
  assign row_ready = !dig_run_valid_q || beat_ready;
  assign dig_ready = scalars_q ? slicer_in_ready : row_ready;
  assign row_valid = scalars_q ? slicer_out_valid : dig_valid;
  assign row_data = scalars_q ? slicer_out : dig_data;
  always_ff @(posedge ap_clk) begin
    if (!rst_n) dig_run_valid_q <= 1'b0;
    else if (row_ready) dig_run_valid_q <= row_valid;
  end
  always_ff @(posedge ap_clk) begin
    if (row_ready && row_valid) dig_run_q <= row_data >> digit_shift_q;
  end

  // --- Lanes: the beats go to every lane's pair source -------------------------
  // A beat (point and digits together) is taken once every lane's source has
  // taken it; taken_q remembers the lanes that already have, so a lane may
  // run one point ahead of the slowest. With W windows a point gives each lane
  // about W / Lanes pairs, so each lane wants a beat every W / Lanes cycles:
  // for a run of at least Lanes windows the streams (one beat per cycle) keep
  // up, and the lanes go at the pace of the busiest one (random digits: all
  // alike). Per-lane beat FIFOs would decouple them further at the cost of
  // 1024 bits per entry and lane.
  logic beat_valid;
  logic [Lanes-1:0] taken_q, lane_beat_valid, lane_take, lane_dig_take;
  assign beat_valid = pts_valid && dig_run_valid_q;
  assign lane_beat_valid = {Lanes{beat_valid}} & ~taken_q;
  assign beat_ready = beat_valid && (&(taken_q | lane_take));
  assign pts_ready = beat_ready;
  always_ff @(posedge ap_clk) begin
    if (!rst_n) taken_q <= '0;
    else if (beat_ready) taken_q <= '0;
    else taken_q <= taken_q | lane_take;
  end

  // --- Per lane: pair source and accumulator ------------------------------------
  // Lane l takes the windows w = l, l + Lanes, ...; its accumulator holds them
  // as local windows w / Lanes, 2^LaneBucketBits buckets in all. It is flushed
  // once its source has handed over its last pair (also while it still sweeps
  // its RAM after a reset) and then streams its windows' buckets in order.
  logic [Lanes-1:0] src_done, lane_digit_error, flush, flushed_q, acc_done_q, lane_acc_done, lane_acc_idle;
  logic [Lanes-1:0] lane_out_valid, lane_out_ready, lane_out_last;
  logic [Lanes*W-1:0] lane_out_x, lane_out_y, lane_out_zz, lane_out_zzz;
  logic [Lanes*64-1:0] lane_adds;
  logic [Lanes-1:0] lane_added;
  logic [Lanes*32-1:0] lane_parked, lane_stalls;
  logic [Lanes*16-1:0] lane_adder_latency;
  logic running_q;
  assign flush = {Lanes{running_q}} & ~flushed_q & src_done;

  for (genvar l = 0; l < Lanes; l++) begin : g_lane
    logic pair_valid, pair_ready, pair_negate;
    logic [LaneBucketBits-1:0] pair_bucket;
    logic [W-1:0] pair_x, pair_y;
    msm_pair_source #(.BucketBits(LaneBucketBits), .Lanes(Lanes), .Lane(l), .DigitBits(DigitBits)) u_source (
      .clk_i(ap_clk), .rst_ni(rst_n),
      .start_i(run_start), .num_points_i(num_points), .windows_i(windows[5:0]),
      .bucket_bits_i(bucket_bits), .done_o(src_done[l]), .digit_error_o(lane_digit_error[l]),
      .point_valid_i(lane_beat_valid[l]), .point_ready_o(lane_take[l]), .point_data_i(pts_data),
      .digit_valid_i(lane_beat_valid[l]), .digit_ready_o(lane_dig_take[l]), .digit_data_i(dig_run_q),
      .pair_valid_o(pair_valid), .pair_ready_i(pair_ready), .pair_bucket_o(pair_bucket),
      .pair_negate_o(pair_negate), .pair_x_o(pair_x), .pair_y_o(pair_y)
    );
    msm_bucket_accumulator #(
      .BucketBits(LaneBucketBits), .QueueDepth(QueueDepth), .EpochBits(EpochBits), .RamLatency(RamLatency)
    ) u_acc (
      .clk_i(ap_clk), .rst_ni(rst_n),
      .start_i(run_start), .continue_i(run_continue), .idle_o(lane_acc_idle[l]), .flush_i(flush[l]),
      .flush_count_i(lane_run_buckets_q[l*(LaneBucketBits+1) +: LaneBucketBits+1]),
      .in_valid_i(pair_valid), .in_ready_o(pair_ready), .in_bucket_i(pair_bucket),
      .in_negate_i(pair_negate), .in_x_i(pair_x), .in_y_i(pair_y),
      .out_valid_o(lane_out_valid[l]), .out_ready_i(lane_out_ready[l]), .out_last_o(lane_out_last[l]),
      .out_x_o(lane_out_x[l*W +: W]), .out_y_o(lane_out_y[l*W +: W]),
      .out_zz_o(lane_out_zz[l*W +: W]), .out_zzz_o(lane_out_zzz[l*W +: W]),
      .done_o(lane_acc_done[l]), .adds_o(lane_adds[l*64 +: 64]), .added_o(lane_added[l]),
      .parked_o(lane_parked[l*32 +: 32]),
      .stalls_o(lane_stalls[l*32 +: 32]), .adder_latency_o(lane_adder_latency[l*16 +: 16])
    );
  end

  // --- Output --------------------------------------------------------------------
  // Without lane ports: window by window in global order, through engine 0.
  // Window w's 2^b buckets come from lane w mod Lanes, whose accumulator
  // streams its local windows in order; out_lane_q moves to the next lane
  // after each window. Each bucket is two beats (x | y, then zz | zzz).
  logic [LaneIdxBits-1:0] out_lane_q;
  logic [LaneBucketBits:0] win_left_q, win_buckets_q;  // buckets left in this window; 2^b
  logic out_valid, out_ready, out_last, out_fire;
  logic [W-1:0] out_x, out_y, out_zz, out_zzz;
  assign out_valid = lane_out_valid[out_lane_q];
  assign out_last = lane_out_last[out_lane_q];
  assign out_x = lane_out_x[out_lane_q*W +: W];
  assign out_y = lane_out_y[out_lane_q*W +: W];
  assign out_zz = lane_out_zz[out_lane_q*W +: W];
  assign out_zzz = lane_out_zzz[out_lane_q*W +: W];
  assign out_fire = out_valid && out_ready;
  always_ff @(posedge ap_clk) begin
    if (run_start) begin
      out_lane_q <= '0;
      win_left_q <= (LaneBucketBits + 1)'(1) << bucket_bits;
      win_buckets_q <= (LaneBucketBits + 1)'(1) << bucket_bits;
    end else if (out_fire) begin
      if (win_left_q == (LaneBucketBits + 1)'(1)) begin
        win_left_q <= win_buckets_q;
        out_lane_q <= (out_lane_q == LaneIdxBits'(Lanes - 1)) ? '0 : out_lane_q + LaneIdxBits'(1);
      end else begin
        win_left_q <= win_left_q - (LaneBucketBits + 1)'(1);
      end
    end
  end

  // Write engines. Engine 0 (m_axi_buckets) takes the stream above, or with
  // lane ports lane 0's buckets; engine p > 0 (lane ports only) lane p's, on
  // m_axi_points (p = 1) or m_axi_points_y (p = 2). Each engine's beat count
  // is set at start: all the run's buckets, or its lane's; 0 (idle) for
  // engines 1, 2 without lane ports. Slots p >= WritePorts have no engine
  // and their ports' write side is tied idle.
  logic [WritePorts-1:0] wr_valid, wr_ready, wr_busy, wr_error, second_q;
  logic [WritePorts*W-1:0] src_x, src_y, src_zz, src_zzz;
  logic [2:0] aw_valid, aw_ready, w_valid, w_ready, w_last, b_valid, b_ready;
  logic [3*zkacc_axi_pkg::AddrWidth-1:0] aw_addr;
  logic [3*8-1:0] aw_len;
  logic [3*3-1:0] aw_size;
  logic [3*2-1:0] aw_burst, b_resp;
  logic [3*zkacc_axi_pkg::DataWidth-1:0] w_data;
  logic [3*zkacc_axi_pkg::BeatBytes-1:0] w_strb;
  logic [3*64-1:0] lane_buckets_addr;
  // Lanes 1 and 2's addresses go unused without lane ports (and may be anything).
  assign lane_buckets_addr = {run_lane_ports ? buckets_2_addr : 64'd0, run_lane_ports ? buckets_1_addr : 64'd0,
                              buckets_addr};

  assign out_ready = !lane_ports_q && wr_ready[0] && second_q[0];
  always_comb begin
    for (int unsigned l = 0; l < Lanes; l++) lane_out_ready[l] = out_ready && out_lane_q == LaneIdxBits'(l);
    for (int unsigned p = 0; p < WritePorts; p++)
      if (lane_ports_q) lane_out_ready[p] = wr_ready[p] && second_q[p];
  end

  for (genvar p = 0; p < 3; p++) begin : g_write
    if (p < WritePorts) begin : g_engine
      logic [31:0] beats;
      if (p == 0) begin : g_main
        assign wr_valid[0] = lane_ports_q ? lane_out_valid[0] : out_valid;
        assign src_x[0 +: W] = lane_ports_q ? lane_out_x[0 +: W] : out_x;
        assign src_y[0 +: W] = lane_ports_q ? lane_out_y[0 +: W] : out_y;
        assign src_zz[0 +: W] = lane_ports_q ? lane_out_zz[0 +: W] : out_zz;
        assign src_zzz[0 +: W] = lane_ports_q ? lane_out_zzz[0 +: W] : out_zzz;
        assign beats = run_lane_ports ? 32'(lane_buckets_q[0 +: LaneBucketBits+1]) << 1
                                      : 32'(num_buckets_q) << 1;
      end else begin : g_lane_port
        assign wr_valid[p] = lane_ports_q && lane_out_valid[p];
        assign src_x[p*W +: W] = lane_out_x[p*W +: W];
        assign src_y[p*W +: W] = lane_out_y[p*W +: W];
        assign src_zz[p*W +: W] = lane_out_zz[p*W +: W];
        assign src_zzz[p*W +: W] = lane_out_zzz[p*W +: W];
        assign beats = run_lane_ports ? 32'(lane_buckets_q[p*(LaneBucketBits+1) +: LaneBucketBits+1]) << 1
                                      : 32'd0;
      end
      axi_write_stream #(.MaxBurstBeats(MaxBurstBeats), .FifoDepth(FifoDepth)) u_buckets (
        .clk_i(ap_clk), .rst_ni(rst_n),
        .start_i(run_start), .addr_i(lane_buckets_addr[p*64 +: 64]), .beats_i(beats),
        .busy_o(wr_busy[p]), .error_o(wr_error[p]),
        .in_valid_i(wr_valid[p]), .in_ready_o(wr_ready[p]),
        .in_data_i(second_q[p] ? {src_zzz[p*W +: W], src_zz[p*W +: W]} : {src_y[p*W +: W], src_x[p*W +: W]}),
        .m_axi_awvalid(aw_valid[p]), .m_axi_awready(aw_ready[p]),
        .m_axi_awaddr(aw_addr[p*zkacc_axi_pkg::AddrWidth +: zkacc_axi_pkg::AddrWidth]),
        .m_axi_awlen(aw_len[p*8 +: 8]), .m_axi_awsize(aw_size[p*3 +: 3]), .m_axi_awburst(aw_burst[p*2 +: 2]),
        .m_axi_wvalid(w_valid[p]), .m_axi_wready(w_ready[p]),
        .m_axi_wdata(w_data[p*zkacc_axi_pkg::DataWidth +: zkacc_axi_pkg::DataWidth]),
        .m_axi_wstrb(w_strb[p*zkacc_axi_pkg::BeatBytes +: zkacc_axi_pkg::BeatBytes]), .m_axi_wlast(w_last[p]),
        .m_axi_bvalid(b_valid[p]), .m_axi_bready(b_ready[p]), .m_axi_bresp(b_resp[p*2 +: 2])
      );
      always_ff @(posedge ap_clk) begin
        if (!rst_n) second_q[p] <= 1'b0;
        else if (wr_valid[p] && wr_ready[p]) second_q[p] <= !second_q[p];
      end
    end else begin : g_tied
      assign aw_valid[p] = 1'b0;
      assign aw_addr[p*zkacc_axi_pkg::AddrWidth +: zkacc_axi_pkg::AddrWidth] = '0;
      assign aw_len[p*8 +: 8] = '0;
      assign aw_size[p*3 +: 3] = zkacc_axi_pkg::Size;
      assign aw_burst[p*2 +: 2] = zkacc_axi_pkg::BurstIncr;
      assign w_valid[p] = 1'b0;
      assign w_data[p*zkacc_axi_pkg::DataWidth +: zkacc_axi_pkg::DataWidth] = '0;
      assign w_strb[p*zkacc_axi_pkg::BeatBytes +: zkacc_axi_pkg::BeatBytes] = '0;
      assign w_last[p] = 1'b0;
      assign b_ready[p] = 1'b1;
    end
  end

  // Slot 0 on m_axi_buckets, 1 on m_axi_points, 2 on m_axi_points_y.
  assign m_axi_buckets_awvalid = aw_valid[0];
  assign m_axi_buckets_awaddr = aw_addr[0 +: zkacc_axi_pkg::AddrWidth];
  assign m_axi_buckets_awlen = aw_len[0 +: 8];
  assign m_axi_buckets_awsize = aw_size[0 +: 3];
  assign m_axi_buckets_awburst = aw_burst[0 +: 2];
  assign m_axi_buckets_wvalid = w_valid[0];
  assign m_axi_buckets_wdata = w_data[0 +: zkacc_axi_pkg::DataWidth];
  assign m_axi_buckets_wstrb = w_strb[0 +: zkacc_axi_pkg::BeatBytes];
  assign m_axi_buckets_wlast = w_last[0];
  assign m_axi_buckets_bready = b_ready[0];
  assign m_axi_points_awvalid = aw_valid[1];
  assign m_axi_points_awaddr = aw_addr[zkacc_axi_pkg::AddrWidth +: zkacc_axi_pkg::AddrWidth];
  assign m_axi_points_awlen = aw_len[8 +: 8];
  assign m_axi_points_awsize = aw_size[3 +: 3];
  assign m_axi_points_awburst = aw_burst[2 +: 2];
  assign m_axi_points_wvalid = w_valid[1];
  assign m_axi_points_wdata = w_data[zkacc_axi_pkg::DataWidth +: zkacc_axi_pkg::DataWidth];
  assign m_axi_points_wstrb = w_strb[zkacc_axi_pkg::BeatBytes +: zkacc_axi_pkg::BeatBytes];
  assign m_axi_points_wlast = w_last[1];
  assign m_axi_points_bready = b_ready[1];
  assign m_axi_points_y_awvalid = aw_valid[2];
  assign m_axi_points_y_awaddr = aw_addr[2*zkacc_axi_pkg::AddrWidth +: zkacc_axi_pkg::AddrWidth];
  assign m_axi_points_y_awlen = aw_len[16 +: 8];
  assign m_axi_points_y_awsize = aw_size[6 +: 3];
  assign m_axi_points_y_awburst = aw_burst[4 +: 2];
  assign m_axi_points_y_wvalid = w_valid[2];
  assign m_axi_points_y_wdata = w_data[2*zkacc_axi_pkg::DataWidth +: zkacc_axi_pkg::DataWidth];
  assign m_axi_points_y_wstrb = w_strb[2*zkacc_axi_pkg::BeatBytes +: zkacc_axi_pkg::BeatBytes];
  assign m_axi_points_y_wlast = w_last[2];
  assign m_axi_points_y_bready = b_ready[2];
  assign aw_ready = {m_axi_points_y_awready, m_axi_points_awready, m_axi_buckets_awready};
  assign w_ready = {m_axi_points_y_wready, m_axi_points_wready, m_axi_buckets_wready};
  assign b_valid = {m_axi_points_y_bvalid, m_axi_points_bvalid, m_axi_buckets_bvalid};
  assign b_resp = {m_axi_points_y_bresp, m_axi_points_bresp, m_axi_buckets_bresp};

  // --- Counters: sums over the lanes ----------------------------------------------
  // One lane: its counters as they are. Several: the additions counted by an
  // event counter of their own (each cycle's count of lanes that added, into
  // 16-bit chunks with registered carries: no 64-bit adder anywhere), parked
  // pairs and stall cycles summed into registers (one cycle behind; the
  // counters stop before done) and saturated.
  logic [63:0] adds;
  logic [31:0] parked, stalls;
  if (Lanes == 1) begin : g_one_lane
    logic unused_added;
    assign unused_added = lane_added[0];  // the lane's own counter is the total
    assign adds = lane_adds;
    assign parked = lane_parked;
    assign stalls = lane_stalls;
  end else begin : g_lane_sums
    localparam int unsigned AddedWidth = $clog2(Lanes + 1);
    logic [AddedWidth-1:0] added_q;
    always_ff @(posedge ap_clk) begin
      logic [AddedWidth-1:0] n;
      n = '0;
      for (int unsigned l = 0; l < Lanes; l++) n = n + AddedWidth'(lane_added[l]);
      added_q <= n;
    end
    // Cleared with the accumulators' counters' run start; the registered
    // count of the cycle before a start is 0 (no lane adds while idle).
    event_counter #(.Width(64), .IncWidth(AddedWidth)) u_adds (
      .clk_i(ap_clk), .rst_ni(rst_n), .clear_i(run_start), .inc_i(added_q), .count_o(adds)
    );
    logic [31:0] parked_q, stalls_q;
    always_ff @(posedge ap_clk) begin
      logic [63:0] p, st;
      p = '0;
      st = '0;
      for (int unsigned l = 0; l < Lanes; l++) begin
        p = p + 64'(lane_parked[l*32 +: 32]);
        st = st + 64'(lane_stalls[l*32 +: 32]);
      end
      parked_q <= (p[63:32] != '0) ? '1 : p[31:0];
      stalls_q <= (st[63:32] != '0) ? '1 : st[31:0];
    end
    assign parked = parked_q;
    assign stalls = stalls_q;
  end

  // --- Run state, cycle counter, errors ----------------------------------------
  // A run ends when every lane's accumulator has handed over its last bucket
  // and the write engine has its last response (busy from the start cycle
  // on). A start with bad arguments ends in the next cycle.
  logic bad_q, hold_q;
  logic [63:0] cycles;
  // Cycles from start to done: an event counter (16-bit chunks, registered
  // carries), exact a few cycles after done, long before the host reads it.
  event_counter #(.Width(64)) u_cycles (
    .clk_i(ap_clk), .rst_ni(rst_n), .clear_i(start), .inc_i(running_q), .count_o(cycles)
  );
  logic [3:0] errors_q;   // {bad arguments, bresp, rresp, digit range}
  assign done = (running_q && (&acc_done_q) && !(|wr_busy)) || bad_q;

  always_ff @(posedge ap_clk) begin
    if (!rst_n) begin
      running_q <= 1'b0;
      flushed_q <= '0;
      acc_done_q <= '0;
      bad_q <= 1'b0;
      errors_q <= '0;
      hold_q <= 1'b0;
      held_q <= 1'b0;
    end else begin
      bad_q <= 1'b0;
      if (running_q) begin
        errors_q <= errors_q | {1'b0, |wr_error, pts_error || py_error || dig_error, |lane_digit_error};
      end
      flushed_q <= flushed_q | flush;
      acc_done_q <= acc_done_q | lane_acc_done;
      if (done) running_q <= 1'b0;
      // The buckets stay for a continue when a run with hold ends without
      // an error seen (a bad start never reaches here: not running).
      if (running_q && done) held_q <= hold_q && errors_q == '0;
      if (start) begin
        held_q <= 1'b0;
        hold_q <= run_hold;
        errors_q <= {!args_ok_q, 3'b000};
        running_q <= args_ok_q;
        bad_q <= !args_ok_q;
        flushed_q <= '0;
        acc_done_q <= '0;
      end
    end
  end

  logic [31:0] config_word, lanes_word;
  logic [Lanes*32-1:0] lane_adds_lo;
  assign config_word = {4'd0, errors_q, lane_adder_latency[15:0], 8'(BucketBits)};
  assign lanes_word = {4'd0, LanePorts, 3'd7, 8'(DigitBits), 8'(LaneBucketBits), 8'(Lanes)};
  always_comb begin
    for (int unsigned l = 0; l < Lanes; l++) lane_adds_lo[l*32 +: 32] = lane_adds[l*64 +: 32];
  end
  assign status = {lane_adds_lo, lanes_word, config_word, stalls, parked, adds[63:32], adds[31:0],
                   cycles[63:32], cycles[31:0]};

  // --- Unused directions, tied idle --------------------------------------------
  `ZKACC_M_AXI_WRITE_IDLE(digits)
  `ZKACC_M_AXI_READ_IDLE(buckets)

  // Inputs of the tied-off directions; the bits of the argument registers
  // beyond their ranges (checked by args_ok_q); state that only the
  // assertions read (the read engines are done before the accumulators can
  // be, the output count is known); the digit-ready
  // outputs (equal to the point-ready ones); the other lanes' adder latency
  // (the same module) and the high halves of the per-lane counters (in the sums).
  logic unused;
  assign unused = ^{aw_ready, w_ready, b_valid, b_resp, lane_buckets_addr,
                    `ZKACC_M_AXI_WRITE_IDLE_INPUTS(digits),
                    `ZKACC_M_AXI_READ_IDLE_INPUTS(buckets), first_window[31:5], windows[31:6], bucket_cfg[31:13], bucket_cfg[7:5],
                    num_buckets_wide[63:BucketBits+1], lane0_buckets_wide, lane_acc_idle, out_last, pts_busy,
                    dig_busy, py_busy, lane_dig_take, lane_adder_latency, lane_adds};

`ifndef SYNTHESIS
  always_ff @(posedge ap_clk) begin
    if (rst_n) begin
      assert (!run_start || (&lane_acc_idle)) else $error("zkacc_msm_kernel: start while an accumulator is busy");
      assert (!(running_q && done) || second_q == '0)
        else $error("zkacc_msm_kernel: done with a bucket half written");
      assert (!lane_ports_q || !out_fire) else $error("zkacc_msm_kernel: global output stream used with lane ports");
      assert (!(running_q && (&acc_done_q) && !(|wr_busy)) || (!pts_busy && !py_busy && !dig_busy))
        else $error("zkacc_msm_kernel: done while a read engine is busy");
      // A lane's last bucket ends one of its windows.
      assert (!(out_fire && out_last) || win_left_q == (LaneBucketBits + 1)'(1))
        else $error("zkacc_msm_kernel: lane %0d ended in the middle of a window", out_lane_q);
      assert (lane_take == (lane_dig_take & lane_beat_valid))
        else $error("zkacc_msm_kernel: a lane took a point without its digits");
      assert (!run_start || taken_q == '0) else $error("zkacc_msm_kernel: a beat half taken at start");
      assert (!run_start || !dig_run_valid_q)
        else $error("zkacc_msm_kernel: a digit beat of the previous run left in the shift stage at start");
    end
  end
`endif

endmodule
