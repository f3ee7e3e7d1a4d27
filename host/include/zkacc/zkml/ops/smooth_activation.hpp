// Sigmoid, Tanh, Erf and GELU: everything these ONNX ops mean in zkacc, in
// one place: the float reference, the integer semantics that the evaluator,
// the circuit and the tests share, and the R1CS gadget. (The importer maps
// the ONNX nodes onto LayerKind::Sigmoid/Tanh/Erf/Gelu/GeluTanh, the
// rewrite passes fuse PyTorch's decomposed GELU into one; the quantizer
// calls make_smooth_table.)
//
// Integer semantics. The input x is an integer of B bits at scale 2^-f; the
// output an integer of B_out bits at scale 2^-g (Sigmoid, Tanh, Erf:
// g = B_out - 2, so that 1.0 fits; GELU: g = f, B_out = B). Each function
// is approximated on |x| only, through a function G of v = |x| ≥ 0:
//
//   s = [x ≥ 0],  a = s ? x : −x − 1          (one's complement: |x| = a + 1 − s)
//   a ≥ 2^L (beyond the window):  inner = G(∞)·2^g
//   else  seg = a[L−1 : m] (k bits),  t = a[m−1 : 0] + 1 − s ∈ [0, 2^m]   (m = L − k)
//         inner = rescale(A_seg + B_seg·t + C_seg·t², 2^S)   (integer coefficients at scale 2^S)
//   Sigmoid:     G = σ,                y = s ? inner : 2^g − inner       (σ(−v) = 1 − σ(v))
//   Tanh, Erf:   G = tanh, erf,        y = s ? inner : −inner            (odd)
//   GELU:        G(v) = v − GELU(v),   y = s·x − inner                   (GELU(x) = relu(x) − G(|x|);
//                                                                          G is even, → 0 at ∞)
//   ExpNeg:      G(v) = e^−v,          y = inner                         (even, → 0 at ∞)
//
// Exp (the ONNX op) is e^M·e^(x − M): M the largest input the calibration
// allows (ln of the calibrated output range, headroom included), the table
// ExpNeg of d = x − M ≤ 0 (B + 1 input bits), one product s·d = 0 on d's
// sign bit forbidding d > 0 (an input beyond the calibrated range is an
// error, never e^−|d|), and a rescale of the table's value times e^M (a
// constant at its own weight frac) to the output's calibrated scale.
// GELU is x·Φ(x) (ONNX Gelu, approximate "none"; PyTorch's Erf form) or
// the tanh approximation x/2·(1 + tanh(√(2/π)(x + 0.044715x³))) (GeluTanh).
//
// Each segment's quadratic is fitted to
// G·2^(g+S) on the segment's integer points t = 0 … 2^m (both ends: the
// negative side reaches t = 2^m). The window 2^L is the smallest power of two
// beyond which every input has G within half an output step of G(∞); k and
// S are the cheapest choice whose worst-case error, computed over *every*
// input integer, is at most one output step 2^-g (docs/zkml.md lists them).
//
// Gadget, per value (B input bits, k segment bits, S, B_out):
//   bits of x + 2^(B−1)                       B + 1   (none when the producer's rescale has them)
//   a's bits m … B−2: s·x_i                   k + h   (h = B − 1 − L bits above the window)
//   t (one's complement select)               1       (m ≥ 1)
//   window: z = Π (1 − a_i) over the h bits   h − 1
//   segment monomials (multilinear in a's k bits)  2^k − k − 1
//   t², B·t, C·t²                             ≤ 3
//   rescale of the polynomial to B_out bits   S + B_out + 2
//   saturate, sign                            2 (1 without a window)
// (GELU's sign step is x·s = y + inner: the same one constraint.)
// Soundness: every selector is a product of booleans from the decomposition
// (so every wire has exactly one value, and all are integers); the
// polynomial's coefficients are multilinear in
// booleans and so equal the table entry of the segment the bits name; the
// rescale proves the rounding. No decomposition is wider than B_out + S ≤ 126.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "zkacc/zkml/gadgets.hpp"
#include "zkacc/zkml/graph.hpp"
#include "zkacc/zkml/r1cs_builder.hpp"

