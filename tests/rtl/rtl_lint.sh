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
  "$rtl/arith/karatsuba_mul_pipe.sv"
  "$rtl/arith/mod_add.sv"
  "$rtl/arith/mod_sub.sv"
  "$rtl/arith/mont_mul.sv"
  "$rtl/arith/event_counter.sv"
)
q="256'h30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47"
r="256'h30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001"
# Kernel infrastructure (hw/rtl/kernel), as "extra" files of the kernel runs.
kernel="$rtl/kernel/zkacc_axi_pkg.sv $rtl/kernel/kernel_reset_pipe.sv $rtl/kernel/axi_burst_gen.sv $rtl/kernel/sync_fifo.sv $rtl/kernel/axil_ctrl_regs.sv $rtl/kernel/axi_read_stream.sv $rtl/kernel/axi_write_stream.sv"
# MSM bucket accumulator and its parts (hw/rtl/msm), as "extra" files.
msm="$rtl/msm/g1_xyzz_madd.sv $rtl/msm/msm_bucket_ram.sv $rtl/msm/msm_inflight_tracker.sv $rtl/msm/msm_pair_queue.sv $rtl/msm/msm_bucket_accumulator.sv $rtl/msm/msm_pair_source.sv $rtl/msm/msm_scalar_slicer.sv $rtl/msm/msm_point_join.sv"

# <top module> <extra files> <-G parameters...>
runs=(
  "pipe_delay|"
  "pipe_delay||-GDepth=4 -GWidth=8"
  "pipe_delay||-GDepth=20 -GWidth=8"
  "valid_delay||-GDepth=3 -GTagWidth=4"
  "cpa_pipe|"
  "csa_tree||-GN=7"
  "mul_pipe|"
  "karatsuba_mul_pipe|"
  "karatsuba_mul_pipe||-GWidthA=256 -GWidthB=254 -GWidthP=511"
  "mod_add||-GModulus=$q"
  "mod_sub||-GModulus=$q"
  "mont_mul||-GModulus=$q"
  "mont_mul||-GModulus=$r"
  "mont_mul||-GModulus=$q -GKaratsuba=1'b1"
  "butterfly|$rtl/ntt/butterfly.sv|-GForm=0"
  "butterfly|$rtl/ntt/butterfly.sv|-GForm=1"
  "g1_xyzz_madd|$rtl/msm/g1_xyzz_madd.sv|"
  "sync_fifo|$kernel|"
  "sync_fifo|$kernel|-GWidth=512 -GDepth=128"
  "sync_fifo|$kernel|-GDepth=1"
  "sync_fifo|$kernel|-GDepth=5"
  "axi_burst_gen|$kernel|"
  "axi_burst_gen|$kernel|-GMaxBurstBeats=16"
  "axil_ctrl_regs|$kernel|"
  "axil_ctrl_regs|$kernel|-GNumArgs=5 -GNumStatus=3"
  "kernel_reset_pipe|$kernel|"
  "axi_read_stream|$kernel|"
  "axi_write_stream|$kernel|"
  "zkacc_copy_kernel|$kernel $rtl/kernel/zkacc_copy_kernel.sv|"
  "msm_bucket_ram|$msm|"
  "msm_bucket_ram|$msm|-GReadLatency=1 -GAddrBits=4 -GWidth=8"
  "msm_inflight_tracker|$msm|"
  "msm_pair_queue|$msm|"
  "msm_pair_source|$msm|-GBucketBits=12"
  "msm_pair_source|$msm|-GBucketBits=11 -GLanes=2 -GLane=1"
  "msm_pair_source|$msm|-GLanes=3 -GLane=2"
  "msm_scalar_slicer|$msm|"
  "msm_scalar_slicer|$msm|-GDigitBits=18"
  "msm_point_join|$msm|"
  "msm_bucket_accumulator|$msm|-GBucketBits=12 -GEpochBits=2"
  "msm_bucket_accumulator|$msm|-GRamLatency=1"
  "msm_bucket_accumulator|$msm|-GBucketBits=18 -GRamLatency=4 -GQueueDepth=5"
  "zkacc_msm_kernel|$kernel $msm $rtl/kernel/zkacc_msm_kernel.sv|-GBucketBits=12 -GQueueDepth=16 -GEpochBits=2"
  "zkacc_msm_kernel|$kernel $msm $rtl/kernel/zkacc_msm_kernel.sv|-GBucketBits=12 -GQueueDepth=16 -GEpochBits=2 -GLanes=2"
  "zkacc_msm_kernel|$kernel $msm $rtl/kernel/zkacc_msm_kernel.sv|-GLanes=3"
  "zkacc_msm_kernel|$kernel $msm $rtl/kernel/zkacc_msm_kernel.sv|-GBucketBits=12 -GQueueDepth=16 -GEpochBits=2 -GLanes=4"
  "zkacc_msm_kernel|$kernel $msm $rtl/kernel/zkacc_msm_kernel.sv|"
  "event_counter||"
  "event_counter||-GWidth=40 -GChunkWidth=16 -GIncWidth=3"
  "ntt_ram|$rtl/ntt/ntt_ram.sv|"
  "ntt_ram|$rtl/ntt/ntt_ram.sv|-GReadLatency=2 -GDepth=100"
  "ntt_engine|$rtl/ntt/butterfly.sv $rtl/ntt/ntt_ram.sv $rtl/ntt/ntt_engine.sv|"
  "ntt_engine|$rtl/ntt/butterfly.sv $rtl/ntt/ntt_ram.sv $rtl/ntt/ntt_engine.sv|-GLogMaxN=16 -GReadLatency=2"
  "zkacc_ntt_kernel|$kernel $rtl/ntt/butterfly.sv $rtl/ntt/ntt_ram.sv $rtl/ntt/ntt_engine.sv $rtl/kernel/zkacc_ntt_kernel.sv|"
)

status=0
for run in "${runs[@]}"; do
  IFS='|' read -r top extra params <<< "$run"
  # shellcheck disable=SC2086
  if "$verilator" --lint-only -Wall -I"$rtl/kernel" --top-module "$top" "${arith[@]}" $extra $params; then
    echo "lint clean: $top $params"
  else
    echo "lint FAILED: $top $params"
    status=1
  fi
done
exit $status
