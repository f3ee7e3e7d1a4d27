// The generated powers of tau: zkacc's reader accepts them, the points are
// the powers and Lagrange bases of the secrets, the section table matches
// snarkjs's file of the same power, and a Groth16 key made from them proves
// and verifies a circom circuit.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <random>

#include "zkacc/curve/bn254.hpp"
#include "zkacc/curve/serialize.hpp"
#include "zkacc/prover/binfile.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/ptau.hpp"
#include "zkacc/prover/ptau_generate.hpp"
#include "zkacc/prover/r1cs.hpp"
#include "zkacc/prover/setup.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkml/test_util.hpp"

using namespace zkacc;
using namespace zkacc::prover;
using zkacc::kG1LemBytes;

namespace {

PtauSecrets fixed_secrets() { return {Fr::from_u64(123456789), Fr::from_u64(987654321), Fr::from_u64(555555555)}; }

}  // namespace

TEST_CASE("generated ptau: points are the powers and Lagrange bases of tau", "[zkml][ptau]") {
  zkacc::test::TempDir dir;
  ThreadPool pool(2);
  const PtauSecrets s = fixed_secrets();
  const std::string path = dir.file("gen4.ptau");
  generate_ptau(path, 4, s, pool);
  const Ptau ptau(path);
  CHECK(ptau.power() == 4);
  CHECK(ptau.prepared());
  const G1Jacobian g1 = G1Jacobian::generator();
  const G2Jacobian g2 = G2Jacobian::generator();
  CHECK(ptau.alpha1() == (g1 * s.alpha).to_affine());
  CHECK(ptau.beta1() == (g1 * s.beta).to_affine());
  CHECK(ptau.beta2() == (g2 * s.beta).to_affine());
  // For every domain of 2^j points: Σ L_i(τ) = 1 and Σ ω^i·L_i(τ) = τ.
  for (std::uint32_t j = 0; j <= 5; ++j) {
    INFO("domain 2^" << j);
    const auto l = ptau.lagrange_g1(12, j);
    const Fr omega = Fr::root_of_unity(j);
    G1Jacobian sum, weighted;
    Fr w = Fr::one();
    for (const auto& p : l) {
      sum += p.to_jacobian();
      weighted += p.to_jacobian() * w;
      w *= omega;
    }
    CHECK(sum.to_affine() == G1Affine::generator());
    if (j >= 1) CHECK(weighted.to_affine() == (g1 * s.tau).to_affine());  // X is interpolated exactly from 2 points on
    if (j <= 4) {
      const auto l2 = ptau.lagrange_g2(j);
      G2Jacobian sum2, w2;
      Fr x = Fr::one();
      for (const auto& p : l2) {
        sum2 += p.to_jacobian();
        w2 += p.to_jacobian() * x;
        x *= omega;
      }
      CHECK(sum2.to_affine() == G2Affine::generator());
      if (j >= 1) CHECK(w2.to_affine() == (g2 * s.tau).to_affine());
      const auto la = ptau.lagrange_g1(14, j), lb = ptau.lagrange_g1(15, j);
      G1Jacobian sa, sb;
      for (std::size_t i = 0; i < la.size(); ++i) {
        sa += la[i].to_jacobian();
        sb += lb[i].to_jacobian();
      }
      CHECK(sa.to_affine() == (g1 * s.alpha).to_affine());
      CHECK(sb.to_affine() == (g1 * s.beta).to_affine());
    }
  }
  // Section 2, point i = τ^i·G1 (checked through the raw file bytes).
  const BinFile file(path, "ptau", 1);
  Fr t = Fr::one();
  for (std::size_t i = 0; i < 31; ++i, t *= s.tau) {
    const auto pt = g1_from_lem_bytes(std::span<const std::uint8_t, kG1LemBytes>(file.section(2).data() + 64 * i, kG1LemBytes), "tau");
    INFO("point " << i);
    REQUIRE(pt == (g1 * t).to_affine());
  }
}

TEST_CASE("generated ptau: same sections and sizes as snarkjs's prepared file", "[zkml][ptau]") {
  zkacc::test::TempDir dir;
  ThreadPool pool(2);
  const std::string path = dir.file("gen4.ptau");
  generate_ptau(path, 4, PtauSecrets::random(), pool);
  const BinFile mine(path, "ptau", 1), theirs(std::string(ZKACC_PROVER_DATA_DIR) + "/pot4.ptau", "ptau", 1);
  REQUIRE(mine.sections().size() == theirs.sections().size());
  for (std::size_t i = 0; i < mine.sections().size(); ++i) {
    INFO("section " << theirs.sections()[i].id);
    CHECK(mine.sections()[i].id == theirs.sections()[i].id);
    if (theirs.sections()[i].id != 7)  // contributions: snarkjs's has one, ours none
      CHECK(mine.sections()[i].size == theirs.sections()[i].size);
  }
  CHECK(mine.section(1).size() == theirs.section(1).size());
  CHECK(std::equal(mine.section(1).begin(), mine.section(1).end(), theirs.section(1).begin()));
}

TEST_CASE("generated ptau: Groth16 setup, prove and verify a circom circuit", "[zkml][ptau]") {
  zkacc::test::TempDir dir;
  ThreadPool pool(2);
  const std::string path = dir.file("gen4.ptau");
  generate_ptau(path, 4, PtauSecrets::random(), pool);
  const R1cs r1cs = read_r1cs(std::string(ZKACC_PROVER_DATA_DIR) + "/multiplier/multiplier.r1cs");
  const Witness w = read_wtns(std::string(ZKACC_PROVER_DATA_DIR) + "/multiplier/multiplier.wtns");
  const Groth16Zkey zkey = groth16_setup(r1cs, Ptau(path), random_delta(), pool);
  const Proof proof = prove(zkey, w.values, ProofRandomness::random(), pool);  // verifies before returning
  const VerificationKey vk = VerificationKey::from_zkey(zkey);
  auto pub = public_signals(zkey, w.values);
  CHECK(verify(vk, pub, proof));
  pub[0] += Fr::one();
  CHECK_FALSE(verify(vk, pub, proof));
}

TEST_CASE("generated ptau: bad arguments and the cache", "[zkml][ptau]") {
  zkacc::test::TempDir dir;
  ThreadPool pool(2);
  CHECK_THROWS_WITH(generate_ptau(dir.file("x.ptau"), 0, PtauSecrets::random(), pool), Catch::Contains("outside 1..27"));
  PtauSecrets s = fixed_secrets();
  s.tau = Fr::one();  // a root of unity: Lagrange bases would divide by zero
  CHECK_THROWS_WITH(generate_ptau(dir.file("x.ptau"), 3, s, pool), Catch::Contains("root of unity"));
  CHECK_FALSE(std::filesystem::exists(dir.file("x.ptau")));
  bool generated = false;
  const std::string p3 = cached_generated_ptau(dir.file("cache"), 3, pool, &generated);
  CHECK(generated);
  CHECK(Ptau(p3).power() == 3);
  // A smaller request is served by the file already there.
  CHECK(cached_generated_ptau(dir.file("cache"), 2, pool, &generated) == p3);
  CHECK_FALSE(generated);
}
