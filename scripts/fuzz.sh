#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz (clang 16, AddressSanitizer and
# UndefinedBehaviorSanitizer) in build-fuzz and runs each for a bounded time
# from its committed seed corpus. Fails on any finding (a crash, a sanitizer
# report, a leak, an input slower than 10 s, or a broken invariant); the input
# that found it is left in build-fuzz/findings/.
#   bash scripts/fuzz.sh [seconds per target, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

bash scripts/install-deps.sh clang-16 libclang-rt-16-dev
CXX=clang++-16 cmake -S tests/fuzz -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build-fuzz -j2

mkdir -p build-fuzz/findings
# One target on each of the two cores at a time: libFuzzer runs one process.
run_target() {
  local target=$1
  mkdir -p "build-fuzz/corpus/$target"
  # New inputs go to the first folder (build-fuzz); the seeds stay as committed.
  "build-fuzz/${target}_fuzz" "build-fuzz/corpus/$target" "tests/fuzz/corpus/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="build-fuzz/findings/$target-" >"build-fuzz/$target.log" 2>&1
}
report() {
  local target=$1 status=$2 log=build-fuzz/$1.log
  echo "=== ${target}_fuzz for ${seconds} s"
  if [ "$status" -ne 0 ]; then
    tail -n 40 "$log"
    echo "${target}_fuzz: a finding, see $log and build-fuzz/findings/"
    return 1
  fi
  grep -E "^(Done [0-9]+ runs|stat::peak_rss_mb)" "$log"
}
failed=0
for pair in "idx gzip" "checkpoint training_checkpoint"; do
  read -r first second <<<"$pair"
  run_target "$first" & first_pid=$!
  run_target "$second" & second_pid=$!
  first_status=0; wait "$first_pid" || first_status=$?
  second_status=0; wait "$second_pid" || second_status=$?
  report "$first" "$first_status" || failed=1
  report "$second" "$second_status" || failed=1
done
[ "$failed" -eq 0 ] || exit 1
echo "=== no findings"
