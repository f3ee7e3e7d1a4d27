#!/usr/bin/env bash
# `zkacc msm --mpi` and `zkacc prove --mpi` under `mpirun -np 2` and `-np 3`
# (an uneven split) on this machine:
#   - MSM results (G1 and G2; sizes not divisible by the ranks, fewer points
#     than ranks) equal the single-process result;
#   - a proof of the checked-in multiplier circuit made with --mpi verifies,
#     and its public.json equals the single-process one;
#   - a rank that fails (ZKACC_MPI_TEST_FAIL_RANK) ends the job at once with
#     "rank N: ..." from rank 0 and exit status 1, and no output file;
#   - a rank that hangs (ZKACC_MPI_TEST_HANG_RANK) ends the job after
#     --mpi-timeout with rank 0 naming it;
#   - a rank that read another witness is named.
# Every mpirun runs under `timeout`, so a hang fails the test instead of
# blocking CI.
# Usage: mpi_cli_test.sh <path to zkacc> [mpirun]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
zkacc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
mpirun="${2:-mpirun}"
data="$here/../data/prover/multiplier"
work="$(mktemp -d -t zkacc-mpi-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"
source "$here/mpirun_env.sh"

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# run <seconds> <log> <command...>: the exit status in $rc, the elapsed
# seconds in $elapsed; output (stdout and stderr) in <log>.
run() {
  local limit="$1" log="$2"; shift 2
  local t0=$SECONDS
  rc=0
  timeout "$limit" "$@" >"$log" 2>&1 || rc=$?
  elapsed=$((SECONDS - t0))
}
result_of() { python3 -c 'import json,sys; print(json.dumps(json.loads(sys.stdin.readline())["result"]))' <"$1"; }

echo "== MSM: --mpi equals one process"
for np in 2 3; do
  for spec in "g1 1000" "g1 4097" "g1 2" "g2 33"; do
    set -- $spec
    curve=$1 n=$2
    "$zkacc" msm --curve "$curve" -n "$n" --seed 7 -r 1 --threads 1 --json >single.json
    run 120 mpi.json "$mpirun" "${MPIRUN_ARGS[@]}" -np "$np" "$zkacc" msm --curve "$curve" -n "$n" --seed 7 -r 1 --threads 1 --json --mpi
    if [[ $rc != 0 ]]; then fail "msm $curve n=$n np=$np -> exit $rc: $(cat mpi.json)"; continue; fi
    # Only rank 0 prints.
    [[ $(grep -c '"op":"msm"' mpi.json) == 1 ]] || fail "msm $curve n=$n np=$np: not exactly one JSON line: $(cat mpi.json)"
    grep -q "\"mpi_ranks\":$np" mpi.json || fail "msm $curve n=$n np=$np: no mpi_ranks $np"
    grep -q '"ok":true' mpi.json || fail "msm $curve n=$n np=$np: check against the known discrete logs failed"
    [[ "$(result_of <(grep '"op":"msm"' mpi.json))" == "$(result_of single.json)" ]] ||
      fail "msm $curve n=$n np=$np: result differs from one process"
    echo "   $curve n=$n np=$np: same result ($elapsed s)"
  done
done

echo "== prove --mpi: the proof verifies, public.json as one process"
"$zkacc" prove "$data/multiplier.zkey" "$data/multiplier.wtns" proof1.json public1.json
for np in 2 3; do
  rm -f proof.json public.json
  run 120 prove.log "$mpirun" "${MPIRUN_ARGS[@]}" -np "$np" "$zkacc" prove "$data/multiplier.zkey" "$data/multiplier.wtns" \
    proof.json public.json --mpi --threads 1 --timings
  if [[ $rc != 0 ]]; then fail "prove np=$np -> exit $rc: $(cat prove.log)"; continue; fi
  grep -q "^mpi: $np ranks" prove.log || fail "prove np=$np: no mpi line in --timings: $(cat prove.log)"
  grep -q "^mpi: the key's points rank 0 read (part 1 of $np)" prove.log ||
    fail "prove np=$np: rank 0 did not read only its part of the key: $(cat prove.log)"
  [[ $(grep -c "^total" prove.log) == 1 ]] || fail "prove np=$np: timings printed by more than rank 0"
  "$zkacc" verify "$data/vk.json" public.json proof.json >verify.log 2>&1 || fail "prove np=$np: proof does not verify: $(cat verify.log)"
  cmp -s public.json public1.json || fail "prove np=$np: public.json differs from one process"
  cmp -s public.json "$data/public.json" || fail "prove np=$np: public.json differs from the checked-in one"
  echo "   np=$np: verifies ($elapsed s)"
done

echo "== a failing rank: rank 0 names it, exit status 1, no output"
for np in 2 3; do
  rm -f proof.json public.json
  run 60 fail.log env ZKACC_MPI_TEST_FAIL_RANK=1 "$mpirun" "${MPIRUN_ARGS[@]}" -np "$np" "$zkacc" prove \
    "$data/multiplier.zkey" "$data/multiplier.wtns" proof.json public.json --mpi --threads 1
  [[ $rc == 1 ]] || fail "failing rank np=$np -> exit $rc, expected 1: $(cat fail.log)"
  grep -q "zkacc: error: rank 1: test fault injected" fail.log || fail "failing rank np=$np: no rank 1 error: $(cat fail.log)"
  [[ $(grep -c "zkacc: error:" fail.log) == 1 ]] || fail "failing rank np=$np: the error is not printed once: $(cat fail.log)"
  [[ ! -e proof.json && ! -e public.json ]] || fail "failing rank np=$np: left an output file"
  (( elapsed <= 30 )) || fail "failing rank np=$np: took $elapsed s"
  echo "   np=$np: \"$(grep "zkacc: error" fail.log)\" ($elapsed s)"
