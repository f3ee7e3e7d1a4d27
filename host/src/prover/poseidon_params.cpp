// circomlib's Poseidon parameters, generated as the Poseidon authors'
// reference script generate_parameters_grain.sage (hadeshash) generates them
// for `sage generate_parameters_grain.sage 1 0 254 t 8 R_P <r in hex>`, the
// command circomlib's constants came from:
//
//  * A Grain LFSR of 80 bits b_0..b_79, loaded most significant bit first
//    with: the field type 1 (prime field) in 2 bits, the S-box type 0 (x^α)
//    in 4, n = 254 (the bit length of r) in 12, t in 12, R_F in 10, R_P in
//    10, then 30 ones. A step appends b_62 ⊕ b_51 ⊕ b_38 ⊕ b_23 ⊕ b_13 ⊕ b_0
//    and drops b_0; the first 160 steps are thrown away.
//  * Self-shrinking: the steps are read in pairs (a, b); b is output when
//    a = 1 and dropped when a = 0.
//  * A candidate field element is the next 254 output bits, most
//    significant first.
//  * Round constants: (R_F + R_P)·t elements in order, each drawn again
//    while the candidate is ≥ r (rejection sampling).
//  * MDS: the next 2t candidates, reduced mod r (the script casts them into
//    the field rather than rejecting them; for t = 2 two of the four are
//    ≥ r, so the difference matters); x = the first t, y = the last t; all
//    2t are drawn again while two are equal or some x_i + y_j = 0; then
//    M[i][j] = 1/(x_i + y_j), a Cauchy matrix, MDS because the x and the y
//    are distinct.
//
// The script then checks the matrix for infinitely long subspace trails
// (its algorithms 1–3, eigenspaces of powers of M) and draws another on
// failure. circomlib's matrices are the first candidates for every
// t = 2..17 (the tests against circomlibjs confirm it for every width), so
// for these widths the checks change nothing and are not repeated here.
#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <utility>

#include "zkacc/common/error.hpp"
#include "zkacc/field/bigint.hpp"
#include "zkacc/prover/poseidon.hpp"

namespace zkacc::prover {
namespace {

constexpr int kFullRounds = 8;
// R_P for t = 2..17: the paper's round numbers for 128-bit security,
// rounded up to a multiple of t as circomlib did (circomlibjs's N_ROUNDS_P).
constexpr std::array<int, kPoseidonMaxWidth - kPoseidonMinWidth + 1> kPartialRounds = {
    56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68};

class GrainLfsr {
 public:
  GrainLfsr(int t, int full_rounds, int partial_rounds) {
    int pos = 0;
    auto load = [&](std::uint64_t value, int width) {
      for (int i = width - 1; i >= 0; --i) state_ |= static_cast<u128>((value >> i) & 1) << pos++;
    };
    load(1, 2);  // prime field
    load(0, 4);  // S-box x^α
    load(Fr::kBits, 12);
    load(static_cast<std::uint64_t>(t), 12);
    load(static_cast<std::uint64_t>(full_rounds), 10);
    load(static_cast<std::uint64_t>(partial_rounds), 10);
    load((std::uint64_t(1) << 30) - 1, 30);
    for (int i = 0; i < 160; ++i) step();
  }

  // A candidate element: Fr::kBits output bits, most significant first.
  BigInt<4> next_integer() {
    BigInt<4> v{};
    for (std::size_t i = Fr::kBits; i-- > 0;)
      if (next_bit()) v[i / 64] |= std::uint64_t(1) << (i % 64);
    return v;
  }

 private:
  bool next_bit() {
    for (;;) {
      const bool keep = step();
      const bool bit = step();
      if (keep) return bit;
    }
  }
  // b_i is bit i of state_.
  bool step() {
    const u128 s = state_;
    const bool bit = ((s >> 62) ^ (s >> 51) ^ (s >> 38) ^ (s >> 23) ^ (s >> 13) ^ s) & 1;
    state_ = (s >> 1) | (static_cast<u128>(bit) << 79);
    return bit;
  }

  u128 state_ = 0;
};

std::vector<Fr> round_constants(GrainLfsr& grain, int t, int rounds) {
  const auto count = static_cast<std::size_t>(t * rounds);
  std::vector<Fr> c;
  c.reserve(count);
  while (c.size() < count) {
    const BigInt<4> v = grain.next_integer();
    if (bigint::compare(v, Fr::kModulus) < 0) c.push_back(Fr::from_canonical_unchecked(v));
  }
  return c;
}

bool all_distinct(const std::vector<Fr>& v) {
  for (std::size_t i = 0; i < v.size(); ++i)
    for (std::size_t j = i + 1; j < v.size(); ++j)
      if (v[i] == v[j]) return false;
  return true;
}

std::vector<std::vector<Fr>> cauchy_mds(GrainLfsr& grain, int t) {
  const auto n = static_cast<std::size_t>(t);
  for (;;) {
    std::vector<Fr> xy(2 * n);
    for (Fr& e : xy) e = Fr::from_integer_reduce(grain.next_integer());
    if (!all_distinct(xy)) continue;
    std::vector<Fr> sums(n * n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) sums[i * n + j] = xy[i] + xy[n + j];
    if (std::any_of(sums.begin(), sums.end(), [](const Fr& s) { return s.is_zero(); })) continue;
    batch_inverse(std::span<Fr>(sums));
    std::vector<std::vector<Fr>> m(n);
    for (std::size_t i = 0; i < n; ++i)
      m[i].assign(sums.begin() + static_cast<std::ptrdiff_t>(i * n), sums.begin() + static_cast<std::ptrdiff_t>((i + 1) * n));
    return m;
  }
}

PoseidonParams generate(int t) {
  PoseidonParams p;
  p.t = t;
  p.full_rounds = kFullRounds;
  p.partial_rounds = kPartialRounds[static_cast<std::size_t>(t - kPoseidonMinWidth)];
  // One generator for both, in this order: the matrix takes the bits after the constants.
  GrainLfsr grain(t, p.full_rounds, p.partial_rounds);
  p.round_constants = round_constants(grain, t, p.full_rounds + p.partial_rounds);
  p.mds = cauchy_mds(grain, t);
  return p;
}

// One function-local static per width: generated on first use of that t
// only, and C++ makes the initialization thread-safe.
template <int T>
const PoseidonParams& params_of_width() {
  static const PoseidonParams p = generate(T);
  return p;
}

}  // namespace

const PoseidonParams& poseidon_params(int t) {
  using Getter = const PoseidonParams& (*)();
  static constexpr auto kGetters = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<Getter, sizeof...(I)>{&params_of_width<kPoseidonMinWidth + static_cast<int>(I)>...};
  }(std::make_index_sequence<kPartialRounds.size()>{});
  if (t < kPoseidonMinWidth || t > kPoseidonMaxWidth)
    throw Error("Poseidon: width t = " + std::to_string(t) + " has no parameters (circomlib's cover t = " +
                std::to_string(kPoseidonMinWidth) + ".." + std::to_string(kPoseidonMaxWidth) + ")");
  return kGetters[static_cast<std::size_t>(t - kPoseidonMinWidth)]();
}

}  // namespace zkacc::prover
