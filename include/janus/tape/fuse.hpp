// janus/tape/fuse.hpp: `janus::tape::fuse(f, vars...)`, one tape statement
// for a whole formula, its partials computed by the static engine.
//
// Recording `100 * square(b - a * a) + square(1 - a)` operation by operation
// takes eight statements; fused, it is one statement with two operands, whose
// local partials the static engine computes in straight-line code. Recording
// and the reverse sweep then cost a fraction of the per-operation tape (the
// way the fastest tapes work). `f` is a generic lambda, as for `janus::grad`.
#pragma once

#include <array>
#include <concepts>
#include <string_view>

#include "janus/static.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tape/scalar_tape.hpp"
#include "janus/tape/var.hpp"

namespace janus::tape {

namespace detail {
/// The name of a fused statement in drawings of the graph.
inline constexpr std::string_view fused_name = "fused";
}  // namespace detail

/// f(args...) as one statement of the tape: the value and the partial of f
/// with respect to each argument come from the static engine.
/// `total = janus::tape::fuse([](auto t, auto a, auto b) { return t + a * b; }, total, x, y);`
template <class F, std::floating_point T, class... Rest>
  requires(std::same_as<Rest, basic_var<T>> && ...)
basic_var<T> fuse(const F& fn, const basic_var<T>& first, const Rest&... rest) {
  constexpr std::size_t count = 1 + sizeof...(Rest);
  const auto [value, gradient] = janus::value_and_grad(fn, first.value(), rest.value()...);
  const std::array<index_type, count> inputs{first.index(), rest.index()...};
  bool any_recorded = false;
  for (const index_type input : inputs) any_recorded = any_recorded || input != 0;
  if (!any_recorded || !is_recording()) return basic_var<T>::recorded(value, 0);
  const index_type index =
      this_thread_tape<T>().record(&detail::fused_name, value, inputs.data(), gradient.data(), count);
  return basic_var<T>::recorded(value, index);
}

}  // namespace janus::tape
