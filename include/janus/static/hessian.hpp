// janus/static/hessian.hpp: second derivatives from the static engine,
// janus::hvp and janus::hessian.
//
// Forward over reverse: janus::grad(f) called on dual numbers, whose
// tangents are the direction. The sweep the engine generates runs on
// dual<T> as it runs on T (the rules are generic in their scalar), so the
// gradient's tangent is the Hessian times the direction. A Hessian is N
// such products along the unit vectors, or, with clang and a few arguments,
// one sweep on multiduals whose N tangents are the unit vectors
// (`max_arguments_in_one_sweep`).
#pragma once

#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "janus/forward/dual.hpp"
#include "janus/forward/functions.hpp"
#include "janus/forward/multidual.hpp"
#include "janus/static/gradient.hpp"

namespace janus {

namespace detail {

/// grad(f) at the duals {x[i], v[i]}: the gradient (values) and the
/// Hessian-vector product (tangents).
template <class F, class T, std::size_t N>
constexpr std::array<dual<T>, N> gradient_on_duals(const F& f, const std::array<T, N>& x, const std::array<T, N>& v) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return janus::grad(f)(dual<T>{x[I], v[I]}...);
  }(std::make_index_sequence<N>{});
}

/// Up to this many arguments janus::hessian is one gradient sweep on
/// multiduals of N tangents, in which each transcendental function runs
/// once; past it, N Hessian-vector products. Clang keeps the tangents in
/// registers (Rosenbrock of 8 arguments: 108 ns in one sweep against 329 ns
/// for 8 products; Black-Scholes 222 against 440 ns); GCC 12 does not
/// (2073 against 307 ns), so with GCC it is always the products.
#if defined(__clang__)
inline constexpr std::size_t max_arguments_in_one_sweep = 8;
#else
inline constexpr std::size_t max_arguments_in_one_sweep = 0;
#endif

template <std::size_t, class T>
using repeated = T;

/// Whether janus::grad(f) can take N arguments of type X (duals,
/// multiduals): when it cannot, the build stops here with the gradient's
/// own sentence, before anything else.
template <class F, class X, std::size_t... I>
constexpr bool differentiable_on(std::index_sequence<I...>) {
  return differentiable_call<F, repeated<I, X>...>();
}

/// The Hessian from one gradient sweep on multiduals, tangent i along x_i.
template <class F, class T, std::size_t N>
constexpr std::array<std::array<T, N>, N> hessian_in_one_sweep(const F& f, const std::array<T, N>& x) {
  using seeded = multidual<T, N>;
  const auto unit = [](std::size_t i) {
    std::array<T, N> e{};
    e[i] = T(1);
    return e;
  };
  const std::array<seeded, N> gradient = [&]<std::size_t... I>(std::index_sequence<I...>) {
    return janus::grad(f)(seeded{x[I], unit(I)}...);
  }(std::make_index_sequence<N>{});
  std::array<std::array<T, N>, N> rows{};
  for (std::size_t i = 0; i < N; ++i) rows[i] = gradient[i].tangents();
  return rows;
}

template <class T, std::size_t N>
constexpr std::array<T, N> tangents_of(const std::array<dual<T>, N>& duals) {
  std::array<T, N> result{};
  for (std::size_t i = 0; i < N; ++i) result[i] = duals[i].tangent();
  return result;
}

}  // namespace detail

/// `janus::hvp(f, std::array{x0, x1, ...}, std::array{v0, v1, ...})`: the
/// Hessian of f at x times v, one gradient sweep on dual numbers. A constant
/// expression where janus::grad(f) is one.
template <class F, class T, std::size_t N>
  requires std::is_floating_point_v<T>
constexpr std::array<T, N> hvp(const F& f, const std::array<T, N>& x, const std::array<T, N>& v) {
  if constexpr (detail::differentiable_on<F, dual<T>>(std::make_index_sequence<N>{}))
    return detail::tangents_of(detail::gradient_on_duals(f, x, v));
  else
    return {};  // not reached: the build has stopped
}

/// What `janus::hessian(f)` is: called like janus::grad(f).
template <class F>
struct hessian_function {
  F f;
  /// The Hessian as rows, `H[i][j]` = d^2 f / dx_i dx_j (one sweep on
  /// multiduals or N products, as `max_arguments_in_one_sweep` says), made
  /// exactly symmetric by taking the mean of H[i][j] and H[j][i] (which agree to
  /// rounding).
  template <class T, class... Ts>
    requires(std::is_floating_point_v<T> && (std::is_same_v<T, Ts> && ...))
  constexpr auto operator()(T first, Ts... rest) const {
    constexpr std::size_t n = 1 + sizeof...(Ts);
    constexpr bool one_sweep = n <= detail::max_arguments_in_one_sweep;
    using argument = std::conditional_t<one_sweep, multidual<T, n>, dual<T>>;
    std::array<std::array<T, n>, n> rows{};
    // Where f cannot be differentiated the build stops in this condition.
    if constexpr (detail::differentiable_on<F, argument>(std::make_index_sequence<n>{})) {
      const std::array<T, n> x{first, rest...};
      if constexpr (one_sweep) {
        rows = detail::hessian_in_one_sweep(f, x);
      } else {
        for (std::size_t i = 0; i < n; ++i) {
          std::array<T, n> unit{};
          unit[i] = T(1);
          rows[i] = janus::hvp(f, x, unit);
        }
      }
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = i + 1; j < n; ++j) {
          const T mean = (rows[i][j] + rows[j][i]) / T(2);
          rows[i][j] = mean;
          rows[j][i] = mean;
        }
      }
    }
    return rows;
  }
};

/// `janus::hessian(f)(a, b, ...)`: the Hessian of f at (a, b, ...) as a
/// std::array of rows, for f as janus::grad(f) takes it.
template <class F>
constexpr hessian_function<F> hessian(F f) {
  return {f};
}

}  // namespace janus
