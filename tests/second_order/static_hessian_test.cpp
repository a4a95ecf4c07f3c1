// tests/second_order/static_hessian_test.cpp: janus::hessian, janus::hvp,
// janus::jvp and janus::value_and_jacobian of the static engine.
//
// References: central differences of janus::grad (each Hessian row is the
// derivative of the gradient), central differences of f for jvp, and closed
// forms (Rosenbrock's Hessian, the Black-Scholes Greeks). Every rule of the
// table is run through the engine's sweep on dual numbers.
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "../forward/domain.hpp"

namespace rules = janus::rules;
using forward_tests::for_each_rule;
using forward_tests::agrees;

namespace {

/// The Hessian by central differences of janus::grad(f), Richardson-extrapolated.
template <class F, std::size_t N>
std::array<std::array<double, N>, N> hessian_by_differences(const F& f, const std::array<double, N>& x) {
  return forward_tests::hessian_by_differences_of(
      [&](const std::array<double, N>& p) { return std::apply([&](auto... a) { return janus::grad(f)(a...); }, p); }, x);
}

template <std::size_t N>
void check_hessian(const std::array<std::array<double, N>, N>& actual,
                   const std::array<std::array<double, N>, N>& expected, double tolerance) {
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t j = 0; j < N; ++j) {
      BOOST_TEST_CONTEXT("H[" << i << "][" << j << "]") {
        BOOST_TEST(agrees(actual[i][j], expected[i][j], tolerance), actual[i][j] << " vs " << expected[i][j]);
        BOOST_TEST(actual[i][j] == actual[j][i]);
      }
    }
  }
}

const auto example = [](auto x, auto y, auto z) { return x * y * z + sin(x) * exp(y) / z; };

}  // namespace

BOOST_AUTO_TEST_SUITE(static_second_order)

BOOST_AUTO_TEST_CASE(hessian_is_a_constant_expression) {
  static_assert(janus::hessian([](auto x, auto y) { return x * x * y; })(3.0, 2.0)[0][1] == 6.0);
  static_assert(janus::hessian([](auto x, auto y) { return x * x * y; })(3.0, 2.0)[0][0] == 4.0);
  static_assert(janus::hvp([](auto x, auto y) { return x * x * y; }, std::array{3.0, 2.0},
                           std::array{1.0, 1.0})[1] == 6.0);
  static_assert(janus::jvp([](auto x, auto y) { return x * x * y; }, std::array{3.0, 2.0},
                           std::array{1.0, 0.0}) == 12.0);
  BOOST_TEST(true);
}

BOOST_AUTO_TEST_CASE(hessian_of_the_docs_example_against_differences_of_the_gradient) {
  const std::array x{1.0, 2.0, 3.0};
  const auto H = janus::hessian(example)(1.0, 2.0, 3.0);
  check_hessian(H, hessian_by_differences(example, x), 1e-7);
  // Closed form of one entry: d^2/dx^2 = -sin(x) e^y / z.
  BOOST_TEST(agrees(H[0][0], -std::sin(1.0) * std::exp(2.0) / 3.0, 1e-15));
}

BOOST_AUTO_TEST_CASE(hvp_is_the_hessian_times_the_vector) {
  const std::array x{1.0, 2.0, 3.0};
  const std::array v{0.5, -1.0, 2.0};
  const auto H = janus::hessian(example)(1.0, 2.0, 3.0);
  const auto Hv = janus::hvp(example, x, v);
  for (std::size_t i = 0; i < 3; ++i) {
    double expected = 0;
    for (std::size_t j = 0; j < 3; ++j) expected += H[i][j] * v[j];
    BOOST_TEST(agrees(Hv[i], expected, 1e-14));
  }
}

BOOST_AUTO_TEST_CASE(jvp_against_central_differences) {
  const std::array x{1.0, 2.0, 3.0};
  const std::array v{0.5, -1.0, 2.0};
  const double expected = forward_tests::derivative(
      [&](double t) { return example(x[0] + t * v[0], x[1] + t * v[1], x[2] + t * v[2]); }, 0.0);
  BOOST_TEST(agrees(janus::jvp(example, x, v), expected, 1e-9));
  // The same through one array argument.
  const auto on_array = [](const auto& p) { return p[0] * p[1] * p[2] + sin(p[0]) * exp(p[1]) / p[2]; };
  BOOST_TEST(agrees(janus::jvp(on_array, std::vector{1.0, 2.0, 3.0}, std::vector{0.5, -1.0, 2.0}), expected, 1e-9));
}

