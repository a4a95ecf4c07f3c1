// janus/tape/scalar_tape.hpp: the scalar tape, a Wengert list of the
// operations on `janus::var`, one per thread and scalar type, and the
// functions on this thread's tape (`mark`, `rewind`, `reset`, `scope`).
//
// The class is assembled from headers of one job each:
// - tape/storage.hpp: the arrays of statements and operands, their growth,
//   index 0, mark/rewind/reset, generations, and the reading API;
// - tape/anomaly_report.hpp: the text of janus::detect_anomaly's reports;
// - tape/sweep.hpp: the reverse sweep (`backward`) and the gradients;
// - tape/recorder.hpp: what writes statements (`detail::recorder`),
//   reachable only from janus's recording code;
// - tape/labels.hpp: the labels of statements.
// This header adds the thread-local access.
#pragma once

#include <concepts>
#include <memory>

#include "janus/tape/storage.hpp"
#include "janus/tape/sweep.hpp"

namespace janus::tape {

template <std::floating_point T>
class scalar_tape final : public detail::tape_sweep<T> {
 public:
  /// This thread's tape for scalars of type T, made on first use.
  [[gnu::always_inline]] static scalar_tape& this_thread() {
    scalar_tape* tape = current_;
    if (tape == nullptr) [[unlikely]] tape = create_for_this_thread();
    return *tape;
  }

 private:
  scalar_tape() = default;

  // Every recorded operation looks the tape up: a plain thread_local pointer
  // costs one load, where a thread_local object with a destructor would cost
  // a call through its initialisation guard.
  static inline thread_local scalar_tape* current_ = nullptr;

  [[gnu::noinline]] static scalar_tape* create_for_this_thread() {
    thread_local const std::unique_ptr<scalar_tape> owner(new scalar_tape);
    current_ = owner.get();
    return current_;
  }
};

/// This thread's scalar tape for `T`.
template <std::floating_point T = double>
scalar_tape<T>& this_thread_tape() {
  return scalar_tape<T>::this_thread();
}

/// Where this thread's tape stands now.
template <std::floating_point T = double>
position mark() {
  return this_thread_tape<T>().mark();
}

/// Forgets what this thread's tape recorded after `point`.
template <std::floating_point T = double>
void rewind(position point) {
  this_thread_tape<T>().rewind(point);
}

/// Forgets everything this thread's tape recorded; every `var` made so far
/// becomes unusable. Memory is kept, so the next iteration allocates nothing.
template <std::floating_point T = double>
void reset() {
  this_thread_tape<T>().reset();
}

/// Rewinds this thread's tape, when it goes out of scope, to where it stood
/// when the scope began: one iteration of a loop, or a nested computation.
template <std::floating_point T = double>
class basic_scope {
 public:
  basic_scope() : start_(mark<T>()) {}
  // A reset inside the scope already forgot more than the scope would; then
  // there is nothing left to rewind (and a destructor must not throw).
  ~basic_scope() { this_thread_tape<T>().try_rewind(start_); }
  basic_scope(const basic_scope&) = delete;
  basic_scope& operator=(const basic_scope&) = delete;

 private:
  position start_;
};

using scope = basic_scope<double>;

}  // namespace janus::tape
