// `zkacc verify verification_key.json public.json proof.json`: snarkjs's
// `groth16 verify` natively. Exit status 0 when the proof is valid, 4 when it
// is not, 1 when an input cannot be read (malformed JSON, a point off the
// curve, wrong number of public inputs).
#include <iostream>

#include "commands.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/snarkjs_json.hpp"

namespace zkacc::cli {

Action add_verify_command(CLI::App& app) {
  struct Args {
    std::string vkey, pub, proof;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("verify", "Verify a Groth16 proof (snarkjs verification_key.json, public.json, proof.json)");
  cmd->add_option("vkey", args->vkey, "verification_key.json")->required();
  cmd->add_option("public", args->pub, "public.json")->required();
  cmd->add_option("proof", args->proof, "proof.json")->required();
  return [args] {
    const auto vk = prover::read_vkey_json(args->vkey);
    const auto pub = prover::read_public_json(args->pub);
    const auto proof = prover::read_proof_json(args->proof);
    if (pub.size() != vk.n_public)
      throw Error(args->pub + ": has " + std::to_string(pub.size()) + " public signals, the verification key expects " +
                  std::to_string(vk.n_public));
    if (prover::verify(vk, pub, proof)) {
      std::cout << "OK: the proof is valid\n";
      return 0;
    }
    std::cout << "INVALID: the proof does not verify\n";
    return 4;
  };
}

}  // namespace zkacc::cli
