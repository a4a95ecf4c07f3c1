// Long formulas: operands whose trees grow past the preaccumulation limit are
// swept on the spot and kept as their value and partials (preaccumulate.hpp).
// These tests hold the gradients of such formulas against finite differences
// and a hand-written recurrence, and check that storage stays bounded where a
// plain expression tree would double at every step.
#include <boost/test/unit_test.hpp>

#include <janus/janus.hpp>

#include <array>
#include <cmath>
#include <cstddef>
#include <tuple>
#include <utility>

namespace {

using std::cos;
using std::exp;
using std::log;
using std::sin;
using std::sqrt;
using std::tanh;

// Thirty steps, each using the previous result twice and adding constants of
// its own: as one tree it would hold 2^30 copies of its constants.
template <class U>
auto doubling_chain(U u) {
  for (int i = 0; i < 30; ++i) u = 0.5 * u * u + 0.25 * sin(u) + 0.1;
  return u;
}

// The same recurrence for expressions, whose type changes at each step.
template <int Steps, class U>
auto doubling_chain_expression(const U& u) {
  if constexpr (Steps == 0) {
    return u;
  } else {
    const auto v = doubling_chain_expression<Steps - 1>(u);
    return 0.5 * v * v + 0.25 * sin(v) + 0.1;
  }
}

// A formula of three variables, long enough to be preaccumulated several
// times, with locals reused and constants everywhere.
template <class A, class B, class C>
auto long_formula(A a, B b, C c) {
  auto s = 0.3 * a * b + sin(c) - 0.7 * a;
  auto t = s * s / (1.5 + c * c) + cos(s * 0.4 + b);
  auto u = t * s - 0.2 * t * t + exp(0.1 * a - 0.3 * c);
  auto v = u * t + sqrt(2.0 + u * u) * 0.5 - s;
  auto w = v * v * 0.01 + log(1.0 + t * t) - tanh(u * 0.5 + 0.2);
  auto z = w * v - u * 0.3 + s * t * 0.7;
  return z * 0.1 + w - v * 0.05;
}

double long_formula_value(const std::array<double, 3>& x) { return long_formula(x[0], x[1], x[2]); }

// Central differences in double.
std::array<double, 3> finite_difference(const std::array<double, 3>& x) {
  std::array<double, 3> gradient{};
  for (std::size_t i = 0; i < 3; ++i) {
    const double h = 1e-6 * (1.0 + std::abs(x[i]));
    auto up = x, down = x;
    up[i] += h;
    down[i] -= h;
    gradient[i] = (long_formula_value(up) - long_formula_value(down)) / (2 * h);
  }
  return gradient;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_doubling_chain_with_constants_stays_small_and_exact) {
  auto [x] = janus::variables(0.3);
  const auto f = doubling_chain_expression<30>(x);
  // Thirty doublings of a tree would hold more than 2^30 constants.
  BOOST_TEST(sizeof(f) <= 4096u);

  const auto [value, g] = janus::value_and_gradient(f);
  double v = 0.3, dv = 1.0;  // the recurrence and its derivative by hand
  for (int i = 0; i < 30; ++i) {
    dv *= v + 0.25 * std::cos(v);
    v = 0.5 * v * v + 0.25 * std::sin(v) + 0.1;
  }
  BOOST_TEST(value == doubling_chain(0.3), boost::test_tools::tolerance(1e-12));
  BOOST_TEST(value == v, boost::test_tools::tolerance(1e-12));
  BOOST_TEST(g[x] == dv, boost::test_tools::tolerance(1e-12));
}

BOOST_AUTO_TEST_CASE(a_long_formula_matches_finite_differences) {
  const std::array<std::array<double, 3>, 3> points{{{0.4, -0.7, 1.2}, {-1.1, 0.5, 0.3}, {2.0, 1.5, -0.8}}};
  const auto fn = [](auto a, auto b, auto c) { return long_formula(a, b, c); };
  for (const auto& x : points) {
    const auto [value, g] = janus::value_and_grad(fn, x[0], x[1], x[2]);
    const auto reference = finite_difference(x);
    BOOST_TEST(value == long_formula_value(x), boost::test_tools::tolerance(1e-12));
    for (std::size_t i = 0; i < 3; ++i) BOOST_TEST(g[i] == reference[i], boost::test_tools::tolerance(1e-7));
  }
}

BOOST_AUTO_TEST_CASE(a_subset_and_floats_through_preaccumulated_nodes) {
  auto [a, b, c] = janus::variables(0.4, -0.7, 1.2);
  const auto f = long_formula(a, b, c);
  const auto all = janus::gradient(f);
  const auto only_b = janus::gradient(f, janus::wrt(b));
  BOOST_TEST(only_b[b] == all[b], boost::test_tools::tolerance(1e-14));

  const auto g = janus::grad([](auto x, auto y, auto z) { return long_formula(x, y, z); })(0.4f, -0.7f, 1.2f);
  const auto reference = finite_difference({0.4, -0.7, 1.2});
  for (std::size_t i = 0; i < 3; ++i) BOOST_TEST(g[i] == reference[i], boost::test_tools::tolerance(1e-3));
}

BOOST_AUTO_TEST_CASE(select_between_long_formulas_takes_one_side) {
  for (const bool condition : {true, false}) {
    const auto fn = [condition](auto a, auto b, auto c) {
      return janus::select(condition, long_formula(a, b, c), long_formula(c, a, b) * 2.0);
    };
    const auto g = janus::grad(fn)(0.4, -0.7, 1.2);
    const auto direct = condition ? finite_difference({0.4, -0.7, 1.2}) : finite_difference({1.2, 0.4, -0.7});
    // On the false side the variables enter as (c, a, b), doubled.
    const std::array<double, 3> expected =
        condition ? direct : std::array<double, 3>{2 * direct[1], 2 * direct[2], 2 * direct[0]};
    for (std::size_t i = 0; i < 3; ++i) BOOST_TEST(g[i] == expected[i], boost::test_tools::tolerance(1e-7));
  }
}

// A long sum that stores nothing twice (Rosenbrock over ten variables: nine
// terms, 62 nodes with data) stays one tree, swept as one: no operand of it is
// preaccumulated. Its gradient against the closed form.
BOOST_AUTO_TEST_CASE(a_long_sum_without_repeats_stays_one_tree) {
  const std::array<double, 10> x{-1.2, 1.0, 0.3, -0.7, 2.0, 0.5, -0.4, 1.1, 0.8, -1.5};
  const auto rosenbrock = [](auto... v) {
    const std::tuple args{v...};
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return ((100.0 * square(std::get<I + 1>(args) - std::get<I>(args) * std::get<I>(args)) +
               square(1.0 - std::get<I>(args))) +
              ...);
    }(std::make_index_sequence<sizeof...(v) - 1>{});
  };
  const auto e = std::apply([&](auto... v) { return std::apply(rosenbrock, janus::variables(v...)); }, x);
  using node = typename decltype(e)::node_type;
  static_assert(janus::detail::data_weight<node> == 9 * 6 + 8, "every term and every sum kept in the tree");
  static_assert(!janus::detail::repeats<node>::value);

  const auto g = std::apply([&](auto... v) { return janus::grad(rosenbrock)(v...); }, x);
  std::array<double, 10> expected{};
  for (std::size_t i = 0; i + 1 < x.size(); ++i) {
    const double r = x[i + 1] - x[i] * x[i];
    expected[i] += -400.0 * x[i] * r - 2.0 * (1.0 - x[i]);
    expected[i + 1] += 200.0 * r;
  }
  for (std::size_t i = 0; i < x.size(); ++i) BOOST_TEST(g[i] == expected[i], boost::test_tools::tolerance(1e-12));
}
