// janus/static/gradient.hpp: gradients of static expressions, and the
// functional forms grad, value_and_grad, jacobian and value_and_jacobian.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "janus/static/array_sums.hpp"
#include "janus/static/arrays.hpp"
#include "janus/static/expression.hpp"
#include "janus/static/functions.hpp"
#include "janus/static/preaccumulate.hpp"
#include "janus/static/run_sweep.hpp"
#include "janus/static/spill.hpp"

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

  template <std::size_t Id, std::size_t N, class Values>
  constexpr T operator[](const variable<Id, T, N, Values>&) const {
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

/// What `janus::value_and_grad(f, args...)` returns: the value, and the
/// gradient in the shape `janus::grad(f)(args...)` gives it.
template <class T, class Gradient>
struct value_and_grad_result {
  T value;
  Gradient gradient;
};

namespace detail {

template <class... Args>
using common_scalar_of = std::common_type_t<typename scalar_type_of<Args>::type...>;

template <class... Args>
constexpr void require_arguments() {
  static_assert(((scalar_argument<Args> || array_argument<Args>) && ...),
                "janus: the arguments of a differentiated function must be float or double numbers, or "
                "std::vector, std::array or std::span of them");
  static_assert((std::is_same_v<typename scalar_type_of<Args>::type, common_scalar_of<Args...>> && ...),
                "janus: the arguments of a differentiated function must all be float or all be double");
}

/// What f receives for argument `I`: a variable, or an array variable.
template <std::size_t I, class Arg, class T, std::size_t N>
constexpr auto argument_variable(const argument_block<T, N>& block, spill_arena& arena) {
  if constexpr (array_argument<Arg>) return array_variable<I, T, N>({&block, &arena});
  else return variable<I, T, N, argument_values<T, N>>{{}, {&block, &arena}};
}

/// The variables f receives for the arguments in `block`. The caller keeps
/// them alive until the sweep is done: f may return sums whose bodies
/// refer to them (`[&]`).
template <class... Args, class T, std::size_t N>
constexpr auto argument_variables(const argument_block<T, N>& block, spill_arena& arena) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return std::tuple{argument_variable<I, Args>(block, arena)...};
  }(std::make_index_sequence<N>{});
}

/// Up to this many scalar arguments, and no arrays, the values travel in
/// each expression (janus::variables), which the optimiser keeps in
/// registers. Past it, every expression points at the call's argument block
/// instead, and large operands go to the call's arena (spill.hpp): copying N
/// values into every one of a formula's O(N) expressions would cost O(N^2).
/// Clang keeps those copies in registers longer than GCC: Rosenbrock's fold
/// at N = 20 took 2.5x the hand-written adjoint by value against 3.3x through
/// the block with clang 16, and at N = 10 18x by value against 9x through the
/// block with GCC 12 (docs/design.md).
#if defined(__clang__)
inline constexpr std::size_t max_scalars_by_value = 20;
#else
inline constexpr std::size_t max_scalars_by_value = 8;
#endif

template <class... Args>
inline constexpr bool uses_argument_block =
    !(scalar_argument<Args> && ...) || sizeof...(Args) > max_scalars_by_value;

/// Who made the variables of a functional call (see owned_values): f's
/// arguments cannot meet variables the caller made with janus::variables.
struct functional_call {};

/// What f returns on the variables a functional call gives it: janus::variables
/// for a few numbers, variables of an argument block otherwise.
template <bool ArgumentBlock, class... Args>
struct functional_arguments {
  using type = decltype(owned_variables<0, functional_call>(std::declval<Args>()...));
};
template <class... Args>
struct functional_arguments<true, Args...> {
  using type = decltype(argument_variables<Args...>(
      std::declval<const argument_block<common_scalar_of<Args...>, sizeof...(Args)>&>(), std::declval<spill_arena&>()));
};

template <class F, class Variables>
struct call_result_on;
template <class F, class... Variables>
struct call_result_on<F, std::tuple<Variables...>> {
  using type = std::remove_cvref_t<std::invoke_result_t<const F&, const Variables&...>>;
};

template <class F, class... Args>
using call_result =
    typename call_result_on<F, typename functional_arguments<uses_argument_block<Args...>, Args...>::type>::type;

