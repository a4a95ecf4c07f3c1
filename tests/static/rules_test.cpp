// tests/static/rules_test.cpp: every rule of the table, in the static engine,
// against central finite differences of the rule's own value.
//
// One generic test body runs over rules::unary_rules and rules::binary_rules
// (a "law" every rule must obey): at a few points of the rule's domain the
// gradient the engine generates equals the derivative estimated from
// rule.value alone. Further cases pin the values to the std:: functions, the
// named functions to janus::apply, and the conventions at kinks and ties.
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <iomanip>
#include <numbers>
#include <string>
#include <type_traits>
#include <utility>

namespace rules = janus::rules;

namespace {

// Central differences with one Richardson step: error O(h^4), so that a
// tolerance of 1e-8 is met by a right derivative and missed by a wrong one.
// The step follows |x| so that it stays small against the distance to a
// singularity at 0 (log, sqrt near 0).
template <class F>
double derivative(F f, double x) {
  const double h = 1e-3 * std::max(0.1, std::abs(x));
  const double wide = (f(x + h) - f(x - h)) / (2 * h);
  const double narrow = (f(x + h / 2) - f(x - h / 2)) / h;
  return (4 * narrow - wide) / 3;
}

constexpr double tolerance = 1e-8;

bool agrees(double actual, double expected, double relative = tolerance) {
  return std::abs(actual - expected) <= relative * std::max(1.0, std::abs(expected));
}

template <class Rule, class... Rules>
constexpr bool is_one_of = (std::is_same_v<Rule, Rules> || ...);

// Points inside each rule's domain, away from its kinks; the whole real line
// unless the rule says otherwise. relu and abs are sampled on both sides of
// their kink at 0, never at it (their convention there is tested exactly).
template <class Rule>
constexpr std::array<double, 4> unary_points() {
  if constexpr (is_one_of<Rule, rules::sqrt, rules::log, rules::log2, rules::log10>)
    return {0.05, 0.4, 1.0, 3.7};
  else if constexpr (is_one_of<Rule, rules::log1p>)
    return {-0.6, -0.1, 0.5, 2.0};
  else if constexpr (is_one_of<Rule, rules::tan>)
    return {-1.2, -0.3, 0.4, 1.1};
  else if constexpr (is_one_of<Rule, rules::asin, rules::acos>)
    return {-0.8, -0.2, 0.35, 0.9};
  else if constexpr (is_one_of<Rule, rules::relu, rules::abs>)
    return {-1.5, -0.2, 0.3, 2.0};
  else
    return {-2.1, -0.7, 0.3, 1.4};
}

using point2 = std::pair<double, double>;

// d/db a^b needs log(a), so a > 0 for pow; max and min are away from a tie.
template <class Rule>
constexpr std::array<point2, 4> binary_points() {
  if constexpr (is_one_of<Rule, rules::pow>)
    return {{{0.7, 1.3}, {2.1, -0.6}, {1.4, 3.0}, {0.3, 0.5}}};
  else
    return {{{1.3, -0.7}, {-0.4, 2.2}, {0.6, 0.5}, {-1.8, -1.1}}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(static_rules)

// The law for one-argument rules: value and gradient of apply(rule, x), and
// of a use whose upstream adjoint is not 1, match the rule and finite differences.
BOOST_AUTO_TEST_CASE_TEMPLATE(unary_rule_matches_finite_differences, Rule, rules::unary_rules) {
  const Rule rule{};
  for (const double point : unary_points<Rule>()) {
    BOOST_TEST_CONTEXT(Rule::name << " at " << point) {
      const auto [x] = janus::variables(point);
      const auto f = janus::apply(rule, x);
      const double expected = derivative([&](double t) { return rule.value(t); }, point);

      const auto [value, gradient] = janus::value_and_gradient(f);
      BOOST_TEST(value == rule.value(point));
      BOOST_TEST(agrees(gradient[x], expected), std::setprecision(17)
                                                    << gradient[x] << " vs finite differences " << expected);
      BOOST_TEST(janus::gradient(f)[x] == gradient[x]);

      // Upstream adjoint 2.5: the pullback is linear in it.
      const auto scaled = janus::gradient(2.5 * f);
      BOOST_TEST(agrees(scaled[x], 2.5 * expected), std::setprecision(17)
                                                        << scaled[x] << " vs " << 2.5 * expected);
    }
  }
}

// The law for two-argument rules: both adjoints, each against the partial
// difference quotient in its own argument.
BOOST_AUTO_TEST_CASE_TEMPLATE(binary_rule_matches_finite_differences, Rule, rules::binary_rules) {
  const Rule rule{};
  for (const auto& [a0, b0] : binary_points<Rule>()) {
    BOOST_TEST_CONTEXT(Rule::name << " at (" << a0 << ", " << b0 << ")") {
      const auto [a, b] = janus::variables(a0, b0);
      const auto f = janus::apply(rule, a, b);
      const double expected_a = derivative([&](double t) { return rule.value(t, b0); }, a0);
      const double expected_b = derivative([&](double t) { return rule.value(a0, t); }, b0);

      const auto [value, gradient] = janus::value_and_gradient(f);
      BOOST_TEST(value == rule.value(a0, b0));
      BOOST_TEST(agrees(gradient[a], expected_a),
                 std::setprecision(17) << gradient[a] << " vs finite differences " << expected_a);
      BOOST_TEST(agrees(gradient[b], expected_b),
                 std::setprecision(17) << gradient[b] << " vs finite differences " << expected_b);

      const auto scaled = janus::gradient(f * -1.5);
      BOOST_TEST(agrees(scaled[a], -1.5 * expected_a));
      BOOST_TEST(agrees(scaled[b], -1.5 * expected_b));
    }
  }
}

// pow_constant carries its exponent, so it is not in the lists of stateless rules.
BOOST_AUTO_TEST_CASE(pow_constant_matches_finite_differences) {
  for (const double exponent : {-1.5, 0.5, 2.0, 3.0, 2.7}) {
    const rules::pow_constant rule{exponent};
    for (const double point : {0.3, 1.0, 2.2}) {
      BOOST_TEST_CONTEXT("x^" << exponent << " at " << point) {
        const auto [x] = janus::variables(point);
        const double expected = derivative([&](double t) { return rule.value(t); }, point);
        const auto [value, gradient] = janus::value_and_gradient(janus::apply(rule, x));
        // Small integer exponents are repeated products: equal to std::pow to rounding.
        BOOST_TEST(value == std::pow(point, exponent), boost::test_tools::tolerance(1e-15));
        BOOST_TEST(agrees(gradient[x], expected),
                   std::setprecision(17) << gradient[x] << " vs finite differences " << expected);
        // The named form with a number as exponent is the same rule.
        BOOST_TEST(janus::gradient(pow(x, exponent))[x] == gradient[x]);
      }
    }
  }
}

// A rule applied to an inner expression: the chain rule runs through it.
BOOST_AUTO_TEST_CASE_TEMPLATE(unary_rule_composes_by_the_chain_rule, Rule, rules::unary_rules) {
  const Rule rule{};
  const double point = unary_points<Rule>()[2];
  // u = 0.5 * x + 0.1 * x * x stays inside the domain near `point`; pick x with u = point.
  const double x0 = (-0.5 + std::sqrt(0.25 + 0.4 * point)) / 0.2;
  BOOST_TEST_CONTEXT(Rule::name << " of 0.5 x + 0.1 x^2 at x = " << x0) {
    const auto [x] = janus::variables(x0);
    const auto g = janus::gradient(janus::apply(rule, 0.5 * x + 0.1 * x * x));
    const double expected = derivative([&](double t) { return rule.value(0.5 * t + 0.1 * t * t); }, x0);
    BOOST_TEST(agrees(g[x], expected), std::setprecision(17)
                                           << g[x] << " vs finite differences " << expected);
  }
}

// The values are those of the standard library (or of the formula, where
// the standard library has no such function).
BOOST_AUTO_TEST_CASE(values_match_the_standard_library) {
  const auto check = [](auto make, double (*reference)(double), double point) {
    const auto [x] = janus::variables(point);
    BOOST_TEST(janus::value(make(x)) == reference(point), "at " << point);
  };
  const auto positive = {0.05, 0.4, 1.0, 3.7};
  const auto unit = {-0.8, -0.2, 0.35, 0.9};
  const auto line = {-2.1, -0.7, 0.3, 1.4};
  for (const double p : line) {
    check([](auto x) { return -x; }, [](double t) { return -t; }, p);
    check([](auto x) { return square(x); }, [](double t) { return t * t; }, p);
    check([](auto x) { return cbrt(x); }, [](double t) { return std::cbrt(t); }, p);
    check([](auto x) { return exp(x); }, [](double t) { return std::exp(t); }, p);
    check([](auto x) { return expm1(x); }, [](double t) { return std::expm1(t); }, p);
    check([](auto x) { return sin(x); }, [](double t) { return std::sin(t); }, p);
    check([](auto x) { return cos(x); }, [](double t) { return std::cos(t); }, p);
    check([](auto x) { return tan(x); }, [](double t) { return std::tan(t); }, p);
    check([](auto x) { return atan(x); }, [](double t) { return std::atan(t); }, p);
    check([](auto x) { return sinh(x); }, [](double t) { return std::sinh(t); }, p);
    check([](auto x) { return cosh(x); }, [](double t) { return std::cosh(t); }, p);
    check([](auto x) { return tanh(x); }, [](double t) { return std::tanh(t); }, p);
    check([](auto x) { return erf(x); }, [](double t) { return std::erf(t); }, p);
    check([](auto x) { return erfc(x); }, [](double t) { return std::erfc(t); }, p);
    check([](auto x) { return abs(x); }, [](double t) { return std::abs(t); }, p);
    check([](auto x) { return relu(x); }, [](double t) { return std::max(t, 0.0); }, p);
    // Not in the standard library: within rounding of the textbook formulas.
    const auto [x] = janus::variables(p);
    BOOST_TEST(agrees(janus::value(sigmoid(x)), 1 / (1 + std::exp(-p)), 1e-15));
    BOOST_TEST(agrees(janus::value(softplus(x)), std::log1p(std::exp(p)), 1e-15));
  }
  for (const double p : positive) {
    check([](auto x) { return sqrt(x); }, [](double t) { return std::sqrt(t); }, p);
    check([](auto x) { return log(x); }, [](double t) { return std::log(t); }, p);
    check([](auto x) { return log1p(x); }, [](double t) { return std::log1p(t); }, p);
    check([](auto x) { return log2(x); }, [](double t) { return std::log2(t); }, p);
    check([](auto x) { return log10(x); }, [](double t) { return std::log10(t); }, p);
  }
  for (const double p : unit) {
    check([](auto x) { return asin(x); }, [](double t) { return std::asin(t); }, p);
    check([](auto x) { return acos(x); }, [](double t) { return std::acos(t); }, p);
  }
  for (const auto& [a0, b0] : binary_points<rules::pow>()) {
    const auto [a, b] = janus::variables(a0, b0);
    BOOST_TEST(janus::value(a + b) == a0 + b0);
    BOOST_TEST(janus::value(a - b) == a0 - b0);
    BOOST_TEST(janus::value(a * b) == a0 * b0);
    BOOST_TEST(janus::value(a / b) == a0 / b0);
    BOOST_TEST(janus::value(pow(a, b)) == std::pow(a0, b0));
    BOOST_TEST(janus::value(atan2(a, b)) == std::atan2(a0, b0));
    BOOST_TEST(janus::value(hypot(a, b)) == std::hypot(a0, b0));
    BOOST_TEST(janus::value(max(a, b)) == std::max(a0, b0));
    BOOST_TEST(janus::value(min(a, b)) == std::min(a0, b0));
  }
}

// The named functions build the same computation as janus::apply on the rule.
BOOST_AUTO_TEST_CASE(named_functions_are_the_rules) {
  const auto [x, y] = janus::variables(0.6, 0.5);
  const auto same = [&](const auto& named, const auto& applied) {
    const auto [v1, g1] = janus::value_and_gradient(named);
    const auto [v2, g2] = janus::value_and_gradient(applied);
    BOOST_TEST(v1 == v2);
    BOOST_TEST(g1[x] == g2[x]);
    BOOST_TEST(g1[y] == g2[y]);
  };
  same(-x + y, janus::apply(rules::neg{}, x) + y);
  same(square(x) + y, janus::apply(rules::square{}, x) + y);
  same(sqrt(x) + y, janus::apply(rules::sqrt{}, x) + y);
  same(cbrt(x) + y, janus::apply(rules::cbrt{}, x) + y);
  same(exp(x) + y, janus::apply(rules::exp{}, x) + y);
  same(expm1(x) + y, janus::apply(rules::expm1{}, x) + y);
  same(log(x) + y, janus::apply(rules::log{}, x) + y);
  same(log1p(x) + y, janus::apply(rules::log1p{}, x) + y);
  same(log2(x) + y, janus::apply(rules::log2{}, x) + y);
  same(log10(x) + y, janus::apply(rules::log10{}, x) + y);
  same(sin(x) + y, janus::apply(rules::sin{}, x) + y);
  same(cos(x) + y, janus::apply(rules::cos{}, x) + y);
  same(tan(x) + y, janus::apply(rules::tan{}, x) + y);
  same(asin(x) + y, janus::apply(rules::asin{}, x) + y);
  same(acos(x) + y, janus::apply(rules::acos{}, x) + y);
  same(atan(x) + y, janus::apply(rules::atan{}, x) + y);
  same(sinh(x) + y, janus::apply(rules::sinh{}, x) + y);
  same(cosh(x) + y, janus::apply(rules::cosh{}, x) + y);
  same(tanh(x) + y, janus::apply(rules::tanh{}, x) + y);
  same(sigmoid(x) + y, janus::apply(rules::sigmoid{}, x) + y);
  same(softplus(x) + y, janus::apply(rules::softplus{}, x) + y);
  same(relu(x) + y, janus::apply(rules::relu{}, x) + y);
  same(abs(x) + y, janus::apply(rules::abs{}, x) + y);
  same(erf(x) + y, janus::apply(rules::erf{}, x) + y);
  same(erfc(x) + y, janus::apply(rules::erfc{}, x) + y);
  same(x + y, janus::apply(rules::add{}, x, y));
  same(x - y, janus::apply(rules::sub{}, x, y));
  same(x * y, janus::apply(rules::mul{}, x, y));
  same(x / y, janus::apply(rules::div{}, x, y));
  same(pow(x, y), janus::apply(rules::pow{}, x, y));
  same(atan2(x, y), janus::apply(rules::atan2{}, x, y));
  same(hypot(x, y), janus::apply(rules::hypot{}, x, y));
  same(max(x, y), janus::apply(rules::max{}, x, y));
  same(min(x, y), janus::apply(rules::min{}, x, y));
}

// Kinks: relu and abs have gradient 0 at 0, and the one-sided slopes elsewhere.
BOOST_AUTO_TEST_CASE(kinks_have_their_documented_gradient) {
  const auto [zero] = janus::variables(0.0);
  BOOST_TEST(janus::gradient(relu(zero))[zero] == 0.0);
  BOOST_TEST(janus::gradient(abs(zero))[zero] == 0.0);
  BOOST_TEST(janus::value(relu(zero)) == 0.0);
  BOOST_TEST(janus::value(abs(zero)) == 0.0);
  const auto [negative, positive] = janus::variables(-1e-300, 1e-300);
  BOOST_TEST(janus::gradient(relu(negative))[negative] == 0.0);
  BOOST_TEST(janus::gradient(relu(positive))[positive] == 1.0);
  BOOST_TEST(janus::gradient(abs(negative))[negative] == -1.0);
  BOOST_TEST(janus::gradient(abs(positive))[positive] == 1.0);
}

// Ties: max and min send the whole gradient to their first argument.
BOOST_AUTO_TEST_CASE(ties_send_the_gradient_to_the_first_argument) {
  const auto [a, b] = janus::variables(0.8, 0.8);
  for (const auto& g : {janus::gradient(max(a, b)), janus::gradient(min(a, b))}) {
    BOOST_TEST(g[a] == 1.0);
    BOOST_TEST(g[b] == 0.0);
  }
  const auto swapped_max = janus::gradient(max(b, a));
  BOOST_TEST(swapped_max[b] == 1.0);
  BOOST_TEST(swapped_max[a] == 0.0);
  const auto swapped_min = janus::gradient(min(b, a));
  BOOST_TEST(swapped_min[b] == 1.0);
  BOOST_TEST(swapped_min[a] == 0.0);
  // Against a constant: a tie with the constant first leaves x nothing.
  const auto [x] = janus::variables(2.0);
  BOOST_TEST(janus::gradient(max(x, 2.0))[x] == 1.0);
  BOOST_TEST(janus::gradient(max(2.0, x))[x] == 0.0);
  BOOST_TEST(janus::gradient(min(x, 2.0))[x] == 1.0);
  BOOST_TEST(janus::gradient(min(2.0, x))[x] == 0.0);
  // Away from a tie, the larger (smaller) argument takes it all.
  const auto [p, q] = janus::variables(0.3, 0.9);
  BOOST_TEST(janus::gradient(max(p, q))[q] == 1.0);
  BOOST_TEST(janus::gradient(max(p, q))[p] == 0.0);
  BOOST_TEST(janus::gradient(min(p, q))[p] == 1.0);
  BOOST_TEST(janus::gradient(min(p, q))[q] == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()

// Powers at zero: the derivatives that are 0 there come out 0, not 0 times
// infinity (NaN): d/dx x^0, d/dx x^3, and d/da, d/db of a^b at a = 0, b = 2.
BOOST_AUTO_TEST_CASE(powers_at_zero_have_finite_gradients) {
  const auto constant_exponents = janus::grad([](auto x) { return janus::pow(x, 0.0) + janus::pow(x, 3.0); })(0.0);
  BOOST_TEST(constant_exponents[0] == 0.0);
  const auto both = janus::grad([](auto a, auto b) { return janus::pow(a, b); })(0.0, 2.0);
  BOOST_TEST(both[0] == 0.0);
  BOOST_TEST(both[1] == 0.0);
  const auto zero_exponent = janus::grad([](auto a, auto b) { return janus::pow(a, b); })(0.0, 0.0);
  BOOST_TEST(zero_exponent[0] == 0.0);
}
