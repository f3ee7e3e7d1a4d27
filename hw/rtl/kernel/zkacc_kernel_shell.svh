// zkacc_kernel_shell.svh: what every Vitis kernel top of zkacc has in common,
// written once: the port list Vitis expects (ap_clk, ap_rst_n, interrupt,
// the AXI4-Lite control slave s_axi_control_*, AXI4 masters m_axi_<name>_*
// carrying all five channels), the connections of those ports to the shared
// blocks (axil_ctrl_regs, axi_read_stream, axi_write_stream) and the
// tie-offs of a master's unused direction. Vitis needs the ports flat and
// named exactly so (UG1393, "Kernel Interface Requirements"), which rules out
// SystemVerilog interfaces on the top; macros keep one copy instead of three.
//
// Tools: the tops `include this file, so Verilator and Vivado need
// hw/rtl/kernel on their include path (sim/CMakeLists.txt, tests/rtl/
// rtl_lint.sh, hw/vitis/package_kernel.tcl); yosys finds it beside the top.
`ifndef ZKACC_KERNEL_SHELL_SVH
`define ZKACC_KERNEL_SHELL_SVH

// ap_clk, ap_rst_n and the AXI4-Lite control slave (AW address bits). The
// interrupt output is declared by each top, between lint pragmas (Verilator
// reserves the word).
`define ZKACC_KERNEL_CONTROL_PORTS(AW) \
  input  logic          ap_clk, \
  input  logic          ap_rst_n, \
  input  logic          s_axi_control_awvalid, \
  output logic          s_axi_control_awready, \
  input  logic [AW-1:0] s_axi_control_awaddr, \
  input  logic          s_axi_control_wvalid, \
  output logic          s_axi_control_wready, \
  input  logic [31:0]   s_axi_control_wdata, \
  input  logic [3:0]    s_axi_control_wstrb, \
  output logic          s_axi_control_bvalid, \
  input  logic          s_axi_control_bready, \
  output logic [1:0]    s_axi_control_bresp, \
  input  logic          s_axi_control_arvalid, \
  output logic          s_axi_control_arready, \
  input  logic [AW-1:0] s_axi_control_araddr, \
  output logic          s_axi_control_rvalid, \
  input  logic          s_axi_control_rready, \
  output logic [31:0]   s_axi_control_rdata, \
  output logic [1:0]    s_axi_control_rresp

// One AXI4 master, all five channels: m_axi_<name>_*.
`define ZKACC_M_AXI_PORTS(name) \
  output logic                                m_axi_``name``_awvalid, \
  input  logic                                m_axi_``name``_awready, \
  output logic [zkacc_axi_pkg::AddrWidth-1:0] m_axi_``name``_awaddr, \
  output logic [7:0]                          m_axi_``name``_awlen, \
  output logic [2:0]                          m_axi_``name``_awsize, \
  output logic [1:0]                          m_axi_``name``_awburst, \
  output logic                                m_axi_``name``_wvalid, \
  input  logic                                m_axi_``name``_wready, \
  output logic [zkacc_axi_pkg::DataWidth-1:0] m_axi_``name``_wdata, \
  output logic [zkacc_axi_pkg::BeatBytes-1:0] m_axi_``name``_wstrb, \
  output logic                                m_axi_``name``_wlast, \
  input  logic                                m_axi_``name``_bvalid, \
  output logic                                m_axi_``name``_bready, \
  input  logic [1:0]                          m_axi_``name``_bresp, \
  output logic                                m_axi_``name``_arvalid, \
  input  logic                                m_axi_``name``_arready, \
  output logic [zkacc_axi_pkg::AddrWidth-1:0] m_axi_``name``_araddr, \
  output logic [7:0]                          m_axi_``name``_arlen, \
  output logic [2:0]                          m_axi_``name``_arsize, \
  output logic [1:0]                          m_axi_``name``_arburst, \
  input  logic                                m_axi_``name``_rvalid, \
  output logic                                m_axi_``name``_rready, \
  input  logic [zkacc_axi_pkg::DataWidth-1:0] m_axi_``name``_rdata, \
  input  logic [1:0]                          m_axi_``name``_rresp, \
  input  logic                                m_axi_``name``_rlast

