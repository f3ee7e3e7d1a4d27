#include "zkacc/zkml/poseidon_gadget.hpp"

#include <string>

#include "zkacc/common/error.hpp"
#include "zkacc/prover/poseidon.hpp"

namespace zkacc::zkml {
namespace {

// x⁵ as three constraints (see the header), or a constant if x reads no wire.
FieldLc sbox(FieldR1cs& cs, PoseidonGadget& g, const FieldLc& x) {
  if (x.is_constant()) {
    const Fr c = x.constant_term();
    return FieldLc::constant(c * c.square().square());
  }
  const std::uint32_t w = cs.add_wires(3);
  const FieldLc x2 = FieldLc::wire(w), x4 = FieldLc::wire(w + 1), x5 = FieldLc::wire(w + 2);
  cs.constrain(x, x, x2);
  cs.constrain(x2, x2, x4);
  cs.constrain(x4, x, x5);
  g.sboxes.push_back({x, w});
  return x5;
}

}  // namespace

PoseidonGadget poseidon_gadget(FieldR1cs& cs, std::span<const FieldLc> inputs) {
  if (inputs.empty() || inputs.size() > std::size_t{prover::kPoseidonMaxInputs})
    throw Error("Poseidon gadget: " + std::to_string(inputs.size()) + " inputs; circomlib's Poseidon hashes 1 to " +
                std::to_string(prover::kPoseidonMaxInputs));
  // Checked here rather than by the constraints: a wire numbered past the
  // circuit's end could be one this gadget is about to add.
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto terms = inputs[i].terms();
    if (!terms.empty() && terms.back().wire >= cs.n_wires())
      throw Error("Poseidon gadget: input " + std::to_string(i) + " reads wire " + std::to_string(terms.back().wire) +
                  ", which does not exist (the circuit has " + std::to_string(cs.n_wires()) + " wires)");
  }
  const std::size_t t = inputs.size() + 1;
  const prover::PoseidonParams& p = prover::poseidon_params(static_cast<int>(t));

  PoseidonGadget g;
  g.first_aux = cs.n_wires();
  std::vector<FieldLc> state(1);  // the capacity element starts at 0
  state.insert(state.end(), inputs.begin(), inputs.end());
  const Fr* c = p.round_constants.data();
  for (int r = 0; r < p.full_rounds + p.partial_rounds; ++r) {
    for (FieldLc& s : state) s.add_constant(*c++);
    const std::size_t n_sboxes = p.is_full_round(r) ? t : 1;
    for (std::size_t i = 0; i < n_sboxes; ++i) state[i] = sbox(cs, g, state[i]);
    std::vector<FieldLc> mixed(t);
    for (std::size_t i = 0; i < t; ++i)
      for (std::size_t j = 0; j < t; ++j) mixed[i].add_scaled(state[j], p.mds[i][j]);
    state = std::move(mixed);
  }
  g.n_aux = cs.n_wires() - g.first_aux;
  g.result = std::move(state[0]);
  g.output = cs.add_wires(1);
  cs.constrain_equal(g.result, FieldLc::wire(g.output));
  return g;
}

void assign_poseidon(const PoseidonGadget& g, std::span<Fr> w) {
  if (w.size() <= g.output) throw Error("internal: assignment has no wire " + std::to_string(g.output));
  for (const PoseidonGadget::Sbox& s : g.sboxes) {
    const Fr x = s.input.evaluate(w);
    w[s.first] = x.square();
    w[s.first + 1] = w[s.first].square();
    w[s.first + 2] = w[s.first + 1] * x;
  }
  w[g.output] = g.result.evaluate(w);
}

}  // namespace zkacc::zkml