template <class R>
constexpr void require_expression() {
  static_assert(static_expression<R>,
                "janus::grad(f) requires f to return an expression of its arguments, not a plain number");
}

template <class F, class Variables>
struct invocable_on;
template <class F, class... Variables>
struct invocable_on<F, std::tuple<Variables...>> : std::is_invocable<const F&, const Variables&...> {};

/// Whether f can be differentiated at arguments of these types; each way it
/// cannot stops the build with one sentence, before anything else is
/// instantiated (the callers compile nothing more when it is false).
template <class F, class... Args>
constexpr bool differentiable_call() {
  constexpr bool numbers = ((scalar_argument<Args> || array_argument<Args>) && ...);
  static_assert(numbers,
                "janus: the arguments of a differentiated function must be float or double numbers, or "
                "std::vector, std::array or std::span of them");
  if constexpr (!numbers) {
    return false;
  } else {
    constexpr bool one_type = (std::is_same_v<typename scalar_type_of<Args>::type, common_scalar_of<Args...>> && ...);
    static_assert(one_type, "janus: the arguments of a differentiated function must all be float or all be double");
    if constexpr (!one_type) {
      return false;
    } else {
      using variables_type = typename functional_arguments<uses_argument_block<Args...>, Args...>::type;
      constexpr bool callable = invocable_on<F, variables_type>::value;
      static_assert(callable,
                    "janus::grad(f): f cannot take the engine's variables; declare its parameters `auto` (or "
                    "`const auto&` for arrays), not double");
      if constexpr (!callable) {
        return false;
      } else {
        constexpr bool expression = static_expression<call_result<F, Args...>>;
        static_assert(expression,
                      "janus::grad(f) requires f to return an expression of its arguments, not a plain number "
                      "(declare f's parameters `auto`, not double, and build the result from them)");
        return expression;
      }
    }
  }
}

/// f called on variables for scalar arguments, and its tree swept.
template <bool WithValue, class F, class T, class... Ts>
[[gnu::always_inline]] constexpr auto call_and_sweep(const F& f, T first, Ts... rest) {
  require_arguments<T, Ts...>();
  using R = call_result<F, T, Ts...>;
  require_expression<R>();
  // Scalars only: the values travel in each expression (janus::variables),
  // which the optimiser keeps in registers for formulas of a few variables.
  const auto arguments = owned_variables<0, functional_call>(first, rest...);
  R e = std::apply(f, arguments);  // not const: GCC keeps const aggregates on the stack
  return run_sweep_inlined<first_ids<1 + sizeof...(Ts)>, WithValue>(e);
}

/// `call_and_sweep` with every call in it inlined, f's own included. GCC does
/// not inline a user's lambda of a few rules (Black-Scholes) by itself, and
/// the tree it returns then goes through the stack to the sweep. Only for
/// formulas swept as one tree (none of their operands preaccumulated): in a
/// long formula it would merge every preaccumulation's sweep into one
/// function, which costs much compile time for nothing.
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


/// The gradient buffers of a call with array arguments, one per argument:
/// zeros of the argument's size, in the shape the user gets back.
template <class T, class... Args>
auto zero_gradients(const Args&... args) {
  return std::tuple<typename gradient_type_of<Args, T>::type...>{[&] {
    using gradient = typename gradient_type_of<Args, T>::type;
    if constexpr (array_argument<Args>) {
      gradient g{};
      if constexpr (std::is_same_v<gradient, std::vector<T>>) g.assign(std::size(args), T(0));
      return g;
    } else {
      return T(0);
    }
  }()...};
}

/// f called on the variables of an argument block, and its tree swept: the
/// value and the gradient with respect to every argument (an array's
/// entry is unused: its gradient went into its buffer).
template <bool WithValue, class F, class T, std::size_t N, class... Args>
auto call_and_sweep_block(const F& f, const argument_block<T, N>& block) {
  using R = call_result<F, Args...>;
  require_expression<R>();
  spill_arena arena;
  const spill_scope scope(arena);
  const auto arguments = argument_variables<Args...>(block, arena);
  R e = std::apply(f, arguments);
  return run_sweep_inlined<first_ids<N>, WithValue>(e);
}

