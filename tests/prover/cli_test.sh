#!/usr/bin/env bash
# The prover commands on bad input: a clear message naming the file, a
# non-zero exit status, and no output file. And their happy paths on the
# checked-in multiplier circuit.
# Usage: cli_test.sh <path to zkacc>
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
zkacc="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
data="$here/../data/prover/multiplier"
work="$(mktemp -d -t zkacc-cli-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cd "$work"

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# expect <exit status> <message substring> <command...>: the outputs proof.json,
# public.json, vk.json and key.zkey must not exist afterwards.
expect() {
  local want_rc="$1" want_msg="$2"; shift 2
  rm -f proof.json public.json vk.json key.zkey
  local rc=0
  "$@" >out.log 2>&1 || rc=$?
  if [[ "$rc" != "$want_rc" ]]; then fail "$* -> exit $rc, expected $want_rc: $(cat out.log)"; return; fi
  [[ -z "$want_msg" ]] || grep -qF -- "$want_msg" out.log || fail "$* -> message lacks \"$want_msg\": $(cat out.log)"
  if [[ "$want_rc" != 0 ]]; then
    for f in proof.json public.json vk.json key.zkey; do [[ ! -e "$f" ]] || fail "$* left $f behind"; done
    ls | grep -q '\.tmp-' && fail "$* left a temporary file"
  fi
  return 0
}

