// janus/tape/anomaly.hpp: `janus::detect_anomaly`, the guard under which the
// tapes look for the first NaN or infinity and say where it came from.
//
// While a guard lives on a thread, every operation recorded there on the
// scalar tape (`janus::var`) or the tensor tape (`janus::Tensor`) checks its
// value, and `backward()` checks every gradient it passes on; the first
// number that is not finite throws `janus::numeric_error` naming the
// operation, its label where it has one, its inputs and the pass (forward or
// backward). Guards count, like `janus::no_grad`: they may nest and die in
// any order, and detection stays on while any of them lives.
//
// Off, it costs one test of a thread-local count per recorded operation and
// one per `backward()`.
#pragma once

#include "janus/error.hpp"
#include "janus/tape/recording.hpp"

namespace janus {

/// True while a `detect_anomaly` guard lives on this thread.
[[gnu::always_inline]] inline bool is_detecting_anomalies() {
  return detail::this_thread_recording().guards >= detail::recording_state::anomaly_unit;
}

namespace detail {
/// True when this thread records and checks nothing: no `no_grad` guard
/// pauses it and no `detect_anomaly` guard is alive. One test for both, on
/// the path of every recorded operation.
[[gnu::always_inline]] inline bool records_unchecked() {
  return this_thread_recording().guards == 0;
}
}  // namespace detail

/// While alive, this thread's tapes throw `janus::numeric_error` at the first
/// operation whose value, or whose gradient in `backward()`, is NaN or
/// infinite. A guard belongs to the thread that made it.
class detect_anomaly {
 public:
  detect_anomaly() { detail::this_thread_recording().guards += detail::recording_state::anomaly_unit; }
  ~detect_anomaly() { detail::this_thread_recording().guards -= detail::recording_state::anomaly_unit; }
  detect_anomaly(const detect_anomaly&) = delete;
  detect_anomaly& operator=(const detect_anomaly&) = delete;
};

}  // namespace janus
