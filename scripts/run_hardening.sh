#!/usr/bin/env bash
# The hardening pass (docs/reliability.md): builds zkacc with clang,
# AddressSanitizer + UndefinedBehaviorSanitizer and the libFuzzer targets in
# build-hardening/, runs the unit tests under the sanitizers (every label
# but the RTL simulations, the npm interop runs and the zkacc program's own
# tests, which the main build covers (the program is not built here), and
# one exhaustive enumeration, below) and the C ABI's test
# programs, then the C ABI's 8-thread proving test under ThreadSanitizer
# (build-tsan/), then each fuzz target for
# ZKACC_FUZZ_SECONDS (default 15) from its seed corpus. Any sanitizer report, crash or failed test fails the run.
# Expects the packages of scripts/setup.sh (clang, libclang-rt-14-dev).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${ZKACC_HARDENING_BUILD_DIR:-$root/build-hardening}"
seconds="${ZKACC_FUZZ_SECONDS:-15}"
jobs="${ZKACC_BUILD_JOBS:-$(nproc)}"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
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
ctest --output-on-failure --parallel "$jobs" -L 'field|curve|msm|ntt|common|prover|zkml|runtime|drivers|regress|capi_sanitized' -LE 'interop|cli' \
  -E 'exhaustive: small Sigmoid, Tanh, Erf and GELU gadgets'
echo "hardening: the C ABI's concurrent proofs under ThreadSanitizer"
# Only what that test links (the core library, the runtime and the C ABI
# without the model pipeline), in a build of its own: TSan and ASan cannot
# share one. The portable field
# product: the BMI2/ADX assembly needs more registers than TSan leaves.
tsan="${ZKACC_TSAN_BUILD_DIR:-$root/build-tsan}"
cmake -S "$root" -B "$tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
  -DZKACC_SANITIZE=thread -DZKACC_NATIVE=OFF -DZKACC_MULX_ADX=OFF -DZKACC_CAPI_MODEL_PIPELINE=OFF -DZKACC_WITH_VERILATOR=OFF -DZKACC_WITH_BENCH=OFF -DZKACC_WITH_MPI=OFF -DZKACC_WITH_XRT=OFF
cmake --build "$tsan" --parallel "$jobs" --target capi_rapidsnark_compat_in_tree
(cd "$tsan" && TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1" \
   ctest --output-on-failure -R '^capi_rapidsnark_compat_sanitized$')
echo "hardening: each fuzz target for $seconds s"
status=0
ctest --output-on-failure --parallel "$jobs" -L fuzz || status=$?
for stats in fuzz/stats/*.txt; do
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$stats")"
  printf '  %-22s %12s executions\n' "$(basename "$stats" .txt)" "${execs:-?}"
done
exit "$status"
