// Variables made by several calls of janus::variables: numbered sets combine,
// each keeping its own values; two sets that both made one identity do not
// compile (tests/failtest/two_sets_of_variables.cpp).
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <cmath>

BOOST_AUTO_TEST_CASE(a_numbered_second_set_combines_with_the_first) {
  const auto [x] = janus::variables(3.0);
  const auto [y] = janus::variables<1>(5.0);
  const auto result = janus::value_and_gradient(x * y);
  BOOST_TEST(result.value == 15.0);
  BOOST_TEST(result.gradient[x] == 5.0);
  BOOST_TEST(result.gradient[y] == 3.0);
}

BOOST_AUTO_TEST_CASE(a_combination_meets_either_set_again) {
  const auto [x, y] = janus::variables(3.0, 5.0);
  const auto [z] = janus::variables<2>(7.0);
  const auto xz = x * z;
  // xz holds identities 0 (set one) and 2 (set two); y and z come back in.
  const auto e = xz + y * z + sin(x) * z;
  const auto result = janus::value_and_gradient(e);
  BOOST_TEST(result.value == 21.0 + 35.0 + std::sin(3.0) * 7.0, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(result.gradient[x] == 7.0 + std::cos(3.0) * 7.0, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(result.gradient[y] == 7.0);
  BOOST_TEST(result.gradient[z] == 3.0 + 5.0 + std::sin(3.0), boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(constants_and_branches_take_no_identity) {
  const auto [x] = janus::variables(2.0);
  const auto [y] = janus::variables<1>(4.0);
  const auto e = janus::select(true, x * janus::constant(3.0), y) + janus::constant(1.0) * y;
  const auto result = janus::value_and_gradient(e);
  BOOST_TEST(result.value == 10.0);
  BOOST_TEST(result.gradient[x] == 3.0);
  BOOST_TEST(result.gradient[y] == 1.0);
}

BOOST_AUTO_TEST_CASE(gradients_of_numbered_sets_are_constant_expressions) {
  constexpr double dx = [] {
    const auto [x] = janus::variables(3.0);
    const auto [y] = janus::variables<1>(5.0);
    return janus::value_and_gradient(x * x * y).gradient[x];
  }();
  static_assert(dx == 30.0);
  BOOST_TEST(dx == 30.0);
}
