#!/usr/bin/env bash
# The hardening pass (docs/reliability.md): builds zkacc with clang,
# AddressSanitizer + UndefinedBehaviorSanitizer and the libFuzzer targets in
# build-hardening/, runs the unit tests under the sanitizers (every label
# but the RTL simulations and the npm interop runs, which the main build
# covers, and one exhaustive enumeration, below), then each fuzz target for
# ZKACC_FUZZ_SECONDS (default 30) from its seed corpus. Any sanitizer report, crash or failed test fails the run.
# Expects the packages of scripts/setup.sh (clang, libclang-rt-14-dev).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ZKACC_HARDENING_BUILD_DIR:-$root/build-hardening}"
seconds="${ZKACC_FUZZ_SECONDS:-30}"
jobs="${ZKACC_BUILD_JOBS:-$(nproc)}"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  -DZKACC_SANITIZE=address,undefined -DZKACC_WITH_FUZZERS=ON -DZKACC_FUZZ_SECONDS="$seconds" \
  -DZKACC_WITH_VERILATOR=OFF -DZKACC_WITH_BENCH=OFF
cmake --build "$build" --parallel "$jobs"

cd "$build"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
echo "hardening: unit tests under ASan + UBSan"
# The enumeration of every small Sigmoid/Tanh/Erf/GELU witness is left to the
# main build: 85 s under the sanitizers for arithmetic the other smooth
# activation tests here already run through the same gadget code.
ctest --output-on-failure --parallel "$jobs" -L 'field|curve|msm|ntt|common|prover|zkml|runtime|drivers|regress' -LE 'interop' \
  -E 'exhaustive: small Sigmoid, Tanh, Erf and GELU gadgets'
echo "hardening: each fuzz target for $seconds s"
status=0
ctest --output-on-failure --parallel "$jobs" -L fuzz || status=$?
for stats in fuzz/stats/*.txt; do
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$stats")"
  printf '  %-22s %12s executions\n' "$(basename "$stats" .txt)" "${execs:-?}"
done
exit "$status"
