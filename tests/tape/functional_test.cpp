// janus::tape::grad and janus::tape::value_and_grad on generic lambdas.
#include <boost/test/unit_test.hpp>

#include <array>
#include <cmath>

#include "janus/tape.hpp"

BOOST_AUTO_TEST_CASE(grad_of_a_generic_lambda) {
  const auto f = [](auto a, auto b) { return a * b + sin(a) / b; };
  const std::array<double, 2> g = janus::tape::grad(f)(3.0, 2.0);
  BOOST_TEST(g[0] == 2.0 + std::cos(3.0) / 2.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(g[1] == 3.0 - std::sin(3.0) / 4.0, boost::test_tools::tolerance(1e-15));
  BOOST_TEST(janus::tape::mark().statements == 1u);  // nothing left on the tape
}

BOOST_AUTO_TEST_CASE(a_gradient_function_is_reusable) {
  const auto derivative = janus::tape::grad([](auto x) { return x * x * x; });
  BOOST_TEST(derivative(2.0)[0] == 12.0);
  BOOST_TEST(derivative(-1.0)[0] == 3.0);
}

BOOST_AUTO_TEST_CASE(value_and_grad_with_structured_bindings) {
  const auto [value, gradient] =
      janus::tape::value_and_grad([](auto x, auto y, auto z) { return x * y * z + pow(x, 2); }, 1.0, 2.0, 3.0);
  BOOST_TEST(value == 7.0);
  BOOST_TEST(gradient[0] == 8.0);
  BOOST_TEST(gradient[1] == 3.0);
  BOOST_TEST(gradient[2] == 2.0);
}

BOOST_AUTO_TEST_CASE(works_inside_no_grad_and_inside_a_recording) {
  const janus::var outer = 5.0;
  const auto before = janus::tape::mark();
  double inner = 0;
  {
    const janus::no_grad pause;
    inner = janus::tape::grad([](auto x) { return exp(x); })(0.0)[0];
  }
  BOOST_TEST(inner == 1.0);
  BOOST_TEST(janus::tape::mark().statements == before.statements);
  const janus::var y = outer * 2.0;
  y.backward();
  BOOST_TEST(outer.grad() == 2.0);
  janus::tape::reset();
}

BOOST_AUTO_TEST_CASE(a_function_of_constants_has_a_zero_gradient) {
  const auto g = janus::tape::grad([](auto x) { return x.detach() * 2.0; })(4.0);
  BOOST_TEST(g[0] == 0.0);
}

BOOST_AUTO_TEST_CASE(float_arguments_use_the_float_tape) {
  const auto [value, gradient] = janus::tape::value_and_grad([](auto x) { return x * x; }, 3.0f);
  static_assert(std::is_same_v<decltype(value), const float>);
  BOOST_TEST(value == 9.0f);
  BOOST_TEST(gradient[0] == 6.0f);
}

BOOST_AUTO_TEST_CASE(an_outer_value_in_the_function_is_a_constant_there) {
  const janus::tape::scope iteration;
  const janus::var outer = 3.0;
  const janus::var outer_square = outer * outer;
  const auto g = janus::tape::grad([&](auto x) { return x * outer_square + outer; })(2.0);
  BOOST_TEST(g[0] == 9.0);
  BOOST_TEST(outer.grad() == 0.0);  // the functional form leaves other gradients alone
  outer_square.backward();
  BOOST_TEST(outer.grad() == 6.0);
}
