// Inputs that once crashed a parser under the fuzzers (tests/fuzz/
// regressions/<target>/) must now be refused with a zkacc::Error naming
// the file. The fuzz targets also start from these files, but this test
// runs in every build, with or without clang.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "zkacc/common/error.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/zkml/onnx_import.hpp"

using namespace zkacc;

namespace {

std::vector<std::filesystem::path> inputs_of(const char* target) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(ZKACC_FUZZ_REGRESSIONS_DIR) / target))
    files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string contents(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("fuzz regressions: ONNX models with absurd shapes are refused", "[regress]") {
  const auto files = inputs_of("fuzz_onnx");
  REQUIRE(files.size() >= 2);
  for (const auto& f : files) {
    INFO(f.filename().string());
    CHECK_THROWS_WITH(zkml::import_onnx_bytes(contents(f), "model.onnx"), Catch::StartsWith("model.onnx"));
  }
}

TEST_CASE("fuzz regressions: snarkjs JSON with out-of-range numbers is refused", "[regress]") {
  const auto files = inputs_of("fuzz_snarkjs_json");
  REQUIRE(files.size() >= 2);
  for (const auto& f : files) {
    INFO(f.filename().string());
    const std::string text = contents(f);
    CHECK_THROWS_AS(prover::proof_from_json(text, "proof.json"), Error);
    CHECK_THROWS_AS(prover::public_from_json(text, "public.json"), Error);
    CHECK_THROWS_WITH(prover::vkey_from_json(text, "vk.json"), Catch::StartsWith("vk.json"));
  }
}
