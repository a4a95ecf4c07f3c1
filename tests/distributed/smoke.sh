#!/usr/bin/env bash
# Two processes train a small model on a few hundred MNIST images through
# mnist_mlp: the job ends well, rank 0 alone prints and writes. Skipped
# without the data set.
#   bash smoke.sh MPIEXEC PROGRAM FOLDER
set -euo pipefail
if [ -z "${JANUS_MNIST:-}" ]; then
  echo "skipped: JANUS_MNIST does not name the MNIST data set"
  exit 0
fi
mpiexec=$1 program=$2 folder=$3
rm -rf "$folder"
mkdir -p "$folder"
"$mpiexec" -np 2 --oversubscribe "$program" --train-limit 300 --hidden 16 --batch 30 --epochs 2 \
  --out "$folder/out" --save "$folder/model.janus" | tr '\r' '\n' | tee "$folder/log"

fail() { echo "FAILED: $*"; exit 1; }
grep -q "2 processes, each on its share of every batch" "$folder/log" || fail "no line names the two processes"
[ "$(grep -c '^epoch  [12]  loss' "$folder/log")" -eq 2 ] || fail "not one line per epoch (one process prints)"
grep -q "trained in .* s; test accuracy" "$folder/log" || fail "no final line"
[ "$(wc -l < "$folder/out/metrics.csv")" -eq 3 ] || fail "metrics.csv does not hold a header and two epochs"
[ -f "$folder/model.janus" ] || fail "no checkpoint"
echo "passed"
