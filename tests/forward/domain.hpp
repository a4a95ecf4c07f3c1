// tests/forward/domain.hpp: points inside each rule's domain, away from its
// kinks, and finite-difference derivatives of a rule's value, for the
// forward-mode and second-order tests.
#pragma once

#include <janus/rules.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <tuple>
#include <type_traits>
#include <utility>

namespace forward_tests {

namespace rules = janus::rules;

template <class Rule, class... Rules>
constexpr bool is_one_of = (std::is_same_v<Rule, Rules> || ...);

template <class Rule>
constexpr std::array<double, 4> unary_points() {
  if constexpr (is_one_of<Rule, rules::sqrt, rules::log, rules::log2, rules::log10>)
    return {0.05, 0.4, 1.0, 3.7};
  else if constexpr (is_one_of<Rule, rules::log1p>)
    return {-0.6, -0.1, 0.5, 2.0};
  else if constexpr (is_one_of<Rule, rules::tan>)
    return {-1.2, -0.3, 0.4, 1.1};
  else if constexpr (is_one_of<Rule, rules::asin, rules::acos>)
    return {-0.8, -0.2, 0.35, 0.9};
  else
    return {-2.1, -0.7, 0.3, 1.4};
}

using point2 = std::pair<double, double>;

// d/db a^b needs log(a), so a > 0 for pow; max and min are away from a tie.
template <class Rule>
constexpr std::array<point2, 4> binary_points() {
  if constexpr (is_one_of<Rule, rules::pow>)
    return {{{0.7, 1.3}, {2.1, -0.6}, {1.4, 3.0}, {0.3, 0.5}}};
  else
    return {{{1.3, -0.7}, {-0.4, 2.2}, {0.6, 0.5}, {-1.8, -1.1}}};
}

/// The step for differences at x: it follows |x|, so that it stays small
/// against the distance to a singularity at 0 (log, sqrt near 0).
inline double step_at(double x) { return 1e-3 * std::max(0.1, std::abs(x)); }

/// f'(x) by central differences with one Richardson step: error O(h^4).
template <class F>
double derivative(F f, double x) {
  const double h = step_at(x);
  const double wide = (f(x + h) - f(x - h)) / (2 * h);
  const double narrow = (f(x + h / 2) - f(x - h / 2)) / h;
  return (4 * narrow - wide) / 3;
}

/// f''(x) by second central differences with one Richardson step.
template <class F>
double second_derivative(F f, double x) {
  const double h = 4 * step_at(x);
  const auto at = [&](double s) { return (f(x + s) - 2 * f(x) + f(x - s)) / (s * s); };
  return (4 * at(h / 2) - at(h)) / 3;
}

/// Calls `f.template operator()<Rule>()` for every rule of a tuple of rules
/// (`rules::unary_rules`, `rules::binary_rules`).
template <class Tuple>
struct for_each_rule;
template <class... Rules>
struct for_each_rule<std::tuple<Rules...>> {
  template <class F>
  static void run(F f) {
    (f.template operator()<Rules>(), ...);
  }
};

/// The Jacobian of `gradient` (a function of a std::array returning one),
/// by Richardson-extrapolated central differences: the Hessian that an
/// engine's gradient implies, against which its second derivatives are checked.
template <class Gradient, std::size_t N>
std::array<std::array<double, N>, N> hessian_by_differences_of(const Gradient& gradient_at,
                                                               const std::array<double, N>& x) {
  std::array<std::array<double, N>, N> rows{};
  for (std::size_t i = 0; i < N; ++i) {
    const double h = step_at(x[i]);
    const auto central = [&](double s) {
      std::array<double, N> above = x;
      std::array<double, N> below = x;
      above[i] += s;
      below[i] -= s;
      const auto ga = gradient_at(above);
      const auto gb = gradient_at(below);
      std::array<double, N> d{};
      for (std::size_t j = 0; j < N; ++j) d[j] = (ga[j] - gb[j]) / (2 * s);
      return d;
    };
    const auto wide = central(h);
    const auto narrow = central(h / 2);
    for (std::size_t j = 0; j < N; ++j) rows[i][j] = (4 * narrow[j] - wide[j]) / 3;
  }
  return rows;
}

inline bool agrees(double actual, double expected, double relative) {
  return std::abs(actual - expected) <= relative * std::max(1.0, std::abs(expected));
}

}  // namespace forward_tests
