// The R1CS of a quantized model and the witness of one inference.
//
// Wires: 0 is the constant 1; then the public outputs (circom's "public
// outputs") and the public inputs, which by default are the model's output
// and input values, so the verifier sees which input produced which output
// (docs/zkml.md); with another visibility (settings.hpp) a side's public
// wires are its packed elements or its Poseidon commitment and its values
// follow as private wires (zkml/commitment.hpp). Then everything the gadgets
// allocate, and last the field-coefficient wires of packing and hashing.
//
// Per layer (gadgets.hpp; B the output bits, s the rescale shift):
//   input          a range check per value: B bits, B − 1 if the input is ≥ 0 (the circuit relies on bounded inputs)
//   Dense/Conv     per output: the dot product with constant weights inside the
//                  rescale's linear constraint (no constraint of its own), then
//                  rescale [+ Relu]: s + B + 2 constraints
//   Add            per output: rescale of the aligned sum: s + B + 2
//   Relu           per value: sign decomposition and product, B + 2 (none if the input is already ≥ 0)
//   MaxPool        per output: (window − 1) comparisons of W + 2, W = B (+1 if the input can be negative)
//   Conv+MaxPool   fused when the Conv's output feeds only the pool: the comparisons run on
//                  the accumulators (W = s + B + 1) and only each window's maximum is
//                  rescaled [+ Relu]: (window − 1)·(s + B + 3) + s + B + 2 per pooled output
//   AvgPool        per output: rescale of the window sum by its size
//   Reshape        nothing: the same wires
//   Select         nothing for values taken at their own scale (Transpose, Slice, Gather, Concat...);
//                  a rescale (s + B + 2) for a Concat input finer than the output
//   Sigmoid/Tanh   per value: the piecewise quadratic of ops/smooth_activation.hpp; the
//                  input's bits come from the producer's rescale when it has them
//   Mul            per output: the rescale, whose constraint takes the product (s + B + 2)
//   MatMul         per output: K − 1 products and the rescale (K − 1 + s + B + 2)
//   ReduceSum      per output: the rescale of the sum (s + B + 2)
//   ReduceMean     per output: the rescale of the sum by n, as AvgPool
//   ReduceMax      per output: n − 1 comparisons, as MaxPool
//   Clip, LeakyRelu, Max, Min: ops/piecewise_linear.hpp
//   Softmax        per row: ops/softmax.hpp
//   LayerNorm      per row: ops/layer_norm.hpp
//   Embedding      per id: a one-hot vector over the table's V rows, V + 2 + D (ops/embedding.hpp)
//   Div, Reciprocal, Sqrt: per value one division or square root (ops/division.hpp)
//   outputs        one equality per output, tying the last layer to the output wires;
//                  packed or hashed: a range check per value the last layer did not bound
//   exposure       packed: one equality per element; hashed: the Poseidon chain, ~610
//                  constraints per 16 elements, and one equality (commitment.hpp)
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/zkml/commitment.hpp"
#include "zkacc/zkml/field_r1cs.hpp"
#include "zkacc/zkml/gadgets.hpp"
#include "zkacc/zkml/ops/embedding.hpp"
#include "zkacc/zkml/ops/piecewise_linear.hpp"
#include "zkacc/zkml/ops/smooth_activation.hpp"
#include "zkacc/zkml/ops/softmax.hpp"
#include "zkacc/zkml/qeval.hpp"
#include "zkacc/zkml/quantize.hpp"
#include "zkacc/zkml/r1cs_builder.hpp"
#include "zkacc/zkml/settings.hpp"

namespace zkacc::zkml {

class ModelCircuit {
 public:
  explicit ModelCircuit(QuantizedModel model);

  const QuantizedModel& model() const { return model_; }
  const R1csBuilder& builder() const { return cs_; }
  std::uint32_t n_outputs() const { return n_out_; }
  std::uint32_t n_inputs() const { return n_in_; }
  // Constraints, wires and the cost of each layer (settings.json "circuit").
  const CircuitSummary& summary() const { return summary_; }

  // Public wires: per visibility, the values, packed elements or 1.
  std::uint32_t n_public_outputs() const { return n_pub_out_; }
  std::uint32_t n_public_inputs() const { return n_pub_in_; }
  static std::uint64_t public_count(Visibility v, std::uint64_t n_values, int bits);

