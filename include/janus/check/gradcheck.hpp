// janus/check/gradcheck.hpp: janus::check::gradcheck, the tape's gradients against central finite differences.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "janus/tape/recording.hpp"
#include "janus/tensor/basic_tensor.hpp"

namespace janus::check {

/// How far the tape's gradient is from the finite-difference one.
struct gradcheck_result {
  double max_abs_error = 0;    // largest |analytic - numeric|
  double max_rel_error = 0;    // largest |analytic - numeric| / max(|analytic|, |numeric|, 1)
  double tolerance = 0;
  std::size_t worst_input = 0;    // where the largest relative error is
  std::size_t worst_element = 0;
  bool ok() const { return max_rel_error <= tolerance; }
  /// One line for a test log, e.g. "max abs error 3e-10, max rel error 3e-10 at input 0 element 4".
  std::string summary() const {
    char text[160];
    std::snprintf(text, sizeof text, "max abs error %.3g, max rel error %.3g at input %zu element %zu (tolerance %.3g)",
                  max_abs_error, max_rel_error, worst_input, worst_element, tolerance);
    return text;
  }
};

/// Compares the gradient of fn(inputs) that backward() computes with central
/// differences (f(x + eps) - f(x - eps)) / 2 eps, element by element.
/// `fn` takes a const std::vector<basic_tensor<double>>& and returns a
/// one-element tensor. The inputs are copied: the caller's tensors are left
/// alone. A relative error (|a - n| / max(|a|, |n|, 1)) above `tol` fails.
template <class Fn>
gradcheck_result gradcheck(Fn fn, std::vector<basic_tensor<double>> inputs, double eps = 1e-6, double tol = 1e-6) {
  using tensor = basic_tensor<double>;
  std::vector<tensor> leaves;
  leaves.reserve(inputs.size());
  for (const tensor& input : inputs) leaves.emplace_back(input.shape(), input.to_vector(), true);

  tensor output = fn(static_cast<const std::vector<tensor>&>(leaves));
  if (output.numel() != 1) {
    throw shape_error("gradcheck: the function must return one element, got shape " + to_string(output.shape()));
  }
  if (output.requires_grad()) output.backward();

  gradcheck_result result;
  result.tolerance = tol;
  const no_grad evaluating_only;
  for (std::size_t k = 0; k < leaves.size(); ++k) {
    const tensor analytic = leaves[k].grad();
    double* values = leaves[k].data();
    for (std::size_t i = 0; i < leaves[k].numel(); ++i) {
      const double saved = values[i];
      values[i] = saved + eps;
      const double above = fn(static_cast<const std::vector<tensor>&>(leaves)).item();
      values[i] = saved - eps;
      const double below = fn(static_cast<const std::vector<tensor>&>(leaves)).item();
      values[i] = saved;
      const double numeric = (above - below) / (2 * eps);
      const double a = analytic.data()[i];
      const double abs_error = std::abs(a - numeric);
      const double rel_error = abs_error / std::max({std::abs(a), std::abs(numeric), 1.0});
      result.max_abs_error = std::max(result.max_abs_error, abs_error);
      // A NaN anywhere must fail, so it is never compared away.
      if (rel_error > result.max_rel_error || std::isnan(rel_error)) {
        result.max_rel_error = std::isnan(rel_error) ? std::numeric_limits<double>::infinity() : rel_error;
        result.worst_input = k;
        result.worst_element = i;
      }
    }
  }
  return result;
}

}  // namespace janus::check
