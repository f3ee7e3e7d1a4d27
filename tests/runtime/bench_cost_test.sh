#!/usr/bin/env bash
# `zkacc bench --ops cost` end to end on the committed MLP: cost.json has
# every field, the proofs verified, plain inference is faster than a proof,
# the dollar figures follow the stated formulas from the JSON's own numbers,
# doubling the CPU price doubles the CPU-only dollars, cost.md (and cost.png
# with gnuplot) is written, and an unknown model stops with a clear error.
# With the sim backend in the build, the adder utilization is measured on the
# simulated kernel (small, to stay quick).
# Usage: bench_cost_test.sh <path to zkacc>
set -euo pipefail
zkacc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$(mktemp -d -t zkacc-bench-cost.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"
export ZKACC_PTAU_DIR="$work/ptau"   # a generated ptau of its own, not the user's cache
python=/usr/bin/python3

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

sim_log=0
if "$zkacc" info 2>/dev/null | grep -Eq "^backends:.* sim( |$)"; then sim_log=7; fi

run() {  # run <dir> <extra args...>
  local out="$1"; shift
  local rc=0
  "$zkacc" bench --ops cost --cost-models mlp --cost-repeat 1 --cost-inference-ms 50 -o "$out" "$@" \
    >"$out.log" 2>&1 || rc=$?
  [[ "$rc" == 0 ]] || fail "bench --ops cost $* -> exit $rc: $(cat "$out.log")"
}
run one --cost-sim-log "$sim_log"
run two --cost-sim-log 0 --cpu-hour-usd 0.085 --cost-batch 1,3

for d in one two; do
  [[ -s "$d/cost.json" ]] || fail "$d: no cost.json"
  [[ -s "$d/cost.md" ]] || fail "$d: no cost.md"
  if command -v gnuplot >/dev/null; then [[ -s "$d/cost.png" ]] || fail "$d: no cost.png"; fi
  grep -q "overhead" "$d.log" || fail "$d: no summary printed: $(cat "$d.log")"
done

if [[ -s one/cost.json && -s two/cost.json ]]; then
  "$python" - "$sim_log" <<'EOF' || fail "cost.json checks (above)"
import json, sys
sim_log = int(sys.argv[1])
one = json.load(open("one/cost.json"))
two = json.load(open("two/cost.json"))
errors = []
def check(cond, what):
    if not cond:
        errors.append(what)

def close(a, b, rel=1e-9):
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)

for name, rep in (("one", one), ("two", two)):
    for key in ("date", "machine", "build", "prices", "card_assumptions", "models", "ok"):
        check(key in rep, f"{name}: no '{key}'")
    check(rep.get("ok") is True, f"{name}: ok is not true")
    prices = rep["prices"]
    for key in ("cpu_hour_usd", "fpga_hour_usd", "cpu_source", "fpga_source"):
        check(key in prices, f"{name}: prices lack '{key}'")
    check(len(rep["models"]) == 1 and rep["models"][0]["model"] == "mlp", f"{name}: models is not [mlp]")
    m = rep["models"][0]
    for key in ("constraints", "wires", "domain", "parameters", "macs", "inference_float_ms",
                "inference_quantized_ms", "one_time_ms", "proof_wall_ms", "cpu_s", "overhead_cpu",
                "card", "overhead_card", "usd_per_million_cpu", "usd_per_million_card", "verified"):
        check(key in m, f"{name}: model lacks '{key}'")
    check(m["verified"] == m["repeat"] == 1, f"{name}: the proof did not verify")
    check(m["parameters"] == 25450, f"{name}: MLP parameters {m['parameters']}, expected 25,450 (models/mlp.json)")
    check(m["constraints"] > 1000 and m["domain"] >= m["constraints"], f"{name}: circuit size implausible")
    for phase in ("setup (Groth16 key)", "powers of tau", "compile circuit"):
        check(phase in m["one_time_ms"], f"{name}: one-time work lacks '{phase}'")
    # A proof costs more than the inference it proves, by definition of the ratio.
    check(m["overhead_cpu"] > 1, f"{name}: overhead {m['overhead_cpu']} not above 1")
    check(close(m["overhead_cpu"], m["proof_wall_ms"] / m["inference_float_ms"]), f"{name}: overhead != proof / inference")
    check(m["cpu_s"] > 0 and m["inference_float_ms"] > 0, f"{name}: non-positive times")
    card = m["card"]
    check(0 < card["card_s"] < m["proof_wall_ms"] / 1e3 * 10, f"{name}: card seconds implausible")
    check(set(card["msms"]) == {"A", "B1", "C", "H"}, f"{name}: card MSMs are {sorted(card['msms'])}")
    check(close(card["card_s"], sum(p["card_s"] for p in card["msms"].values())), f"{name}: card_s != sum of MSMs")
    check(card["msms"]["H"]["points"] == m["domain"], f"{name}: H has not domain-size points")
    check(close(card["host_cpu_s"], m["cpu_s"] * (1 - m["g1_msm_share"]) + card["host_cpu_s_card_msms"]),
          f"{name}: host CPU with card != formula")
    check(close(m["overhead_card"], card["proof_s"] * 1e3 / m["inference_float_ms"]), f"{name}: overhead with card != formula")
    # Dollars per million proofs from the JSON's own numbers.
    cpu_h, fpga_h = prices["cpu_hour_usd"], prices["fpga_hour_usd"]
    check(close(m["usd_per_million_cpu"], m["cpu_s"] * cpu_h / 3600 * 1e6), f"{name}: $ CPU != formula")
    check(close(m["usd_per_million_card"], (card["card_s"] * fpga_h + card["host_cpu_s"] * cpu_h) / 3600 * 1e6),
          f"{name}: $ card != formula")

