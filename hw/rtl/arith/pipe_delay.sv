// pipe_delay: delays a bus by Depth enabled clock cycles.
//
// Latency: Depth cycles (Depth = 0 is a wire). Throughput: one value per cycle.
// No reset: short delays are register chains that FPGA synthesis packs into
// shift-register LUTs, long ones (Depth >= MemMinDepth) a RAM ring; the data
// is meaningful only under a valid bit kept elsewhere (valid_delay).
module pipe_delay #(
  parameter int unsigned Width = 1,
  parameter int unsigned Depth = 1,
  // From this depth on the delay is a RAM ring instead of a register chain.
  parameter int unsigned MemMinDepth = 16
) (
  input  logic             clk_i,
  input  logic             en_i,
  input  logic [Width-1:0] d_i,
  output logic [Width-1:0] q_o
);

  if (Depth == 0) begin : gen_wire
    assign q_o = d_i;
    // A wire needs no clock.
    logic unused_clk;
    assign unused_clk = clk_i ^ en_i;
  end else if (Depth == 1) begin : gen_reg
    logic [Width-1:0] q_q;
    always_ff @(posedge clk_i) begin
      if (en_i) q_q <= d_i;
    end
    assign q_o = q_q;
  end else if (Depth < MemMinDepth) begin : gen_chain
    // Stage i occupies bits [i·Width +: Width]; the oldest is the top one.
    logic [Depth*Width-1:0] chain_q;
    always_ff @(posedge clk_i) begin
      if (en_i) chain_q <= {chain_q[(Depth-1)*Width-1:0], d_i};
    end
    assign q_o = chain_q[(Depth-1)*Width +: Width];
  end else begin : gen_ring
    // A ring of Depth − 1 entries read before write, then an output register:
    // the value written at a slot comes back Depth − 1 advances later and
    // reaches q_o one advance after that. Synthesis maps the ring to LUT RAM
    // or block RAM; simulation moves one entry per cycle instead of the chain.
    localparam int unsigned Slots = Depth - 1;
    localparam int unsigned PtrWidth = $clog2(Slots);
    logic [Width-1:0] ring_q [Slots];
    logic [PtrWidth-1:0] ptr_q;
    logic [Width-1:0] q_q;
    always_ff @(posedge clk_i) begin
      if (en_i) begin
        q_q <= ring_q[ptr_q];
        ring_q[ptr_q] <= d_i;
        ptr_q <= (ptr_q == PtrWidth'(Slots - 1)) ? '0 : ptr_q + PtrWidth'(1);
      end
    end
    assign q_o = q_q;
  end

endmodule
