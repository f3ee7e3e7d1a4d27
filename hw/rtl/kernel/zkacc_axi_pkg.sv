// zkacc_axi_pkg: constants of the AXI4 master convention shared by the kernel
// infrastructure (hw/rtl/kernel) and the kernels built on it: 512-bit beats,
// 64-bit byte addresses, INCR bursts that never cross a 4 KiB boundary.
package zkacc_axi_pkg;
  // Shared constants: every module uses only some of them.
  /* verilator lint_off UNUSEDPARAM */

  localparam int unsigned DataWidth = 512;
  localparam int unsigned AddrWidth = 64;
  localparam int unsigned BeatBytes = DataWidth / 8;           // 64
  localparam int unsigned BeatShift = 6;                       // log2(BeatBytes)
  localparam logic [2:0] Size = 3'(BeatShift);                 // arsize/awsize: 64 bytes a beat
  localparam logic [1:0] BurstIncr = 2'b01;
  localparam logic [1:0] RespOkay = 2'b00;
  // AXI4: no burst may cross a 4 KiB boundary, so a burst of 64-byte beats
  // holds at most 64 of them (arlen <= 63), less when it does not start on a
  // 4 KiB boundary.
  localparam int unsigned BoundaryBytes = 4096;
  localparam int unsigned BoundaryBeats = BoundaryBytes / BeatBytes;  // 64
  /* verilator lint_on UNUSEDPARAM */
endpackage
