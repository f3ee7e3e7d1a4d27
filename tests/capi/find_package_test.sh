#!/usr/bin/env bash
# A CMake project using the installed zkacc through find_package(zkacc 0.2)
# (tests/capi/find_package): configure, build, run.
#
# Usage: find_package_test.sh <prefix> <work dir> <multiplier fixture dir>
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="$(realpath -m "$1")"
work="$(realpath -m "$2")"
fixture="$(realpath -m "$3")"

rm -rf "$work"
mkdir -p "$work"
# No optimization: the consumer's own code is small, and its compile time
# is most of this test's.
cmake -S "$here/find_package" -B "$work" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE= \
  >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; exit 1; }
grep "zkacc .* from" "$work/configure.log"
cmake --build "$work" -j 2
"$work/groth16_consumer" "$fixture"
"$work/layers_consumer"