done
run 60 fail.log env ZKACC_MPI_TEST_FAIL_RANK=2 "$mpirun" "${MPIRUN_ARGS[@]}" -np 3 "$zkacc" msm -n 100 --threads 1 --mpi
[[ $rc == 1 ]] && grep -q "zkacc: error: rank 2: test fault injected" fail.log ||
  fail "msm with failing rank 2 -> exit $rc: $(cat fail.log)"

echo "== a rank that read another witness is named"
python3 - "$data/multiplier.wtns" <<'PY'
import sys
w = bytearray(open(sys.argv[1], "rb").read())
w[-32] ^= 1  # the last witness value
open("other.wtns", "wb").write(w)
PY
run 60 differ.log "$mpirun" "${MPIRUN_ARGS[@]}" \
  -np 1 "$zkacc" prove "$data/multiplier.zkey" "$data/multiplier.wtns" proof.json public.json --mpi --threads 1 : \
  -np 1 "$zkacc" prove "$data/multiplier.zkey" other.wtns proof.json public.json --mpi --threads 1
[[ $rc == 1 ]] && grep -q "zkacc: error: rank 1: its multiplier.zkey or multiplier.wtns differs from rank 0's" differ.log ||
  fail "different witness on rank 1 -> exit $rc: $(cat differ.log)"

echo "== a hanging rank: the job ends after --mpi-timeout, rank 0 names it"
run 60 hang.log env ZKACC_MPI_TEST_HANG_RANK=1 "$mpirun" "${MPIRUN_ARGS[@]}" -np 3 "$zkacc" prove \
  "$data/multiplier.zkey" "$data/multiplier.wtns" proof.json public.json --mpi --threads 1 --mpi-timeout 3
if [[ $rc == 0 || $rc == 124 ]]; then fail "hanging rank -> exit $rc: $(cat hang.log)"; fi
grep -q "zkacc: error: rank 1 did not reach the exchange of a G1 MSM's partial sums within 3 s" hang.log ||
  fail "hanging rank: rank 0 does not name rank 1: $(cat hang.log)"
(( elapsed <= 20 )) || fail "hanging rank: took $elapsed s"
echo "   \"$(grep "zkacc: error" hang.log | head -1)\" ($elapsed s)"

echo "== prove-model --mpi: the model's proof across ranks, rank 0 writes; public.json as one process"
models="$here/../../models"
export ZKACC_PTAU_DIR="$work/ptau"
"$zkacc" compile "$models/mlp.onnx" --calibration "$models/inputs/mlp_sample0.json" -o compiled >/dev/null
"$zkacc" prove-model "$models/mlp.onnx" "$models/inputs/mlp_sample0.json" --settings compiled/settings.json --out single >/dev/null
for np in 2 3; do
  rm -rf model_out
  run 300 model.log "$mpirun" "${MPIRUN_ARGS[@]}" -np "$np" "$zkacc" prove-model "$models/mlp.onnx" \
    "$models/inputs/mlp_sample0.json" --settings compiled/settings.json --out model_out --mpi --threads 1
  if [[ $rc != 0 ]]; then fail "prove-model np=$np -> exit $rc: $(cat model.log)"; continue; fi
  [[ $(grep -c "^proof verified" model.log) == 1 ]] || fail "prove-model np=$np: not reported once by rank 0: $(cat model.log)"
  grep -q "^mpi: $np ranks" model.log || fail "prove-model np=$np: no mpi line: $(cat model.log)"
  "$zkacc" verify model_out/verification_key.json model_out/public.json model_out/proof.json >verify.log 2>&1 ||
    fail "prove-model np=$np: the proof does not verify: $(cat verify.log)"
  cmp -s model_out/public.json single/public.json || fail "prove-model np=$np: public.json differs from one process"
  echo "   np=$np: verifies ($elapsed s)"
done
python3 -c 'import json; x = json.load(open("'"$models"'/inputs/mlp_sample0.json"))["input"][0]; json.dump({"input": [x[:700]]}, open("short.json", "w"))'
rm -rf model_bad
run 120 model_bad.log "$mpirun" "${MPIRUN_ARGS[@]}" -np 2 "$zkacc" prove-model "$models/mlp.onnx" short.json \
  --settings compiled/settings.json --out model_bad --mpi --threads 1
[[ $rc == 1 ]] || fail "prove-model --mpi with a bad input -> exit $rc: $(cat model_bad.log)"
[[ $(grep -c "short.json: has 700 input values" model_bad.log) == 1 ]] ||
  fail "prove-model --mpi with a bad input: not one error naming the file: $(cat model_bad.log)"
[[ ! -e model_bad/proof.json ]] || fail "prove-model --mpi with a bad input wrote a proof"

echo "== without mpirun, --mpi is one rank"
run 60 single.log "$zkacc" prove "$data/multiplier.zkey" "$data/multiplier.wtns" proof.json public.json --mpi --threads 1
[[ $rc == 0 ]] && "$zkacc" verify "$data/vk.json" public.json proof.json >/dev/null ||
  fail "--mpi without mpirun -> exit $rc: $(cat single.log)"

if [[ $failures -ne 0 ]]; then echo "$failures failures" >&2; exit 1; fi
echo "all MPI checks passed"
