// msm_point_join: joins the MSM kernel's two point streams, x coordinates
// and y coordinates, into one point a cycle ({y, x}, as a point beat of the
// one-stream layout).
//
// Why: one 64-byte point a cycle at 300 MHz is 19.2 GB/s, a whole DDR4-2400
// bank's pins; with x and y in buffers of their own, on two banks, each
// bank gives half a beat a cycle. Beat j of the x stream holds the x of
// points 2j (bits 255:0) and 2j + 1 (511:256), likewise the y stream.
//
// Latency 0 (the output is a mux of the two streams' output registers);
// throughput one point a cycle, each stream popped every second point. The
// pair of beats is popped with the second point of the pair, or with the
// run's last point (an odd num_points leaves the upper halves unused), so
// each stream gives exactly ceil(num_points / 2) beats a run.
//
// num_points_i is sampled at start_i, which must come while no run's point
// is left (the kernel starts only when idle).
module msm_point_join (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         start_i,
  input  logic [31:0]  num_points_i,
  // x and y beats in.
  input  logic         x_valid_i,
  output logic         x_ready_o,
  input  logic [511:0] x_data_i,
  input  logic         y_valid_i,
  output logic         y_ready_o,
  input  logic [511:0] y_data_i,
  // Points out: x in 255:0, y in 511:256.
  output logic         out_valid_o,
  input  logic         out_ready_i,
  output logic [511:0] out_data_o
);

  logic upper_q;          // the next point is the pair's second
  logic [31:0] left_q;    // points of the run still to hand out

  logic fire, pop;
  assign out_valid_o = x_valid_i && y_valid_i && left_q != '0;
  assign out_data_o = upper_q ? {y_data_i[511:256], x_data_i[511:256]} : {y_data_i[255:0], x_data_i[255:0]};
  assign fire = out_valid_o && out_ready_i;
  assign pop = fire && (upper_q || left_q == 32'd1);
  assign x_ready_o = pop;
  assign y_ready_o = pop;

  always_ff @(posedge clk_i) begin
    if (!rst_ni) begin
      upper_q <= 1'b0;
      left_q <= '0;
    end else if (start_i) begin
      upper_q <= 1'b0;
      left_q <= num_points_i;
    end else if (fire) begin
      upper_q <= !pop;
      left_q <= left_q - 32'd1;
    end
  end

`ifndef SYNTHESIS
  always_ff @(posedge clk_i) begin
    if (rst_ni) begin
      assert (!start_i || left_q == '0) else $error("msm_point_join: start with %0d points of a run left", left_q);
    end
  end
`endif

endmodule
