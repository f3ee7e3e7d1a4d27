// axil_ctrl_regs: AXI4-Lite control slave of a Vitis RTL kernel, with the
// ap_ctrl_hs register layout that XRT drives (docs/kernel_interface.md).
//
// | offset               | register                                                |
// |----------------------|---------------------------------------------------------|
// | 0x00                 | control: 0 ap_start, 1 ap_done (clear on read),         |
// |                      | 2 ap_idle, 3 ap_ready (clear on read), 7 auto_restart   |
// | 0x04                 | GIE: 0 global interrupt enable                          |
// | 0x08                 | IER: 0 done, 1 ready                                    |
// | 0x0C                 | ISR: 0 done, 1 ready (toggle on write)                  |
// | 0x10 + 4·i           | argument i (R/W), i < NumArgs                           |
// | 0x10 + 4·NumArgs + 4·i | status i (read only), i < NumStatus                   |
//
// Latency: a write takes effect 1 cycle after both its AW and W handshakes
// (they may come in either order or together), B follows a cycle later; a
// read answers (R valid) the cycle after its AR handshake. One access of each
// kind is in flight at a time. Writes honour wstrb; unmapped addresses read 0
// and ignore writes, both with OKAY. Address bits [1:0] are ignored.
//
// auto_restart is stored and read back but does not restart the kernel.
module axil_ctrl_regs #(
  parameter int unsigned NumArgs   = 8,   // 32-bit R/W argument registers at 0x10, 0x14, ...
  parameter int unsigned NumStatus = 4,   // 32-bit read-only status registers after the args
  parameter int unsigned AddrWidth = 12
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  s_axi_awvalid,
  output logic                  s_axi_awready,
  input  logic [AddrWidth-1:0]  s_axi_awaddr,
  input  logic                  s_axi_wvalid,
  output logic                  s_axi_wready,
  input  logic [31:0]           s_axi_wdata,
  input  logic [3:0]            s_axi_wstrb,
  output logic                  s_axi_bvalid,
  input  logic                  s_axi_bready,
  output logic [1:0]            s_axi_bresp,
  input  logic                  s_axi_arvalid,
  output logic                  s_axi_arready,
  input  logic [AddrWidth-1:0]  s_axi_araddr,
  output logic                  s_axi_rvalid,
  input  logic                  s_axi_rready,
  output logic [31:0]           s_axi_rdata,
  output logic [1:0]            s_axi_rresp,
  output logic                  start_o,     // one-cycle pulse: ap_start seen while idle
  input  logic                  done_i,      // one-cycle pulse: the kernel has finished
  // Argument i is args_o[32·i +: 32], status i is status_i[32·i +: 32]: the
  // bit layout of logic [NumArgs-1:0][31:0], so a signal declared that way
  // connects unchanged. Flat because yosys 0.23 does not parse packed arrays
  // of more than one dimension (and a typedef'd one loses its outer range).
  output logic [NumArgs*32-1:0]      args_o,
  input  logic [NumStatus*32-1:0]    status_i,
  output logic                  interrupt_o
);

  // Registers are addressed by 32-bit word: word = byte offset / 4.
  localparam int unsigned WordWidth = AddrWidth - 2;
  localparam logic [WordWidth-1:0] CtrlWord = WordWidth'(0);
  localparam logic [WordWidth-1:0] GieWord = WordWidth'(1);
  localparam logic [WordWidth-1:0] IerWord = WordWidth'(2);
  localparam logic [WordWidth-1:0] IsrWord = WordWidth'(3);
  localparam int unsigned ArgsWord = 4;
  localparam int unsigned StatusWord = ArgsWord + NumArgs;

  // --- Write channel -------------------------------------------------------
  // AW and W are each held in a register until both are there (either may
  // come first); the write then takes effect and B is answered. awready and
  // wready come from registers only. No channel is ready while rst_ni is
  // low: the kernel's reset is ap_rst_n pipelined (kernel_reset_pipe), so
  // the shell may offer a transfer in the cycles after ap_rst_n rises while
  // this block is still held in reset, and a handshake then would be lost.
  logic aw_full_q, w_full_q, bvalid_q;
  logic [WordWidth-1:0] waddr_q;
  logic [31:0] wdata_q;
  logic [3:0] wstrb_q;
  logic do_write;
  assign s_axi_awready = rst_ni && !aw_full_q;
  assign s_axi_wready = rst_ni && !w_full_q;
  assign do_write = aw_full_q && w_full_q && !bvalid_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      aw_full_q <= 1'b0;
      w_full_q <= 1'b0;
      bvalid_q <= 1'b0;
    end else begin
      if (s_axi_awvalid && s_axi_awready) aw_full_q <= 1'b1;
      if (s_axi_wvalid && s_axi_wready) w_full_q <= 1'b1;
      if (s_axi_bready) bvalid_q <= 1'b0;
      if (do_write) begin
        aw_full_q <= 1'b0;
        w_full_q <= 1'b0;
        bvalid_q <= 1'b1;
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (s_axi_awvalid && s_axi_awready) waddr_q <= s_axi_awaddr[AddrWidth-1:2];
    if (s_axi_wvalid && s_axi_wready) begin
      wdata_q <= s_axi_wdata;
      wstrb_q <= s_axi_wstrb;
    end
  end

  assign s_axi_bvalid = bvalid_q;
  assign s_axi_bresp = zkacc_axi_pkg::RespOkay;

  // The written value merged into the old one byte by byte (wstrb).
  logic [31:0] wmask;
  assign wmask = {{8{wstrb_q[3]}}, {8{wstrb_q[2]}}, {8{wstrb_q[1]}}, {8{wstrb_q[0]}}};

  // --- Read channel --------------------------------------------------------
  logic rvalid_q, do_read;
  logic [WordWidth-1:0] raddr;
  logic [31:0] rdata, rdata_q;
  assign s_axi_arready = rst_ni && !rvalid_q;
  assign do_read = s_axi_arvalid && s_axi_arready;
  assign raddr = s_axi_araddr[AddrWidth-1:2];

  // --- Control and interrupt registers --------------------------------------
  logic start_q, done_q, idle_q, ready_q, auto_restart_q, gie_q;
  logic [1:0] ier_q, isr_q;
  logic [NumArgs*32-1:0] args_q;

  always_comb begin
    rdata = '0;
    case (raddr)
      CtrlWord: rdata = {24'd0, auto_restart_q, 3'd0, ready_q, idle_q, done_q, start_q};
      GieWord:  rdata = {31'd0, gie_q};
      IerWord:  rdata = {30'd0, ier_q};
      IsrWord:  rdata = {30'd0, isr_q};
      default: begin
        for (int unsigned i = 0; i < NumArgs; i++) begin
          if (raddr == WordWidth'(ArgsWord + i)) rdata = args_q[32*i +: 32];
        end
        for (int unsigned i = 0; i < NumStatus; i++) begin
          if (raddr == WordWidth'(StatusWord + i)) rdata = status_i[32*i +: 32];
        end
      end
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (!rst_ni) rvalid_q <= 1'b0;
    else if (do_read) rvalid_q <= 1'b1;
    else if (s_axi_rready) rvalid_q <= 1'b0;
  end
  always_ff @(posedge clk_i) begin
    if (do_read) rdata_q <= rdata;
  end
  assign s_axi_rvalid = rvalid_q;
  assign s_axi_rdata = rdata_q;
  assign s_axi_rresp = zkacc_axi_pkg::RespOkay;

  logic wr_ctrl, wr_gie, wr_ier, wr_isr, rd_ctrl;
  assign wr_ctrl = do_write && waddr_q == CtrlWord && wstrb_q[0];
  assign wr_gie = do_write && waddr_q == GieWord && wstrb_q[0];
  assign wr_ier = do_write && waddr_q == IerWord && wstrb_q[0];
  assign wr_isr = do_write && waddr_q == IsrWord && wstrb_q[0];
  assign rd_ctrl = do_read && raddr == CtrlWord;

  assign start_o = start_q && idle_q;

  // Where a hardware event and a host access meet in one cycle, the event
  // wins: a done that coincides with the read clearing ap_done is kept for
  // the next read, an interrupt that coincides with an ISR write is not lost.
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      start_q <= 1'b0;
      done_q <= 1'b0;
      idle_q <= 1'b1;
      ready_q <= 1'b0;
      auto_restart_q <= 1'b0;
      gie_q <= 1'b0;
      ier_q <= '0;
      isr_q <= '0;
    end else begin
      // ap_start: set by the host (writing 0 does not withdraw it), cleared
      // when the kernel takes it.
      if (start_o) start_q <= 1'b0;
      else if (wr_ctrl && wdata_q[0]) start_q <= 1'b1;
      if (wr_ctrl) auto_restart_q <= wdata_q[7];

      if (start_o) idle_q <= 1'b0;
      if (done_i) idle_q <= 1'b1;

      if (done_i) begin
        done_q <= 1'b1;
        ready_q <= 1'b1;
      end else if (rd_ctrl) begin
        done_q <= 1'b0;
        ready_q <= 1'b0;
      end

      if (wr_gie) gie_q <= wdata_q[0];
      if (wr_ier) ier_q <= wdata_q[1:0];
      for (int unsigned b = 0; b < 2; b++) begin
        if (done_i && ier_q[b]) isr_q[b] <= 1'b1;
        else if (wr_isr) isr_q[b] <= isr_q[b] ^ wdata_q[b];
      end
    end
  end

  // Arguments: no reset needed by the protocol, but reset anyway so a kernel
  // started without writing one sees 0 rather than whatever the FPGA held.
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      args_q <= '0;
    end else begin
      for (int unsigned i = 0; i < NumArgs; i++) begin
        if (do_write && waddr_q == WordWidth'(ArgsWord + i))
          args_q[32*i +: 32] <= (args_q[32*i +: 32] & ~wmask) | (wdata_q & wmask);
      end
    end
  end
  assign args_o = args_q;

  assign interrupt_o = gie_q && |(isr_q & ier_q);

  // The byte offset's low bits select no register.
  logic unused_addr;
  assign unused_addr = ^{s_axi_awaddr[1:0], s_axi_araddr[1:0]};

`ifndef SYNTHESIS
  initial begin
    assert (NumArgs >= 1 && NumStatus >= 1 && StatusWord + NumStatus <= (1 << WordWidth))
      else $error("axil_ctrl_regs: need NumArgs, NumStatus >= 1 and all registers below 2^AddrWidth");
  end
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!(done_i && idle_q)) else $error("axil_ctrl_regs: done_i while idle");
    end
  end
`endif

endmodule
