#!/usr/bin/env bash
# Lint every RTL module with `verilator --lint-only -Wall`, each as its own
# top (so parameter-dependent code is checked in the configuration the
# simulations use). Exit status 0 only when every run is clean. Waivers live
# in the RTL beside the code they cover, each with its reason.
#
# Usage: tests/rtl/rtl_lint.sh
set -euo pipefail

rtl="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../hw/rtl" && pwd)"
verilator="${VERILATOR:-verilator}"

arith=(
  "$rtl/arith/zkacc_arith_pkg.sv"
  "$rtl/arith/pipe_delay.sv"
  "$rtl/arith/valid_delay.sv"
  "$rtl/arith/cpa_pipe.sv"
  "$rtl/arith/csa_tree.sv"
  "$rtl/arith/mul_pipe.sv"
  "$rtl/arith/mod_add.sv"
  "$rtl/arith/mod_sub.sv"
  "$rtl/arith/mont_mul.sv"
)
q="256'h30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47"
r="256'h30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001"

# <top module> <extra files> <-G parameters...>
runs=(
  "pipe_delay|"
  "pipe_delay||-GDepth=4 -GWidth=8"
  "pipe_delay||-GDepth=20 -GWidth=8"
  "valid_delay||-GDepth=3 -GTagWidth=4"
  "cpa_pipe|"
  "csa_tree||-GN=7"
  "mul_pipe|"
  "mod_add||-GModulus=$q"
  "mod_sub||-GModulus=$q"
  "mont_mul||-GModulus=$q"
  "mont_mul||-GModulus=$r"
  "butterfly|$rtl/ntt/butterfly.sv|-GForm=0"
  "butterfly|$rtl/ntt/butterfly.sv|-GForm=1"
  "g1_xyzz_madd|$rtl/msm/g1_xyzz_madd.sv|"
)

status=0
for run in "${runs[@]}"; do
  IFS='|' read -r top extra params <<< "$run"
  # shellcheck disable=SC2086
  if "$verilator" --lint-only -Wall --top-module "$top" "${arith[@]}" $extra $params; then
    echo "lint clean: $top $params"
  else
    echo "lint FAILED: $top $params"
    status=1
  fi
done
exit $status
