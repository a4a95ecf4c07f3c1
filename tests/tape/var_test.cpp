// Tests of janus::var: every rule against central finite differences, mixing
// with constants, accumulation, fan-out, control flow, no_grad, detach, and a
// user's own rule.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <string>

#include "janus/tape.hpp"

namespace {

using janus::var;

/// Central difference of f at x, with f evaluated on constants (no recording).
template <class F>
double central_difference(F f, double x) {
  const janus::no_grad values_only;
  const double h = 1e-5 * std::max(1.0, std::abs(x));
  return (f(var(x + h)).value() - f(var(x - h)).value()) / (2 * h);
}

bool close(double derivative, double reference) {
  return std::abs(derivative - reference) <= 1e-6 * std::max(1.0, std::abs(reference));
}

/// d f / dx on the tape against finite differences, at every point.
template <class F>
void check_unary(const char* what, F f, std::initializer_list<double> points) {
  for (const double point : points) {
    const janus::tape::scope iteration;
    const var x = point;
    const var y = f(x);
    y.backward();
    const double reference = central_difference(f, point);
    BOOST_TEST_CONTEXT(what << " at " << point) {
      BOOST_TEST(std::isfinite(x.grad()));
      BOOST_TEST(close(x.grad(), reference), x.grad() << " vs finite difference " << reference);
    }
  }
}

/// Both partials of f(a, b), and of f(a, constant) and f(constant, b).
template <class F>
void check_binary(const char* what, F f, std::initializer_list<std::pair<double, double>> points) {
  for (const auto& [first, second] : points) {
    BOOST_TEST_CONTEXT(what << " at (" << first << ", " << second << ")") {
      const double da = central_difference([&](var a) { return f(a, var(second).detach()); }, first);
      const double db = central_difference([&](var b) { return f(var(first).detach(), b); }, second);
      {
        const janus::tape::scope iteration;
        const var a = first, b = second;
        f(a, b).backward();
        BOOST_TEST(close(a.grad(), da), "d/da " << a.grad() << " vs " << da);
        BOOST_TEST(close(b.grad(), db), "d/db " << b.grad() << " vs " << db);
      }
      {
        const janus::tape::scope iteration;
        const var a = first;
        const var y = f(a, second);  // a var with a double
        BOOST_TEST(y.value() == f(var(first), var(second)).value());
        y.backward();
        BOOST_TEST(close(a.grad(), da), "d/da with a constant " << a.grad() << " vs " << da);
      }
      {
        const janus::tape::scope iteration;
        const var b = second;
        const var y = f(first, b);  // a double with a var
        y.backward();
        BOOST_TEST(close(b.grad(), db), "d/db with a constant " << b.grad() << " vs " << db);
      }
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(unary_rules_match_finite_differences) {
  check_unary("neg", [](var x) { return -x; }, {-2.0, 0.5, 3.0});
  check_unary("square", [](var x) { return square(x); }, {-2.0, 0.5, 3.0});
  check_unary("sqrt", [](var x) { return sqrt(x); }, {0.1, 1.0, 9.0});
  check_unary("cbrt", [](var x) { return cbrt(x); }, {-8.0, 0.3, 27.0});
  check_unary("exp", [](var x) { return exp(x); }, {-3.0, 0.0, 2.0});
  check_unary("expm1", [](var x) { return expm1(x); }, {-1.0, 1e-3, 2.0});
  check_unary("log", [](var x) { return log(x); }, {0.1, 1.0, 50.0});
  check_unary("log1p", [](var x) { return log1p(x); }, {-0.5, 0.0, 10.0});
  check_unary("log2", [](var x) { return log2(x); }, {0.25, 3.0, 1000.0});
  check_unary("log10", [](var x) { return log10(x); }, {0.25, 3.0, 1000.0});
  check_unary("sin", [](var x) { return sin(x); }, {-2.0, 0.0, 1.3});
  check_unary("cos", [](var x) { return cos(x); }, {-2.0, 0.0, 1.3});
  check_unary("tan", [](var x) { return tan(x); }, {-1.2, 0.0, 0.7});
  check_unary("asin", [](var x) { return asin(x); }, {-0.9, 0.0, 0.5});
  check_unary("acos", [](var x) { return acos(x); }, {-0.9, 0.0, 0.5});
  check_unary("atan", [](var x) { return atan(x); }, {-5.0, 0.0, 0.5});
  check_unary("sinh", [](var x) { return sinh(x); }, {-2.0, 0.0, 1.5});
  check_unary("cosh", [](var x) { return cosh(x); }, {-2.0, 0.1, 1.5});
  check_unary("tanh", [](var x) { return tanh(x); }, {-2.0, 0.0, 0.8});
  check_unary("sigmoid", [](var x) { return sigmoid(x); }, {-30.0, -1.0, 0.0, 2.0, 30.0});
  check_unary("softplus", [](var x) { return softplus(x); }, {-30.0, -1.0, 0.0, 2.0, 40.0});
  check_unary("relu", [](var x) { return relu(x); }, {-2.0, 0.5, 3.0});
  check_unary("abs", [](var x) { return abs(x); }, {-2.0, 0.5, 3.0});
  check_unary("erf", [](var x) { return erf(x); }, {-1.5, 0.0, 0.7});
  check_unary("erfc", [](var x) { return erfc(x); }, {-1.5, 0.0, 0.7});
  check_unary("pow with a constant exponent", [](var x) { return pow(x, 2.5); }, {0.3, 1.0, 4.0});
  check_unary("pow with an integer exponent", [](var x) { return pow(x, 3); }, {-2.0, 0.5, 3.0});
}

BOOST_AUTO_TEST_CASE(binary_rules_match_finite_differences) {
  check_binary("add", [](auto a, auto b) { return a + b; }, {{1.0, 2.0}, {-3.0, 0.5}});
  check_binary("sub", [](auto a, auto b) { return a - b; }, {{1.0, 2.0}, {-3.0, 0.5}});
  check_binary("mul", [](auto a, auto b) { return a * b; }, {{1.5, 2.0}, {-3.0, 0.5}});
  check_binary("div", [](auto a, auto b) { return a / b; }, {{1.5, 2.0}, {-3.0, 0.5}, {2.0, -4.0}});
  check_binary("pow", [](auto a, auto b) { return pow(a, b); }, {{1.5, 2.0}, {0.5, -1.3}, {3.0, 0.5}});
  check_binary("atan2", [](auto a, auto b) { return atan2(a, b); }, {{1.0, 2.0}, {-1.0, -0.5}, {2.0, -3.0}});
  check_binary("max", [](auto a, auto b) { return max(a, b); }, {{1.0, 2.0}, {3.0, -0.5}});
  check_binary("min", [](auto a, auto b) { return min(a, b); }, {{1.0, 2.0}, {3.0, -0.5}});
  check_binary("hypot", [](auto a, auto b) { return hypot(a, b); }, {{3.0, 4.0}, {-1.0, 0.5}});
}

BOOST_AUTO_TEST_CASE(values_are_the_rules_values) {
  const janus::tape::scope iteration;
  const var x = 0.7, y = 2.5;
  BOOST_TEST((x * y + sin(x) / y).value() == 0.7 * 2.5 + std::sin(0.7) / 2.5);
  BOOST_TEST(pow(2.0, x).value() == std::pow(2.0, 0.7));
  BOOST_TEST((2 * x).value() == 1.4);
  BOOST_TEST((x / 4).value() == 0.7 / 4);
  BOOST_TEST((1 - x).value() == 1 - 0.7);
}

BOOST_AUTO_TEST_CASE(constants_on_either_side_give_the_right_gradient) {
  const janus::tape::scope iteration;
  const var x = 3.0;
  const var y = 2 * x + x / 4.0 - 1.0 / x + (5.0f - x) * 3;
  y.backward();
  BOOST_TEST(x.grad() == 2 + 0.25 + 1.0 / 9 - 3, boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(gradients_accumulate_over_backward_calls) {
  const janus::tape::scope iteration;
  const var x = 2.0;
  const var y = x * x;     // dy/dx = 4
  const var z = 3.0 * x;   // dz/dx = 3
  y.backward();
  BOOST_TEST(x.grad() == 4.0);
  z.backward();
  BOOST_TEST(x.grad() == 7.0);
  y.backward();  // intermediate adjoints of the first sweep are not swept again
  BOOST_TEST(x.grad() == 11.0);
  BOOST_TEST(y.grad() == 2.0);
  x.zero_grad();
  BOOST_TEST(x.grad() == 0.0);
  z.backward();
  BOOST_TEST(x.grad() == 3.0);
}

// A sweep over part of the tape (from its inputs on, as tape::grad does) uses
// the slots of earlier values as scratch; a later sweep through those values
// must not see what the partial one left there. And the gradient of a value
// recorded after a rewind starts from zero, not from what the forgotten value
// at its index had.
BOOST_AUTO_TEST_CASE(a_partial_sweep_and_a_rewind_leave_nothing_behind) {
  const janus::tape::scope iteration;
  const var a = 1.5;
  const var b = a * a;  // recorded before the partial sweep's first value
  const auto first = janus::tape::mark();
  const var c = 2.0;
  const var d = b * c + b;  // pushes 3 into b's slot, which lies before `first`
  janus::tape::this_thread_tape<double>().backward(d.index(), first.statements);
  BOOST_TEST(c.grad() == 2.25);
  BOOST_TEST(b.grad() == 0.0);  // outside the swept part: no gradient
  BOOST_TEST(a.grad() == 0.0);

  const var e = 4.0;
  const var f = e * b;
  f.backward();
  BOOST_TEST(e.grad() == 2.25);
  BOOST_TEST(b.grad() == 4.0);  // not 4 plus the 3 the partial sweep pushed
  BOOST_TEST(a.grad() == 4.0 * 3.0);

  janus::tape::rewind(first);
  const var g = 5.0;  // takes the index c had, whose gradient was 2.25
  const var h = g * b;
  h.backward();
  BOOST_TEST(g.grad() == 2.25);
  BOOST_TEST(a.grad() == 12.0 + 5.0 * 3.0);
}

BOOST_AUTO_TEST_CASE(fan_out_sums_every_path) {
  const janus::tape::scope iteration;
  const var x = 1.5;
  const var a = sin(x);
  const var b = a * a + a * x + exp(a);  // a is used four times, x twice
  b.backward();
  const double s = std::sin(1.5), c = std::cos(1.5);
  BOOST_TEST(x.grad() == (2 * s * c + c * 1.5 + s + std::exp(s) * c), boost::test_tools::tolerance(1e-14));
  BOOST_TEST(a.grad() == (2 * s + 1.5 + std::exp(s)), boost::test_tools::tolerance(1e-14));
}

BOOST_AUTO_TEST_CASE(a_chain_of_a_million_operations) {
  const janus::tape::scope iteration;
  const var x = 1.0;
  var y = x;
  for (int i = 0; i < 1'000'000; ++i) y = y * 1.000001 + 0.0;  // two statements per step
  y.backward();
  BOOST_TEST(x.grad() == std::pow(1.000001, 1'000'000), boost::test_tools::tolerance(1e-9));
  BOOST_TEST(y.value() == std::pow(1.000001, 1'000'000), boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(no_grad_records_nothing) {
  const janus::tape::scope iteration;
  const var x = 2.0;
  const auto before = janus::tape::mark();
  {
    const janus::no_grad pause;
    const var y = x * x + 1.0;
    BOOST_TEST(y.value() == 5.0);
    BOOST_TEST(!y.requires_grad());
    BOOST_TEST(!var(4.0).requires_grad());
    BOOST_CHECK_THROW(y.backward(), std::logic_error);
  }
  BOOST_TEST(janus::tape::mark().statements == before.statements);
  BOOST_TEST((x * x).requires_grad());
}

BOOST_AUTO_TEST_CASE(detach_stops_gradients) {
  const janus::tape::scope iteration;
  const var x = 3.0;
  const var y = x * x.detach();  // d/dx treats the second factor as the constant 3
  y.backward();
  BOOST_TEST(y.value() == 9.0);
  BOOST_TEST(x.grad() == 3.0);
  BOOST_TEST(!x.detach().requires_grad());
  BOOST_TEST(x.detach().grad() == 0.0);
  const auto before = janus::tape::mark();
  const var c = var::constant(4.0);
  BOOST_TEST(!(c * c + 1.0).requires_grad());  // constants only: nothing recorded
  BOOST_TEST(janus::tape::mark().statements == before.statements);
  BOOST_TEST((c * x).requires_grad());
}

BOOST_AUTO_TEST_CASE(loops_and_branches_on_values) {
  // x^n by repeated multiplication for a run-time n, and |x| by a branch.
  auto power = [](var x, int n) {
    var y = 1.0;
    for (int i = 0; i < n; ++i) y *= x;
    return y;
  };
  auto magnitude = [](var x) { return x > 0 ? x : -x; };
  for (const int n : {1, 4, 7}) {
    const janus::tape::scope iteration;
    const var x = 1.3;
    power(x, n).backward();
    BOOST_TEST(x.grad() == n * std::pow(1.3, n - 1), boost::test_tools::tolerance(1e-13));
  }
  for (const double point : {-2.0, 2.0}) {
    const janus::tape::scope iteration;
    const var x = point;
    magnitude(x).backward();
    BOOST_TEST(x.grad() == (point > 0 ? 1.0 : -1.0));
  }
  const janus::tape::scope iteration;
  const var x = 1.0, y = 2.0;
  BOOST_TEST((x < y));
  BOOST_TEST((y >= 2));
  BOOST_TEST((0.5 < x));
  BOOST_TEST((x == 1.0));
  BOOST_TEST((x != y));
}

namespace {
// A user's own rule: y = x^3 + x, written only as a rule.
struct cubic_plus_x {
  static constexpr std::string_view name = "cubic_plus_x";
  static constexpr auto reads = janus::rules::pullback_reads::input;
  template <class T> static constexpr T value(T x) { return x * x * x + x; }
  template <class T> static constexpr T pullback(T x, T, T g) { return g * (T(3) * x * x + T(1)); }
};
// A user's binary rule with a parameter: y = weight * a * b.
struct weighted_product {
  static constexpr std::string_view name = "weighted_product";
  static constexpr auto reads = janus::rules::pullback_reads::input;
  double weight;
  template <class T> constexpr T value(T a, T b) const { return T(weight) * a * b; }
  template <class T> constexpr janus::rules::adjoints<T> pullback(T a, T b, T, T g) const {
    return {g * T(weight) * b, g * T(weight) * a};
  }
};
}  // namespace

BOOST_AUTO_TEST_CASE(a_user_rule_works_like_a_built_in_one) {
  check_unary("user rule", [](var x) { return janus::apply(cubic_plus_x{}, x); }, {-1.0, 0.5, 2.0});
  check_binary("user binary rule", [](auto a, auto b) { return janus::apply(weighted_product{2.5}, a, b); },
               {{1.0, -2.0}, {0.3, 4.0}});
  const janus::tape::scope iteration;
  const var x = 2.0;
  const var y = janus::apply(cubic_plus_x{}, sin(x));
  BOOST_TEST(y.value() == cubic_plus_x::value(std::sin(2.0)));
  BOOST_TEST(janus::to_dot(y).find("cubic_plus_x") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(labels_are_kept_on_the_tape) {
  const janus::tape::scope iteration;
  var x(2.0, "x");
  var y = x * 3.0;
  y.label("y");
  BOOST_TEST(x.label() == "x");
  BOOST_TEST(y.label() == "y");
  y.label("renamed");
  BOOST_TEST(y.label() == "renamed");
  BOOST_TEST(x.detach().label() == "");
}

BOOST_AUTO_TEST_CASE(scopes_and_reset_forget_what_was_recorded) {
  const var parameter = 2.0;  // recorded before the scopes: survives them
  for (int step = 0; step < 3; ++step) {
    const janus::tape::scope iteration;
    parameter.zero_grad();
    const var loss = square(parameter - 5.0);
    loss.backward();
    BOOST_TEST(parameter.grad() == -6.0);
  }
  const auto point = janus::tape::mark();
  const var later = parameter * 2.0;
  janus::tape::rewind(point);
  BOOST_CHECK_THROW(later.backward(), std::logic_error);
  BOOST_CHECK_THROW(static_cast<void>(later.grad()), std::logic_error);
  janus::tape::reset();
  BOOST_CHECK_THROW(static_cast<void>(parameter.grad()), std::logic_error);
  BOOST_CHECK_THROW(janus::tape::rewind(point), std::logic_error);
  BOOST_TEST(janus::tape::mark().statements == 1u);
}

BOOST_AUTO_TEST_CASE(float_tape_is_separate) {
  const janus::tape::basic_scope<float> iteration;
  const janus::basic_var<float> x = 2.0f;
  const auto y = x * x * 0.5f;
  y.backward();
  BOOST_TEST(x.grad() == 2.0f);
}