/// Scalar arguments, past `max_scalars_by_value` of them. Flattened (f
/// inlined): each variable f receives carries the arena's address, and only
/// inlined does the optimiser see that all of them hold the same one (a
/// copy read from memory could differ, and every spill of a term would wait
/// for the previous one's store, spill.hpp). On Rosenbrock's fold, g++ 12:
/// N = 40 went from 6.3x to about 3x the mechanical adjoint, at the same
/// compile time (docs/design.md).
template <bool WithValue, class F, class... Ts>
[[gnu::flatten]] auto call_and_sweep_scalars_in_block(const F& f, Ts... args) {
  require_arguments<Ts...>();
  using T = common_scalar_of<Ts...>;
  const argument_block<T, sizeof...(Ts)> block{{args...}, {}, {}, {}};
  return call_and_sweep_block<WithValue, F, T, sizeof...(Ts), Ts...>(f, block);
}

template <bool WithValue, class F, class... Ts>
[[gnu::always_inline]] constexpr auto sweep_of_call(const F& f, Ts... args) {
  if constexpr (uses_argument_block<Ts...>)
    return call_and_sweep_scalars_in_block<WithValue>(f, args...);
  else if constexpr (swept_as_one<call_result<F, Ts...>>())
    return call_and_sweep_inlined<WithValue>(f, args...);
  else
    return call_and_sweep<WithValue>(f, args...);
}

/// f at arguments some of which are arrays: its value (when asked for) and
/// its gradient, one entry per argument.
template <bool WithValue, class F, class... Args>
auto call_and_sweep_arrays(const F& f, const Args&... args) {
  require_arguments<Args...>();
  using T = common_scalar_of<Args...>;
  constexpr std::size_t n = sizeof...(Args);
  auto gradients = zero_gradients<T>(args...);
  argument_block<T, n> block{};
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    const auto bind = [&]<std::size_t Position>(const auto& arg, auto& gradient) {
      if constexpr (array_argument<std::remove_cvref_t<decltype(arg)>>) {
        block.array_data[Position] = std::data(arg);
        block.array_size[Position] = std::size(arg);
        block.array_gradient[Position] = std::data(gradient);
      } else {
        block.scalars[Position] = arg;
      }
    };
    (bind.template operator()<I>(args, std::get<I>(gradients)), ...);
  }(std::make_index_sequence<n>{});
  // The sums over array elements that f makes: when one of them does not
  // enter f's result as a term of it, f runs again with each sum's partials
  // scaled (array_sums.hpp).
  array_sums_record<T> sums;
  const array_sums_scope<T> sums_scope(sums);
  auto swept = call_and_sweep_block<WithValue, F, T, n, Args...>(f, block);
  if (!sums.unscaled_is_right()) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      const auto clear = [](auto& gradient) {
        if constexpr (!std::is_same_v<std::remove_cvref_t<decltype(gradient)>, T>)
          for (T& g : gradient) g = T(0);
      };
      (clear(std::get<I>(gradients)), ...);
    }(std::make_index_sequence<n>{});
    sums.start_replay();
    swept = call_and_sweep_block<WithValue, F, T, n, Args...>(f, block);
  }
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    const auto read = [&]<std::size_t Position>(auto& gradient) {
      if constexpr (std::is_same_v<std::remove_cvref_t<decltype(gradient)>, T>) gradient = swept.gradient[Position];
    };
    (read.template operator()<I>(std::get<I>(gradients)), ...);
  }(std::make_index_sequence<n>{});
  struct result {
    T value;
    decltype(gradients) gradient;
  };
  return result{WithValue ? swept.value : T(0), std::move(gradients)};
}

/// One argument's gradient alone, several as a tuple.
template <class Tuple>
auto unwrap_single(Tuple&& gradients) {
  if constexpr (std::tuple_size_v<std::remove_cvref_t<Tuple>> == 1) return std::get<0>(std::forward<Tuple>(gradients));
  else return std::forward<Tuple>(gradients);
}

}  // namespace detail

template <class F>
struct grad_function {
  F f;
  /// Scalars only: the gradient as a std::array (a constant expression where f allows).
  template <detail::scalar_argument... Ts>
  constexpr auto operator()(Ts... args) const {
    if constexpr (detail::differentiable_call<F, Ts...>()) return detail::sweep_of_call<false>(f, args...).gradient;
    else return std::array<double, sizeof...(Ts)>{};  // not reached: the build has stopped
  }
  /// With array arguments: a gradient per argument, each of its argument's
  /// shape (a number, a std::array, a std::vector); one argument's alone.
  template <class... Args>
    requires(!(detail::scalar_argument<Args> && ...))
  auto operator()(const Args&... args) const {
    if constexpr (detail::differentiable_call<F, Args...>())
      return detail::unwrap_single(detail::call_and_sweep_arrays<false>(f, args...).gradient);
    else return std::array<double, sizeof...(Args)>{};  // not reached: the build has stopped
  }
};