python3 - "$data" <<'PY'
import struct, sys
d = sys.argv[1]
z = open(f"{d}/multiplier.zkey", "rb").read()
w = open(f"{d}/multiplier.wtns", "rb").read()
open("cut.zkey", "wb").write(z[: len(z) // 2])
open("magic.zkey", "wb").write(b"zkex" + z[4:])
def section(b, sid):
    pos, n = 12, struct.unpack_from("<I", b, 8)[0]
    for _ in range(n):
        i, size = struct.unpack_from("<IQ", b, pos)
        if i == sid: return pos + 12
        pos += 12 + size
plonk = bytearray(z); struct.pack_into("<I", plonk, section(z, 1), 2); open("plonk.zkey", "wb").write(plonk)
offcurve = bytearray(z); offcurve[section(z, 5) + 64 + 7] ^= 1; open("offcurve.zkey", "wb").write(offcurve)
# A witness with one extra value, and one with a wrong internal value.
s2 = section(w, 2)
longer = bytearray(w[:s2 - 8]) + struct.pack("<Q", 9 * 32) + w[s2:] + bytes(32)
struct.pack_into("<I", longer, section(w, 1) + 36, 9)
open("long.wtns", "wb").write(longer)
bad = bytearray(w); bad[s2 + 5 * 32] ^= 1; open("bad.wtns", "wb").write(bad)
noncanon = bytearray(w); noncanon[s2 + 2 * 32: s2 + 3 * 32] = b"\xff" * 32; open("noncanon.wtns", "wb").write(noncanon)
PY
cp "$data/vk.json" vkey_in.json
cp "$data/public.json" public_in.json
echo '["3114", "3"]' > tampered_public.json

W="$data/multiplier.wtns"; Z="$data/multiplier.zkey"
expect 0 "" "$zkacc" prove "$Z" "$W" proof.json public.json
[[ -s proof.json && -s public.json ]] || fail "prove wrote no proof"
expect 0 "OK" "$zkacc" verify vkey_in.json public_in.json "$data/proof.json"
expect 4 "INVALID" "$zkacc" verify vkey_in.json tampered_public.json "$data/proof.json"
expect 1 "cut.zkey: truncated" "$zkacc" prove cut.zkey "$W" proof.json public.json
expect 1 "magic.zkey: not a .zkey file" "$zkacc" prove magic.zkey "$W" proof.json public.json
expect 1 "plonk.zkey: is a PLONK key" "$zkacc" prove plonk.zkey "$W" proof.json public.json
expect 1 "plonk.zkey: is a PLONK key" "$zkacc" export-vkey plonk.zkey vk.json
expect 1 "offcurve.zkey: A point 1" "$zkacc" prove offcurve.zkey "$W" proof.json public.json
expect 1 "long.wtns: has 9 values, multiplier.zkey expects 8" "$zkacc" prove "$Z" long.wtns proof.json public.json
expect 1 "noncanon.wtns: value 2" "$zkacc" prove "$Z" noncanon.wtns proof.json public.json
expect 1 "the proof does not verify" "$zkacc" prove "$Z" bad.wtns proof.json public.json
expect 1 "bad.wtns: does not satisfy constraint" "$zkacc" prove "$Z" bad.wtns proof.json public.json --r1cs "$data/multiplier.r1cs"
expect 1 "missing.zkey: cannot open" "$zkacc" prove missing.zkey "$W" proof.json public.json
expect 1 "pot4.ptau" "$zkacc" setup "$data/multiplier.r1cs" "$here/../data/prover/pot4.ptau.missing" key.zkey
expect 0 "wrote key.zkey" "$zkacc" setup "$data/multiplier.r1cs" "$here/../data/prover/pot4.ptau" key.zkey

# Habits of a command-line tool: --version, the exit statuses in --help,
# --timings --json as one JSON object, and --json refused without --timings.
expect 0 "zkacc 0." "$zkacc" --version
expect 0 "4 verify: the proof does not verify" "$zkacc" --help
"$zkacc" prove "$Z" "$W" proof.json public.json --timings --json >timings.json ||
  fail "prove --timings --json failed: $(cat timings.json)"
python3 - timings.json <<'PY' || fail "prove --timings --json: not one JSON object with the phases: $(cat timings.json)"
import json, sys
j = json.load(open(sys.argv[1]))
names = [p["name"] for p in j["phases"]]
assert "load zkey" in names and "write proof" in names, names
assert j["total_ms"] >= sum(p["ms"] for p in j["phases"]) * 0.99
# CPU time per phase: never negative, never more than its threads could spend.
assert j["threads"] >= 1 and all(p["cpu_ms"] >= 0 for p in j["phases"]), j
assert all(p["cpu_ms"] <= p["ms"] * j["threads"] * 1.1 + 2 for p in j["phases"]), j
assert sum(p["cpu_ms"] for p in j["phases"]) > 0, j
PY
expect 107 "--json requires --timings" "$zkacc" prove "$Z" "$W" proof.json public.json --json

# On the CPU `zkacc prove` runs the lean zkacc-prove beside it in its place
# (host/cli/prove_main.cpp), with the same files and flags; without it
# beside the program the proof runs in process.
lean="$(dirname "$zkacc")/zkacc-prove"
[[ -x "$lean" ]] || fail "zkacc-prove is not beside $zkacc"
expect 0 "" "$lean" "$Z" "$W" lean_proof.json lean_public.json
expect 0 "OK" "$zkacc" verify vkey_in.json lean_public.json lean_proof.json
expect 1 "missing.zkey: cannot open" "$lean" missing.zkey "$W" proof.json public.json
mkdir -p alone stand_in
cp "$zkacc" alone/zkacc
expect 0 "" alone/zkacc prove "$Z" "$W" alone_proof.json alone_public.json
expect 0 "OK" "$zkacc" verify vkey_in.json alone_public.json alone_proof.json
cp "$zkacc" stand_in/zkacc
printf '#!/bin/sh\necho "$@" > "%s/stand_in/args.txt"\n' "$PWD" > stand_in/zkacc-prove
chmod +x stand_in/zkacc-prove
expect 0 "" stand_in/zkacc prove "$Z" "$W" p.json q.json --timings --no-verify --threads 3 --r1cs x.r1cs
[[ "$(cat stand_in/args.txt)" == "$Z $W p.json q.json --timings --no-verify --threads 3 --r1cs x.r1cs" ]] ||
  fail "zkacc prove handed zkacc-prove: $(cat stand_in/args.txt 2>/dev/null)"

if [[ $failures -ne 0 ]]; then echo "$failures failures" >&2; exit 1; fi
echo "all CLI checks passed"