check(one["prices"]["cpu_hour_usd"] == 0.0425 and one["prices"]["fpga_hour_usd"] == 1.65, "default prices changed")
check(two["prices"]["cpu_hour_usd"] == 0.085, "--cpu-hour-usd not taken")
# Twice the price per CPU-second: twice the CPU-only dollars per CPU-second.
r1 = one["models"][0]["usd_per_million_cpu"] / one["models"][0]["cpu_s"]
r2 = two["models"][0]["usd_per_million_cpu"] / two["models"][0]["cpu_s"]
check(close(r2, 2 * r1), f"doubled CPU price: {r2} per CPU-s against {r1}")
util = one["card_assumptions"]["utilization_measurement"]
if sim_log:
    check(util["source"].startswith("measured"), f"sim build, but utilization is {util['source']}")
    check(0.3 < util["value"] <= 1 and util["additions"] > 0, f"measured utilization implausible: {util}")
else:
    check(util["source"].startswith("documented") and util["value"] == 0.981, f"utilization: {util}")
check(two["card_assumptions"]["utilization_measurement"]["source"].startswith("documented"),
      "--cost-sim-log 0 still measured")
# --cost-batch 1,3: one proof of 1 and of 3 inferences, each verified, costs per inference from its own numbers.
check(one["models"][0]["batch"] == [], "no --cost-batch, yet batches measured")
batches = two["models"][0]["batch"]
check([b["n"] for b in batches] == [1, 3], f"batch sizes {[b['n'] for b in batches]}, expected [1, 3]")
for b in batches:
    check(b["ok"] is True, f"batch of {b['n']}: the proof did not verify")
    check(b["constraints"] == b["n"] * two["models"][0]["constraints"], f"batch of {b['n']}: not n copies of the circuit")
    check(close(b["per_inference_ms"], b["proof_wall_ms"] / b["n"]), f"batch of {b['n']}: per inference != wall / n")
    check(close(b["overhead_cpu_per_inference"], b["per_inference_ms"] / two["models"][0]["inference_float_ms"]),
          f"batch of {b['n']}: overhead per inference != formula")
    check(close(b["usd_per_million_inferences_cpu"], b["cpu_s"] / b["n"] * 0.085 / 3600 * 1e6), f"batch of {b['n']}: $ != formula")
for e in errors:
    print("  " + e)
sys.exit(1 if errors else 0)
EOF
fi

# An unknown model: a clear error, a non-zero exit, nothing proved.
rc=0
"$zkacc" bench --ops cost --cost-models mlp,nosuchmodel --cost-sim-log 0 -o bad >bad.log 2>&1 || rc=$?
[[ "$rc" != 0 ]] || fail "unknown model accepted (exit 0)"
grep -q "unknown model 'nosuchmodel'" bad.log || fail "unknown model: unclear message: $(cat bad.log)"
grep -q "mlp" bad.log || fail "unknown model: the message does not list the models: $(cat bad.log)"
[[ ! -e bad/cost.json ]] || fail "unknown model: cost.json written anyway"

if [[ "$failures" != 0 ]]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "bench cost: all checks passed"