// Every unary rule inside a formula, so that the sweep's own pushes meet
// duals: f(x, y) = y R(x) + R(x)^2, whose Hessian holds R, R' and R''.
BOOST_AUTO_TEST_CASE(every_unary_rule_through_the_sweep) {
  for_each_rule<rules::unary_rules>::run([]<class Rule>() {
    const auto f = [](auto x, auto y) {
      const auto r = janus::apply(Rule{}, x);
      return y * r + r * r;
    };
    for (double x : forward_tests::unary_points<Rule>()) {
      BOOST_TEST_CONTEXT(std::string(Rule::name) << " at " << x) {
        check_hessian(janus::hessian(f)(x, 0.7), hessian_by_differences(f, std::array{x, 0.7}), 1e-6);
      }
    }
  });
}

// f(a, b) = R(a, b) (a + 2b): second derivatives of R in both arguments.
BOOST_AUTO_TEST_CASE(every_binary_rule_through_the_sweep) {
  for_each_rule<rules::binary_rules>::run([]<class Rule>() {
    const auto f = [](auto a, auto b) { return janus::apply(Rule{}, a, b) * (a + 2.0 * b); };
    for (auto [a, b] : forward_tests::binary_points<Rule>()) {
      BOOST_TEST_CONTEXT(std::string(Rule::name) << " at (" << a << ", " << b << ")") {
        check_hessian(janus::hessian(f)(a, b), hessian_by_differences(f, std::array{a, b}), 1e-6);
      }
    }
  });
}

// An adjoint whose value is 0 and whose tangent is not still carries a
// second derivative: the rule "an adjoint of 0 propagates nothing" must not
// drop it. f = (x - 1) sqrt(x): f'' = 1/sqrt(x) - (x - 1) / (4 x^1.5), 1 at x = 1;
// f = (x - 1) log(x): f'' = 1/x + 1/x^2, 2 at x = 1.
BOOST_AUTO_TEST_CASE(an_adjoint_of_value_zero_keeps_its_tangent) {
  BOOST_TEST(janus::hessian([](auto x) { return (x - 1.0) * sqrt(x); })(1.0)[0][0] == 1.0);
  BOOST_TEST(janus::hessian([](auto x) { return (x - 1.0) * log(x); })(1.0)[0][0] == 2.0);
  // And a constant 0 factor still hides an infinite second derivative: d^2/dx^2 (0 sqrt(x)) at 0.
  BOOST_TEST(janus::hessian([](auto x) { return 0.0 * sqrt(x) + x * x; })(0.0)[0][0] == 2.0);
}

// Rosenbrock over 10 variables (the engine's argument block, past the
// arguments carried by value): its Hessian in closed form, tridiagonal.
BOOST_AUTO_TEST_CASE(rosenbrock_ten_against_its_closed_form) {
  constexpr std::size_t n = 10;
  const auto term = [](auto a, auto b) { return 100.0 * square(b - a * a) + square(1.0 - a); };
  const auto rosenbrock = [&](auto... x) {
    const auto args = std::tuple{x...};
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return (term(std::get<I>(args), std::get<I + 1>(args)) + ...);
    }(std::make_index_sequence<n - 1>{});
  };
  const std::array<double, n> x{-1.2, 1.0, 0.3, -0.7, 2.0, 0.5, -0.4, 1.1, 0.8, -1.5};
  const auto H = std::apply([&](auto... a) { return janus::hessian(rosenbrock)(a...); }, x);
  std::array<std::array<double, n>, n> expected{};
  for (std::size_t i = 0; i + 1 < n; ++i) {
    // 100 (b - a^2)^2 + (1 - a)^2 with a = x[i], b = x[i + 1].
    expected[i][i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
    expected[i][i + 1] += -400 * x[i];
    expected[i + 1][i] += -400 * x[i];
    expected[i + 1][i + 1] += 200;
  }
  check_hessian(H, expected, 1e-13);
}

