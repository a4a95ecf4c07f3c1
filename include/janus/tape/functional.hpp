// janus/tape/functional.hpp: `janus::tape::grad(f)(args...)` and
// `janus::tape::value_and_grad(f, args...)`, the tape's form of the static
// engine's `janus::grad` and `janus::value_and_grad`, with the same results.
//
// `f` is a generic callable (`[](auto a, auto b) { return a * b; }`); it is
// called with one leaf `basic_var<T>` per argument. Whatever it records is
// forgotten before these return, so they can be called in a loop, or inside
// a computation that is itself being recorded.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "janus/tape/functions.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tape/scalar_tape.hpp"
#include "janus/tape/var.hpp"

namespace janus::tape {

/// The value of a function and its gradient, one entry per argument:
/// `auto [value, gradient] = janus::tape::value_and_grad(f, 3.0, 2.0);`
template <class T, std::size_t N>
struct value_and_gradient {
  T value;
  std::array<T, N> gradient;
};

namespace detail {

template <class F, class T, class... Ts>
value_and_gradient<T, 1 + sizeof...(Ts)> evaluate(const F& fn, T first, Ts... rest) {
  static_assert(std::floating_point<T> && (std::same_as<T, Ts> && ...),
                "janus::tape::grad(f)(args...) requires the arguments to be of one floating-point type");
  constexpr std::size_t count = 1 + sizeof...(Ts);
  const janus::detail::forced_recording recording;
  basic_scope<T> scope;
  const index_type first_input = mark<T>().statements;
  const std::array<basic_var<T>, count> inputs{basic_var<T>(first), basic_var<T>(rest)...};
  using result_type = std::remove_cvref_t<decltype(std::apply(fn, inputs))>;
  static_assert(std::same_as<result_type, basic_var<T>>,
                "janus::tape::grad(f) requires f to return a janus::var computed from its arguments");
  const basic_var<T> result = std::apply(fn, inputs);
  value_and_gradient<T, count> answer{result.value(), {}};
  // A result computed from constants only does not depend on the arguments.
  // The sweep starts at the inputs: what was recorded before them neither
  // affects their gradients nor receives a gradient from this call.
  if (result.requires_grad()) {
    auto& tape = this_thread_tape<T>();
    tape.check_value("janus::tape::grad", result.generation());
    tape.backward(result.index(), first_input);
    for (std::size_t i = 0; i < count; ++i) answer.gradient[i] = inputs[i].grad();
  }
  return answer;
}

}  // namespace detail

/// The value of `fn` at `args` and its gradient, on this thread's tape.
template <class F, class T, class... Ts>
value_and_gradient<T, 1 + sizeof...(Ts)> value_and_grad(const F& fn, T first, Ts... rest) {
  return detail::evaluate(fn, first, rest...);
}

/// A function returning the gradient of `fn` (a std::array, one entry per
/// argument): `janus::tape::grad(f)(3.0, 2.0)`.
template <class F>
auto grad(F fn) {
  return [fn = std::move(fn)]<class T, class... Ts>(T first, Ts... rest) {
    return detail::evaluate(fn, first, rest...).gradient;
  };
}

}  // namespace janus::tape
