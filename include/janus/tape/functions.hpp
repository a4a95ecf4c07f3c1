// janus/tape/functions.hpp: arithmetic, comparisons and every function of the
// rule table on `janus::var` and on statements not yet recorded
// (tape/statement.hpp), mixed with arithmetic constants on either side.
//
// Each is a template constrained to vars and statements, so it leaves other
// janus types (the static engine's expressions, dual numbers) alone. Each
// returns a statement, recorded when it becomes a var; all derivatives come
// from the rules through `janus::apply`.
#pragma once

#include <compare>
#include <type_traits>
#include <utility>

#include "janus/rules.hpp"
#include "janus/tape/statement.hpp"
#include "janus/tape/var.hpp"

namespace janus {

namespace tape::detail {
/// An operand as an operation takes it: a statement kept under a name (an
/// lvalue: `auto d1 = ...;`) is recorded where it is used, so that a name
/// used n times costs n small statements, not n copies of its operations in
/// every statement that uses it (which grows exponentially along chains of
/// names: `auto x2 = x * x; auto x4 = x2 * x2; ...`). Temporaries are taken
/// as they are.
template <class X>
[[gnu::always_inline]] inline decltype(auto) used(X&& x) {
  if constexpr (statement<X> && std::is_lvalue_reference_v<X>) {
    return var_of_t<X>(x);
  } else {
    return std::forward<X>(x);
  }
}
}  // namespace tape::detail

// Arithmetic.

template <tape::detail::var_like X>
[[gnu::always_inline]] inline X operator+(const X& x) {
  return x;
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto operator-(X&& x) {
  return apply(rules::neg{}, tape::detail::used(std::forward<X>(x)));
}

template <class A, class B>
  requires tape::detail::statement_operands<std::remove_cvref_t<A>, std::remove_cvref_t<B>>
[[gnu::always_inline]] inline auto operator+(A&& a, B&& b) {
  return apply(rules::add{}, tape::detail::used(std::forward<A>(a)), tape::detail::used(std::forward<B>(b)));
}
template <class A, class B>
  requires tape::detail::statement_operands<std::remove_cvref_t<A>, std::remove_cvref_t<B>>
[[gnu::always_inline]] inline auto operator-(A&& a, B&& b) {
  return apply(rules::sub{}, tape::detail::used(std::forward<A>(a)), tape::detail::used(std::forward<B>(b)));
}
template <class A, class B>
  requires tape::detail::statement_operands<std::remove_cvref_t<A>, std::remove_cvref_t<B>>
[[gnu::always_inline]] inline auto operator*(A&& a, B&& b) {
  return apply(rules::mul{}, tape::detail::used(std::forward<A>(a)), tape::detail::used(std::forward<B>(b)));
}
template <class A, class B>
  requires tape::detail::statement_operands<std::remove_cvref_t<A>, std::remove_cvref_t<B>>
[[gnu::always_inline]] inline auto operator/(A&& a, B&& b) {
  return apply(rules::div{}, tape::detail::used(std::forward<A>(a)), tape::detail::used(std::forward<B>(b)));
}

// Compound assignment records one statement: `total += a * b` is
// `total = total + a * b`, with the right side read where it stands.
template <class T, class B>
  requires tape::detail::statement_operands<basic_var<T>, B>
[[gnu::always_inline]] inline basic_var<T>& operator+=(basic_var<T>& a, const B& b) {
  return a = a + tape::detail::in_place(b);
}
template <class T, class B>
  requires tape::detail::statement_operands<basic_var<T>, B>
[[gnu::always_inline]] inline basic_var<T>& operator-=(basic_var<T>& a, const B& b) {
  return a = a - tape::detail::in_place(b);
}
template <class T, class B>
  requires tape::detail::statement_operands<basic_var<T>, B>
[[gnu::always_inline]] inline basic_var<T>& operator*=(basic_var<T>& a, const B& b) {
  return a = a * tape::detail::in_place(b);
}
template <class T, class B>
  requires tape::detail::statement_operands<basic_var<T>, B>
[[gnu::always_inline]] inline basic_var<T>& operator/=(basic_var<T>& a, const B& b) {
  return a = a / tape::detail::in_place(b);
}

// Comparisons look at values only, so that `if (x > 0)` and loops on values
// work; they record nothing.

template <class A, class B>
  requires tape::detail::statement_operands<A, B>
bool operator==(const A& a, const B& b) {
  using T = tape::detail::common_scalar_t<A, B>;
  return tape::detail::plain_value<T>(a) == tape::detail::plain_value<T>(b);
}
template <class A, class B>
  requires tape::detail::statement_operands<A, B>
std::partial_ordering operator<=>(const A& a, const B& b) {
  using T = tape::detail::common_scalar_t<A, B>;
  return tape::detail::plain_value<T>(a) <=> tape::detail::plain_value<T>(b);
}

// Powers. A constant exponent uses `pow_constant`, which is defined for a
// negative base; a constant base records only the exponent's partial.

template <class A, class B>
  requires tape::detail::statement_operands<std::remove_cvref_t<A>, std::remove_cvref_t<B>> && tape::detail::var_like<A> && tape::detail::var_like<B>
[[gnu::always_inline]] inline auto pow(A&& a, B&& b) {
  return apply(rules::pow{}, tape::detail::used(std::forward<A>(a)), tape::detail::used(std::forward<B>(b)));
}
template <class A, tape::detail::constant_operand C>
  requires tape::detail::var_like<A>
[[gnu::always_inline]] inline auto pow(A&& a, C exponent) {
  return apply(rules::pow_constant{static_cast<double>(exponent)}, tape::detail::used(std::forward<A>(a)));
}
template <tape::detail::constant_operand C, class B>
  requires tape::detail::var_like<B>
[[gnu::always_inline]] inline auto pow(C base, B&& b) {
  return apply(rules::pow{}, base, tape::detail::used(std::forward<B>(b)));
}

// Powers.
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto square(X&& x) {
  return apply(rules::square{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto sqrt(X&& x) {
  return apply(rules::sqrt{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto cbrt(X&& x) {
  return apply(rules::cbrt{}, tape::detail::used(std::forward<X>(x)));
}

// Exponentials and logarithms.
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto exp(X&& x) {
  return apply(rules::exp{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto expm1(X&& x) {
  return apply(rules::expm1{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto log(X&& x) {
  return apply(rules::log{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto log1p(X&& x) {
  return apply(rules::log1p{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto log2(X&& x) {
  return apply(rules::log2{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto log10(X&& x) {
  return apply(rules::log10{}, tape::detail::used(std::forward<X>(x)));
}

// Trigonometric and hyperbolic.
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto sin(X&& x) {
  return apply(rules::sin{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto cos(X&& x) {
  return apply(rules::cos{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto tan(X&& x) {
  return apply(rules::tan{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto asin(X&& x) {
  return apply(rules::asin{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto acos(X&& x) {
  return apply(rules::acos{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto atan(X&& x) {
  return apply(rules::atan{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto sinh(X&& x) {
  return apply(rules::sinh{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto cosh(X&& x) {
  return apply(rules::cosh{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto tanh(X&& x) {
  return apply(rules::tanh{}, tape::detail::used(std::forward<X>(x)));
}

// Activations, piecewise and special functions.
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto sigmoid(X&& x) {
  return apply(rules::sigmoid{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto softplus(X&& x) {
  return apply(rules::softplus{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto relu(X&& x) {
  return apply(rules::relu{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto abs(X&& x) {
  return apply(rules::abs{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto erf(X&& x) {
  return apply(rules::erf{}, tape::detail::used(std::forward<X>(x)));
}
template <class X>
  requires tape::detail::var_like<X>
[[gnu::always_inline]] inline auto erfc(X&& x) {
  return apply(rules::erfc{}, tape::detail::used(std::forward<X>(x)));
}

// Two-argument functions.
template <class A, class B>
  requires tape::detail::statement_operands<std::remove_cvref_t<A>, std::remove_cvref_t<B>>
[[gnu::always_inline]] inline auto atan2(A&& a, B&& b) {
  return apply(rules::atan2{}, tape::detail::used(std::forward<A>(a)), tape::detail::used(std::forward<B>(b)));
}
template <class A, class B>
  requires tape::detail::statement_operands<std::remove_cvref_t<A>, std::remove_cvref_t<B>>
[[gnu::always_inline]] inline auto max(A&& a, B&& b) {
  return apply(rules::max{}, tape::detail::used(std::forward<A>(a)), tape::detail::used(std::forward<B>(b)));
}
template <class A, class B>
  requires tape::detail::statement_operands<std::remove_cvref_t<A>, std::remove_cvref_t<B>>
[[gnu::always_inline]] inline auto min(A&& a, B&& b) {
  return apply(rules::min{}, tape::detail::used(std::forward<A>(a)), tape::detail::used(std::forward<B>(b)));
}
template <class A, class B>
  requires tape::detail::statement_operands<std::remove_cvref_t<A>, std::remove_cvref_t<B>>
[[gnu::always_inline]] inline auto hypot(A&& a, B&& b) {
  return apply(rules::hypot{}, tape::detail::used(std::forward<A>(a)), tape::detail::used(std::forward<B>(b)));
}

}  // namespace janus
