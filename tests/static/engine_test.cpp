// The static engine: its public API, sharing of subexpressions, constants,
// branches, reductions, Jacobians and gradients as constant expressions.
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <cmath>
#include <numeric>
#include <tuple>
#include <vector>

namespace {

constexpr double tolerance = 1e-12;

bool close(double a, double b, double tol = tolerance) {
  return std::abs(a - b) <= tol * std::max({1.0, std::abs(a), std::abs(b)});
}

// Central finite difference of f: R^N -> R at x in direction i.
template <class F, std::size_t N>
double finite_difference(F f, std::array<double, N> x, std::size_t i, double h = 1e-6) {
  auto plus = x, minus = x;
  plus[i] += h;
  minus[i] -= h;
  return (std::apply(f, plus) - std::apply(f, minus)) / (2 * h);
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_api_of_the_readme) {
  auto [x, y] = janus::variables(3.0, 2.0);
  auto f = x * y + sin(x) / y;
  const double expected_value = 6.0 + std::sin(3.0) / 2.0;
  const double dx = 2.0 + std::cos(3.0) / 2.0;
  const double dy = 3.0 - std::sin(3.0) / 4.0;

  BOOST_TEST(janus::value(f) == expected_value, boost::test_tools::tolerance(tolerance));
  const auto g = janus::gradient(f);
  BOOST_TEST(g[x] == dx, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g[y] == dy, boost::test_tools::tolerance(tolerance));

  const auto [v2, g2] = janus::value_and_gradient(f);
  BOOST_TEST(v2 == expected_value, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g2[x] == dx, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g2[y] == dy, boost::test_tools::tolerance(tolerance));

  const auto h = janus::gradient(f, janus::wrt(y));
  static_assert(decltype(h)::size == 1);
  BOOST_TEST(h[y] == dy, boost::test_tools::tolerance(tolerance));

  auto fn = [](auto a, auto b) { return a * b + sin(a) / b; };
  const std::array<double, 2> d = janus::grad(fn)(3.0, 2.0);
  BOOST_TEST(d[0] == dx, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(d[1] == dy, boost::test_tools::tolerance(tolerance));
  const auto [val, d2] = janus::value_and_grad(fn, 3.0, 2.0);
  BOOST_TEST(val == expected_value, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(d2[0] == dx, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(d2[1] == dy, boost::test_tools::tolerance(tolerance));
}

BOOST_AUTO_TEST_CASE(wrt_subsets_of_three_variables) {
  auto [x, y, z] = janus::variables(1.5, -2.0, 0.5);
  auto f = x * y * z + exp(z) * x;
  const auto both = janus::gradient(f, janus::wrt(z, x));
  BOOST_TEST(both[x] == -1.0 + std::exp(0.5), boost::test_tools::tolerance(tolerance));
  BOOST_TEST(both[z] == -3.0 + 1.5 * std::exp(0.5), boost::test_tools::tolerance(tolerance));
  const auto [value, only_y] = janus::value_and_gradient(f, janus::wrt(y));
  BOOST_TEST(value == -1.5 + std::exp(0.5) * 1.5, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(only_y[y] == 0.75, boost::test_tools::tolerance(tolerance));
}

BOOST_AUTO_TEST_CASE(constants_mix_on_either_side) {
  auto fn = [](auto x) { return 2 * x + x / 3.0 - 1 + pow(x, 2) + pow(2.0, x) + 4.0 / x - (5 - x) * 0.5f; };
  const double x = 1.25;
  const auto [value, g] = janus::value_and_grad(fn, x);
  const double expected = 2 * x + x / 3 - 1 + x * x + std::pow(2.0, x) + 4 / x - (5 - x) * 0.5;
  const double derivative = 2 + 1.0 / 3 + 2 * x + std::log(2.0) * std::pow(2.0, x) - 4 / (x * x) + 0.5;
  BOOST_TEST(value == expected, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g[0] == derivative, boost::test_tools::tolerance(tolerance));
}

BOOST_AUTO_TEST_CASE(float_variables) {
  auto [x, y] = janus::variables(3.0f, 2.0f);
  auto f = x * y + sin(x) / y + 2 * x;
  static_assert(std::is_same_v<decltype(janus::value(f)), float>);
  const auto g = janus::gradient(f);
  BOOST_TEST(g[x] == 4.0f + std::cos(3.0f) / 2.0f, boost::test_tools::tolerance(1e-6f));
  BOOST_TEST(g[y] == 3.0f - std::sin(3.0f) / 4.0f, boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(a_variable_and_a_subexpression_used_many_times) {
  auto fn = [](auto x, auto y) {
    auto u = x * y;
    auto v = u * u + sin(u) + u / x;
    return v * u + v * v + x * x * x;
  };
  const std::array<double, 2> at{0.7, -1.3};
  const auto g = std::apply(janus::grad(fn), at);
  auto plain = [&](double x, double y) { return janus::value(std::apply(fn, janus::variables(x, y))); };
  BOOST_TEST(close(g[0], finite_difference(plain, at, 0), 1e-8));
  BOOST_TEST(close(g[1], finite_difference(plain, at, 1), 1e-8));
}

// Two subtrees of one type with different constants are different nodes.
BOOST_AUTO_TEST_CASE(same_type_different_constants) {
  auto [x] = janus::variables(0.75);
  auto a = x + 1.0;
  auto b = x + 2.0;
  static_assert(std::is_same_v<decltype(a), decltype(b)>);
  const auto [value, g] = janus::value_and_gradient(a * b);
  BOOST_TEST(value == 1.75 * 2.75, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g[x] == 2 * 0.75 + 3.0, boost::test_tools::tolerance(tolerance));
  const auto [value2, g2] = janus::value_and_gradient(sin(x * 2.0) * sin(x * 3.0));
  BOOST_TEST(value2 == std::sin(1.5) * std::sin(2.25), boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g2[x] == 2 * std::cos(1.5) * std::sin(2.25) + 3 * std::sin(1.5) * std::cos(2.25),
             boost::test_tools::tolerance(tolerance));
}

BOOST_AUTO_TEST_CASE(constants_only_have_zero_gradient) {
  const auto c = janus::constant(2.0) * 3.0 + 1.0;
  BOOST_TEST(janus::value(c) == 7.0);
  const auto g = janus::grad([](auto) { return janus::constant(5.0) * 2.0; })(1.0);
  BOOST_TEST(g[0] == 0.0);
  auto [x, y] = janus::variables(1.0, 2.0);
  const auto gy = janus::gradient(x * x, janus::wrt(y));  // y does not appear
  BOOST_TEST(gy[y] == 0.0);
  const auto all = janus::gradient(x * x);  // every variable of the set
  BOOST_TEST(all[x] == 2.0);
  BOOST_TEST(all[y] == 0.0);
}

BOOST_AUTO_TEST_CASE(select_sends_the_gradient_to_the_taken_side) {
  auto branch = [](auto x, auto y) { return janus::select(x > y, x * x * y, sin(y) * 3.0); };
  const auto taken = janus::value_and_grad(branch, 2.0, 1.0);
  BOOST_TEST(taken.value == 4.0);
  BOOST_TEST(taken.gradient[0] == 4.0);
  BOOST_TEST(taken.gradient[1] == 4.0);
  const auto other = janus::value_and_grad(branch, 1.0, 2.0);
  BOOST_TEST(other.value == 3.0 * std::sin(2.0), boost::test_tools::tolerance(tolerance));
  BOOST_TEST(other.gradient[0] == 0.0);
  BOOST_TEST(other.gradient[1] == 3.0 * std::cos(2.0), boost::test_tools::tolerance(tolerance));
  // A number on one side.
  const auto clipped = janus::grad([](auto x) { return janus::select(x < 1.0, x * x, 1.0); });
  BOOST_TEST(clipped(0.5)[0] == 1.0);
  BOOST_TEST(clipped(2.0)[0] == 0.0);
}

BOOST_AUTO_TEST_CASE(sum_of_a_log_likelihood_against_its_closed_form) {
  std::vector<double> data(1000);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = std::sin(0.37 * double(i)) * 2.0 + 1.0;
  const double n = double(data.size());
  auto loglik = [&](auto mu, auto sigma) {
    return -0.5 * janus::sum(data, [=](double x) { return square((x - mu) / sigma); }) - n * log(sigma);
  };
  const double mu = 0.8, sigma = 1.7;
  const auto [value, g] = janus::value_and_grad(loglik, mu, sigma);
  double squares = 0, deviations = 0;
  for (double x : data) {
    squares += (x - mu) * (x - mu);
    deviations += x - mu;
  }
  BOOST_TEST(value == -0.5 * squares / (sigma * sigma) - n * std::log(sigma), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(g[0] == deviations / (sigma * sigma), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(g[1] == squares / (sigma * sigma * sigma) - n / sigma, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(sum_over_an_empty_range_and_a_body_with_one_variable) {
  const std::vector<double> empty;
  const std::vector<double> weights{1.0, 2.0, 3.0};
  auto f = [&](auto a, auto b) {
    return janus::sum(empty, [=](double w) { return w * a; }) + janus::sum(weights, [=](double w) { return w * b * b; }) + log(a);
  };
  const auto [value, g] = janus::value_and_grad(f, 2.0, 3.0);
  BOOST_TEST(value == 6.0 * 9.0 + std::log(2.0), boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g[0] == 0.5, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g[1] == 6.0 * 2 * 3.0, boost::test_tools::tolerance(tolerance));
}

BOOST_AUTO_TEST_CASE(jacobian_of_several_outputs) {
  auto polar = [](auto r, auto theta) { return std::tuple{r * cos(theta), r * sin(theta), r * r}; };
  const auto J = janus::jacobian(polar)(2.0, 0.5);
  BOOST_TEST(J[0][0] == std::cos(0.5), boost::test_tools::tolerance(tolerance));
  BOOST_TEST(J[0][1] == -2.0 * std::sin(0.5), boost::test_tools::tolerance(tolerance));
  BOOST_TEST(J[1][0] == std::sin(0.5), boost::test_tools::tolerance(tolerance));
  BOOST_TEST(J[1][1] == 2.0 * std::cos(0.5), boost::test_tools::tolerance(tolerance));
  BOOST_TEST(J[2][0] == 4.0);
  BOOST_TEST(J[2][1] == 0.0);
}

// Gradients of polynomials and rational functions are constant expressions.
static_assert(janus::grad([](auto x) { return x * x; })(3.0)[0] == 6.0);
static_assert(janus::grad([](auto x, auto y) { return 3 * x * x * y - y * y * y + 7; })(2.0, 1.0) ==
              std::array{12.0, 9.0});
static_assert(janus::grad([](auto x) { return (x * x + 1) / (x - 1); })(3.0)[0] == (6.0 * 2.0 - 10.0) / 4.0);
static_assert(janus::value_and_grad([](auto x, auto y) { return x / y + y / x; }, 1.0, 2.0).value == 2.5);
static_assert(janus::grad([](auto x) { return janus::select(x > 0.0, x * x * x, -x); })(2.0)[0] == 12.0);
static_assert([] {
  auto [x, y] = janus::variables(2.0, 5.0);
  const auto g = janus::gradient((x - y) * (x + y), janus::wrt(y));
  return g[y];
}() == -10.0);

// A user's own rule: one struct, and it works in the engine like a built-in one.
namespace {
struct cube {
  static constexpr std::string_view name = "cube";
  static constexpr auto reads = janus::rules::pullback_reads::input;
  template <class T> static constexpr T value(T x) { return x * x * x; }
  template <class T> static constexpr T pullback(T x, T, T g) { return g * 3 * x * x; }
};
template <class X>
constexpr auto cubed(const X& x) { return janus::apply(cube{}, x); }
}  // namespace

BOOST_AUTO_TEST_CASE(a_user_rule_works_like_a_built_in_one) {
  static_assert(janus::grad([](auto x) { return cubed(x) + x; })(2.0)[0] == 13.0);
  const auto g = janus::grad([](auto x, auto y) { return cubed(x * y); })(2.0, 0.5);
  BOOST_TEST(g[0] == 3.0 * 0.5, boost::test_tools::tolerance(tolerance));
  BOOST_TEST(g[1] == 3.0 * 1.0 * 2.0, boost::test_tools::tolerance(tolerance));
}
