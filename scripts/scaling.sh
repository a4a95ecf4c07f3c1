#!/usr/bin/env bash
# Data-parallel training speed on this machine: the images per second of
# mnist_mlp's training epochs (784-256-256-10, batch 128, SGD) for
#   one process, one BLAS thread;  one process, two BLAS threads;
#   two processes (mpirun), one thread each: with Open MPI's defaults, and
#   with its shared-memory transport tuned (below), with and without overlap.
# The runs take turns, ROUNDS times; each keeps its best round. Prints a
# Markdown table, with the CPU model, the load average and the commands,
# for docs/distributed.md.
#   bash scripts/scaling.sh [epochs per run (2)] [rounds (3)] [build folder (build)]
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-2}
rounds=${2:-3}
build=${3:-build}
data=${JANUS_MNIST:-data/mnist}
train_images=60000

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build "$build" --target mnist_mlp -j2 > /dev/null
program=$build/examples/mnist_mlp
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

mpirun=(mpirun -np 2 -x OPENBLAS_NUM_THREADS=1)
[ "$(id -u)" -ne 0 ] || mpirun+=(--allow-run-as-root)
# "tuned": Open MPI moves a large message between two processes of one
# machine with a single copy by process_vm_readv (CMA); where that system
# call is slow (in virtual machines, for one) copying through its
# shared-memory buffers is faster. Its non-blocking all-reduce, left to
# choose, takes a slower algorithm for two processes than Rabenseifner's (3).
tuned=(--mca btl_vader_single_copy_mechanism none --mca coll_libnbc_iallreduce_algorithm 3)
flags=(--epochs "$epochs" --data "$data")
names=("1 process, 1 thread" "1 process, 2 BLAS threads" "2 processes, 1 thread each, Open MPI's defaults"
       "2 processes, 1 thread each, tuned" "2 processes, tuned, no overlap")
commands=("env OPENBLAS_NUM_THREADS=1 $program"
          "env OPENBLAS_NUM_THREADS=2 $program"
          "${mpirun[*]} $program"
          "${mpirun[*]} ${tuned[*]} $program"
          "${mpirun[*]} ${tuned[*]} $program --no-overlap")

# Images per second over a run's training epochs: metrics.csv's seconds
# count training alone, not the evaluation after each epoch.
images_per_second() {
  awk -F, -v images="$train_images" 'NR > 1 { seconds += $5; epochs += 1 } END { printf "%.0f", epochs * images / seconds }' "$1"
}

declare -a best accuracy
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((round = 1; round <= rounds; ++round)); do
  for i in "${!commands[@]}"; do
    folder=$out/run$i
    ${commands[$i]} "${flags[@]}" --out "$folder" > "$out/log$i" 2>&1
    rate=$(images_per_second "$folder/metrics.csv")
    echo "round $round: ${names[$i]}: $rate images/s" >&2
    if [ -z "${best[$i]:-}" ] || [ "$rate" -gt "${best[$i]}" ]; then best[$i]=$rate; fi
    accuracy[$i]=$(tail -1 "$folder/metrics.csv" | cut -d, -f4)
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores;" \
     "load average $load_before before, $load_after after"
echo "$epochs epochs per run, best of $rounds rounds; flags: ${flags[*]:0:2}"
echo
echo "| run | images/s | vs 1 process, 1 thread | test accuracy after $epochs epochs | command |"
echo "|---|---:|---:|---:|---|"
for i in "${!commands[@]}"; do
  ratio=$(awk -v a="${best[$i]}" -v b="${best[0]}" 'BEGIN { printf "%.2f", a / b }')
  echo "| ${names[$i]} | ${best[$i]} | ${ratio}x | ${accuracy[$i]}% | \`${commands[$i]}\` |"
done
