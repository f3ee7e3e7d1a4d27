// msm_pair_queue: the bucket accumulator's conflict queue, a circular buffer
// of Depth entries with one push and one pop per cycle and the head readable
// without a pop (the accumulator checks the head's bucket before it decides).
//
// Latency: an entry pushed at cycle c can be the head from cycle c + 1.
// Throughput: one push and one pop per cycle, also together when full (the
// pushed entry takes the popped one's slot), which is how the accumulator
// rotates a blocked head to the tail. next_o is the entry behind the head
// (meaningful with two entries or more): the head after a pop, which the
// accumulator checks a cycle ahead.
//
// The storage has one write port and two asynchronous reads: at Depth 16 it
// maps to distributed (LUT) RAM.
module msm_pair_queue #(
  parameter int unsigned Width = 525,
  parameter int unsigned Depth = 16
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,
  input  logic                       push_i,
  input  logic [Width-1:0]           push_data_i,
  input  logic                       pop_i,
  output logic [Width-1:0]           head_o,
  output logic [Width-1:0]           next_o,
  output logic [$clog2(Depth+1)-1:0] count_o
);

  localparam int unsigned PtrWidth = (Depth > 1) ? $clog2(Depth) : 1;
  localparam int unsigned CountWidth = $clog2(Depth + 1);

  logic [Width-1:0] mem_q [Depth];
  logic [PtrWidth-1:0] rd_ptr_q, wr_ptr_q;
  logic [CountWidth-1:0] count_q;

  function automatic logic [PtrWidth-1:0] next_ptr(input logic [PtrWidth-1:0] p);
    next_ptr = (p == PtrWidth'(Depth - 1)) ? '0 : p + PtrWidth'(1);
  endfunction

  always_ff @(posedge clk_i) begin
    if (push_i) mem_q[wr_ptr_q] <= push_data_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_ptr_q <= '0;
      wr_ptr_q <= '0;
      count_q <= '0;
    end else begin
      if (push_i) wr_ptr_q <= next_ptr(wr_ptr_q);
      if (pop_i) rd_ptr_q <= next_ptr(rd_ptr_q);
      count_q <= count_q + CountWidth'(push_i) - CountWidth'(pop_i);
    end
  end

  assign head_o = mem_q[rd_ptr_q];
  assign next_o = mem_q[next_ptr(rd_ptr_q)];
  assign count_o = count_q;

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!pop_i || count_q != '0) else $error("msm_pair_queue: pop from an empty queue");
      assert (!push_i || pop_i || count_q != CountWidth'(Depth))
        else $error("msm_pair_queue: push into a full queue");
    end
  end
`endif

endmodule