// axil_ctrl_regs's slave ports on s_axi_control_*.
`define ZKACC_S_AXI_CONTROL_CONNECT \
  .s_axi_awvalid(s_axi_control_awvalid), .s_axi_awready(s_axi_control_awready), \
  .s_axi_awaddr(s_axi_control_awaddr), \
  .s_axi_wvalid(s_axi_control_wvalid), .s_axi_wready(s_axi_control_wready), \
  .s_axi_wdata(s_axi_control_wdata), .s_axi_wstrb(s_axi_control_wstrb), \
  .s_axi_bvalid(s_axi_control_bvalid), .s_axi_bready(s_axi_control_bready), \
  .s_axi_bresp(s_axi_control_bresp), \
  .s_axi_arvalid(s_axi_control_arvalid), .s_axi_arready(s_axi_control_arready), \
  .s_axi_araddr(s_axi_control_araddr), \
  .s_axi_rvalid(s_axi_control_rvalid), .s_axi_rready(s_axi_control_rready), \
  .s_axi_rdata(s_axi_control_rdata), .s_axi_rresp(s_axi_control_rresp)

// axi_read_stream's AR and R channels on m_axi_<name>_*.
`define ZKACC_M_AXI_READ_CONNECT(name) \
  .m_axi_arvalid(m_axi_``name``_arvalid), .m_axi_arready(m_axi_``name``_arready), \
  .m_axi_araddr(m_axi_``name``_araddr), .m_axi_arlen(m_axi_``name``_arlen), \
  .m_axi_arsize(m_axi_``name``_arsize), .m_axi_arburst(m_axi_``name``_arburst), \
  .m_axi_rvalid(m_axi_``name``_rvalid), .m_axi_rready(m_axi_``name``_rready), \
  .m_axi_rdata(m_axi_``name``_rdata), .m_axi_rresp(m_axi_``name``_rresp), \
  .m_axi_rlast(m_axi_``name``_rlast)

// axi_write_stream's AW, W and B channels on m_axi_<name>_*.
`define ZKACC_M_AXI_WRITE_CONNECT(name) \
  .m_axi_awvalid(m_axi_``name``_awvalid), .m_axi_awready(m_axi_``name``_awready), \
  .m_axi_awaddr(m_axi_``name``_awaddr), .m_axi_awlen(m_axi_``name``_awlen), \
  .m_axi_awsize(m_axi_``name``_awsize), .m_axi_awburst(m_axi_``name``_awburst), \
  .m_axi_wvalid(m_axi_``name``_wvalid), .m_axi_wready(m_axi_``name``_wready), \
  .m_axi_wdata(m_axi_``name``_wdata), .m_axi_wstrb(m_axi_``name``_wstrb), \
  .m_axi_wlast(m_axi_``name``_wlast), \
  .m_axi_bvalid(m_axi_``name``_bvalid), .m_axi_bready(m_axi_``name``_bready), \
  .m_axi_bresp(m_axi_``name``_bresp)

// A read-only master's write direction, tied idle; its inputs, for an
// "unused" sink.
`define ZKACC_M_AXI_WRITE_IDLE(name) \
  assign m_axi_``name``_awvalid = 1'b0; \
  assign m_axi_``name``_awaddr = '0; \
  assign m_axi_``name``_awlen = '0; \
  assign m_axi_``name``_awsize = zkacc_axi_pkg::Size; \
  assign m_axi_``name``_awburst = zkacc_axi_pkg::BurstIncr; \
  assign m_axi_``name``_wvalid = 1'b0; \
  assign m_axi_``name``_wdata = '0; \
  assign m_axi_``name``_wstrb = '0; \
  assign m_axi_``name``_wlast = 1'b0; \
  assign m_axi_``name``_bready = 1'b1;
`define ZKACC_M_AXI_WRITE_IDLE_INPUTS(name) \
  m_axi_``name``_awready, m_axi_``name``_wready, m_axi_``name``_bvalid, m_axi_``name``_bresp

// A write-only master's read direction, tied idle; its inputs.
`define ZKACC_M_AXI_READ_IDLE(name) \
  assign m_axi_``name``_arvalid = 1'b0; \
  assign m_axi_``name``_araddr = '0; \
  assign m_axi_``name``_arlen = '0; \
  assign m_axi_``name``_arsize = zkacc_axi_pkg::Size; \
  assign m_axi_``name``_arburst = zkacc_axi_pkg::BurstIncr; \
  assign m_axi_``name``_rready = 1'b1;
`define ZKACC_M_AXI_READ_IDLE_INPUTS(name) \
  m_axi_``name``_arready, m_axi_``name``_rvalid, m_axi_``name``_rdata, m_axi_``name``_rresp, \
  m_axi_``name``_rlast

`endif
