#!/usr/bin/env bash
# Builds zkacc.xclbin for an Alveo card with Vitis (v++ and vivado on PATH,
# from a sourced Vitis settings64.sh) and the card's platform installed.
#
#   hw/vitis/build_xclbin.sh u55c|u250 [out_dir]
#
# Packages both kernel tops as .xo files with their card parameters, then
# links them with the card's connectivity. Takes hours (place and route).
set -euo pipefail
card="${1:?usage: build_xclbin.sh u55c|u250 [out_dir]}"
out="${2:-build-vitis-$card}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "$card" in
  u55c) part=xcu55c-fsvh2892-2L-e; platform="${ZKACC_PLATFORM:-xilinx_u55c_gen3x16_xdma_3_202210_1}" ;;
  u250) part=xcu250-figd2104-2L-e; platform="${ZKACC_PLATFORM:-xilinx_u250_gen3x16_xdma_4_1_202210_1}" ;;
  *) echo "build_xclbin.sh: unknown card '$card' (u55c, u250)" >&2; exit 2 ;;
esac
for tool in vivado v++; do
  command -v "$tool" >/dev/null || { echo "build_xclbin.sh: $tool not found (source Vitis's settings64.sh)" >&2; exit 2; }
done
mkdir -p "$out"
cd "$out"
# Card parameters: 2^16 buckets (URAM: msm_bucket_ram's RamStyle), one adder;
# NTTs of up to 2^18 points on chip with the data and twiddle RAMs in URAM
# (docs/kernel_ntt.md "Card builds": 256 + 128 = 384 URAM; as block RAM,
# the RTL's default for small builds, they would need 4,096 + 1,024 BRAM36,
# more than a U250's 2,688 or a U55C's 2,016). URAM needs ReadLatency ≥ 2.
# With the MSM kernel's 240 URAM that is 624 of a U55C's 960 and of a U250's
# 1,280. (2^19 fits alone: 768 URAM.) String parameters take Vivado's
# quotes (UG901, "-generic": string values in double quotes). Whether the
# fileset's generics reach the packaged IP's parameters is not checked here
# (no Vivado); docs/vitis.md. ZKACC_MSM_PARAMS replaces the
# MSM kernel's, e.g. the three-adder U250 build of docs/bench.md's projection
# (not yet placed and routed): "Lanes=3 BucketBits=18 DigitBits=18".
read -r -a msm_params <<< "${ZKACC_MSM_PARAMS:-BucketBits=16}"
vivado -mode batch -nojournal -source "$here/package_kernel.tcl" \
  -tclargs zkacc_msm_kernel "$part" zkacc_msm_kernel.xo "${msm_params[@]}"
vivado -mode batch -nojournal -source "$here/package_kernel.tcl" \
  -tclargs zkacc_ntt_kernel "$part" zkacc_ntt_kernel.xo LogMaxN=18 ReadLatency=2 \
  'DataRamStyle="ultra"' 'TwiddleRamStyle="ultra"'
v++ --link --target hw --platform "$platform" --config "$here/link_$card.cfg" \
  --save-temps -o zkacc.xclbin zkacc_msm_kernel.xo zkacc_ntt_kernel.xo
echo "built $out/zkacc.xclbin; run: XILINX_XRT=/opt/xilinx/xrt zkacc msm --backend xrt --xclbin $out/zkacc.xclbin"
