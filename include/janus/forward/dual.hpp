// janus/forward/dual.hpp: janus::dual<T>, a dual number (a value and a
// tangent), and every rule of the table applied to it.
//
// Forward mode needs no derivative of its own. A pullback is linear in its
// upstream adjoint, so rule.pullback(x, y, t) is the local derivative times
// t: that is the tangent of y for a tangent t of x. A binary rule's tangent
// is pullback(a, b, y, 1) combined with both input tangents. Nothing here
// names a derivative; `janus::apply(rule, d)` serves a user's own rule too.
//
// `dual<dual<double>>` nests: its value's tangent and its tangent's value are
// two first derivatives, its tangent's tangent a second derivative.
#pragma once

#include <concepts>
#include <cstddef>
#include <type_traits>

#include "janus/rules/arithmetic.hpp"
#include "janus/rules/rule.hpp"

namespace janus {

template <class T>
class dual;

namespace detail {
/// Whether X is a number of forward mode: a dual, or a multidual (several
/// tangents, forward/multidual.hpp).
template <class X>
inline constexpr bool is_forward_number = false;
template <class T>
inline constexpr bool is_forward_number<dual<T>> = true;

/// What the innermost value of a (nested) dual number is: double for dual<dual<double>>.
template <class X>
struct innermost_scalar {
  using type = X;
};
template <class T>
struct innermost_scalar<dual<T>> : innermost_scalar<T> {};

/// `value` as a constant of T. A number beside a janus::var is a constant
/// of the tape (basic_var<T>::constant), not a recorded leaf.
template <class T, class U>
constexpr T as_constant(const U& value) {
  if constexpr (std::is_arithmetic_v<U> && requires { T::constant(static_cast<typename T::value_type>(value)); })
    return T::constant(static_cast<typename T::value_type>(value));
  else
    return static_cast<T>(value);
}
}  // namespace detail

/// A number of forward mode: a (nested) `janus::dual` or `janus::multidual`.
template <class X>
concept forward_number = detail::is_forward_number<std::remove_cvref_t<X>>;

/// What may stand beside a forward number X in arithmetic: a number, or a
/// dual of a lower level (a dual<double> beside a dual<dual<double>>).
template <class U, class X>
concept mixes_with = forward_number<X> && std::convertible_to<U, typename X::value_type> &&
                     !std::same_as<std::remove_cvref_t<U>, X>;

/// A value and a tangent: `janus::dual<double> d{3.0, 1.0};`, `sin(d) * d`.
///
/// `<`, `<=`, `>` and `>=` compare values, so that a branch takes the side
/// it takes on plain numbers and the values of a computation on duals are
/// those of the same computation on numbers. `==` and `!=` compare value
/// and tangent: every engine lets an adjoint of exactly 0 propagate nothing
/// (docs/rules.md), and an adjoint whose value is 0 but whose tangent is not
/// (in a Hessian-vector product) still carries a second derivative.
template <class T>
class dual {
 public:
  using value_type = T;

  constexpr dual() = default;
  /// A constant: tangent 0.
  template <class U>
    requires std::convertible_to<U, T>
  constexpr dual(const U& value) : value_(detail::as_constant<T>(value)) {}  // NOLINT: implicit, as for numbers
  constexpr dual(T value, T tangent) : value_(value), tangent_(tangent) {}

  constexpr const T& value() const { return value_; }
  constexpr const T& tangent() const { return tangent_; }

  constexpr dual& operator+=(const dual& other) { return *this = *this + other; }
  constexpr dual& operator-=(const dual& other) { return *this = *this - other; }
  constexpr dual& operator*=(const dual& other) { return *this = *this * other; }
  constexpr dual& operator/=(const dual& other) { return *this = *this / other; }

