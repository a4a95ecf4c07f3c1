// The widest scalar formula an expression may have: Rosenbrock's function
// folded over 64 arguments (one expression of 64 leaves and 63 terms, each
// with two constants), its value and gradient against the closed form.
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <tuple>
#include <utility>

BOOST_AUTO_TEST_CASE(rosenbrock_folded_over_64_scalars) {
  constexpr std::size_t n = 64;
  const auto rosenbrock_fold = [](auto... x) {
    const std::tuple args{x...};
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return ((100.0 * janus::square(std::get<I + 1>(args) - std::get<I>(args) * std::get<I>(args)) +
               janus::square(1.0 - std::get<I>(args))) +
              ...);
    }(std::make_index_sequence<sizeof...(x) - 1>{});
  };
  std::array<double, n> x{};
  for (std::size_t i = 0; i < n; ++i) x[i] = 0.9 * std::sin(1.0 + static_cast<double>(i));

  const auto [value, g] = std::apply([&](auto... v) { return janus::value_and_grad(rosenbrock_fold, v...); }, x);

  double expected_value = 0;
  std::array<double, n> expected{};
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const double r = x[i + 1] - x[i] * x[i];
    expected_value += 100.0 * r * r + (1.0 - x[i]) * (1.0 - x[i]);
    expected[i] += -400.0 * x[i] * r - 2.0 * (1.0 - x[i]);
    expected[i + 1] += 200.0 * r;
  }
  BOOST_TEST(value == expected_value, boost::test_tools::tolerance(1e-13));
  for (std::size_t i = 0; i < n; ++i) BOOST_TEST(g[i] == expected[i], boost::test_tools::tolerance(1e-12));
}
