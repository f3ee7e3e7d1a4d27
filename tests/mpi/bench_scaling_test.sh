#!/usr/bin/env bash
# `zkacc bench --ops scaling` at small sizes (a 2^12 MSM, the mlp model, 1
# and 2 ranks, one job each): it exits 0, and scaling.json holds one MSM and
# one prove row per rank count whose results matched one process's, whose
# speedup and efficiency follow from the JSON's own times (t1/tk, speedup/k),
# and whose bytes exchanged grow with the ranks; scaling.md exists. The
# timings themselves are not checked: the CI machine is shared.
# Usage: bench_scaling_test.sh <path to zkacc> [mpirun]
set -euo pipefail
zkacc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
mpirun="${2:-mpirun}"
work="$(mktemp -d -t zkacc-bench-scaling.XXXXXX)"
trap 'rm -rf "$work"' EXIT

timeout 300 "$zkacc" bench --ops scaling --scaling-msm-log 12 --scaling-model mlp --scaling-ranks 1,2 \
  --scaling-repeat 1 --scaling-mpirun "$mpirun" --scaling-timeout 120 -o "$work/out" >"$work/bench.log" 2>&1 || {
  cat "$work/bench.log"
  echo "FAIL: zkacc bench --ops scaling exited with an error" >&2
  exit 1
}
cat "$work/bench.log"

/usr/bin/python3 - "$work/out" <<'PY'
import json, os, sys

out = sys.argv[1]
failures = []
def check(cond, what):
    if not cond:
        failures.append(what)

with open(os.path.join(out, "scaling.json")) as f:
    s = json.load(f)
check(s["ok"] is True, "scaling.json: ok is not true")
check(s["ranks"] == [1, 2], f"scaling.json: ranks {s['ranks']}, expected [1, 2]")
check(s["threads_per_rank"] == 1, "scaling.json: threads_per_rank is not 1")

def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))

for part, time in (("msm", "msm_ms"), ("prove", "prove_ms")):
    rows = s[part]["rows"]
    check([r["ranks"] for r in rows] == [1, 2], f"{part}: not one row per rank count: {[r['ranks'] for r in rows]}")
    t1 = rows[0][time]
    for r in rows:
        k = r["ranks"]
        check(r["ok"] is True, f"{part} np={k}: not ok: {r.get('errors')}")
        check(r[time] > 0, f"{part} np={k}: no time")
        check(close(r["speedup"], t1 / r[time]), f"{part} np={k}: speedup {r['speedup']} != t1/tk {t1 / r[time]}")
        check(close(r["efficiency"], r["speedup"] / k), f"{part} np={k}: efficiency != speedup/k")
        check(r["job_wall_ms"] >= r[time], f"{part} np={k}: job wall time below the measured time")
        check(r["oversubscribed"] == (k > s["machine"]["hardware_threads"]), f"{part} np={k}: oversubscribed flag wrong")

msm = s["msm"]
check(msm["log_size"] == 12 and msm["size"] == 4096, "msm: not 2^12")
check(all(r["result_matches"] for r in msm["rows"]), "msm: a result differs from one process's")

prove = s["prove"]
check(prove["model"] == "mlp", "prove: not the mlp model")
check(prove["single_process"]["ok"] is True, "prove: the single-process reference failed")
for r in prove["rows"]:
    k = r["ranks"]
    check(r["verified_and_public_matches"] is True, f"prove np={k}: proof not verified or public.json differs")
    check(close(r["msm_share"], r["msm_ms"] / r["prove_ms"]), f"prove np={k}: msm_share != msm/prove")
    check(0 < r["msm_share"] < 1, f"prove np={k}: MSM share {r['msm_share']} out of range")
    check(r["exchanges"] == 13, f"prove np={k}: {r['exchanges']} exchanges, expected 13")
    check(r["bytes_exchanged"] == r["bytes_sent"] + r["bytes_received"], f"prove np={k}: bytes do not add up")
b = [r["bytes_exchanged"] for r in prove["rows"]]
check(b[1] > b[0], f"prove: bytes exchanged do not grow with the ranks: {b}")

md = os.path.join(out, "scaling.md")
check(os.path.isfile(md) and "| ranks |" in open(md).read(), "scaling.md missing or without its table")

if failures:
    for f in failures:
        print("FAIL:", f, file=sys.stderr)
    sys.exit(1)
print("scaling.json checks passed")
PY
