// Shared helpers of the tensor tests: random inputs, gradient checks and error-message checks.
#pragma once

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "janus/check/gradcheck.hpp"
#include "janus/tensor.hpp"

namespace janus::testing {

using dtensor = basic_tensor<double>;
using inputs = std::vector<dtensor>;

/// Values uniform in [low, high), the same on every run.
inline dtensor random(const shape_type& shape, double low = -1.0, double high = 1.0, unsigned seed = 7) {
  std::mt19937 gen(seed + static_cast<unsigned>(shape_numel(shape)));
  return dtensor::uniform(shape, low, high, gen);
}

/// Gradient of fn at `at` against central differences, to 1e-6 relative.
template <class Fn>
void require_gradients(Fn fn, const inputs& at) {
  const check::gradcheck_result result = check::gradcheck(fn, at);
  BOOST_TEST(result.ok(), result.summary());
}

/// `action` throws E and the message contains every one of `parts`.
template <class E = shape_error>
void require_error(const std::function<void()>& action, std::initializer_list<std::string> parts) {
  try {
    action();
  } catch (const E& error) {
    const std::string message = error.what();
    for (const std::string& part : parts) {
      BOOST_TEST(message.find(part) != std::string::npos, "\"" << message << "\" lacks \"" << part << "\"");
    }
    return;
  }
  BOOST_FAIL("no exception was thrown");
}

/// Elements equal to `expected` within `tolerance`.
template <class T>
void require_values(const basic_tensor<T>& actual, std::initializer_list<double> expected, double tolerance = 1e-6) {
  BOOST_REQUIRE_EQUAL(actual.numel(), expected.size());
  std::size_t i = 0;
  for (double value : expected) {
    const double got = static_cast<double>(actual.data()[i]);
    BOOST_TEST(std::abs(got - value) <= tolerance * std::max(1.0, std::abs(value)),
               "element " << i << ": " << got << " != " << value);
    ++i;
  }
}

}  // namespace janus::testing
