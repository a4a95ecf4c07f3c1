// The static engine and the scalar tape agree: a corpus of formulas, written
// once as generic lambdas, run through janus::grad / janus::value_and_grad
// and through janus::tape::grad / janus::tape::value_and_grad. Values and
// gradients must agree to a relative difference of 1e-12. Every rule of the
// table appears, mixed with constants on either side.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string_view>

#include "janus/janus.hpp"
#include "janus/tape.hpp"
#include "janus/tensor.hpp"

namespace {

bool agree(double a, double b) {
  return std::abs(a - b) <= 1e-12 * std::max(std::abs(a), std::abs(b));
}

int formulas_checked = 0;

template <class F, class... Ts>
void both_engines(const char* formula, F f, Ts... args) {
  ++formulas_checked;
  constexpr std::size_t n = sizeof...(Ts);
  const auto [static_value, static_gradient] = janus::value_and_grad(f, args...);
  const auto [tape_value, tape_gradient] = janus::tape::value_and_grad(f, args...);
  const std::array<double, n> static_grad_only = janus::grad(f)(args...);
  const std::array<double, n> tape_grad_only = janus::tape::grad(f)(args...);
  BOOST_TEST_CONTEXT(formula) {
    BOOST_TEST(std::isfinite(static_value));
    BOOST_TEST(agree(static_value, tape_value), "value " << static_value << " vs " << tape_value);
    for (std::size_t i = 0; i < n; ++i) {
      BOOST_TEST(std::isfinite(static_gradient[i]));
      BOOST_TEST(agree(static_gradient[i], tape_gradient[i]),
                 "d/dx" << i << " " << static_gradient[i] << " vs " << tape_gradient[i]);
      BOOST_TEST(agree(static_grad_only[i], tape_grad_only[i]),
                 "grad only d/dx" << i << " " << static_grad_only[i] << " vs " << tape_grad_only[i]);
      BOOST_TEST(agree(static_gradient[i], static_grad_only[i]));
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(arithmetic_and_powers) {
  both_engines("a * b + sin(a) / b", [](auto a, auto b) { return a * b + sin(a) / b; }, 3.0, 2.0);
  both_engines("(a - b) * (a + 2) - 3 / b", [](auto a, auto b) { return (a - b) * (a + 2.0) - 3.0 / b; }, 1.3, 0.7);
  both_engines("-a * exp(b) + 1.5", [](auto a, auto b) { return -a * exp(b) + 1.5; }, 1.3, -0.4);
  both_engines("(2 - a) * (b / 3) + 4 / (a + b) - a / 2",
               [](auto a, auto b) { return (2.0 - a) * (b / 3.0) + 4.0 / (a + b) - a / 2.0; }, 0.6, 1.9);
  both_engines("pow(a, b) + pow(a, 3) - pow(2, b)",
               [](auto a, auto b) { return pow(a, b) + pow(a, 3) - pow(2.0, b); }, 1.3, 0.7);
  both_engines("pow(a, 0.5) * pow(b, -1.5)", [](auto a, auto b) { return pow(a, 0.5) * pow(b, -1.5); }, 2.2, 0.8);
  both_engines("square(a - b) / 2 + sqrt(a * b)",
               [](auto a, auto b) { return square(a - b) * 0.5 + sqrt(a * b); }, 1.3, 0.7);
  both_engines("cbrt(a * b - 10) + cbrt(a)", [](auto a, auto b) { return cbrt(a * b - 10.0) + cbrt(a); }, 1.3, 0.7);
  both_engines("(a^3 - 2ab + b) / (1 + a^2)",
               [](auto a, auto b) { return (a * a * a - 2.0 * a * b + b) / (1.0 + a * a); }, 1.3, 0.7);
  both_engines("xyz + x / (y + z)", [](auto x, auto y, auto z) { return x * y * z + x / (y + z); }, 1.5, -0.5, 2.5);
}

BOOST_AUTO_TEST_CASE(exponentials_and_logarithms) {
  both_engines("expm1(a / 4) * log(b)", [](auto a, auto b) { return expm1(a / 4.0) * log(b); }, 1.3, 2.7);
  both_engines("log1p(a^2) + log2(b) - log10(a + b)",
               [](auto a, auto b) { return log1p(a * a) + log2(b) - log10(a + b); }, 1.3, 0.7);
  both_engines("log(exp(a) + exp(b) + exp(c))",
               [](auto a, auto b, auto c) { return log(exp(a) + exp(b) + exp(c)); }, 0.3, -1.2, 2.0);
  both_engines("exp(sin(a)) * log(cosh(b))", [](auto a, auto b) { return exp(sin(a)) * log(cosh(b)); }, 1.3, 0.7);
  both_engines("erf(a) + erfc(-b) + expm1(a b / 10)",
               [](auto a, auto b) { return erf(a) + erfc(-b) + expm1(a * b * 0.1); }, 0.4, 0.9);
}

BOOST_AUTO_TEST_CASE(trigonometric_and_hyperbolic) {
  both_engines("cos(a) * tan(b / 2)", [](auto a, auto b) { return cos(a) * tan(b / 2.0); }, 1.3, 0.7);
  both_engines("asin(a / 2) + acos(b / 3)", [](auto a, auto b) { return asin(a / 2.0) + acos(b / 3.0); }, 1.3, 0.7);
  both_engines("atan(ab) + atan2(a, b) + atan2(1, a) + atan2(b, -2)",
               [](auto a, auto b) { return atan(a * b) + atan2(a, b) + atan2(1.0, a) + atan2(b, -2.0); }, 1.3, 0.7);
  both_engines("atan2(a^2, b + 3) * tan(0.3 a)",
               [](auto a, auto b) { return atan2(a * a, b + 3.0) * tan(a * 0.3); }, 1.3, 0.7);
  both_engines("sinh(a) - cosh(b) * tanh(a - b)",
               [](auto a, auto b) { return sinh(a) - cosh(b) * tanh(a - b); }, 1.3, 0.7);
  both_engines("tanh(w1 x + w2 y + c)",
               [](auto w1, auto w2, auto x, auto y, auto c) { return tanh(w1 * x + w2 * y + c); }, 0.3, -0.8, 1.1,
               0.6, 0.05);
}

BOOST_AUTO_TEST_CASE(activations_piecewise_and_special) {
  both_engines("sigmoid(2a - b) + softplus(b - a)",
               [](auto a, auto b) { return sigmoid(a * 2.0 - b) + softplus(b - a); }, 1.3, 0.7);
  both_engines("1 / (1 + exp(-a)) * b", [](auto a, auto b) { return 1.0 / (1.0 + exp(-a)) * b; }, -0.8, 1.7);
  both_engines("softplus(-a) + log(sigmoid(b))", [](auto a, auto b) { return softplus(-a) + log(sigmoid(b)); }, 1.3,
               -0.7);
  both_engines("relu(a - 1) + relu(b - 10) + abs(a - b)",
               [](auto a, auto b) { return relu(a - 1.0) + relu(b - 10.0) + abs(a - b); }, 1.3, 0.7);
  both_engines("abs(sin(ab)) + abs(cos(a + b))",
               [](auto a, auto b) { return abs(sin(a * b)) + abs(cos(a + b)); }, 1.3, 1.7);
  both_engines("max(a, b) min(a, 2) + max(3, b)",
               [](auto a, auto b) { return max(a, b) * min(a, 2.0) + max(3.0, b); }, 1.3, 0.7);
  both_engines("max(sin a, cos b) - min(ab, 1)",
               [](auto a, auto b) { return max(sin(a), cos(b)) - min(a * b, 1.0); }, 0.2, 0.3);
  both_engines("min(3, a) * max(b, -1)", [](auto a, auto b) { return min(3.0, a) * max(b, -1.0); }, 1.3, 0.7);
  both_engines("hypot(a, b) + hypot(a, 4) + hypot(1, b)",
               [](auto a, auto b) { return hypot(a, b) + hypot(a, 4.0) + hypot(1.0, b); }, 1.3, 0.7);
  both_engines("erf(a / 3) * erfc(b / 5)", [](auto a, auto b) { return erf(a / 3.0) * erfc(b / 5.0); }, 1.3, 0.7);
  both_engines("sqrt(a^2 + b^2) * 2 + a", [](auto a, auto b) { return sqrt(square(a) + square(b)) * 2.0 + a; }, 1.3,
               -0.7);
}

// Powers at a = 0, where the derivatives that vanish must come out 0 (not 0
// times infinity) in both engines.
BOOST_AUTO_TEST_CASE(powers_at_zero) {
  both_engines("pow(a, b) + pow(a, 0) + pow(a, 3) at a = 0",
               [](auto a, auto b) { return pow(a, b) + pow(a, 0.0) + pow(a, 3.0); }, 0.0, 2.0);
}

namespace {
// The gradient of f at `x` in every engine: the static engine (grad and
// value_and_grad), the scalar tape and the tensor tape (a tensor of one
// element); each must be `expected`. The value may be NaN (0 * inf in the
// forward pass): then it must be NaN in every engine.
template <class F>
void every_engine_gives(const char* formula, F f, double x, double expected) {
  ++formulas_checked;
  const auto [static_value, static_gradient] = janus::value_and_grad(f, x);
  const auto [tape_value, tape_gradient] = janus::tape::value_and_grad(f, x);
  janus::basic_tensor<double> t({1}, {x}, true);
  const janus::basic_tensor<double> y = f(t);
  const double tensor_value = y.data()[0];
  y.backward();
  BOOST_TEST_CONTEXT(formula) {
    BOOST_TEST(janus::grad(f)(x)[0] == expected);
    BOOST_TEST(static_gradient[0] == expected);
    BOOST_TEST(tape_gradient[0] == expected);
    BOOST_TEST(janus::tape::grad(f)(x)[0] == expected);
    BOOST_TEST(t.grad().data()[0] == expected);
    if (std::isnan(static_value)) {
      BOOST_TEST(std::isnan(tape_value));
      BOOST_TEST(std::isnan(tensor_value));
    } else {
      BOOST_TEST(static_value == tape_value);
      BOOST_TEST(static_value == tensor_value);
    }
  }
}
}  // namespace

// The rule of every engine (docs/rules.md): an adjoint of exactly 0
// propagates nothing, even through an infinite or NaN local derivative.
BOOST_AUTO_TEST_CASE(a_zero_adjoint_meets_an_infinite_derivative) {
  every_engine_gives("0 * sqrt(x) at 0", [](auto x) { return 0.0 * sqrt(x); }, 0.0, 0.0);
  every_engine_gives("x + 0 * log(x) at 0", [](auto x) { return x + 0.0 * log(x); }, 0.0, 1.0);
  every_engine_gives("0 * pow(x, 0.5) at 0", [](auto x) { return 0.0 * pow(x, 0.5); }, 0.0, 0.0);
  every_engine_gives("0 * (1 / x) at 0", [](auto x) { return 0.0 * (1.0 / x); }, 0.0, 0.0);
  every_engine_gives("2x + 0 * cbrt(x) at 0", [](auto x) { return 2.0 * x + 0.0 * cbrt(x); }, 0.0, 2.0);
  every_engine_gives("x + 0 * asin(x) at 1", [](auto x) { return x + 0.0 * asin(x); }, 1.0, 1.0);
  every_engine_gives("0 * hypot(x, 0 x) at 0", [](auto x) { return 0.0 * hypot(x, 0.0 * x); }, 0.0, 0.0);
  // Through a node with a variable exponent too, and where the static
  // engine shares the subexpression (a kept local used twice).
  const auto [value, gradient] = janus::value_and_grad([](auto x, auto y) { return 0.0 * pow(x, y); }, 0.0, 0.5);
  BOOST_TEST(value == 0.0);
  BOOST_TEST(gradient[0] == 0.0);
  BOOST_TEST(gradient[1] == 0.0);
  const auto tape_gradient = janus::tape::grad([](auto x, auto y) { return 0.0 * pow(x, y); })(0.0, 0.5);
  BOOST_TEST(tape_gradient[0] == 0.0);
  BOOST_TEST(tape_gradient[1] == 0.0);
  const auto shared = janus::grad([](auto x) {
    const auto root = sqrt(x);
    return 0.0 * root + x * 0.0 * root;
  })(0.0);
  BOOST_TEST(shared[0] == 0.0);
}

BOOST_AUTO_TEST_CASE(scientific_formulas) {
  // Black-Scholes call price, with N(x) = erfc(-x / sqrt 2) / 2.
  both_engines(
      "Black-Scholes call",
      [](auto spot, auto strike, auto time, auto rate, auto vol) {
        const auto deviation = vol * sqrt(time);
        const auto d1 = (log(spot / strike) + (rate + 0.5 * vol * vol) * time) / deviation;
        const auto d2 = d1 - deviation;
        return spot * 0.5 * erfc(-d1 * 0.7071067811865476) -
               strike * exp(-rate * time) * 0.5 * erfc(-d2 * 0.7071067811865476);
      },
      100.0, 95.0, 0.75, 0.03, 0.25);
  both_engines("Rosenbrock", [](auto x, auto y) { return 100.0 * square(y - x * x) + square(1.0 - x); }, -1.2, 1.0);
  both_engines("normal log-likelihood of a point",
               [](auto mu, auto sigma) { return -log(sigma) - 0.5 * square((1.7 - mu) / sigma); }, 0.4, 1.1);
  both_engines("six products",
               [](auto a, auto b, auto c, auto d, auto e, auto f) { return a * b + c * d + e * f + a * f; }, 1.0, 2.0,
               3.0, 4.0, 5.0, 6.0);
}

namespace {
// A user's own rule, y = x^3 + x: both engines run it through janus::apply.
struct cubic_plus_x {
  static constexpr std::string_view name = "cubic_plus_x";
  static constexpr auto reads = janus::rules::pullback_reads::input;
  template <class T> static constexpr T value(T x) { return x * x * x + x; }
  template <class T> static constexpr T pullback(T x, T, T g) { return g * (T(3) * x * x + T(1)); }
};
}  // namespace

BOOST_AUTO_TEST_CASE(a_user_rule_in_both_engines) {
  both_engines("apply(cubic_plus_x, a) * b", [](auto a, auto b) { return janus::apply(cubic_plus_x{}, a) * b; }, 1.3,
               0.7);
}

BOOST_AUTO_TEST_CASE(the_corpus_is_large_enough) {
  BOOST_TEST(formulas_checked >= 30);
}
