// ntt_ram: simple dual-port RAM (one write port, one read port, one clock)
// written in the shape that yosys and Vivado infer as block RAM or UltraRAM.
//
// Latency: ReadLatency cycles (1: the array's read register; 2: plus the
// output register that BRAM (DOA_REG) and URAM (OREG) provide and that timing
// closure at 300 MHz wants for wide memories; more: further registers, which
// Vivado moves into the pipeline of a deep URAM cascade). Throughput: one
// read and one write per cycle.
//
// re_i advances the whole read pipeline (the array register and the output
// register): with re_i low q_o holds, which is how a consumer stalls the read
// side without a FIFO (BRAM CE/REGCE, URAM RDB_WR_B/OREG_CE).
// A read and a write of the same address in the same cycle return the old
// data; the NTT engine never relies on it (its hazard checks only let a read
// follow a write by at least one cycle).
module ntt_ram #(
  parameter int unsigned Width = 256,
  parameter int unsigned Depth = 1024,
  parameter int unsigned ReadLatency = 1,
  // Vivado's ram_style: "block", "ultra" (ReadLatency >= 2) or "auto".
  // Used only as an attribute, which lint does not count as a use.
  /* verilator lint_off UNUSEDPARAM */
  parameter RamStyle = "block",
  /* verilator lint_on UNUSEDPARAM */
  localparam int unsigned AddrWidth = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                 clk_i,
  input  logic                 we_i,
  input  logic [AddrWidth-1:0] waddr_i,
  input  logic [Width-1:0]     wdata_i,
  input  logic                 re_i,
  input  logic [AddrWidth-1:0] raddr_i,
  output logic [Width-1:0]     q_o
);

  // The array is not reset (RAM contents cannot be); the engine only reads
  // addresses it has written.
  (* ram_style = RamStyle *) logic [Width-1:0] mem_q [Depth];
  logic [Width-1:0] rd_q;

  always_ff @(posedge clk_i) begin
    if (we_i) mem_q[waddr_i] <= wdata_i;
  end
  always_ff @(posedge clk_i) begin
    if (re_i) rd_q <= mem_q[raddr_i];
  end

  if (ReadLatency <= 1) begin : gen_lat1
    assign q_o = rd_q;
  end else begin : gen_out_regs
    // Output registers k = 0 … ReadLatency−2, flat (yosys 0.23 does not parse
    // multi-dimensional packed arrays); the last one drives q_o.
    logic [(ReadLatency-1)*Width-1:0] out_q;
    always_ff @(posedge clk_i) begin
      if (re_i) out_q <= ((ReadLatency-1)*Width)'({out_q, rd_q});
    end
    assign q_o = out_q[(ReadLatency-2)*Width +: Width];
  end

  if (ReadLatency < 1) begin : gen_bad_latency
    $error("ntt_ram: ReadLatency must be at least 1");
  end

endmodule
