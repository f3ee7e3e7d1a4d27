#!/usr/bin/env bash
# snarkjs verifies proofs made with `zkacc prove --mpi`: the checked-in
# multiplier under mpirun -np 2, and a circom circuit of a few hundred
# constraints (tests/interop/circuits/<name>) under -np 3, whose key snarkjs
# makes; public.json equals the single-process one. Uses the interop tests'
# pinned npm packages and powers of tau (cached by their fixture).
# Usage: mpi_snarkjs_test.sh <path to zkacc> <mpirun> <circuit name>
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
zkacc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
mpirun="$2"
name="$3"
interop="$here/../interop"
data="$here/../data/prover/multiplier"
npm_dir="$(bash "$interop/install_npm.sh")"
ptau="$(bash "$interop/make_ptau.sh" 9)"
snarkjs="$npm_dir/node_modules/.bin/snarkjs"
circom2="$npm_dir/node_modules/.bin/circom2"
work="$(mktemp -d -t "zkacc-mpi-snarkjs-$name.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"
source "$here/mpirun_env.sh"
label="mpi $name"
source "$interop/steps.sh"

step "multiplier: mpirun -np 2 zkacc prove --mpi -> snarkjs groth16 verify"
timeout 120 "$mpirun" "${MPIRUN_ARGS[@]}" -np 2 "$zkacc" prove "$data/multiplier.zkey" "$data/multiplier.wtns" \
  proof_m.json public_m.json --mpi --threads 1
"$snarkjs" groth16 verify "$data/vk.json" public_m.json proof_m.json | tee verify_m.log
grep -q "OK" verify_m.log || fail "snarkjs rejected the --mpi proof of multiplier"

cp "$interop/circuits/$name.circom" "$interop/circuits/$name.input.json" .
mkdir -p circomlib
cp -r "$npm_dir/node_modules/circomlib/circuits" circomlib/
step "$name: circom2, snarkjs witness and key"
"$circom2" "$name.circom" --O2 --r1cs --wasm -o . >compile.log 2>&1 || { cat compile.log; fail "circom2 failed"; }
"$snarkjs" wtns calculate "${name}_js/$name.wasm" "$name.input.json" "$name.wtns"
"$snarkjs" groth16 setup "$name.r1cs" "$ptau" "${name}_0.zkey" >/dev/null
"$snarkjs" zkey contribute "${name}_0.zkey" "$name.zkey" -e="mpi $name $RANDOM" >/dev/null
"$snarkjs" zkey export verificationkey "$name.zkey" vk.json >/dev/null

step "$name: mpirun -np 3 zkacc prove --mpi -> snarkjs groth16 verify"
timeout 120 "$mpirun" "${MPIRUN_ARGS[@]}" -np 3 "$zkacc" prove "$name.zkey" "$name.wtns" proof.json public.json \
  --mpi --threads 1 --timings --r1cs "$name.r1cs"
"$snarkjs" groth16 verify vk.json public.json proof.json | tee verify.log
grep -q "OK" verify.log || fail "snarkjs rejected the --mpi proof of $name"
"$zkacc" prove "$name.zkey" "$name.wtns" proof1.json public1.json
cmp public.json public1.json || fail "public.json of --mpi differs from one process"
echo "PASS ($label)"
