#!/usr/bin/env bash
# Groth16 proving time and peak memory, zkacc against rapidsnark, on the same
# .zkey and .wtns: a dense layer + ReLU circuit of the kind the ZKML front end
# makes (make_dense_model.py), compiled, keyed and witnessed by
# `zkacc prove-model`. Both provers then prove it `runs` times, interleaved,
# in this sitting; medians and their ratio are printed.
#
# usage: bench/groth16/compare_rapidsnark.sh N K <rapidsnark_prover> [runs] [work_dir]
#   N outputs x K inputs: N = 2,600, K = 64 gives 2^16 (about 61 k constraints);
#   N = 10,500, K = 64 gives 2^18 (about 246 k).
set -euo pipefail
n="${1:?N}"; k="${2:?K}"; rapidsnark="${3:?path to rapidsnark_prover}"; runs="${4:-3}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
zkacc="${ZKACC:-$root/build/bin/zkacc}"
work="${5:-${TMPDIR:-/tmp}/zkacc-groth16-n${n}-k${k}}"
mkdir -p "$work"

/usr/bin/python3 "$here/make_dense_model.py" "$n" "$k" "$work"
"$zkacc" prove-model "$work/dense.onnx" "$work/input.json" --out "$work/out" | grep -E "^circuit:"
zkey="$work/out/circuit.zkey" wtns="$work/out/witness.wtns"

# time_one <label> <command...>: prints "<seconds> <peak KiB>"
time_one() {
  shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>&1
  cat "$work/time.txt"
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

: > "$work/zkacc.txt"; : > "$work/rapidsnark.txt"
for ((r = 0; r < runs; r++)); do
  time_one zkacc "$zkacc" prove "$zkey" "$wtns" "$work/p1.json" "$work/pub1.json" >> "$work/zkacc.txt"
  time_one rapidsnark "$rapidsnark" "$zkey" "$wtns" "$work/p2.json" "$work/pub2.json" >> "$work/rapidsnark.txt"
done
"$zkacc" verify "$work/out/verification_key.json" "$work/pub2.json" "$work/p2.json" >/dev/null \
  || { echo "rapidsnark's proof does not verify with zkacc" >&2; exit 1; }
zt=$(cut -d' ' -f1 "$work/zkacc.txt" | median); zm=$(cut -d' ' -f2 "$work/zkacc.txt" | sort -n | tail -1)
rt=$(cut -d' ' -f1 "$work/rapidsnark.txt" | median); rm=$(cut -d' ' -f2 "$work/rapidsnark.txt" | sort -n | tail -1)
echo "zkacc prove:      median ${zt} s over $runs runs, peak ${zm} KiB"
echo "rapidsnark:       median ${rt} s over $runs runs, peak ${rm} KiB"
awk -v z="$zt" -v r="$rt" -v zm="$zm" -v rm="$rm" 'BEGIN {printf "ratio zkacc/rapidsnark: time %.2f, peak memory %.2f\n", z / r, zm / rm}'
