// Intermediates are ordinary `auto` locals: expressions hold what they need by
// value, so an expression returned from a lambda that built it from locals
// stays valid (this test is meant to run under AddressSanitizer too).
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <cmath>

namespace {
auto build(double a, double b) {
  auto [x, y] = janus::variables(a, b);
  auto u = x * y;
  auto v = u * u + sin(u);
  auto c = 1.5 + v;  // a constant node, copied into the result
  return std::tuple{x, y, u * v + c};
}
}  // namespace

BOOST_AUTO_TEST_CASE(expressions_outlive_the_locals_they_were_built_from) {
  const auto [x, y, f] = build(0.5, 3.0);
  const double u = 1.5, v = u * u + std::sin(u);
  BOOST_TEST(janus::value(f) == u * v + 1.5 + v, boost::test_tools::tolerance(1e-13));
  const auto g = janus::gradient(f);
  const double dv_du = 2 * u + std::cos(u);
  const double df_du = v + u * dv_du + dv_du;
  BOOST_TEST(g[x] == df_du * 3.0, boost::test_tools::tolerance(1e-13));
  BOOST_TEST(g[y] == df_du * 0.5, boost::test_tools::tolerance(1e-13));
}

BOOST_AUTO_TEST_CASE(a_lambda_returns_an_expression_of_its_intermediates) {
  auto fn = [](auto x, auto y) {
    auto u = x * y;
    auto v = u * u + sin(u);
    return u * v - 2.0 * v;
  };
  const auto g = janus::grad(fn)(0.5, 3.0);
  const double u = 1.5, v = u * u + std::sin(u), dv = 2 * u + std::cos(u);
  const double df_du = v + u * dv - 2.0 * dv;
  BOOST_TEST(g[0] == df_du * 3.0, boost::test_tools::tolerance(1e-13));
  BOOST_TEST(g[1] == df_du * 0.5, boost::test_tools::tolerance(1e-13));
}
