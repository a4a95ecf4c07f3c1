// janus/tape/functions.hpp: arithmetic, comparisons and every function of the
// rule table on `janus::var`, mixed with arithmetic constants on either side.
//
// Each is a template deduced from `basic_var<T>`, so it applies to vars only
// and leaves other janus types (the static engine's expressions) alone. All
// derivatives come from the rules through `janus::apply`. They are forced
// inline: with `apply` inlined into them they are too large for the
// compiler's taste, and a call per operation costs a third of recording.
#pragma once

#include <compare>

#include "janus/rules.hpp"
#include "janus/tape/var.hpp"

namespace janus {

// Arithmetic.

template <class T>
[[gnu::always_inline]] inline basic_var<T> operator+(const basic_var<T>& x) { return x; }
template <class T>
[[gnu::always_inline]] inline basic_var<T> operator-(const basic_var<T>& x) { return apply(rules::neg{}, x); }

template <class T>
[[gnu::always_inline]] inline basic_var<T> operator+(const basic_var<T>& a, const basic_var<T>& b) {
  return apply(rules::add{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> operator+(const basic_var<T>& a, A b) {
  return apply(rules::add{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> operator+(A a, const basic_var<T>& b) {
  return apply(rules::add{}, a, b);
}

template <class T>
[[gnu::always_inline]] inline basic_var<T> operator-(const basic_var<T>& a, const basic_var<T>& b) {
  return apply(rules::sub{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> operator-(const basic_var<T>& a, A b) {
  return apply(rules::sub{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> operator-(A a, const basic_var<T>& b) {
  return apply(rules::sub{}, a, b);
}

template <class T>
[[gnu::always_inline]] inline basic_var<T> operator*(const basic_var<T>& a, const basic_var<T>& b) {
  return apply(rules::mul{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> operator*(const basic_var<T>& a, A b) {
  return apply(rules::mul{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> operator*(A a, const basic_var<T>& b) {
  return apply(rules::mul{}, a, b);
}

template <class T>
[[gnu::always_inline]] inline basic_var<T> operator/(const basic_var<T>& a, const basic_var<T>& b) {
  return apply(rules::div{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> operator/(const basic_var<T>& a, A b) {
  return apply(rules::div{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> operator/(A a, const basic_var<T>& b) {
  return apply(rules::div{}, a, b);
}

template <class T>
basic_var<T>& operator+=(basic_var<T>& a, const basic_var<T>& b) { return a = a + b; }
template <class T, tape::detail::arithmetic A>
basic_var<T>& operator+=(basic_var<T>& a, A b) { return a = a + b; }
template <class T>
basic_var<T>& operator-=(basic_var<T>& a, const basic_var<T>& b) { return a = a - b; }
template <class T, tape::detail::arithmetic A>
basic_var<T>& operator-=(basic_var<T>& a, A b) { return a = a - b; }
template <class T>
basic_var<T>& operator*=(basic_var<T>& a, const basic_var<T>& b) { return a = a * b; }
template <class T, tape::detail::arithmetic A>
basic_var<T>& operator*=(basic_var<T>& a, A b) { return a = a * b; }
template <class T>
basic_var<T>& operator/=(basic_var<T>& a, const basic_var<T>& b) { return a = a / b; }
template <class T, tape::detail::arithmetic A>
basic_var<T>& operator/=(basic_var<T>& a, A b) { return a = a / b; }

// Comparisons look at values only, so that `if (x > 0)` and loops on values
// work; they record nothing.

template <class T>
bool operator==(const basic_var<T>& a, const basic_var<T>& b) { return a.value() == b.value(); }
template <class T, tape::detail::arithmetic A>
bool operator==(const basic_var<T>& a, A b) { return a.value() == static_cast<T>(b); }
template <class T>
std::partial_ordering operator<=>(const basic_var<T>& a, const basic_var<T>& b) {
  return a.value() <=> b.value();
}
template <class T, tape::detail::arithmetic A>
std::partial_ordering operator<=>(const basic_var<T>& a, A b) { return a.value() <=> static_cast<T>(b); }

// Powers. A constant exponent uses `pow_constant`, which is defined for a
// negative base; a constant base records only the exponent's partial.

template <class T>
[[gnu::always_inline]] inline basic_var<T> pow(const basic_var<T>& a, const basic_var<T>& b) {
  return apply(rules::pow{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> pow(const basic_var<T>& a, A exponent) {
  return apply(rules::pow_constant{static_cast<double>(exponent)}, a);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> pow(A base, const basic_var<T>& b) {
  return apply(rules::pow{}, base, b);
}

template <class T> [[gnu::always_inline]] inline basic_var<T> square(const basic_var<T>& x) {
  return apply(rules::square{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> sqrt(const basic_var<T>& x) {
  return apply(rules::sqrt{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> cbrt(const basic_var<T>& x) {
  return apply(rules::cbrt{}, x);
}

// Exponentials and logarithms.
template <class T> [[gnu::always_inline]] inline basic_var<T> exp(const basic_var<T>& x) {
  return apply(rules::exp{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> expm1(const basic_var<T>& x) {
  return apply(rules::expm1{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> log(const basic_var<T>& x) {
  return apply(rules::log{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> log1p(const basic_var<T>& x) {
  return apply(rules::log1p{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> log2(const basic_var<T>& x) {
  return apply(rules::log2{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> log10(const basic_var<T>& x) {
  return apply(rules::log10{}, x);
}

// Trigonometric and hyperbolic.
template <class T> [[gnu::always_inline]] inline basic_var<T> sin(const basic_var<T>& x) {
  return apply(rules::sin{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> cos(const basic_var<T>& x) {
  return apply(rules::cos{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> tan(const basic_var<T>& x) {
  return apply(rules::tan{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> asin(const basic_var<T>& x) {
  return apply(rules::asin{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> acos(const basic_var<T>& x) {
  return apply(rules::acos{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> atan(const basic_var<T>& x) {
  return apply(rules::atan{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> sinh(const basic_var<T>& x) {
  return apply(rules::sinh{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> cosh(const basic_var<T>& x) {
  return apply(rules::cosh{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> tanh(const basic_var<T>& x) {
  return apply(rules::tanh{}, x);
}

template <class T>
[[gnu::always_inline]] inline basic_var<T> atan2(const basic_var<T>& a, const basic_var<T>& b) {
  return apply(rules::atan2{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> atan2(const basic_var<T>& a, A b) {
  return apply(rules::atan2{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> atan2(A a, const basic_var<T>& b) {
  return apply(rules::atan2{}, a, b);
}

// Activations, piecewise and special functions.
template <class T> [[gnu::always_inline]] inline basic_var<T> sigmoid(const basic_var<T>& x) {
  return apply(rules::sigmoid{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> softplus(const basic_var<T>& x) {
  return apply(rules::softplus{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> relu(const basic_var<T>& x) {
  return apply(rules::relu{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> abs(const basic_var<T>& x) {
  return apply(rules::abs{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> erf(const basic_var<T>& x) {
  return apply(rules::erf{}, x);
}
template <class T> [[gnu::always_inline]] inline basic_var<T> erfc(const basic_var<T>& x) {
  return apply(rules::erfc{}, x);
}

template <class T>
[[gnu::always_inline]] inline basic_var<T> max(const basic_var<T>& a, const basic_var<T>& b) {
  return apply(rules::max{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> max(const basic_var<T>& a, A b) {
  return apply(rules::max{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> max(A a, const basic_var<T>& b) {
  return apply(rules::max{}, a, b);
}

template <class T>
[[gnu::always_inline]] inline basic_var<T> min(const basic_var<T>& a, const basic_var<T>& b) {
  return apply(rules::min{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> min(const basic_var<T>& a, A b) {
  return apply(rules::min{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> min(A a, const basic_var<T>& b) {
  return apply(rules::min{}, a, b);
}

template <class T>
[[gnu::always_inline]] inline basic_var<T> hypot(const basic_var<T>& a, const basic_var<T>& b) {
  return apply(rules::hypot{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> hypot(const basic_var<T>& a, A b) {
  return apply(rules::hypot{}, a, b);
}
template <class T, tape::detail::arithmetic A>
[[gnu::always_inline]] inline basic_var<T> hypot(A a, const basic_var<T>& b) {
  return apply(rules::hypot{}, a, b);
}

}  // namespace janus
