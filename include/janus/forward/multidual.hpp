// janus/forward/multidual.hpp: janus::multidual<T, N>, a value with N
// tangents: N directional derivatives in one pass (vector forward mode).
//
// The tangents come from the rule table as a dual's do: a rule's partial
// derivatives are its pullback with g = 1, each times every tangent of its
// input. janus::grad(f) on multiduals whose tangents are the unit vectors
// is the whole Hessian in one sweep.
#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <type_traits>

#include "janus/forward/dual.hpp"
#include "janus/rules/rule.hpp"

namespace janus {

/// A value and N tangents, `janus::multidual<double, 3>{x, {1.0, 0.0, 0.0}}`.
/// Arithmetic, comparisons and the named functions as for janus::dual.
template <class T, std::size_t N>
class multidual {
 public:
  using value_type = T;
  static constexpr std::size_t size = N;

  constexpr multidual() = default;
  /// A constant: every tangent 0.
  template <class U>
    requires std::convertible_to<U, T>
  constexpr multidual(const U& value) : value_(detail::as_constant<T>(value)) {}  // NOLINT: implicit, as for numbers
  constexpr multidual(T value, const std::array<T, N>& tangents) : value_(value), tangents_(tangents) {}

  constexpr const T& value() const { return value_; }
  constexpr const std::array<T, N>& tangents() const { return tangents_; }
  constexpr const T& tangent(std::size_t i) const { return tangents_[i]; }

  constexpr multidual& operator+=(const multidual& other) { return *this = *this + other; }
  constexpr multidual& operator-=(const multidual& other) { return *this = *this - other; }
  constexpr multidual& operator*=(const multidual& other) { return *this = *this * other; }
  constexpr multidual& operator/=(const multidual& other) { return *this = *this / other; }

 private:
  T value_{};
  std::array<T, N> tangents_{};
};

namespace detail {
template <class T, std::size_t N>
inline constexpr bool is_forward_number<multidual<T, N>> = true;
template <class T, std::size_t N>
struct innermost_scalar<multidual<T, N>> : innermost_scalar<T> {};
}  // namespace detail

/// Equality of value and every tangent (see janus::dual for why).
template <class T, std::size_t N>
constexpr bool operator==(const multidual<T, N>& a, const multidual<T, N>& b) {
  return a.value() == b.value() && a.tangents() == b.tangents();
}

template <class Rule, class T, std::size_t N>
  requires rules::unary_rule<Rule, T>
constexpr multidual<T, N> apply(const Rule& rule, const multidual<T, N>& x) {
  const T y = rule.value(x.value());
  const T partial = rule.pullback(x.value(), y, detail::as_constant<T>(1));
  std::array<T, N> tangents{};
  for (std::size_t i = 0; i < N; ++i) tangents[i] = detail::tangent_term<Rule>(partial, x.tangent(i));
  return {y, tangents};
}

template <class Rule, class T, std::size_t N>
  requires rules::binary_rule<Rule, T>
constexpr multidual<T, N> apply(const Rule& rule, const multidual<T, N>& a, const multidual<T, N>& b) {
  const T y = rule.value(a.value(), b.value());
  const rules::adjoints<T> partials = rule.pullback(a.value(), b.value(), y, detail::as_constant<T>(1));
  std::array<T, N> tangents{};
  for (std::size_t i = 0; i < N; ++i)
    tangents[i] = detail::sum_of_terms(detail::tangent_term<Rule>(partials.first, a.tangent(i)),
                                       detail::tangent_term<Rule>(partials.second, b.tangent(i)));
  return {y, tangents};
}

template <class Rule, class T, std::size_t N, mixes_with<multidual<T, N>> U>
  requires rules::binary_rule<Rule, T>
constexpr multidual<T, N> apply(const Rule& rule, const multidual<T, N>& a, const U& b_given) {
  const T b = detail::as_constant<T>(b_given);
  const T y = rule.value(a.value(), b);
  const T partial = rule.pullback(a.value(), b, y, detail::as_constant<T>(1)).first;
  std::array<T, N> tangents{};
  for (std::size_t i = 0; i < N; ++i) tangents[i] = detail::tangent_term<Rule>(partial, a.tangent(i));
  return {y, tangents};
}

template <class Rule, class T, std::size_t N, mixes_with<multidual<T, N>> U>
  requires rules::binary_rule<Rule, T>
constexpr multidual<T, N> apply(const Rule& rule, const U& a_given, const multidual<T, N>& b) {
  const T a = detail::as_constant<T>(a_given);
  const T y = rule.value(a, b.value());
  const T partial = rule.pullback(a, b.value(), y, detail::as_constant<T>(1)).second;
  std::array<T, N> tangents{};
  for (std::size_t i = 0; i < N; ++i) tangents[i] = detail::tangent_term<Rule>(partial, b.tangent(i));
  return {y, tangents};
}

}  // namespace janus
