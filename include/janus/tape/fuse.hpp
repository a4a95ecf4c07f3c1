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
#include "janus/tape/recorder.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tape/scalar_tape.hpp"
#include "janus/tape/var.hpp"

namespace janus::tape {

namespace detail {
/// The name of a fused statement in drawings of the graph.
inline constexpr std::string_view fused_name = "fused";

/// The value and the partials of `fn` at `values...`, by the static engine.
/// Its sweep is called directly (as janus::value_and_grad does) and callers
/// read its partials element by element: going through value_and_grad's
/// result made GCC 12 copy the partials through the stack, stored one by one
/// and reloaded as a vector, a store-forwarding stall that cost more than the
/// formula itself.
template <class F, class T, class... Ts>
[[gnu::always_inline]] inline auto statement_sweep(const F& fn, T first, Ts... rest) {
  return janus::detail::call_and_sweep<true>(fn, first, rest...);
}
}  // namespace detail

/// f(args...) as one statement of the tape: the value and the partial of f
/// with respect to each argument come from the static engine.
/// `total = janus::tape::fuse([](auto t, auto a, auto b) { return t + a * b; }, total, x, y);`
template <class F, std::floating_point T, class... Rest>
  requires(std::same_as<Rest, basic_var<T>> && ...)
[[gnu::always_inline]] inline basic_var<T> fuse(const F& fn, const basic_var<T>& first, const Rest&... rest) {
  constexpr std::size_t count = 1 + sizeof...(Rest);
  const auto result = detail::statement_sweep(fn, first.value(), rest.value()...);
  if ((first.index() | ... | rest.index()) == 0 || !is_recording()) return basic_var<T>::constant(result.value);
  const index_type inputs[count]{first.index(), rest.index()...};
  detail::recorder::check_value_recorded<T>(detail::fused_name, result.value, {first.value(), rest.value()...}, inputs);
  T partials[count];
  for (std::size_t i = 0; i < count; ++i) partials[i] = result.gradient[i];
  const index_type index =
      detail::recorder::record(this_thread_tape<T>(), &detail::fused_name, result.value, inputs, partials);
  return detail::var_access::recorded<T>(result.value, index, detail::operands_generation(first, rest...));
}

}  // namespace janus::tape
