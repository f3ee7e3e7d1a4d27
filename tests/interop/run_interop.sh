#!/usr/bin/env bash
# Interop test of zkacc's Groth16 against snarkjs for one circuit:
#
#   circom2 compiles tests/interop/circuits/<name>.circom; snarkjs computes
#   the witness, the key (phase 2 with one contribution, from a cached
#   powers-of-tau file) and the verification key; then
#     (a) zkacc proves with snarkjs's key and `snarkjs groth16 verify` accepts;
#         `zkacc export-vkey` writes the same verification_key.json as snarkjs;
#     (b) zkacc setup (when built) makes a key with which snarkjs proves and
#         verifies;
#     (c) snarkjs proves and `zkacc verify` accepts;
#     (d) a tampered public input and a tampered proof: both verifiers reject.
#
# Usage: run_interop.sh <path to zkacc> <circuit name>
# npm packages are installed (once, cached) by install_npm.sh; a failure to
# install is a test failure, not a skip.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
zkacc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
name="$2"

npm_dir="$(bash "$here/install_npm.sh")"
ptau="$(bash "$here/make_ptau.sh" 9)"
snarkjs="$npm_dir/node_modules/.bin/snarkjs"
circom2="$npm_dir/node_modules/.bin/circom2"

work="$(mktemp -d -t "zkacc-interop-$name.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"

label="$name"
source "$here/steps.sh"

# circom2 runs as WebAssembly and cannot follow symlinks or reach far include
# paths: circomlib is copied next to the circuit.
cp "$here/circuits/$name.circom" "$here/circuits/$name.input.json" .
mkdir -p circomlib
cp -r "$npm_dir/node_modules/circomlib/circuits" circomlib/

step "compile (circom2 --O2)"
"$circom2" "$name.circom" --O2 --r1cs --wasm -o . >compile.log 2>&1 || { cat compile.log; fail "circom2 failed"; }
step "witness (snarkjs wtns calculate)"
"$snarkjs" wtns calculate "${name}_js/$name.wasm" "$name.input.json" "$name.wtns"
step "key (snarkjs groth16 setup + one contribution)"
"$snarkjs" groth16 setup "$name.r1cs" "$ptau" "${name}_0.zkey" >/dev/null
"$snarkjs" zkey contribute "${name}_0.zkey" "$name.zkey" -e="interop $name $RANDOM" >/dev/null
"$snarkjs" zkey export verificationkey "$name.zkey" vk.json >/dev/null

step "(a) zkacc prove -> snarkjs groth16 verify"
"$zkacc" prove "$name.zkey" "$name.wtns" proof.json public.json --timings --r1cs "$name.r1cs"
"$snarkjs" groth16 verify vk.json public.json proof.json | tee verify.log
grep -q "OK" verify.log || fail "snarkjs rejected zkacc's proof"
"$zkacc" export-vkey "$name.zkey" vk_zkacc.json
cmp vk.json vk_zkacc.json || fail "zkacc export-vkey differs from snarkjs zkey export verificationkey"

if "$zkacc" --help 2>&1 | grep -qE "^ +setup( |$)"; then
  step "(b) zkacc setup -> snarkjs groth16 prove + verify"
  "$zkacc" setup "$name.r1cs" "$ptau" zkacc.zkey
  "$snarkjs" groth16 prove zkacc.zkey "$name.wtns" proof_b.json public_b.json
  "$snarkjs" zkey export verificationkey zkacc.zkey vk_b.json >/dev/null
  "$snarkjs" groth16 verify vk_b.json public_b.json proof_b.json | tee verify_b.log
  grep -q "OK" verify_b.log || fail "snarkjs rejected its own proof with zkacc's key"
  "$zkacc" verify vk_b.json public_b.json proof_b.json
fi

step "(c) snarkjs groth16 prove -> zkacc verify"
"$snarkjs" groth16 prove "$name.zkey" "$name.wtns" proof_s.json public_s.json
"$zkacc" verify vk.json public_s.json proof_s.json

step "(d) tampered public input and proof: both reject"
node -e '
  const fs = require("fs");
  const r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
  const q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
  const pub = JSON.parse(fs.readFileSync("public_s.json"));
  pub[0] = ((BigInt(pub[0]) + 1n) % r).toString();
  fs.writeFileSync("public_bad.json", JSON.stringify(pub, null, 1));
  const proof = JSON.parse(fs.readFileSync("proof_s.json"));
  proof.pi_a[1] = ((q - BigInt(proof.pi_a[1])) % q).toString();  // -A: still on the curve
  fs.writeFileSync("proof_bad.json", JSON.stringify(proof, null, 1));
'
must_reject "zkacc verify (public)" "$zkacc" verify vk.json public_bad.json proof_s.json
must_reject "snarkjs verify (public)" "$snarkjs" groth16 verify vk.json public_bad.json proof_s.json
must_reject "zkacc verify (proof)" "$zkacc" verify vk.json public_s.json proof_bad.json
must_reject "snarkjs verify (proof)" "$snarkjs" groth16 verify vk.json public_s.json proof_bad.json

echo "PASS ($name)"
