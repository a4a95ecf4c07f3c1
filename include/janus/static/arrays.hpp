// janus/static/arrays.hpp: array arguments of a functional call.
//
// `janus::grad(f)(xs)` with `xs` a std::vector, std::array or std::span of
// floating-point numbers passes f an `array_variable`: `x.size()` and `x[i]`,
// where `x[i]` is an expression of one element (a leaf whose identity is the
// argument's position and whose index is run-time data). Inside
// `janus::sum(janus::indices(0, n), body)` the body's sweep is generated once
// and runs per index, so arrays of millions of elements cost no compile time
// and no recursion.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "janus/forward/dual.hpp"
#include "janus/static/expression.hpp"

// Whether `x[i]` checks `i` against the array's size. By default as assert
// does: checked unless NDEBUG is defined. A release build that wants the
// check defines JANUS_CHECK_INDICES to 1 (the same value in every translation
// unit of a program). The check is a compare and a branch per element read,
// and a branch in a sum's loop keeps GCC from carrying values from one
// element to the next in registers: Rosenbrock over 1000 elements took 1.3
// times as long with it (docs/benchmarks.md).
#ifndef JANUS_CHECK_INDICES
#ifdef NDEBUG
#define JANUS_CHECK_INDICES 0
#else
#define JANUS_CHECK_INDICES 1
#endif
#endif

namespace janus {

namespace detail {

[[noreturn, gnu::cold, gnu::noinline]] inline void throw_index_out_of_range(std::size_t index, std::size_t size) {
  throw std::out_of_range("janus: index " + std::to_string(index) + " is out of range for an array argument of size " +
                          std::to_string(size));
}

/// The numbers of an array argument (std::data and std::size come with
/// <array>, <span> and <vector>; <ranges> would cost every user of janus.hpp
/// its compile time).
template <class X>
using array_element_t = std::remove_cvref_t<decltype(*std::data(std::declval<const X&>()))>;

/// An argument of a differentiated function that is an array of numbers.
template <class X>
concept array_argument = requires(const X& x) {
  std::data(x);
  { std::size(x) } -> std::convertible_to<std::size_t>;
} && std::is_floating_point_v<array_element_t<X>>;

/// An argument that is one number: a float or a double, or a dual number of
/// them, through which the engine's sweep gives second derivatives
/// (janus::hessian, janus::hvp).
template <class X>
concept scalar_argument = std::is_floating_point_v<typename innermost_scalar<X>::type>;

template <class X>
struct scalar_type_of {
  using type = X;
};
template <array_argument X>
struct scalar_type_of<X> {
  using type = array_element_t<X>;
};

/// What the gradient with respect to an argument is: a number for a number,
/// a std::array for a std::array, a std::vector otherwise.
template <class X, class T>
struct gradient_type_of {
  using type = T;
};
template <class X>
inline constexpr bool is_std_array = false;
template <class T, std::size_t M>
inline constexpr bool is_std_array<std::array<T, M>> = true;

template <array_argument X, class T>
struct gradient_type_of<X, T> {
  using type = std::conditional_t<is_std_array<X>, std::remove_cv_t<X>, std::vector<T>>;
};

}  // namespace detail

/// An array argument inside a differentiated function: `x.size()`, `x[i]`.
/// Where indices are checked (JANUS_CHECK_INDICES, above: builds without
/// NDEBUG), `x[i]` throws std::out_of_range naming the index and the size
/// when `i` is past the end; elsewhere such a read is undefined, as
/// std::vector's `operator[]`.
template <std::size_t Id, class T, std::size_t N>
class array_variable {
 public:
  using value_type = T;
  using element_type = expression<detail::element_node<Id>, T, N, detail::argument_values<T, N>>;

  constexpr explicit array_variable(const detail::argument_values<T, N>& values) : values_(values) {}

  constexpr std::size_t size() const { return values_.block->array_size[Id]; }

  constexpr element_type operator[](std::size_t index) const {
    if constexpr (JANUS_CHECK_INDICES)
      if (index >= size()) [[unlikely]]
        detail::throw_index_out_of_range(index, size());
    return {{index}, values_};
  }

 private:
  detail::argument_values<T, N> values_;
};

}  // namespace janus
