// zkacc::zkacc from an installed zkacc: an MSM checked against the single
// scalar multiple it must equal, and a Groth16 proof of the committed
// multiplier circuit that verifies, with snarkjs's public signals and
// verification of snarkjs's own proof.
//
// Usage: groth16_consumer <tests/data/prover/multiplier>
#include <cstdio>
#include <string>
#include <vector>

#include "zkacc/curve/bn254.hpp"
#include "zkacc/msm/pippenger.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/prover/wtns.hpp"
#include "zkacc/prover/zkey.hpp"

using namespace zkacc;

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  std::printf("%s: %s\n", ok ? "ok" : "FAIL", what);
  if (!ok) ++failures;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <multiplier fixture dir>\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  ThreadPool pool(2);

  // Points P_i = (i + 1)·G and full-size scalars s_i: Σ s_i·P_i = (Σ s_i·(i + 1))·G.
  // 1000 points: past the size below which the MSM adds point by point.
  constexpr std::size_t kPoints = 1000;
  std::vector<G1Affine> points;
  std::vector<Fr> scalars;
  Fr s = Fr::from_u64(0x9e3779b97f4a7c15ull), weighted = Fr::zero();
  G1Jacobian p = G1Jacobian::generator();
  for (std::size_t i = 0; i < kPoints; ++i) {
    points.push_back(p.to_affine());
    s = s * s + Fr::from_u64(i);
    scalars.push_back(s);
    weighted += s * Fr::from_u64(i + 1);
    p += G1Jacobian::generator();
  }
  check(msm(std::span<const G1Affine>(points), std::span<const Fr>(scalars), pool) ==
            G1Jacobian::generator() * weighted,
        "MSM of 1000 points equals the scalar multiple of G");

  const auto zkey = prover::read_zkey(dir + "/multiplier.zkey", pool);
  const auto witness = prover::read_wtns(dir + "/multiplier.wtns");
  const prover::Proof proof = prover::prove(zkey, witness.values, prover::ProofRandomness::random(), pool);
  const std::vector<Fr> pub = prover::public_signals(zkey, witness.values);
  const auto vk = prover::VerificationKey::from_zkey(zkey);
  check(prover::verify(vk, pub, proof), "a proof of the multiplier fixture verifies");
  check(prover::public_to_json(pub) == prover::read_text_file(dir + "/public.json"),
        "public signals are snarkjs's public.json");
  check(prover::verify(prover::read_vkey_json(dir + "/vk.json"), prover::read_public_json(dir + "/public.json"),
                       prover::read_proof_json(dir + "/proof.json")),
        "snarkjs's proof verifies");
  return failures == 0 ? 0 : 1;
}