  prover::R1cs r1cs() const;
  // The integer wires' values for one run of the quantized model (every
  // wire but the packing and hashing ones, and public wires that stand for
  // packed elements or a commitment, which hold 0). The assignment is
  // checked against the integer constraints before it is returned (a
  // failure is a bug, reported as an internal error).
  std::vector<std::int64_t> assign(const QuantizedRun& run) const;
  // The whole witness: assign() with the packed elements, commitments and
  // their gadgets' wires, checked against every constraint.
  prover::Witness witness(const QuantizedRun& run) const;
  // assign()'s values as a witness, for circuits whose sides are both public.
  static prover::Witness to_witness(std::span<const std::int64_t> wires);

  // Where each layer's gadgets put their wires (tests tamper with them).
  struct LayerGadgets {
    std::vector<Rescale> rescales;         // per output value (Dense, Conv, Add, Scale, Relu, AvgPool, Mul, MatMul, ReduceSum/Mean)
    std::vector<Max2> maxes;               // MaxPool, ReduceMax, Max, Min: the comparisons of every output, in order
    std::vector<std::uint32_t> max_begin;  // MaxPool, ReduceMax: per output, index of its first comparison (+ end)
    std::vector<SmoothGadget> smooths;     // Sigmoid, Tanh: per value
    std::vector<std::uint32_t> products;   // MatMul: per output, the wires of its first K − 1 products
    std::vector<ClipGadget> clips;         // Clip: per value
    std::vector<LeakyReluGadget> leaky;    // LeakyRelu: per value (none when the input is ≥ 0)
    std::vector<SoftmaxRowGadget> softmax_rows;  // Softmax: per row
    std::vector<LayerNormRowGadget> layer_norm_rows;  // LayerNorm: per row
    std::vector<EmbeddingGadget> lookups;  // Embedding: per id
    std::vector<Divide> divisions;         // Div, Reciprocal: per value
    std::vector<Isqrt> roots;              // Sqrt: per value
    std::vector<std::int32_t> select_rescale;  // Select: per output, its rescale in `rescales`, or -1 (the input's wire)
    std::uint32_t select_constants = 0;    // Select: the first of its constants' wires
    bool fused_max_pool = false;           // Conv whose MaxPool is built with it (maxes and rescales per pooled output)
    bool fused_into_previous = false;      // MaxPool built by the Conv before it
  };
  const LayerGadgets& layer_gadgets(std::size_t layer) const { return layers_[layer]; }
  const std::vector<std::uint32_t>& tensor_wires(int tensor) const { return wires_[static_cast<std::size_t>(tensor)]; }
  // A side that is not public: its packed elements and, hashed, the commitment's gadgets.
  struct Exposed {
    std::vector<FieldLc> packed;
    std::optional<CommitmentGadget> commitment;
  };
  const Exposed& exposed_output() const { return exposed_out_; }
  const Exposed& exposed_input() const { return exposed_in_; }
  const FieldR1cs& field_constraints() const { return field_; }
  std::uint32_t output_value_wire(std::uint32_t i) const { return out_first_ + i; }
  std::uint32_t input_value_wire(std::uint32_t i) const { return in_first_ + i; }

 private:
  std::vector<Lc> accumulators(const QLayer& l) const;  // Dense, Conv, Add: per output, times 2^-shift if shift < 0
  bool fuses_with_next_max_pool(std::size_t layer) const;
  void build_fused_max_pool(const QLayer& conv, const QLayer& pool, LayerGadgets& g);
  void build_layer(const QLayer& l, LayerGadgets& g);
  // The bits of value e + 2^(B−1) of tensor t when the rescale that wrote it
  // has them (Dense/Conv/Add without Relu, AvgPool).
  std::optional<Bits> value_bits(int tensor, std::size_t e) const;
  // Select: the input (index into l.inputs; inputs.size(): the constants) and position that output e takes.
  std::pair<std::size_t, std::size_t> select_source(const QLayer& l, std::size_t e) const;
  void assign_layer(const QLayer& l, const LayerGadgets& g, const QuantizedRun& run, std::span<std::int64_t> w) const;

  QuantizedModel model_;
  R1csBuilder cs_;
  FieldR1cs field_{1};  // built after cs_: its wires follow cs_'s
  std::uint32_t n_out_ = 0, n_in_ = 0;          // values
  std::uint32_t n_pub_out_ = 0, n_pub_in_ = 0;  // public wires
  std::uint32_t out_first_ = 0, in_first_ = 0;  // the first value wire of each side
  std::vector<std::pair<std::uint32_t, Bits>> output_checks_;  // (output index, its range check) when not public
  Exposed exposed_out_, exposed_in_;
  std::vector<std::vector<std::uint32_t>> wires_;  // per tensor id, row-major
  std::vector<Bits> input_checks_;
  std::vector<LayerGadgets> layers_;
  std::vector<int> producer_;  // tensor id -> layer index, -1 for the input
  CircuitSummary summary_;
};

}  // namespace zkacc::zkml
