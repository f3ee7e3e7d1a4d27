#!/usr/bin/env bash
# Builds one C test program against the installed C ABI and runs it.
#   pkg-config  cc $(pkg-config --cflags --libs zkacc), as a zkacc user builds
#   plain       cc -I<include>/zkacc/capi ... -lzkacc_capi, the flags a rapidsnark
#               user has (-I to prover.h and verifier.h, -l the library)
# The program runs as `<program> <fixture dir> <work dir>` with the prefix's
# library on LD_LIBRARY_PATH, as an installed library outside the loader's
# default path is found.
#
# Usage: c_program_test.sh pkg-config|plain <prefix> <source.c> <work dir> <fixture dir>
set -euo pipefail
mode="$1"
prefix="$(realpath -m "$2")"
source="$(realpath -m "$3")"
work="$(realpath -m "$4")"
fixture="$(realpath -m "$5")"

pc="$(find "$prefix" -name zkacc.pc -path '*/pkgconfig/*')"
libdir="$(dirname "$(dirname "$pc")")"
rm -rf "$work"
mkdir -p "$work"
case "$mode" in
  pkg-config)
    PKG_CONFIG_PATH="$(dirname "$pc")"
    export PKG_CONFIG_PATH
    [[ "$(pkg-config --modversion zkacc)" == "$(sed -n 's/^Version: //p' "$pc")" ]]
    read -ra flags <<<"$(pkg-config --cflags zkacc)"
    read -ra libs <<<"$(pkg-config --libs zkacc)"
    ;;
  plain)
    flags=(-I"$prefix/include/zkacc/capi")
    libs=(-L"$libdir" -lzkacc_capi)
    ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
echo "cc -std=c99 -Wall -Wextra -Werror -pedantic ${flags[*]} $(basename "$source") ${libs[*]} -lpthread"
cc -std=c99 -Wall -Wextra -Werror -pedantic -D_POSIX_C_SOURCE=200809L "${flags[@]}" \
  -I"$(dirname "$source")" "$source" -o "$work/program" "${libs[@]}" -lpthread
LD_LIBRARY_PATH="$libdir" "$work/program" "$fixture" "$work"
