#!/usr/bin/env bash
# Builds the tests that use threads with ThreadSanitizer and runs them; any
# report fails the run. Only those tests are built (a few minutes on 2 cores).
#   bash scripts/tsan.sh [build-folder]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-tsan}
# The scalar tape on two threads, tensors on two threads, and the misuses a
# thread can make of another's graph (tests/*/hardening_test.cpp).
tests=(tape_threads_test tape_hardening_test tensor_tape_test tensor_hardening_test)

bash scripts/install-deps.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJANUS_WERROR=ON -DJANUS_SANITIZE=thread \
  -DJANUS_BUILD_BENCHMARKS=OFF -DJANUS_BUILD_EXAMPLES=OFF
cmake --build "$build" -j2 --target "${tests[@]}"

# A report ends its program with a failure instead of a warning. OpenBLAS's
# own threads are not instrumented, so matrix products stay on the calling
# thread.
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"
export OPENBLAS_NUM_THREADS=1
ctest --test-dir "$build" --output-on-failure -R "^($(IFS='|'; echo "${tests[*]}"))\$"
