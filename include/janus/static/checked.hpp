// janus/static/checked.hpp: `janus::checked_grad(f)(args...)` and
// `janus::checked_value_and_grad(f, args...)`, janus::grad and
// janus::value_and_grad with every value and adjoint of the sweep checked.
//
// The static engine's counterpart of `janus::detect_anomaly`: the same sweep,
// generated with its `Checked` switch on (static/sweep.hpp), computes every
// node's value (the forward pass) and tests it and every adjoint it hands on
// (the backward pass); the first NaN or infinity throws `janus::numeric_error`
// naming the node's rule, its place in the sweep, its inputs and the pass.
// `janus::grad` itself is generated without the tests and is unchanged. For
// scalar arguments; the bodies of `janus::sum` and preaccumulated operands
// are swept unchecked, and their results (value and partials) checked.
#pragma once

#include <array>
#include <cstddef>
#include <tuple>
#include <utility>

#include "janus/static/gradient.hpp"
#include "janus/static/run_sweep.hpp"
#include "janus/static/spill.hpp"
#include "janus/static/sweep.hpp"

namespace janus {

namespace detail {

/// run_sweep (run_sweep.hpp) with the checked sweep.
template <id_mask Wrt, bool WantValue, class Node, class T, std::size_t N, class Values>
auto run_checked_sweep(const expression<Node, T, N, Values>& e) {
  using tree = dag_of<Node, false>;
  using shared = dag_of<Node, true>;
  if constexpr (tree::size == shared::size) {
    return sweep<Node, false, T, Values, Wrt, WantValue, hoisted_nodes<>, true>::run(e.node, e.variable_values);
  } else {
    if (sharing_holds(e.node))
      return sweep<Node, true, T, Values, Wrt, WantValue, hoisted_nodes<>, true>::run(e.node, e.variable_values);
    return sweep<Node, false, T, Values, Wrt, WantValue, hoisted_nodes<>, true>::run(e.node, e.variable_values);
  }
}

/// f called on the variables janus::grad would give it (as call_and_sweep
/// and call_and_sweep_block in gradient.hpp make them), and its tree swept
/// with the checks. The value is always computed: a NaN that no pullback
/// reads is found all the same.
template <class F, class... Ts>
auto checked_sweep_of_call(const F& f, Ts... args) {
  using T = common_scalar_of<Ts...>;
  using R = call_result<F, Ts...>;
  constexpr std::size_t n = sizeof...(Ts);
  if constexpr (uses_argument_block<Ts...>) {
    const argument_block<T, n> block{{args...}, {}, {}, {}};
    spill_arena arena;
    const spill_scope scope(arena);
    const auto arguments = argument_variables<Ts...>(block, arena);
    R e = std::apply(f, arguments);
    return run_checked_sweep<first_ids<n>, true>(e);
  } else {
    const auto arguments = owned_variables<0, functional_call>(args...);
    R e = std::apply(f, arguments);
    return run_checked_sweep<first_ids<n>, true>(e);
  }
}

}  // namespace detail

template <class F>
struct checked_grad_function {
  F f;
  /// The gradient as a std::array, as `janus::grad(f)(args...)` gives it.
  template <detail::scalar_argument... Ts>
  auto operator()(Ts... args) const {
    if constexpr (detail::differentiable_call<F, Ts...>()) return detail::checked_sweep_of_call(f, args...).gradient;
    else return std::array<double, sizeof...(Ts)>{};  // not reached: the build has stopped
  }
};

/// `janus::checked_grad(f)(a, b, ...)`: the gradient of f at (a, b, ...),
/// or `janus::numeric_error` at the first value or adjoint that is NaN or
/// infinite.
template <class F>
checked_grad_function<F> checked_grad(F f) {
  return {std::move(f)};
}

/// `auto [value, gradient] = janus::checked_value_and_grad(f, a, b, ...)`,
/// checked as `checked_grad` is.
template <class F, detail::scalar_argument... Ts>
auto checked_value_and_grad(const F& f, Ts... args) {
  if constexpr (detail::differentiable_call<F, Ts...>()) {
    using R = detail::call_result<F, Ts...>;
    const auto r = detail::checked_sweep_of_call(f, args...);
    return value_and_grad_result<typename R::value_type, std::array<typename R::value_type, sizeof...(Ts)>>{
        r.value, r.gradient};
  } else {
    return value_and_grad_result<double, std::array<double, sizeof...(Ts)>>{};  // not reached
  }
}

}  // namespace janus
