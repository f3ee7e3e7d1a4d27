#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time and fails on any crash.
#
#   run_fuzzer.sh <fuzzer binary> <work dir> <seconds> <seed file or dir>...
#
# The corpus lives in <work dir>/corpus/<target> and grows from run to run
# (seeded from the given files the first time); a crashing input is kept in
# <work dir>/crashes and printed as base64. The last lines of libFuzzer's
# output (executions, coverage) go to <work dir>/stats/<target>.txt for
# docs/reliability.md.
set -euo pipefail
fuzzer="$1" work="$2" seconds="$3"
shift 3
name="$(basename "$fuzzer")"
corpus="$work/corpus/$name"
mkdir -p "$corpus" "$work/crashes" "$work/stats"
for seed in "$@"; do
  if [ -d "$seed" ]; then cp -n "$seed"/* "$corpus"/ 2>/dev/null || true; else cp -n "$seed" "$corpus"/; fi
done
log="$work/stats/$name.log"
# -malloc_limit_mb: one allocation above 512 MB is a bug (a size taken from
# the input and believed); -timeout: one input taking 20 s is a hang.
set +e
"$fuzzer" "$corpus" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -malloc_limit_mb=512 \
  -print_final_stats=1 -artifact_prefix="$work/crashes/$name-" >"$log" 2>&1
rc=$?
set -e
grep -E '^stat::|^Done|^#[0-9]+.*DONE' "$log" >"$work/stats/$name.txt" || true
if [ "$rc" -ne 0 ]; then
  echo "$name: libFuzzer exited with $rc; the end of its output:"
  tail -n 60 "$log"
  exit 1
fi
execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
echo "$name: ${execs:-?} executions in ${seconds} s, no crash; corpus $(ls "$corpus" | wc -l) inputs"
