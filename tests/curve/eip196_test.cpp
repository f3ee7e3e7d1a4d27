// Known answers for G1 addition and scalar multiplication from the public
// Ethereum precompile test suite (EIP-196; vectors from go-ethereum's
// core/vm/testdata/precompiles, see tests/data/eip196_*.json for the source).
// The precompile pads short input with zeros and ignores bytes past the end.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/hex.hpp"
#include "zkacc/curve/serialize.hpp"

using namespace zkacc;

namespace {

nlohmann::json load(const std::string& name) {
  std::ifstream in(std::string(ZKACC_TEST_DATA_DIR) + "/" + name);
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

std::vector<std::uint8_t> padded(const std::string& hex, std::size_t len) {
  auto b = zkacc::test::from_hex(hex);
  b.resize(len, 0);
  return b;
}

G1Affine g1_at(const std::vector<std::uint8_t>& b, std::size_t off) {
  return g1_from_evm_bytes(std::span<const std::uint8_t, 64>(b.data() + off, 64), "vector");
}

}  // namespace

TEST_CASE("EIP-196 point addition vectors", "[curve][eip196]") {
  auto doc = load("eip196_add.json");
  REQUIRE(doc["vectors"].size() >= 10);
  for (const auto& v : doc["vectors"]) {
    INFO(v["name"].get<std::string>());
    auto in = padded(v["input"], 128);
    auto expected = zkacc::test::from_hex(v["expected"]);
    G1Affine sum = (g1_at(in, 0).to_jacobian() + g1_at(in, 64).to_jacobian()).to_affine();
    auto out = to_evm_bytes(sum);
    CHECK(std::vector<std::uint8_t>(out.begin(), out.end()) == expected);
  }
}

TEST_CASE("EIP-196 scalar multiplication vectors", "[curve][eip196]") {
  auto doc = load("eip196_mul.json");
  REQUIRE(doc["vectors"].size() >= 10);
  for (const auto& v : doc["vectors"]) {
    INFO(v["name"].get<std::string>());
    auto in = padded(v["input"], 96);
    BigInt<4> k{};
    for (std::size_t i = 0; i < 32; ++i) k[(31 - i) / 8] |= std::uint64_t(in[64 + i]) << (8 * ((31 - i) % 8));
    auto expected = zkacc::test::from_hex(v["expected"]);
    auto out = to_evm_bytes(g1_at(in, 0).to_jacobian().mul_vartime(k).to_affine());
    CHECK(std::vector<std::uint8_t>(out.begin(), out.end()) == expected);
  }
}