// The Black-Scholes call price C(S, K, T, r, sigma): gamma, vanna and volga
// in closed form (Hull, "Options, Futures, and Other Derivatives", ch. 19).
BOOST_AUTO_TEST_CASE(black_scholes_greeks_against_closed_forms) {
  const auto price = [](auto S, auto K, auto T, auto r, auto sigma) {
    const auto sd = sigma * sqrt(T);
    const auto d1 = (log(S / K) + (r + 0.5 * sigma * sigma) * T) / sd;
    const auto d2 = d1 - sd;
    return S * (0.5 * erfc(-d1 / std::numbers::sqrt2)) - K * exp(-r * T) * (0.5 * erfc(-d2 / std::numbers::sqrt2));
  };
  const double S = 100, K = 95, T = 0.75, r = 0.03, sigma = 0.25;
  const auto H = janus::hessian(price)(S, K, T, r, sigma);
  const double sd = sigma * std::sqrt(T);
  const double d1 = (std::log(S / K) + (r + 0.5 * sigma * sigma) * T) / sd;
  const double d2 = d1 - sd;
  const double pdf = std::exp(-0.5 * d1 * d1) / std::sqrt(2 * std::numbers::pi);
  const double gamma = pdf / (S * sd);
  const double vanna = -pdf * d2 / sigma;
  const double volga = S * pdf * std::sqrt(T) * d1 * d2 / sigma;
  BOOST_TEST(agrees(H[0][0], gamma, 1e-12), H[0][0] << " vs " << gamma);
  BOOST_TEST(agrees(H[0][4], vanna, 1e-12), H[0][4] << " vs " << vanna);
  BOOST_TEST(agrees(H[4][4], volga, 1e-12), H[4][4] << " vs " << volga);
  check_hessian(H, hessian_by_differences(price, std::array{S, K, T, r, sigma}), 1e-6);
}

// A janus::sum over data keeps the body's partials in its node; on duals
// they carry their tangents, which the Hessian needs.
BOOST_AUTO_TEST_CASE(hessian_through_a_sum_over_data) {
  const std::vector<double> data{0.3, -1.2, 2.5, 0.8};
  const auto f = [&](auto mu, auto sigma) {
    return janus::sum(data, [&](double x) { return janus::square((x - mu) / sigma); }) + 4.0 * log(sigma);
  };
  check_hessian(janus::hessian(f)(0.5, 1.3), hessian_by_differences(f, std::array{0.5, 1.3}), 1e-7);
  // Closed form: d^2/dmu^2 = 2 n / sigma^2.
  BOOST_TEST(agrees(janus::hessian(f)(0.5, 1.3)[0][0], 8.0 / (1.3 * 1.3), 1e-14));
}

BOOST_AUTO_TEST_CASE(value_and_jacobian_gives_the_values_and_the_jacobian) {
  const auto polar = [](auto radius, auto angle) { return std::tuple{radius * cos(angle), radius * sin(angle)}; };
  const auto [values, J] = janus::value_and_jacobian(polar, 2.0, 0.5);
  BOOST_TEST(values[0] == 2.0 * std::cos(0.5));
  BOOST_TEST(values[1] == 2.0 * std::sin(0.5));
  const auto J_alone = janus::jacobian(polar)(2.0, 0.5);
  BOOST_TEST(J == J_alone);
  // d(r cos t)/dr = cos t, d(r cos t)/dt = -r sin t, d(r sin t)/dr = sin t, d(r sin t)/dt = r cos t.
  BOOST_TEST(agrees(J[0][0], std::cos(0.5), 1e-15));
  BOOST_TEST(agrees(J[0][1], -2.0 * std::sin(0.5), 1e-15));
  BOOST_TEST(agrees(J[1][0], std::sin(0.5), 1e-15));
  BOOST_TEST(agrees(J[1][1], 2.0 * std::cos(0.5), 1e-15));
  constexpr auto constant = janus::value_and_jacobian([](auto x, auto y) { return std::tuple{x * y, x + y}; }, 3.0, 4.0);
  static_assert(constant.value[0] == 12.0 && constant.jacobian[0][1] == 3.0 && constant.jacobian[1][0] == 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
