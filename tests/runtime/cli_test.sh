#!/usr/bin/env bash
# The --backend commands end to end: msm and ntt on the simulated kernels give
# the CPU's answers (each command checks its own result and exits non-zero
# otherwise), the bench suite writes JSON, Markdown and a PNG and compares
# with a baseline of its schema version only, and the xrt backend without a card stops with a clear
# error instead of crashing.
# Usage: cli_test.sh <path to zkacc>
set -euo pipefail
zkacc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$(mktemp -d -t zkacc-runtime-cli.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect <exit status> <message substring> <command...>
expect() {
  local want_rc="$1" want_msg="$2"; shift 2
  local rc=0
  "$@" >out.log 2>&1 || rc=$?
  if [[ "$rc" != "$want_rc" ]]; then fail "$* -> exit $rc, expected $want_rc: $(cat out.log)"; return 0; fi
  [[ -z "$want_msg" ]] || grep -qF -- "$want_msg" out.log || fail "$* -> output lacks \"$want_msg\": $(cat out.log)"
  return 0
}

expect 0 "check against the known discrete logs: ok" "$zkacc" msm --size 200 --backend sim
expect 0 "projection (not a measurement)" "$zkacc" msm --size 200 --backend sim
expect 0 "check against the known discrete logs: ok" "$zkacc" msm --size 300 --backend cpu,sim --weights 1,1
expect 0 "round trip ok, evaluation at 4 random points ok" "$zkacc" ntt --size 1024 --backend sim
expect 0 "round trip ok" "$zkacc" ntt --size 8192 --inverse --coset --backend sim   # four-step
expect 1 "G2 runs on the CPU only" "$zkacc" msm --size 16 --curve g2 --backend sim
expect 1 "unknown backend 'fpga'" "$zkacc" msm --size 16 --backend fpga
expect 1 "no such xclbin file" "$zkacc" msm --size 16 --backend xrt --xclbin "$work/none.xclbin"
: > empty.xclbin
expect 1 "cannot open device 7" "$zkacc" ntt --size 16 --backend xrt --xclbin empty.xclbin --device 7

# The bench suite, small: files written, every check ok, a baseline compared.
expect 0 "all checks ok" "$zkacc" bench --ops msm,ntt --backends cpu,sim --msm-logs 6 --ntt-logs 6,8 --repeat 1 -o run1
for f in bench.json bench.md; do [[ -s "run1/$f" ]] || fail "bench wrote no $f"; done
if command -v gnuplot >/dev/null; then [[ -s run1/bench.png ]] || fail "bench wrote no bench.png"; fi
grep -q '"backend": "sim"' run1/bench.json || fail "bench.json has no sim measurement"
grep -q '"projected_kernel_ms"' run1/bench.json || fail "bench.json has no projected card time"
grep -q "| msm | sim | 2^6 |" run1/bench.md || fail "bench.md lacks the sim MSM row"
# bench.json's schema version, spread, throughput, scalar distributions,
# provenance and the projected 2^24 MSM (docs/bench_json.md).
grep -q '"schema_version": 1' run1/bench.json || fail "bench.json has no schema_version 1"
grep -q '"max_ms"' run1/bench.json || fail "bench.json has no spread (max_ms)"
grep -q '"throughput_unit": "points/s"' run1/bench.json || fail "bench.json has no MSM throughput"
grep -q '"projected_throughput_per_s"' run1/bench.json || fail "bench.json has no projected device throughput"
for d in uniform sparse-witness one-bucket; do
  grep -q "| msm | sim | 2^6 | $d |" run1/bench.md || fail "bench.md lacks the sim MSM row with $d scalars"
done
grep -q '"lanes"' run1/bench.json || fail "bench.json has no MSM kernel parameters"
grep -q '"log_max_n"' run1/bench.json || fail "bench.json has no NTT kernel parameters"
grep -q '"card_projection"' run1/bench.json || fail "bench.json has no projected 2^24 MSM"
grep -q "Projected 2^24-point G1 MSM" run1/bench.md || fail "bench.md has no projected 2^24 MSM"
expect 0 "regression(s) beyond" "$zkacc" bench --ops ntt --backends cpu --ntt-logs 6,8 --repeat 1 --baseline run1/bench.json -o run2
grep -q '"comparison"' run2/bench.json || fail "bench.json has no comparison with the baseline"
echo '{"not": "a bench"}' > bad.json
expect 1 "bad.json: no 'measurements' array" "$zkacc" bench --ops ntt --backends cpu --ntt-logs 6 --baseline bad.json -o run3
sed 's/"schema_version": 1/"schema_version": 2/' run1/bench.json > v2.json
expect 1 "v2.json: schema_version 2, but this zkacc reads and writes schema_version 1" \
  "$zkacc" bench --ops ntt --backends cpu --ntt-logs 6 --baseline v2.json -o run4
expect 1 "unknown scalar distribution 'gaussian'" \
  "$zkacc" bench --ops msm --backends cpu --msm-logs 6 --distributions gaussian -o run5

if ((failures)); then echo "$failures failure(s)"; exit 1; fi
echo "runtime cli: all ok"