/// `janus::grad(f)(a, b, ...)`: the gradient of f at (a, b, ...).
template <class F>
constexpr grad_function<F> grad(F f) {
  return {f};
}

/// `auto [value, gradient] = janus::value_and_grad(f, a, b, ...)`.
template <class F, detail::scalar_argument... Ts>
constexpr auto value_and_grad(const F& f, Ts... args) {
  if constexpr (detail::differentiable_call<F, Ts...>()) {
    using R = detail::call_result<F, Ts...>;
    const auto r = detail::sweep_of_call<true>(f, args...);
    return value_and_grad_result<typename R::value_type, std::array<typename R::value_type, sizeof...(Ts)>>{
        r.value, r.gradient};
  } else {
    return value_and_grad_result<double, std::array<double, sizeof...(Ts)>>{};  // not reached
  }
}

template <class F, class... Args>
  requires(!(detail::scalar_argument<Args> && ...))
auto value_and_grad(const F& f, const Args&... args) {
  if constexpr (detail::differentiable_call<F, Args...>()) {
    auto r = detail::call_and_sweep_arrays<true>(f, args...);
    auto gradient = detail::unwrap_single(std::move(r.gradient));
    return value_and_grad_result<decltype(r.value), decltype(gradient)>{r.value, std::move(gradient)};
  } else {
    return value_and_grad_result<double, std::array<double, sizeof...(Args)>>{};  // not reached
  }
}

/// What `janus::value_and_jacobian(f, a, b, ...)` returns: f's outputs and
/// their Jacobian, row i the gradient of output i.
template <class T, std::size_t M, std::size_t N>
struct value_and_jacobian_result {
  std::array<T, M> value;
  std::array<std::array<T, N>, M> jacobian;
};

namespace detail {

/// f's outputs at (first, rest...) and their gradients, one sweep per
/// output; the values only when asked for.
template <bool WithValue, class F, class T, class... Ts>
constexpr auto outputs_and_jacobian(const F& f, T first, Ts... rest) {
  require_arguments<T, Ts...>();
  constexpr std::size_t n = 1 + sizeof...(Ts);
  const auto arguments = owned_variables<0, functional_call>(first, rest...);
  auto outputs = std::apply(f, arguments);
  using outputs_type = std::remove_cvref_t<decltype(outputs)>;
  constexpr std::size_t m = std::tuple_size_v<outputs_type>;
  value_and_jacobian_result<T, m, n> result{};
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    const auto row = [&]<std::size_t Row>(const auto& output) {
      require_expression<std::remove_cvref_t<decltype(output)>>();
      const auto swept = run_sweep<first_ids<n>, WithValue>(output);
      result.jacobian[Row] = swept.gradient;
      if constexpr (WithValue) result.value[Row] = swept.value;
    };
    (row.template operator()<I>(std::get<I>(outputs)), ...);
  }(std::make_index_sequence<m>{});
  return result;
}

}  // namespace detail

template <class F>
struct jacobian_function {
  F f;
  template <class T, class... Ts>
  constexpr auto operator()(T first, Ts... rest) const {
    return detail::outputs_and_jacobian<false>(f, first, rest...).jacobian;
  }
};

/// `janus::jacobian(f)(a, b, ...)` for f returning a std::tuple of
/// expressions: row i is the gradient of output i.
template <class F>
constexpr jacobian_function<F> jacobian(F f) {
  return {f};
}

/// `auto [values, J] = janus::value_and_jacobian(f, a, b, ...)`: f's outputs
/// (a std::array) and its Jacobian, from one evaluation of f (an ODE step
/// needs both).
template <class F, detail::scalar_argument T, detail::scalar_argument... Ts>
constexpr auto value_and_jacobian(const F& f, T first, Ts... rest) {
  return detail::outputs_and_jacobian<true>(f, first, rest...);
}

}  // namespace janus
