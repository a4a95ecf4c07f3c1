// tests/forward/dual_test.cpp: janus::dual against finite differences.
//
// Every rule of the table, applied to dual numbers, must give a tangent equal
// to its derivative estimated from rule.value alone (central differences),
// times the input's tangent; nested duals must give second derivatives equal
// to second differences of rule.value. Further cases check mixing with
// numbers, the named functions, a user's rule, infinities and comparisons.
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <tuple>

#include "domain.hpp"

namespace rules = janus::rules;
using forward_tests::for_each_rule;
using janus::dual;
using forward_tests::agrees;

namespace {

constexpr double tolerance = 1e-8;
constexpr double second_tolerance = 1e-6;

template <class Rule>
void check_unary_tangent() {
  const Rule rule{};
  for (double x : forward_tests::unary_points<Rule>()) {
    const double expected = forward_tests::derivative([&](double t) { return rule.value(t); }, x);
    const dual<double> y = janus::apply(rule, dual<double>{x, 2.5});
    BOOST_TEST_CONTEXT(std::string(Rule::name) << " at " << x) {
      // Not ==: the compiler may fold rule.value(x) exactly where libm rounds.
      BOOST_TEST(agrees(y.value(), rule.value(x), 1e-15));
      BOOST_TEST(agrees(y.tangent(), 2.5 * expected, tolerance), y.tangent() << " vs " << 2.5 * expected);
    }
  }
}

template <class Rule>
void check_unary_second() {
  const Rule rule{};
  for (double x : forward_tests::unary_points<Rule>()) {
    const double first = forward_tests::derivative([&](double t) { return rule.value(t); }, x);
    const double second = forward_tests::second_derivative([&](double t) { return rule.value(t); }, x);
    // x as a dual of duals with both tangents 1: the innermost tangent of
    // the tangent is f''(x), the two middle ones f'(x).
    const dual<dual<double>> xx{dual<double>{x, 1.0}, dual<double>{1.0, 0.0}};
    const dual<dual<double>> y = janus::apply(rule, xx);
    BOOST_TEST_CONTEXT(std::string(Rule::name) << " at " << x) {
      BOOST_TEST(agrees(y.value().value(), rule.value(x), 1e-15));
      BOOST_TEST(agrees(y.value().tangent(), first, tolerance));
      BOOST_TEST(agrees(y.tangent().value(), first, tolerance));
      BOOST_TEST(agrees(y.tangent().tangent(), second, second_tolerance),
                 y.tangent().tangent() << " vs " << second);
    }
  }
}

template <class Rule>
void check_binary_tangent() {
  const Rule rule{};
  for (auto [a, b] : forward_tests::binary_points<Rule>()) {
    const double da = forward_tests::derivative([&](double t) { return rule.value(t, b); }, a);
    const double db = forward_tests::derivative([&](double t) { return rule.value(a, t); }, b);
    BOOST_TEST_CONTEXT(std::string(Rule::name) << " at (" << a << ", " << b << ")") {
      const dual<double> both = janus::apply(rule, dual<double>{a, 0.5}, dual<double>{b, -1.5});
      BOOST_TEST(agrees(both.value(), rule.value(a, b), 1e-15));
      BOOST_TEST(agrees(both.tangent(), 0.5 * da - 1.5 * db, tolerance));
      const dual<double> left = janus::apply(rule, dual<double>{a, 2.0}, b);
      BOOST_TEST(agrees(left.tangent(), 2.0 * da, tolerance));
      const dual<double> right = janus::apply(rule, a, dual<double>{b, 3.0});
      BOOST_TEST(agrees(right.tangent(), 3.0 * db, tolerance));
    }
  }
}

template <class Rule>
void check_binary_second() {
  const Rule rule{};
  for (auto [a, b] : forward_tests::binary_points<Rule>()) {
    // d^2 f / da db: differences in b of the derivative in a.
    const double mixed = forward_tests::derivative(
        [&](double s) { return forward_tests::derivative([&](double t) { return rule.value(t, s); }, a); }, b);
    const double aa = forward_tests::second_derivative([&](double t) { return rule.value(t, b); }, a);
    // a moves along the inner tangent, b along the outer one.
    const dual<dual<double>> a2{dual<double>{a, 1.0}, dual<double>{0.0, 0.0}};
    const dual<dual<double>> b2{dual<double>{b, 0.0}, dual<double>{1.0, 0.0}};
    const dual<dual<double>> y = janus::apply(rule, a2, b2);
    const dual<dual<double>> a_both{dual<double>{a, 1.0}, dual<double>{1.0, 0.0}};
    const dual<dual<double>> y_aa = janus::apply(rule, a_both, dual<dual<double>>{b});
    BOOST_TEST_CONTEXT(std::string(Rule::name) << " at (" << a << ", " << b << ")") {
      BOOST_TEST(agrees(y.tangent().tangent(), mixed, 1e-5), y.tangent().tangent() << " vs " << mixed);
      BOOST_TEST(agrees(y_aa.tangent().tangent(), aa, second_tolerance), y_aa.tangent().tangent() << " vs " << aa);
    }
  }
}

// A rule of the user's own, with a pullback and no forward derivative.
struct cube {
  static constexpr std::string_view name = "cube";
  static constexpr auto reads = rules::pullback_reads::input;
  template <class T> static constexpr T value(T x) { return x * x * x; }
  template <class T> static constexpr T pullback(T x, T, T g) { return g * 3 * x * x; }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(forward_dual)

BOOST_AUTO_TEST_CASE(every_unary_rule_gives_its_derivative_as_tangent) {
  for_each_rule<rules::unary_rules>::run([]<class Rule>() { check_unary_tangent<Rule>(); });
  check_unary_tangent<rules::pow_constant>();  // exponent 0 below: a rule with a parameter
}

BOOST_AUTO_TEST_CASE(pow_with_a_constant_exponent) {
  for (double p : {-2.5, -1.0, 0.5, 2.0, 3.0, 7.3}) {
    const rules::pow_constant rule{p};
    for (double x : {0.3, 1.1, 2.4}) {
      const double expected = forward_tests::derivative([&](double t) { return rule.value(t); }, x);
      BOOST_TEST(agrees(janus::pow(dual<double>{x, 1.0}, p).tangent(), expected, tolerance));
      const double second = forward_tests::second_derivative([&](double t) { return rule.value(t); }, x);
      const dual<dual<double>> xx{dual<double>{x, 1.0}, dual<double>{1.0, 0.0}};
      BOOST_TEST(agrees(janus::pow(xx, p).tangent().tangent(), second, second_tolerance));
    }
  }
}

BOOST_AUTO_TEST_CASE(every_binary_rule_gives_its_partials_as_tangent) {
  for_each_rule<rules::binary_rules>::run([]<class Rule>() { check_binary_tangent<Rule>(); });
}

BOOST_AUTO_TEST_CASE(nested_duals_give_second_derivatives_of_every_unary_rule) {
  for_each_rule<rules::unary_rules>::run([]<class Rule>() { check_unary_second<Rule>(); });
}

BOOST_AUTO_TEST_CASE(nested_duals_give_second_derivatives_of_every_binary_rule) {
  for_each_rule<rules::binary_rules>::run([]<class Rule>() { check_binary_second<Rule>(); });
}

BOOST_AUTO_TEST_CASE(named_functions_are_the_rules) {
  const dual<double> d{0.7, 1.3};
  const dual<double> e{1.9, -0.4};
  BOOST_TEST((janus::sin(d) == janus::apply(rules::sin{}, d)));
  BOOST_TEST((janus::erfc(d) == janus::apply(rules::erfc{}, d)));
  BOOST_TEST((janus::softplus(d) == janus::apply(rules::softplus{}, d)));
  BOOST_TEST((janus::pow(d, e) == janus::apply(rules::pow{}, d, e)));
  BOOST_TEST((janus::pow(2.0, e) == janus::apply(rules::pow{}, 2.0, e)));
  BOOST_TEST((janus::atan2(d, 2.0) == janus::apply(rules::atan2{}, d, 2.0)));
  BOOST_TEST((janus::hypot(d, e) == janus::apply(rules::hypot{}, d, e)));
  BOOST_TEST((janus::max(d, e) == e));
  BOOST_TEST((janus::min(d, e) == d));
  // Unqualified, as a generic function writes them: found by argument-dependent lookup.
  BOOST_TEST((exp(d) == janus::exp(d)));
  BOOST_TEST((square(d) == janus::square(d)));
}

BOOST_AUTO_TEST_CASE(the_example_of_the_docs) {
  // d/dx (x sin x) = sin x + x cos x.
  const janus::dual<double> d{3.0, 1.0};
  const auto e = sin(d) * d;
  BOOST_TEST(e.value() == std::sin(3.0) * 3.0);
  BOOST_TEST(agrees(e.tangent(), std::sin(3.0) + 3.0 * std::cos(3.0), 1e-15));
}

BOOST_AUTO_TEST_CASE(arithmetic_mixes_with_numbers) {
  const dual<double> x{2.0, 1.0};
  // (3x^2 + 1) / (x - 5) - 4, derivative (6x (x - 5) - (3x^2 + 1)) / (x - 5)^2.
  const dual<double> y = (3.0 * x * x + 1) / (x - 5.0) - 4;
  BOOST_TEST(y.value() == 13.0 / -3.0 - 4);
  BOOST_TEST(agrees(y.tangent(), (12.0 * -3.0 - 13.0) / 9.0, 1e-15));
  const dual<double> z = 1.0 / x + (2.0 - x);
  BOOST_TEST(agrees(z.tangent(), -0.25 - 1.0, 1e-15));
  dual<double> w = x;
  w *= x;
  w += 1.0;
  w /= dual<double>{4.0};
  w -= x;
  BOOST_TEST(agrees(w.value(), 5.0 / 4.0 - 2.0, 1e-15));
  BOOST_TEST(agrees(w.tangent(), 4.0 / 4.0 - 1.0, 1e-15));
}

BOOST_AUTO_TEST_CASE(a_users_rule_through_apply) {
  const dual<double> y = janus::apply(cube{}, dual<double>{2.0, 1.0});
  BOOST_TEST(y.value() == 8.0);
  BOOST_TEST(y.tangent() == 12.0);
  const dual<dual<double>> xx{dual<double>{2.0, 1.0}, dual<double>{1.0, 0.0}};
  BOOST_TEST(janus::apply(cube{}, xx).tangent().tangent() == 12.0);  // 6x
}

BOOST_AUTO_TEST_CASE(third_derivatives_from_three_levels) {
  // d^3/dx^3 sin x = -cos x.
  using d1 = dual<double>;
  using d2 = dual<d1>;
  using d3 = dual<d2>;
  const double x0 = 0.8;
  const d3 x{d2{d1{x0, 1.0}, d1{1.0, 0.0}}, d2{d1{1.0, 0.0}, d1{0.0, 0.0}}};
  const d3 y = sin(x);
  BOOST_TEST(agrees(y.tangent().tangent().tangent(), -std::cos(x0), 1e-15));
  BOOST_TEST(agrees(y.tangent().tangent().value(), -std::sin(x0), 1e-15));
}

BOOST_AUTO_TEST_CASE(a_tangent_of_zero_meets_no_infinity) {
  // sqrt at 0 has an infinite derivative; a constant (tangent 0) there has
  // tangent 0, as an adjoint of 0 propagates nothing in the reverse engines.
  BOOST_TEST(janus::sqrt(dual<double>{0.0, 0.0}).tangent() == 0.0);
  BOOST_TEST(janus::sqrt(dual<double>{0.0, 1.0}).tangent() == std::numeric_limits<double>::infinity());
  BOOST_TEST(janus::log(dual<double>{0.0}).tangent() == 0.0);
  // pow(0, b) with b moving: d/db 0^b = 0 (the rule's convention); a moving
  // with b constant: d/da a^2 = 0 at 0.
  BOOST_TEST(janus::pow(dual<double>{0.0, 0.0}, dual<double>{2.0, 1.0}).tangent() == 0.0);
  BOOST_TEST(janus::pow(dual<double>{0.0, 1.0}, dual<double>{2.0, 0.0}).tangent() == 0.0);
  // A division by a constant 0 with a moving numerator: infinite, not NaN
  // from 0 times infinity in the other term.
  BOOST_TEST(std::isinf((dual<double>{1.0, 1.0} / dual<double>{0.0, 0.0}).tangent()));
  // An infinite value times a constant: the constant's tangent (0) is not
  // multiplied by infinity.
  const double inf = std::numeric_limits<double>::infinity();
  BOOST_TEST((dual<double>{inf, 1.0} * 2.0).tangent() == 2.0);
}

BOOST_AUTO_TEST_CASE(comparisons) {
  const dual<double> a{1.0, 5.0};
  const dual<double> b{2.0, -5.0};
  BOOST_TEST((a < b));
  BOOST_TEST((a <= b));
  BOOST_TEST(!(a > b));
  BOOST_TEST((b >= a));
  BOOST_TEST((a < 1.5));
  BOOST_TEST((2.5 > b));
  // Orders look at values; equality is of value and tangent.
  BOOST_TEST((a <= dual<double>{1.0, 0.0}));
  BOOST_TEST((a >= dual<double>{1.0, 0.0}));
  BOOST_TEST(!(a == dual<double>{1.0, 0.0}));
  BOOST_TEST((a != 1.0));
  BOOST_TEST((dual<double>{1.0} == 1.0));
  // A branch on a dual takes the side it takes on numbers: relu at 0 keeps
  // the table's gradient 0, whatever the tangent.
  BOOST_TEST(janus::relu(dual<double>{0.0, 1.0}).tangent() == 0.0);
}

BOOST_AUTO_TEST_CASE(constant_expressions) {
  constexpr dual<double> y = dual<double>{3.0, 1.0} * dual<double>{3.0, 1.0} * 2.0 - 1.0;
  static_assert(y.value() == 17.0);
  static_assert(y.tangent() == 12.0);
  BOOST_TEST(y.tangent() == 12.0);
}

BOOST_AUTO_TEST_SUITE_END()
