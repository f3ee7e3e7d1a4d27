// Point encodings: snarkjs JSON strings, LEM bytes (.zkey) and EVM bytes
// round-trip, and every reader rejects what it must.
#include <catch2/catch.hpp>

#include "support/test_rng.hpp"
#include "zkacc/curve/serialize.hpp"

using namespace zkacc;

TEST_CASE("snarkjs strings round trip", "[serialize]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(50);
  for (int i = 0; i < 10; ++i) {
    G1Affine p = (G1Jacobian::generator() * Fr::random(rng)).to_affine();
    G2Affine q = (G2Jacobian::generator() * Fr::random(rng)).to_affine();
    CHECK(g1_from_snarkjs_strings(to_snarkjs_strings(p), "p") == p);
    CHECK(g2_from_snarkjs_strings(to_snarkjs_strings(q), "q") == q);
    CHECK(to_snarkjs_strings(p)[2] == "1");
  }
  CHECK(to_snarkjs_strings(G1Affine::infinity()) == G1Strings{"0", "1", "0"});
  CHECK(g1_from_snarkjs_strings({"0", "1", "0"}, "p").is_infinity());
  CHECK(g2_from_snarkjs_strings(to_snarkjs_strings(G2Affine::infinity()), "q").is_infinity());
  CHECK(to_snarkjs_strings(G1Affine::generator()) == G1Strings{"1", "2", "1"});
  // A Jacobian triple (Z = 2) denotes (X/4, Y/8).
  G1Jacobian j = G1Jacobian::generator();
  Fq two = Fq::from_u64(2);
  G1Strings scaled{(j.x * two.square()).to_decimal(), (j.y * two.square() * two).to_decimal(), "2"};
  CHECK(g1_from_snarkjs_strings(scaled, "p") == G1Affine::generator());
}

TEST_CASE("snarkjs string readers reject bad points", "[serialize]") {
  CHECK_THROWS_WITH(g1_from_snarkjs_strings({"1", "3", "1"}, "proof.json: pi_a"),
                    Catch::Contains("proof.json: pi_a") && Catch::Contains("not on the curve"));
  CHECK_THROWS_WITH(g1_from_snarkjs_strings({"1", "x2", "1"}, "pi_c"), Catch::Contains("pi_c") && Catch::Contains("not a decimal"));
  CHECK_THROWS_WITH(g1_from_snarkjs_strings({Fq::kModulus == Fq::kModulus ? "21888242871839275222246405745257275088696311157297823662689037894645226208583" : "", "2", "1"}, "p"),
                    Catch::Contains("not below the modulus"));
  G2Strings g = to_snarkjs_strings(G2Affine::generator());
  g[1][0] = "5";
  CHECK_THROWS_WITH(g2_from_snarkjs_strings(g, "pi_b"), Catch::Contains("pi_b") && Catch::Contains("not on the curve"));
}

TEST_CASE("LEM bytes: Montgomery little-endian, zero for infinity", "[serialize]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(51);
  std::array<std::uint8_t, kG1LemBytes> b1{};
  std::array<std::uint8_t, kG2LemBytes> b2{};
  for (int i = 0; i < 10; ++i) {
    G1Affine p = (G1Jacobian::generator() * Fr::random(rng)).to_affine();
    G2Affine q = (G2Jacobian::generator() * Fr::random(rng)).to_affine();
    to_lem_bytes(p, b1);
    to_lem_bytes(q, b2);
    CHECK(g1_from_lem_bytes(b1, "p") == p);
    CHECK(g2_from_lem_bytes(b2, "q") == q);
    auto xm = p.x.to_montgomery_bytes_le();
    CHECK(std::equal(xm.begin(), xm.end(), b1.begin()));
  }
  to_lem_bytes(G1Affine::infinity(), b1);
  CHECK(std::all_of(b1.begin(), b1.end(), [](auto v) { return v == 0; }));
  CHECK(g1_from_lem_bytes(b1, "p").is_infinity());
  to_lem_bytes(G2Affine::infinity(), b2);
  CHECK(g2_from_lem_bytes(b2, "q").is_infinity());

  // Off the curve, non-canonical, and outside the G2 subgroup.
  to_lem_bytes(G1Affine::generator(), b1);
  b1[40] ^= 1;
  CHECK_THROWS_WITH(g1_from_lem_bytes(b1, "circuit.zkey: IC[0]"),
                    Catch::Contains("circuit.zkey: IC[0]") && Catch::Contains("not on the curve"));
  std::fill(b1.begin(), b1.begin() + 32, 0xff);
  CHECK_THROWS_WITH(g1_from_lem_bytes(b1, "p"), Catch::Contains("not below the modulus"));
  for (;;) {
    Fq2 x = Fq2::random(rng);
    auto y = (x.square() * x + Bn254G2Config::b()).sqrt();
    if (!y) continue;
    to_lem_bytes(G2Affine{x, *y}, b2);
    break;
  }
  CHECK_THROWS_WITH(g2_from_lem_bytes(b2, "q"), Catch::Contains("not in the order-r subgroup"));
  CHECK_NOTHROW(g2_from_lem_bytes_no_subgroup_check(b2, "q"));
}

TEST_CASE("EVM bytes: big-endian, imaginary part first", "[serialize]") {
  auto g2 = to_evm_bytes(G2Affine::generator());
  // EIP-197's G2 generator starts with x_imag = 0x198e9393…
  CHECK(g2[0] == 0x19);
  CHECK(g2[1] == 0x8e);
  CHECK(g2_from_evm_bytes(g2, "g2") == G2Affine::generator());
  auto g1 = to_evm_bytes(G1Affine::generator());
  CHECK(g1[31] == 1);
  CHECK(g1[63] == 2);
  CHECK(g1_from_evm_bytes(g1, "g1") == G1Affine::generator());
}
