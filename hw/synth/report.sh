#!/usr/bin/env bash
# Synthesis report for the RTL cores: one line per core with
#   LUT, FF, DSP48E2, BRAM/URAM   yosys synth_xilinx -family xcup (UltraScale+)
#   depth                         longest register-to-register path in cells of
#                                 that netlist (LUT, CARRY8, MUXF*), see below
#   gates                         generic gates (2-input AND/NAND/OR/NOR/XOR/XNOR,
#                                 MUX, NOT) after synth; abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX
#                                 (ASIC view; flip-flops not included)
#
# Depth: after synth_xilinx the flip-flops (FD*), shift registers (SRL*) and
# DSP48E2 blocks are deleted from the netlist, which cuts every path at a
# register, and `ltp` reports the longest remaining path. DSP48E2 count as
# registered because the RTL registers the operands, product and output of
# each tile (Vivado packs these into AREG/BREG, MREG, PREG; yosys 0.23 leaves
# them in fabric flip-flops, so the FF column over-counts by that much).
# Memories are cut too (block RAM, UltraRAM and LUT RAM: RAMB*, URAM*,
# RAM32M*, RAM64M*): they write synchronously, and left in the netlist `ltp`
# follows a LUT RAM from its write data to its read data, a path that does
# not exist (the bucket accumulator's queue then showed 46 cells where its
# real longest path has 13). A LUT RAM's asynchronous read (address to
# data, one cell) is lost with it.
# A carry cell counts as one level, as in Vivado's "logic levels"; yosys 0.23
# maps carries to CARRY4 (4 bits) even for UltraScale+, where Vivado would use
# CARRY8, so carry chains count about twice what they would in Vivado.
#
# Kept modules: a core whose cores.txt line ends in keep:<module> (the point
# adder: keep:mont_mul) is flattened except for that module, which yosys
# then synthesizes once for all its identical instances (the adder's eleven
# multipliers), and the totals count every instance (stat -top). Flattening
# all eleven into one netlist made synth_xilinx run for hours. Cutting there
# loses no optimization the netlist could use: the multiplier's operands are
# registered at its inputs (mul_pipe) and its result leaves from a register,
# so no logic crosses the boundary; for the same reason the depth is the
# longest path of any module, with the kept cells removed from their parents
# like the registers (a path ends at a multiplier's input register).
#
# Usage: hw/synth/report.sh [-j N] [-o DIR] [--no-gates] [--max-depth D] [core...]
#   core names as in hw/synth/cores.txt (default: all). Logs go to DIR
#   (default: a temporary directory, printed at the end). With --max-depth the
#   exit status is 1 when a core's depth exceeds D.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rtl="$(cd "$here/../rtl" && pwd)"
jobs=1
outdir=""
gates=1
max_depth=""
cores=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -j) jobs="$2"; shift 2 ;;
    -o) outdir="$2"; shift 2 ;;
    --no-gates) gates=0; shift ;;
    --max-depth) max_depth="$2"; shift 2 ;;
    -h|--help) sed -n '2,35p' "$0"; exit 0 ;;
    *) cores+=("$1"); shift ;;
  esac
done
[[ -n "$outdir" ]] || outdir="$(mktemp -d)"
mkdir -p "$outdir"

sources=(
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
  "$rtl/ntt/butterfly.sv"
  "$rtl/arith/event_counter.sv"
  "$rtl/ntt/ntt_ram.sv"
  "$rtl/ntt/ntt_engine.sv"
  "$rtl/msm/g1_xyzz_madd.sv"
  "$rtl/msm/msm_bucket_ram.sv"
  "$rtl/msm/msm_inflight_tracker.sv"
  "$rtl/msm/msm_pair_queue.sv"
  "$rtl/msm/msm_pair_source.sv"
  "$rtl/msm/msm_scalar_slicer.sv"
  "$rtl/msm/msm_point_join.sv"
  "$rtl/msm/msm_bucket_accumulator.sv"
  "$rtl/kernel/zkacc_axi_pkg.sv"
  "$rtl/kernel/kernel_reset_pipe.sv"
  "$rtl/kernel/sync_fifo.sv"
  "$rtl/kernel/axi_burst_gen.sv"
  "$rtl/kernel/axi_write_stream.sv"
)
read_cmd="read_verilog -sv ${sources[*]}"

