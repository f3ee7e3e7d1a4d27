// Poseidon against circomlibjs: its own test vectors, the shape of the
// generated parameters, and bad input. (The interop test
// interop_poseidon_circomlibjs compares random inputs of every arity with
// circomlibjs itself.)
#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <string_view>
#include <thread>
#include <vector>

#include "zkacc/common/error.hpp"
#include "zkacc/field/bigint.hpp"
#include "zkacc/prover/poseidon.hpp"

using namespace zkacc;
using namespace zkacc::prover;

namespace {

Fr hex(std::string_view s) {
  BigInt<4> v{};
  REQUIRE(bigint::parse_hex(s, v));
  return Fr::from_canonical(v);
}
Fr dec(std::string_view s) { return Fr::from_decimal(s); }
std::vector<Fr> small(std::initializer_list<std::uint64_t> v) {
  std::vector<Fr> out;
  for (std::uint64_t x : v) out.push_back(Fr::from_u64(x));
  return out;
}

// det(m) over Fr by Gaussian elimination.
Fr determinant(std::vector<std::vector<Fr>> m) {
  const std::size_t n = m.size();
  Fr det = Fr::one();
  for (std::size_t c = 0; c < n; ++c) {
    std::size_t p = c;
    while (p < n && m[p][c].is_zero()) ++p;
    if (p == n) return Fr::zero();
    if (p != c) {
      std::swap(m[p], m[c]);
      det = -det;
    }
    det *= m[c][c];
    const Fr inv = m[c][c].inverse();
    for (std::size_t r = c + 1; r < n; ++r) {
      const Fr f = m[r][c] * inv;
      for (std::size_t k = c; k < n; ++k) m[r][k] -= f * m[c][k];
    }
  }
  return det;
}

}  // namespace

// The vectors of iden3/circomlibjs, test/poseidon.js ("Poseidon test"),
// which its reference, optimized and wasm implementations all pass.
TEST_CASE("poseidon: circomlibjs's test vectors", "[prover][poseidon]") {
  CHECK(poseidon_hash(small({1, 2})) == hex("115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a"));
  CHECK(poseidon_hash(small({1, 2, 3, 4})) ==
        hex("299c867db6c1fdd79dcefa40e4510b9837e60ebb1ce0663dbaa525df65250465"));
  CHECK(poseidon_hash(small({1})) ==
        dec("18586133768512220936620570745912940619677854269274689475585506675881198879027"));
  CHECK(poseidon_hash(small({1, 2, 3, 4, 5, 6})) ==
        dec("20400040500897583745843009878988256314335038853985262692600694741116813247201"));
  CHECK(poseidon_hash(small({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})) ==
        dec("9989051620750914585850546081941653841776809718687451684622678807385399211877"));
  CHECK(poseidon_hash(small({1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0, 0})) ==
        dec("11882816200654282475720830292386643970958445617880627439994635298904836126497"));
}

// circomlibjs's poseidon(inputs, initState, nOut) is the permutation of
// (initState, inputs...) cut to its first nOut elements.
TEST_CASE("poseidon: the permutation matches circomlibjs's initState and nOut vectors", "[prover][poseidon]") {
  auto permute = [](std::uint64_t init, std::vector<Fr> inputs) {
    inputs.insert(inputs.begin(), Fr::from_u64(init));
    poseidon_permute(inputs);
    return inputs;
  };
  CHECK(permute(7, small({1, 2, 3, 4}))[0] ==
        dec("1569211601569591254857354699102545060324851338714426496554851741114291465006"));

  auto s = permute(0, small({1, 2}));
  CHECK(s[0] == dec("7853200120776062878684798364095072458815029376092732009249414926327459813530"));
  CHECK(s[1] == dec("7142104613055408817911962100316808866448378443474503659992478482890339429929"));

  s = permute(0, small({1, 2, 0, 0, 0}));
  CHECK(s[0] == dec("1018317224307729531995786483840663576608797660851238720571059489595066344487"));
  CHECK(s[1] == dec("1268987460374965117190107941866588409937190018195924754936306024116268626868"));
  CHECK(s[2] == dec("8783366202813713093021184624438037804022412226788318946130389248546914776762"));

  s = permute(17, small({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}));
  const char* const widest[] = {
      "7865037705064445207187340054656830232157001572238023180016026650118519857086",
      "9292383997006336854008325030029058442489692927472584277596649832441082093099",
      "21700625464938935909463291795162623951575229166945244593449711331894544619498",
      "1749964961100464837642084889776091157070407086051097880220367435814831060919",
      "14926884742736943105557530036865339747160219875259470496706517357951967126770",
      "2039691552066237153485547245250552033884196017621501609319319339955236135906",
      "15632370980418377873678240526508190824831030254352022226082241110936555130543",
      "12415717486933552680955550946925876656737401305417786097937904386023163034597",
      "19518791782429957526810500613963817986723905805167983704284231822835104039583",
      "3946357499058599914103088366834769377007694643795968939540941315474973940815",
      "5618081863604788554613937982328324792980580854673130938690864738082655170455",
      "9119013501536010391475078939286676645280972023937320238963975266387024327421",
      "8377736769906336164136520530350338558030826788688113957410934156526990238336",
      "15295058061474937220002017533551270394267030149562824985607747654793981405060",
      "3767094797637425204201844274463024412131937665868967358407323347727519975724",
      "11046361685833871233801453306150294246339755171874771935347992312124050338976",
  };
  for (std::size_t i = 0; i < std::size(widest); ++i) {
    INFO("element " << i);
    CHECK(s[i] == dec(widest[i]));
  }
}

