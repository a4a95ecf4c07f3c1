#!/usr/bin/env bash
# Installs the Debian packages janus builds and tests with, where missing.
# Runs apt-get as root (through sudo when not root).
#   bash scripts/install-deps.sh [extra packages]
set -euo pipefail

# Open MPI (libopenmpi-dev, openmpi-bin) builds janus::distributed and runs
# its tests under mpirun; janus builds without it, leaving those out.
packages=(g++ cmake make libboost-dev libboost-test-dev libopenblas-dev zlib1g-dev libbenchmark-dev
          gnuplot-nox libopenmpi-dev openmpi-bin "$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
echo "Installing: ${missing[*]}"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
