#!/usr/bin/env bash
# Installs the Debian packages the example-model training script needs:
#   python3-torch, python3-onnx, python3-numpy and dataset-fashion-mnist.
# Idempotent: packages already installed are skipped. Uses sudo only when not root.
# The packages are visible only to the system interpreter /usr/bin/python3.
set -euo pipefail

PKGS=(python3-numpy python3-torch python3-onnx dataset-fashion-mnist)

missing=()
for p in "${PKGS[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  if [[ "$status" == "install ok installed" ]]; then
    echo "setup_python: $p already installed"
  else
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup_python: nothing to install"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  SUDO="sudo"
fi

echo "setup_python: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists if a package is not known to apt yet.
for p in "${missing[@]}"; do
  if ! apt-cache show "$p" >/dev/null 2>&1; then
    $SUDO apt-get update
    break
  fi
done
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
