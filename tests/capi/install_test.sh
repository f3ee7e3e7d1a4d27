#!/usr/bin/env bash
# Installs the build into a prefix of its own, as a user would
# (cmake --install --prefix), and checks what landed there: the layout of
# docs/library.md, public headers only and complete, the C library exporting
# the functions of its headers and nothing else, the program running from there.
# The capi tests that follow use this prefix.
#
# Usage: install_test.sh <build dir> <prefix>
set -euo pipefail
build="$(realpath -m "$1")"
prefix="$(realpath -m "$2")"

fail() { echo "FAIL: $*" >&2; exit 1; }

# What the install copies must be built: nothing to do after a full build,
# and a test run on a partly built tree builds the rest first.
cmake --build "$build" --target zkacc_cli zkacc_capi
rm -rf "$prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null

# The libdir is lib/ unless the build was configured for /usr (then Debian's
# multiarch lib/x86_64-linux-gnu): take it from where the .pc file landed.
pc="$(find "$prefix" -name zkacc.pc -path '*/pkgconfig/*')"
[[ -n "$pc" ]] || fail "no zkacc.pc under $prefix"
libdir="$(dirname "$(dirname "$pc")")"

for f in bin/zkacc include/zkacc/capi/prover.h include/zkacc/capi/verifier.h include/zkacc/build_info.hpp \
         include/zkacc/prover/groth16.hpp include/zkacc/runtime/backend_factory.hpp include/zkacc/zkml/pipeline.hpp \
         share/doc/zkacc/LICENSE; do
  [[ -e "$prefix/$f" ]] || fail "$f is not installed"
done
for f in cmake/zkacc/zkaccConfig.cmake cmake/zkacc/zkaccConfigVersion.cmake cmake/zkacc/zkaccTargets.cmake \
         libzkacc_capi.so libzkacc_capi.so.0; do
  [[ -e "$libdir/$f" ]] || fail "${libdir#"$prefix"/}/$f is not installed"
done
for lib in zkacc zkacc_runtime zkacc_drivers zkacc_zkml; do
  compgen -G "$libdir/lib$lib.[as]*" >/dev/null || fail "lib$lib is not installed"
done

# Internals stay out: no detail headers, no device plumbing.
internal="$(cd "$prefix/include" && find . -name '*detail*' -o -name device_msm.hpp -o -name sim_device.hpp)"
[[ -z "$internal" ]] || fail "internal headers installed: $internal"

# Every zkacc header an installed header includes is installed.
missing=0
while IFS= read -r header; do
  while IFS= read -r inc; do
    [[ -e "$prefix/include/$inc" ]] || { echo "  ${header#"$prefix"/include/} includes $inc, not installed" >&2; missing=1; }
  done < <(sed -n 's/^#include "\(zkacc\/[^"]*\)".*/\1/p' "$header")
done < <(find "$prefix/include" -name '*.hpp' -o -name '*.h')
[[ $missing == 0 ]] || fail "installed headers include headers that are not installed"

# The C library's dynamic symbols are the ten functions of prover.h and
# verifier.h and the fifteen of zkacc.h: zkacc's C++, nlohmann::json, the
# ONNX importer's protobuf classes and the sim backend's DPI functions stay
# hidden inside.
exported="$(nm -D --defined-only "$libdir/libzkacc_capi.so" | awk '$2 ~ /^[TDBRVW]$/ {print $3}' | sort | tr '\n' ' ')"
expected="groth16_proof_size groth16_prover groth16_prover_create groth16_prover_create_zkey_file \
groth16_prover_destroy groth16_prover_prove groth16_prover_zkey_file groth16_public_size_for_zkey_buf \
groth16_public_size_for_zkey_file groth16_verify zkacc_model_compile zkacc_model_free zkacc_model_prove \
zkacc_model_settings zkacc_model_setup zkacc_model_verification_key zkacc_model_witness zkacc_model_write_r1cs \
zkacc_msm_g1 zkacc_ntt zkacc_prove zkacc_proving_key_free zkacc_proving_key_load zkacc_proving_key_load_buffer \
zkacc_proving_key_precompute "
[[ "$exported" == "$expected" ]] || fail "libzkacc_capi.so exports: $exported"
[[ "$(objdump -p "$libdir/libzkacc_capi.so" | awk '$1 == "SONAME" {print $2}')" == libzkacc_capi.so.0 ]] ||
  fail "libzkacc_capi.so's soname is not libzkacc_capi.so.0"

# The installed program runs from the prefix and reports the version the
# package files carry.
version="$(sed -n 's/^Version: //p' "$pc")"
"$prefix/bin/zkacc" info | grep -q "zkacc $version" || fail "installed zkacc info does not report version $version"
grep -q "PACKAGE_VERSION \"$version\"" "$libdir/cmake/zkacc/zkaccConfigVersion.cmake" ||
  fail "zkaccConfigVersion.cmake does not carry version $version"
echo "installed zkacc $version into $prefix"
