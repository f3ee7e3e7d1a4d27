#include "zkacc/prover/poseidon.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "zkacc/common/error.hpp"

namespace zkacc::prover {
namespace {

Fr pow5(const Fr& x) { return x * x.square().square(); }

}  // namespace

void poseidon_permute(std::span<Fr> state) {
  if (state.size() < std::size_t{kPoseidonMinWidth} || state.size() > std::size_t{kPoseidonMaxWidth})
    throw Error("Poseidon: state width t = " + std::to_string(state.size()) + "; the permutation takes t = " +
                std::to_string(kPoseidonMinWidth) + ".." + std::to_string(kPoseidonMaxWidth));
  const PoseidonParams& p = poseidon_params(static_cast<int>(state.size()));
  const std::size_t t = state.size();
  const Fr* c = p.round_constants.data();
  std::array<Fr, kPoseidonMaxWidth> mixed;
  for (int r = 0; r < p.full_rounds + p.partial_rounds; ++r) {
    for (Fr& s : state) s += *c++;
    if (p.is_full_round(r))
      for (Fr& s : state) s = pow5(s);
    else
      state[0] = pow5(state[0]);
    for (std::size_t i = 0; i < t; ++i) {
      Fr acc;
      for (std::size_t j = 0; j < t; ++j) acc += p.mds[i][j] * state[j];
      mixed[i] = acc;
    }
    std::copy_n(mixed.begin(), t, state.begin());
  }
}

Fr poseidon_hash(std::span<const Fr> inputs) {
  if (inputs.empty() || inputs.size() > std::size_t{kPoseidonMaxInputs})
    throw Error("Poseidon: " + std::to_string(inputs.size()) + " inputs; circomlib's Poseidon hashes 1 to " +
                std::to_string(kPoseidonMaxInputs));
  // The capacity element s_0 starts at 0 and is the output.
  std::array<Fr, kPoseidonMaxWidth> state{};
  std::copy(inputs.begin(), inputs.end(), state.begin() + 1);
  poseidon_permute(std::span<Fr>(state.data(), inputs.size() + 1));
  return state[0];
}

}  // namespace zkacc::prover