 private:
  T value_{};
  T tangent_{};
};

template <class T> constexpr bool operator==(const dual<T>& a, const dual<T>& b) {
  return a.value() == b.value() && a.tangent() == b.tangent();
}

namespace detail {

/// Whether a tangent is exactly 0, so that it propagates nothing even
/// through an infinite derivative (the rule of docs/rules.md, for tangents).
/// For a dual that is value and tangent 0 (its ==); for a janus::var, a
/// constant 0 only: a recorded 0 still has a gradient, which a Hessian on
/// the tape (tape/second_order.hpp) differentiates.
template <class T>
constexpr bool exactly_zero(const T& t) {
  if constexpr (requires { t.requires_grad(); }) return !t.requires_grad() && t.value() == 0;
  else return t == T{};
}

/// Whether T records its operations (a janus::var): then skipping an
/// operation whose result is known saves a statement on the tape, which is
/// worth a branch; on numbers it is not.
template <class T>
inline constexpr bool records_operations = requires(const T& t) { t.requires_grad(); };

/// Whether a tangent of exactly 0 is tested for, to give 0 without an
/// operation: where the rule's derivative can be infinite (0 times it would
/// be NaN), and on the tape.
template <class Rule, class T>
inline constexpr bool skips_zero_tangents = rules::has_unbounded_derivative<Rule> || records_operations<T>;

/// The part of a tangent that an input with tangent `t` and local
/// derivative `partial` contributes: `partial * t`, and 0 where t is exactly
/// 0 even if the derivative is infinite, for the rules that declare it can be.
template <class Rule, class T>
[[gnu::always_inline]] constexpr T tangent_term(const T& partial, const T& t) {
  if constexpr (skips_zero_tangents<Rule, T>) {
    if (exactly_zero(t)) return T{};
  }
  if constexpr (records_operations<T>) {
    if (!partial.requires_grad() && partial.value() == 1) return t;  // add, sub: no statement
  }
  return partial * t;
}

/// a + b, without a statement on the tape where one of them is a constant 0.
template <class T>
[[gnu::always_inline]] constexpr T sum_of_terms(const T& a, const T& b) {
  if constexpr (records_operations<T>) {
    if (exactly_zero(a)) return b;
    if (exactly_zero(b)) return a;
  }
  return a + b;
}

/// rule.pullback(x, y, t): the tangent of a one-argument rule, linear in t.
template <class Rule, class T>
[[gnu::always_inline]] constexpr T pushforward(const Rule& rule, const T& x, const T& y, const T& t) {
  if constexpr (skips_zero_tangents<Rule, T>) {
    if (exactly_zero(t)) return T{};
  }
  return rule.pullback(x, y, t);
}

/// The tangent of a two-argument rule whose first (Position 0) or second
/// argument alone has the tangent t.
template <std::size_t Position, class Rule, class T>
[[gnu::always_inline]] constexpr T pushforward(const Rule& rule, const T& a, const T& b, const T& y, const T& t) {
  if constexpr (skips_zero_tangents<Rule, T>) {
    if (exactly_zero(t)) return T{};
  }
  const rules::adjoints<T> partials = rule.pullback(a, b, y, t);
  if constexpr (Position == 0) return partials.first;
  else return partials.second;
}

}  // namespace detail

/// A one-argument rule, the library's or a user's, on a dual number: the
/// tangent is the pullback of the input's tangent.
template <class Rule, class T>
  requires rules::unary_rule<Rule, T>
constexpr dual<T> apply(const Rule& rule, const dual<T>& x) {
  const T y = rule.value(x.value());
  return {y, detail::pushforward(rule, x.value(), y, x.tangent())};
}

/// A two-argument rule on two dual numbers: pullback(a, b, y, 1) holds both
/// partial derivatives, each multiplied by its input's tangent.
template <class Rule, class T>
  requires rules::binary_rule<Rule, T>
constexpr dual<T> apply(const Rule& rule, const dual<T>& a, const dual<T>& b) {
  const T y = rule.value(a.value(), b.value());
  const rules::adjoints<T> partials = rule.pullback(a.value(), b.value(), y, detail::as_constant<T>(1));
  return {y, detail::sum_of_terms(detail::tangent_term<Rule>(partials.first, a.tangent()),
                                  detail::tangent_term<Rule>(partials.second, b.tangent()))};
}

/// A two-argument rule on a dual number and a number (or a dual of a lower
/// level): only the dual's tangent enters, as the pullback's g.
template <class Rule, class T, mixes_with<dual<T>> U>
  requires rules::binary_rule<Rule, T>
constexpr dual<T> apply(const Rule& rule, const dual<T>& a, const U& b_given) {
  const T b = detail::as_constant<T>(b_given);
  const T y = rule.value(a.value(), b);
  return {y, detail::pushforward<0>(rule, a.value(), b, y, a.tangent())};
}

template <class Rule, class T, mixes_with<dual<T>> U>
  requires rules::binary_rule<Rule, T>
constexpr dual<T> apply(const Rule& rule, const U& a_given, const dual<T>& b) {
  const T a = detail::as_constant<T>(a_given);
  const T y = rule.value(a, b.value());
  return {y, detail::pushforward<1>(rule, a, b.value(), y, b.tangent())};
}

// Arithmetic and comparisons, for every forward number (dual and multidual).
// `apply` unqualified: argument-dependent lookup finds the multidual's,
// declared after this header.
template <forward_number X> constexpr X operator-(const X& x) { return apply(rules::neg{}, x); }
template <forward_number X> constexpr X operator+(const X& x) { return x; }
template <forward_number X> constexpr X operator+(const X& a, const X& b) { return apply(rules::add{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X operator+(const X& a, const U& b) { return apply(rules::add{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X operator+(const U& a, const X& b) { return apply(rules::add{}, a, b); }
template <forward_number X> constexpr X operator-(const X& a, const X& b) { return apply(rules::sub{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X operator-(const X& a, const U& b) { return apply(rules::sub{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X operator-(const U& a, const X& b) { return apply(rules::sub{}, a, b); }
template <forward_number X> constexpr X operator*(const X& a, const X& b) { return apply(rules::mul{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X operator*(const X& a, const U& b) { return apply(rules::mul{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X operator*(const U& a, const X& b) { return apply(rules::mul{}, a, b); }
template <forward_number X> constexpr X operator/(const X& a, const X& b) { return apply(rules::div{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X operator/(const X& a, const U& b) { return apply(rules::div{}, a, b); }
template <forward_number X, mixes_with<X> U> constexpr X operator/(const U& a, const X& b) { return apply(rules::div{}, a, b); }

template <forward_number X, mixes_with<X> U> constexpr bool operator==(const X& a, const U& b) { return a == X(b); }
template <forward_number X> constexpr bool operator<(const X& a, const X& b) { return a.value() < b.value(); }
template <forward_number X, mixes_with<X> U> constexpr bool operator<(const X& a, const U& b) { return a.value() < detail::as_constant<typename X::value_type>(b); }
template <forward_number X, mixes_with<X> U> constexpr bool operator<(const U& a, const X& b) { return detail::as_constant<typename X::value_type>(a) < b.value(); }
template <forward_number X> constexpr bool operator<=(const X& a, const X& b) { return a.value() <= b.value(); }
template <forward_number X, mixes_with<X> U> constexpr bool operator<=(const X& a, const U& b) { return a.value() <= detail::as_constant<typename X::value_type>(b); }
template <forward_number X, mixes_with<X> U> constexpr bool operator<=(const U& a, const X& b) { return detail::as_constant<typename X::value_type>(a) <= b.value(); }
template <forward_number X> constexpr bool operator>(const X& a, const X& b) { return a.value() > b.value(); }
template <forward_number X, mixes_with<X> U> constexpr bool operator>(const X& a, const U& b) { return a.value() > detail::as_constant<typename X::value_type>(b); }
template <forward_number X, mixes_with<X> U> constexpr bool operator>(const U& a, const X& b) { return detail::as_constant<typename X::value_type>(a) > b.value(); }
template <forward_number X> constexpr bool operator>=(const X& a, const X& b) { return a.value() >= b.value(); }
template <forward_number X, mixes_with<X> U> constexpr bool operator>=(const X& a, const U& b) { return a.value() >= detail::as_constant<typename X::value_type>(b); }
template <forward_number X, mixes_with<X> U> constexpr bool operator>=(const U& a, const X& b) { return detail::as_constant<typename X::value_type>(a) >= b.value(); }

}  // namespace janus
