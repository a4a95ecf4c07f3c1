#!/usr/bin/env bash
# A two-process mnist_mlp run is killed (rank 1, SIGKILL) once its first
# checkpoint is in place: the job ends, naming the rank, rather than leaving
# rank 0 waiting. Resumed with --resume, it ends with the metrics, the loss
# log and the checkpoint, byte for byte, of a run that was never
# interrupted. Skipped without the data set.
#   bash kill_and_resume.sh MPIEXEC PROGRAM FOLDER
set -euo pipefail
if [ -z "${JANUS_MNIST:-}" ]; then
  echo "skipped: JANUS_MNIST does not name the MNIST data set"
  exit 0
fi
mpiexec=$1 program=$2 folder=$3
rm -rf "$folder"
mkdir -p "$folder"
train=("$mpiexec" -np 2 --oversubscribe "$program" --train-limit 20000 --hidden 128 --batch 64 --epochs 4
       --optimizer adam)
fail() { echo "FAILED: $*"; exit 1; }

"${train[@]}" --out "$folder/whole" --save "$folder/whole.janus" > "$folder/whole.log"

"${train[@]}" --out "$folder/cut" --save "$folder/cut.janus" > "$folder/cut.log" 2>&1 &
launcher=$!
for ((i = 0; i < 1200; ++i)); do
  [ -f "$folder/cut.janus" ] && break
  sleep 0.05
done
# The processes are mpirun's children; rank 1 is the one whose environment says so.
for status in /proc/[0-9]*/status; do
  pid=${status#/proc/}
  pid=${pid%/status}
  if grep -qx "PPid:[[:space:]]*$launcher" "$status" 2>/dev/null &&
     tr '\0' '\n' < "/proc/$pid/environ" | grep -qx "OMPI_COMM_WORLD_RANK=1"; then
    kill -KILL "$pid"
    echo "killed rank 1 (process $pid)"
  fi
done
if wait "$launcher"; then
  fail "the run ended well: it was not killed"
fi
cat "$folder/cut.log"
grep -q "rank 1" "$folder/cut.log" || fail "no message names the killed rank"

"${train[@]}" --out "$folder/cut" --save "$folder/cut.janus" --resume "$folder/cut.janus" | tr '\r' '\n' | tee "$folder/resumed.log"
grep -q "resumed from .* after epoch [123]$" "$folder/resumed.log" || fail "it did not resume from an epoch within the run"

# Equal but for the time each epoch took.
cut -d, -f1-4 "$folder/whole/metrics.csv" > "$folder/whole.metrics"
cut -d, -f1-4 "$folder/cut/metrics.csv" > "$folder/resumed.metrics"
diff "$folder/whole.metrics" "$folder/resumed.metrics" || fail "the metrics differ"
cmp "$folder/whole/loss.csv" "$folder/cut/loss.csv" || fail "the loss logs differ"
cmp "$folder/whole.janus" "$folder/cut.janus" || fail "the final checkpoints differ"
echo "passed: the resumed run ends as the uninterrupted one"
