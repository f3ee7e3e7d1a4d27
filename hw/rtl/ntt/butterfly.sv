// butterfly: radix-2 NTT butterfly over Fr (Modulus), values and twiddle in
// Montgomery form (R = 2^Width), one butterfly accepted per cycle.
//
//   Form = FormCooleyTukey   (decimation in time):      x = a + w·b,  y = a − w·b
//   Form = FormGentlemanSande (decimation in frequency): x = a + b,    y = (a − b)·w
//
// Latency: Latency = Lm + 3 cycles in both forms, Lm = mont_mul latency
// (27 for BN254 Fr with the default tiles, so Latency = 30).
// Throughput: one butterfly per cycle.
//
// | form | stages 1..Lm                    | stages Lm+1..Lm+3            |
// |------|---------------------------------|------------------------------|
// | CT   | t = w·b (mont_mul), a delayed   | x = a + t, y = a − t         |
// |      |                                 | (mod_add, mod_sub)           |
//
// | form | stages 1..3                     | stages 4..Lm+3               |
// |------|---------------------------------|------------------------------|
// | GS   | s = a + b, d = a − b, w delayed | y = d·w (mont_mul), s delayed |
//
// Assertions (simulation): the cores below check that a, b and w are reduced.
module butterfly #(
  parameter int unsigned Width = 256,
  parameter logic [Width-1:0] Modulus = zkacc_arith_pkg::Bn254R,
  parameter int unsigned Form = zkacc_arith_pkg::FormCooleyTukey,
  parameter int unsigned TagWidth = 1
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                en_i,      // pipeline advances (0: hold, a stall)
  input  logic                valid_i,
  input  logic [TagWidth-1:0] tag_i,
  input  logic [Width-1:0]    a_i,
  input  logic [Width-1:0]    b_i,
  input  logic [Width-1:0]    w_i,
  output logic                valid_o,
  output logic [TagWidth-1:0] tag_o,
  output logic [Width-1:0]    x_o,
  output logic [Width-1:0]    y_o
);

  localparam int unsigned AddLatency = zkacc_arith_pkg::ModAddLatency;
  // mont_mul below runs with its default tiles (26×17) and 3 levels per stage.
  localparam int unsigned MulLatency = zkacc_arith_pkg::mont_mul_latency(Width, 256'(Modulus), 26, 17, 3, 1'b0);

  if (Form == zkacc_arith_pkg::FormCooleyTukey) begin : gen_ct
    logic                valid_t;
    logic [TagWidth-1:0] tag_t;
    logic [Width-1:0]    t, a_d;
    // mod_sub repeats mod_add's valid and tag; they are compared in simulation.
    logic                valid_2;
    logic [TagWidth-1:0] tag_2;
    mont_mul #(.Width(Width), .Modulus(Modulus), .TagWidth(TagWidth)) u_mul (
      .clk_i, .rst_ni, .en_i, .valid_i, .tag_i, .a_i(w_i), .b_i,
      .valid_o(valid_t), .tag_o(tag_t), .c_o(t)
    );
    pipe_delay #(.Width(Width), .Depth(MulLatency)) u_a_delay (
      .clk_i, .en_i, .d_i(a_i), .q_o(a_d)
    );
    mod_add #(.Width(Width), .Modulus(Modulus), .TagWidth(TagWidth)) u_add (
      .clk_i, .rst_ni, .en_i, .valid_i(valid_t), .tag_i(tag_t), .a_i(a_d), .b_i(t),
      .valid_o, .tag_o, .c_o(x_o)
    );
    mod_sub #(.Width(Width), .Modulus(Modulus), .TagWidth(TagWidth)) u_sub (
      .clk_i, .rst_ni, .en_i, .valid_i(valid_t), .tag_i(tag_t), .a_i(a_d), .b_i(t),
      .valid_o(valid_2), .tag_o(tag_2), .c_o(y_o)
    );
`ifndef SYNTHESIS
    always_ff @(posedge clk_i) begin
      if (rst_ni) begin
        assert (valid_2 == valid_o && (!valid_o || tag_2 == tag_o))
          else $error("butterfly: the add and subtract halves lost alignment");
      end
    end
`endif
  end else begin : gen_gs
    logic                valid_d;
    logic [TagWidth-1:0] tag_d;
    logic [Width-1:0]    s, d, w_d;
    // The sum's valid and tag equal the difference's, which travel on through
    // the multiplier; the sum only needs its data delayed.
    logic                valid_2;
    logic [TagWidth-1:0] tag_2;
    logic                unused_valid_2;
    assign unused_valid_2 = valid_2 ^ (^tag_2);
    mod_add #(.Width(Width), .Modulus(Modulus), .TagWidth(TagWidth)) u_add (
      .clk_i, .rst_ni, .en_i, .valid_i, .tag_i, .a_i, .b_i,
      .valid_o(valid_2), .tag_o(tag_2), .c_o(s)
    );
    mod_sub #(.Width(Width), .Modulus(Modulus), .TagWidth(TagWidth)) u_sub (
      .clk_i, .rst_ni, .en_i, .valid_i, .tag_i, .a_i, .b_i,
      .valid_o(valid_d), .tag_o(tag_d), .c_o(d)
    );
    pipe_delay #(.Width(Width), .Depth(AddLatency)) u_w_delay (
      .clk_i, .en_i, .d_i(w_i), .q_o(w_d)
    );
    mont_mul #(.Width(Width), .Modulus(Modulus), .TagWidth(TagWidth)) u_mul (
      .clk_i, .rst_ni, .en_i, .valid_i(valid_d), .tag_i(tag_d), .a_i(d), .b_i(w_d),
      .valid_o, .tag_o, .c_o(y_o)
    );
    pipe_delay #(.Width(Width), .Depth(MulLatency)) u_s_delay (
      .clk_i, .en_i, .d_i(s), .q_o(x_o)
    );
  end

endmodule
