// janus::checked_grad and janus::checked_value_and_grad: the static engine's
// sweep with every value and adjoint checked; the first NaN or infinity
// throws janus::numeric_error naming the node's rule, its place, its inputs
// and the pass. Where nothing is wrong, the results are janus::grad's.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "../numeric_error_check.hpp"
#include "janus/janus.hpp"

namespace {

using janus::testing::require_numeric_error;

struct reciprocal {
  static constexpr std::string_view name = "reciprocal";
  static constexpr auto reads = janus::rules::pullback_reads::output;
  template <class T> static constexpr T value(T x) { return T(1) / x; }
  template <class T> static constexpr T pullback(T, T y, T g) { return -g * y * y; }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_bad_value_is_reported_in_the_forward_pass) {
  require_numeric_error([] { (void)janus::checked_grad([](auto x) { return log(x); })(-1.0); },
                        {"janus::checked_grad: the forward pass of log (node 2 of 2) gave nan; inputs: -1"});
  require_numeric_error([] { (void)janus::checked_grad([](auto x, auto y) { return x * y + x / y; })(1.5, 0.0); },
                        {"forward pass of div", "gave inf; inputs: 1.5, 0"});
  // A value no pullback reads is computed and checked all the same.
  require_numeric_error([] { (void)janus::checked_grad([](auto x) { return log(x) + x; })(-2.0); },
                        {"forward pass of log", "gave nan; inputs: -2"});
  // A rule of the user's own, by its name.
  require_numeric_error([] { (void)janus::checked_grad([](auto x) { return janus::apply(reciprocal{}, x); })(0.0); },
                        {"forward pass of reciprocal", "gave inf; inputs: 0"});
}

BOOST_AUTO_TEST_CASE(a_bad_adjoint_is_reported_in_the_backward_pass) {
  require_numeric_error([] { (void)janus::checked_grad([](auto x) { return sqrt(x) * 2.0; })(0.0); },
                        {"janus::checked_grad: the backward pass of sqrt (node 2 of 4) gave inf as the adjoint of "
                         "its input 1 of 1 (from the output's adjoint 2); inputs: 0; output: 0"});
  // An adjoint that is finite term by term but not once added up.
  require_numeric_error(
      [] { (void)janus::checked_grad([](auto x) { return x * 1e308 + x * 1.5e308; })(1e-300); },
      {"backward pass of mul", "gave inf as the adjoint of its input 1 of 2", "added up to more than a double"});
}

BOOST_AUTO_TEST_CASE(checked_value_and_grad_reports_and_agrees) {
  require_numeric_error([] { (void)janus::checked_value_and_grad([](auto x) { return pow(x, 0.5); }, 0.0); },
                        {"backward pass of pow", "gave inf", "inputs: 0"});
  const auto f = [](auto a, auto b) { return a * b + sin(a) / b + pow(a, b) + log(a + b) * exp(-b); };
  const auto [value, gradient] = janus::value_and_grad(f, 1.3, 0.7);
  const auto [checked_value, checked_gradient] = janus::checked_value_and_grad(f, 1.3, 0.7);
  BOOST_TEST(checked_value == value);
  BOOST_TEST(checked_gradient[0] == gradient[0]);
  BOOST_TEST(checked_gradient[1] == gradient[1]);
  const auto grad_only = janus::checked_grad(f)(1.3, 0.7);
  BOOST_TEST(grad_only[0] == janus::grad(f)(1.3, 0.7)[0]);
  BOOST_TEST(grad_only[1] == janus::grad(f)(1.3, 0.7)[1]);
}

BOOST_AUTO_TEST_CASE(many_arguments_go_through_the_argument_block) {
  const auto f = [](auto a, auto b, auto c, auto d, auto e, auto g, auto h, auto i, auto j, auto k) {
    return a * b + c * d + e * g + h * i + j * log(k);
  };
  const auto good = janus::checked_grad(f)(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 2.0);
  const auto expected = janus::grad(f)(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 2.0);
  for (std::size_t n = 0; n < good.size(); ++n) BOOST_TEST(good[n] == expected[n]);
  require_numeric_error([&] { (void)janus::checked_grad(f)(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 0.0); },
                        {"forward pass of log", "gave -inf; inputs: 0"});
}

BOOST_AUTO_TEST_CASE(a_zero_adjoint_is_no_anomaly) {
  BOOST_TEST(janus::checked_grad([](auto x) { return x + 0.0 * sqrt(x); })(0.0)[0] == 1.0);
  BOOST_TEST(janus::checked_grad([](auto x) { return 0.0 * pow(x, 0.5) - x; })(0.0)[0] == -1.0);
}

BOOST_AUTO_TEST_CASE(the_unchecked_engine_checks_nothing) {
  BOOST_TEST(std::isinf(janus::grad([](auto x) { return sqrt(x) * 2.0; })(0.0)[0]));
  BOOST_TEST(std::isnan(janus::value_and_grad([](auto x) { return log(x); }, -1.0).value));
}
