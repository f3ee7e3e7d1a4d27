#!/usr/bin/env bash
# bench.json against its schema (bench/bench.schema.json): the files `zkacc
# bench` writes (a sweep, a run compared with it as a baseline, a report
# without a sweep) are valid
# and carry what the schema cannot say (every distribution measured and
# checked, the kernels' parameters of a device backend, the git commit of
# the source); broken copies are invalid (so the validation can fail); and
# --baseline refuses a bench.json of another schema_version by name.
# Usage: bench_json_schema_test.sh <zkacc> <schema> <backends> <source dir>
set -euo pipefail
zkacc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
schema="$2" backends="$3" source_dir="$4"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
validate() { /usr/bin/python3 "$here/validate_bench_json.py" "$schema" "$@"; }
work="$(mktemp -d -t zkacc-bench-schema.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"

# jsonschema missing: skipped (77), not passed.
rc=0; /usr/bin/python3 -c 'import jsonschema' 2>/dev/null || rc=$?
if ((rc)); then echo "python3-jsonschema is not installed: skipped"; exit 77; fi

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

"$zkacc" bench --ops msm,ntt --backends "$backends" --msm-logs 6 --ntt-logs 6 --repeat 3 -o run1 >run1.log 2>&1 \
  || { cat run1.log; fail "bench run1 exited with an error"; }
"$zkacc" bench --ops msm --backends cpu --msm-logs 6 --distributions uniform --repeat 2 --baseline run1/bench.json \
  -o run2 >run2.log 2>&1 || { cat run2.log; fail "bench run2 (with a baseline) exited with an error"; }
# A run of a report alone (no sweep: no measurements, no projection).
"$zkacc" bench --ops cost --cost-models mlp --cost-repeat 1 --cost-inference-ms 20 --cost-sim-log 0 -o run3 \
  >run3.log 2>&1 || { cat run3.log; fail "bench --ops cost exited with an error"; }
validate run1/bench.json run2/bench.json run3/bench.json || fail "a bench.json the suite wrote is not valid against the schema"

# What the schema does not say: the content of this run.
/usr/bin/python3 - "$backends" "$source_dir" <<'PY' || fail "bench.json content"
import json, subprocess, sys
backends, source_dir = sys.argv[1].split(","), sys.argv[2]
r1 = json.load(open("run1/bench.json"))
r2 = json.load(open("run2/bench.json"))
bad = []
def check(cond, what):
    if not cond: bad.append(what)
ms = r1["measurements"]
for b in backends:
    got = sorted(m["distribution"] for m in ms if m["op"] == "msm" and m["backend"] == b)
    check(got == ["one-bucket", "sparse-witness", "uniform"], f"msm on {b}: distributions {got}")
    check(any(m["op"] == "ntt" and m["backend"] == b for m in ms), f"no ntt on {b}")
for m in ms:
    check(m["ok"], f"{m['op']} {m['backend']} {m['distribution']}: check failed")
    check(m["min_ms"] <= m["median_ms"] <= m["max_ms"], f"{m['op']} {m['backend']}: spread not ordered")
    check(len(m["runs_ms"]) == m["repeat"], f"{m['op']} {m['backend']}: runs_ms has not repeat entries")
    check(abs(m["throughput_per_s"] - m["size"] / (m["median_ms"] / 1e3)) <= 1e-6 * m["throughput_per_s"],
          f"{m['op']} {m['backend']}: throughput is not size / median time")
    check((m["device"] is None) == (m["backend"] == "cpu"), f"{m['op']} {m['backend']}: device entry")
for b in backends:
    if b == "cpu":
        continue
    k = r1["provenance"]["kernels"].get(b)
    check(k is not None and k["msm"] is not None and k["ntt"] is not None, f"kernel parameters of {b}: {k}")
check(r1["provenance"]["card"] is None, "a card without xrt")
rows = r1["card_projection"]["rows"]
check({r["adders"] for r in rows} == {1, 2, 3}, "projection builds")
check({r["clock_mhz"] for r in rows} >= {300, 250}, "projection clocks")
check(all(r["latency_s"] >= r["kernel_s"] for r in rows), "projected MSM shorter than its kernel time")
check(r1["card_projection"]["host_addition_ns"] > 10, "host addition time")
check(len(r2["comparison"]) == 1 and r2["comparison"][0]["distribution"] == "uniform", f"comparison {r2['comparison']}")
head = subprocess.run(["git", "-C", source_dir, "rev-parse", "HEAD"], capture_output=True, text=True)
if head.returncode == 0:
    check(r1["provenance"]["git"]["commit"] == head.stdout.strip(),
          f"git commit {r1['provenance']['git']['commit']} is not HEAD {head.stdout.strip()}")
for what in bad:
    print("bench.json:", what, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# Broken copies are refused by the schema.
/usr/bin/python3 - <<'PY'
import json
r = json.load(open("run1/bench.json"))
def write(name, change):
    doc = json.loads(json.dumps(r))
    change(doc)
    json.dump(doc, open(name, "w"))
write("no_version.json", lambda d: d.pop("schema_version"))
write("version2.json", lambda d: d.update(schema_version=2))
write("string_time.json", lambda d: d["measurements"][0].update(median_ms="12"))
write("no_distribution.json", lambda d: d["measurements"][0].pop("distribution"))
write("unknown_distribution.json", lambda d: d["measurements"][0].update(distribution="gaussian"))
write("ntt_points.json", lambda d: [m.update(throughput_unit="points/s") for m in d["measurements"] if m["op"] == "ntt"])
write("bad_commit.json", lambda d: d["provenance"]["git"].update(commit="HEAD"))
write("no_projection_rows.json", lambda d: d["card_projection"].update(rows=[]))
PY
for f in no_version version2 string_time no_distribution unknown_distribution ntt_points bad_commit no_projection_rows; do
  validate --expect-invalid "$f.json" >/dev/null || fail "the schema accepts $f.json"
done

# --baseline refuses another schema_version, naming the file and both versions.
rc=0; "$zkacc" bench --ops ntt --backends cpu --ntt-logs 6 --repeat 1 --baseline version2.json -o run5 >run5.log 2>&1 || rc=$?
[[ $rc == 1 ]] || fail "--baseline version2.json: exit $rc, expected 1"
grep -qF "version2.json: schema_version 2, but this zkacc reads and writes schema_version 1" run5.log \
  || fail "--baseline version2.json: $(cat run5.log)"
[[ ! -e run5/bench.json ]] || fail "--baseline version2.json still wrote a bench.json"
rc=0; "$zkacc" bench --ops ntt --backends cpu --ntt-logs 6 --repeat 1 --baseline no_version.json -o run4 >run4.log 2>&1 || rc=$?
[[ $rc == 1 ]] || fail "--baseline no_version.json: exit $rc, expected 1"
grep -qF "no_version.json: no schema_version" run4.log || fail "--baseline no_version.json: $(cat run4.log)"

if ((failures)); then echo "$failures failure(s)"; exit 1; fi
echo "bench.json schema: all ok"
