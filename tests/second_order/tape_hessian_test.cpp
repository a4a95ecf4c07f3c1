// tests/second_order/tape_hessian_test.cpp: janus::tape::hvp,
// janus::tape::hessian and janus::tape::jacobian.
//
// References: central differences of janus::tape::grad (each Hessian row is
// the derivative of the gradient), the static engine's janus::hessian (the
// engines must agree), and closed forms (Rosenbrock's tridiagonal Hessian,
// a Jacobian written out by hand).
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>
#include <janus/tape.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "../forward/domain.hpp"

namespace rules = janus::rules;
using forward_tests::for_each_rule;
using forward_tests::agrees;

namespace {

/// The Hessian by central differences of janus::tape::grad, Richardson-extrapolated.
template <class F, std::size_t N>
std::array<std::array<double, N>, N> hessian_by_differences(const F& f, const std::array<double, N>& x) {
  return forward_tests::hessian_by_differences_of(
      [&](const std::array<double, N>& p) { return std::apply([&](auto... a) { return janus::tape::grad(f)(a...); }, p); }, x);
}

template <class Rows, class Expected>
void check_rows(const Rows& actual, const Expected& expected, std::size_t n, double tolerance) {
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      BOOST_TEST_CONTEXT("H[" << i << "][" << j << "]") {
        BOOST_TEST(agrees(actual[i][j], expected[i][j], tolerance), actual[i][j] << " vs " << expected[i][j]);
        BOOST_TEST(actual[i][j] == actual[j][i]);
      }
    }
  }
}

const auto example = [](auto x, auto y, auto z) { return x * y * z + sin(x) * exp(y) / z; };

// Rosenbrock's function of a range; a plain loop, as tape code is written.
const auto rosenbrock = [](const auto& x) {
  auto total = 0.0 * x[0];
  for (std::size_t i = 0; i + 1 < x.size(); ++i) total = total + 100.0 * square(x[i + 1] - x[i] * x[i]) + square(1.0 - x[i]);
  return total;
};

