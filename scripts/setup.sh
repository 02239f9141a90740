#!/usr/bin/env bash
# Sets up hlskit on a fresh Debian 12 machine: installs every Debian package the project needs
# (apt-get update once, only when something is missing; non-interactive), then configures and
# builds into build/. Idempotent: a second run only rebuilds what changed.
#
#   scripts/setup.sh [extra cmake -D options...]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config git
  verilator iverilog yosys tcl zlib1g-dev
  nextpnr-ice40 fpga-icestorm
  libsystemc-dev libeigen3-dev libfmt-dev libcli11-dev nlohmann-json3-dev
  libsvm-dev libsvm-tools
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-sklearn
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

jobs=$(nproc 2>/dev/null || echo 2)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@"
cmake --build build -j "$jobs"
