#!/usr/bin/env bash
# Installs the Debian 12 packages zkacc builds and tests with. Idempotent: a
# package already installed is not touched, so a second run takes a second.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libgmp-dev           # GMP: the independent oracle of the field tests
  catch2               # unit tests (Catch2 v2)
  libbenchmark-dev     # benchmarks
  nlohmann-json3-dev   # JSON in the CLI and test vectors
  libcli11-dev         # command-line parsing
  libeigen3-dev libonnx-dev libprotobuf-dev protobuf-compiler zlib1g-dev  # ZKML front end: ONNX import, tensors
  libssl-dev           # OpenSSL's libcrypto: SHA-256 of model and circuit files
  dataset-fashion-mnist  # test images of the ZKML accuracy test
  verilator yosys      # RTL simulation, lint and synthesis reports
  libxrt-dev uuid-dev  # the xrt backend (Alveo cards through XRT)
  gnuplot-nox          # bench suite plots
  tcl                  # hw/vitis packaging Tcl checked without Vivado (tests/vitis)
  clang libclang-rt-14-dev  # sanitizer and libFuzzer build (scripts/run_hardening.sh)
  libopenmpi-dev openmpi-bin  # --mpi: MSMs split across MPI ranks, and its mpirun tests
  python3
  python3-onnx python3-numpy  # the random ONNX graphs of the onnxruntime differential test
  python3-jsonschema   # bench.json checked against bench/bench.schema.json
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# snarkjs and circom2 (interop tests) need node and npm. A node that already
# brings its own npm (e.g. another distribution's package) is kept: Debian's
# npm package would conflict with it.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#packages[@]} packages present"
fi
