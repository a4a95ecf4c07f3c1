// janus/static/gradient.hpp: gradients of static expressions, and the
// functional forms grad, value_and_grad and jacobian.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "janus/static/expression.hpp"
#include "janus/static/functions.hpp"
#include "janus/static/preaccumulate.hpp"
#include "janus/static/sweep.hpp"

namespace janus {

/// The variables a gradient is taken with respect to: `janus::wrt(x, z)`.
template <detail::id_mask Mask>
struct wrt_set {
  static constexpr detail::id_mask mask = Mask;
};

template <static_variable... V>
constexpr auto wrt(const V&...) {
  return wrt_set<(detail::node_traits<typename V::node_type>::all_ids | ... | 0)>{};
}

/// A gradient, read by variable: `g[x]`.
template <class T, detail::id_mask Mask>
struct gradient_result {
  static constexpr std::size_t size = std::popcount(Mask);
  std::array<T, size> values;

  template <std::size_t Id, std::size_t N>
  constexpr T operator[](const variable<Id, T, N>&) const {
    static_assert((Mask >> Id) & 1u, "janus: this gradient was not taken with respect to that variable");
    return values[std::popcount(Mask & ((detail::id_mask{1} << Id) - 1))];
  }
};

template <class T, detail::id_mask Mask>
struct value_and_gradient_result {
  T value;
  gradient_result<T, Mask> gradient;
};

namespace detail {
template <std::size_t N>
inline constexpr id_mask first_ids = N >= max_variables ? ~id_mask{0} : (id_mask{1} << N) - 1;
}  // namespace detail

/// The gradient of `e` with respect to every variable made with it.
template <static_expression E>
constexpr auto gradient(const E& e) {
  constexpr auto mask = detail::first_ids<E::variable_count>;
  return gradient_result<typename E::value_type, mask>{detail::run_sweep<mask, false>(e).gradient};
}

/// The gradient of `e` with respect to the variables named in `wrt(...)`.
template <static_expression E, detail::id_mask Mask>
constexpr auto gradient(const E& e, wrt_set<Mask>) {
  return gradient_result<typename E::value_type, Mask>{detail::run_sweep<Mask, false>(e).gradient};
}

template <static_expression E>
constexpr auto value_and_gradient(const E& e) {
  constexpr auto mask = detail::first_ids<E::variable_count>;
  const auto r = detail::run_sweep<mask, true>(e);
  return value_and_gradient_result<typename E::value_type, mask>{r.value, {r.gradient}};
}

template <static_expression E, detail::id_mask Mask>
constexpr auto value_and_gradient(const E& e, wrt_set<Mask>) {
  const auto r = detail::run_sweep<Mask, true>(e);
  return value_and_gradient_result<typename E::value_type, Mask>{r.value, {r.gradient}};
}

/// What `janus::value_and_grad(f, args...)` returns.
template <class T, std::size_t N>
struct value_and_grad_result {
  T value;
  std::array<T, N> gradient;
};

namespace detail {

template <class F, class T, class... Ts>
constexpr auto call_on_variables(const F& f, T first, Ts... rest) {
  static_assert(std::is_floating_point_v<T> && (std::is_same_v<T, Ts> && ...),
                "janus: the arguments of a differentiated function must all be float or all be double");
  return std::apply(f, variables(first, rest...));
}

template <class F, class... Ts>
using call_result = std::remove_cvref_t<decltype(call_on_variables(std::declval<const F&>(), std::declval<Ts>()...))>;

template <class R>
constexpr void require_expression() {
  static_assert(static_expression<R>,
                "janus::grad(f) requires f to return an expression of its arguments, not a plain number");
}

/// f called on the variables and its tree swept (with the value or not).
template <bool WithValue, class F, class... Ts>
[[gnu::always_inline]] constexpr auto call_and_sweep(const F& f, Ts... args) {
  using R = call_result<F, Ts...>;
  require_expression<R>();
  R e = call_on_variables(f, args...);  // not const: GCC keeps const aggregates on the stack
  return run_sweep<first_ids<sizeof...(Ts)>, WithValue>(e);
}

/// `call_and_sweep` with every call in it inlined, f's own included. GCC does
/// not inline a user's lambda of a few rules (Black-Scholes) by itself, and
/// the tree it returns then goes through the stack to the sweep: 15-20% of
/// that gradient's time. Only for formulas swept as one tree (none of their
/// operands preaccumulated), where flattening costs the compiler little; in a
/// long formula it would merge every preaccumulation's sweep into one
/// function (a 200-operation formula: 17 -> 22 s to compile).
template <bool WithValue, class F, class... Ts>
[[gnu::flatten]] constexpr auto call_and_sweep_inlined(const F& f, Ts... args) {
  return call_and_sweep<WithValue>(f, args...);
}

/// Whether `R` is an expression swept as one tree.
template <class R>
constexpr bool swept_as_one() {
  if constexpr (static_expression<R>)
    return !holds_preaccumulated<typename R::node_type>::value;
  else
    return false;  // not an expression: call_and_sweep reports it
}

template <bool WithValue, class F, class... Ts>
[[gnu::always_inline]] constexpr auto sweep_of_call(const F& f, Ts... args) {
  if constexpr (swept_as_one<call_result<F, Ts...>>())
    return call_and_sweep_inlined<WithValue>(f, args...);
  else
    return call_and_sweep<WithValue>(f, args...);
}

}  // namespace detail

template <class F>
struct grad_function {
  F f;
  template <class... Ts>
  constexpr auto operator()(Ts... args) const {
    return detail::sweep_of_call<false>(f, args...).gradient;
  }
};

/// `janus::grad(f)(a, b, ...)`: the gradient of f at (a, b, ...), as a std::array.
template <class F>
constexpr grad_function<F> grad(F f) {
  return {f};
}

/// `auto [value, gradient] = janus::value_and_grad(f, a, b, ...)`.
template <class F, class... Ts>
constexpr auto value_and_grad(const F& f, Ts... args) {
  using R = detail::call_result<F, Ts...>;
  const auto r = detail::sweep_of_call<true>(f, args...);
  return value_and_grad_result<typename R::value_type, sizeof...(Ts)>{r.value, r.gradient};
}

template <class F>
struct jacobian_function {
  F f;
  template <class T, class... Ts>
  constexpr auto operator()(T first, Ts... rest) const {
    constexpr std::size_t n = 1 + sizeof...(Ts);
    auto outputs = detail::call_on_variables(f, first, rest...);
    using outputs_type = std::remove_cvref_t<decltype(outputs)>;
    constexpr std::size_t m = std::tuple_size_v<outputs_type>;
    std::array<std::array<T, n>, m> rows{};
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((detail::require_expression<std::tuple_element_t<I, outputs_type>>(),
        rows[I] = detail::run_sweep<detail::first_ids<n>, false>(std::get<I>(outputs)).gradient),
       ...);
    }(std::make_index_sequence<m>{});
    return rows;
  }
};

/// `janus::jacobian(f)(a, b, ...)` for f returning a std::tuple of
/// expressions: row i is the gradient of output i.
template <class F>
constexpr jacobian_function<F> jacobian(F f) {
  return {f};
}

}  // namespace janus
