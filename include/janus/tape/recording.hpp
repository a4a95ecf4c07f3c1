// janus/tape/recording.hpp: whether this thread's tapes record, and the
// `janus::no_grad` guard that pauses them (scalar and tensor tapes alike).
#pragma once

namespace janus {

namespace detail {
inline bool& recording_flag() {
  thread_local bool recording = true;
  return recording;
}
}  // namespace detail

/// True unless a `no_grad` guard is alive on this thread.
inline bool is_recording() { return detail::recording_flag(); }

/// While alive, operations compute values only: nothing is recorded, and
/// results do not require gradients (evaluation, optimiser updates).
class no_grad {
 public:
  no_grad() : previous_(detail::recording_flag()) { detail::recording_flag() = false; }
  ~no_grad() { detail::recording_flag() = previous_; }
  no_grad(const no_grad&) = delete;
  no_grad& operator=(const no_grad&) = delete;

 private:
  bool previous_;
};

}  // namespace janus
