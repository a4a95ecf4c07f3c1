// janus::detect_anomaly on the scalar tape: the first NaN or infinity of a
// recorded operation (forward) or of a gradient (backward) throws
// janus::numeric_error naming the operation, its label, its inputs and the
// pass; without a guard nothing is checked.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "../numeric_error_check.hpp"
#include "janus/tape.hpp"
#include "janus/tape/anomaly.hpp"
#include "janus/tape/sum.hpp"

namespace {

using janus::var;

using janus::testing::require_numeric_error;

struct fresh_tape {
  fresh_tape() { janus::tape::reset(); }
  ~fresh_tape() { janus::tape::reset(); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(anomaly, fresh_tape)

BOOST_AUTO_TEST_CASE(a_nan_value_is_reported_in_the_forward_pass) {
  const janus::detect_anomaly guard;
  var x = -1.0;
  x.label("x");
  require_numeric_error([&] { (void)sqrt(x); },
                        {"janus::detect_anomaly: the forward pass of sqrt gave nan; inputs: -1 \"x\""});
}

BOOST_AUTO_TEST_CASE(an_infinite_value_names_every_input_constants_too) {
  const janus::detect_anomaly guard;
  const var x = 1.5;
  require_numeric_error([&] { (void)(x / 0.0); }, {"forward pass of div", "gave inf", "inputs: 1.5, 0"});
  require_numeric_error([&] { (void)log(x - 1.5); }, {"forward pass of log", "gave -inf", "inputs: 0"});
  // Nothing was recorded for the operations that threw.
  const auto size = janus::tape::this_thread_tape().size();
  require_numeric_error([&] { (void)(x / 0.0); }, {"div"});
  BOOST_TEST(janus::tape::this_thread_tape().size() == size);
}

BOOST_AUTO_TEST_CASE(fused_statements_and_sums_are_checked) {
  const janus::detect_anomaly guard;
  const var mu = 0.5, sigma = 0.0;
  require_numeric_error([&] { (void)janus::tape::fuse([](auto m, auto s) { return m / s; }, mu, sigma); },
                        {"forward pass of fused", "gave inf", "inputs: 0.5, 0"});
  const std::vector<double> points{1.0, 2.0};
  require_numeric_error(
      [&] { (void)janus::tape::sum(points, [](double p, auto m, auto s) { return square((p - m) / s); }, mu, sigma); },
      {"forward pass of sum", "gave inf", "inputs: 0.5, 0"});
  const std::vector<var> xs{var(1.0), var(-1.0), var(2.0)};
  require_numeric_error([&] { (void)janus::tape::sum_each(xs, [](auto x, std::size_t) { return sqrt(x); }); },
                        {"forward pass of sum", "gave nan", "inputs: 1, -1, 2"});
}

BOOST_AUTO_TEST_CASE(an_infinite_gradient_is_reported_in_the_backward_pass) {
  const janus::detect_anomaly guard;
  var x = 0.0;
  x.label("x");
  var root = sqrt(x);
  root.label("root");
  const var y = root * 2.0;
  require_numeric_error([&] { y.backward(); },
                        {"janus::detect_anomaly: the backward pass of sqrt \"root\" gave inf as the gradient of its "
                         "input 1 of 1 (local derivative inf times the output's gradient 2); inputs: 0 \"x\"; "
                         "output: 0"});
  // The sweep that threw wrote no gradient and left its scratch clean: a
  // sweep that passes afterwards gives the right gradient.
  BOOST_TEST(x.grad() == 0.0);
  const var z = x * 3.0;
  z.backward();
  BOOST_TEST(x.grad() == 3.0);
}

BOOST_AUTO_TEST_CASE(a_product_of_finite_numbers_that_overflows_is_reported) {
  const janus::detect_anomaly guard;
  const var x = 1e-300;
  const var y = (x * 1e300) * 1e300;  // 1e300: finite, but dy/dx = 1e600
  require_numeric_error([&] { y.backward(); },
                        {"backward pass of mul", "gave inf as the gradient of its input 1 of 1",
                         "local derivative 1e+300 times the output's gradient 1e+300", "inputs: 1e-300"});
}

BOOST_AUTO_TEST_CASE(gradients_that_add_up_past_the_largest_double_are_reported) {
  const janus::detect_anomaly guard;
  const var x = 1e-300;
  const var y = x * 1e308 + x * 1e308;  // each term's gradient is finite, their sum is not
  require_numeric_error([&] { y.backward(); },
                        {"backward pass of mul", "gave inf as the gradient of its input 1 of 1",
                         "added up to more than a double holds"});
  BOOST_TEST(x.grad() == 0.0);
}

BOOST_AUTO_TEST_CASE(a_gradient_held_from_an_unchecked_backward_is_reported) {
  var x = 0.0;
  sqrt(x).backward();  // without a guard: inf, silently
  BOOST_TEST(std::isinf(x.grad()));
  const janus::detect_anomaly guard;
  const var y = x * 2.0;
  require_numeric_error([&] { y.backward(); },
                        {"backward pass of input", "gave a gradient of inf: it held inf from earlier backward() "
                                                   "calls and this one adds 2"});
}

BOOST_AUTO_TEST_CASE(a_zero_adjoint_is_no_anomaly) {
  const janus::detect_anomaly guard;
  const var x = 0.0;
  // sqrt, cbrt and x^0.5 have an infinite derivative at 0 and a finite value.
  const var y = x + 0.0 * sqrt(x) + 0.0 * cbrt(x) + 0.0 * pow(x, 0.5);
  BOOST_CHECK_NO_THROW(y.backward());
  BOOST_TEST(x.grad() == 1.0);
  // Accumulation and a root that is not the last statement pass too.
  const var z = 3.0 * x;
  BOOST_CHECK_NO_THROW(z.backward());
  BOOST_TEST(x.grad() == 4.0);
}

BOOST_AUTO_TEST_CASE(checked_and_unchecked_sweeps_agree) {
  const var a = 1.3, b = 0.7;
  const var y = a * b + sin(a) / b + pow(a, b) + log(a + b) * a;
  y.backward();
  const double ga = a.grad(), gb = b.grad();
  a.zero_grad();
  b.zero_grad();
  {
    const janus::detect_anomaly guard;
    y.backward();
  }
  BOOST_TEST(a.grad() == ga, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(b.grad() == gb, boost::test_tools::tolerance(1e-14));
  // Through janus::tape::grad, which sweeps from its inputs on only.
  const auto f = [](auto p, auto q) { return p * q + sin(p) / q; };
  const auto unchecked = janus::tape::grad(f)(1.3, 0.7);
  const janus::detect_anomaly guard;
  const auto checked = janus::tape::grad(f)(1.3, 0.7);
  BOOST_TEST(checked[0] == 0.7 + std::cos(1.3) / 0.7, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(checked[1] == 1.3 - std::sin(1.3) / 0.49, boost::test_tools::tolerance(1e-14));
  BOOST_TEST(checked[0] == unchecked[0], boost::test_tools::tolerance(1e-15));
  BOOST_TEST(checked[1] == unchecked[1], boost::test_tools::tolerance(1e-15));
}

BOOST_AUTO_TEST_CASE(without_a_guard_nothing_is_checked) {
  BOOST_TEST(!janus::is_detecting_anomalies());
  const var x = -1.0;
  var y;
  BOOST_CHECK_NO_THROW(y = sqrt(x));
  BOOST_TEST(std::isnan(y.value()));
  const var zero = 0.0;
  BOOST_CHECK_NO_THROW(sqrt(zero).backward());
  BOOST_TEST(std::isinf(zero.grad()));
}

BOOST_AUTO_TEST_CASE(operations_not_recorded_are_not_checked) {
  const janus::detect_anomaly guard;
  const janus::no_grad pause;
  const var x = -1.0;  // a constant under no_grad
  BOOST_CHECK_NO_THROW((void)sqrt(x));
  BOOST_CHECK_NO_THROW((void)sqrt(var::constant(-1.0)));
}

BOOST_AUTO_TEST_CASE(guards_nest_and_may_die_in_any_order) {
  const var x = -1.0;
  std::optional<janus::detect_anomaly> outer(std::in_place);
  std::optional<janus::detect_anomaly> inner(std::in_place);
  outer.reset();  // the outer guard dies first: detection stays on
  BOOST_TEST(janus::is_detecting_anomalies());
  require_numeric_error([&] { (void)sqrt(x); }, {"sqrt"});
  inner.reset();
  BOOST_TEST(!janus::is_detecting_anomalies());
  BOOST_CHECK_NO_THROW((void)sqrt(x));
  {
    const janus::detect_anomaly a;
    {
      const janus::detect_anomaly b;
      require_numeric_error([&] { (void)sqrt(x); }, {"sqrt"});
    }
    require_numeric_error([&] { (void)sqrt(x); }, {"sqrt"});
  }
  BOOST_CHECK_NO_THROW((void)sqrt(x));
}

BOOST_AUTO_TEST_CASE(detection_and_no_grad_are_counted_apart) {
  const janus::detect_anomaly guard;
  {
    const janus::no_grad pause;
    BOOST_TEST(!janus::is_recording());
    BOOST_TEST(janus::is_detecting_anomalies());
    // janus::tape::grad records under no_grad, and checks under the guard.
    require_numeric_error([] { (void)janus::tape::grad([](auto x) { return log(x); })(0.0); },
                          {"forward pass of log", "gave -inf; inputs: 0"});
    BOOST_TEST(!janus::is_recording());
  }
  BOOST_TEST(janus::is_recording());
  BOOST_TEST(janus::is_detecting_anomalies());
  // A no_grad guard made inside tape::grad pauses it, detection goes on.
  const auto g = janus::tape::grad([](auto x) {
    const janus::no_grad inner;
    BOOST_TEST(janus::is_detecting_anomalies());
    return x * 2.0;
  })(1.0);
  BOOST_TEST(g[0] == 0.0);
  BOOST_TEST(janus::is_recording());
}

BOOST_AUTO_TEST_CASE(floats_are_checked_too) {
  const janus::detect_anomaly guard;
  const janus::basic_var<float> x = 3e38f;
  require_numeric_error([&] { (void)(x * 2.0f); }, {"forward pass of mul", "gave inf", "inputs: 3e+38, 2"});
  const janus::basic_var<float> tiny = 1e-30f;
  const janus::basic_var<float> y = (tiny * 1e30f) * 1e30f;
  require_numeric_error([&] { y.backward(); }, {"backward pass of mul", "gave inf"});
  janus::tape::reset<float>();
}

BOOST_AUTO_TEST_SUITE_END()
