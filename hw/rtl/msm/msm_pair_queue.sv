// msm_pair_queue: the bucket accumulator's conflict queue, a circular buffer
// of Depth entries with one push and one pop per cycle and the head readable
// without a pop (the accumulator checks the head's bucket before it decides),
// and a busy bit per entry: whether its bucket (the entry's top KeyWidth
// bits) is in the adder.
//
// Busy bits are kept incrementally rather than looked up: each cycle every
// entry compares its bucket with the one leaving the in-flight set
// (clear_*_i, the tracker's oldest stage) and with each of the NumSet
// candidates that may be entering it (set_keys_i; set_valid_i is the
// accumulator's one-hot issue choice, which arrives late, so the
// comparisons run beside the choice and it only picks one): busy' = (busy ∧
// ¬leaving) ∨ entering. A bucket is in the set at most once (a busy bucket
// is never issued), so the rule is exact. A pushed entry brings its bit for
// the next cycle (push_busy_i). The keys are kept in flip-flops beside the
// storage, since all of them are compared every cycle: (NumSet + 1)·Depth
// comparators of KeyWidth bits, against Depth searches of the tracker.
//
// Latency: an entry pushed at cycle c can be the head from cycle c + 1; a
// set or clear at cycle c shows in head_busy_o from c + 1.
// Throughput: one push and one pop per cycle, also together when full (the
// pushed entry takes the popped one's slot), which is how the accumulator
// rotates a blocked head to the tail.
//
// The storage has one write port and one asynchronous read: at Depth 16 it
// maps to distributed (LUT) RAM.
module msm_pair_queue #(
  parameter int unsigned Width = 525,
  parameter int unsigned KeyWidth = 12,
  parameter int unsigned Depth = 16,
  parameter int unsigned NumSet = 1
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,
  input  logic                       push_i,
  input  logic [Width-1:0]           push_data_i,
  input  logic                       push_busy_i,
  input  logic                       pop_i,
  input  logic [NumSet-1:0]          set_valid_i,
  input  logic [NumSet*KeyWidth-1:0] set_keys_i,
  input  logic                       clear_valid_i,
  input  logic [KeyWidth-1:0]        clear_key_i,
  output logic [Width-1:0]           head_o,
  output logic                       head_busy_o,
  output logic [$clog2(Depth+1)-1:0] count_o
);

  localparam int unsigned PtrWidth = (Depth > 1) ? $clog2(Depth) : 1;
  localparam int unsigned CountWidth = $clog2(Depth + 1);

  logic [Width-1:0] mem_q [Depth];
  logic [PtrWidth-1:0] rd_ptr_q, wr_ptr_q;
  logic [CountWidth-1:0] count_q;
  // Slot s: keys_q[s·KeyWidth +: KeyWidth], busy_q[s] (flat for yosys 0.23).
  logic [Depth*KeyWidth-1:0] keys_q;
  logic [Depth-1:0] busy_q, busy_next;

  function automatic logic [PtrWidth-1:0] next_ptr(input logic [PtrWidth-1:0] p);
    next_ptr = (p == PtrWidth'(Depth - 1)) ? '0 : p + PtrWidth'(1);
  endfunction

  always_ff @(posedge clk_i) begin
    if (push_i) mem_q[wr_ptr_q] <= push_data_i;
  end

  always_ff @(posedge clk_i) begin
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

  // Bits of empty slots are don't-cares: a slot's bit is written with its
  // entry.
  always_comb begin
    for (int unsigned s = 0; s < Depth; s++) begin
      busy_next[s] = busy_q[s] && !(clear_valid_i && keys_q[s*KeyWidth +: KeyWidth] == clear_key_i);
      for (int unsigned j = 0; j < NumSet; j++)
        if (set_valid_i[j] && keys_q[s*KeyWidth +: KeyWidth] == set_keys_i[j*KeyWidth +: KeyWidth])
          busy_next[s] = 1'b1;
    end
  end
  always_ff @(posedge clk_i) begin
    for (int unsigned s = 0; s < Depth; s++) begin
      if (push_i && wr_ptr_q == PtrWidth'(s)) begin
        keys_q[s*KeyWidth +: KeyWidth] <= push_data_i[Width-1 -: KeyWidth];
        busy_q[s] <= push_busy_i;
      end else begin
        busy_q[s] <= busy_next[s];
      end
    end
  end

  assign head_o = mem_q[rd_ptr_q];
  assign head_busy_o = busy_q[rd_ptr_q];
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
