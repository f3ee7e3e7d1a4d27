// `zkacc export-vkey circuit.zkey verification_key.json`: what
// `snarkjs zkey export verificationkey` writes, including vk_alphabeta_12.
#include "commands.hpp"
#include "zkacc/prover/binfile.hpp"
#include "zkacc/prover/groth16.hpp"
#include "zkacc/prover/snarkjs_json.hpp"
#include "zkacc/prover/zkey.hpp"

namespace zkacc::cli {

Action add_export_vkey_command(CLI::App& app) {
  struct Args {
    std::string zkey, vkey;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("export-vkey", "Write verification_key.json for a Groth16 .zkey");
  cmd->add_option("zkey", args->zkey, "Proving key (.zkey)")->required();
  cmd->add_option("vkey", args->vkey, "Output: verification_key.json")->required();
  return [args] {
    const auto zkey = prover::read_zkey_header(args->zkey);
    prover::write_file_atomically(args->vkey, prover::vkey_to_json(prover::VerificationKey::from_zkey(zkey)));
    return 0;
  };
}

}  // namespace zkacc::cli
