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
for target in idx gzip checkpoint training_checkpoint; do
  echo "=== ${target}_fuzz for ${seconds} s"
  mkdir -p "build-fuzz/corpus/$target"
  log=build-fuzz/$target.log
  # New inputs go to the first folder (build-fuzz); the seeds stay as committed.
  if ! "build-fuzz/${target}_fuzz" "build-fuzz/corpus/$target" "tests/fuzz/corpus/$target" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="build-fuzz/findings/$target-" >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "${target}_fuzz: a finding, see $log and build-fuzz/findings/"
    exit 1
  fi
  grep -E "^(Done [0-9]+ runs|stat::peak_rss_mb)" "$log"
done
echo "=== no findings"
