// The optimal ate pairing: bilinearity, non-degeneracy, the final
// exponentiation against plain exponentiation by (q^12 - 1)/r computed with
// GMP, and the EIP-197 pairing-check vectors of the public Ethereum test suite.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/gmp_oracle.hpp"
#include "support/hex.hpp"
#include "support/test_rng.hpp"
#include "zkacc/curve/pairing.hpp"
#include "zkacc/curve/serialize.hpp"

using namespace zkacc;

TEST_CASE("final exponentiation equals f^((q^12-1)/r)", "[pairing]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(40);
  const mpz_class q = zkacc::test::modulus_mpz<Fq>();
  const mpz_class r = zkacc::test::modulus_mpz<Fr>();
  mpz_class q12;
  mpz_pow_ui(q12.get_mpz_t(), q.get_mpz_t(), 12);
  REQUIRE(mpz_class((q12 - 1) % r) == 0);
  const mpz_class e = (q12 - 1) / r;
  BigInt<48> exponent{};
  std::size_t count = 0;
  mpz_export(exponent.data(), &count, -1, sizeof(std::uint64_t), 0, 0, e.get_mpz_t());
  REQUIRE(count <= exponent.size());
  for (int i = 0; i < 2; ++i) {
    Fq12 f = Fq12::random(rng);
    CHECK(final_exponentiation(f) == f.pow(exponent));
  }
}

TEST_CASE("the pairing is bilinear and non-degenerate", "[pairing]") {
  SEED_INFO();
  auto rng = zkacc::test::make_rng(41);
  const G1Affine p = G1Affine::generator();
  const G2Affine q = G2Affine::generator();
  const Fq12 e = pairing(p, q);
  CHECK(!e.is_one());                        // non-degenerate
  CHECK(e.pow(kBn254Order).is_one());        // lands in μ_r
  for (int i = 0; i < 3; ++i) {
    Fr a = Fr::random(rng), b = Fr::random(rng);
    G1Affine ap = (G1Jacobian::generator() * a).to_affine();
    G2Affine bq = (G2Jacobian::generator() * b).to_affine();
    const Fq12 eab = pairing(ap, bq);
    CHECK(eab == e.pow((a * b).to_canonical()));
    CHECK(eab == pairing((G1Jacobian::generator() * (a * b)).to_affine(), q));
    CHECK(eab == pairing(p, (G2Jacobian::generator() * (a * b)).to_affine()));
    // e(aP, bQ) · e(-abP, Q) = 1 as a two-pair product.
    std::array<G1Affine, 2> ps{ap, (G1Jacobian::generator() * (a * b)).to_affine().operator-()};
    std::array<G2Affine, 2> qs{bq, q};
    CHECK(pairing_product_is_one(ps, qs));
    ps[1] = (G1Jacobian::generator() * (a * b + Fr::one())).to_affine().operator-();
    CHECK(!pairing_product_is_one(ps, qs));
  }
  CHECK(pairing(G1Affine::infinity(), q).is_one());
  CHECK(pairing(p, G2Affine::infinity()).is_one());
  CHECK(pairing_product_is_one({}, {}));
  CHECK_THROWS(miller_loop(std::span<const G1Affine>(&p, 1), {}));
}

TEST_CASE("EIP-197 pairing check vectors", "[pairing][eip197]") {
  std::ifstream in(std::string(ZKACC_TEST_DATA_DIR) + "/eip197_pairing.json");
  REQUIRE(in.good());
  auto doc = nlohmann::json::parse(in);
  REQUIRE(doc["vectors"].size() >= 10);
  for (const auto& v : doc["vectors"]) {
    INFO(v["name"].get<std::string>());
    auto bytes = zkacc::test::from_hex(v["input"]);
    REQUIRE(bytes.size() % 192 == 0);
    std::vector<G1Affine> ps;
    std::vector<G2Affine> qs;
    for (std::size_t off = 0; off < bytes.size(); off += 192) {
      ps.push_back(g1_from_evm_bytes(std::span<const std::uint8_t, 64>(bytes.data() + off, 64), "g1"));
      qs.push_back(g2_from_evm_bytes(std::span<const std::uint8_t, 128>(bytes.data() + off + 64, 128), "g2"));
    }
    const bool expected = zkacc::test::from_hex(v["expected"]).back() == 1;
    CHECK(pairing_product_is_one(ps, qs) == expected);
  }
}
