// The widest scalar formula an expression may have: Rosenbrock's function
// folded over 64 arguments (one expression of 64 leaves and 63 terms, each
// with two constants), its value and gradient against the closed form.
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include "rosenbrock_fold.hpp"

#include <array>
#include <cstddef>
#include <tuple>

using namespace rosenbrock_fold_test;

BOOST_AUTO_TEST_CASE(rosenbrock_folded_over_64_scalars) {
  constexpr std::size_t n = 64;
  const auto x = test_point<n>();
  const auto [value, g] = std::apply([](auto... v) { return janus::value_and_grad(rosenbrock_fold, v...); }, x);

  double expected_value = 0;
  for (std::size_t i = 0; i + 1 < n; ++i)
    expected_value += 100.0 * (x[i + 1] - x[i] * x[i]) * (x[i + 1] - x[i] * x[i]) + (1.0 - x[i]) * (1.0 - x[i]);
  const auto expected = rosenbrock_gradient(x);
  BOOST_TEST(value == expected_value, boost::test_tools::tolerance(1e-13));
  for (std::size_t i = 0; i < n; ++i) BOOST_TEST(g[i] == expected[i], boost::test_tools::tolerance(1e-12));
}
