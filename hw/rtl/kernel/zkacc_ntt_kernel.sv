// zkacc_ntt_kernel: Vitis RTL kernel running batches of radix-2 NTTs over
// BN254 Fr of n = 2^log_n points (log_n <= LogMaxN) on one ntt_engine.
//
// For each of `batch` consecutive transforms of the input buffer:
//   out_k = Σ_j in_j · ω^(j·k),  ω = twiddles[1],
// natural order in and out, elements as 32-byte little-endian Montgomery
// form (element 2k in bits 255:0 of a 512-bit beat, 2k + 1 in bits 511:256),
// the convention of zkacc::NttDomain::forward. An inverse transform is the
// same call with the twiddles of ω^-1, the host scaling by 1/n.
//
// Registers (axil_ctrl_regs, ap_ctrl_hs at 0x00–0x0C):
// | offset      | register                                                   |
// |-------------|------------------------------------------------------------|
// | 0x10        | log_n (1..LogMaxN)                                         |
// | 0x14        | batch (>= 1)                                               |
// | 0x18 / 0x1C | twiddles address lo / hi: ω^0 … ω^(n/2−1), max(1, n/4) beats |
// | 0x20 / 0x24 | input address lo / hi: batch·n elements                    |
// | 0x28 / 0x2C | output address lo / hi: batch·n elements                   |
// | 0x30 / 0x34 | status: cycles from start to done, lo / hi                 |
// | 0x38 / 0x3C | status: butterflies issued, lo / hi                        |
// | 0x40        | status: config, LogMaxN in 7:0, butterfly latency in 23:8; |
// |             | errors of the last run in 26:24 (0 when it went well):     |
// |             | 24 read response, 25 write response, 26 bad arguments      |
//
// Bad arguments (log_n outside 1..LogMaxN, batch = 0, or batch·n/2 beats not
// below 2^32) end the run at once: no memory access, config bit 26 set.
// Buffers 64-byte aligned. ap_done rises once the last output beat has been
// written (its write response received).
//
// Data movement: m_axi_in reads the twiddles, then the input as one transfer;
// m_axi_out writes the output as one transfer. The engine loads transform
// t + 1 while it unloads transform t, so the streams run concurrently.
// Latency: the engine's cycle formula (ntt_engine.sv, docs/kernel_ntt.md)
// plus the memory latency of the two reads' first beats and of the last
// write burst and its response (2^12 points: 29,875 cycles with 30-cycle
// reads). Throughput: one butterfly per cycle during the stages; one beat
// per cycle on each port during loads and unloads.
// Both m_axi ports carry all five AXI4 channels, as Vitis expects of a master;
// the direction a port does not use is tied idle.
`include "zkacc_kernel_shell.svh"

module zkacc_ntt_kernel #(
  parameter int unsigned LogMaxN = 12,
  parameter int unsigned CtrlAddrWidth = 12,
  parameter int unsigned MaxBurstBeats = 64,
  parameter int unsigned FifoDepth = 128,
  // ntt_engine memories: read latency 2 and "ultra" data banks for card builds
  // with LogMaxN above about 14 (docs/kernel_ntt.md).
  parameter int unsigned ReadLatency = 1,
  parameter DataRamStyle = "block",
  parameter TwiddleRamStyle = "block"
) (
  `ZKACC_KERNEL_CONTROL_PORTS(CtrlAddrWidth),
  // Vitis requires this name; it is a C++ keyword-like word to Verilator,
  // which renames the model's member (the harness reads it through a macro).
  /* verilator lint_off SYMRSVDWORD */
  output logic                                interrupt,
  /* verilator lint_on SYMRSVDWORD */
  // AXI4 master: twiddles and input (reads).
  `ZKACC_M_AXI_PORTS(in),
  // AXI4 master: output (writes).
  `ZKACC_M_AXI_PORTS(out)
);

  // Every block resets synchronously from ap_rst_n registered twice
  // (kernel_reset_pipe: Vitis drives ap_rst_n synchronously and asks that it
  // be pipelined inside the kernel).
  logic rst_n;
  kernel_reset_pipe #(.Stages(2)) u_reset (.clk_i(ap_clk), .rst_ni(ap_rst_n), .rst_no(rst_n));

  localparam int unsigned NumArgs = 8;
  localparam int unsigned NumStatus = 5;
  localparam int unsigned LogWidth = $clog2(LogMaxN + 1);

  // --- Control registers -----------------------------------------------------
  logic start, done;
  logic [NumArgs*32-1:0] args;
  logic [NumStatus*32-1:0] status;
  axil_ctrl_regs #(.NumArgs(NumArgs), .NumStatus(NumStatus), .AddrWidth(CtrlAddrWidth)) u_ctrl (
    .clk_i(ap_clk), .rst_ni(rst_n),
    `ZKACC_S_AXI_CONTROL_CONNECT,
    .start_o(start), .done_i(done), .args_o(args), .status_i(status), .interrupt_o(interrupt)
  );

  logic [31:0] log_n, batch;
  logic [63:0] tw_addr, in_addr, out_addr;
  assign log_n = args[0*32 +: 32];
  assign batch = args[1*32 +: 32];
  assign tw_addr = {args[3*32 +: 32], args[2*32 +: 32]};
  assign in_addr = {args[5*32 +: 32], args[4*32 +: 32]};
  assign out_addr = {args[7*32 +: 32], args[6*32 +: 32]};

  // Transfer sizes in beats: n/4 twiddle beats (one for n = 2), batch·n/2
  // data beats each way, which must fit the streams' 32-bit counts. They are
  // registered from the arguments every cycle, which keeps the shifts off the
  // start path: the host's last argument write lands at least two cycles
  // before the ap_start write can (axil_ctrl_regs takes one write at a time).
  logic args_ok_q;
  logic [31:0] tw_beats_q, data_beats_q;
  logic [63:0] data_beats;
  assign data_beats = {32'd0, batch} << log_n[4:0] >> 1;
  always_ff @(posedge ap_clk) begin
    if (!rst_n) begin
      args_ok_q <= 1'b0;
      tw_beats_q <= '0;
      data_beats_q <= '0;
    end else begin
      args_ok_q <= log_n >= 32'd1 && log_n <= 32'(LogMaxN) && batch != '0 && data_beats[63:32] == '0;
      // log_n[4:0] suffices: a larger log_n fails args_ok_q.
      tw_beats_q <= (log_n <= 32'd2) ? 32'd1 : 32'd1 << (log_n[4:0] - 5'd2);
      data_beats_q <= data_beats[31:0];
    end
  end

  logic go;                           // a valid run starts this cycle
  assign go = start && args_ok_q;

  // --- Streams and engine ------------------------------------------------------
  // m_axi_in carries two transfers one after the other: the twiddles, then,
  // once the engine has taken the last twiddle beat (which ends the first
  // transfer), the input. The kernel counts the twiddle beats itself: the
  // stream's busy_o follows start_i combinationally and cannot gate it.
  logic rd_start, rd_busy, rd_error, wr_busy, wr_error;
  logic [63:0] rd_addr;
  logic [31:0] rd_beats;
  logic data_read_q;                  // the input transfer is still to start
  logic [31:0] tw_left_q;             // twiddle beats the engine has not taken yet
  assign rd_start = go || (data_read_q && tw_left_q == '0);
  assign rd_addr = go ? tw_addr : in_addr;
  assign rd_beats = go ? tw_beats_q : data_beats_q;

  logic in_valid, in_ready, out_valid, out_ready;
  logic [zkacc_axi_pkg::DataWidth-1:0] in_data, out_data;

  axi_read_stream #(.MaxBurstBeats(MaxBurstBeats), .FifoDepth(FifoDepth)) u_read (
    .clk_i(ap_clk), .rst_ni(rst_n),
    .start_i(rd_start), .addr_i(rd_addr), .beats_i(rd_beats), .busy_o(rd_busy), .error_o(rd_error),
    .out_valid_o(in_valid), .out_ready_i(in_ready), .out_data_o(in_data),
    `ZKACC_M_AXI_READ_CONNECT(in)
  );

  logic eng_busy, eng_done;
  logic [63:0] eng_cycles, eng_butterflies;
  logic [15:0] bf_latency;
  ntt_engine #(
    .LogMaxN(LogMaxN), .ReadLatency(ReadLatency),
    .DataRamStyle(DataRamStyle), .TwiddleRamStyle(TwiddleRamStyle)
  ) u_engine (
    .clk_i(ap_clk), .rst_ni(rst_n),
    .start_i(go), .log_n_i(LogWidth'(log_n)), .batch_i(batch), .busy_o(eng_busy), .done_o(eng_done),
    .in_valid_i(in_valid), .in_ready_o(in_ready), .in_data_i(in_data),
    .out_valid_o(out_valid), .out_ready_i(out_ready), .out_data_o(out_data),
    .cycles_o(eng_cycles), .butterflies_o(eng_butterflies), .bf_latency_o(bf_latency)
  );

  axi_write_stream #(.MaxBurstBeats(MaxBurstBeats), .FifoDepth(FifoDepth)) u_write (
    .clk_i(ap_clk), .rst_ni(rst_n),
    .start_i(go), .addr_i(out_addr), .beats_i(data_beats_q), .busy_o(wr_busy), .error_o(wr_error),
    .in_valid_i(out_valid), .in_ready_o(out_ready), .in_data_i(out_data),
    `ZKACC_M_AXI_WRITE_CONNECT(out)
  );

  // --- Run state and counters --------------------------------------------------
  // The streams and the engine raise busy at the edge that sets running_q,
  // so the first running cycle already sees them busy; the run ends when the
  // engine has handed over its last beat and the write stream has its last
  // response (rd_busy is then necessarily low: the engine took every beat).
  logic running_q, bad_args_q, eng_done_q;
  logic [63:0] cycles;
  event_counter #(.Width(64)) u_cycles (
    .clk_i(ap_clk), .rst_ni(rst_n), .clear_i(start), .inc_i(running_q), .count_o(cycles)
  );
  assign done = running_q && (bad_args_q || (eng_done_q && !wr_busy));

  always_ff @(posedge ap_clk) begin
    if (!rst_n) begin
      running_q <= 1'b0;
      bad_args_q <= 1'b0;
      eng_done_q <= 1'b0;
      data_read_q <= 1'b0;
      tw_left_q <= '0;
    end else begin
      if (done) running_q <= 1'b0;
      if (eng_done) eng_done_q <= 1'b1;
      if (data_read_q && tw_left_q != '0 && in_valid && in_ready) tw_left_q <= tw_left_q - 32'd1;
      if (data_read_q && tw_left_q == '0) data_read_q <= 1'b0;
      if (start) begin
        running_q <= 1'b1;
        bad_args_q <= !args_ok_q;
        eng_done_q <= 1'b0;
        data_read_q <= args_ok_q;
        tw_left_q <= tw_beats_q;
      end
    end
  end

  logic [7:0] errors;
  assign errors = {5'd0, bad_args_q, wr_error, rd_error};
  assign status = {errors, bf_latency, 8'(LogMaxN), eng_butterflies, cycles};

  // The engine's own cycle count (start to its last beat) and busy flag are
  // for its tests; the kernel reports start to ap_done.
  logic unused_engine;
  assign unused_engine = eng_busy ^ (^eng_cycles);

`ifndef SYNTHESIS
  always_ff @(posedge ap_clk) begin
    if (rst_n) begin
      if (start) begin
        assert (args_ok_q) else $error("zkacc_ntt_kernel: bad arguments: log_n = %0d, batch = %0d", log_n, batch);
      end
      if (done && !bad_args_q) begin
        assert (!rd_busy) else $error("zkacc_ntt_kernel: done with the input stream still busy");
      end
    end
  end
`endif

  // --- Unused directions, tied idle ----------------------------------------
  `ZKACC_M_AXI_WRITE_IDLE(in)
  `ZKACC_M_AXI_READ_IDLE(out)

  // Inputs of the tied-off directions.
  logic unused_idle_inputs;
  assign unused_idle_inputs = ^{`ZKACC_M_AXI_WRITE_IDLE_INPUTS(in),
                                `ZKACC_M_AXI_READ_IDLE_INPUTS(out)};

endmodule
