// ntt_engine: radix-2 NTT over Fr of n = 2^log_n points (1 <= log_n <=
// LogMaxN) held on chip, one pipelined Gentleman–Sande butterfly issued per
// cycle, batches of transforms back to back.
// Latency and throughput: see "Cycles" below (2^12 points: 29,736 cycles for
// 24,576 butterflies; back to back 26,660 cycles a transform).
//
//   X_k = Σ_j x_j · ω^(j·k),  twiddles ω^0 … ω^(n/2−1) supplied on the input
//   stream (forward ω or inverse ω^-1; an inverse's 1/n is the host's job).
//
// Streams (valid/ready, two Fr elements per beat, Montgomery form, element 2q
// in bits Width-1:0 and 2q+1 in bits 2·Width-1:Width):
//   in:  max(1, n/4) twiddle beats (for n = 2 one beat, the element in the
//        low half), then batch × n/2 data beats, each transform in natural order;
//   out: batch × n/2 beats, each transform in natural order.
// start_i (with log_n_i, batch_i) is taken while busy_o is low; done_o pulses
// once the last output beat has been accepted.
//
// Algorithm: decimation in frequency. Stage s (s = 0 … log_n−1) has half-size
// h = n/2^(s+1); butterfly m (0 … n/2−1) takes elements i and i + h, where i is
// m with a 0 inserted at bit log2(h), and twiddle ω^((m·2^s) mod n/2):
//   (x_i, x_{i+h}) ← (x_i + x_{i+h}, (x_i − x_{i+h})·w).
// Natural input gives bit-reversed output (X_k at index bitrev(k)); the
// unload reads index bitrev(k), so the bit reversal costs no pass.
//
// Memory: two banks of MaxN/2 elements (simple dual port: one read and one
// write per cycle each, the native BRAM/URAM shape) and one twiddle RAM of
// MaxN/4 words of two elements. Element p lives in bank parity(p) (XOR of its
// index bits) at address p >> 1. Every access pair of the engine differs in
// exactly one index bit — a butterfly's i and i + h, a load beat's 2q and
// 2q + 1, an unload beat's bitrev(2q) and bitrev(2q + 1) — so the two
// elements always sit in different banks: two reads and two writes per cycle
// without a second copy of the data (a ping-pong buffer would double the RAM,
// the bound on LogMaxN for a card).
//
// Batches: transforms with fewer than GroupBeats·2 elements are packed, G =
// GroupBeats/(n/2) at a time, into a group of L = G·n/2 beats (larger ones:
// G = 1, L = n/2). A group runs as one array of G·n elements: stage s applies
// to every transform at once, L butterflies a stage, so small transforms
// still keep the butterfly busy (their stages would otherwise wait for the
// pipeline round trip). Groups are processed in place: group t keeps the
// element e of its transform g at physical index g·n + P_t(e), P_t = identity
// for even t and the bit reversal of log_n bits for odd t. Then the slot that
// unload beat q of group t reads is the slot that load beat q of group t+1
// writes (P_{t+1}(e) = P_t(bitrev(e))), so the next load runs beside the
// unload, behind it, on the otherwise idle write ports (a credit counter: a
// load beat needs an unload beat read in an earlier cycle). Bit permutations
// keep the parity, so the bank of a slot is the parity of its logical index.
//
// Stage overlap: butterflies are issued in order and stage s+1 starts as soon
// as its operands are written, not when stage s has drained. Butterfly m of
// stage s+1 (half-size h) reads what butterflies m and m + h of stage s wrote
// when block m/h is even, and butterfly m when odd; with the butterflies in
// flight counted (issued, not yet written back), the rule is
//   issue iff in_flight + (m & h ? 0 : h) < L,
// so a stage follows the previous one without a gap once L exceeds h + D,
// D the round trip (issue → written back, visible; 33 cycles). Stage 0
// starts once its group is fully loaded (the write ports are busy with the
// load until then anyway).
//
// Cycles (streams never waiting; docs/kernel_ntt.md):
//   T = 3 (setup) + max(1, n/4) + L_0 + 1 + Σ_groups (C(L) + L + ReadLatency + 2),
//   C(L) = Σ_{s=0}^{log_n−2} max(L, n/2^(s+2) + D) + L + D,
//   D = ReadLatency + 2 + Lb (Lb = butterfly latency, 30),
// i.e. twiddles, the first group's load, then per group its stages, drain
// and unload (under which the next group loads).
// Throughput: one butterfly per cycle during the stages; the read and write
// ports are each busy (log_n + 1)·L cycles per group.
//
// Assertions (simulation): inputs (twiddles and data) below Modulus; in_valid_i
// held and in_data_i stable until accepted; out_valid_o/out_data_o held until
// accepted; start_i only when idle, log_n_i in 1..LogMaxN, batch_i ≥ 1; a
// shadow of every RAM slot checks the hazard logic (a slot is read by stage s
// only after stage s−1 wrote it, loaded only after it was unloaded, unloaded
// only after the last stage wrote it); no write-port collision.
module ntt_engine #(
  parameter int unsigned LogMaxN = 12,
  parameter int unsigned Width = 256,
  parameter logic [Width-1:0] Modulus = zkacc_arith_pkg::Bn254R,
  // RAM read latency: 1, or 2 and more with the RAM's output registers
  // (timing on a card, URAM cascades); D grows with it.
  parameter int unsigned ReadLatency = 1,
  // Transforms of fewer than 2·GroupBeats elements are packed into groups of
  // GroupBeats beats that run their stages together (a power of two; see
  // "Batches" above). 256: a group's stages follow each other without gaps
  // (L = 256 > n/4 + D), and the first group's load, which nothing hides,
  // stays short.
  parameter int unsigned GroupBeats = 256,
  // Vivado ram_style of the data banks and the twiddle RAM.
  parameter DataRamStyle = "block",
  parameter TwiddleRamStyle = "block",
  localparam int unsigned LogWidth = $clog2(LogMaxN + 1)
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,

  input  logic                  start_i,
  input  logic [LogWidth-1:0]   log_n_i,
  input  logic [31:0]           batch_i,
  output logic                  busy_o,
  output logic                  done_o,

  input  logic                  in_valid_i,
  output logic                  in_ready_o,
  input  logic [2*Width-1:0]    in_data_i,

  output logic                  out_valid_o,
  input  logic                  out_ready_i,
  output logic [2*Width-1:0]    out_data_o,

  output logic [63:0]           cycles_o,       // cycles busy in the last run
  output logic [63:0]           butterflies_o,  // butterflies issued since start
  output logic [15:0]           bf_latency_o    // butterfly latency (constant)
);

  localparam int unsigned IdxW = LogMaxN;        // element index; also counts up to n/2
  localparam int unsigned BAW = LogMaxN - 1;     // bank address
  localparam int unsigned BankDepth = 1 << BAW;
  localparam int unsigned TwAW = LogMaxN - 2;    // twiddle word address
  localparam int unsigned TwDepth = 1 << TwAW;
  localparam int unsigned TagW = 1 + 2 * BAW;    // butterfly tag: {swap, addr0, addr1}
  localparam int unsigned LogGroupBeats = (GroupBeats < BankDepth) ? $clog2(GroupBeats) : BAW;
  // Same expression as in butterfly.sv (mont_mul with its default tiles).
  localparam int unsigned BfLatency =
      zkacc_arith_pkg::mont_mul_latency(Width, 256'(Modulus), 26, 17, 3, 1'b0) + zkacc_arith_pkg::ModAddLatency;

  if (LogMaxN < 3 || GroupBeats == 0 || (GroupBeats & (GroupBeats - 1)) != 0) begin : gen_bad_params
    $error("ntt_engine: need LogMaxN >= 3 and GroupBeats a power of two");
  end

  // ---------------------------------------------------------------- index arithmetic
  // Bit reversal of a log_n-bit index e is a fixed reversal of all IdxW bits
  // applied to e << (IdxW − log_n). The engine therefore keeps each index it
  // walks twice: natural, and pre-shifted ("_sh", stepped by inc_q =
  // 2^(IdxW − log_n)); the reversal is then wiring, not a barrel shifter on
  // the address path. Bit permutations keep the parity, so the bank of
  // P_t(e) is parity(e) whatever the layout.
  function automatic logic [IdxW-1:0] reverse(input logic [IdxW-1:0] x);
    for (int unsigned b = 0; b < IdxW; b++) reverse[b] = x[IdxW-1-b];
  endfunction

  // x with a 0 inserted above the bits of low_mask (a mask 2^b − 1).
  function automatic logic [IdxW-1:0] insert0(input logic [IdxW-1:0] x, input logic [IdxW-1:0] low_mask);
    insert0 = ((x & ~low_mask) << 1) | (x & low_mask);
  endfunction

  typedef enum logic [2:0] {
    StIdle, StSetup, StCompute, StDrain, StUnload, StFlush
  } state_e;

  // ---------------------------------------------------------------- state
  state_e state_q;
  logic [LogWidth-1:0] last_stage_q;  // log_n − 1
  logic [IdxW-1:0] half_n_q;          // n/2
  logic [BAW-1:0] half_n_m1_q;        // n/2 − 1
  logic [IdxW-1:0] inc_q;             // 2^(IdxW − log_n): one step of a pre-shifted index
  logic [IdxW-1:0] nmask_q;           // n − 1
  logic [IdxW-1:0] tw_beats_q;        // max(1, n/4)
  logic [BAW-1:0] full_len_m1_q;      // beats (= butterflies per stage) of a full group − 1
  logic [BAW-1:0] last_len_m1_q;      // the same for the last group

  // Loader: twiddles, then data. The next data beat is beat ld_q_q of the
  // group of parity ld_par_q; ld_nat_q/ld_sh_q are its first element 2·ld_q_q,
  // natural and pre-shifted (within its transform).
  logic tw_phase_q;
  logic [IdxW-1:0] tw_cnt_q;
  logic ld_par_q;
  logic [BAW-1:0] ld_q_q;
  logic [IdxW-1:0] ld_nat_q, ld_sh_q;
  logic [31:0] ld_groups_q;           // groups not completely loaded
  logic ld_more_q;                    // ld_groups_q != 0
  logic [BAW-1:0] ld_len_m1_q;        // beats of the loader's group − 1
  logic [IdxW-1:0] credit_q;          // load beats allowed (slots unloaded, not yet reloaded)

  // Stages of group cp_par_q (its parity = its layout): butterfly m_q of
  // stage stage_q, half-size h_q; m also pre-shifted (within its transform),
  // and the stage's masks.
  logic cp_par_q;
  logic [31:0] cp_groups_q;           // groups not yet unloaded
  logic [BAW-1:0] cp_len_m1_q;        // butterflies per stage (= beats) of the group − 1
  logic [IdxW-1:0] cp_len_q;          // the same + 1
  logic [LogWidth-1:0] stage_q;
  logic [BAW-1:0] m_q;
  logic [IdxW-1:0] m_sh_q;
  logic [IdxW-1:0] h_q, lm_q;         // h (one-hot) and h − 1
  logic [IdxW-1:0] h_sh_q, lm_sh_q;   // the same pre-shifted
  logic [IdxW-1:0] thr_dep_q;         // cp_len − h
  logic even_q;                       // butterfly m_q lies in an even block: (m & h) == 0
  logic [BAW-1:0] tw_idx_q;           // (m·2^s) mod n/2
  logic [IdxW-1:0] tw_step_q;         // 2^s
  logic [IdxW-1:0] inflight_q;        // issued, not yet written back

  // Unload: beat uq_q, its first output 2·uq_q natural and pre-shifted.
  logic [BAW-1:0] uq_q;
  logic [IdxW-1:0] un_nat_q, un_sh_q;

  // ---------------------------------------------------------------- read pipeline
  // Stage A (registered issue: RAM addresses and meta), then ReadLatency RAM
  // stages with the meta alongside. The whole read side advances on rd_adv:
  // it holds only when an output beat waits for out_ready_i, and that happens
  // only while no butterfly is in this pipeline (the unload runs alone).
  logic rd_adv;
  logic a_valid_q, a_out_q, a_swap_q, a_tw_half_q;
  logic [BAW-1:0] a_addr0_q, a_addr1_q;
  logic [TwAW-1:0] a_tw_addr_q;
  logic [LogWidth-1:0] a_stage_q;     // for the simulation shadow only

  logic [ReadLatency-1:0] r_valid_q, r_out_q;
  // Meta of RAM stage k in bits [k·MetaW +: MetaW]: {tw_half, swap, addr0, addr1}
  // (flat: yosys 0.23 does not parse multi-dimensional packed arrays).
  localparam int unsigned MetaW = TagW + 1;
  logic [ReadLatency*MetaW-1:0] r_meta_q;
  logic [MetaW-1:0] r_meta;

  logic r_valid, r_out, r_swap, r_tw_half;
  logic [BAW-1:0] r_addr0, r_addr1;
  assign r_valid = r_valid_q[ReadLatency-1];
  assign r_out = r_out_q[ReadLatency-1];
  assign r_meta = r_meta_q[(ReadLatency-1)*MetaW +: MetaW];
  assign {r_tw_half, r_swap, r_addr0, r_addr1} = r_meta;

  assign rd_adv = !out_valid_o || out_ready_i;

  // ---------------------------------------------------------------- issue decisions
  logic bf_valid_o;                   // butterfly result this cycle (write back)
  logic [TagW-1:0] bf_tag_o;
  logic [Width-1:0] bf_x, bf_y;

  // The loader has moved past the current group: it is fully loaded.
  logic loaded;
  assign loaded = (ld_par_q != cp_par_q);

  // Butterfly m of an even block reads what butterfly m + h of the previous
  // stage wrote: issue iff in_flight + h < L; else iff in_flight < L (L =
  // butterflies per stage of the group). Both comparisons run in parallel
  // from registers; the flag picks one.
  logic room_dep, room_full;
  assign room_dep = inflight_q < thr_dep_q;
  assign room_full = inflight_q < cp_len_q;

  logic bf_go;                        // issue butterfly m_q of stage stage_q this cycle
  assign bf_go = (state_q == StCompute) && rd_adv &&
                 ((stage_q == '0) ? loaded : (even_q ? room_dep : room_full));

  logic last_m, last_stage, last_uq;
  assign last_m = (m_q == cp_len_m1_q);
  assign last_stage = (stage_q == last_stage_q);
  assign last_uq = (uq_q == cp_len_m1_q);

  logic unload_go;
  assign unload_go = (state_q == StUnload) && rd_adv;

  // Butterfly m: logical pair i = m with a 0 inserted at bit log2(h), and
  // i + h; physical P_t(i), P_t(i + h) (the transform's bits above log_n
  // stay, its low bits are reversed); bank of i = parity(m).
  logic [IdxW-1:0] bf_i, bf_i_sh, bf_hi, bf_p0, bf_p1;
  assign bf_i = insert0(IdxW'(m_q), lm_q);
  assign bf_i_sh = insert0(m_sh_q, lm_sh_q);
  assign bf_hi = bf_i & ~nmask_q;
  assign bf_p0 = cp_par_q ? (bf_hi | reverse(bf_i_sh)) : bf_i;
  assign bf_p1 = cp_par_q ? (bf_hi | reverse(bf_i_sh | h_sh_q)) : (bf_i | h_q);

  // Unload beat uq: outputs 2uq and 2uq + 1 of the group, stored at logical
  // bitrev(2uq) and bitrev(2uq) + n/2 within their transform, i.e. physical
  // 2uq/2uq + 1 bit-reversed (even group) or not (odd). Bank of output 2uq:
  // parity(uq).
  logic [IdxW-1:0] un_hi, un_p0, un_p1;
  assign un_hi = un_nat_q & ~nmask_q;
  assign un_p0 = cp_par_q ? un_nat_q : (un_hi | reverse(un_sh_q));
  assign un_p1 = cp_par_q ? (un_nat_q | IdxW'(1)) : (un_hi | reverse(un_sh_q) | half_n_q);

  // ---------------------------------------------------------------- loader
  logic in_fire, tw_fire, ld_fire;
  assign in_ready_o = (state_q != StIdle) && (tw_phase_q || (ld_more_q && credit_q != '0));
  assign in_fire = in_valid_i && in_ready_o;
  assign tw_fire = in_fire && tw_phase_q;
  assign ld_fire = in_fire && !tw_phase_q;

  // Load beat: elements 2q, 2q + 1 of the group at P_t(2q), P_t(2q + 1).
  logic [IdxW-1:0] ld_hi, ld_p0, ld_p1;
  assign ld_hi = ld_nat_q & ~nmask_q;
  assign ld_p0 = ld_par_q ? (ld_hi | reverse(ld_sh_q)) : ld_nat_q;
  assign ld_p1 = ld_par_q ? (ld_hi | reverse(ld_sh_q) | half_n_q) : (ld_nat_q | IdxW'(1));

  // Bit 0 of a slot index is implied by the bank (the parity of the index),
  // so the in-bank address drops it.
  logic unused_bit0;
  assign unused_bit0 = bf_p0[0] ^ bf_p1[0] ^ un_p0[0] ^ un_p1[0] ^ ld_p0[0] ^ ld_p1[0];

  logic unload_read;                  // an unload beat leaves stage A for the RAMs
  assign unload_read = rd_adv && a_valid_q && a_out_q;

  // ---------------------------------------------------------------- RAMs
  logic wr_en;                        // both banks are written together
  logic [BAW-1:0] wr_addr0, wr_addr1;
  logic [Width-1:0] wr_data0, wr_data1, rd_data0, rd_data1;

  // Write ports: a write-back (the tag says which bank holds element i, x,
  // and where both live) or a load beat (element 2q to bank parity of its slot).
  logic wb_swap, ld_swap;
  logic [BAW-1:0] wb_addr0, wb_addr1;
  assign {wb_swap, wb_addr0, wb_addr1} = bf_tag_o;
  assign ld_swap = ^ld_q_q;   // parity(2q)

  always_comb begin
    wr_en = bf_valid_o || ld_fire;
    if (bf_valid_o) begin
      wr_addr0 = wb_addr0;
      wr_addr1 = wb_addr1;
      wr_data0 = wb_swap ? bf_y : bf_x;
      wr_data1 = wb_swap ? bf_x : bf_y;
    end else begin
      wr_addr0 = ld_swap ? ld_p1[IdxW-1:1] : ld_p0[IdxW-1:1];
      wr_addr1 = ld_swap ? ld_p0[IdxW-1:1] : ld_p1[IdxW-1:1];
      wr_data0 = ld_swap ? in_data_i[2*Width-1:Width] : in_data_i[Width-1:0];
      wr_data1 = ld_swap ? in_data_i[Width-1:0] : in_data_i[2*Width-1:Width];
    end
  end

  ntt_ram #(.Width(Width), .Depth(BankDepth), .ReadLatency(ReadLatency), .RamStyle(DataRamStyle)) u_bank0 (
    .clk_i,
    .we_i(wr_en), .waddr_i(wr_addr0), .wdata_i(wr_data0),
    .re_i(rd_adv), .raddr_i(a_addr0_q), .q_o(rd_data0)
  );
  ntt_ram #(.Width(Width), .Depth(BankDepth), .ReadLatency(ReadLatency), .RamStyle(DataRamStyle)) u_bank1 (
    .clk_i,
    .we_i(wr_en), .waddr_i(wr_addr1), .wdata_i(wr_data1),
    .re_i(rd_adv), .raddr_i(a_addr1_q), .q_o(rd_data1)
  );

  logic [2*Width-1:0] tw_word;
  ntt_ram #(.Width(2 * Width), .Depth(TwDepth), .ReadLatency(ReadLatency), .RamStyle(TwiddleRamStyle)) u_tw_ram (
    .clk_i,
    .we_i(tw_fire), .waddr_i(TwAW'(tw_cnt_q)), .wdata_i(in_data_i),
    .re_i(rd_adv), .raddr_i(a_tw_addr_q), .q_o(tw_word)
  );

  // Operands in element order: a = element i (or output 2q), b = i + h (2q + 1).
  logic [Width-1:0] op_a, op_b, op_w;
  assign op_a = r_swap ? rd_data1 : rd_data0;
  assign op_b = r_swap ? rd_data0 : rd_data1;
  assign op_w = r_tw_half ? tw_word[2*Width-1:Width] : tw_word[Width-1:0];

  assign out_valid_o = r_valid && r_out;
  assign out_data_o = {op_b, op_a};

  butterfly #(
    .Width(Width), .Modulus(Modulus), .Form(zkacc_arith_pkg::FormGentlemanSande), .TagWidth(TagW)
  ) u_bf (
    .clk_i, .rst_ni, .en_i(1'b1),
    .valid_i(rd_adv && r_valid && !r_out), .tag_i(r_meta[TagW-1:0]),
    .a_i(op_a), .b_i(op_b), .w_i(op_w),
    .valid_o(bf_valid_o), .tag_o(bf_tag_o), .x_o(bf_x), .y_o(bf_y)
  );
  // The twiddle half travels in the read meta, not through the butterfly.
  logic unused_meta;
  assign unused_meta = r_tw_half ^ (^r_addr0) ^ (^r_addr1);

  // ---------------------------------------------------------------- sequencing
  // Setup of a run: three cycles after start_i derive the run's constants
  // from the registered arguments, one short step each (no path runs from
  // the argument ports through shifters and adders into the state). A group
  // holds up to gmax = max(1, GroupBeats/(n/2)) transforms; all groups are
  // full but the last, which holds the remainder of batch / gmax.
  logic [LogWidth-1:0] log_n_q;
  logic [31:0] batch_q;
  logic [1:0] setup_q;
  logic [LogWidth-1:0] gshift_q;      // log2(gmax)
  logic [31:0] groups_sh_q;           // batch / gmax
  logic rem_nz_q;                     // batch mod gmax != 0: a partial last group
  logic single_q;                     // one group only
  logic [IdxW-1:0] full_len_q, last_len_q;

  logic [IdxW-1:0] s_gmax, s_rem, s_last_len, s_first_len;
  logic [31:0] s_groups_sh;
  assign s_gmax = IdxW'(1) << gshift_q;
  assign s_groups_sh = batch_q >> gshift_q;
  assign s_rem = IdxW'(batch_q) & ~('1 << gshift_q);   // batch mod gmax, no adder
  assign s_last_len = ((s_rem != '0) ? s_rem : s_gmax) << (log_n_q - LogWidth'(1));
  assign s_first_len = single_q ? last_len_q : full_len_q;
  // Pre-shifted h of stage 0: n/2 << (IdxW − log_n), always the top bit.
  localparam logic [IdxW-1:0] TopBit = IdxW'(1) << (IdxW - 1);

  logic pipe_empty;                   // no unload beat left in the read side
  assign pipe_empty = !a_valid_q && (r_valid_q == '0);

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      log_n_q <= '0;
      batch_q <= '0;
      setup_q <= '0;
      gshift_q <= '0;
      groups_sh_q <= '0;
      rem_nz_q <= 1'b0;
      single_q <= 1'b0;
      full_len_q <= '0;
      last_len_q <= '0;
      last_stage_q <= '0;
      half_n_q <= '0;
      half_n_m1_q <= '0;
      inc_q <= '0;
      nmask_q <= '0;
      tw_beats_q <= '0;
      last_len_m1_q <= '0;
      full_len_m1_q <= '0;
      tw_phase_q <= 1'b0;
      tw_cnt_q <= '0;
      ld_par_q <= 1'b0;
      ld_q_q <= '0;
      ld_nat_q <= '0;
      ld_sh_q <= '0;
      ld_groups_q <= '0;
      ld_more_q <= 1'b0;
      ld_len_m1_q <= '0;
      credit_q <= '0;
      cp_par_q <= 1'b0;
      cp_groups_q <= '0;
      cp_len_m1_q <= '0;
      cp_len_q <= '0;
      stage_q <= '0;
      m_q <= '0;
      m_sh_q <= '0;
      h_q <= '0;
      lm_q <= '0;
      h_sh_q <= '0;
      lm_sh_q <= '0;
      thr_dep_q <= '0;
      even_q <= 1'b0;
      tw_idx_q <= '0;
      tw_step_q <= '0;
      inflight_q <= '0;
      uq_q <= '0;
      un_nat_q <= '0;
      un_sh_q <= '0;
      done_o <= 1'b0;
    end else begin
      done_o <= 1'b0;

      // Loader (twiddles, then data) and its credit.
      if (tw_fire) begin
        tw_cnt_q <= tw_cnt_q + IdxW'(1);
        if (tw_cnt_q + IdxW'(1) == tw_beats_q) tw_phase_q <= 1'b0;
      end
      if (ld_fire) begin
        if (ld_q_q == ld_len_m1_q) begin
          // Last beat of a group: the next beat begins the next one.
          ld_par_q <= !ld_par_q;
          ld_q_q <= '0;
          ld_nat_q <= '0;
          ld_sh_q <= '0;
          ld_groups_q <= ld_groups_q - 32'd1;
          ld_more_q <= (ld_groups_q != 32'd1);
          ld_len_m1_q <= (ld_groups_q == 32'd2) ? last_len_m1_q : full_len_m1_q;
        end else begin
          ld_q_q <= ld_q_q + BAW'(1);
          ld_nat_q <= ld_nat_q + IdxW'(2);
          ld_sh_q <= ld_sh_q + (inc_q << 1);
        end
      end
      // Credit and butterflies in flight: ±1 chosen by the events, so the
      // events (late in the cycle) only drive a select.
      if (unload_read && !ld_fire) credit_q <= credit_q + IdxW'(1);
      if (!unload_read && ld_fire) credit_q <= credit_q - IdxW'(1);
      if (bf_go && !bf_valid_o) inflight_q <= inflight_q + IdxW'(1);
      if (!bf_go && bf_valid_o) inflight_q <= inflight_q - IdxW'(1);

      unique case (state_q)
        StIdle: begin
          if (start_i) begin
            state_q <= StSetup;
            setup_q <= '0;
            log_n_q <= log_n_i;
            batch_q <= batch_i;
          end
        end
        StSetup: begin
          setup_q <= setup_q + 2'd1;
          unique case (setup_q)
            2'd0: begin
              last_stage_q <= log_n_q - LogWidth'(1);
              half_n_q <= IdxW'(1) << (log_n_q - LogWidth'(1));
              half_n_m1_q <= BAW'((IdxW'(1) << (log_n_q - LogWidth'(1))) - IdxW'(1));
              nmask_q <= (IdxW'(1) << log_n_q) - IdxW'(1);
              inc_q <= IdxW'(1) << (IdxW - 32'(log_n_q));
              tw_beats_q <= (log_n_q == LogWidth'(1)) ? IdxW'(1) : IdxW'(1) << (log_n_q - LogWidth'(2));
              gshift_q <= (32'(log_n_q) - 1 >= LogGroupBeats) ? '0
                        : LogWidth'(LogGroupBeats - (32'(log_n_q) - 1));
            end
            2'd1: begin
              groups_sh_q <= s_groups_sh;
              rem_nz_q <= (s_rem != '0);
              single_q <= (s_groups_sh == '0) || (s_groups_sh == 32'd1 && s_rem == '0);
              full_len_q <= s_gmax << (log_n_q - LogWidth'(1));
              last_len_q <= s_last_len;
            end
            default: begin
              state_q <= StCompute;
              full_len_m1_q <= BAW'(full_len_q - IdxW'(1));
              last_len_m1_q <= BAW'(last_len_q - IdxW'(1));
              tw_phase_q <= 1'b1;
              tw_cnt_q <= '0;
              ld_par_q <= 1'b0;
              ld_q_q <= '0;
              ld_nat_q <= '0;
              ld_sh_q <= '0;
              ld_groups_q <= groups_sh_q + 32'(rem_nz_q);
              ld_more_q <= 1'b1;
              ld_len_m1_q <= BAW'(s_first_len - IdxW'(1));
              // The whole RAM is free for the first group.
              credit_q <= s_first_len;
              cp_par_q <= 1'b0;
              cp_groups_q <= groups_sh_q + 32'(rem_nz_q);
              cp_len_m1_q <= BAW'(s_first_len - IdxW'(1));
              cp_len_q <= s_first_len;
              stage_q <= '0;
              m_q <= '0;
              m_sh_q <= '0;
              h_q <= half_n_q;
              lm_q <= IdxW'(half_n_m1_q);
              h_sh_q <= TopBit;
              lm_sh_q <= TopBit - inc_q;
              thr_dep_q <= '0;
              even_q <= 1'b1;
              tw_idx_q <= '0;
              tw_step_q <= IdxW'(1);
            end
          endcase
        end
        StCompute: begin
          if (bf_go) begin
            tw_idx_q <= BAW'(IdxW'(tw_idx_q) + tw_step_q) & half_n_m1_q;
            m_q <= m_q + BAW'(1);
            // m mod n/2, pre-shifted: wraps at each transform of the group.
            m_sh_q <= (m_sh_q + inc_q) & ~TopBit;
            even_q <= (IdxW'(m_q + BAW'(1)) & h_q) == '0;
            if (last_m) begin
              even_q <= 1'b1;
              m_q <= '0;
              m_sh_q <= '0;
              tw_idx_q <= '0;
              if (last_stage) begin
                state_q <= StDrain;
              end else begin
                stage_q <= stage_q + LogWidth'(1);
                h_q <= h_q >> 1;
                lm_q <= lm_q >> 1;
                h_sh_q <= h_sh_q >> 1;
                lm_sh_q <= (h_sh_q >> 1) - inc_q;
                thr_dep_q <= cp_len_q - (h_q >> 1);
                tw_step_q <= tw_step_q << 1;
              end
            end
          end
        end
        StDrain: begin
          // All written back (nothing issued this cycle, so inflight_q is final).
          if (inflight_q == '0) begin
            state_q <= StUnload;
            uq_q <= '0;
            un_nat_q <= '0;
            un_sh_q <= '0;
          end
        end
        StUnload: begin
          if (unload_go) begin
            uq_q <= uq_q + BAW'(1);
            un_nat_q <= un_nat_q + IdxW'(2);
            un_sh_q <= un_sh_q + (inc_q << 1);
            if (last_uq) state_q <= StFlush;
          end
        end
        StFlush: begin
          if (pipe_empty) begin
            if (cp_groups_q == 32'd1) begin
              state_q <= StIdle;
              done_o <= 1'b1;
            end else begin
              state_q <= StCompute;
              cp_par_q <= !cp_par_q;
              cp_len_m1_q <= (cp_groups_q == 32'd2) ? last_len_m1_q : full_len_m1_q;
              cp_len_q <= (cp_groups_q == 32'd2) ? IdxW'(last_len_m1_q) + IdxW'(1) : IdxW'(full_len_m1_q) + IdxW'(1);
              stage_q <= '0;
              h_q <= half_n_q;
              lm_q <= IdxW'(half_n_m1_q);
              h_sh_q <= TopBit;
              lm_sh_q <= TopBit - inc_q;
              tw_step_q <= IdxW'(1);
            end
            cp_groups_q <= cp_groups_q - 32'd1;
          end
        end
        default: state_q <= StIdle;
      endcase
    end
  end

  // Stage A: the issued operation's RAM addresses. Bank 0 gets the element
  // whose index has even parity.
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      a_valid_q <= 1'b0;
      a_out_q <= 1'b0;
    end else if (rd_adv) begin
      a_valid_q <= bf_go || unload_go;
      a_out_q <= unload_go;
    end
  end
  logic un_swap, bf_swap;
  assign un_swap = ^uq_q;
  assign bf_swap = ^m_q;
  always_ff @(posedge clk_i) begin
    if (rd_adv) begin
      if (state_q == StUnload) begin
        a_swap_q <= un_swap;
        a_addr0_q <= un_swap ? un_p1[IdxW-1:1] : un_p0[IdxW-1:1];
        a_addr1_q <= un_swap ? un_p0[IdxW-1:1] : un_p1[IdxW-1:1];
      end else begin
        a_swap_q <= bf_swap;
        a_addr0_q <= bf_swap ? bf_p1[IdxW-1:1] : bf_p0[IdxW-1:1];
        a_addr1_q <= bf_swap ? bf_p0[IdxW-1:1] : bf_p1[IdxW-1:1];
      end
      a_tw_addr_q <= TwAW'(tw_idx_q >> 1);
      a_tw_half_q <= tw_idx_q[0];
      a_stage_q <= stage_q;
    end
  end

  // RAM stages: the meta moves with the data.
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      r_valid_q <= '0;
      r_out_q <= '0;
    end else if (rd_adv) begin
      r_valid_q <= ReadLatency'({r_valid_q, a_valid_q});
      r_out_q <= ReadLatency'({r_out_q, a_out_q});
    end
  end
  always_ff @(posedge clk_i) begin
    if (rd_adv) begin
      r_meta_q <= (ReadLatency*MetaW)'({r_meta_q, a_tw_half_q, a_swap_q, a_addr0_q, a_addr1_q});
    end
  end

  assign busy_o = (state_q != StIdle);

  // Counters of the run: cycles while busy, butterflies issued.
  logic run_start;
  assign run_start = (state_q == StIdle) && start_i;
  event_counter #(.Width(64)) u_cycles (
    .clk_i, .rst_ni, .clear_i(run_start), .inc_i(busy_o), .count_o(cycles_o)
  );
  event_counter #(.Width(64)) u_butterflies (
    .clk_i, .rst_ni, .clear_i(run_start), .inc_i(bf_go), .count_o(butterflies_o)
  );
  assign bf_latency_o = 16'(BfLatency);

`ifndef SYNTHESIS
  // ---------------------------------------------------------------- checks
  // Checks run once out of reset; live_q (reset like the
  // design) keeps rst_ni out of the synchronous check blocks.
  logic live_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) live_q <= 1'b0;
    else live_q <= 1'b1;
  end

  logic in_stall_q, out_stall_q;
  logic [2*Width-1:0] in_data_q, out_data_q;
  logic [BfLatency-1:0] bf_track_q;   // butterfly inputs, delayed by the expected latency
  always_ff @(posedge clk_i) begin
    if (!rst_ni) bf_track_q <= '0;
    else bf_track_q <= {bf_track_q[BfLatency-2:0], rd_adv && r_valid && !r_out};
  end
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      in_stall_q <= 1'b0;
      out_stall_q <= 1'b0;
    end else begin
      in_stall_q <= in_valid_i && !in_ready_o;
      out_stall_q <= out_valid_o && !out_ready_i;
    end
  end
  always_ff @(posedge clk_i) begin
    in_data_q <= in_data_i;
    out_data_q <= out_data_o;
  end

  always_ff @(posedge clk_i) begin
    if (live_q) begin
      if (in_stall_q) begin
        assert (in_valid_i) else $error("ntt_engine: in_valid_i dropped before in_ready_o");
        assert (in_data_i == in_data_q) else $error("ntt_engine: in_data_i changed while waiting for in_ready_o");
      end
      if (out_stall_q) begin
        assert (out_valid_o && out_data_o == out_data_q)
          else $error("ntt_engine: output beat changed while waiting for out_ready_i");
      end
      if (tw_fire) begin
        assert (in_data_i[Width-1:0] < Modulus)
          else $error("ntt_engine: twiddle %0d = %h is not below r", 2 * tw_cnt_q, in_data_i[Width-1:0]);
        assert (last_stage_q == '0 || in_data_i[2*Width-1:Width] < Modulus)
          else $error("ntt_engine: twiddle %0d = %h is not below r", 2 * tw_cnt_q + 1, in_data_i[2*Width-1:Width]);
      end
      if (ld_fire) begin
        assert (in_data_i[Width-1:0] < Modulus && in_data_i[2*Width-1:Width] < Modulus)
          else $error("ntt_engine: input beat %0d = %h is not below r in both halves", ld_q_q, in_data_i);
      end
      if (start_i) begin
        assert (state_q == StIdle) else $error("ntt_engine: start_i while busy");
        assert (log_n_i >= LogWidth'(1) && 32'(log_n_i) <= LogMaxN)
          else $error("ntt_engine: log_n_i = %0d outside 1..%0d", log_n_i, LogMaxN);
        assert (batch_i != '0) else $error("ntt_engine: batch_i = 0");
      end
      assert (!(bf_valid_o && ld_fire)) else $error("ntt_engine: load and write-back collide");
      // The issue rule and bf_latency_o (the kernel's config register) rely
      // on the butterfly taking exactly BfLatency cycles.
      assert (bf_valid_o == bf_track_q[BfLatency-1])
        else $error("ntt_engine: butterfly latency is not %0d cycles", BfLatency);
      assert (rd_adv || (!(a_valid_q && !a_out_q) && (r_valid_q & ~r_out_q) == '0))
        else $error("ntt_engine: read side stalled with a butterfly in it");
    end
  end

  // Shadow of every RAM slot: Free, or 2s (ready for stage s; 0 = loaded), or
  // 2s + 1 (read by stage s, write-back pending). Read at the cycle the RAM
  // actually reads (stage A advancing), written when the RAM is written. A
  // slot whose generation is not the current run's is Free, so a start needs
  // no clearing pass. The generation counter is not reset with the engine:
  // after a reset in the middle of a run (a host recovering a hung kernel)
  // the next run must still see the aborted run's slots as Free.
  localparam int unsigned Free = 255;
  int unsigned run_q = 0;
  always_ff @(posedge clk_i) begin
    if (state_q == StIdle && start_i) run_q <= run_q + 1;
  end
  for (genvar k = 0; k < 2; k++) begin : gen_shadow
    int unsigned st_q [BankDepth];
    int unsigned run_of_q [BankDepth];
    logic [BAW-1:0] ra;
    int unsigned rs, ws;
    assign ra = (k == 0) ? a_addr0_q : a_addr1_q;
    assign rs = (run_of_q[ra] == run_q) ? st_q[ra] : Free;
    logic [BAW-1:0] wa;
    assign wa = (k == 0) ? wr_addr0 : wr_addr1;
    assign ws = (run_of_q[wa] == run_q) ? st_q[wa] : Free;
    always_ff @(posedge clk_i) begin
      if (live_q && rd_adv && a_valid_q) begin
        if (a_out_q) begin
          assert (rs == 2 * (32'(last_stage_q) + 1))
            else $error("ntt_engine: unload reads bank %0d slot %0d in state %0d", k, ra, rs);
          st_q[ra] <= Free;
        end else begin
          assert (rs == 2 * 32'(a_stage_q))
            else $error("ntt_engine: stage %0d reads bank %0d slot %0d in state %0d", a_stage_q, k, ra, rs);
          st_q[ra] <= 2 * 32'(a_stage_q) + 1;
        end
        run_of_q[ra] <= run_q;
      end
      if (live_q && wr_en) begin
        if (bf_valid_o) begin
          assert (ws % 2 == 1)
            else $error("ntt_engine: write-back to bank %0d slot %0d in state %0d", k, wa, ws);
          st_q[wa] <= ws + 1;
        end else begin
          assert (ws == Free)
            else $error("ntt_engine: load into bank %0d slot %0d in state %0d", k, wa, ws);
          st_q[wa] <= 0;
        end
        run_of_q[wa] <= run_q;
      end
    end
  end
`endif

endmodule
