// Sums whose bodies hold subexpressions that do not depend on the element
// (pure subtrees of captured variables: `sigmoid(a)`, `exp(log_s)`): the sum
// computes those once and applies their summed adjoints after the loop
// (sum.hpp). These tests hold the gradients against central differences and
// closed forms, where a variable reaches the body both through such a
// subtree and directly, and where the whole body is such a subtree.
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

namespace {

using std::exp;
using std::log;

const std::vector<double> data{-1.3, -0.2, 0.4, 0.9, 1.7, 2.2, 3.1, 4.0};

// A two-component normal mixture's log-likelihood of `data`, with the
// weight and the scales captured by the body.
const auto mixture = [](auto a, auto mu1, auto mu2, auto log_s1, auto log_s2) {
  const auto w = janus::sigmoid(a);
  const auto s1 = exp(log_s1);
  const auto s2 = exp(log_s2);
  return janus::sum(data, [&](double x) {
    return log(w * exp(-0.5 * janus::square((x - mu1) / s1)) / s1 +
               (1.0 - w) * exp(-0.5 * janus::square((x - mu2) / s2)) / s2);
  });
};

template <std::size_t N, class F>
std::array<double, N> central_differences(const F& f, std::array<double, N> x) {
  std::array<double, N> g{};
  for (std::size_t i = 0; i < N; ++i) {
    const double h = 1e-5 * std::max(1.0, std::abs(x[i]));
    const double saved = x[i];
    x[i] = saved + h;
    const double up = std::apply(f, x);
    x[i] = saved - h;
    const double down = std::apply(f, x);
    x[i] = saved;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_pure_subtrees_of_a_body_are_hoisted) {
  using body_node = decltype(janus::sigmoid(std::get<0>(janus::variables(1.0, 2.0))) * 2.0)::node_type;
  using hoisted = janus::detail::hoisted_subtrees_t<body_node>;
  static_assert(hoisted::size == 1, "sigmoid(a) is computed once per sum");
}

BOOST_AUTO_TEST_CASE(a_mixture_likelihood_matches_central_differences) {
  const std::array<double, 5> p{0.3, 0.5, 2.5, 0.2, 0.6};
  const auto [value, g] = janus::value_and_grad(mixture, p[0], p[1], p[2], p[3], p[4]);
  // On doubles the same function is plain arithmetic and an ordinary sum.
  const auto on_doubles = [](double a, double mu1, double mu2, double l1, double l2) {
    return mixture(a, mu1, mu2, l1, l2);
  };
  const auto reference = central_differences(on_doubles, p);
  BOOST_TEST(value == std::apply(on_doubles, p), boost::test_tools::tolerance(1e-13));
  for (std::size_t i = 0; i < 5; ++i) BOOST_TEST(g[i] == reference[i], boost::test_tools::tolerance(1e-7));
}

// `a` reaches each term through exp(a) (hoisted) and directly; `b` only
// through the hoisted sin(b) * b. d/da = sum (exp(a) x + 1), d/db = sum
// (cos(b) b + sin(b)) x^2.
BOOST_AUTO_TEST_CASE(a_variable_through_a_hoisted_subtree_and_directly) {
  const auto f = [](auto a, auto b) {
    const auto scale = exp(a);
    const auto shape = janus::sin(b) * b;
    return janus::sum(data, [&](double x) { return scale * x + a + shape * (x * x); });
  };
  const double a = 0.4, b = -1.1;
  const auto g = janus::grad(f)(a, b);
  double sum_x = 0, sum_x2 = 0;
  for (double x : data) {
    sum_x += x;
    sum_x2 += x * x;
  }
  BOOST_TEST(g[0] == std::exp(a) * sum_x + static_cast<double>(data.size()), boost::test_tools::tolerance(1e-13));
  BOOST_TEST(g[1] == (std::cos(b) * b + std::sin(b)) * sum_x2, boost::test_tools::tolerance(1e-13));
}

// A body that does not depend on the element at all: n times its value.
BOOST_AUTO_TEST_CASE(a_body_that_is_one_hoisted_subtree) {
  const auto f = [](auto a, auto b) { return janus::sum(data, [&](double) { return exp(a * b); }); };
  const auto [value, g] = janus::value_and_grad(f, 0.3, 0.7);
  const double n = static_cast<double>(data.size());
  BOOST_TEST(value == n * std::exp(0.21), boost::test_tools::tolerance(1e-13));
  BOOST_TEST(g[0] == n * 0.7 * std::exp(0.21), boost::test_tools::tolerance(1e-13));
  BOOST_TEST(g[1] == n * 0.3 * std::exp(0.21), boost::test_tools::tolerance(1e-13));
}

// Over an empty range nothing is hoisted or swept: the sum is zero.
BOOST_AUTO_TEST_CASE(an_empty_sum_with_a_hoisted_subtree) {
  const std::vector<double> none;
  const auto f = [&](auto a) { return janus::sum(none, [&](double x) { return exp(a) * x; }) + a; };
  const auto g = janus::grad(f)(0.5);
  BOOST_TEST(g[0] == 1.0);
}

// A body dividing by what does not depend on the element (a captured
// variable, a hoisted subtree) multiplies by its reciprocal, computed once
// (invariant_divisors.hpp); the divisions of the numerator stay.
BOOST_AUTO_TEST_CASE(invariant_divisors_become_hoisted_reciprocals) {
  const auto [mu, sigma, s] = janus::variables(0.5, 2.0, 1.5);
  using divided = decltype((1.0 - mu) / sigma + (1.0 - mu) / exp(s) + sigma / (1.0 - mu));
  using rewritten = janus::detail::by_reciprocals<divided::node_type>::type;
  static_assert(janus::detail::divides_by_reciprocals<divided::node_type>);
  static_assert(janus::detail::hoisted_subtrees_t<rewritten>::size == 2, "1 / sigma and 1 / exp(s), once per sum");
  using pure = decltype(mu / sigma)::node_type;
  static_assert(!janus::detail::divides_by_reciprocals<pure>, "a pure quotient is hoisted whole");
}

// The normal likelihood divides by sigma, the mixture above by exp(log s):
// values within rounding of the divisions', gradients of central differences.
BOOST_AUTO_TEST_CASE(a_likelihood_dividing_by_a_variable) {
  const auto f = [](auto mu, auto sigma) {
    return janus::sum(data, [&](double x) { return janus::square((x - mu) / sigma) + x / sigma; });
  };
  const auto on_doubles = [&](double mu, double sigma) { return f(mu, sigma); };
  const auto [value, g] = janus::value_and_grad(f, 0.7, 1.3);
  const auto reference = central_differences(on_doubles, std::array{0.7, 1.3});
  BOOST_TEST(value == on_doubles(0.7, 1.3), boost::test_tools::tolerance(1e-14));
  BOOST_TEST(g[0] == reference[0], boost::test_tools::tolerance(1e-8));
  BOOST_TEST(g[1] == reference[1], boost::test_tools::tolerance(1e-8));
}

// A divisor of 0: the sum keeps its divisions, so that an adjoint of 0
// propagates nothing through them (d/ds of a * (x / s) at a = 0 is 0, not
// 0 times infinity), and elements of arrays take their partials once.
BOOST_AUTO_TEST_CASE(a_zero_divisor_keeps_the_divisions) {
  const auto f = [](auto a, auto s) { return janus::sum(data, [&](double x) { return a * (x / s); }); };
  const auto g = janus::grad(f)(0.0, 0.0);
  BOOST_TEST(std::isnan(g[0]));  // the sum of x / 0 over data of both signs
  BOOST_TEST(g[1] == 0.0);

  const auto h = [](const auto& xs, auto a, auto s) {
    return janus::sum(janus::indices(0, xs.size()), [&](std::size_t i) { return xs[i] * xs[i] + a * (xs[i] / s); });
  };
  const auto [gx, ga, gs] = janus::grad(h)(data, 0.0, 0.0);
  for (std::size_t i = 0; i < data.size(); ++i) BOOST_TEST(gx[i] == 2 * data[i]);
  BOOST_TEST(gs == 0.0);
  BOOST_TEST(std::isnan(ga));
}
