// The Ethereum side of a proof (prover/solidity.hpp):
//
//   zkacc export-solidity verification_key.json Verifier.sol [--contract Name]
//       a Groth16 verifier contract for this key, snarkjs's interface;
//   zkacc export-calldata proof.json public.json [--vkey verification_key.json]
//       verifyProof's arguments, printed as snarkjs's `zkey export
//       soliditycalldata` prints them; with --vkey the proof is verified and
//       the input count checked against the key first.
#include <iostream>

#include "commands.hpp"
#include "zkacc/common/error.hpp"
#include "zkacc/prover/binfile.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/prover/solidity.hpp"

namespace zkacc::cli {

Action add_export_solidity_command(CLI::App& app) {
  struct Args {
    std::string vkey, out, contract = "Groth16Verifier";
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("export-solidity", "Write a Solidity Groth16 verifier for a verification_key.json");
  cmd->add_option("vkey", args->vkey, "verification_key.json (Groth16, BN254)")->required();
  cmd->add_option("out", args->out, "Output: the contract (.sol)")->required();
  cmd->add_option("--contract", args->contract, "The contract's name")->capture_default_str();
  return [args] {
    const prover::VerificationKey vk = prover::read_vkey_json(args->vkey);
    prover::write_file_atomically(args->out, prover::solidity_verifier(vk, prover::display_name(args->vkey), args->contract));
    std::cout << "wrote " << args->out << ": contract " << args->contract << ", verifyProof with " << vk.n_public
              << " public inputs\n";
    return 0;
  };
}

Action add_export_calldata_command(CLI::App& app) {
  struct Args {
    std::string proof, pub, vkey;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("export-calldata", "Print a proof as verifyProof's Solidity call arguments");
  cmd->add_option("proof", args->proof, "proof.json")->required();
  cmd->add_option("public", args->pub, "public.json")->required();
  cmd->add_option("--vkey", args->vkey, "Verify the proof with this verification_key.json first");
  return [args] {
    const prover::Proof proof = prover::read_proof_json(args->proof);
    const std::vector<Fr> pub = prover::read_public_json(args->pub);
    if (!args->vkey.empty()) {
      const prover::VerificationKey vk = prover::read_vkey_json(args->vkey);
      if (pub.size() != vk.n_public)
        throw Error(prover::display_name(args->pub) + ": has " + std::to_string(pub.size()) + " public signals, " +
                    prover::display_name(args->vkey) + " takes " + std::to_string(vk.n_public));
      if (!prover::verify(vk, pub, proof))
        throw Error(prover::display_name(args->proof) + ": the proof does not verify with " +
                    prover::display_name(args->vkey) + " and " + prover::display_name(args->pub));
    }
    std::cout << prover::solidity_calldata(proof, pub) << "\n";
    return 0;
  };
}

}  // namespace zkacc::cli
