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

#include "janus/rules.hpp"
#include "janus/tape/statement.hpp"
#include "janus/tape/var.hpp"

namespace janus {

// Arithmetic.

template <tape::detail::var_like X>
[[gnu::always_inline]] inline X operator+(const X& x) {
  return x;
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto operator-(const X& x) {
  return apply(rules::neg{}, x);
}

template <class A, class B>
  requires tape::detail::statement_operands<A, B>
[[gnu::always_inline]] inline auto operator+(const A& a, const B& b) {
  return apply(rules::add{}, a, b);
}
template <class A, class B>
  requires tape::detail::statement_operands<A, B>
[[gnu::always_inline]] inline auto operator-(const A& a, const B& b) {
  return apply(rules::sub{}, a, b);
}
template <class A, class B>
  requires tape::detail::statement_operands<A, B>
[[gnu::always_inline]] inline auto operator*(const A& a, const B& b) {
  return apply(rules::mul{}, a, b);
}
template <class A, class B>
  requires tape::detail::statement_operands<A, B>
[[gnu::always_inline]] inline auto operator/(const A& a, const B& b) {
  return apply(rules::div{}, a, b);
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
  requires tape::detail::statement_operands<A, B> && tape::detail::var_like<A> && tape::detail::var_like<B>
[[gnu::always_inline]] inline auto pow(const A& a, const B& b) {
  return apply(rules::pow{}, a, b);
}
template <tape::detail::var_like A, tape::detail::constant_operand C>
[[gnu::always_inline]] inline auto pow(const A& a, C exponent) {
  return apply(rules::pow_constant{static_cast<double>(exponent)}, a);
}
template <tape::detail::constant_operand C, tape::detail::var_like B>
[[gnu::always_inline]] inline auto pow(C base, const B& b) {
  return apply(rules::pow{}, base, b);
}

// Powers.
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto square(const X& x) {
  return apply(rules::square{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto sqrt(const X& x) {
  return apply(rules::sqrt{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto cbrt(const X& x) {
  return apply(rules::cbrt{}, x);
}

// Exponentials and logarithms.
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto exp(const X& x) {
  return apply(rules::exp{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto expm1(const X& x) {
  return apply(rules::expm1{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto log(const X& x) {
  return apply(rules::log{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto log1p(const X& x) {
  return apply(rules::log1p{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto log2(const X& x) {
  return apply(rules::log2{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto log10(const X& x) {
  return apply(rules::log10{}, x);
}

// Trigonometric and hyperbolic.
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto sin(const X& x) {
  return apply(rules::sin{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto cos(const X& x) {
  return apply(rules::cos{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto tan(const X& x) {
  return apply(rules::tan{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto asin(const X& x) {
  return apply(rules::asin{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto acos(const X& x) {
  return apply(rules::acos{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto atan(const X& x) {
  return apply(rules::atan{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto sinh(const X& x) {
  return apply(rules::sinh{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto cosh(const X& x) {
  return apply(rules::cosh{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto tanh(const X& x) {
  return apply(rules::tanh{}, x);
}

// Activations, piecewise and special functions.
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto sigmoid(const X& x) {
  return apply(rules::sigmoid{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto softplus(const X& x) {
  return apply(rules::softplus{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto relu(const X& x) {
  return apply(rules::relu{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto abs(const X& x) {
  return apply(rules::abs{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto erf(const X& x) {
  return apply(rules::erf{}, x);
}
template <tape::detail::var_like X>
[[gnu::always_inline]] inline auto erfc(const X& x) {
  return apply(rules::erfc{}, x);
}

// Two-argument functions.
template <class A, class B>
  requires tape::detail::statement_operands<A, B>
[[gnu::always_inline]] inline auto atan2(const A& a, const B& b) {
  return apply(rules::atan2{}, a, b);
}
template <class A, class B>
  requires tape::detail::statement_operands<A, B>
[[gnu::always_inline]] inline auto max(const A& a, const B& b) {
  return apply(rules::max{}, a, b);
}
template <class A, class B>
  requires tape::detail::statement_operands<A, B>
[[gnu::always_inline]] inline auto min(const A& a, const B& b) {
  return apply(rules::min{}, a, b);
}
template <class A, class B>
  requires tape::detail::statement_operands<A, B>
[[gnu::always_inline]] inline auto hypot(const A& a, const B& b) {
  return apply(rules::hypot{}, a, b);
}

}  // namespace janus
