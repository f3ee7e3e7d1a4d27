// msm_bucket_accumulator: the bucket phase of a Pippenger MSM on BN254 G1.
// Takes a stream of (bucket index, negate flag, affine point) pairs, adds each
// point (negated if asked) into its bucket with one pipelined g1_xyzz_madd,
// and after a flush streams the buckets out in XYZZ coordinates.
//
//   pairs ──► input registers (2) ──┐
//                                   ├─► select ─► iss_q ─┬─► bucket RAM read ─► epoch mask ─┬─► g1_xyzz_madd ─┐
//   conflict queue head ────────────┘      │             └─► y or q − y (mod_sub) ─────────┘                 │
//        ▲ park / rotate ───────────────────┘                                                                │
//   in-flight tracker ◄── issue                     bucket RAM ◄── write-back (161 cycles later) ◄───────────┘
//
// Hazards. A bucket whose addition is still in the adder must not be read. The
// in-flight tracker holds the buckets issued in the last InflightDepth cycles
// (exactly those whose write-back could come after the read of a new issue).
// Each cycle one addition is issued from four candidates, in this order: a
// doubling pass, the head of the conflict queue (first, so the queue drains),
// the older and the newer of two input registers. An input whose bucket is in flight, or is the
// bucket issued in this cycle, is parked in the queue (one per cycle) and the
// input moves on; a queue head whose bucket is in flight is rotated to the
// tail when no input is parked in that cycle (the queue has one write port),
// so one slow bucket does not block the others. in_ready_o drops only when
// both input registers stay: the queue is full, or they wait behind issues
// from the queue. Each candidate carries a busy bit kept up to date by two
// comparisons a cycle; only a new arrival searches the tracker, over two
// cycles (see "in-flight checks" below), so the select path holds one
// comparator, not one per stage.
//
// Doublings. The adder finds "bucket = point" only after its first products,
// so it answers such a pair with out_dbl_o and the point (g1_xyzz_madd's
// header). The accumulator then writes nothing and issues the pair again,
// flagged as a doubling pass, in the same cycle and ahead of every other
// candidate: that is the first cycle in which the bucket could be selected
// again, so no other pair can touch it in between, and the doubling pass then
// holds it in the tracker like any addition. The bucket read for the doubling
// pass is not used. A doubling costs one more issue slot; the additions
// counter counts pairs, not passes.
//
// Buckets at infinity after a start: each RAM word carries the epoch (run
// number, 1 .. 2^EpochBits − 1) of its last write; a word whose epoch differs
// from the current run reads as infinity (0, 0, 0, 0). A start therefore
// costs nothing; the RAM is swept to epoch 0 (2^BucketBits cycles) once after
// reset and again when the epoch counter wraps, every 2^EpochBits − 1 runs.
// The epoch bits fit beside the 1024 data bits in the width of the RAM
// primitives (UltraRAM and BRAM words are 72 bits: 15 of them hold 1080 bits).
//
// Timing (defaults: RamLatency 2, adder 161 cycles):
//   select at cycle t, issue register at t + 1, RAM read and negation over
//   IssueLatency = max(RamLatency + 1, 3) = 3 cycles, adder input at t + 4,
//   write-back at t + 4 + 161 = t + 165. A bucket issued at t is blocked for
//   selects at t + 1 .. t + 164 (InflightDepth = 164): a select at t + 165
//   reads the RAM at the end of t + 166, after the write at the end of t + 165,
//   so a write-back and a select of the same bucket in one cycle are safe.
//   Throughput: one addition per cycle while candidates are free; one bucket
//   per cycle on the output (RamLatency + 1 cycles from read to out_valid_o).
//
// Continuing: a start with continue_i keeps the epoch, so the run adds into
// the buckets as the previous run left them. A run that is to be continued
// ends with a flush of count 0 (drain, no output): its buckets stay in the
// RAM. This is how the kernel accumulates one set of windows over several
// launches (chunks of points). After a reset (the sweep) there is nothing
// to continue: continue_i then starts on empty buckets like any start.
//
// Protocol: start_i (when idle_o) begins a run; pairs are taken with
// in_valid_i/in_ready_o (AXI-stream rules); flush_i (a pulse with the bucket
// count, 0 .. 2^BucketBits, at or after the last handshake, also while the run
// still waits for a sweep) ends the input; the queue and the adder drain, then
// buckets 0 .. count − 1 come out with
// out_valid_o/out_ready_i as (X, Y, ZZ, ZZZ), Montgomery form, a bucket not
// touched in this run as (0, 0, 0, 0); done_o pulses with the last handshake.
// Counters (cleared when a run begins): additions issued, pairs parked in the
// queue, cycles in the accumulation phase with in_valid_i high and in_ready_o
// low (both saturate).
//
// Assertions (simulation): start/flush only in their phase, pairs only during a
// run, point coordinates below q, the input held while not ready, no bucket
// read while written, the adder's write-backs in step with the tracker.
module msm_bucket_accumulator #(
  parameter int unsigned BucketBits = 16,
  parameter int unsigned QueueDepth = 16,
  parameter int unsigned EpochBits = 8,
  parameter int unsigned RamLatency = 2
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  start_i,
  input  logic                  continue_i,   // with start_i: keep the buckets of the previous run
  output logic                  idle_o,
  input  logic                  flush_i,
  input  logic [BucketBits:0]   flush_count_i,
  input  logic                  in_valid_i,
  output logic                  in_ready_o,
  input  logic [BucketBits-1:0] in_bucket_i,
  input  logic                  in_negate_i,
  input  logic [255:0]          in_x_i,
  input  logic [255:0]          in_y_i,
  output logic                  out_valid_o,
  input  logic                  out_ready_i,
  output logic                  out_last_o,
  output logic [255:0]          out_x_o,
  output logic [255:0]          out_y_o,
  output logic [255:0]          out_zz_o,
  output logic [255:0]          out_zzz_o,
  output logic                  done_o,
  output logic [63:0]           adds_o,
  output logic                  added_o,      // an addition (not a doubling pass) went into the adder
  output logic [31:0]           parked_o,
  output logic [31:0]           stalls_o,
  output logic [15:0]           adder_latency_o
);

  localparam int unsigned W = 256;
  localparam logic [W-1:0] Q = zkacc_arith_pkg::Bn254Q;
  localparam int unsigned Lm = zkacc_arith_pkg::mont_mul_latency(W, Q, 26, 17, 3, zkacc_arith_pkg::MsmMulKaratsuba);
  localparam int unsigned La = zkacc_arith_pkg::ModAddLatency;
  // g1_xyzz_madd's latency (its header: 4·Lm + 6·La + 3); the tracker's
  // alignment with the adder's output is asserted below.
  localparam int unsigned AdderLatency = 4 * Lm + 6 * La + 3;
  localparam int unsigned BucketPath = RamLatency + 1;  // RAM read, epoch mask
  localparam int unsigned IssueLatency = (BucketPath > La) ? BucketPath : La;
  localparam int unsigned InflightDepth = IssueLatency + AdderLatency;
  localparam int unsigned NumBuckets = 2 ** BucketBits;
  localparam int unsigned EntryWidth = BucketBits + 1 + 2 * W;  // {bucket, negate, x, y}
  localparam int unsigned WordWidth = EpochBits + 4 * W;         // {epoch, X, Y, ZZ, ZZZ}
  localparam int unsigned QCountWidth = $clog2(QueueDepth + 1);
  localparam logic [EpochBits-1:0] EpochMax = '1;
  // Tracker stages ORed per registered group: eight comparisons and their OR
  // are 10 cells deep in yosys (32 were 13); 163 stages make 21 groups, whose
  // OR (two LUT levels) runs beside the issue register's comparison.
  localparam int unsigned TrackerGroup = 8;

  assign adder_latency_o = 16'(AdderLatency);

  // --- phase -------------------------------------------------------------------
  typedef enum logic [2:0] {PhSweep, PhIdle, PhAcc, PhDrain, PhOut} phase_e;
  phase_e phase_q;
  logic [BucketBits-1:0] sweep_addr_q;
  logic start_pending_q, flush_pending_q;
  logic [EpochBits-1:0] epoch_q;
  logic [BucketBits:0] count_q;      // buckets to stream out
  logic [BucketBits:0] out_addr_q;   // next bucket to read out

  logic sweep_last, run_begin, drained, out_issue, rd_en, out_fire;
  assign sweep_last = (sweep_addr_q == BucketBits'(NumBuckets - 1));
  // A run begins when a start finds the RAM usable, or when the sweep that a
  // start had to wait for ends.
  assign run_begin = (phase_q == PhIdle && start_i && (epoch_q != EpochMax || continue_i))
                  || (phase_q == PhSweep && sweep_last && (start_pending_q || start_i));
  assign idle_o = (phase_q == PhIdle) || (phase_q == PhSweep && !start_pending_q);
  assign out_fire = out_valid_o && out_ready_i;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      phase_q <= PhSweep;  // contents after reset are unknown: sweep first
      sweep_addr_q <= '0;
      start_pending_q <= 1'b0;
      flush_pending_q <= 1'b0;
      epoch_q <= '0;
      count_q <= '0;
      out_addr_q <= '0;
    end else begin
      unique case (phase_q)
        PhSweep: begin
          sweep_addr_q <= sweep_addr_q + BucketBits'(1);
          if (start_i) start_pending_q <= 1'b1;
          // A run waiting for the sweep may already be flushed (no pairs).
          if (flush_i) begin
            flush_pending_q <= 1'b1;
            count_q <= flush_count_i;
          end
          if (sweep_last) begin
            start_pending_q <= 1'b0;
            flush_pending_q <= 1'b0;
            epoch_q <= run_begin ? EpochBits'(1) : '0;
            phase_q <= !run_begin ? PhIdle : (flush_pending_q || flush_i) ? PhDrain : PhAcc;
          end
        end
        PhIdle: begin
          if (start_i) begin
            if (continue_i) begin
              phase_q <= PhAcc;  // same epoch: the buckets as the last run left them
            end else if (epoch_q == EpochMax) begin
              phase_q <= PhSweep;
              sweep_addr_q <= '0;
              start_pending_q <= 1'b1;
            end else begin
              epoch_q <= epoch_q + EpochBits'(1);
              phase_q <= PhAcc;
            end
          end
        end
        PhAcc: begin
          if (flush_i) begin
            count_q <= flush_count_i;
            phase_q <= PhDrain;
          end
        end
        PhDrain: begin
          if (drained) begin
            out_addr_q <= '0;
            phase_q <= (count_q == '0) ? PhIdle : PhOut;
          end
        end
        PhOut: begin
          if (out_issue) out_addr_q <= out_addr_q + (BucketBits + 1)'(1);
          if (out_fire && out_last_o) phase_q <= PhIdle;
        end
        default: phase_q <= PhIdle;
      endcase
    end
  end
  assign done_o = (phase_q == PhDrain && drained && count_q == '0) || (out_fire && out_last_o);

  // --- input window: two registers, in0_q the older ----------------------------
  // Two input candidates let an input whose bucket is busy be parked in the
  // same cycle as the other one is issued (with one, every park costs an
  // issue slot when the queue head is not ready).
  logic [1:0] in_v_q;
  logic [EntryWidth-1:0] in0_q, in1_q;
  logic [BucketBits-1:0] in0_b, in1_b;
  assign in0_b = in0_q[EntryWidth-1 -: BucketBits];
  assign in1_b = in1_q[EntryWidth-1 -: BucketBits];

  // Issue register: the addition selected in the previous cycle, the newest
  // member of the in-flight set.
  logic iss_valid_q, iss_dbl_q;
  logic [BucketBits-1:0] iss_bucket_q;
  logic iss_neg_q;
  logic [W-1:0] iss_x_q, iss_y_q;

  // --- in-flight checks: a busy bit per candidate ------------------------------
  // Every candidate register (both input registers, each queue entry) keeps
  // busy_q: its bucket is in the tracker (issued 1 .. InflightDepth cycles
  // ago), so the select reads registers only. The bits are updated
  // incrementally: busy_q' = (busy ∧ ¬leaving) ∨ issued, with "leaving" the
  // tracker's oldest stage (a register) and "issued" the bucket selected in
  // this cycle. The latter is late, so each entry compares its bucket with
  // every candidate's (registers) in parallel with the select, and the
  // select's one-hot choice picks the comparison; for the inputs these are
  // the comparisons that decide a conflict (same[] below). A bucket is in the
  // tracker at most once (a busy bucket is never issued), so the rule is
  // exact.
  //
  // Only a pair arriving from the port has no bit yet: the tracker searches
  // for it over two cycles. In the arrival's cycle it registers the matches
  // of stages 0 .. InflightDepth − 2 in groups and the accumulator registers
  // whether the bucket equals the one issued now; in the next cycle (the pair
  // is then in an input register, flagged fresh) the group bits ORed, or that
  // flag, are its bit.
  logic [EntryWidth-1:0] head;
  logic [QCountWidth-1:0] q_count;
  logic [BucketBits-1:0] head_bucket;
  assign head_bucket = head[EntryWidth-1 -: BucketBits];

  logic tracker_empty, oldest_valid;
  logic [BucketBits-1:0] oldest_tag;
  logic [(InflightDepth+TrackerGroup-2)/TrackerGroup-1:0] port_hit_groups;
  logic head_busy_q;  // the queue's bit for its head
  logic [1:0] in_fresh_q, in_issued_q, in_busy_q, in_cur;
  always_comb begin
    for (int unsigned k = 0; k < 2; k++)
      in_cur[k] = in_fresh_q[k] ? (|port_hit_groups || in_issued_q[k]) : in_busy_q[k];
  end

  // --- select: doubling pass, queue head, the older input, the newer ---------
  // The adder's result that asks for a doubling pass (its bucket is free now,
  // and only now: see "Doublings" above).
  logic add_out_valid, add_out_dbl;
  logic [BucketBits-1:0] add_out_tag;
  logic [W-1:0] sum_x, sum_y, sum_zz, sum_zzz;
  logic issue_redo;
  logic [EntryWidth-1:0] redo_entry;
  assign issue_redo = add_out_valid && add_out_dbl;
  assign redo_entry = {add_out_tag, 1'b0, sum_x, sum_y};  // y as the adder saw it

  logic [BucketBits-1:0] issue_bucket;
  logic head_valid, head_busy, issue_head, issue, q_room, rotate, q_push, q_pop, park, port_same, head_same;
  logic [1:0] in_busy, same, issue_in, conflict, park_in, stay, in_next;
  logic [EntryWidth-1:0] issue_entry, q_push_data;
  logic q_push_busy, head_next;
  always_comb begin
    head_valid = (q_count != '0);
    head_busy = head_busy_q;
    in_busy = in_cur;
    issue_head = !issue_redo && head_valid && !head_busy;
    issue_in[0] = !issue_redo && !issue_head && in_v_q[0] && !in_busy[0];
    issue_in[1] = !issue_redo && !issue_head && !issue_in[0] && in_v_q[1] && !in_busy[1];
    issue = issue_redo || issue_head || (|issue_in);
    issue_entry = issue_redo ? redo_entry : issue_head ? head : issue_in[0] ? in0_q : in1_q;
    issue_bucket = issue_entry[EntryWidth-1 -: BucketBits];
    // An input not issued conflicts when its bucket is in flight or is the one
    // issued now (busy from the next cycle on): it would wait for the whole
    // adder latency, so it goes to the queue and the input moves on. The
    // bucket issued now is compared as register against register.
    same[0] = (issue_redo && in0_b == add_out_tag) || (issue_head && in0_b == head_bucket)
           || (issue_in[1] && in0_b == in1_b);
    same[1] = (issue_redo && in1_b == add_out_tag) || (issue_head && in1_b == head_bucket)
           || (issue_in[0] && in0_b == in1_b);
    // The same for the queue head (not issued when it is compared: a
    // rotation) and for the pair arriving now.
    head_same = (issue_redo && head_bucket == add_out_tag) || (issue_in[0] && head_bucket == in0_b)
             || (issue_in[1] && head_bucket == in1_b);
    port_same = (issue_redo && in_bucket_i == add_out_tag) || (issue_head && in_bucket_i == head_bucket)
             || (issue_in[0] && in_bucket_i == in0_b) || (issue_in[1] && in_bucket_i == in1_b);
    for (int unsigned k = 0; k < 2; k++) begin
      conflict[k] = in_v_q[k] && !issue_in[k] && (in_busy[k] || same[k]);
      in_next[k] = (in_busy[k] && !(oldest_valid && oldest_tag == (k == 0 ? in0_b : in1_b))) || same[k];
    end
    head_next = (head_busy && !(oldest_valid && oldest_tag == head_bucket)) || head_same;
    q_room = (q_count != QCountWidth'(QueueDepth)) || issue_head;
    park_in[0] = conflict[0] && q_room;
    park_in[1] = conflict[1] && !conflict[0] && q_room;
    park = |park_in;
    // The queue has one write port: a blocked head goes to the tail when no
    // input is parked.
    rotate = head_valid && head_busy && !park;
    q_push = park || rotate;
    q_push_data = rotate ? head : park_in[0] ? in0_q : in1_q;
    q_push_busy = rotate ? head_next : park_in[0] ? in_next[0] : in_next[1];
    q_pop = issue_head || rotate;
    stay = in_v_q & ~(issue_in | park_in);
  end
  assign in_ready_o = (phase_q == PhAcc) && !(&stay);

  // The staying entries move to the front, the new pair behind them; each
  // busy bit follows its entry, and the new pair's is the tracker's answer
  // in the next cycle (fresh).
  logic in_fire;
  logic [EntryWidth-1:0] in_new;
  assign in_fire = in_valid_i && in_ready_o;
  assign in_new = {in_bucket_i, in_negate_i, in_x_i, in_y_i};
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      in_v_q <= '0;
    end else begin
      unique case (stay)
        2'b00: in_v_q <= {1'b0, in_fire};
        2'b11: in_v_q <= 2'b11;
        default: in_v_q <= {in_fire, 1'b1};
      endcase
    end
  end
  always_ff @(posedge clk_i) begin
    unique case (stay)
      2'b00: begin
        in0_q <= in_new;
        in_fresh_q <= 2'b01;
        in_issued_q[0] <= port_same;
      end
      2'b01: begin
        in_busy_q[0] <= in_next[0];
        in1_q <= in_new;
        in_fresh_q <= 2'b10;
        in_issued_q[1] <= port_same;
      end
      2'b10: begin
        in0_q <= in1_q;
        in_busy_q[0] <= in_next[1];
        in1_q <= in_new;
        in_fresh_q <= 2'b10;
        in_issued_q[1] <= port_same;
      end
      default: begin
        in_busy_q <= in_next;
        in_fresh_q <= 2'b00;
      end
    endcase
  end

  msm_pair_queue #(.Width(EntryWidth), .KeyWidth(BucketBits), .Depth(QueueDepth), .NumSet(4)) u_queue (
    .clk_i, .rst_ni, .push_i(q_push), .push_data_i(q_push_data), .push_busy_i(q_push_busy), .pop_i(q_pop),
    .set_valid_i({issue_in[1], issue_in[0], issue_head, issue_redo}),
    .set_keys_i({in1_b, in0_b, head_bucket, add_out_tag}),
    .clear_valid_i(oldest_valid), .clear_key_i(oldest_tag),
    .head_o(head), .head_busy_o(head_busy_q), .count_o(q_count)
  );

  msm_inflight_tracker #(.TagWidth(BucketBits), .Depth(InflightDepth), .GroupSize(TrackerGroup)) u_inflight (
    .clk_i, .rst_ni, .push_valid_i(issue), .push_tag_i(issue_bucket), .query_i(in_bucket_i),
    .hit_groups_o(port_hit_groups), .empty_o(tracker_empty), .oldest_valid_o(oldest_valid),
    .oldest_tag_o(oldest_tag)
  );

  always_ff @(posedge clk_i) begin
    if (!rst_ni) iss_valid_q <= 1'b0;
    else iss_valid_q <= issue;
  end
  always_ff @(posedge clk_i) begin
    {iss_bucket_q, iss_neg_q, iss_x_q, iss_y_q} <= issue_entry;
    iss_dbl_q <= issue_redo;
  end

  // --- bucket RAM: reads for additions (accumulation) or for the output -------
  // A result that asks for a doubling pass is not written: the bucket stays.
  logic ram_we;
  logic [BucketBits-1:0] ram_waddr, ram_raddr;
  logic [WordWidth-1:0] ram_wdata, ram_rdata;
  assign ram_we = (phase_q == PhSweep) || (add_out_valid && !add_out_dbl);
  assign ram_waddr = (phase_q == PhSweep) ? sweep_addr_q : add_out_tag;
  assign ram_wdata = (phase_q == PhSweep) ? '0 : {epoch_q, sum_x, sum_y, sum_zz, sum_zzz};

  assign out_issue = (phase_q == PhOut) && rd_en && (out_addr_q < count_q);
  assign ram_raddr = (phase_q == PhOut) ? out_addr_q[BucketBits-1:0] : iss_bucket_q;

  msm_bucket_ram #(.AddrBits(BucketBits), .Width(WordWidth), .ReadLatency(RamLatency)) u_ram (
    .clk_i, .we_i(ram_we), .waddr_i(ram_waddr), .wdata_i(ram_wdata),
    .en_i(rd_en), .re_i(out_issue || iss_valid_q), .raddr_i(ram_raddr), .rdata_o(ram_rdata)
  );

  // Valid and last flags of output reads, in step with the RAM pipeline.
  logic [RamLatency-1:0] rp_valid_q, rp_last_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      rp_valid_q <= '0;
      rp_last_q <= '0;
    end else if (rd_en) begin
      rp_valid_q <= RamLatency'({rp_valid_q, out_issue});
      rp_last_q <= RamLatency'({rp_last_q, out_addr_q == count_q - (BucketBits + 1)'(1)});
    end
  end

  // Epoch mask: a word written in an earlier run is a bucket at infinity.
  logic [EpochBits-1:0] word_epoch;
  logic [4*W-1:0] word_data, bkt_q;
  logic bkt_valid_q, bkt_last_q;
  assign {word_epoch, word_data} = ram_rdata;
  always_ff @(posedge clk_i) begin
    if (rd_en) bkt_q <= (word_epoch == epoch_q) ? word_data : '0;
  end
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      bkt_valid_q <= 1'b0;
      bkt_last_q <= 1'b0;
    end else if (rd_en) begin
      bkt_valid_q <= rp_valid_q[RamLatency-1];
      bkt_last_q <= rp_last_q[RamLatency-1];
    end
  end
  // The read pipeline holds while an output bucket waits; during accumulation
  // there is no output and it always advances, in step with the adder.
  assign rd_en = !bkt_valid_q || out_ready_i;
  assign out_valid_o = bkt_valid_q;
  assign out_last_o = bkt_last_q;
  assign {out_x_o, out_y_o, out_zz_o, out_zzz_o} = bkt_q;

  // --- point: y → q − y when negated (mod_sub(0, y) = q − y, and 0 for y = 0) --
  // The tag carries {bucket, doubling pass}.
  logic neg_valid;
  logic [BucketBits:0] neg_tag;
  logic [W-1:0] neg_y, x_d;
  mod_sub #(.Modulus(Q), .TagWidth(BucketBits + 1)) u_negate (
    .clk_i, .rst_ni, .en_i(1'b1), .valid_i(iss_valid_q), .tag_i({iss_bucket_q, iss_dbl_q}),
    .a_i(iss_neg_q ? '0 : iss_y_q), .b_i(iss_neg_q ? iss_y_q : '0),
    .valid_o(neg_valid), .tag_o(neg_tag), .c_o(neg_y)
  );
  pipe_delay #(.Width(W), .Depth(La)) u_x_d (.clk_i, .en_i(1'b1), .d_i(iss_x_q), .q_o(x_d));

  // Align the point and the bucket at the adder's input (pads are 0 by default).
  logic add_in_valid;
  logic [BucketBits:0] add_in_tag;
  logic [W-1:0] add_px, add_py;
  logic [4*W-1:0] add_bkt;
  if (IssueLatency > La) begin : gen_point_pad
    valid_delay #(.TagWidth(BucketBits + 1), .Depth(IssueLatency - La)) u_valid (
      .clk_i, .rst_ni, .en_i(1'b1), .valid_i(neg_valid), .tag_i(neg_tag),
      .valid_o(add_in_valid), .tag_o(add_in_tag)
    );
    pipe_delay #(.Width(2 * W), .Depth(IssueLatency - La)) u_point (
      .clk_i, .en_i(1'b1), .d_i({x_d, neg_y}), .q_o({add_px, add_py})
    );
  end else begin : gen_point_direct
    assign add_in_valid = neg_valid;
    assign add_in_tag = neg_tag;
    assign {add_px, add_py} = {x_d, neg_y};
  end
  pipe_delay #(.Width(4 * W), .Depth(IssueLatency - BucketPath)) u_bkt_pad (
    .clk_i, .en_i(1'b1), .d_i(bkt_q), .q_o(add_bkt)
  );

  g1_xyzz_madd #(.TagWidth(BucketBits)) u_adder (
    .clk_i, .rst_ni, .stall_i(1'b0), .in_valid_i(add_in_valid), .in_tag_i(add_in_tag[BucketBits:1]),
    .in_dbl_i(add_in_tag[0]),
    .bucket_x_i(add_bkt[4*W-1 -: W]), .bucket_y_i(add_bkt[3*W-1 -: W]),
    .bucket_zz_i(add_bkt[2*W-1 -: W]), .bucket_zzz_i(add_bkt[W-1:0]),
    .point_x_i(add_px), .point_y_i(add_py),
    .out_valid_o(add_out_valid), .out_tag_o(add_out_tag), .out_dbl_o(add_out_dbl),
    .sum_x_o(sum_x), .sum_y_o(sum_y), .sum_zz_o(sum_zz), .sum_zzz_o(sum_zzz)
  );

  // Everything issued has been written back: the tracker covers issue to the
  // cycle before write-back, add_out_valid the write-back itself.
  assign drained = (in_v_q == '0) && (q_count == '0) && tracker_empty && !add_out_valid;

  // --- counters ----------------------------------------------------------------
  // Additions: a 64-bit event counter with registered chunk carries (a plain
  // 64-bit increment would be the accumulator's longest path), counting the
  // issue register's additions, so its input is a register too. It settles
  // a few cycles after the last issue, long before done.
  event_counter #(.Width(64)) u_adds (
    .clk_i, .rst_ni, .clear_i(run_begin), .inc_i(iss_valid_q && !iss_dbl_q), .count_o(adds_o)
  );
  assign added_o = iss_valid_q && !iss_dbl_q;
  logic [31:0] parked_q, stalls_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      parked_q <= '0;
      stalls_q <= '0;
    end else if (run_begin) begin
      parked_q <= '0;
      stalls_q <= '0;
    end else begin
      if (park && parked_q != '1) parked_q <= parked_q + 32'd1;
      if (phase_q == PhAcc && in_valid_i && !in_ready_o && stalls_q != '1) stalls_q <= stalls_q + 32'd1;
    end
  end
  assign parked_o = parked_q;
  assign stalls_o = stalls_q;

`ifndef SYNTHESIS
  logic held_q;
  logic [EntryWidth-1:0] held_data_q;
  logic oldest_valid_q;
  logic [BucketBits-1:0] oldest_tag_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      held_q <= 1'b0;
      oldest_valid_q <= 1'b0;
    end else begin
      held_q <= in_valid_i && !in_ready_o;
      oldest_valid_q <= oldest_valid;
    end
  end
  always_ff @(posedge clk_i) begin
    held_data_q <= {in_bucket_i, in_negate_i, in_x_i, in_y_i};
    oldest_tag_q <= oldest_tag;
  end

  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!start_i || idle_o) else $error("msm_bucket_accumulator: start_i during a run");
      assert (!flush_i || phase_q == PhAcc || (start_pending_q && !flush_pending_q))
        else $error("msm_bucket_accumulator: flush_i outside the accumulation phase");
      assert (!flush_i || flush_count_i <= (BucketBits + 1)'(NumBuckets))
        else $error("msm_bucket_accumulator: flush count %0d above %0d buckets", flush_count_i, NumBuckets);
      assert (!in_valid_i || phase_q == PhAcc || start_pending_q || start_i)
        else $error("msm_bucket_accumulator: in_valid_i outside a run (phase %0d)", phase_q);
      if (held_q) begin
        assert (in_valid_i) else $error("msm_bucket_accumulator: in_valid_i dropped before in_ready_o");
        assert (!in_valid_i || held_data_q == {in_bucket_i, in_negate_i, in_x_i, in_y_i})
          else $error("msm_bucket_accumulator: input changed before in_ready_o");
      end
      if (in_valid_i && in_ready_o) begin
        assert (in_x_i < Q && in_y_i < Q)
          else $error("msm_bucket_accumulator: point coordinate not below q: %h %h", in_x_i, in_y_i);
      end
      // Write-backs come exactly when the tracker releases their bucket.
      assert (add_out_valid == oldest_valid_q && (!add_out_valid || add_out_tag == oldest_tag_q))
        else $error("msm_bucket_accumulator: adder write-back (%0d, bucket %0d) out of step with the tracker (%0d, %0d)",
                    add_out_valid, add_out_tag, oldest_valid_q, oldest_tag_q);
      assert (!(iss_valid_q && add_out_valid && iss_bucket_q == add_out_tag))
        else $error("msm_bucket_accumulator: bucket %0d read while it is written back", iss_bucket_q);
      assert (!(add_out_valid && phase_q == PhSweep))
        else $error("msm_bucket_accumulator: write-back during the sweep");
      assert (!(issue && (phase_q == PhOut || phase_q == PhIdle || phase_q == PhSweep)))
        else $error("msm_bucket_accumulator: addition issued outside a run");
    end
  end
`endif

endmodule
