// msm_bucket_ram: simple dual-port RAM for the MSM buckets (one write port,
// one read port, synchronous read), written in the shape that yosys and Vivado
// infer as block RAM or UltraRAM.
//
// Latency: a read issued with re_i at an advancing cycle c shows its word on
// rdata_o at advancing cycle c + ReadLatency (1: the RAM's own output
// register; each further cycle is an output pipeline register, which
// UltraRAM cascades of 2^16+ words need to close timing). Throughput: one
// read and one write per cycle.
//
// Reading and writing the same address in one cycle returns the old word
// (read first); the accumulator never does it (it asserts so).
//
// en_i advances the read pipeline (the RAM's read enable and output register
// clock enables), so a consumer downstream can stall the output; writes do
// not depend on it. No reset: the contents are meaningful only under the
// accumulator's epoch tags, and BRAM/URAM have no reset of their contents.
//
// RamStyle is Vivado's ram_style. The default is UltraRAM: a card's 2^16
// buckets of 1,024 bits are 15 URAM wide (4K × 72 each) and 16 deep, 240 of
// a U55C's 960 or a U250's 1,280, where as block RAM (512 × 72) they would
// take 1,920 BRAM36 of 2,016 or 2,688 (UG901, RAM_STYLE "ultra": the
// inference needs the synchronous read with an output register, ReadLatency
// ≥ 2). Simulation and yosys ignore the attribute (yosys 0.23 maps to BRAM36; docs/kernel_msm.md).
module msm_bucket_ram #(
  parameter int unsigned AddrBits = 12,
  parameter int unsigned Width = 1024,
  parameter int unsigned ReadLatency = 2,
  // Read by Vivado through the attribute below, which Verilator does not see.
  /* verilator lint_off UNUSEDPARAM */
  parameter RamStyle = "ultra"
  /* verilator lint_on UNUSEDPARAM */
) (
  input  logic                clk_i,
  input  logic                we_i,
  input  logic [AddrBits-1:0] waddr_i,
  input  logic [Width-1:0]    wdata_i,
  input  logic                en_i,
  input  logic                re_i,
  input  logic [AddrBits-1:0] raddr_i,
  output logic [Width-1:0]    rdata_o
);

  (* ram_style = RamStyle *) logic [Width-1:0] mem_q [2**AddrBits];

  always_ff @(posedge clk_i) begin
    if (we_i) mem_q[waddr_i] <= wdata_i;
  end

  // The RAM's output register, then ReadLatency − 1 pipeline registers
  // (stage i at bits [i·Width +: Width], the last one at the top).
  logic [Width-1:0] rd_q;
  always_ff @(posedge clk_i) begin
    if (en_i && re_i) rd_q <= mem_q[raddr_i];
  end
  if (ReadLatency > 1) begin : gen_pipe
    logic [(ReadLatency-1)*Width-1:0] pipe_q;
    always_ff @(posedge clk_i) begin
      if (en_i) pipe_q <= ((ReadLatency - 1) * Width)'({pipe_q, rd_q});
    end
    assign rdata_o = pipe_q[(ReadLatency-2)*Width +: Width];
  end else begin : gen_direct
    assign rdata_o = rd_q;
  end

`ifndef SYNTHESIS
  initial begin
    assert (ReadLatency >= 1) else $error("msm_bucket_ram: ReadLatency must be at least 1");
  end
`endif

endmodule
