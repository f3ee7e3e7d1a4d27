// msm_inflight_tracker: the set of buckets whose addition is in the adder
// pipeline, for the bucket accumulator's hazard check.
//
// The accumulator's issue path never stalls, so an issued bucket index moves
// one stage per cycle and leaves the set exactly Depth cycles after its issue:
// the set is the contents of a Depth-stage shift register of (valid, tag).
// This is the bit vector "set at issue, cleared at write-back" in another
// form: a 2^BucketBits-bit vector with its set, clear and read logic costs
// about 2^BucketBits flip-flops and LUTs (65 k each at 16 bucket bits), the
// shift register Depth·(TagWidth + 1) flip-flops (about 2.8 k) and one
// TagWidth-bit comparator per stage, independent of the bucket count.
//
// One query a cycle, for the pair arriving at the accumulator: the entries
// it already holds keep a busy bit each, updated by two comparisons a cycle
// (the tag entering, stage 0, and the tag leaving, oldest_tag_o), so only a
// new arrival needs the search. The search is split over two cycles so that
// neither holds more than a few logic levels: in the query's cycle each
// stage is compared and the matches are ORed in groups of GroupSize, which
// are registered; in the next cycle the accumulator ORs the NumGroups bits
// (hit_groups_o). The query looks one cycle ahead: it covers the stages
// 0 .. Depth − 2, the tags that will still be in the set in the next cycle
// (stages 1 .. Depth − 1 then); the tag pushed in the query's cycle is stage
// 0 in the next, which the accumulator compares itself.
//
// Latency: a tag pushed at cycle c is in the set at cycles c + 1 .. c + Depth
// (stage i at cycle c + 1 + i); a query at cycle c answers at c + 1.
// Throughput: one push and one query per cycle.
module msm_inflight_tracker #(
  parameter int unsigned TagWidth = 12,
  parameter int unsigned Depth = 164,
  parameter int unsigned GroupSize = 8
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  input  logic                 push_valid_i,
  input  logic [TagWidth-1:0]  push_tag_i,
  input  logic [TagWidth-1:0]  query_i,
  // Bit g: the query of the previous cycle matched one of the stages
  // g·GroupSize .. g·GroupSize + GroupSize − 1 (below Depth − 1) then.
  output logic [(Depth+GroupSize-2)/GroupSize-1:0] hit_groups_o,
  output logic                 empty_o,
  // The oldest stage: the tag whose write-back happens in the next cycle.
  output logic                 oldest_valid_o,
  output logic [TagWidth-1:0]  oldest_tag_o
);

  localparam int unsigned NumGroups = (Depth + GroupSize - 2) / GroupSize;  // over Depth − 1 stages

  // Stage i: valid_q[i], tags_q[i·TagWidth +: TagWidth]; the oldest is the
  // top (flat: yosys 0.23 does not parse packed arrays of more than one
  // dimension).
  logic [Depth-1:0] valid_q;
  logic [Depth*TagWidth-1:0] tags_q;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) valid_q <= '0;
    else valid_q <= Depth'({valid_q, push_valid_i});
  end
  // Tags need no reset: they count only under their valid bit.
  always_ff @(posedge clk_i) begin
    tags_q <= (Depth*TagWidth)'({tags_q, push_tag_i});
  end

  // One comparator per stage, elaborated per stage (a generate loop, not a
  // procedural one, so that every select is a constant one: Verilator leaves
  // a procedural loop of more than 64 iterations rolled, with variable
  // selects, and it was then the kernel model's costliest code).
  logic [NumGroups*GroupSize-1:0] match;
  for (genvar i = 0; i < NumGroups * GroupSize; i++) begin : g_match
    if (i + 1 < Depth) begin : g_stage
      assign match[i] = valid_q[i] && tags_q[i*TagWidth +: TagWidth] == query_i;
    end else begin : g_pad
      assign match[i] = 1'b0;
    end
  end
  for (genvar g = 0; g < NumGroups; g++) begin : g_group
    always_ff @(posedge clk_i) hit_groups_o[g] <= |match[g*GroupSize +: GroupSize];
  end

  assign empty_o = ~|valid_q;
  assign oldest_valid_o = valid_q[Depth-1];
  assign oldest_tag_o = tags_q[(Depth-1)*TagWidth +: TagWidth];

endmodule