TEST_CASE("poseidon: generated parameters have the shape the hash needs", "[prover][poseidon]") {
  for (int t = kPoseidonMinWidth; t <= kPoseidonMaxWidth; ++t) {
    INFO("t = " << t);
    const PoseidonParams& p = poseidon_params(t);
    const auto n = static_cast<std::size_t>(t);
    CHECK(p.t == t);
    CHECK(p.full_rounds == 8);
    CHECK(p.partial_rounds >= 56);
    REQUIRE(p.round_constants.size() == static_cast<std::size_t>(p.full_rounds + p.partial_rounds) * n);
    // Drawn from a 254-bit stream, the constants are pairwise distinct
    // (a generator stuck in a short cycle would repeat them).
    std::vector<BigInt<4>> sorted;
    for (const Fr& c : p.round_constants) sorted.push_back(c.to_canonical());
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return bigint::compare(a, b) < 0; });
    CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    REQUIRE(p.mds.size() == n);
    for (const auto& row : p.mds) REQUIRE(row.size() == n);
    // A Cauchy matrix: 1/M[i][j] = x_i + y_j, so the reciprocals satisfy
    // 1/M[i][j] − 1/M[i][0] − 1/M[0][j] + 1/M[0][0] = 0. Entries are nonzero
    // and so is every 2×2 minor (necessary for MDS), and M is invertible.
    std::vector<std::vector<Fr>> recip = p.mds;
    for (auto& row : recip)
      for (Fr& e : row) {
        REQUIRE_FALSE(e.is_zero());
        e = e.inverse();
      }
    std::size_t singular_minors = 0, non_cauchy = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        if (!(recip[i][j] - recip[i][0] - recip[0][j] + recip[0][0]).is_zero()) ++non_cauchy;
        for (std::size_t k = i + 1; k < n; ++k)
          for (std::size_t l = j + 1; l < n; ++l)
            if ((p.mds[i][j] * p.mds[k][l] - p.mds[i][l] * p.mds[k][j]).is_zero()) ++singular_minors;
      }
    CHECK(non_cauchy == 0);
    CHECK(singular_minors == 0);
    CHECK_FALSE(determinant(p.mds).is_zero());
  }
}

TEST_CASE("poseidon: parameters are generated once, also under concurrent first use", "[prover][poseidon]") {
  // Every thread hashes at every arity; the first use of a width races
  // between the threads, and all must see the same parameters.
  constexpr int kThreads = 4;
  std::vector<std::vector<Fr>> results(kThreads);
  std::vector<std::thread> threads;
  for (int k = 0; k < kThreads; ++k)
    threads.emplace_back([&results, k] {
      for (int n = 1; n <= kPoseidonMaxInputs; ++n) {
        std::vector<Fr> in(static_cast<std::size_t>(n), Fr::from_u64(static_cast<std::uint64_t>(n)));
        results[static_cast<std::size_t>(k)].push_back(poseidon_hash(in));
      }
    });
  for (auto& th : threads) th.join();
  for (int k = 1; k < kThreads; ++k) CHECK(results[static_cast<std::size_t>(k)] == results[0]);
  for (int t = kPoseidonMinWidth; t <= kPoseidonMaxWidth; ++t) CHECK(&poseidon_params(t) == &poseidon_params(t));
}

TEST_CASE("poseidon: bad input", "[prover][poseidon][bad_input]") {
  using Catch::Contains;
  CHECK_THROWS_WITH(poseidon_hash({}), Contains("0 inputs") && Contains("1 to 16"));
  const std::vector<Fr> seventeen(17, Fr::one());
  CHECK_THROWS_WITH(poseidon_hash(seventeen), Contains("17 inputs"));
  CHECK_NOTHROW(poseidon_hash(std::span<const Fr>(seventeen).first(16)));
  for (int t : {-1, 0, 1, 18, 100}) CHECK_THROWS_AS(poseidon_params(t), Error);
  std::vector<Fr> one(1), eighteen(18);
  CHECK_THROWS_WITH(poseidon_permute(one), Contains("t = 1;"));
  CHECK_THROWS_WITH(poseidon_permute(eighteen), Contains("t = 18;"));
}