declare -A top params keep
order=()
while read -r name module rest; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  top[$name]="$module"
  keep[$name]=""
  if [[ "$rest" =~ (^|[[:space:]])keep:([A-Za-z_0-9]+)$ ]]; then
    keep[$name]="${BASH_REMATCH[2]}"
    rest="${rest%keep:*}"
  fi
  params[$name]="$rest"
  order+=("$name")
done < "$here/cores.txt"
[[ ${#cores[@]} -gt 0 ]] || cores=("${order[@]}")

run_core() {
  local name="$1" module="${top[$1]}" chp="${params[$1]}" kept="${keep[$1]}"
  local chparam="" keep_cmd="" cut_kept=""
  [[ -n "${chp// /}" ]] && chparam="chparam $chp $module;"
  if [[ -n "$kept" ]]; then
    keep_cmd="hierarchy -top $module; rename -top $module; setattr -mod -set keep_hierarchy 1 *$kept;"
    cut_kept="delete t:*$kept;"
  fi
  local start=$SECONDS
  yosys -q -l "$outdir/$name.xilinx.log" -p "$read_cmd; $chparam $keep_cmd
    synth_xilinx -family xcup -flatten -noiopad -noclkbuf -top $module; rename -top $module;
    tee -o $outdir/$name.xilinx.stat stat -top $module;
    delete t:FD* t:SRL* t:DSP48E2 t:RAMB* t:URAM* t:RAM32M* t:RAM64M*; $cut_kept
    tee -o $outdir/$name.ltp ltp" >/dev/null
  if [[ $gates -eq 1 ]]; then
    yosys -q -l "$outdir/$name.gates.log" -p "$read_cmd; $chparam $keep_cmd
      synth -flatten -top $module; rename -top $module;
      abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX;
      opt_clean;
      tee -o $outdir/$name.gates.stat stat -top $module" >/dev/null
  fi
  echo $((SECONDS - start)) > "$outdir/$name.seconds"
}

# count <stat file> <cell regex>: sum of matching cell counts; with kept
# modules, those of the "design hierarchy" totals (every instance counted).
count() {
  awk -v re="$2" '/=== design hierarchy ===/ {s = 0; h = 1}
    $1 ~ "^" re "$" && $2 ~ /^[0-9]+$/ {s += $2} END {print s + 0}' "$1"
}

export -f run_core
export outdir read_cmd gates
running=0
for name in "${cores[@]}"; do
  [[ -n "${top[$name]:-}" ]] || { echo "unknown core: $name" >&2; exit 2; }
  run_core "$name" &
  running=$((running + 1))
  if [[ $running -ge $jobs ]]; then wait -n; running=$((running - 1)); fi
done
wait

status=0
printf '%-14s %9s %9s %7s %6s %6s %6s %10s %6s\n' core LUT FF DSP48E2 BRAM URAM depth gates time_s
for name in "${cores[@]}"; do
  st="$outdir/$name.xilinx.stat"
  lut=$(count "$st" 'LUT[1-6](_2)?')
  ff=$(count "$st" 'FD[A-Z]*')
  srl=$(count "$st" 'SRL[A-Z0-9]*')
  dsp=$(count "$st" 'DSP48E2')
  bram=$(count "$st" 'RAMB(18|36)E2')
  uram=$(count "$st" 'URAM288')
  depth=$(sed -n 's/.*Longest topological path .* (length=\([0-9]*\)).*/\1/p' "$outdir/$name.ltp" | sort -n | tail -1)
  g="-"
  if [[ $gates -eq 1 ]]; then
    g=$(count "$outdir/$name.gates.stat" '\$_(AND|NAND|OR|NOR|XOR|XNOR|MUX|NOT|ANDNOT|ORNOT)_')
  fi
  printf '%-14s %9s %9s %7s %6s %6s %6s %10s %6s\n' "$name" "$((lut + srl))" "$ff" "$dsp" "$bram" "$uram" \
    "$depth" "$g" "$(cat "$outdir/$name.seconds")"
  if [[ -n "$max_depth" && "${depth:-999}" -gt "$max_depth" ]]; then
    echo "  $name: depth $depth exceeds $max_depth" >&2
    status=1
  fi
done
echo "(LUT includes SRL shift registers; logs in $outdir)"
exit $status
