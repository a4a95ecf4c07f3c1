// janus/tape/functional.hpp: `janus::tape::grad(f)(args...)` and
// `janus::tape::value_and_grad(f, args...)`, the tape's form of the static
// engine's `janus::grad` and `janus::value_and_grad`, with the same results.
//
// `f` is a generic callable (`[](auto a, auto b) { return a * b; }`); it is
// called with one leaf `basic_var<T>` per number, and a
// `std::span<const basic_var<T>>` of leaves per array argument (a
// std::vector, std::array or std::span of numbers), so that one function
// serves doubles, the static engine and the tape:
//
//   auto rosenbrock = [](const auto& x) {
//     return janus::sum(janus::indices(0, x.size() - 1), [&](std::size_t i) {
//       return 100.0 * janus::square(x[i + 1] - x[i] * x[i]) + janus::square(1.0 - x[i]);
//     });
//   };
//   std::vector<double> g = janus::tape::grad(rosenbrock)(xs);
//
// (`janus::sum` over vars: tape/array_sum.hpp.) The gradient has one entry
// per argument, in the shape `janus::grad` gives it: with numbers only a
// std::array of them; with arrays a number per number, a std::array for a
// std::array and a std::vector for any other array, one argument's alone and
// several as a std::tuple. Unlike the static engine's `x[i]`, the span does
// not check its index.
//
// Whatever `f` records is forgotten before these return, so they can be
// called in a loop, or inside a computation that is itself being recorded.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "janus/tape/functions.hpp"
#include "janus/tape/leaves.hpp"
#include "janus/tape/recording.hpp"
#include "janus/tape/scalar_tape.hpp"
#include "janus/tape/var.hpp"

