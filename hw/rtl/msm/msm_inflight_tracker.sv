// msm_inflight_tracker: the set of buckets whose addition is in the adder
// pipeline, for the bucket accumulator's hazard check.
//
// The accumulator's issue path never stalls, so an issued bucket index moves
// one stage per cycle and leaves the set exactly Depth cycles after its issue:
// the set is the contents of a Depth-stage shift register of (valid, tag).
// This is the bit vector "set at issue, cleared at write-back" in another
// form: a 2^BucketBits-bit vector with its set, clear and read logic costs
// about 2^BucketBits flip-flops and LUTs (65 k each at 16 bucket bits), the
// shift register Depth·(TagWidth + 1) flip-flops (about 2.2 k) and
// NumQueries TagWidth-bit comparators per stage, independent of the bucket
// count.
//
// Queries look one cycle ahead, so that the accumulator can register their
// answers: hit_o[k] says that query k matches a tag that will still be in the
// set in the next cycle (stages 0 .. Depth − 2 now, 1 .. Depth − 1 then).
// The accumulator adds the one tag that enters in the next cycle, its own
// issue register, by a single comparison.
//
// Latency: a tag pushed at cycle c is in the set at cycles c + 1 .. c + Depth
// (stage i at cycle c + 1 + i). Throughput: one push and NumQueries queries
// per cycle; a query is Depth − 1 comparators and an OR over them.
module msm_inflight_tracker #(
  parameter int unsigned TagWidth = 12,
  parameter int unsigned Depth = 164,
  parameter int unsigned NumQueries = 5
) (
  input  logic                             clk_i,
  input  logic                             rst_ni,
  input  logic                             push_valid_i,
  input  logic [TagWidth-1:0]              push_tag_i,
  // Query k is query_i[k·TagWidth +: TagWidth] (flat: yosys 0.23 does not
  // parse packed arrays of more than one dimension).
  input  logic [NumQueries*TagWidth-1:0]   query_i,
  output logic [NumQueries-1:0]            hit_o,
  output logic                             empty_o,
  // The oldest stage: the tag whose write-back happens in the next cycle.
  output logic                             oldest_valid_o,
  output logic [TagWidth-1:0]              oldest_tag_o
);

  // Stage i: valid_q[i], tags_q[i·TagWidth +: TagWidth]; the oldest is the top.
  logic [Depth-1:0] valid_q;
  logic [Depth*TagWidth-1:0] tags_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_q <= '0;
    else valid_q <= Depth'({valid_q, push_valid_i});
  end
  // Tags need no reset: they count only under their valid bit.
  always_ff @(posedge clk_i) begin
    tags_q <= (Depth*TagWidth)'({tags_q, push_tag_i});
  end

  always_comb begin
    for (int unsigned k = 0; k < NumQueries; k++) begin
      hit_o[k] = 1'b0;
      for (int unsigned i = 0; i + 1 < Depth; i++)
        hit_o[k] = hit_o[k] | (valid_q[i] && (tags_q[i*TagWidth +: TagWidth] == query_i[k*TagWidth +: TagWidth]));
    end
  end
  assign empty_o = ~|valid_q;
  assign oldest_valid_o = valid_q[Depth-1];
  assign oldest_tag_o = tags_q[(Depth-1)*TagWidth +: TagWidth];

endmodule
