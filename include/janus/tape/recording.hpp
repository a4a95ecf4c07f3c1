// janus/tape/recording.hpp: whether this thread's tapes record, and the
// `janus::no_grad` guard that pauses them (scalar and tensor tapes alike).
//
// Guards count rather than save and restore a flag, so their effect does
// not depend on the order in which they die: recording is paused while any
// of them lives, however they are held (std::optional, std::unique_ptr) and
// released. `janus::tape::grad` records even under no_grad
// (`detail::forced_recording`): the guards alive when it began do not pause
// it, guards made inside it do.
#pragma once

#include <cstddef>
#include <cstdint>

namespace janus {

namespace detail {

class forced_recording;

/// This thread's guards. Times come from one clock that ticks at every guard
/// and every forced recording made, so a guard knows whether it was made
/// before or after the innermost forced recording began.
struct recording_state {
  /// `guards` counts two kinds in one word, so that a recorded operation
  /// tests both with one load and one comparison (`records_unchecked`):
  /// the low half counts the no_grad guards alive that were made since the
  /// innermost forced recording began, the high half the detect_anomaly
  /// guards alive (tape/anomaly.hpp). It is always written whole.
  static constexpr std::uint64_t pausing_mask = 0xffffffffu;
  static constexpr std::uint64_t anomaly_unit = std::uint64_t{1} << 32;

  std::uint64_t clock = 0;
  std::uint64_t forced_since = 0;  // when the innermost forced recording began; 0: none
  std::uint64_t guards = 0;
  forced_recording* innermost = nullptr;

  std::uint64_t pausing() const { return guards & pausing_mask; }
};

inline recording_state& this_thread_recording() {
  thread_local recording_state state;
  return state;
}

/// While alive, this thread records even under `janus::no_grad`: asking for a
/// gradient (`janus::tape::grad`) is asking for the recording. Strictly
/// scoped: neither copied nor moved, and only made by janus itself.
class forced_recording {
 public:
  forced_recording() {
    // The state it replaces is kept field by field: copied as one block,
    // the copy's wide load would wait for the narrow stores that wrote the
    // fields (a store-forwarding stall on every tape::grad call).
    recording_state& state = this_thread_recording();
    outer_since_ = state.forced_since;
    outer_pausing_ = state.pausing();
    outer_ = state.innermost;
    state.forced_since = ++state.clock;
    state.guards -= outer_pausing_;
    state.innermost = this;
  }
  ~forced_recording() {
    recording_state& state = this_thread_recording();
    // Guards made inside and still alive pause the outer level as well.
    state.guards += outer_pausing_;
    state.forced_since = outer_since_;
    state.innermost = outer_;
  }
  forced_recording(const forced_recording&) = delete;
  forced_recording& operator=(const forced_recording&) = delete;

  /// A guard made at `made`, before the innermost forced recording began,
  /// dies: it is counted at the level where it was made.
  static void release_earlier_guard(std::uint64_t made) {
    for (forced_recording* level = this_thread_recording().innermost; level != nullptr; level = level->outer_) {
      if (made > level->outer_since_) {
        --level->outer_pausing_;
        return;
      }
    }
  }

 private:
  // The state it replaced, restored when it ends.
  std::uint64_t outer_since_;
  std::uint64_t outer_pausing_;
  forced_recording* outer_;
};

}  // namespace detail

/// True unless a `no_grad` guard pauses this thread's recording.
inline bool is_recording() { return detail::this_thread_recording().pausing() == 0; }

/// While alive, operations compute values only: nothing is recorded, and
/// results do not require gradients (evaluation, optimiser updates). Guards
/// may nest and die in any order; a guard belongs to the thread that made it.
class no_grad {
 public:
  no_grad() : made_(++detail::this_thread_recording().clock) { detail::this_thread_recording().guards += 1; }
  ~no_grad() {
    detail::recording_state& state = detail::this_thread_recording();
    if (made_ > state.forced_since) {
      state.guards -= 1;
    } else {
      detail::forced_recording::release_earlier_guard(made_);
    }
  }
  no_grad(const no_grad&) = delete;
  no_grad& operator=(const no_grad&) = delete;

 private:
  std::uint64_t made_;
};

}  // namespace janus