namespace zkacc::zkml {

enum class SmoothFn { Sigmoid, Tanh, Erf, Gelu, GeluTanh, ExpNeg };
const char* smooth_fn_name(SmoothFn fn);

// The float reference: 1/(1 + e^−x), tanh(x), erf(x), x·Φ(x) or its tanh
// form, e^−|x| (Softmax's exponential of x − max ≤ 0, ops/softmax.hpp).
double smooth_float(SmoothFn fn, double x);
// The function of a Sigmoid, Tanh, Erf, Gelu or GeluTanh layer; false for other kinds.
bool smooth_fn_of(LayerKind kind, SmoothFn& fn);
// GELU's output keeps its input's scale; the others map into [−1, 1].
constexpr bool smooth_keeps_scale(SmoothFn fn) { return fn == SmoothFn::Gelu || fn == SmoothFn::GeluTanh; }

// Input widths the table is built and checked for exhaustively.
inline constexpr int kMaxSmoothInputBits = 20;

struct SmoothTable {
  SmoothFn fn = SmoothFn::Sigmoid;
  int in_frac = 0, in_bits = 0, out_frac = 0, out_bits = 0;
  int window_bits = 0;   // L: |x| < 2^L is approximated; L = in_bits − 1 covers every input
  int segment_bits = 0;  // k: 2^k segments of 2^m integers, m = L − k
  int poly_shift = 0;    // S: the polynomial's scale
  std::vector<Int> a, b, c;  // per segment
  double max_error = 0;  // worst |y·2^−g − F(x·2^−f)| over every input integer
  int constraints = 0;   // per value, with the input's bits supplied (add B + 1 otherwise)

  int m() const { return window_bits - segment_bits; }
  bool has_window() const { return window_bits < in_bits - 1; }
};

// Throws zkacc::Error for widths the gadget does not take (in_bits above
// kMaxSmoothInputBits; out_frac > out_bits − 2, or for GELU another scale
// than the input's).
SmoothTable make_smooth_table(SmoothFn fn, int in_frac, int in_bits, int out_frac, int out_bits);
// The integer semantics above; x must lie in the table's B-bit range.
std::int64_t smooth_eval(const SmoothTable& t, std::int64_t x);

struct SmoothGadget {
  Bits x_bits;                 // x + 2^(B−1), B bits (own or the producer's)
  bool own_bits = false;       // x_bits were made here (and are assigned here)
  std::vector<std::uint32_t> sx;    // s·x_i for the bits of a from m up (segment, then above the window)
  std::uint32_t t_sel = 0;     // t before + 1 − s (m ≥ 1)
  std::vector<std::uint32_t> window_chain;  // Π (1 − a_i) over the bits above the window, from the second on
  std::vector<std::uint32_t> monomials;  // products of ≥ 2 segment bits, by subset mask
  std::uint32_t t2 = 0, bt = 0, ct = 0;  // 0 when folded into a linear term
  Rescale poly;                // the polynomial rescaled to B_out bits
  std::uint32_t saturated = 0; // window only: in_window·(q − 2^g)
  std::uint32_t out = 0;
};

// `x_bits`: the bits of x + 2^(B−1) when a gadget already made them (B bits),
// or nullptr to decompose x here.
SmoothGadget smooth_activation(R1csBuilder& cs, const Lc& x, const SmoothTable& t, const Bits* x_bits);
// Fills the gadget's wires (and x's bits when it made them); returns the output.
std::int64_t assign_smooth(const SmoothGadget& g, const SmoothTable& t, std::int64_t x, std::span<std::int64_t> w);

}  // namespace zkacc::zkml
