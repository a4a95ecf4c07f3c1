// janus/check/scalar_gradcheck.hpp: janus::check::gradcheck for a function
// of scalars: the static engine's gradient and Hessian against central
// finite differences.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <string>
#include <tuple>

#include "janus/janus.hpp"

namespace janus::check {

/// How far janus::grad(f) and janus::hessian(f) are from finite differences.
/// Relative errors are |a - n| / max(|a|, |n|, 1).
struct scalar_gradcheck_result {
  double gradient_error = 0;   // largest relative error of the gradient
  double hessian_error = 0;    // largest relative error of the Hessian
  double tolerance = 0;
  std::size_t worst_gradient = 0;                  // where the gradient's largest error is
  std::size_t worst_row = 0, worst_column = 0;     // where the Hessian's is
  bool ok() const { return gradient_error <= tolerance && hessian_error <= tolerance; }
  /// One line for a test log.
  std::string summary() const {
    char text[200];
    std::snprintf(text, sizeof text,
                  "gradient: max rel error %.3g at %zu; Hessian: max rel error %.3g at (%zu, %zu) (tolerance %.3g)",
                  gradient_error, worst_gradient, hessian_error, worst_row, worst_column, tolerance);
    return text;
  }
};

namespace detail {

inline double relative_error(double analytic, double numeric) {
  const double error = std::abs(analytic - numeric) / std::max({std::abs(analytic), std::abs(numeric), 1.0});
  return std::isnan(error) ? std::numeric_limits<double>::infinity() : error;  // a NaN must fail
}

/// (f(x + h e_i) - f(x - h e_i)) / 2h and its Richardson extrapolation with
/// h / 2: error O(h^4).
template <class V, std::size_t N>
double central_difference(const V& value, const std::array<double, N>& x, std::size_t i, double h) {
  const auto at = [&](double step) {
    std::array<double, N> above = x;
    std::array<double, N> below = x;
    above[i] += step;
    below[i] -= step;
    return (value(above) - value(below)) / (2 * step);
  };
  return (4 * at(h / 2) - at(h)) / 3;
}

/// d^2 f / dx_i dx_j by central second differences of f alone, with one
/// Richardson step (error O(h^4)).
template <class V, std::size_t N>
double second_difference(const V& value, const std::array<double, N>& x, std::size_t i, std::size_t j, double hi,
                         double hj) {
  const auto at = [&](double scale) {
    const auto shifted = [&](double si, double sj) {
      std::array<double, N> p = x;
      p[i] += si * scale * hi;
      p[j] += sj * scale * hj;
      return value(p);
    };
    if (i == j) {
      const double h = scale * hi;
      return (shifted(1, 1) - 2 * value(x) + shifted(-1, -1)) / (4 * h * h);
    }
    return (shifted(1, 1) - shifted(1, -1) - shifted(-1, 1) + shifted(-1, -1)) / (4 * scale * hi * scale * hj);
  };
  return (4 * at(0.5) - at(1.0)) / 3;
}

}  // namespace detail

/// `janus::check::gradcheck(f, std::array{x0, x1, ...})` for f a generic
/// function of N scalars (as janus::grad takes it): janus::grad(f) against
/// central differences of f, and janus::hessian(f) against central second
/// differences of f (not of the engine's gradient, so that a wrong second
/// derivative cannot hide behind a gradient that agrees with it), both
/// Richardson-extrapolated and computed on doubles. The step in argument i
/// is eps * max(|x_i|, 1). A relative error above `tol` fails.
template <class F, std::size_t N>
scalar_gradcheck_result gradcheck(const F& f, const std::array<double, N>& x, double eps = 1e-3, double tol = 1e-6) {
  const auto value = [&](const std::array<double, N>& p) { return static_cast<double>(std::apply(f, p)); };
  const auto g = std::apply([&](auto... a) { return janus::grad(f)(a...); }, x);
  const auto H = std::apply([&](auto... a) { return janus::hessian(f)(a...); }, x);
  std::array<double, N> steps{};
  for (std::size_t i = 0; i < N; ++i) steps[i] = eps * std::max(std::abs(x[i]), 1.0);
  scalar_gradcheck_result result;
  result.tolerance = tol;
  for (std::size_t i = 0; i < N; ++i) {
    const double error = detail::relative_error(g[i], detail::central_difference(value, x, i, steps[i]));
    if (error > result.gradient_error) {
      result.gradient_error = error;
      result.worst_gradient = i;
    }
    for (std::size_t j = 0; j < N; ++j) {
      const double h_error =
          detail::relative_error(H[i][j], detail::second_difference(value, x, i, j, steps[i], steps[j]));
      if (h_error > result.hessian_error) {
        result.hessian_error = h_error;
        result.worst_row = i;
        result.worst_column = j;
      }
    }
  }
  return result;
}

}  // namespace janus::check
