// tests/check/scalar_gradcheck_test.cpp: janus::check::gradcheck of a
// function of scalars passes right first and second derivatives and
// catches a wrong one of either order.
#include <boost/test/unit_test.hpp>

#include <janus/check/scalar_gradcheck.hpp>

#include <array>
#include <string_view>
#include <type_traits>

namespace {

using janus::rules::pullback_reads;

// x^3 with a pullback off by 1%: the gradient is wrong everywhere but at 0.
struct wrong_first {
  static constexpr std::string_view name = "wrong_first";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { return x * x * x; }
  template <class T> static constexpr T pullback(T x, T, T g) { return g * T(3.03) * x * x; }
};

// x^3 with a pullback 3x^2 + 0.03 (x - 1): right at x = 1, where its
// derivative, the second derivative, is 6.03 instead of 6.
struct wrong_second {
  static constexpr std::string_view name = "wrong_second";
  static constexpr auto reads = pullback_reads::input;
  template <class T> static constexpr T value(T x) { return x * x * x; }
  template <class T> static constexpr T pullback(T x, T, T g) { return g * (T(3) * x * x + T(0.03) * (x - T(1))); }
};

// The rule on the engine's variables, its value on plain numbers (the
// finite differences run f on doubles).
template <class Rule, class X>
auto apply_rule(const X& x) {
  if constexpr (std::is_floating_point_v<X>) return Rule::value(x);
  else return janus::apply(Rule{}, x);
}

}  // namespace

BOOST_AUTO_TEST_CASE(right_derivatives_pass) {
  const auto f = [](auto x, auto y, auto z) { return x * y * z + sin(x) * exp(y) / z; };
  const auto result = janus::check::gradcheck(f, std::array{1.0, 2.0, 3.0});
  BOOST_TEST(result.ok(), result.summary());
  BOOST_TEST(result.gradient_error < 1e-9);
  BOOST_TEST(result.hessian_error < 1e-8);
}

BOOST_AUTO_TEST_CASE(a_wrong_gradient_fails) {
  const auto f = [](auto x, auto y) { return apply_rule<wrong_first>(x) * y; };
  const auto result = janus::check::gradcheck(f, std::array{1.5, 2.0});
  BOOST_TEST(!result.ok(), result.summary());
  BOOST_TEST(result.gradient_error > 1e-3);
  BOOST_TEST(result.worst_gradient == 0u);
}

BOOST_AUTO_TEST_CASE(a_wrong_second_derivative_fails_where_the_gradient_is_right) {
  const auto f = [](auto x, auto y) { return apply_rule<wrong_second>(x) + x * y; };
  const auto result = janus::check::gradcheck(f, std::array{1.0, 2.0});
  BOOST_TEST(result.gradient_error < 1e-9, result.summary());
  BOOST_TEST(!result.ok(), result.summary());
  BOOST_TEST(result.worst_row == 0u);
  BOOST_TEST(result.worst_column == 0u);
}

BOOST_AUTO_TEST_CASE(a_nan_fails) {
  const auto f = [](auto x) { return sqrt(x); };
  BOOST_TEST(!janus::check::gradcheck(f, std::array{-1.0}).ok());
}
