// kernel_reset_pipe: the kernel's reset, ap_rst_n registered Stages times
// before it reaches any block. Vitis drives ap_rst_n as a synchronous reset
// in the ap_clk domain and asks RTL kernels to pipeline it internally to
// improve timing (UG1393, "Kernel Interface Requirements", ap_rst_n); every
// block of the kernel resets synchronously from rst_no, so the reset's
// fan-out to some 10^5 flip-flops starts from registers the placer can
// replicate (the max_fanout attribute: Vivado, UG901) rather than from the
// port.
//
// Latency: rst_no follows rst_ni Stages cycles later (a reset held for N
// cycles resets the blocks for N cycles, Stages later). The pipeline's own
// registers have no reset: they are the reset.
module kernel_reset_pipe #(
  parameter int unsigned Stages = 2
) (
  input  logic clk_i,
  input  logic rst_ni,
  output logic rst_no
);

  (* max_fanout = 64 *) logic [Stages-1:0] pipe_q;
  always_ff @(posedge clk_i) pipe_q <= Stages'({pipe_q, rst_ni});
  assign rst_no = pipe_q[Stages-1];

endmodule
