// zkacc_arith_pkg: constants and elaboration-time helpers shared by the
// arithmetic cores (pipeline depths, Montgomery constants, curve moduli).
//
// Functions assign their result to the function name instead of `return`
// because yosys 0.23 does not parse `return <expr>` in constant functions.
package zkacc_arith_pkg;
  // Shared constants: every module uses only some of them.
  /* verilator lint_off UNUSEDPARAM */

  // BN254 base field q and scalar field r.
  localparam logic [255:0] Bn254Q =
      256'h30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47;
  localparam logic [255:0] Bn254R =
      256'h30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001;

  // Butterfly forms (ntt/butterfly.sv).
  localparam int unsigned FormCooleyTukey = 0;      // (a + w·b, a − w·b)
  localparam int unsigned FormGentlemanSande = 1;   // (a + b, (a − b)·w)

  // Latency of cpa_pipe (carry-select adder): chunk sums, then carry select.
  localparam int unsigned CpaLatency = 2;
  // Latency of mod_add / mod_sub: cpa_pipe, then the select register.
  localparam int unsigned ModAddLatency = CpaLatency + 1;
  // Pipeline registers of one tile product: operand register, product register
  // (DSP MREG), output register (DSP PREG).
  localparam int unsigned TileLatency = 3;
  // The point adder's eleven multipliers use karatsuba_mul_pipe for their full
  // products: the adder's DSP count decides how many adders fit a card
  // (docs/hw.md). The NTT butterfly has one multiplier and keeps mul_pipe.
  localparam bit MsmMulKaratsuba = 1'b1;
  /* verilator lint_on UNUSEDPARAM */

  // Number of addends left after `level` levels of 3:2 compression of n rows.
  function automatic int unsigned csa_count(input int unsigned n, input int unsigned level);
    int unsigned c;
    c = n;
    for (int unsigned k = 0; k < level; k++) c = 2 * (c / 3) + c % 3;
    csa_count = c;
  endfunction

  // Levels of 3:2 compression needed to bring n rows down to two.
  function automatic int unsigned csa_levels(input int unsigned n);
    int unsigned c;
    int unsigned l;
    c = n;
    l = 0;
    while (c > 2) begin
      c = 2 * (c / 3) + c % 3;
      l++;
    end
    csa_levels = l;
  endfunction

  function automatic int unsigned ceil_div(input int unsigned a, input int unsigned b);
    ceil_div = (a + b - 1) / b;
  endfunction

  // Latency of csa_tree: one register after every `per_stage` levels and after
  // the last level.
  function automatic int unsigned csa_latency(input int unsigned n, input int unsigned per_stage);
    csa_latency = ceil_div(csa_levels(n), per_stage);
  endfunction

  // Number of bits of v (position of the highest one plus one).
  function automatic int unsigned bit_length(input logic [255:0] v);
    int unsigned l;
    l = 0;
    for (int unsigned i = 0; i < 256; i++) if (v[i]) l = i + 1;
    bit_length = l;
  endfunction

  // -p^-1 mod 2^256 by Newton's iteration x <- x·(2 − p·x): p·p = 1 mod 8, so
  // x = p is right to 3 bits and seven steps give 3·2^7 >= 256 bits.
  function automatic logic [255:0] mont_neg_inv(input logic [255:0] p);
    logic [255:0] x;
    x = p;
    for (int unsigned i = 0; i < 7; i++) x = x * (256'd2 - p * x);
    mont_neg_inv = ~x + 256'd1;
  endfunction

  // R mod p for R = 2^256 (the Montgomery form of one), by 256 doublings.
  function automatic logic [255:0] mont_one(input logic [255:0] p);
    logic [256:0] r;
    r = 257'd1;
    for (int unsigned i = 0; i < 256; i++) begin
      r = r << 1;
      if (r >= {1'b0, p}) r = r - {1'b0, p};
    end
    mont_one = r[255:0];
  endfunction

  // --- mul_pipe layout ------------------------------------------------------
  // Tile (i, j) multiplies the i-th TileA-bit chunk of a by the j-th TileB-bit
  // chunk of b and lands at bit TileA·i + TileB·j. For a fixed j the tiles with
  // even i do not overlap (a product has TileA + TileB <= 2·TileA bits), nor do
  // those with odd i, so each (j, parity of i) is one addend row built by
  // wiring alone. A row is empty when its lowest tile lies above the product
  // width (truncated products such as the low half of a·b).
  function automatic bit mul_row_used(input int unsigned j, input int unsigned par,
                                      input int unsigned num_a, input int unsigned width_p,
                                      input int unsigned tile_a, input int unsigned tile_b);
    mul_row_used = (par < num_a) && (tile_a * par + tile_b * j < width_p);
  endfunction

  // Index of row (j, par) among the used rows, in order of j then parity.
  function automatic int unsigned mul_row_index(input int unsigned j, input int unsigned par,
                                                input int unsigned num_a, input int unsigned width_p,
                                                input int unsigned tile_a, input int unsigned tile_b);
    int unsigned r;
    r = 0;
    for (int unsigned jj = 0; jj <= j; jj++)
      for (int unsigned pp = 0; pp < 2; pp++)
        if ((jj < j || pp < par) && mul_row_used(jj, pp, num_a, width_p, tile_a, tile_b)) r++;
    mul_row_index = r;
  endfunction

  function automatic int unsigned mul_num_rows(input int unsigned width_a, input int unsigned width_b,
                                               input int unsigned width_p,
                                               input int unsigned tile_a, input int unsigned tile_b);
    int unsigned r;
    r = 0;
    for (int unsigned j = 0; j < ceil_div(width_b, tile_b); j++)
      for (int unsigned pp = 0; pp < 2; pp++)
        if (mul_row_used(j, pp, ceil_div(width_a, tile_a), width_p, tile_a, tile_b)) r++;
    mul_num_rows = r;
  endfunction

  // Number of tiles (DSP-sized partial products) of a mul_pipe.
  function automatic int unsigned mul_num_tiles(input int unsigned width_a, input int unsigned width_b,
                                                input int unsigned width_p,
                                                input int unsigned tile_a, input int unsigned tile_b);
    int unsigned t;
    t = 0;
    for (int unsigned i = 0; i < ceil_div(width_a, tile_a); i++)
      for (int unsigned j = 0; j < ceil_div(width_b, tile_b); j++)
        if (tile_a * i + tile_b * j < width_p) t++;
    mul_num_tiles = t;
  endfunction

  // Latency of mul_pipe: tile registers, the carry-save tree over the rows and
  // the addend, then the carry-select adder.
  function automatic int unsigned mul_latency(input int unsigned width_a, input int unsigned width_b,
                                              input int unsigned width_p,
                                              input int unsigned tile_a, input int unsigned tile_b,
                                              input int unsigned levels_per_stage);
    mul_latency = TileLatency
                + csa_latency(mul_num_rows(width_a, width_b, width_p, tile_a, tile_b) + 1,
                              levels_per_stage)
                + CpaLatency;
  endfunction

  // --- karatsuba_mul_pipe layout ------------------------------------------
  // Split point h: the low halves a0, b0 have h bits, the high ones the rest.
  function automatic int unsigned karatsuba_split(input int unsigned width_a, input int unsigned width_b);
    karatsuba_split = ceil_div((width_a > width_b) ? width_a : width_b, 2);
  endfunction

  // Latency of the slowest of the three half-size products (z0, z1, z2).
  function automatic int unsigned karatsuba_product_latency(input int unsigned width_a, input int unsigned width_b,
                                                            input int unsigned tile_a, input int unsigned tile_b,
                                                            input int unsigned levels_per_stage);
    int unsigned h;
    int unsigned l;
    h = karatsuba_split(width_a, width_b);
    l = mul_latency(h, h, 2 * h, tile_a, tile_b, levels_per_stage);
    if (mul_latency(h + 1, h + 1, 2 * h + 2, tile_a, tile_b, levels_per_stage) > l)
      l = mul_latency(h + 1, h + 1, 2 * h + 2, tile_a, tile_b, levels_per_stage);
    if (mul_latency(width_a - h, width_b - h, width_a + width_b - 2 * h, tile_a, tile_b, levels_per_stage) > l)
      l = mul_latency(width_a - h, width_b - h, width_a + width_b - 2 * h, tile_a, tile_b, levels_per_stage);
    karatsuba_product_latency = l;
  endfunction

  // Latency of karatsuba_mul_pipe: the half sums (carry-select adder), the
  // three products, the carry-save stage over six rows, the carry-select
  // adder. The product width does not enter: the final rows are WidthP wide
  // but one stage deep.
  function automatic int unsigned karatsuba_mul_latency(input int unsigned width_a, input int unsigned width_b,
                                                        input int unsigned tile_a, input int unsigned tile_b,
                                                        input int unsigned levels_per_stage);
    karatsuba_mul_latency = CpaLatency + karatsuba_product_latency(width_a, width_b, tile_a, tile_b, levels_per_stage)
                          + csa_latency(6, levels_per_stage) + CpaLatency;
  endfunction

  // Latency of mont_mul (see its header): T = a·b, m = T·(−p^-1) mod R,
  // T + m·p, then the conditional subtraction. With karatsuba the two full
  // products (T and m·p) are karatsuba_mul_pipe; m stays a truncated mul_pipe.
  function automatic int unsigned mont_mul_latency(input int unsigned width, input logic [255:0] modulus,
                                                   input int unsigned tile_a, input int unsigned tile_b,
                                                   input int unsigned levels_per_stage, input logic karatsuba);
    int unsigned p;
    p = bit_length(modulus);
    if (karatsuba)
      mont_mul_latency = karatsuba_mul_latency(p, p, tile_a, tile_b, levels_per_stage)
                       + mul_latency(width, width, width, tile_a, tile_b, levels_per_stage)
                       + karatsuba_mul_latency(width, p, tile_a, tile_b, levels_per_stage)
                       + CpaLatency + 1;
    else
      mont_mul_latency = mul_latency(p, p, 2 * p, tile_a, tile_b, levels_per_stage)
                       + mul_latency(width, width, width, tile_a, tile_b, levels_per_stage)
                       + mul_latency(width, p, width + p + 1, tile_a, tile_b, levels_per_stage)
                       + CpaLatency + 1;
  endfunction

endpackage
