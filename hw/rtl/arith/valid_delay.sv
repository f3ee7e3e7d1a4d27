// valid_delay: delays a valid bit (reset to 0) and its side-band tag by Depth
// enabled clock cycles. Companion of pipe_delay for the control path.
//
// Latency: Depth cycles (Depth >= 1). Throughput: one value per cycle.
module valid_delay #(
  parameter int unsigned TagWidth = 1,
  parameter int unsigned Depth = 1
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                en_i,
  input  logic                valid_i,
  input  logic [TagWidth-1:0] tag_i,
  output logic                valid_o,
  output logic [TagWidth-1:0] tag_o
);

  logic [Depth-1:0] valid_q;
  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else if (en_i) begin
      valid_q <= Depth'({valid_q, valid_i});
    end
  end
  assign valid_o = valid_q[Depth-1];

  pipe_delay #(.Width(TagWidth), .Depth(Depth)) u_tag (
    .clk_i, .en_i, .d_i(tag_i), .q_o(tag_o)
  );

endmodule