std::vector<std::vector<double>> rosenbrock_exact(const std::vector<double>& x) {
  const std::size_t n = x.size();
  std::vector<std::vector<double>> h(n, std::vector<double>(n, 0.0));
  for (std::size_t i = 0; i + 1 < n; ++i) {
    h[i][i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
    h[i][i + 1] += -400 * x[i];
    h[i + 1][i] += -400 * x[i];
    h[i + 1][i + 1] += 200;
  }
  return h;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tape_second_order)

BOOST_AUTO_TEST_CASE(hessian_of_the_docs_example) {
  const auto H = janus::tape::hessian(example)(1.0, 2.0, 3.0);
  check_rows(H, hessian_by_differences(example, std::array{1.0, 2.0, 3.0}), 3, 1e-7);
  check_rows(H, janus::hessian(example)(1.0, 2.0, 3.0), 3, 1e-14);
}

BOOST_AUTO_TEST_CASE(every_unary_rule_agrees_with_differences_and_the_static_engine) {
  for_each_rule<rules::unary_rules>::run([]<class Rule>() {
    const auto f = [](auto x, auto y) {
      const auto r = janus::apply(Rule{}, x);
      return y * r + r * r;
    };
    for (double x : forward_tests::unary_points<Rule>()) {
      BOOST_TEST_CONTEXT(std::string(Rule::name) << " at " << x) {
        const auto H = janus::tape::hessian(f)(x, 0.7);
        check_rows(H, hessian_by_differences(f, std::array{x, 0.7}), 2, 1e-6);
        check_rows(H, janus::hessian(f)(x, 0.7), 2, 1e-13);
      }
    }
  });
}

BOOST_AUTO_TEST_CASE(every_binary_rule_agrees_with_differences_and_the_static_engine) {
  for_each_rule<rules::binary_rules>::run([]<class Rule>() {
    const auto f = [](auto a, auto b) { return janus::apply(Rule{}, a, b) * (a + 2.0 * b); };
    for (auto [a, b] : forward_tests::binary_points<Rule>()) {
      BOOST_TEST_CONTEXT(std::string(Rule::name) << " at (" << a << ", " << b << ")") {
        const auto H = janus::tape::hessian(f)(a, b);
        check_rows(H, hessian_by_differences(f, std::array{a, b}), 2, 1e-6);
        check_rows(H, janus::hessian(f)(a, b), 2, 1e-13);
      }
    }
  });
}

// A tangent or adjoint whose value is 0 still carries a second derivative.
// f'' at x = 1 of (x - 1) sqrt(x) is 1, of (x - 1) log(x) is 2, and of
// 1 / (1 + (x - 1)^2) is -2 (there the tangent of (x - 1)^2 is 0, its
// derivative 2).
BOOST_AUTO_TEST_CASE(a_zero_with_a_derivative_is_not_dropped) {
  BOOST_TEST(janus::tape::hessian([](auto x) { return (x - 1.0) * sqrt(x); })(1.0)[0][0] == 1.0);
  BOOST_TEST(janus::tape::hessian([](auto x) { return (x - 1.0) * log(x); })(1.0)[0][0] == 2.0);
  BOOST_TEST(janus::tape::hessian([](auto x) { return 1.0 / (1.0 + square(x - 1.0)); })(1.0)[0][0] == -2.0);
  BOOST_TEST(janus::hessian([](auto x) { return 1.0 / (1.0 + square(x - 1.0)); })(1.0)[0][0] == -2.0);
}

BOOST_AUTO_TEST_CASE(rosenbrock_of_run_time_size_against_its_closed_form) {
  std::vector<double> x(50);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = 0.1 * static_cast<double>(i % 7) - 0.3;
  const auto H = janus::tape::hessian(rosenbrock)(x);
  check_rows(H, rosenbrock_exact(x), x.size(), 1e-13);
  std::vector<double> v(x.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = std::sin(static_cast<double>(i));
  const auto Hv = janus::tape::hvp(rosenbrock, x, v);
  const auto exact = rosenbrock_exact(x);
  for (std::size_t i = 0; i < x.size(); ++i) {
    double expected = 0;
    for (std::size_t j = 0; j < x.size(); ++j) expected += exact[i][j] * v[j];
    BOOST_TEST(agrees(Hv[i], expected, 1e-12));
  }
}

BOOST_AUTO_TEST_CASE(products_forget_what_they_recorded) {
  const auto before = janus::tape::mark<double>();
  janus::var kept = 2.0;
  const auto after_leaf = janus::tape::mark<double>();
  (void)janus::tape::hvp(rosenbrock, std::vector{0.5, 1.5, -0.5}, std::vector{1.0, 0.0, 2.0});
  (void)janus::tape::hessian(example)(1.0, 2.0, 3.0);
  (void)janus::tape::jacobian([](const auto& x) { return std::vector{x[0] * x[1]}; })(std::vector{1.0, 2.0});
  BOOST_TEST(janus::tape::mark<double>().statements == after_leaf.statements);
  BOOST_TEST(after_leaf.statements == before.statements + 1);
  BOOST_TEST(kept.value() == 2.0);
}

BOOST_AUTO_TEST_CASE(a_result_that_does_not_depend_on_the_arguments) {
  const auto H = janus::tape::hessian([](auto x, auto) { return 3.0 * x; })(1.0, 2.0);
  BOOST_TEST(H[0][0] == 0.0);
  BOOST_TEST(H[0][1] == 0.0);
  BOOST_TEST(H[1][1] == 0.0);
}

BOOST_AUTO_TEST_CASE(jacobian_of_run_time_size) {
  // Outputs: x0 x1, sin(x1) x2, x0 + x2; rows written out by hand.
  const auto f = [](const std::vector<janus::var>& x) {
    return std::vector<janus::var>{x[0] * x[1], sin(x[1]) * x[2], x[0] + x[2]};
  };
  const std::vector<double> x{2.0, 0.5, -1.5};
  const auto J = janus::tape::jacobian(f)(x);
  const std::vector<std::vector<double>> expected{
      {0.5, 2.0, 0.0}, {0.0, std::cos(0.5) * -1.5, std::sin(0.5)}, {1.0, 0.0, 1.0}};
  BOOST_TEST(J.size() == 3u);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j) BOOST_TEST(agrees(J[i][j], expected[i][j], 1e-15), i << ", " << j);
  // The same as the static engine's, for a fixed size.
  const auto Js = janus::jacobian([](auto a, auto b, auto c) { return std::tuple{a * b, sin(b) * c, a + c}; })(
      2.0, 0.5, -1.5);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j) BOOST_TEST(agrees(J[i][j], Js[i][j], 1e-15));
}

BOOST_AUTO_TEST_CASE(mismatched_sizes_are_refused) {
  BOOST_CHECK_THROW((void)janus::tape::hvp(rosenbrock, std::vector{1.0, 2.0}, std::vector{1.0}), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