namespace janus::tape {

/// The value of a function of numbers and its gradient, one entry per
/// argument: `auto [value, gradient] = janus::tape::value_and_grad(f, 3.0, 2.0);`
template <class T, std::size_t N>
struct value_and_gradient {
  T value;
  std::array<T, N> gradient;
};

/// The value of a function with array arguments and its gradient, in the
/// shape `janus::tape::grad(f)(args...)` gives it (as `janus::value_and_grad`).
template <class T, class Gradient>
struct value_and_grad_result {
  T value;
  Gradient gradient;
};

namespace detail {

/// An array argument: a contiguous array of floating-point numbers.
template <class X>
concept array_argument = requires(const X& x) {
  std::data(x);
  { std::size(x) } -> std::convertible_to<std::size_t>;
} && std::floating_point<std::remove_cvref_t<decltype(*std::data(std::declval<const X&>()))>>;

/// An argument of a differentiated function: a number or an array of them.
template <class X>
concept functional_argument = std::floating_point<X> || array_argument<X>;

template <class X>
struct scalar_of {
  using type = X;
};
template <array_argument X>
struct scalar_of<X> {
  using type = std::remove_cvref_t<decltype(*std::data(std::declval<const X&>()))>;
};

template <class X>
inline constexpr bool is_std_array = false;
template <class U, std::size_t M>
inline constexpr bool is_std_array<std::array<U, M>> = true;

/// The gradient with respect to an argument of type X: a number for a
/// number, a std::array for a std::array, a std::vector for other arrays.
template <class X, class T>
struct gradient_of {
  using type = T;
};
template <array_argument X, class T>
  requires is_std_array<X>
struct gradient_of<X, T> {
  using type = std::array<T, std::tuple_size_v<X>>;
};
template <array_argument X, class T>
  requires(!is_std_array<X>)
struct gradient_of<X, T> {
  using type = std::vector<T>;
};

/// What f receives for an argument of type X.
template <class X, class T>
using input_of = std::conditional_t<array_argument<X>, std::span<const basic_var<T>>, basic_var<T>>;

/// f's result, a var or a statement not yet recorded, of the arguments' type.
template <class R, class T>
concept var_result = var_like<R> && std::same_as<var_of_t<R>, basic_var<T>>;

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
  static_assert(var_result<result_type, T>,
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

/// One argument's gradient alone, several as a tuple (as janus::grad).
template <class Tuple>
auto unwrap_single(Tuple&& gradients) {
  if constexpr (std::tuple_size_v<std::remove_cvref_t<Tuple>> == 1) return std::get<0>(std::forward<Tuple>(gradients));
  else return std::forward<Tuple>(gradients);
}

/// How many leaves an argument takes from the buffer of array leaves.
template <class X>
std::size_t element_count(const X& x) {
  if constexpr (array_argument<X>) return std::size(x);
  else return 0;
}

/// f at arguments some of which are arrays: its value and its gradient, one
/// entry per argument. The leaves are recorded in the order of the
/// arguments, an array's in one call (make_leaves), and an array's gradient
/// is read in one call (read_gradients).
template <class T, class F, class... Args>
auto evaluate_arrays_of(const F& fn, const Args&... args) {
  constexpr std::size_t n = sizeof...(Args);
  const janus::detail::forced_recording recording;
  basic_scope<T> scope;
  const index_type first_input = mark<T>().statements;
  // The leaves of every array in one buffer: one allocation per call.
  std::vector<basic_var<T>> array_leaves((element_count(args) + ... + std::size_t{0}));
  std::size_t offset = 0;
  const auto leaves_of = [&]<class Arg>(const Arg& arg) -> input_of<Arg, T> {
    if constexpr (array_argument<Arg>) {
      const std::size_t size = std::size(arg);
      const std::span<basic_var<T>> leaves(array_leaves.data() + offset, size);
      offset += size;
      make_leaves(std::span<const T>(std::data(arg), size), leaves);
      return leaves;
    } else {
      return basic_var<T>(arg);
    }
  };
  // Braced: the leaves are recorded in the order of the arguments.
  const std::tuple<input_of<Args, T>...> inputs{leaves_of(args)...};
  const basic_var<T> result = std::apply(fn, inputs);
  std::tuple<typename gradient_of<Args, T>::type...> gradients{[&] {
    using gradient = typename gradient_of<Args, T>::type;
    gradient g{};
    if constexpr (std::is_same_v<gradient, std::vector<T>>) g.assign(std::size(args), T(0));
    return g;
  }()...};
  if (result.requires_grad()) {
    auto& tape = this_thread_tape<T>();
    tape.check_value("janus::tape::grad", result.generation());
    tape.backward(result.index(), first_input);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      const auto read = [](const auto& input, auto& gradient) {
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(gradient)>, T>) gradient = input.grad();
        else read_gradients(input, gradient);
      };
      (read(std::get<I>(inputs), std::get<I>(gradients)), ...);
    }(std::make_index_sequence<n>{});
  }
  return value_and_grad_result<T, decltype(unwrap_single(std::move(gradients)))>{result.value(),
                                                                                 unwrap_single(std::move(gradients))};
}

template <class F, class... Args>
auto evaluate_arrays(const F& fn, const Args&... args) {
  constexpr bool numbers = sizeof...(Args) > 0 && (functional_argument<Args> && ...);
  static_assert(numbers,
                "janus::tape::grad(f)(args...) requires the arguments to be floating-point numbers, or "
                "std::vector, std::array or std::span of them");
  if constexpr (!numbers) {
    return value_and_grad_result<double, std::array<double, sizeof...(Args)>>{};  // not reached: the build has stopped
  } else {
    using T = std::common_type_t<typename scalar_of<Args>::type...>;
    constexpr bool one_type = (std::same_as<typename scalar_of<Args>::type, T> && ...);
    static_assert(one_type, "janus::tape::grad(f)(args...) requires the arguments to be of one floating-point type");
    if constexpr (!one_type) {
      return value_and_grad_result<double, std::array<double, sizeof...(Args)>>{};  // not reached
    } else {
      using result_type = std::remove_cvref_t<
          decltype(std::apply(fn, std::declval<const std::tuple<input_of<Args, T>...>&>()))>;
      static_assert(var_result<result_type, T>,
                    "janus::tape::grad(f) requires f to return a janus::var computed from its arguments");
      if constexpr (!var_result<result_type, T>)
        return value_and_grad_result<double, std::array<double, sizeof...(Args)>>{};  // not reached
      else
        return evaluate_arrays_of<T>(fn, args...);
    }
  }
}

}  // namespace detail

/// The value of `fn` at `args` (numbers) and its gradient, on this thread's tape.
template <class F, class T, class... Ts>
  requires(std::floating_point<T> && (std::floating_point<Ts> && ...))
value_and_gradient<T, 1 + sizeof...(Ts)> value_and_grad(const F& fn, T first, Ts... rest) {
  return detail::evaluate(fn, first, rest...);
}

/// The value of `fn` at `args`, numbers and arrays, and its gradient in the
/// shape `janus::tape::grad(f)(args...)` gives it:
/// `auto [value, gradient] = janus::tape::value_and_grad(rosenbrock, xs);`
template <class F, class... Args>
  requires(!(std::floating_point<Args> && ...))
auto value_and_grad(const F& fn, const Args&... args) {
  return detail::evaluate_arrays(fn, args...);
}

/// A function returning the gradient of `fn`: for numbers a std::array, one
/// entry per argument (`janus::tape::grad(f)(3.0, 2.0)`); with arrays, as
/// `janus::grad` gives it (`std::vector<double> g = janus::tape::grad(f)(xs)`).
template <class F>
auto grad(F fn) {
  return [fn = std::move(fn)]<class... Args>(const Args&... args) {
    if constexpr (sizeof...(Args) > 0 && (std::floating_point<Args> && ...))
      return detail::evaluate(fn, args...).gradient;
    else
      return detail::evaluate_arrays(fn, args...).gradient;
  };
}

}  // namespace janus::tape
